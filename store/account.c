/* store/account.c - the account row, meta pairs and the key_encryption_key. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "secbuf.h"

/* ---- account -------------------------------------------------------- */

static const char sql_account_get[] =
    "SELECT username, secret_key, label, so_wrapped_kek, private_dek_id,"
    " vault_user_id, created_at, updated_at FROM account WHERE singleton = 1";

static const char sql_account_put[] =
    "INSERT INTO account (singleton, username, secret_key, label,"
    " so_wrapped_kek, private_dek_id, vault_user_id, created_at, updated_at)"
    " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (singleton) DO UPDATE SET username = ?1, secret_key = ?2,"
    " label = ?3, so_wrapped_kek = ?4, private_dek_id = ?5,"
    " vault_user_id = ?6, updated_at = ?8";

void store_account_clear(store_account *a)
{
    if (!a)
        return;
    free((void *)a->username);
    if (a->secret_key)
        secure_free((void *)a->secret_key, strlen(a->secret_key));
    free((void *)a->label);
    free((void *)a->so_wrapped_kek);
    free((void *)a->private_dek_id);
    free((void *)a->vault_user_id);
    free((void *)a->created_at);
    free((void *)a->updated_at);
    memset(a, 0, sizeof(*a));
}

store_status store_account_get(store *s, store_account *out)
{
    if (!s || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_account_get, &st);
    if (!q)
        return st;
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        store_stmt_done(q);
        return rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND
                                 : store_rc(s, rc, "account get");
    }
    int oom = 0;
    out->username = store_col_text(q, 0, &oom);
    out->secret_key = store_col_text(q, 1, &oom);
    out->label = store_col_text(q, 2, &oom);
    out->so_wrapped_kek = store_col_text(q, 3, &oom);
    out->private_dek_id = store_col_text(q, 4, &oom);
    out->vault_user_id = store_col_text(q, 5, &oom);
    out->created_at = store_col_text(q, 6, &oom);
    out->updated_at = store_col_text(q, 7, &oom);
    store_stmt_done(q);
    if (oom) {
        store_account_clear(out);
        return STORE_ERR_NOMEM;
    }
    return STORE_OK;
}

store_status store_account_put(store *s, const store_account *a)
{
    if (!s || !a || !a->username)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_account_put, &st);
    if (!q)
        return st;
    char now[21];
    store_now(now);
    store_bind_text(q, 1, a->username);
    store_bind_text(q, 2, a->secret_key);
    store_bind_text(q, 3, a->label ? a->label : "");
    store_bind_text(q, 4, a->so_wrapped_kek);
    store_bind_text(q, 5, a->private_dek_id);
    store_bind_text(q, 6, a->vault_user_id);
    store_bind_text(q, 7, a->created_at ? a->created_at : now);
    store_bind_text(q, 8, now);
    return store_stmt_exec(s, q, "account put");
}

/* ---- meta ----------------------------------------------------------- */

static const char sql_meta_get[] = "SELECT value FROM meta WHERE key = ?1";
static const char sql_meta_set[] =
    "INSERT INTO meta (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = ?2";
static const char sql_meta_delete[] = "DELETE FROM meta WHERE key = ?1";

store_status store_data_version(store *s, unsigned *version)
{
    if (!s || !version)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, "PRAGMA data_version", &st);
    if (!q)
        return st;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *version = (unsigned)sqlite3_column_int64(q, 0);
    store_stmt_done(q);
    return rc == SQLITE_ROW ? STORE_OK : store_rc(s, rc, "data_version");
}

store_status store_meta_get(store *s, const char *key, char **value)
{
    if (!s || !key || !value)
        return STORE_ERR_ARGS;
    *value = NULL;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_meta_get, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, key);
    int rc = sqlite3_step(q);
    int oom = 0;
    if (rc == SQLITE_ROW)
        *value = store_col_text(q, 0, &oom);
    store_stmt_done(q);
    if (rc == SQLITE_DONE)
        return STORE_ERR_NOT_FOUND;
    if (rc != SQLITE_ROW)
        return store_rc(s, rc, "meta get");
    return oom ? STORE_ERR_NOMEM : STORE_OK;
}

store_status store_meta_set(store *s, const char *key, const char *value)
{
    if (!s || !key)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_meta_set, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, key);
    store_bind_text(q, 2, value);
    return store_stmt_exec(s, q, "meta set");
}

store_status store_meta_delete(store *s, const char *key)
{
    if (!s || !key)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_meta_delete, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, key);
    return store_stmt_exec_changed(s, q, "meta delete");
}

/* ---- key_encryption_key --------------------------------------------- */

static const char sql_kek_get[] =
    "SELECT id, serialized_key_encryption_key, created_at"
    " FROM key_encryption_key ORDER BY rowid LIMIT 1";
static const char sql_kek_clear[] = "DELETE FROM key_encryption_key";
static const char sql_kek_insert[] =
    "INSERT INTO key_encryption_key (id, serialized_key_encryption_key,"
    " created_at) VALUES (?1, ?2, ?3)";

void store_kek_clear(store_kek *k)
{
    if (!k)
        return;
    free((void *)k->id);
    free((void *)k->serialized_key_encryption_key);
    free((void *)k->created_at);
    memset(k, 0, sizeof(*k));
}

store_status store_kek_get(store *s, store_kek *out)
{
    if (!s || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_kek_get, &st);
    if (!q)
        return st;
    int rc = sqlite3_step(q);
    int oom = 0;
    if (rc == SQLITE_ROW) {
        out->id = store_col_text(q, 0, &oom);
        out->serialized_key_encryption_key = store_col_text(q, 1, &oom);
        out->created_at = store_col_text(q, 2, &oom);
    }
    store_stmt_done(q);
    if (rc == SQLITE_DONE)
        return STORE_ERR_NOT_FOUND;
    if (rc != SQLITE_ROW)
        return store_rc(s, rc, "kek get");
    if (oom) {
        store_kek_clear(out);
        return STORE_ERR_NOMEM;
    }
    return STORE_OK;
}

store_status store_kek_delete(store *s)
{
    if (!s)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_kek_clear, &st);
    return q ? store_stmt_exec(s, q, "kek delete") : st;
}

static store_status kek_put_locked(store *s, const store_kek *k)
{
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(k->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    st = store_kek_delete(s);
    if (st != STORE_OK)
        return st;
    sqlite3_stmt *q = store_stmt_get(s, sql_kek_insert, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, k->serialized_key_encryption_key);
    store_bind_text(q, 3, k->created_at ? k->created_at : now);
    return store_stmt_exec(s, q, "kek insert");
}

store_status store_kek_put(store *s, const store_kek *k)
{
    if (!s || !k || !k->serialized_key_encryption_key)
        return STORE_ERR_ARGS;
    if (s->in_tx)
        return kek_put_locked(s, k);
    store_status st = store_begin(s);
    if (st != STORE_OK)
        return st;
    st = kek_put_locked(s, k);
    if (st != STORE_OK) {
        store_rollback(s);
        return st;
    }
    return store_commit(s);
}
