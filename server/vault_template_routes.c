/* server/vault_template_routes.c - item templates and classification
 * nodes (6.1), with a default set seeded at start-up:
 *
 *   GET /item_templates (by_classification[scheme|name], like, paging)
 *   GET /item_templates/{id}          POST /item_templates
 *   GET /classification_nodes (scheme_name, name, own, paging)
 *   GET /classification_nodes/{id}    POST /classification_nodes
 *
 * System records belong to the pseudo-user "system" and are readable by
 * everyone; user-created ones only by their creator.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "validate.h"
#include "vault_common.h"
#include "vault_items.h"

/* ---- default set ------------------------------------------------------- */

struct seed_slot {
    const char *name, *label, *type;
};

static const struct seed_template {
    const char *name, *label, *description;
    struct seed_slot slots[6];
} seed_templates[] = {
    /* the local token's defaults (vault/catalog.c), so that a remote
     * replica finds the same templates ... */
    {"custom",
     "Custom",
     "An item with slots of your choice",
     {{NULL, NULL, NULL}}},
    {"pkcs11_data",
     "PKCS#11 data",
     "Data objects created through PKCS#11",
     {{NULL, NULL, NULL}}},
    {"password",
     "Password",
     "A website login",
     {{"username", "Username", "key_value"},
      {"password", "Password", "password"},
      {"website", "Website", "url"}}},
    {"note", "Secure note", "Free text", {{"note", "Note", "key_value"}}},
    {"vehicle",
     "Vehicle",
     "A car or motorbike",
     {{"model_make", "Make", "key_value"},
      {"model", "Model", "key_value"},
      {"licence_plate", "Licence plate", "key_value"}}},
    /* ... and two more for people trying the server */
    {"bank_account",
     "Bank account",
     "Account details",
     {{"bank_name", "Bank", "key_value"},
      {"account_name", "Account name", "key_value"},
      {"account_number", "Account number", "key_value"},
      {"iban", "IBAN", "key_value"}}},
    {"passport",
     "Passport",
     "Travel document",
     {{"full_name", "Full name", "key_value"},
      {"passport_number", "Passport number", "key_value"},
      {"nationality", "Nationality", "key_value"},
      {"expiry_date", "Expiry date", "date"}}},
};

static const char *const seed_tags[] = {"pkcs11",    "personal", "work",
                                        "important", "family",   NULL};

static cJSON *template_slot(const char *tpl_id, const char *user,
                            const char *name, const char *label,
                            const char *type, int ordinal)
{
    cJSON *s = cJSON_CreateObject();

    srv_set_new_id(s);
    cJSON_AddStringToObject(s, "name", name);
    srv_set_str(s, "label", label ? label : name);
    cJSON_AddNullToObject(s, "description");
    cJSON_AddNumberToObject(s, "ordinal", ordinal);
    cJSON_AddTrueToObject(s, "visible");
    cJSON_AddStringToObject(s, "slot_type_name", type ? type : "key_value");
    cJSON_AddStringToObject(s, "creator", "system");
    cJSON_AddArrayToObject(s, "classification_node_ids");
    cJSON_AddNullToObject(s, "attachment_id");
    cJSON_AddNullToObject(s, "item_id");
    cJSON_AddStringToObject(s, "item_template_id", tpl_id);
    cJSON_AddFalseToObject(s, "required");
    cJSON_AddFalseToObject(s, "own");
    cJSON_AddNullToObject(s, "share_id");
    cJSON_AddNullToObject(s, "encrypted_value");
    cJSON_AddNullToObject(s, "encrypted_value_verification_key");
    cJSON_AddNullToObject(s, "value_verification_hash");
    cJSON_AddFalseToObject(s, "encrypted");
    cJSON_AddNullToObject(s, "image");
    cJSON_AddNullToObject(s, "original_id");
    srv_set_str(s, "owner_id", strcmp(user, SRV_SYSTEM_USER) ? user : NULL);
    srv_set_now(s, "created_at");
    srv_set_now(s, "updated_at");
    return s;
}

static cJSON *template_new(const char *user, const char *name,
                           const char *label, const char *desc)
{
    cJSON *t = cJSON_CreateObject();

    srv_set_new_id(t);
    cJSON_AddStringToObject(t, "name", name);
    srv_set_str(t, "label", label ? label : name);
    srv_set_str(t, "description", desc);
    cJSON_AddNumberToObject(t, "ordinal", 1);
    cJSON_AddTrueToObject(t, "visible");
    srv_set_str(t, "user_id", strcmp(user, SRV_SYSTEM_USER) ? user : NULL);
    srv_set_now(t, "updated_at");
    cJSON_AddNullToObject(t, "image");
    cJSON_AddArrayToObject(t, "classification_node_ids");
    cJSON_AddNullToObject(t, "background_color");
    cJSON_AddStringToObject(t, "template_type", "ItemTemplate");
    return t;
}

static cJSON *node_new(const char *user, const char *scheme, const char *name,
                       const char *label, const char *desc)
{
    cJSON *n = cJSON_CreateObject();

    srv_set_new_id(n);
    cJSON_AddStringToObject(n, "name", name);
    srv_set_str(n, "label", label ? label : name);
    srv_set_str(n, "description", desc);
    cJSON_AddNumberToObject(n, "ordinal", 1);
    cJSON_AddNullToObject(n, "background_color");
    cJSON_AddNullToObject(n, "image");
    cJSON_AddStringToObject(n, "scheme", scheme);
    cJSON_AddNumberToObject(n, "classifications_count", 0);
    cJSON_AddBoolToObject(n, "own", strcmp(user, SRV_SYSTEM_USER) != 0);
    return n;
}

static srv_db_status seed_one(srv_dbc *c, const struct seed_template *st_)
{
    cJSON *t =
        template_new(SRV_SYSTEM_USER, st_->name, st_->label, st_->description);
    srv_db_status st =
        srv_rec_insert(c, "template", SRV_SYSTEM_USER, NULL, st_->name, t);

    for (int i = 0; st == SRV_DB_OK && i < 6 && st_->slots[i].name; i++) {
        cJSON *s =
            template_slot(srv_str(t, "id"), SRV_SYSTEM_USER, st_->slots[i].name,
                          st_->slots[i].label, st_->slots[i].type, i);
        st = srv_rec_insert(c, "tslot", SRV_SYSTEM_USER, srv_str(t, "id"), NULL,
                            s);
        cJSON_Delete(s);
    }
    cJSON_Delete(t);
    return st;
}

srv_db_status srv_templates_seed(srv_dbc *c)
{
    srv_db_status st = SRV_DB_OK;
    srv_doc d;

    if (srv_doc_find_ext(c, "template", SRV_SYSTEM_USER, "custom", &d) ==
        SRV_DB_OK) {
        srv_doc_clear(&d);
        return SRV_DB_OK;
    }
    if (srv_db_begin(c) != SRV_DB_OK)
        return SRV_DB_ERROR;
    for (size_t i = 0; st == SRV_DB_OK &&
                       i < sizeof(seed_templates) / sizeof(*seed_templates);
         i++)
        st = seed_one(c, &seed_templates[i]);
    for (size_t i = 0; st == SRV_DB_OK && seed_tags[i]; i++) {
        cJSON *n = node_new(SRV_SYSTEM_USER, "tag", seed_tags[i], NULL, NULL);
        st = srv_rec_insert(c, "class_node", SRV_SYSTEM_USER, NULL,
                            seed_tags[i], n);
        cJSON_Delete(n);
    }
    if (st == SRV_DB_OK)
        st = srv_db_commit(c);
    if (st != SRV_DB_OK)
        srv_db_rollback(c);
    return st;
}

/* ---- lookups used by items -------------------------------------------------
 */

cJSON *srv_template_find(srv_dbc *c, const char *user_id, const char *name)
{
    srv_db_status st;
    cJSON *t = srv_rec_find(c, "template", user_id, name, NULL, &st);

    if (!t)
        t = srv_rec_find(c, "template", SRV_SYSTEM_USER, name, NULL, &st);
    return t;
}

static int collect(const srv_doc *d, void *ctx)
{
    cJSON *rec = cJSON_Parse(d->body);

    if (rec)
        cJSON_AddItemToArray(ctx, rec);
    return 0;
}

cJSON *srv_template_slots(srv_dbc *c, const cJSON *tpl)
{
    cJSON *arr = cJSON_CreateArray();
    const char *owner = srv_str(tpl, "user_id");

    (void)srv_doc_list(c, "tslot", owner ? owner : SRV_SYSTEM_USER,
                       srv_str(tpl, "id"), 0, collect, arr);
    return arr;
}

static cJSON *node_find(srv_dbc *c, const char *user_id, const char *scheme,
                        const char *name)
{
    cJSON *all = cJSON_CreateArray(), *n, *found = NULL;

    (void)srv_doc_list(c, "class_node", SRV_SYSTEM_USER, NULL, 0, collect, all);
    (void)srv_doc_list(c, "class_node", user_id, NULL, 0, collect, all);
    cJSON_ArrayForEach(n, all)
    {
        const char *s = srv_str(n, "scheme"), *nm = srv_str(n, "name");
        if (s && nm && !strcmp(s, scheme) && !strcmp(nm, name)) {
            found = cJSON_Duplicate(n, 1);
            break;
        }
    }
    cJSON_Delete(all);
    return found;
}

static cJSON *node_load(srv_dbc *c, const char *user_id, const char *id)
{
    srv_db_status st;
    cJSON *n = srv_rec_load(c, "class_node", user_id, id, &st);

    return n ? n : srv_rec_load(c, "class_node", SRV_SYSTEM_USER, id, &st);
}

/* One classification_nodes_attributes entry -> node id (new string). */
static cJSON *resolve_one(srv_dbc *c, const char *user_id, const cJSON *a,
                          srv_resp *rs)
{
    const char *id, *name, *label, *scheme;
    cJSON *n, *out = NULL;

    if (!cJSON_IsObject(a) ||
        srv_json_string(a, "id", SRV_OPTIONAL, SRV_MAX_NAME, &id, rs) ||
        srv_json_string(a, "name", SRV_OPTIONAL, SRV_MAX_NAME, &name, rs) ||
        srv_json_string(a, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(a, "scheme", SRV_OPTIONAL, SRV_MAX_NAME, &scheme, rs)) {
        if (!cJSON_IsObject(a))
            srv_resp_error(rs, 400, "invalid_parameter",
                           "classification node entries must be objects");
        return NULL;
    }
    if (!id && !name && !label) {
        srv_resp_error(rs, 422, "validation_error",
                       "a classification node needs an id or a name");
        return NULL;
    }
    if (id) {
        n = node_load(c, user_id, id);
    } else {
        char *nm = srv_sanitize_name(name ? name : label);
        n = node_find(c, user_id, scheme ? scheme : "tag", nm);
        if (!n) {
            n = node_new(user_id, scheme ? scheme : "tag", nm, label, NULL);
            if (srv_rec_insert(c, "class_node", user_id, NULL, nm, n) !=
                SRV_DB_OK) {
                cJSON_Delete(n);
                n = NULL;
            }
        }
        free(nm);
    }
    if (n)
        out = cJSON_CreateString(srv_str(n, "id"));
    else
        srv_resp_error(rs, 404, "record_not_found",
                       "classification node not found");
    cJSON_Delete(n);
    return out;
}

cJSON *srv_nodes_resolve(srv_dbc *c, const char *user_id, const cJSON *attrs,
                         srv_resp *rs)
{
    cJSON *ids = cJSON_CreateArray();
    const cJSON *a;

    cJSON_ArrayForEach(a, attrs)
    {
        int destroy = 0;
        cJSON *id;

        if (cJSON_IsObject(a) && srv_json_bool(a, "_destroy", &destroy, rs))
            goto fail;
        if (destroy)
            continue;
        id = resolve_one(c, user_id, a, rs);
        if (!id)
            goto fail;
        cJSON_AddItemToArray(ids, id);
    }
    return ids;
fail:
    cJSON_Delete(ids);
    return NULL;
}

/* ---- templates
 * ------------------------------------------------------------------ */

struct tpl_filter {
    const char *like;
    cJSON *node_ids; /* or NULL */
};

static int tpl_match(const cJSON *t, void *ctx)
{
    const struct tpl_filter *f = ctx;
    const cJSON *e;

    if (f->like &&
        !strstr(srv_str(t, "name") ? srv_str(t, "name") : "", f->like) &&
        !strstr(srv_str(t, "label") ? srv_str(t, "label") : "", f->like))
        return 0;
    if (!f->node_ids)
        return 1;
    cJSON_ArrayForEach(
        e, cJSON_GetObjectItemCaseSensitive(t, "classification_node_ids"))
    {
        const cJSON *x;
        cJSON_ArrayForEach(x, f->node_ids)
        {
            if (cJSON_IsString(e) && !strcmp(e->valuestring, x->valuestring))
                return 1;
        }
    }
    return 0;
}

/* Template ids to slots: fills slot_ids of each template. */
static void templates_expand(srv_dbc *c, cJSON *tpls, cJSON *slots,
                             cJSON *nodes, const char *user_id)
{
    cJSON *t;

    cJSON_ArrayForEach(t, tpls)
    {
        cJSON *ts = srv_template_slots(c, t), *s;
        cJSON *ids = cJSON_CreateArray();

        cJSON_ArrayForEach(s, ts)
        {
            cJSON_AddItemToArray(ids, cJSON_CreateString(srv_str(s, "id")));
            cJSON_AddItemToArray(slots, srv_rec_public(s));
        }
        srv_set_item(t, "slot_ids", ids);
        srv_nodes_append(
            c, user_id,
            cJSON_GetObjectItemCaseSensitive(t, "classification_node_ids"),
            nodes);
        cJSON_Delete(ts);
    }
}

static void template_list(srv_req *rq, srv_resp *rs)
{
    struct tpl_filter f = {srv_req_query(rq, "like"), NULL};
    const char *scheme = srv_req_query(rq, "by_classification[scheme]");
    const char *cname = srv_req_query(rq, "by_classification[name]");
    cJSON *resp, *tpls;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse2(rq, "template", SRV_SYSTEM_USER, &pg, rs) != 0)
        return;
    if (scheme && cname) {
        cJSON *n = node_find(rq->db, rq->user_id, scheme, cname);
        f.node_ids = cJSON_CreateArray();
        if (n)
            cJSON_AddItemToArray(f.node_ids,
                                 cJSON_CreateString(srv_str(n, "id")));
        cJSON_Delete(n);
    }
    resp = cJSON_CreateObject();
    tpls = cJSON_AddArrayToObject(resp, "item_templates");
    st = srv_list_page2(rq->db, "template", SRV_SYSTEM_USER, rq->user_id, &pg,
                        tpl_match, &f, tpls, &next);
    cJSON_Delete(f.node_ids);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "templates");
        return;
    }
    templates_expand(rq->db, tpls, cJSON_AddArrayToObject(resp, "slots"),
                     cJSON_AddArrayToObject(resp, "classification_nodes"),
                     rq->user_id);
    cJSON_AddArrayToObject(resp, "attachments");
    cJSON_AddArrayToObject(resp, "thumbnails");
    srv_page_finish(resp, &pg, cJSON_GetArraySize(tpls), next);
    srv_resp_json(rs, 200, resp);
}

static cJSON *template_response(srv_dbc *c, const char *user_id, const cJSON *t)
{
    cJSON *resp = cJSON_CreateObject();
    cJSON *one = cJSON_CreateArray();

    cJSON_AddItemToArray(one, srv_rec_public(t));
    templates_expand(c, one, cJSON_AddArrayToObject(resp, "slots"),
                     cJSON_AddArrayToObject(resp, "classification_nodes"),
                     user_id);
    cJSON_AddItemToObject(resp, "item_template",
                          cJSON_DetachItemFromArray(one, 0));
    cJSON_Delete(one);
    cJSON_AddArrayToObject(resp, "attachments");
    cJSON_AddArrayToObject(resp, "thumbnails");
    return resp;
}

static void template_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *t =
        srv_rec_load(rq->db, "template", rq->user_id, rq->params[0], &st);

    if (!t)
        t = srv_rec_load(rq->db, "template", SRV_SYSTEM_USER, rq->params[0],
                         &st);
    if (!t) {
        srv_resp_db_error(rs, st, "item template");
        return;
    }
    srv_resp_json(rs, 200, template_response(rq->db, rq->user_id, t));
    cJSON_Delete(t);
}

static int template_slots_create(srv_req *rq, const cJSON *t,
                                 const cJSON *attrs, srv_resp *rs)
{
    const cJSON *a;
    int i = 0;

    cJSON_ArrayForEach(a, attrs)
    {
        const char *name, *label, *type;
        char *nm;
        cJSON *s;
        srv_db_status st;

        if (!cJSON_IsObject(a) ||
            srv_json_string(a, "name", SRV_OPTIONAL, SRV_MAX_NAME, &name, rs) ||
            srv_json_string(a, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label,
                            rs) ||
            srv_json_string(a, "slot_type_name", SRV_OPTIONAL, 64, &type, rs))
            return -1;
        if (!name && !label) {
            srv_resp_error(rs, 422, "validation_error",
                           "template slots need a name or label");
            return -1;
        }
        nm = srv_sanitize_name(name ? name : label);
        s = template_slot(srv_str(t, "id"), rq->user_id, nm, label, type, i++);
        st = srv_rec_insert(rq->db, "tslot", rq->user_id, srv_str(t, "id"),
                            NULL, s);
        free(nm);
        cJSON_Delete(s);
        if (st != SRV_DB_OK) {
            srv_resp_db_error(rs, st, "template slot");
            return -1;
        }
    }
    return 0;
}

static void template_create(srv_req *rq, srv_resp *rs)
{
    const cJSON *in, *attrs;
    const char *name, *label, *desc;
    cJSON *t = NULL;
    char *nm = NULL;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_object(rq->body, "item_template", SRV_OPTIONAL, &in, rs))
        return;
    if (!in)
        in = rq->body;
    if (srv_json_string(in, "name", SRV_OPTIONAL, SRV_MAX_NAME, &name, rs) ||
        srv_json_string(in, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(in, "description", SRV_OPTIONAL, SRV_MAX_TEXT, &desc,
                        rs) ||
        srv_json_array(in, "slots_attributes", SRV_OPTIONAL, 200, &attrs, rs))
        return;
    if (!name && !label) {
        srv_resp_error(rs, 422, "validation_error",
                       "a template needs a name or a label");
        return;
    }
    nm = srv_sanitize_name(name ? name : label);
    t = template_new(rq->user_id, nm, label, desc);
    if (srv_db_begin(rq->db) != SRV_DB_OK) {
        srv_resp_db_error(rs, SRV_DB_ERROR, "item template");
        goto out;
    }
    st = srv_rec_insert(rq->db, "template", rq->user_id, NULL, nm, t);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "item template");
    if (st != SRV_DB_OK || template_slots_create(rq, t, attrs, rs) != 0 ||
        srv_db_commit(rq->db) != SRV_DB_OK) {
        srv_db_rollback(rq->db);
        goto out;
    }
    srv_resp_json(rs, 201, template_response(rq->db, rq->user_id, t));
out:
    free(nm);
    cJSON_Delete(t);
}

/* ---- classification nodes
 * ------------------------------------------------------------ */

struct node_filter {
    const char *scheme;
    const char *name;
    int own; /* -1 any */
};

static int node_match(const cJSON *n, void *ctx)
{
    const struct node_filter *f = ctx;
    const char *s = srv_str(n, "scheme"), *nm = srv_str(n, "name");
    int own = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "own"));

    return (!f->scheme || (s && !strcmp(s, f->scheme))) &&
           (!f->name || (nm && !strcmp(nm, f->name))) &&
           (f->own < 0 || f->own == own);
}

static void node_list(srv_req *rq, srv_resp *rs)
{
    const char *own = srv_req_query(rq, "own");
    struct node_filter f = {srv_req_query(rq, "scheme_name"),
                            srv_req_query(rq, "name"),
                            !own ? -1 : !strcmp(own, "true")};
    cJSON *resp, *nodes;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse2(rq, "class_node", SRV_SYSTEM_USER, &pg, rs) != 0)
        return;
    resp = cJSON_CreateObject();
    nodes = cJSON_AddArrayToObject(resp, "classification_nodes");
    st = srv_list_page2(rq->db, "class_node", SRV_SYSTEM_USER, rq->user_id, &pg,
                        node_match, &f, nodes, &next);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "classification nodes");
        return;
    }
    srv_page_finish(resp, &pg, cJSON_GetArraySize(nodes), next);
    srv_resp_json(rs, 200, resp);
}

static void node_get(srv_req *rq, srv_resp *rs)
{
    cJSON *n = node_load(rq->db, rq->user_id, rq->params[0]);

    if (!n) {
        srv_resp_db_error(rs, SRV_DB_NOT_FOUND, "classification node");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("classification_node", srv_rec_public(n)));
    cJSON_Delete(n);
}

static void node_create(srv_req *rq, srv_resp *rs)
{
    const cJSON *in;
    const char *scheme, *name, *label, *desc;
    cJSON *n, *existing;
    char *nm;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_object(rq->body, "classification_node", SRV_REQUIRED, &in,
                        rs) ||
        srv_json_string(in, "classification_scheme_name", SRV_REQUIRED,
                        SRV_MAX_NAME, &scheme, rs) ||
        srv_json_string(in, "name", SRV_REQUIRED, SRV_MAX_NAME, &name, rs) ||
        srv_json_string(in, "label", SRV_OPTIONAL, SRV_MAX_NAME, &label, rs) ||
        srv_json_string(in, "description", SRV_OPTIONAL, SRV_MAX_TEXT, &desc,
                        rs))
        return;
    nm = srv_sanitize_name(name);
    existing = node_find(rq->db, rq->user_id, scheme, nm);
    if (existing) {
        srv_resp_error(rs, 422, "validation_error",
                       "a node '%s' already exists in scheme '%s'", nm, scheme);
        cJSON_Delete(existing);
        free(nm);
        return;
    }
    n = node_new(rq->user_id, scheme, nm, label, desc);
    st = srv_rec_insert(rq->db, "class_node", rq->user_id, NULL, nm, n);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "classification node");
    else
        srv_resp_json(rs, 201,
                      srv_wrap("classification_node", srv_rec_public(n)));
    cJSON_Delete(n);
    free(nm);
}

const srv_route srv_vault_template_routes[] = {
    {SRV_VAULT, "GET", "/item_templates", SRV_AUTH_VAULT, template_list},
    {SRV_VAULT, "POST", "/item_templates", SRV_AUTH_VAULT, template_create},
    {SRV_VAULT, "GET", "/item_templates/{id}", SRV_AUTH_VAULT, template_get},
    {SRV_VAULT, "GET", "/classification_nodes", SRV_AUTH_VAULT, node_list},
    {SRV_VAULT, "POST", "/classification_nodes", SRV_AUTH_VAULT, node_create},
    {SRV_VAULT, "GET", "/classification_nodes/{id}", SRV_AUTH_VAULT, node_get},
    {0, NULL, NULL, 0, NULL},
};
