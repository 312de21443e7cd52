/* store/vault_records.c - items and slots (Vault records). */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- items ---------------------------------------------------------- */

#define ITEM_COLS                                                              \
    "id, name, label, description, item_template_id, item_template_name,"      \
    " classification_node_ids, ordinal, created_at, updated_at"

#define ITEM_INSERT                                                            \
    "INSERT INTO items (" ITEM_COLS ")"                                        \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"

static const char sql_item_insert[] = ITEM_INSERT;
static const char sql_item_upsert[] = ITEM_INSERT
    " ON CONFLICT (id) DO UPDATE SET name = ?2, label = ?3, description = ?4, "
    "item_template_id = ?5, item_template_name = ?6, classification_node_ids = "
    "?7, ordinal = ?8, updated_at = ?10";
static const char sql_item_get[] =
    "SELECT " ITEM_COLS " FROM items WHERE id = ?1";
static const char sql_item_by_name[] =
    "SELECT " ITEM_COLS " FROM items WHERE name = ?1 ORDER BY rowid LIMIT 1";
static const char sql_item_list[] =
    "SELECT " ITEM_COLS " FROM items ORDER BY rowid";
static const char sql_item_label[] =
    "UPDATE items SET label = ?2,"
    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
static const char sql_item_touch[] =
    "UPDATE items SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    " WHERE id = ?1";
static const char sql_item_delete[] = "DELETE FROM items WHERE id = ?1";

void store_item_clear(store_item *it)
{
    if (!it)
        return;
    free((void *)it->id);
    free((void *)it->name);
    free((void *)it->label);
    free((void *)it->description);
    free((void *)it->item_template_id);
    free((void *)it->item_template_name);
    free((void *)it->classification_node_ids);
    free((void *)it->created_at);
    free((void *)it->updated_at);
    memset(it, 0, sizeof(*it));
}

void store_item_list_free(store_item *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_item_clear(&list[i]);
    free(list);
}

static int item_row(sqlite3_stmt *q, void *elem)
{
    store_item *it = elem;
    int oom = 0;
    it->id = store_col_text(q, 0, &oom);
    it->name = store_col_text(q, 1, &oom);
    it->label = store_col_text(q, 2, &oom);
    it->description = store_col_text(q, 3, &oom);
    it->item_template_id = store_col_text(q, 4, &oom);
    it->item_template_name = store_col_text(q, 5, &oom);
    it->classification_node_ids = store_col_text(q, 6, &oom);
    it->ordinal = sqlite3_column_int(q, 7);
    it->created_at = store_col_text(q, 8, &oom);
    it->updated_at = store_col_text(q, 9, &oom);
    return oom ? -1 : 0;
}

static void item_clear(void *elem)
{
    store_item_clear(elem);
}

static store_status item_write(store *s, const store_item *it, const char *sql,
                               char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !it || !it->name || !it->label)
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(it->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, it->name);
    store_bind_text(q, 3, it->label);
    store_bind_text(q, 4, it->description);
    store_bind_text(q, 5, it->item_template_id);
    store_bind_text(q, 6, it->item_template_name);
    store_bind_text(
        q, 7, it->classification_node_ids ? it->classification_node_ids : "[]");
    sqlite3_bind_int(q, 8, it->ordinal);
    store_bind_text(q, 9, it->created_at ? it->created_at : now);
    store_bind_text(q, 10, it->updated_at ? it->updated_at : now);
    st = store_stmt_exec(s, q, "item insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_item_insert(store *s, const store_item *it,
                               char id_out[STORE_UUID_LEN + 1])
{
    return item_write(s, it, sql_item_insert, id_out);
}

store_status store_item_put(store *s, const store_item *it)
{
    if (!it || !it->id)
        return STORE_ERR_ARGS;
    return item_write(s, it, sql_item_upsert, NULL);
}

store_status store_item_get(store *s, const char *id, store_item *out)
{
    if (!s || !id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_item_get, id, item_row, out);
    if (st != STORE_OK)
        store_item_clear(out);
    return st;
}

store_status store_item_get_by_name(store *s, const char *name, store_item *out)
{
    if (!s || !name || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_item_by_name, name, item_row, out);
    if (st != STORE_OK)
        store_item_clear(out);
    return st;
}

store_status store_item_list(store *s, store_item **out, size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_item_list, &st);
    if (!q)
        return st;
    return store_collect_rows(s, q, sizeof(store_item), item_row, item_clear,
                              (void **)out, n);
}

store_status store_item_set_label(store *s, const char *id, const char *label)
{
    if (!label)
        return STORE_ERR_ARGS;
    return store_exec_by_id(s, sql_item_label, id, label, "item label");
}

store_status store_item_touch(store *s, const char *id)
{
    return store_exec_by_id(s, sql_item_touch, id, NULL, "item touch");
}

store_status store_item_delete(store *s, const char *id)
{
    return store_exec_by_id(s, sql_item_delete, id, NULL, "item delete");
}

/* ---- slots ---------------------------------------------------------- */

#define SLOT_COLS                                                              \
    "id, item_id, name, label, description, slot_type_name,"                   \
    " encrypted_value, encrypted_value_verification_key,"                      \
    " value_verification_hash, ordinal, created_at, updated_at"

#define SLOT_INSERT                                                            \
    "INSERT INTO slots (" SLOT_COLS ")"                                        \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"

static const char sql_slot_insert[] = SLOT_INSERT;
static const char sql_slot_upsert[] = SLOT_INSERT
    " ON CONFLICT (id) DO UPDATE SET item_id = ?2, name = ?3, label = ?4, "
    "description = ?5, slot_type_name = ?6, encrypted_value = ?7, "
    "encrypted_value_verification_key = ?8, value_verification_hash = ?9, "
    "ordinal = ?10, updated_at = ?12";
static const char sql_slot_get[] =
    "SELECT " SLOT_COLS " FROM slots WHERE id = ?1";
/* NULL parameters match everything; the label/name/item indexes serve
 * the equality tests. */
static const char sql_slot_list[] =
    "SELECT " SLOT_COLS " FROM slots"
    " WHERE (?1 IS NULL OR item_id = ?1) AND (?2 IS NULL OR name = ?2)"
    " AND (?3 IS NULL OR label = ?3) ORDER BY rowid";
static const char sql_slot_by_label[] =
    "SELECT " SLOT_COLS " FROM slots WHERE label = ?1 ORDER BY rowid";
static const char sql_slot_by_item[] =
    "SELECT " SLOT_COLS " FROM slots WHERE item_id = ?1 ORDER BY rowid";
static const char sql_slot_count[] =
    "SELECT count(*) FROM slots WHERE item_id = ?1";
static const char sql_slot_value[] =
    "UPDATE slots SET encrypted_value = ?2,"
    " encrypted_value_verification_key = NULL, value_verification_hash = NULL,"
    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
static const char sql_slot_label[] =
    "UPDATE slots SET label = ?2,"
    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
static const char sql_slot_delete[] = "DELETE FROM slots WHERE id = ?1";

void store_slot_clear(store_slot *sl)
{
    if (!sl)
        return;
    free((void *)sl->id);
    free((void *)sl->item_id);
    free((void *)sl->name);
    free((void *)sl->label);
    free((void *)sl->description);
    free((void *)sl->slot_type_name);
    free((void *)sl->encrypted_value);
    free((void *)sl->encrypted_value_verification_key);
    free((void *)sl->value_verification_hash);
    free((void *)sl->created_at);
    free((void *)sl->updated_at);
    memset(sl, 0, sizeof(*sl));
}

void store_slot_list_free(store_slot *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_slot_clear(&list[i]);
    free(list);
}

static int slot_row(sqlite3_stmt *q, void *elem)
{
    store_slot *sl = elem;
    int oom = 0;
    sl->id = store_col_text(q, 0, &oom);
    sl->item_id = store_col_text(q, 1, &oom);
    sl->name = store_col_text(q, 2, &oom);
    sl->label = store_col_text(q, 3, &oom);
    sl->description = store_col_text(q, 4, &oom);
    sl->slot_type_name = store_col_text(q, 5, &oom);
    sl->encrypted_value = store_col_text(q, 6, &oom);
    sl->encrypted_value_verification_key = store_col_text(q, 7, &oom);
    sl->value_verification_hash = store_col_text(q, 8, &oom);
    sl->ordinal = sqlite3_column_int(q, 9);
    sl->created_at = store_col_text(q, 10, &oom);
    sl->updated_at = store_col_text(q, 11, &oom);
    return oom ? -1 : 0;
}

static void slot_clear(void *elem)
{
    store_slot_clear(elem);
}

static store_status slot_write(store *s, const store_slot *sl, const char *sql,
                               char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !sl || !sl->item_id || !sl->name || !sl->label)
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(sl->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, sl->item_id);
    store_bind_text(q, 3, sl->name);
    store_bind_text(q, 4, sl->label);
    store_bind_text(q, 5, sl->description);
    store_bind_text(q, 6,
                    sl->slot_type_name ? sl->slot_type_name : "key_value");
    store_bind_text(q, 7, sl->encrypted_value);
    store_bind_text(q, 8, sl->encrypted_value_verification_key);
    store_bind_text(q, 9, sl->value_verification_hash);
    sqlite3_bind_int(q, 10, sl->ordinal);
    store_bind_text(q, 11, sl->created_at ? sl->created_at : now);
    store_bind_text(q, 12, sl->updated_at ? sl->updated_at : now);
    st = store_stmt_exec(s, q, "slot insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_slot_insert(store *s, const store_slot *sl,
                               char id_out[STORE_UUID_LEN + 1])
{
    return slot_write(s, sl, sql_slot_insert, id_out);
}

store_status store_slot_put(store *s, const store_slot *sl)
{
    if (!sl || !sl->id)
        return STORE_ERR_ARGS;
    return slot_write(s, sl, sql_slot_upsert, NULL);
}

store_status store_slot_get(store *s, const char *id, store_slot *out)
{
    if (!s || !id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_slot_get, id, slot_row, out);
    if (st != STORE_OK)
        store_slot_clear(out);
    return st;
}

/* The generic filter query cannot use an index for an optional
 * parameter, so the common single-key lookups get their own SQL. */
static const char *slot_list_sql(const store_slot_filter *f, const char **arg)
{
    if (f && f->label && !f->item_id && !f->name) {
        *arg = f->label;
        return sql_slot_by_label;
    }
    if (f && f->item_id && !f->label && !f->name) {
        *arg = f->item_id;
        return sql_slot_by_item;
    }
    *arg = NULL;
    return sql_slot_list;
}

store_status store_slot_list(store *s, const store_slot_filter *f,
                             store_slot **out, size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    const char *arg = NULL;
    const char *sql = slot_list_sql(f, &arg);
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql, &st);
    if (!q)
        return st;
    if (sql != sql_slot_list) {
        store_bind_text(q, 1, arg);
    } else if (f) {
        store_bind_text(q, 1, f->item_id);
        store_bind_text(q, 2, f->name);
        store_bind_text(q, 3, f->label);
    }
    return store_collect_rows(s, q, sizeof(store_slot), slot_row, slot_clear,
                              (void **)out, n);
}

store_status store_slot_count(store *s, const char *item_id, size_t *n)
{
    if (!s || !item_id || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_slot_count, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, item_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(q, 0);
    store_stmt_done(q);
    return rc == SQLITE_ROW ? STORE_OK : store_rc(s, rc, "slot count");
}

store_status store_slot_set_value(store *s, const char *id,
                                  const char *encrypted_value)
{
    return store_exec_by_id(s, sql_slot_value, id, encrypted_value,
                            "slot value");
}

store_status store_slot_set_label(store *s, const char *id, const char *label)
{
    if (!label)
        return STORE_ERR_ARGS;
    return store_exec_by_id(s, sql_slot_label, id, label, "slot label");
}

store_status store_slot_delete(store *s, const char *id)
{
    return store_exec_by_id(s, sql_slot_delete, id, NULL, "slot delete");
}

/* ---- id lists ------------------------------------------------------- */

static const char sql_item_ids[] = "SELECT id FROM items ORDER BY rowid";
static const char sql_slot_ids[] = "SELECT id FROM slots ORDER BY rowid";

store_status store_item_list_ids(store *s, char ***ids, size_t *n)
{
    return store_list_ids(s, sql_item_ids, ids, n);
}

store_status store_slot_list_ids(store *s, char ***ids, size_t *n)
{
    return store_list_ids(s, sql_slot_ids, ids, n);
}
