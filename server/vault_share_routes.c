/* server/vault_share_routes.c - shares (meeco-protocol.md 6.6):
 *
 *   POST|GET|PUT /items/{id}/shares
 *   GET /incoming_shares, GET /incoming_shares/{id}[/item],
 *   PUT /incoming_shares/{id}/accept
 *   GET /outgoing_shares, GET /outgoing_shares/{id}
 *   DELETE /shares/{id}         (sender or recipient)
 *
 * A share can only go to a user the sender is connected with.  Items
 * received through a share can be shared on only if that share permits
 * on-sharing; the new share keeps the original owner and item.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "util.h"
#include "validate.h"
#include "vault_common.h"
#include "vault_items.h"
#include "vault_share.h"

#define MAX_SHARES 50

/* ---- validation ------------------------------------------------------------
 */

static int slot_values_ok(const cJSON *values, srv_resp *rs)
{
    const cJSON *v;
    const char *s;

    cJSON_ArrayForEach(v, values)
    {
        if (!cJSON_IsObject(v)) {
            srv_resp_error(rs, 400, "invalid_parameter",
                           "slot_values entries must be objects");
            return -1;
        }
        if (srv_json_string(v, "slot_id", SRV_REQUIRED, SRV_MAX_NAME, &s, rs) ||
            srv_json_string(v, "share_id", SRV_OPTIONAL, SRV_MAX_NAME, &s,
                            rs) ||
            srv_json_cryppo(v, "encrypted_value", SRV_OPTIONAL, &s, rs) ||
            srv_json_cryppo(v, "encrypted_value_verification_key", SRV_OPTIONAL,
                            &s, rs) ||
            srv_json_hex(v, "value_verification_hash", SRV_OPTIONAL, 64, &s,
                         rs))
            return -1;
    }
    return 0;
}

struct share_in {
    const char *recipient_id, *public_key, *keypair_external_id;
    const char *encrypted_dek, *terms, *acceptance, *expires_at, *slot_id;
    const char *sharing_mode;
    int onsharing;
    const cJSON *slot_values;
};

static int parse_share(const cJSON *e, struct share_in *in, srv_resp *rs)
{
    int64_t ms;

    memset(in, 0, sizeof(*in));
    if (!cJSON_IsObject(e)) {
        srv_resp_error(rs, 400, "invalid_parameter",
                       "shares entries must be objects");
        return -1;
    }
    if (srv_json_string(e, "recipient_id", SRV_REQUIRED, SRV_MAX_NAME,
                        &in->recipient_id, rs) ||
        srv_json_public_key(e, "public_key", SRV_REQUIRED, &in->public_key,
                            rs) ||
        srv_json_string(e, "keypair_external_id", SRV_REQUIRED, SRV_MAX_NAME,
                        &in->keypair_external_id, rs) ||
        srv_json_cryppo(e, "encrypted_dek", SRV_OPTIONAL, &in->encrypted_dek,
                        rs) ||
        srv_json_string(e, "terms", SRV_OPTIONAL, SRV_MAX_TEXT, &in->terms,
                        rs) ||
        srv_json_string(e, "acceptance_required", SRV_OPTIONAL, 64,
                        &in->acceptance, rs) ||
        srv_json_string(e, "sharing_mode", SRV_OPTIONAL, 16, &in->sharing_mode,
                        rs) ||
        srv_json_bool(e, "onsharing_permitted", &in->onsharing, rs) ||
        srv_json_string(e, "expires_at", SRV_OPTIONAL, 64, &in->expires_at,
                        rs) ||
        srv_json_string(e, "slot_id", SRV_OPTIONAL, SRV_MAX_NAME, &in->slot_id,
                        rs) ||
        srv_json_array(e, "slot_values", SRV_OPTIONAL, 500, &in->slot_values,
                       rs) ||
        slot_values_ok(in->slot_values, rs))
        return -1;
    if ((in->acceptance && strcmp(in->acceptance, "acceptance_required") &&
         strcmp(in->acceptance, "acceptance_not_required")) ||
        (in->expires_at && srv_time_parse(in->expires_at, &ms) != 0) ||
        (in->sharing_mode && strcmp(in->sharing_mode, "owner") &&
         strcmp(in->sharing_mode, "anyone"))) {
        srv_resp_error(rs, 422, "validation_error",
                       "invalid acceptance_required, sharing_mode or "
                       "expires_at");
        return -1;
    }
    if (in->sharing_mode && !strcmp(in->sharing_mode, "anyone"))
        in->onsharing = 1;
    return 0;
}

/* ---- creation
 * ---------------------------------------------------------------- */

/* The share record for one validated entry. */
static cJSON *share_new(srv_req *rq, const cJSON *item,
                        const struct share_in *in, const char *owner_id)
{
    cJSON *s = cJSON_CreateObject();
    const char *acc = in->acceptance ? in->acceptance
                      : in->terms    ? "acceptance_required"
                                     : "acceptance_not_required";
    const char *orig = srv_str(item, "original_id");

    srv_set_new_id(s);
    cJSON_AddStringToObject(s, "owner_id", owner_id);
    cJSON_AddStringToObject(s, "sender_id", rq->user_id);
    cJSON_AddStringToObject(s, "recipient_id", in->recipient_id);
    cJSON_AddStringToObject(s, "acceptance_required", acc);
    cJSON_AddStringToObject(s, "item_id", orig ? orig : srv_str(item, "id"));
    srv_set_str(s, "slot_id", in->slot_id);
    cJSON_AddStringToObject(s, "public_key", in->public_key);
    cJSON_AddBoolToObject(s, "onsharing_permitted", in->onsharing);
    cJSON_AddStringToObject(s, "sharing_mode",
                            in->onsharing ? "anyone" : "owner");
    cJSON_AddStringToObject(s, "keypair_external_id", in->keypair_external_id);
    srv_set_str(s, "encrypted_dek", in->encrypted_dek);
    srv_set_str(s, "terms", in->terms);
    srv_set_now(s, "created_at");
    srv_set_str(s, "expires_at", in->expires_at);
    cJSON_AddStringToObject(s, "_source_item_id", srv_str(item, "id"));
    return s;
}

/* May the user share this item on?  Returns the owner id to record. */
static const char *share_owner(srv_req *rq, const cJSON *item, srv_resp *rs)
{
    srv_db_status st;
    cJSON *via;
    int ok;

    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "own")))
        return rq->user_id;
    via = srv_rec_load(rq->db, "share_in", rq->user_id,
                       srv_str(item, "share_id"), &st);
    ok = via && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                    via, "onsharing_permitted"));
    cJSON_Delete(via);
    if (!ok) {
        srv_resp_error(rs, 403, "onsharing_not_permitted",
                       "this item was shared without on-sharing permission");
        return NULL;
    }
    return srv_str(item, "owner_id");
}

static int slot_belongs(srv_req *rq, const cJSON *item, const char *slot_id)
{
    srv_db_status st;
    cJSON *s = srv_rec_load(rq->db, "slot", rq->user_id, slot_id, &st);
    int ok = s && srv_str(s, "item_id") &&
             !strcmp(srv_str(s, "item_id"), srv_str(item, "id"));

    cJSON_Delete(s);
    return ok;
}

static int slots_of_item(srv_req *rq, const cJSON *item,
                         const struct share_in *in, srv_resp *rs)
{
    const cJSON *v;

    if (in->slot_id && !slot_belongs(rq, item, in->slot_id))
        goto bad;
    cJSON_ArrayForEach(v, in->slot_values)
    {
        if (!slot_belongs(rq, item, srv_str(v, "slot_id")))
            goto bad;
    }
    return 0;
bad:
    srv_resp_error(rs, 422, "validation_error",
                   "slot ids must be slots of the shared item");
    return -1;
}

/* Store one share (both records) and the recipient's copy. */
static srv_db_status store_share(srv_req *rq, const cJSON *item, cJSON *share,
                                 const cJSON *values)
{
    char *copy_id = NULL;
    srv_db_status st =
        srv_share_make_copy(rq->db, rq->user_id, item, share, values, &copy_id);

    if (st != SRV_DB_OK)
        return st;
    srv_set_str(share, "_copy_item_id", copy_id);
    free(copy_id);
    st = srv_rec_insert(rq->db, "share_out", rq->user_id, NULL,
                        srv_str(share, "_source_item_id"), share);
    if (st == SRV_DB_OK)
        st = srv_rec_insert(rq->db, "share_in", srv_str(share, "recipient_id"),
                            NULL, NULL, share);
    return st;
}

static int create_one(srv_req *rq, const cJSON *item, const cJSON *e,
                      cJSON *out, srv_resp *rs)
{
    struct share_in in;
    const char *owner;
    cJSON *conn, *share;
    srv_db_status st;

    if (parse_share(e, &in, rs) || slots_of_item(rq, item, &in, rs))
        return -1;
    owner = share_owner(rq, item, rs);
    if (!owner)
        return -1;
    conn = srv_connection_with(rq->db, rq->user_id, in.recipient_id);
    if (!conn) {
        srv_resp_error(rs, 403, "not_connected",
                       "you can only share with your connections");
        return -1;
    }
    cJSON_Delete(conn);
    share = share_new(rq, item, &in, owner);
    st = store_share(rq, item, share, in.slot_values);
    if (st != SRV_DB_OK) {
        cJSON_Delete(share);
        srv_resp_db_error(rs, st, "share");
        return -1;
    }
    cJSON_AddItemToArray(out, srv_rec_public(share));
    cJSON_Delete(share);
    return 0;
}

static void item_shares_create(srv_req *rq, srv_resp *rs)
{
    const cJSON *list, *e;
    cJSON *item, *out;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_array(rq->body, "shares", SRV_REQUIRED, MAX_SHARES, &list, rs))
        return;
    item = srv_rec_load(rq->db, "item", rq->user_id, rq->params[0], &st);
    if (!item) {
        srv_resp_db_error(rs, st, "item");
        return;
    }
    if (srv_db_begin(rq->db) != SRV_DB_OK) {
        srv_resp_db_error(rs, SRV_DB_ERROR, "share");
        cJSON_Delete(item);
        return;
    }
    out = cJSON_CreateArray();
    cJSON_ArrayForEach(e, list)
    {
        if (create_one(rq, item, e, out, rs) != 0)
            break;
    }
    if (e || srv_db_commit(rq->db) != SRV_DB_OK) {
        srv_db_rollback(rq->db);
        cJSON_Delete(out);
        if (!e)
            srv_resp_db_error(rs, SRV_DB_ERROR, "share");
    } else {
        srv_resp_json(rs, 201, srv_wrap("shares", out));
    }
    cJSON_Delete(item);
}

static void item_shares_list(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *item = srv_rec_load(rq->db, "item", rq->user_id, rq->params[0], &st);
    cJSON *shares, *out, *s;

    if (!item) {
        srv_resp_db_error(rs, st, "item");
        return;
    }
    shares = srv_share_list_for_item(rq->db, rq->user_id, rq->params[0]);
    out = cJSON_CreateArray();
    cJSON_ArrayForEach(s, shares) cJSON_AddItemToArray(out, srv_rec_public(s));
    srv_resp_json(rs, 200, srv_wrap("shares", out));
    cJSON_Delete(shares);
    cJSON_Delete(item);
}

/* ---- update (owner re-encrypts for all shares) ------------------------- */

static cJSON *find_share(cJSON *shares, const char *id)
{
    cJSON *s;

    cJSON_ArrayForEach(s, shares)
    {
        if (id && srv_str(s, "id") && !strcmp(srv_str(s, "id"), id))
            return s;
    }
    return NULL;
}

/* share_deks: [{share_id, dek}] -> encrypted_dek of those shares. */
static int apply_deks(cJSON *shares, const cJSON *deks, srv_resp *rs)
{
    const cJSON *d;

    cJSON_ArrayForEach(d, deks)
    {
        const char *sid, *dek;
        cJSON *s;

        if (!cJSON_IsObject(d) ||
            srv_json_string(d, "share_id", SRV_REQUIRED, SRV_MAX_NAME, &sid,
                            rs) ||
            srv_json_cryppo(d, "dek", SRV_REQUIRED, &dek, rs))
            return -1;
        s = find_share(shares, sid);
        if (!s) {
            srv_resp_error(rs, 404, "record_not_found",
                           "share %s is not a share of this item", sid);
            return -1;
        }
        srv_set_str(s, "encrypted_dek", dek);
    }
    return 0;
}

/* Values for one share from the request's slot_values. */
static cJSON *values_for_share(const cJSON *values, const char *share_id)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *v;

    cJSON_ArrayForEach(v, values)
    {
        const char *sid = srv_str(v, "share_id");
        if (!sid || !strcmp(sid, share_id))
            cJSON_AddItemToArray(out, cJSON_Duplicate(v, 1));
    }
    return out;
}

static srv_db_status save_updated(srv_req *rq, cJSON *shares,
                                  const cJSON *values)
{
    cJSON *s;
    srv_db_status st = SRV_DB_OK;

    cJSON_ArrayForEach(s, shares)
    {
        cJSON *vals = values_for_share(values, srv_str(s, "id"));

        if (st == SRV_DB_OK)
            st = srv_rec_save(rq->db, "share_out", rq->user_id, s);
        if (st == SRV_DB_OK)
            st =
                srv_rec_save(rq->db, "share_in", srv_str(s, "recipient_id"), s);
        if (st == SRV_DB_OK)
            st = srv_share_update_copy(rq->db, s, vals);
        cJSON_Delete(vals);
    }
    return st;
}

static void item_shares_update(srv_req *rq, srv_resp *rs)
{
    const cJSON *deks, *values;
    cJSON *shares = NULL, *out, *s;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_array(rq->body, "share_deks", SRV_OPTIONAL, 500, &deks, rs) ||
        srv_json_array(rq->body, "slot_values", SRV_OPTIONAL, 5000, &values,
                       rs) ||
        slot_values_ok(values, rs))
        return;
    shares = srv_share_list_for_item(rq->db, rq->user_id, rq->params[0]);
    if (apply_deks(shares, deks, rs) != 0)
        goto out;
    if (srv_db_begin(rq->db) != SRV_DB_OK) {
        srv_resp_db_error(rs, SRV_DB_ERROR, "share");
        goto out;
    }
    st = save_updated(rq, shares, values);
    if (st == SRV_DB_OK)
        st = srv_db_commit(rq->db);
    if (st != SRV_DB_OK) {
        srv_db_rollback(rq->db);
        srv_resp_db_error(rs, st, "share");
        goto out;
    }
    out = cJSON_CreateArray();
    cJSON_ArrayForEach(s, shares) cJSON_AddItemToArray(out, srv_rec_public(s));
    srv_resp_json(rs, 200, srv_wrap("shares", out));
out:
    cJSON_Delete(shares);
}

/* ---- incoming / outgoing
 * ------------------------------------------------------ */

struct share_filter {
    const char *acceptance;
    cJSON *ids; /* share_ids or item_ids */
    const char *id_field;
};

static void add_id(const char *v, size_t len, void *ctx)
{
    char *s = strndup(v, len);

    if (s)
        cJSON_AddItemToArray(ctx, cJSON_CreateString(s));
    free(s);
}

static int share_match(const cJSON *s, void *ctx)
{
    const struct share_filter *f = ctx;
    const char *acc = srv_str(s, "acceptance_required");
    const char *id = srv_str(s, f->id_field);
    const cJSON *e;

    if (f->acceptance && (!acc || strcmp(acc, f->acceptance)))
        return 0;
    if (cJSON_GetArraySize(f->ids) == 0)
        return 1;
    cJSON_ArrayForEach(e, f->ids)
    {
        if (id && !strcmp(e->valuestring, id))
            return 1;
    }
    return 0;
}

static void share_list(srv_req *rq, srv_resp *rs, const char *kind,
                       const char *ids_param, const char *id_field)
{
    struct share_filter f = {srv_req_query(rq, "acceptance_required"),
                             cJSON_CreateArray(), id_field};
    cJSON *resp, *arr;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse(rq, kind, &pg, rs) != 0) {
        cJSON_Delete(f.ids);
        return;
    }
    srv_req_query_each(rq, ids_param, add_id, f.ids);
    resp = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(resp, "shares");
    st = srv_list_page(rq->db, kind, rq->user_id, &pg, share_match, &f, arr,
                       &next);
    cJSON_Delete(f.ids);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "shares");
        return;
    }
    srv_page_finish(resp, &pg, cJSON_GetArraySize(arr), next);
    srv_resp_json(rs, 200, resp);
}

static void incoming_list(srv_req *rq, srv_resp *rs)
{
    share_list(rq, rs, "share_in", "share_ids", "id");
}

static void outgoing_list(srv_req *rq, srv_resp *rs)
{
    share_list(rq, rs, "share_out", "item_ids", "item_id");
}

static void share_get(srv_req *rq, srv_resp *rs, const char *kind)
{
    srv_db_status st;
    cJSON *s = srv_rec_load(rq->db, kind, rq->user_id, rq->params[0], &st);

    if (!s) {
        srv_resp_db_error(rs, st, "share");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("share", srv_rec_public(s)));
    cJSON_Delete(s);
}

static void incoming_get(srv_req *rq, srv_resp *rs)
{
    share_get(rq, rs, "share_in");
}

static void outgoing_get(srv_req *rq, srv_resp *rs)
{
    share_get(rq, rs, "share_out");
}

static void incoming_item(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *s =
        srv_rec_load(rq->db, "share_in", rq->user_id, rq->params[0], &st);
    cJSON *item = NULL, *resp;

    if (s)
        item = srv_rec_load(rq->db, "item", rq->user_id,
                            srv_str(s, "_copy_item_id"), &st);
    if (!s || !item) {
        srv_resp_db_error(rs, st, "shared item");
    } else {
        resp = srv_item_response(rq->db, rq->user_id, item);
        cJSON_AddItemToObject(resp, "share", srv_rec_public(s));
        cJSON_AddNullToObject(resp, "item_shared_via_another_share_id");
        srv_resp_json(rs, 200, resp);
    }
    cJSON_Delete(item);
    cJSON_Delete(s);
}

static void incoming_accept(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *s =
        srv_rec_load(rq->db, "share_in", rq->user_id, rq->params[0], &st);

    if (!s) {
        srv_resp_db_error(rs, st, "share");
        return;
    }
    srv_set_str(s, "acceptance_required", "accepted");
    st = srv_rec_save(rq->db, "share_in", rq->user_id, s);
    if (st == SRV_DB_OK)
        (void)srv_rec_save(rq->db, "share_out", srv_str(s, "sender_id"), s);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "share");
    else
        srv_resp_json(rs, 200, srv_wrap("share", srv_rec_public(s)));
    cJSON_Delete(s);
}

/* Sender or recipient may delete; the recipient's copy goes too. */
static void share_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *s =
        srv_rec_load(rq->db, "share_out", rq->user_id, rq->params[0], &st);

    if (!s)
        s = srv_rec_load(rq->db, "share_in", rq->user_id, rq->params[0], &st);
    if (!s) {
        srv_resp_db_error(rs, st, "share");
        return;
    }
    st = srv_share_remove(rq->db, s);
    cJSON_Delete(s);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "share");
    else
        srv_resp_json(rs, 204, NULL);
}

const srv_route srv_vault_share_routes[] = {
    {SRV_VAULT, "POST", "/items/{id}/shares", SRV_AUTH_VAULT,
     item_shares_create},
    {SRV_VAULT, "GET", "/items/{id}/shares", SRV_AUTH_VAULT, item_shares_list},
    {SRV_VAULT, "PUT", "/items/{id}/shares", SRV_AUTH_VAULT,
     item_shares_update},
    {SRV_VAULT, "GET", "/incoming_shares", SRV_AUTH_VAULT, incoming_list},
    {SRV_VAULT, "GET", "/incoming_shares/{id}", SRV_AUTH_VAULT, incoming_get},
    {SRV_VAULT, "GET", "/incoming_shares/{id}/item", SRV_AUTH_VAULT,
     incoming_item},
    {SRV_VAULT, "PUT", "/incoming_shares/{id}/accept", SRV_AUTH_VAULT,
     incoming_accept},
    {SRV_VAULT, "GET", "/outgoing_shares", SRV_AUTH_VAULT, outgoing_list},
    {SRV_VAULT, "GET", "/outgoing_shares/{id}", SRV_AUTH_VAULT, outgoing_get},
    {SRV_VAULT, "DELETE", "/shares/{id}", SRV_AUTH_VAULT, share_delete},
    {0, NULL, NULL, 0, NULL},
};
