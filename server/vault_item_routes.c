/* server/vault_item_routes.c - items and slots (meeco-protocol.md 6.2,
 * 6.3):
 *
 *   GET /items (filters, cursor paging)   POST /items
 *   GET|PUT|DELETE /items/{id}            GET|DELETE /slots/{id}
 *
 * Slot values arrive encrypted (Cryppo strings, syntax-checked); a
 * plaintext "value" is refused.  Items created from a template get the
 * template's slots (empty) plus the ones sent.  Items received through a
 * share (own: false) are read-only for their holder.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "validate.h"
#include "vault_common.h"
#include "vault_items.h"

#define MAX_SLOTS 200

static const char *const slot_types[] = {"key_value",
                                         "bool",
                                         "date",
                                         "datetime",
                                         "image",
                                         "url",
                                         "phone_number",
                                         "email",
                                         "password",
                                         "attachment",
                                         "attachments_folder",
                                         "classification_node",
                                         "note_text",
                                         "select",
                                         "color",
                                         NULL};

static int slot_type_ok(const char *t)
{
    for (size_t i = 0; slot_types[i]; i++)
        if (strcmp(slot_types[i], t) == 0)
            return 1;
    return 0;
}

/* ---- slots --------------------------------------------------------------- */

static cJSON *new_slot(const char *item_id, const char *owner_id,
                       const char *name, const char *label, long ordinal)
{
    cJSON *s = cJSON_CreateObject();

    srv_set_new_id(s);
    cJSON_AddTrueToObject(s, "own");
    cJSON_AddNullToObject(s, "share_id");
    cJSON_AddStringToObject(s, "name", name);
    cJSON_AddNullToObject(s, "description");
    cJSON_AddNumberToObject(s, "ordinal", (double)ordinal);
    cJSON_AddTrueToObject(s, "visible");
    cJSON_AddArrayToObject(s, "classification_node_ids");
    cJSON_AddNullToObject(s, "attachment_id");
    cJSON_AddStringToObject(s, "item_id", item_id);
    cJSON_AddFalseToObject(s, "required");
    srv_set_now(s, "created_at");
    srv_set_now(s, "updated_at");
    cJSON_AddStringToObject(s, "slot_type_name", "key_value");
    cJSON_AddStringToObject(s, "creator", "user");
    cJSON_AddNullToObject(s, "encrypted_value");
    cJSON_AddNullToObject(s, "encrypted_value_verification_key");
    cJSON_AddNullToObject(s, "value_verification_hash");
    cJSON_AddFalseToObject(s, "encrypted"); /* v-22 */
    cJSON_AddNullToObject(s, "image");      /* v-22 */
    srv_set_str(s, "label", label ? label : name);
    cJSON_AddNullToObject(s, "original_id");
    cJSON_AddStringToObject(s, "owner_id", owner_id);
    return s;
}

/* Apply one slots_attributes entry to slot record s. */
static int slot_apply(cJSON *s, const cJSON *a, srv_resp *rs)
{
    const char *label, *type, *ev, *evk, *hash, *desc;
    long ordinal = -1;
    int visible = -1;

    if (cJSON_GetObjectItemCaseSensitive(a, "value") &&
        !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "value"))) {
        srv_resp_error(rs, 422, "plaintext_value",
                       "slot values must be sent encrypted "
                       "(encrypted_value), never as 'value'");
        return -1;
    }
    if (srv_json_string(a, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(a, "slot_type_name", SRV_OPTIONAL, 64, &type, rs) ||
        srv_json_string(a, "description", SRV_OPTIONAL, SRV_MAX_TEXT, &desc,
                        rs) ||
        srv_json_cryppo(a, "encrypted_value", SRV_OPTIONAL, &ev, rs) ||
        srv_json_cryppo(a, "encrypted_value_verification_key", SRV_OPTIONAL,
                        &evk, rs) ||
        srv_json_hex(a, "value_verification_hash", SRV_OPTIONAL, 64, &hash,
                     rs) ||
        srv_json_int(a, "ordinal", 0, 100000, &ordinal, rs) ||
        srv_json_bool(a, "visible", &visible, rs))
        return -1;
    if (type && !slot_type_ok(type)) {
        srv_resp_error(rs, 422, "validation_error",
                       "unknown slot_type_name '%s'", type);
        return -1;
    }
    if (label)
        srv_set_str(s, "label", label);
    if (type)
        srv_set_str(s, "slot_type_name", type);
    if (desc)
        srv_set_str(s, "description", desc);
    if (cJSON_HasObjectItem(a, "encrypted_value")) {
        srv_set_str(s, "encrypted_value", ev);
        srv_set_item(s, "encrypted", cJSON_CreateBool(ev != NULL));
    }
    if (cJSON_HasObjectItem(a, "encrypted_value_verification_key"))
        srv_set_str(s, "encrypted_value_verification_key", evk);
    if (cJSON_HasObjectItem(a, "value_verification_hash"))
        srv_set_str(s, "value_verification_hash", hash);
    if (ordinal >= 0)
        srv_set_item(s, "ordinal", cJSON_CreateNumber((double)ordinal));
    if (visible >= 0)
        srv_set_item(s, "visible", cJSON_CreateBool(visible));
    srv_set_now(s, "updated_at");
    return 0;
}

/* The slot's name: "name", else sanitized "label". */
static char *slot_name(const cJSON *a, srv_resp *rs)
{
    const char *name, *label;

    if (srv_json_string(a, "name", SRV_OPTIONAL, SRV_MAX_NAME, &name, rs) ||
        srv_json_string(a, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs))
        return NULL;
    if (name && *name)
        return srv_sanitize_name(name);
    if (label && *label)
        return srv_sanitize_name(label);
    srv_resp_error(rs, 422, "validation_error",
                   "each slot needs a name or a label");
    return NULL;
}

/* ---- slot sets: the slots of one item, in memory ---------------------- */

/* Find a slot in arr by name. */
static cJSON *slot_by_name(cJSON *arr, const char *name)
{
    cJSON *s;

    cJSON_ArrayForEach(s, arr)
    {
        const char *n = srv_str(s, "name");
        if (n && strcmp(n, name) == 0)
            return s;
    }
    return NULL;
}

static cJSON *slot_by_id(cJSON *arr, const char *id)
{
    cJSON *s;

    cJSON_ArrayForEach(s, arr)
    {
        const char *n = srv_str(s, "id");
        if (n && strcmp(n, id) == 0)
            return s;
    }
    return NULL;
}

/* Merge slots_attributes into slots (array of slot records): by id, else
 * by name, else a new slot; "_destroy" marks a slot for deletion by
 * moving it to removed. */
static int slots_merge(cJSON *slots, cJSON *removed, const cJSON *attrs,
                       const char *item_id, const char *owner_id, srv_resp *rs)
{
    const cJSON *a;

    cJSON_ArrayForEach(a, attrs)
    {
        const char *id = NULL;
        char *name = NULL;
        int destroy = 0;
        cJSON *s = NULL;

        if (!cJSON_IsObject(a)) {
            srv_resp_error(rs, 400, "invalid_parameter",
                           "slots_attributes entries must be objects");
            return -1;
        }
        if (srv_json_string(a, "id", SRV_OPTIONAL, SRV_MAX_NAME, &id, rs) ||
            srv_json_bool(a, "_destroy", &destroy, rs))
            return -1;
        if (id && !(s = slot_by_id(slots, id))) {
            srv_resp_error(rs, 404, "record_not_found",
                           "slot %s is not part of this item", id);
            return -1;
        }
        if (!s) {
            name = slot_name(a, rs);
            if (!name)
                return -1;
            s = slot_by_name(slots, name);
        }
        if (destroy && s) {
            cJSON_AddItemToArray(removed, cJSON_DetachItemViaPointer(slots, s));
            free(name);
            continue;
        }
        if (!s) {
            if (cJSON_GetArraySize(slots) >= MAX_SLOTS) {
                free(name);
                srv_resp_error(rs, 422, "validation_error",
                               "an item has at most %d slots", MAX_SLOTS);
                return -1;
            }
            s = new_slot(item_id, owner_id, name, NULL,
                         cJSON_GetArraySize(slots));
            cJSON_AddItemToArray(slots, s);
        }
        free(name);
        if (slot_apply(s, a, rs) != 0)
            return -1;
    }
    return 0;
}

/* Write all slots: insert new ones, update existing ones. */
static srv_db_status slots_store(srv_dbc *c, const char *user_id,
                                 const char *item_id, const cJSON *slots)
{
    const cJSON *s;

    cJSON_ArrayForEach(s, slots)
    {
        srv_db_status st = srv_rec_save(c, "slot", user_id, s);

        if (st == SRV_DB_NOT_FOUND)
            st = srv_rec_insert(c, "slot", user_id, item_id, NULL, s);
        if (st != SRV_DB_OK)
            return st;
    }
    return SRV_DB_OK;
}

static int collect_slot(const srv_doc *d, void *ctx)
{
    cJSON *rec = cJSON_Parse(d->body);

    if (rec)
        cJSON_AddItemToArray(ctx, rec);
    return 0;
}

cJSON *srv_item_slots_load(srv_dbc *c, const char *user_id, const char *item_id)
{
    cJSON *arr = cJSON_CreateArray();

    (void)srv_doc_list(c, "slot", user_id, item_id, 0, collect_slot, arr);
    return arr;
}

/* ---- items ------------------------------------------------------------------
 */

cJSON *srv_item_new(const char *owner_id, const char *label, const char *name)
{
    cJSON *it = cJSON_CreateObject();

    srv_set_new_id(it);
    cJSON_AddTrueToObject(it, "own");
    cJSON_AddStringToObject(it, "name", name);
    cJSON_AddStringToObject(it, "label", label);
    cJSON_AddNullToObject(it, "description");
    srv_set_now(it, "created_at");
    cJSON_AddNullToObject(it, "item_template_id");
    cJSON_AddNumberToObject(it, "ordinal", 1);
    cJSON_AddTrueToObject(it, "visible");
    srv_set_now(it, "updated_at");
    cJSON_AddNullToObject(it, "item_template_label");
    cJSON_AddNullToObject(it, "image");
    cJSON_AddNullToObject(it, "item_image");
    cJSON_AddArrayToObject(it, "classification_node_ids");
    cJSON_AddNullToObject(it, "original_id");
    cJSON_AddStringToObject(it, "owner_id", owner_id);
    cJSON_AddNullToObject(it, "share_id");
    /* v-22 (SDK 0.0.13) fields */
    cJSON_AddNullToObject(it, "item_image_background_colour");
    cJSON_AddArrayToObject(it, "association_ids");
    cJSON_AddArrayToObject(it, "associations_to_ids");
    cJSON_AddTrueToObject(it, "me");
    cJSON_AddNullToObject(it, "background_color");
    return it;
}

/* Template by name (system or user's own): sets template fields on the
 * item and returns its slots as new empty slots. */
static int apply_template(srv_req *rq, cJSON *item, const char *tname,
                          cJSON *slots, srv_resp *rs)
{
    cJSON *tpl = srv_template_find(rq->db, rq->user_id, tname);
    cJSON *tslots, *ts;

    if (!tpl) {
        srv_resp_error(rs, 404, "record_not_found",
                       "no item template named '%s'", tname);
        return -1;
    }
    srv_set_str(item, "item_template_id", srv_str(tpl, "id"));
    srv_set_str(item, "item_template_label", srv_str(tpl, "label"));
    tslots = srv_template_slots(rq->db, tpl);
    cJSON_ArrayForEach(ts, tslots)
    {
        cJSON *s =
            new_slot(srv_str(item, "id"), rq->user_id, srv_str(ts, "name"),
                     srv_str(ts, "label"), cJSON_GetArraySize(slots));
        srv_set_str(s, "slot_type_name", srv_str(ts, "slot_type_name"));
        srv_set_str(s, "creator", "system");
        cJSON_AddItemToArray(slots, s);
    }
    cJSON_Delete(tslots);
    cJSON_Delete(tpl);
    return 0;
}

static int item_apply(srv_req *rq, cJSON *item, const cJSON *in, srv_resp *rs)
{
    const char *label, *desc;
    const cJSON *nodes;
    cJSON *ids;

    if (srv_json_string(in, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(in, "description", SRV_OPTIONAL, SRV_MAX_TEXT, &desc,
                        rs) ||
        srv_json_array(in, "classification_nodes_attributes", SRV_OPTIONAL, 64,
                       &nodes, rs))
        return -1;
    if (label)
        srv_set_str(item, "label", label);
    if (desc)
        srv_set_str(item, "description", desc);
    if (nodes) {
        ids = srv_nodes_resolve(rq->db, rq->user_id, nodes, rs);
        if (!ids)
            return -1;
        srv_set_item(item, "classification_node_ids", ids);
    }
    srv_set_now(item, "updated_at");
    return 0;
}

static srv_db_status item_store_new(srv_dbc *c, const char *user_id,
                                    const cJSON *item, const cJSON *slots)
{
    srv_db_status st;

    if (srv_db_begin(c) != SRV_DB_OK)
        return SRV_DB_ERROR;
    st = srv_rec_insert(c, "item", user_id, NULL, NULL, item);
    if (st == SRV_DB_OK)
        st = slots_store(c, user_id, srv_str(item, "id"), slots);
    if (st == SRV_DB_OK)
        st = srv_db_commit(c);
    if (st != SRV_DB_OK)
        srv_db_rollback(c);
    return st;
}

static void item_create(srv_req *rq, srv_resp *rs)
{
    const cJSON *in, *attrs;
    const char *label, *tname, *name_in;
    cJSON *item = NULL, *slots = cJSON_CreateArray();
    cJSON *removed = cJSON_CreateArray();
    char *name = NULL;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_object(rq->body, "item", SRV_REQUIRED, &in, rs) ||
        srv_json_string(in, "label", SRV_REQUIRED, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(in, "name", SRV_OPTIONAL, SRV_MAX_NAME, &name_in, rs) ||
        srv_json_string(rq->body, "template_name", SRV_OPTIONAL, SRV_MAX_NAME,
                        &tname, rs) ||
        srv_json_array(in, "slots_attributes", SRV_OPTIONAL, MAX_SLOTS, &attrs,
                       rs))
        goto out;
    name = srv_sanitize_name(name_in ? name_in : label);
    item = srv_item_new(rq->user_id, label, name);
    if ((tname && apply_template(rq, item, tname, slots, rs)) ||
        item_apply(rq, item, in, rs) ||
        slots_merge(slots, removed, attrs, srv_str(item, "id"), rq->user_id,
                    rs))
        goto out;
    st = item_store_new(rq->db, rq->user_id, item, slots);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "item");
    else
        srv_resp_json(rs, 201, srv_item_response(rq->db, rq->user_id, item));
out:
    free(name);
    cJSON_Delete(item);
    cJSON_Delete(slots);
    cJSON_Delete(removed);
}

static void item_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *item = srv_rec_load(rq->db, "item", rq->user_id, rq->params[0], &st);

    if (!item) {
        srv_resp_db_error(rs, st, "item");
        return;
    }
    srv_resp_json(rs, 200, srv_item_response(rq->db, rq->user_id, item));
    cJSON_Delete(item);
}

static srv_db_status item_store_update(srv_dbc *c, const char *user_id,
                                       const cJSON *item, const cJSON *slots,
                                       const cJSON *removed)
{
    const cJSON *s;
    srv_db_status st;

    if (srv_db_begin(c) != SRV_DB_OK)
        return SRV_DB_ERROR;
    st = srv_rec_save(c, "item", user_id, item);
    if (st == SRV_DB_OK)
        st = slots_store(c, user_id, srv_str(item, "id"), slots);
    cJSON_ArrayForEach(s, removed)
    {
        if (st == SRV_DB_OK)
            st = srv_doc_delete(c, "slot", user_id, srv_str(s, "id"));
    }
    if (st == SRV_DB_OK)
        st = srv_tasks_item_changed(c, user_id, srv_str(item, "id"));
    if (st == SRV_DB_OK)
        st = srv_db_commit(c);
    if (st != SRV_DB_OK)
        srv_db_rollback(c);
    return st;
}

static void item_update(srv_req *rq, srv_resp *rs)
{
    const cJSON *in, *attrs;
    cJSON *item, *slots = NULL, *removed = cJSON_CreateArray();
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_object(rq->body, "item", SRV_REQUIRED, &in, rs) ||
        srv_json_array(in, "slots_attributes", SRV_OPTIONAL, MAX_SLOTS, &attrs,
                       rs)) {
        cJSON_Delete(removed);
        return;
    }
    item = srv_rec_load(rq->db, "item", rq->user_id, rq->params[0], &st);
    if (!item) {
        srv_resp_db_error(rs, st, "item");
        goto out;
    }
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "own"))) {
        srv_resp_error(rs, 403, "forbidden",
                       "items received through a share are read-only");
        goto out;
    }
    slots = srv_item_slots_load(rq->db, rq->user_id, rq->params[0]);
    if (item_apply(rq, item, in, rs) ||
        slots_merge(slots, removed, attrs, rq->params[0], rq->user_id, rs))
        goto out;
    st = item_store_update(rq->db, rq->user_id, item, slots, removed);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "item");
    else
        srv_resp_json(rs, 200, srv_item_response(rq->db, rq->user_id, item));
out:
    cJSON_Delete(item);
    cJSON_Delete(slots);
    cJSON_Delete(removed);
}

static void item_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;

    if (srv_db_begin(rq->db) != SRV_DB_OK) {
        srv_resp_db_error(rs, SRV_DB_ERROR, "item");
        return;
    }
    st = srv_doc_delete(rq->db, "item", rq->user_id, rq->params[0]);
    if (st == SRV_DB_OK)
        st =
            srv_doc_delete_children(rq->db, "slot", rq->user_id, rq->params[0]);
    if (st == SRV_DB_OK)
        st = srv_shares_item_deleted(rq->db, rq->user_id, rq->params[0]);
    if (st == SRV_DB_OK)
        st = srv_db_commit(rq->db);
    if (st != SRV_DB_OK) {
        srv_db_rollback(rq->db);
        srv_resp_db_error(rs, st, "item");
        return;
    }
    srv_resp_json(rs, 204, NULL);
}

/* ---- list
 * --------------------------------------------------------------------- */

static void list_item_slots(srv_req *rq, cJSON *items, cJSON *slots,
                            cJSON *nodes)
{
    cJSON *it;

    cJSON_ArrayForEach(it, items)
    {
        cJSON *r = srv_item_render(rq->db, rq->user_id, it, slots);

        srv_set_copy(it, "slot_ids",
                     cJSON_GetObjectItemCaseSensitive(r, "slot_ids"));
        srv_nodes_append(
            rq->db, rq->user_id,
            cJSON_GetObjectItemCaseSensitive(it, "classification_node_ids"),
            nodes);
        cJSON_Delete(r);
    }
}

static void item_list(srv_req *rq, srv_resp *rs)
{
    struct srv_item_filter *f = NULL;
    cJSON *resp, *items, *slots, *nodes;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse(rq, "item", &pg, rs) != 0)
        return;
    f = srv_item_filter_parse(rq, rs);
    if (!f)
        return;
    resp = cJSON_CreateObject();
    items = cJSON_AddArrayToObject(resp, "items");
    st = srv_list_page(rq->db, "item", rq->user_id, &pg, srv_item_filter_match,
                       f, items, &next);
    srv_item_filter_free(f);
    if (st != SRV_DB_OK) {
        cJSON_Delete(resp);
        free(next);
        srv_resp_db_error(rs, st, "items");
        return;
    }
    slots = cJSON_AddArrayToObject(resp, "slots");
    nodes = cJSON_AddArrayToObject(resp, "classification_nodes");
    list_item_slots(rq, items, slots, nodes);
    srv_add_empty_lists(resp);
    srv_page_finish(resp, &pg, cJSON_GetArraySize(items), next);
    srv_resp_json(rs, 200, resp);
}

/* ---- slots
 * ------------------------------------------------------------------------ */

static void slot_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *s = srv_rec_load(rq->db, "slot", rq->user_id, rq->params[0], &st);

    if (!s) {
        srv_resp_db_error(rs, st, "slot");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("slot", srv_rec_public(s)));
    cJSON_Delete(s);
}

static void slot_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *s = srv_rec_load(rq->db, "slot", rq->user_id, rq->params[0], &st);

    if (!s) {
        srv_resp_db_error(rs, st, "slot");
        return;
    }
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "own"))) {
        srv_resp_error(rs, 403, "forbidden",
                       "slots received through a share are read-only");
    } else {
        st = srv_doc_delete(rq->db, "slot", rq->user_id, rq->params[0]);
        if (st != SRV_DB_OK)
            srv_resp_db_error(rs, st, "slot");
        else
            srv_resp_json(rs, 204, NULL);
    }
    cJSON_Delete(s);
}

const srv_route srv_vault_item_routes[] = {
    {SRV_VAULT, "GET", "/items", SRV_AUTH_VAULT, item_list},
    {SRV_VAULT, "POST", "/items", SRV_AUTH_VAULT, item_create},
    {SRV_VAULT, "GET", "/items/{id}", SRV_AUTH_VAULT, item_get},
    {SRV_VAULT, "PUT", "/items/{id}", SRV_AUTH_VAULT, item_update},
    {SRV_VAULT, "DELETE", "/items/{id}", SRV_AUTH_VAULT, item_delete},
    {SRV_VAULT, "GET", "/slots/{id}", SRV_AUTH_VAULT, slot_get},
    {SRV_VAULT, "DELETE", "/slots/{id}", SRV_AUTH_VAULT, slot_delete},
    {0, NULL, NULL, 0, NULL},
};
