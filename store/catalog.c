/* store/catalog.c - item templates, classification nodes, connection and
 * share records, and token-only objects. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- item templates ------------------------------------------------- */

static const char sql_tpl_insert[] =
    "INSERT INTO item_templates (id, name, label, description)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char sql_tpl_slot_insert[] =
    "INSERT INTO template_slots (id, template_id, name, label,"
    " slot_type_name, ordinal) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_tpl_by_name[] =
    "SELECT id, name, label, description FROM item_templates WHERE name = ?1";
static const char sql_tpl_list[] =
    "SELECT id, name, label, description FROM item_templates ORDER BY name";
static const char sql_tpl_slots[] =
    "SELECT name, label, slot_type_name FROM template_slots"
    " WHERE template_id = ?1 ORDER BY ordinal, rowid";

void store_template_clear(store_template *t)
{
    if (!t)
        return;
    free((void *)t->id);
    free((void *)t->name);
    free((void *)t->label);
    free((void *)t->description);
    for (size_t i = 0; t->slots && i < t->n_slots; i++) {
        free((void *)t->slots[i].name);
        free((void *)t->slots[i].label);
        free((void *)t->slots[i].slot_type_name);
    }
    free((void *)t->slots);
    memset(t, 0, sizeof(*t));
}

void store_template_list_free(store_template *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_template_clear(&list[i]);
    free(list);
}

static int tpl_row(sqlite3_stmt *q, void *elem)
{
    store_template *t = elem;
    int oom = 0;
    t->id = store_col_text(q, 0, &oom);
    t->name = store_col_text(q, 1, &oom);
    t->label = store_col_text(q, 2, &oom);
    t->description = store_col_text(q, 3, &oom);
    return oom ? -1 : 0;
}

static void tpl_clear(void *elem)
{
    store_template_clear(elem);
}

static int tpl_slot_row(sqlite3_stmt *q, void *elem)
{
    store_template_slot *ts = elem;
    int oom = 0;
    ts->name = store_col_text(q, 0, &oom);
    ts->label = store_col_text(q, 1, &oom);
    ts->slot_type_name = store_col_text(q, 2, &oom);
    return oom ? -1 : 0;
}

static void tpl_slot_clear(void *elem)
{
    store_template_slot *ts = elem;
    free((void *)ts->name);
    free((void *)ts->label);
    free((void *)ts->slot_type_name);
}

static store_status load_template_slots(store *s, store_template *t)
{
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_tpl_slots, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, t->id);
    return store_collect_rows(s, q, sizeof(store_template_slot), tpl_slot_row,
                              tpl_slot_clear, (void **)&t->slots, &t->n_slots);
}

static store_status tpl_insert_locked(store *s, const store_template *t,
                                      const char *id)
{
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_tpl_insert, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, t->name);
    store_bind_text(q, 3, t->label ? t->label : t->name);
    store_bind_text(q, 4, t->description);
    st = store_stmt_exec(s, q, "template insert");
    for (size_t i = 0; st == STORE_OK && i < t->n_slots; i++) {
        char sid[STORE_UUID_LEN + 1];
        st = store_uuid_v4(sid);
        q = st == STORE_OK ? store_stmt_get(s, sql_tpl_slot_insert, &st) : NULL;
        if (!q)
            break;
        store_bind_text(q, 1, sid);
        store_bind_text(q, 2, id);
        store_bind_text(q, 3, t->slots[i].name);
        store_bind_text(
            q, 4, t->slots[i].label ? t->slots[i].label : t->slots[i].name);
        store_bind_text(q, 5,
                        t->slots[i].slot_type_name ? t->slots[i].slot_type_name
                                                   : "key_value");
        sqlite3_bind_int(q, 6, (int)i);
        st = store_stmt_exec(s, q, "template slot insert");
    }
    return st;
}

store_status store_template_insert(store *s, const store_template *t,
                                   char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !t || !t->name || (t->n_slots && !t->slots))
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1];
    store_status st = store_pick_id(t->id, id);
    if (st != STORE_OK)
        return st;
    int own_tx = !s->in_tx;
    if (own_tx && (st = store_begin(s)) != STORE_OK)
        return st;
    st = tpl_insert_locked(s, t, id);
    if (own_tx)
        st = st == STORE_OK ? store_commit(s) : (store_rollback(s), st);
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_template_get_by_name(store *s, const char *name,
                                        store_template *out)
{
    if (!s || !name || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_tpl_by_name, name, tpl_row, out);
    if (st == STORE_OK)
        st = load_template_slots(s, out);
    if (st != STORE_OK)
        store_template_clear(out);
    return st;
}

store_status store_template_list(store *s, store_template **out, size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_tpl_list, &st);
    if (!q)
        return st;
    st = store_collect_rows(s, q, sizeof(store_template), tpl_row, tpl_clear,
                            (void **)out, n);
    for (size_t i = 0; st == STORE_OK && i < *n; i++)
        st = load_template_slots(s, &(*out)[i]);
    if (st != STORE_OK && *out) {
        store_template_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return st;
}

/* ---- classification nodes ------------------------------------------- */

static const char sql_cls_insert[] =
    "INSERT INTO classification_nodes (id, scheme, name, label, description)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_cls_list[] =
    "SELECT id, scheme, name, label, description FROM classification_nodes"
    " ORDER BY scheme, name";

static void cls_clear(void *elem)
{
    store_classification *c = elem;
    free((void *)c->id);
    free((void *)c->scheme);
    free((void *)c->name);
    free((void *)c->label);
    free((void *)c->description);
    memset(c, 0, sizeof(*c));
}

void store_classification_list_free(store_classification *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        cls_clear(&list[i]);
    free(list);
}

static int cls_row(sqlite3_stmt *q, void *elem)
{
    store_classification *c = elem;
    int oom = 0;
    c->id = store_col_text(q, 0, &oom);
    c->scheme = store_col_text(q, 1, &oom);
    c->name = store_col_text(q, 2, &oom);
    c->label = store_col_text(q, 3, &oom);
    c->description = store_col_text(q, 4, &oom);
    return oom ? -1 : 0;
}

store_status store_classification_insert(store *s,
                                         const store_classification *c,
                                         char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !c || !c->scheme || !c->name)
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1];
    store_status st = store_pick_id(c->id, id);
    if (st != STORE_OK)
        return st;
    sqlite3_stmt *q = store_stmt_get(s, sql_cls_insert, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, c->scheme);
    store_bind_text(q, 3, c->name);
    store_bind_text(q, 4, c->label ? c->label : c->name);
    store_bind_text(q, 5, c->description);
    st = store_stmt_exec(s, q, "classification insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_classification_list(store *s, store_classification **out,
                                       size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_cls_list, &st);
    if (!q)
        return st;
    return store_collect_rows(s, q, sizeof(store_classification), cls_row,
                              cls_clear, (void **)out, n);
}

/* ---- connections and shares ----------------------------------------- */

static const char sql_conn_put[] =
    "INSERT INTO connections (id, record, updated_at) VALUES (?1, ?2,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (id) DO UPDATE"
    " SET record = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
static const char sql_share_put[] =
    "INSERT INTO shares (id, record, updated_at) VALUES (?1, ?2,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (id) DO UPDATE"
    " SET record = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
static const char sql_conn_get[] =
    "SELECT record FROM connections WHERE id = ?1";
static const char sql_share_get[] = "SELECT record FROM shares WHERE id = ?1";
static const char sql_conn_delete[] = "DELETE FROM connections WHERE id = ?1";
static const char sql_share_delete[] = "DELETE FROM shares WHERE id = ?1";

/* Pick the SQL for table "connections" (0) or "shares" (1). */
static int record_table(const char *table)
{
    if (table && strcmp(table, "connections") == 0)
        return 0;
    if (table && strcmp(table, "shares") == 0)
        return 1;
    return -1;
}

store_status store_record_put(store *s, const char *table, const char *id,
                              const char *json)
{
    int t = record_table(table);
    if (!s || t < 0 || !id || !json)
        return STORE_ERR_ARGS;
    return store_exec_by_id(s, t == 0 ? sql_conn_put : sql_share_put, id, json,
                            "record put");
}

store_status store_record_get(store *s, const char *table, const char *id,
                              char **json)
{
    int t = record_table(table);
    if (!s || t < 0 || !id || !json)
        return STORE_ERR_ARGS;
    *json = NULL;
    return store_get_one(s, t == 0 ? sql_conn_get : sql_share_get, id,
                         store_text_row, json);
}

store_status store_record_delete(store *s, const char *table, const char *id)
{
    int t = record_table(table);
    if (!s || t < 0 || !id)
        return STORE_ERR_ARGS;
    return store_exec_by_id(s, t == 0 ? sql_conn_delete : sql_share_delete, id,
                            NULL, "record delete");
}

static const char sql_conn_ids[] = "SELECT id FROM connections ORDER BY rowid";
static const char sql_share_ids[] = "SELECT id FROM shares ORDER BY rowid";

store_status store_record_list_ids(store *s, const char *table, char ***ids,
                                   size_t *n)
{
    int t = record_table(table);
    if (t < 0)
        return STORE_ERR_ARGS;
    return store_list_ids(s, t == 0 ? sql_conn_ids : sql_share_ids, ids, n);
}

/* ---- token-only objects --------------------------------------------- */

static const char sql_obj_insert[] =
    "INSERT INTO token_objects (id, kind, label, data, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_obj_get[] =
    "SELECT id, kind, label, data, created_at FROM token_objects WHERE id = ?1";
static const char sql_obj_list[] =
    "SELECT id, kind, label, data, created_at FROM token_objects"
    " WHERE ?1 IS NULL OR kind = ?1 ORDER BY rowid";
static const char sql_obj_update[] =
    "UPDATE token_objects SET label = ?2, data = ?3 WHERE id = ?1";
static const char sql_obj_delete[] = "DELETE FROM token_objects WHERE id = ?1";

void store_object_clear(store_object *o)
{
    if (!o)
        return;
    free((void *)o->id);
    free((void *)o->kind);
    free((void *)o->label);
    free((void *)o->data);
    free((void *)o->created_at);
    memset(o, 0, sizeof(*o));
}

void store_object_list_free(store_object *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        store_object_clear(&list[i]);
    free(list);
}

static int obj_row(sqlite3_stmt *q, void *elem)
{
    store_object *o = elem;
    int oom = 0;
    o->id = store_col_text(q, 0, &oom);
    o->kind = store_col_text(q, 1, &oom);
    o->label = store_col_text(q, 2, &oom);
    int len = sqlite3_column_bytes(q, 3);
    const void *blob = sqlite3_column_blob(q, 3);
    if (blob && len > 0) {
        uint8_t *copy = malloc((size_t)len);
        if (copy)
            memcpy(copy, blob, (size_t)len);
        else
            oom = 1;
        o->data = copy;
        o->data_len = (size_t)len;
    }
    o->created_at = store_col_text(q, 4, &oom);
    return oom ? -1 : 0;
}

static void obj_clear(void *elem)
{
    store_object_clear(elem);
}

store_status store_object_insert(store *s, const store_object *o,
                                 char id_out[STORE_UUID_LEN + 1])
{
    if (!s || !o || !o->kind || (o->data_len && !o->data))
        return STORE_ERR_ARGS;
    char id[STORE_UUID_LEN + 1], now[21];
    store_status st = store_pick_id(o->id, id);
    if (st != STORE_OK)
        return st;
    store_now(now);
    sqlite3_stmt *q = store_stmt_get(s, sql_obj_insert, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, o->kind);
    store_bind_text(q, 3, o->label);
    sqlite3_bind_blob(q, 4, o->data, (int)o->data_len, SQLITE_TRANSIENT);
    store_bind_text(q, 5, o->created_at ? o->created_at : now);
    st = store_stmt_exec(s, q, "object insert");
    if (st == STORE_OK && id_out)
        strcpy(id_out, id);
    return st;
}

store_status store_object_get(store *s, const char *id, store_object *out)
{
    if (!s || !id || !out)
        return STORE_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    store_status st = store_get_one(s, sql_obj_get, id, obj_row, out);
    if (st != STORE_OK)
        store_object_clear(out);
    return st;
}

store_status store_object_list(store *s, const char *kind, store_object **out,
                               size_t *n)
{
    if (!s || !out || !n)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_obj_list, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, kind);
    return store_collect_rows(s, q, sizeof(store_object), obj_row, obj_clear,
                              (void **)out, n);
}

store_status store_object_update(store *s, const char *id, const char *label,
                                 const uint8_t *data, size_t data_len)
{
    if (!s || !id || (data_len && !data) || data_len > 0x7fffffff)
        return STORE_ERR_ARGS;
    store_status st = STORE_OK;
    sqlite3_stmt *q = store_stmt_get(s, sql_obj_update, &st);
    if (!q)
        return st;
    store_bind_text(q, 1, id);
    store_bind_text(q, 2, label);
    sqlite3_bind_blob(q, 3, data, (int)data_len, SQLITE_TRANSIENT);
    return store_stmt_exec_changed(s, q, "object update");
}

store_status store_object_delete(store *s, const char *id)
{
    return store_exec_by_id(s, sql_obj_delete, id, NULL, "object delete");
}
