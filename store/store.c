/* store/store.c - opening the replica, transactions, shared helpers. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "internal.h"
#include "log.h"

#define BUSY_TIMEOUT_MS 10000

static const char *const messages[STORE_STATUS_COUNT] = {
    [STORE_OK] = "success",
    [STORE_ERR_ARGS] = "invalid argument",
    [STORE_ERR_NOMEM] = "out of memory",
    [STORE_ERR_IO] = "cannot create or open the token database",
    [STORE_ERR_NOT_FOUND] = "no such record",
    [STORE_ERR_EXISTS] = "record already exists",
    [STORE_ERR_BUSY] = "token database is locked by another process",
    [STORE_ERR_CORRUPT] = "token database is corrupt",
    [STORE_ERR_VERSION] = "token database schema is newer than this program",
    [STORE_ERR_DB] = "database error",
};

const char *store_strerror(store_status st)
{
    if ((unsigned)st >= STORE_STATUS_COUNT)
        return "unknown store status";
    return messages[st];
}

store_status store_rc(store *s, int rc, const char *what)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return STORE_OK;
    case SQLITE_NOMEM:
        return STORE_ERR_NOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        LOGW(LOG_AREA_STORE, "%s: database busy", what);
        return STORE_ERR_BUSY;
    case SQLITE_CONSTRAINT:
        return STORE_ERR_EXISTS;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        LOGE(LOG_AREA_STORE, "%s: database corrupt", what);
        return STORE_ERR_CORRUPT;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
        LOGE(LOG_AREA_STORE, "%s: I/O error %d", what, rc);
        return STORE_ERR_IO;
    default:
        LOGE(LOG_AREA_STORE, "%s: %s (%d)", what,
             s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), rc);
        return STORE_ERR_DB;
    }
}

/* ---- opening -------------------------------------------------------- */

static int mkdir_parents(const char *path)
{
    char *copy = strdup(path);
    int ret = 0;
    if (!copy)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0700) != 0 && errno != EEXIST)
            ret = -1;
        *p = '/';
    }
    free(copy);
    return ret;
}

/* Create the file with mode 0600 before SQLite sees it, whatever the
 * umask; an existing file keeps its mode. */
static store_status create_private_file(const char *path)
{
    if (mkdir_parents(path) != 0) {
        LOGE(LOG_AREA_STORE, "cannot create the folder of %s", path);
        return STORE_ERR_IO;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? STORE_OK : STORE_ERR_IO;
    int rc = fchmod(fd, 0600);
    close(fd);
    return rc == 0 ? STORE_OK : STORE_ERR_IO;
}

/* journal_mode can report SQLITE_BUSY without calling the busy handler
 * while another process creates the file: retry a few times. */
static store_status set_wal(store *s)
{
    int rc = SQLITE_OK;
    for (int tries = 0; tries < 100; tries++) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY)
            break;
        usleep(20000);
    }
    return store_rc(s, rc, "journal_mode=WAL");
}

static store_status configure(store *s, int memory)
{
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    if (!memory) {
        store_status st = set_wal(s);
        if (st != STORE_OK)
            return st;
    }
    int rc = sqlite3_exec(s->db,
                          "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_rc(s, rc, "pragmas");
    return store_schema_apply(s);
}

store_status store_open(const char *path, store **out)
{
    if (!path || !*path || !out)
        return STORE_ERR_ARGS;
    *out = NULL;
    int memory = strcmp(path, ":memory:") == 0;
    store_status st = memory ? STORE_OK : create_private_file(path);
    if (st != STORE_OK)
        return st;
    store *s = calloc(1, sizeof(*s));
    if (!s)
        return STORE_ERR_NOMEM;
    s->path = strdup(path);
    if (!s->path) {
        free(s);
        return STORE_ERR_NOMEM;
    }
    int rc = sqlite3_open_v2(
        path, &s->db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    st = rc == SQLITE_OK ? configure(s, memory) : store_rc(s, rc, "open");
    if (st != STORE_OK) {
        store_close(s);
        return st;
    }
    LOGD(LOG_AREA_STORE, "opened %s", path);
    *out = s;
    return STORE_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close_v2(s->db);
    free((void *)s->path);
    free(s);
}

const char *store_path(const store *s)
{
    return s ? s->path : NULL;
}

/* ---- transactions --------------------------------------------------- */

store_status store_begin(store *s)
{
    if (!s || s->in_tx)
        return STORE_ERR_ARGS;
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_rc(s, rc, "begin");
    s->in_tx = 1;
    return STORE_OK;
}

store_status store_commit(store *s)
{
    if (!s || !s->in_tx)
        return STORE_ERR_ARGS;
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        store_rollback(s);
        return store_rc(s, rc, "commit");
    }
    s->in_tx = 0;
    return STORE_OK;
}

void store_rollback(store *s)
{
    if (!s || !s->in_tx)
        return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
}

int store_in_transaction(const store *s)
{
    return s ? s->in_tx : 0;
}

store_status store_integrity_check(store *s)
{
    if (!s)
        return STORE_ERR_ARGS;
    sqlite3_stmt *stmt = NULL;
    int rc =
        sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_rc(s, rc, "integrity_check");
    store_status st = STORE_ERR_CORRUPT;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char *res = sqlite3_column_text(stmt, 0);
        if (res && strcmp((const char *)res, "ok") == 0)
            st = STORE_OK;
    } else {
        st = store_rc(s, rc, "integrity_check");
    }
    sqlite3_finalize(stmt);
    return st;
}

store_status store_wipe_account(store *s)
{
    if (!s)
        return STORE_ERR_ARGS;
    int rc =
        sqlite3_exec(s->db,
                     "DELETE FROM slots; DELETE FROM items;"
                     "DELETE FROM keypairs; DELETE FROM data_encryption_keys;"
                     "DELETE FROM key_encryption_key; DELETE FROM account;"
                     "DELETE FROM meta; DELETE FROM connections;"
                     "DELETE FROM shares; DELETE FROM token_objects;",
                     NULL, NULL, NULL);
    return store_rc(s, rc, "wipe account");
}

/* ---- statements ----------------------------------------------------- */

sqlite3_stmt *store_stmt_get(store *s, const char *sql, store_status *st)
{
    size_t slot = STMT_CACHE_SIZE;
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].stmt);
            sqlite3_clear_bindings(s->cache[i].stmt);
            return s->cache[i].stmt;
        }
        if (!s->cache[i].sql && slot == STMT_CACHE_SIZE)
            slot = i;
    }
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &stmt, NULL);
    if (rc != SQLITE_OK) {
        *st = store_rc(s, rc, "prepare");
        return NULL;
    }
    if (slot == STMT_CACHE_SIZE) {
        /* Cache full: evict entry 0 (never happens with today's SQL). */
        sqlite3_finalize(s->cache[0].stmt);
        slot = 0;
    }
    s->cache[slot].sql = sql;
    s->cache[slot].stmt = stmt;
    return stmt;
}

void store_stmt_done(sqlite3_stmt *stmt)
{
    if (stmt)
        sqlite3_reset(stmt);
}

int store_bind_text(sqlite3_stmt *stmt, int idx, const char *text)
{
    if (!text)
        return sqlite3_bind_null(stmt, idx);
    return sqlite3_bind_text(stmt, idx, text, -1, SQLITE_TRANSIENT);
}

store_status store_stmt_exec(store *s, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    store_stmt_done(stmt);
    return rc == SQLITE_DONE ? STORE_OK : store_rc(s, rc, what);
}

store_status store_stmt_exec_changed(store *s, sqlite3_stmt *stmt,
                                     const char *what)
{
    store_status st = store_stmt_exec(s, stmt, what);
    if (st == STORE_OK && sqlite3_changes(s->db) == 0)
        st = STORE_ERR_NOT_FOUND;
    return st;
}

char *store_dup(const char *text, int *oom)
{
    if (!text)
        return NULL;
    char *copy = strdup(text);
    if (!copy)
        *oom = 1;
    return copy;
}

char *store_col_text(sqlite3_stmt *stmt, int idx, int *oom)
{
    return store_dup((const char *)sqlite3_column_text(stmt, idx), oom);
}

store_status store_collect_rows(store *s, sqlite3_stmt *stmt, size_t elem_size,
                                row_fn row, clear_fn clear, void **out,
                                size_t *n)
{
    unsigned char *list = NULL;
    size_t count = 0, cap = 0;
    store_status st = STORE_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            unsigned char *grown = realloc(list, ncap * elem_size);
            if (!grown) {
                st = STORE_ERR_NOMEM;
                break;
            }
            list = grown;
            cap = ncap;
        }
        void *elem = list + count * elem_size;
        memset(elem, 0, elem_size);
        count++;
        if (row(stmt, elem) != 0) {
            st = STORE_ERR_NOMEM;
            break;
        }
    }
    if (st == STORE_OK && rc != SQLITE_DONE)
        st = store_rc(s, rc, "list");
    store_stmt_done(stmt);
    if (st != STORE_OK) {
        for (size_t i = 0; i < count; i++)
            clear(list + i * elem_size);
        free(list);
        return st;
    }
    *out = list;
    *n = count;
    return STORE_OK;
}

int store_text_row(sqlite3_stmt *stmt, void *elem)
{
    int oom = 0;
    *(char **)elem = store_col_text(stmt, 0, &oom);
    return oom ? -1 : 0;
}

static void text_clear(void *elem)
{
    free(*(char **)elem);
    *(char **)elem = NULL;
}

store_status store_list_ids(store *s, const char *sql, char ***ids, size_t *n)
{
    if (!s || !ids || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    return store_collect_rows(s, q, sizeof(char *), store_text_row, text_clear,
                              (void **)ids, n);
}

void store_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Run a one-row query bound to id and fill elem with row(). */
store_status store_get_one(store *s, const char *sql, const char *id,
                           row_fn row, void *elem)
{
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && row(q, elem) != 0)
        st = STORE_ERR_NOMEM;
    else if (rc == SQLITE_DONE)
        st = STORE_ERR_NOT_FOUND;
    else if (rc != SQLITE_ROW)
        st = store_rc(s, rc, "get");
    store_stmt_done(q);
    return st;
}

/* UPDATE/DELETE ... WHERE id = ?1 [, ?2 = text]. */
store_status store_exec_by_id(store *s, const char *sql, const char *id,
                              const char *text, const char *what)
{
    if (!s || !id)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    if (sqlite3_bind_parameter_count(q) >= 2)
        store_bind_text(q, 2, text);
    return store_stmt_exec_changed(s, q, what);
}

/* ---- ids and time --------------------------------------------------- */

store_status store_uuid_v4(char out[STORE_UUID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t b[16];
    if (!out || RAND_bytes(b, sizeof(b)) != 1)
        return STORE_ERR_ARGS;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0x0f];
    }
    *p = '\0';
    return STORE_OK;
}

store_status store_pick_id(const char *given, char id[STORE_UUID_LEN + 1])
{
    if (!given)
        return store_uuid_v4(id);
    if (strlen(given) > STORE_UUID_LEN || !*given)
        return STORE_ERR_ARGS;
    strcpy(id, given);
    return STORE_OK;
}

void store_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
