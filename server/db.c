/* server/db.c - SQLite pool, schema and prepared statements. */
#include "db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "util.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS docs("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " parent TEXT, ext TEXT, body TEXT NOT NULL, UNIQUE(kind, id));"
    "CREATE INDEX IF NOT EXISTS docs_user ON docs(kind, user_id, seq);"
    "CREATE INDEX IF NOT EXISTS docs_parent ON docs(kind, user_id, parent);"
    "CREATE INDEX IF NOT EXISTS docs_ext ON docs(kind, ext);"
    "CREATE UNIQUE INDEX IF NOT EXISTS docs_username ON docs(ext)"
    " WHERE kind = 'ks_user';"
    "CREATE TABLE IF NOT EXISTS tokens("
    " hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL,"
    " id TEXT, expires INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tokens_user ON tokens(kind, user_id);"
    "CREATE TABLE IF NOT EXISTS srp_challenges("
    " key TEXT PRIMARY KEY, user_id TEXT NOT NULL, b TEXT NOT NULL,"
    " big_b TEXT NOT NULL, expires INTEGER NOT NULL);";

enum stmt_id {
    ST_DOC_INSERT,
    ST_DOC_UPDATE,
    ST_DOC_GET,
    ST_DOC_GET_ANY,
    ST_DOC_EXT,
    ST_DOC_EXT_ANY,
    ST_DOC_DELETE,
    ST_DOC_DELETE_CHILDREN,
    ST_DOC_LIST,
    ST_DOC_LIST_PARENT,
    ST_TOKEN_PUT,
    ST_TOKEN_GET,
    ST_TOKEN_DELETE,
    ST_TOKEN_COUNT,
    ST_CH_PUT,
    ST_CH_GET,
    ST_CH_DELETE,
    ST_CH_TRIM,
    ST_TOKEN_PURGE,
    ST_CH_PURGE,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_COUNT
};

#define DOC_COLS "id, user_id, parent, ext, body, seq"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_DOC_INSERT] = "INSERT INTO docs(kind, id, user_id, parent, ext, body)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_DOC_UPDATE] = "UPDATE docs SET body = ?4"
                      " WHERE kind = ?1 AND user_id = ?2 AND id = ?3",
    [ST_DOC_GET] = "SELECT " DOC_COLS " FROM docs"
                   " WHERE kind = ?1 AND user_id = ?2 AND id = ?3",
    [ST_DOC_GET_ANY] = "SELECT " DOC_COLS " FROM docs"
                       " WHERE kind = ?1 AND id = ?2",
    [ST_DOC_EXT] = "SELECT " DOC_COLS " FROM docs WHERE kind = ?1"
                   " AND user_id = ?2 AND ext = ?3 ORDER BY seq LIMIT 1",
    [ST_DOC_EXT_ANY] = "SELECT " DOC_COLS " FROM docs WHERE kind = ?1"
                       " AND ext = ?2 ORDER BY seq LIMIT 1",
    [ST_DOC_DELETE] = "DELETE FROM docs"
                      " WHERE kind = ?1 AND user_id = ?2 AND id = ?3",
    [ST_DOC_DELETE_CHILDREN] = "DELETE FROM docs"
                               " WHERE kind = ?1 AND user_id = ?2"
                               " AND parent = ?3",
    [ST_DOC_LIST] = "SELECT " DOC_COLS " FROM docs WHERE kind = ?1"
                    " AND user_id = ?2 AND seq > ?3 ORDER BY seq",
    [ST_DOC_LIST_PARENT] = "SELECT " DOC_COLS " FROM docs WHERE kind = ?1"
                           " AND user_id = ?2 AND parent = ?4"
                           " AND seq > ?3 ORDER BY seq",
    [ST_TOKEN_PUT] = "INSERT INTO tokens(hash, kind, user_id, id, expires)"
                     " VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_TOKEN_GET] = "SELECT user_id, id, expires FROM tokens"
                     " WHERE hash = ?1 AND kind = ?2",
    [ST_TOKEN_DELETE] = "DELETE FROM tokens WHERE hash = ?1",
    [ST_TOKEN_COUNT] = "SELECT COUNT(*) FROM tokens WHERE kind = ?1"
                       " AND user_id = ?2 AND expires > ?3",
    [ST_CH_PUT] = "INSERT OR REPLACE INTO srp_challenges"
                  "(key, user_id, b, big_b, expires) VALUES(?1,?2,?3,?4,?5)",
    [ST_CH_GET] = "SELECT user_id, b, big_b, expires FROM srp_challenges"
                  " WHERE key = ?1",
    [ST_CH_DELETE] = "DELETE FROM srp_challenges WHERE key = ?1",
    [ST_CH_TRIM] = "DELETE FROM srp_challenges WHERE user_id = ?1 AND key"
                   " NOT IN (SELECT key FROM srp_challenges WHERE user_id"
                   " = ?1 ORDER BY rowid DESC LIMIT ?2)",
    [ST_TOKEN_PURGE] = "DELETE FROM tokens WHERE expires <= ?1",
    [ST_CH_PURGE] = "DELETE FROM srp_challenges WHERE expires <= ?1",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

struct srv_dbc {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    int busy;
    srv_db *pool;
};

struct srv_db {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    unsigned n;
    srv_dbc *conns;
};

static srv_db_status status_from_rc(int rc)
{
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
        return SRV_DB_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return SRV_DB_CONFLICT;
    return SRV_DB_ERROR;
}

static int conn_open(srv_dbc *c, const char *path)
{
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    char *err = NULL;

    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(c->db, 10000);
    if (sqlite3_exec(c->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "PRAGMA foreign_keys=ON;",
                     NULL, NULL, &err) != SQLITE_OK) {
        LOGE(LOG_AREA_SERVER, "sqlite pragmas: %s", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static void conn_close(srv_dbc *c)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    memset(c, 0, sizeof(*c));
}

srv_db_status srv_db_open(const char *path, unsigned nconn, srv_db **out)
{
    srv_db *db;
    char *err = NULL;

    if (!path || !out || nconn == 0 || nconn > 64)
        return SRV_DB_ERROR;
    db = calloc(1, sizeof(*db));
    if (!db)
        return SRV_DB_ERROR;
    db->conns = calloc(nconn, sizeof(*db->conns));
    if (!db->conns)
        goto fail;
    pthread_mutex_init(&db->lock, NULL);
    pthread_cond_init(&db->freed, NULL);
    for (unsigned i = 0; i < nconn; i++, db->n++) {
        db->conns[i].pool = db;
        if (conn_open(&db->conns[i], path) != 0)
            goto fail;
    }
    if (sqlite3_exec(db->conns[0].db, schema, NULL, NULL, &err) != SQLITE_OK) {
        LOGE(LOG_AREA_SERVER, "schema: %s", err ? err : "?");
        sqlite3_free(err);
        goto fail;
    }
    *out = db;
    return SRV_DB_OK;
fail:
    srv_db_close(db);
    return SRV_DB_ERROR;
}

void srv_db_close(srv_db *db)
{
    if (!db)
        return;
    for (unsigned i = 0; db->conns && i < db->n; i++)
        conn_close(&db->conns[i]);
    if (db->conns) {
        pthread_mutex_destroy(&db->lock);
        pthread_cond_destroy(&db->freed);
    }
    free(db->conns);
    free(db);
}

srv_dbc *srv_db_acquire(srv_db *db)
{
    srv_dbc *c = NULL;

    pthread_mutex_lock(&db->lock);
    while (!c) {
        for (unsigned i = 0; i < db->n && !c; i++)
            if (!db->conns[i].busy)
                c = &db->conns[i];
        if (!c)
            pthread_cond_wait(&db->freed, &db->lock);
    }
    c->busy = 1;
    pthread_mutex_unlock(&db->lock);
    return c;
}

void srv_db_release(srv_dbc *c)
{
    srv_db *db;

    if (!c)
        return;
    if (!sqlite3_get_autocommit(c->db)) {
        /* a handler left a transaction open: never leak it to the next
         * request on this connection */
        LOGE(LOG_AREA_SERVER, "open transaction at release: rolled back");
        srv_db_rollback(c);
    }
    db = c->pool;
    pthread_mutex_lock(&db->lock);
    c->busy = 0;
    pthread_cond_signal(&db->freed);
    pthread_mutex_unlock(&db->lock);
}

/* The cached statement, reset and with bindings cleared. */
static sqlite3_stmt *stmt(srv_dbc *c, enum stmt_id id)
{
    if (!c->st[id]) {
        if (sqlite3_prepare_v3(c->db, stmt_sql[id], -1,
                               SQLITE_PREPARE_PERSISTENT, &c->st[id],
                               NULL) != SQLITE_OK) {
            LOGE(LOG_AREA_SERVER, "prepare: %s", sqlite3_errmsg(c->db));
            return NULL;
        }
    }
    sqlite3_reset(c->st[id]);
    sqlite3_clear_bindings(c->st[id]);
    return c->st[id];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Run a statement that returns no rows.  *changes (may be NULL). */
static srv_db_status run(srv_dbc *c, sqlite3_stmt *s, int *changes)
{
    int rc;

    if (!s)
        return SRV_DB_ERROR;
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        LOGW(LOG_AREA_SERVER, "sqlite: %s", sqlite3_errmsg(c->db));
        return status_from_rc(sqlite3_extended_errcode(c->db));
    }
    if (changes)
        *changes = sqlite3_changes(c->db);
    return SRV_DB_OK;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);

    return t ? strdup((const char *)t) : NULL;
}

static srv_db_status doc_from_row(sqlite3_stmt *s, srv_doc *d)
{
    d->id = col_dup(s, 0);
    d->user_id = col_dup(s, 1);
    d->parent = col_dup(s, 2);
    d->ext = col_dup(s, 3);
    d->body = col_dup(s, 4);
    d->seq = sqlite3_column_int64(s, 5);
    if (!d->id || !d->user_id || !d->body) {
        srv_doc_clear(d);
        return SRV_DB_ERROR;
    }
    return SRV_DB_OK;
}

/* Step a statement expected to return at most one doc row. */
static srv_db_status one_doc(srv_dbc *c, sqlite3_stmt *s, srv_doc *out)
{
    srv_db_status st = SRV_DB_NOT_FOUND;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!s)
        return SRV_DB_ERROR;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        st = doc_from_row(s, out);
    else if (rc != SQLITE_DONE)
        st = status_from_rc(sqlite3_extended_errcode(c->db));
    sqlite3_reset(s);
    return st;
}

srv_db_status srv_db_begin(srv_dbc *c)
{
    return run(c, stmt(c, ST_BEGIN), NULL);
}

srv_db_status srv_db_commit(srv_dbc *c)
{
    return run(c, stmt(c, ST_COMMIT), NULL);
}

void srv_db_rollback(srv_dbc *c)
{
    (void)run(c, stmt(c, ST_ROLLBACK), NULL);
}

void srv_doc_clear(srv_doc *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->user_id);
    free(d->parent);
    free(d->ext);
    free(d->body);
    memset(d, 0, sizeof(*d));
}

srv_db_status srv_doc_insert(srv_dbc *c, const char *kind, const char *id,
                             const char *user_id, const char *parent,
                             const char *ext, const char *body)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_INSERT);

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, id);
    bind_text(s, 3, user_id);
    bind_text(s, 4, parent);
    bind_text(s, 5, ext);
    bind_text(s, 6, body);
    return run(c, s, NULL);
}

srv_db_status srv_doc_update(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id, const char *body)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_UPDATE);
    int changes = 0;
    srv_db_status st;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, user_id);
    bind_text(s, 3, id);
    bind_text(s, 4, body);
    st = run(c, s, &changes);
    if (st == SRV_DB_OK && changes == 0)
        st = SRV_DB_NOT_FOUND;
    return st;
}

srv_db_status srv_doc_get(srv_dbc *c, const char *kind, const char *user_id,
                          const char *id, srv_doc *out)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_GET);

    if (s) {
        bind_text(s, 1, kind);
        bind_text(s, 2, user_id);
        bind_text(s, 3, id);
    }
    return one_doc(c, s, out);
}

srv_db_status srv_doc_get_any(srv_dbc *c, const char *kind, const char *id,
                              srv_doc *out)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_GET_ANY);

    if (s) {
        bind_text(s, 1, kind);
        bind_text(s, 2, id);
    }
    return one_doc(c, s, out);
}

srv_db_status srv_doc_find_ext(srv_dbc *c, const char *kind,
                               const char *user_id, const char *ext,
                               srv_doc *out)
{
    sqlite3_stmt *s = stmt(c, user_id ? ST_DOC_EXT : ST_DOC_EXT_ANY);

    if (s) {
        bind_text(s, 1, kind);
        if (user_id) {
            bind_text(s, 2, user_id);
            bind_text(s, 3, ext);
        } else {
            bind_text(s, 2, ext);
        }
    }
    return one_doc(c, s, out);
}

srv_db_status srv_doc_delete(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_DELETE);
    int changes = 0;
    srv_db_status st;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, user_id);
    bind_text(s, 3, id);
    st = run(c, s, &changes);
    if (st == SRV_DB_OK && changes == 0)
        st = SRV_DB_NOT_FOUND;
    return st;
}

srv_db_status srv_doc_delete_children(srv_dbc *c, const char *kind,
                                      const char *user_id, const char *parent)
{
    sqlite3_stmt *s = stmt(c, ST_DOC_DELETE_CHILDREN);

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, user_id);
    bind_text(s, 3, parent);
    return run(c, s, NULL);
}

srv_db_status srv_doc_list(srv_dbc *c, const char *kind, const char *user_id,
                           const char *parent, int64_t after_seq, srv_doc_cb cb,
                           void *ctx)
{
    sqlite3_stmt *s = stmt(c, parent ? ST_DOC_LIST_PARENT : ST_DOC_LIST);
    srv_db_status st = SRV_DB_OK;
    int rc;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, user_id);
    sqlite3_bind_int64(s, 3, after_seq);
    if (parent)
        bind_text(s, 4, parent);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        srv_doc d;
        int stop;

        memset(&d, 0, sizeof(d));
        st = doc_from_row(s, &d);
        if (st != SRV_DB_OK)
            break;
        stop = cb(&d, ctx);
        srv_doc_clear(&d);
        if (stop)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = status_from_rc(sqlite3_extended_errcode(c->db));
    sqlite3_reset(s);
    return st;
}

srv_db_status srv_token_put(srv_dbc *c, const char *hash, const char *kind,
                            const char *user_id, const char *id,
                            int64_t expires_ms)
{
    sqlite3_stmt *s = stmt(c, ST_TOKEN_PUT);

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, hash);
    bind_text(s, 2, kind);
    bind_text(s, 3, user_id);
    bind_text(s, 4, id);
    sqlite3_bind_int64(s, 5, expires_ms);
    return run(c, s, NULL);
}

srv_db_status srv_token_get(srv_dbc *c, const char *hash, const char *kind,
                            char **user_id, char **id, int64_t *expires_ms)
{
    sqlite3_stmt *s = stmt(c, ST_TOKEN_GET);
    srv_db_status st = SRV_DB_NOT_FOUND;
    int64_t exp;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, hash);
    bind_text(s, 2, kind);
    if (sqlite3_step(s) == SQLITE_ROW) {
        exp = sqlite3_column_int64(s, 2);
        if (exp > srv_now_ms()) {
            st = SRV_DB_OK;
            if (user_id)
                *user_id = col_dup(s, 0);
            if (id)
                *id = col_dup(s, 1);
            if (expires_ms)
                *expires_ms = exp;
            if ((user_id && !*user_id))
                st = SRV_DB_ERROR;
        }
    }
    sqlite3_reset(s);
    return st;
}

srv_db_status srv_token_delete(srv_dbc *c, const char *hash)
{
    sqlite3_stmt *s = stmt(c, ST_TOKEN_DELETE);

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, hash);
    return run(c, s, NULL);
}

srv_db_status srv_token_count(srv_dbc *c, const char *kind, const char *user_id,
                              long *count)
{
    sqlite3_stmt *s = stmt(c, ST_TOKEN_COUNT);
    srv_db_status st = SRV_DB_ERROR;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, kind);
    bind_text(s, 2, user_id);
    sqlite3_bind_int64(s, 3, srv_now_ms());
    if (sqlite3_step(s) == SQLITE_ROW) {
        *count = (long)sqlite3_column_int64(s, 0);
        st = SRV_DB_OK;
    }
    sqlite3_reset(s);
    return st;
}

srv_db_status srv_db_purge_expired(srv_dbc *c)
{
    sqlite3_stmt *s = stmt(c, ST_TOKEN_PURGE);
    srv_db_status st;

    if (!s)
        return SRV_DB_ERROR;
    sqlite3_bind_int64(s, 1, srv_now_ms());
    st = run(c, s, NULL);
    s = stmt(c, ST_CH_PURGE);
    if (st != SRV_DB_OK || !s)
        return SRV_DB_ERROR;
    sqlite3_bind_int64(s, 1, srv_now_ms());
    return run(c, s, NULL);
}

srv_db_status srv_challenge_put(srv_dbc *c, const char *key,
                                const char *user_id, const char *b_hex,
                                const char *B_hex, int64_t expires_ms)
{
    sqlite3_stmt *s = stmt(c, ST_CH_PUT);
    srv_db_status st;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, key);
    bind_text(s, 2, user_id);
    bind_text(s, 3, b_hex);
    bind_text(s, 4, B_hex);
    sqlite3_bind_int64(s, 5, expires_ms);
    st = run(c, s, NULL);
    /* keep the newest few pending logins per user */
    s = stmt(c, ST_CH_TRIM);
    if (st != SRV_DB_OK || !s)
        return st != SRV_DB_OK ? st : SRV_DB_ERROR;
    bind_text(s, 1, user_id);
    sqlite3_bind_int(s, 2, SRV_MAX_PENDING_LOGINS);
    return run(c, s, NULL);
}

srv_db_status srv_challenge_take(srv_dbc *c, const char *key, char **user_id,
                                 char **b_hex, char **B_hex)
{
    sqlite3_stmt *s = stmt(c, ST_CH_GET);
    srv_db_status st = SRV_DB_NOT_FOUND;

    if (!s)
        return SRV_DB_ERROR;
    bind_text(s, 1, key);
    if (sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_int64(s, 3) > srv_now_ms()) {
        *user_id = col_dup(s, 0);
        *b_hex = col_dup(s, 1);
        *B_hex = col_dup(s, 2);
        st = (*user_id && *b_hex && *B_hex) ? SRV_DB_OK : SRV_DB_ERROR;
    }
    sqlite3_reset(s);
    s = stmt(c, ST_CH_DELETE);
    if (s) {
        bind_text(s, 1, key);
        (void)run(c, s, NULL);
    }
    return st;
}
