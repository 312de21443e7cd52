/* store/keys.c - data_encryption_keys and keypairs (Keystore records). */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- data_encryption_keys ------------------------------------------- */

#define DEK_COLS "id, serialized_data_encryption_key, label, created_at"

#define DEK_INSERT                                                             \
    "INSERT INTO data_encryption_keys (" DEK_COLS ") VALUES (?1, ?2, ?3, ?4)"

static const char sql_dek_insert[] = DEK_INSERT;
static const char sql_dek_upsert[] = DEK_INSERT
    " ON CONFLICT (id) DO UPDATE SET serialized_data_encryption_key = ?2, "
    "label = ?3";
static const char sql_dek_get[] =
    "SELECT " DEK_COLS " FROM data_encryption_keys WHERE id = ?1";
static const char sql_dek_list[] =
    "SELECT " DEK_COLS " FROM data_encryption_keys ORDER BY rowid";
static const char sql_dek_label[] =
    "UPDATE data_encryption_keys SET label = ?2 WHERE id = ?1";
static const char sql_dek_delete[] =
    "DELETE FROM data_encryption_keys WHERE id = ?1";

void store_dek_clear(store_dek *d)
{
    if (!d)
        return;
    free((void *)d->id);
    free((void *)d->serialized_data_encryption_key);
    free((void *)d->label);
    free((void *)d->created_at);
    memset(d, 0, sizeof(*d));
}

void store_dek_list_free(store_dek *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_dek_clear(&list[i]);
    free(list);
}

static int dek_row(sqlite3_stmt *q, void *elem)
{
    store_dek *d = elem;
    int oom = 0;
    d->id = store_col_text(q, 0, &oom);
    d->serialized_data_encryption_key = store_col_text(q, 1, &oom);
    d->label = store_col_text(q, 2, &oom);
    d->created_at = store_col_text(q, 3, &oom);
    return oom ? -1 : 0;
}

static void dek_clear(void *elem)
{
    store_dek_clear(elem);
}

static store_status dek_write(store *s, const store_dek *d, const char *sql,
                              char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !d || !d->serialized_data_encryption_key)
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(d->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, d->serialized_data_encryption_key);
    store_bind_text(q, 3, d->label);
    store_bind_text(q, 4, d->created_at ? d->created_at : now);
    st = store_stmt_exec(s, q, "dek insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_dek_insert(store *s, const store_dek *d,
                              char id_out[STORE_UUID_LEN + 1])
{
    return dek_write(s, d, sql_dek_insert, id_out);
}

store_status store_dek_put(store *s, const store_dek *d)
{
    if (!d || !d->id)
        return STORE_ERR_ARGS;
    return dek_write(s, d, sql_dek_upsert, NULL);
}

store_status store_dek_get(store *s, const char *id, store_dek *out)
{
    if (!s || !id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_dek_get, id, dek_row, out);
    if (st != STORE_OK)
        store_dek_clear(out);
    return st;
}

store_status store_dek_list(store *s, store_dek **out, size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_dek_list, &st);
    if (!q)
        return st;
    return store_collect_rows(s, q, sizeof(store_dek), dek_row, dek_clear,
                              (void **)out, n);
}

store_status store_dek_set_label(store *s, const char *id, const char *label)
{
    return store_exec_by_id(s, sql_dek_label, id, label, "dek label");
}

store_status store_dek_delete(store *s, const char *id)
{
    return store_exec_by_id(s, sql_dek_delete, id, NULL, "dek delete");
}

/* ---- keypairs ------------------------------------------------------- */

#define KP_COLS                                                                \
    "id, public_key, encrypted_serialized_key, metadata,"                      \
    " external_identifiers, key_type, bits, label, created_at"

#define KP_INSERT                                                              \
    "INSERT INTO keypairs (" KP_COLS ")"                                       \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"

static const char sql_kp_insert[] = KP_INSERT;
static const char sql_kp_upsert[] = KP_INSERT
    " ON CONFLICT (id) DO UPDATE SET public_key = ?2, encrypted_serialized_key "
    "= ?3, metadata = ?4, external_identifiers = ?5, key_type = ?6, bits = ?7, "
    "label = ?8";
static const char sql_kp_get[] =
    "SELECT " KP_COLS " FROM keypairs WHERE id = ?1";
static const char sql_kp_by_ext[] =
    "SELECT " KP_COLS " FROM keypairs WHERE EXISTS"
    " (SELECT 1 FROM json_each(keypairs.external_identifiers)"
    "  WHERE json_each.value = ?1) ORDER BY rowid LIMIT 1";
static const char sql_kp_list[] =
    "SELECT " KP_COLS " FROM keypairs ORDER BY rowid";
static const char sql_kp_label[] =
    "UPDATE keypairs SET label = ?2 WHERE id = ?1";
static const char sql_kp_delete[] = "DELETE FROM keypairs WHERE id = ?1";

void store_keypair_clear(store_keypair *k)
{
    if (!k)
        return;
    free((void *)k->id);
    free((void *)k->public_key);
    free((void *)k->encrypted_serialized_key);
    free((void *)k->metadata);
    free((void *)k->external_identifiers);
    free((void *)k->key_type);
    free((void *)k->label);
    free((void *)k->created_at);
    memset(k, 0, sizeof(*k));
}

void store_keypair_list_free(store_keypair *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_keypair_clear(&list[i]);
    free(list);
}

static int kp_row(sqlite3_stmt *q, void *elem)
{
    store_keypair *k = elem;
    int oom = 0;
    k->id = store_col_text(q, 0, &oom);
    k->public_key = store_col_text(q, 1, &oom);
    k->encrypted_serialized_key = store_col_text(q, 2, &oom);
    k->metadata = store_col_text(q, 3, &oom);
    k->external_identifiers = store_col_text(q, 4, &oom);
    k->key_type = store_col_text(q, 5, &oom);
    k->bits = sqlite3_column_int(q, 6);
    k->label = store_col_text(q, 7, &oom);
    k->created_at = store_col_text(q, 8, &oom);
    return oom ? -1 : 0;
}

static void kp_clear(void *elem)
{
    store_keypair_clear(elem);
}

static store_status keypair_write(store *s, const store_keypair *k,
                                  const char *sql,
                                  char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !k || !k->public_key || !k->encrypted_serialized_key)
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(k->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, k->public_key);
    store_bind_text(q, 3, k->encrypted_serialized_key);
    store_bind_text(q, 4, k->metadata ? k->metadata : "{}");
    store_bind_text(q, 5,
                    k->external_identifiers ? k->external_identifiers : "[]");
    store_bind_text(q, 6, k->key_type ? k->key_type : "rsa");
    sqlite3_bind_int(q, 7, k->bits);
    store_bind_text(q, 8, k->label);
    store_bind_text(q, 9, k->created_at ? k->created_at : now);
    st = store_stmt_exec(s, q, "keypair insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_keypair_insert(store *s, const store_keypair *k,
                                  char id_out[STORE_UUID_LEN + 1])
{
    return keypair_write(s, k, sql_kp_insert, id_out);
}

store_status store_keypair_put(store *s, const store_keypair *k)
{
    if (!k || !k->id)
        return STORE_ERR_ARGS;
    return keypair_write(s, k, sql_kp_upsert, NULL);
}

store_status store_keypair_get(store *s, const char *id, store_keypair *out)
{
    if (!s || !id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_kp_get, id, kp_row, out);
    if (st != STORE_OK)
        store_keypair_clear(out);
    return st;
}

store_status store_keypair_get_by_external_id(store *s, const char *ext_id,
                                              store_keypair *out)
{
    if (!s || !ext_id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_kp_by_ext, ext_id, kp_row, out);
    if (st != STORE_OK)
        store_keypair_clear(out);
    return st;
}

store_status store_keypair_list(store *s, store_keypair **out, size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_kp_list, &st);
    if (!q)
        return st;
    return store_collect_rows(s, q, sizeof(store_keypair), kp_row, kp_clear,
                              (void **)out, n);
}

store_status store_keypair_set_label(store *s, const char *id,
                                     const char *label)
{
    return store_exec_by_id(s, sql_kp_label, id, label, "keypair label");
}

store_status store_keypair_delete(store *s, const char *id)
{
    return store_exec_by_id(s, sql_kp_delete, id, NULL, "keypair delete");
}
