/* server/vault_connection_routes.c - invitations and connections (6.5):
 *
 *   POST /invitations          {public_key:{keypair_external_id,
 *                               public_key}, invitation:{...}} -> token
 *   GET /invitations, GET|DELETE /invitations/{id}
 *   POST /connections          accept an invitation token: creates one
 *                              connection record on each side
 *   GET /connections, GET|DELETE /connections/{id}
 *
 * Invitation tokens are capabilities: only their SHA-256 is stored, and
 * the token itself is returned once, by POST /invitations.  An invitation
 * can be accepted once, and not by its own sender.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "util.h"
#include "validate.h"
#include "vault_common.h"
#include "vault_items.h"

#define INVITATION_TTL_MS (14LL * 24 * 3600 * 1000)

struct peer_key {
    const char *external_id;
    const char *pem;
};

/* {"public_key": {"keypair_external_id", "public_key"}} */
static int parse_peer_key(const cJSON *body, struct peer_key *k, srv_resp *rs)
{
    const cJSON *pk;

    return srv_json_object(body, "public_key", SRV_REQUIRED, &pk, rs) ||
           srv_json_string(pk, "keypair_external_id", SRV_REQUIRED,
                           SRV_MAX_NAME, &k->external_id, rs) ||
           srv_json_public_key(pk, "public_key", SRV_REQUIRED, &k->pem, rs);
}

/* ---- invitations --------------------------------------------------------- */

static cJSON *invitation_new(const struct peer_key *k, const char *enc_name,
                             const char *token)
{
    cJSON *inv = cJSON_CreateObject();
    char exp[SRV_TIME_LEN + 1];

    srv_set_new_id(inv);
    cJSON_AddStringToObject(inv, "token", token);
    cJSON_AddStringToObject(inv, "keypair_external_id", k->external_id);
    cJSON_AddStringToObject(inv, "user_public_key", k->pem);
    srv_set_str(inv, "encrypted_recipient_name", enc_name);
    cJSON_AddTrueToObject(inv, "outgoing");
    cJSON_AddStringToObject(inv, "state", "new");
    srv_set_now(inv, "created_at");
    srv_time_iso(srv_now_ms() + INVITATION_TTL_MS, exp);
    cJSON_AddStringToObject(inv, "expire_at", exp);
    cJSON_AddNullToObject(inv, "message");
    cJSON_AddNullToObject(inv, "invited_user_id");
    srv_set_now(inv, "sent_at");
    cJSON_AddNullToObject(inv, "user_name");
    cJSON_AddNullToObject(inv, "user_image");
    cJSON_AddObjectToObject(inv, "integration_data");
    return inv;
}

static void invitation_create(srv_req *rq, srv_resp *rs)
{
    struct peer_key k;
    const cJSON *in;
    const char *enc_name;
    char token[SRV_TOKEN_LEN + 1], digest[SRV_SHA256_HEX + 1];
    cJSON *inv, *stored;
    srv_db_status st;

    if (srv_body_required(rq, rs) || parse_peer_key(rq->body, &k, rs) ||
        srv_json_object(rq->body, "invitation", SRV_OPTIONAL, &in, rs) ||
        srv_json_cryppo(in, "encrypted_recipient_name", SRV_OPTIONAL, &enc_name,
                        rs))
        return;
    if (srv_token_new(token, SRV_TOKEN_LEN) != 0) {
        srv_resp_error(rs, 500, "internal_error", "no randomness");
        return;
    }
    srv_sha256_hex(token, strlen(token), digest);
    inv = invitation_new(&k, enc_name, token);
    stored = cJSON_Duplicate(inv, 1);
    srv_set_str(stored, "token", NULL); /* only the digest is kept */
    st =
        srv_rec_insert(rq->db, "invitation", rq->user_id, NULL, digest, stored);
    cJSON_Delete(stored);
    if (st != SRV_DB_OK) {
        cJSON_Delete(inv);
        srv_resp_db_error(rs, st, "invitation");
        return;
    }
    srv_resp_json(rs, 201, srv_wrap("invitation", inv));
}

static void invitation_list(srv_req *rq, srv_resp *rs)
{
    cJSON *resp, *arr;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse(rq, "invitation", &pg, rs) != 0)
        return;
    resp = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(resp, "invitations");
    st = srv_list_page(rq->db, "invitation", rq->user_id, &pg, NULL, NULL, arr,
                       &next);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "invitations");
        return;
    }
    srv_page_finish(resp, &pg, cJSON_GetArraySize(arr), next);
    srv_resp_json(rs, 200, resp);
}

static void invitation_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *inv =
        srv_rec_load(rq->db, "invitation", rq->user_id, rq->params[0], &st);

    if (!inv) {
        srv_resp_db_error(rs, st, "invitation");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("invitation", srv_rec_public(inv)));
    cJSON_Delete(inv);
}

static void invitation_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st =
        srv_doc_delete(rq->db, "invitation", rq->user_id, rq->params[0]);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "invitation");
    else
        srv_resp_json(rs, 204, NULL);
}

/* ---- connections ------------------------------------------------------------
 */

/* One side's view of a user in a connection. */
static cJSON *party(const char *conn_id, const char *user_id, const char *pem,
                    const char *kp_id, const char *enc_name, int own)
{
    cJSON *p = cJSON_CreateObject();

    cJSON_AddStringToObject(p, "id", conn_id);
    if (own)
        srv_set_str(p, "encrypted_recipient_name", enc_name);
    cJSON_AddObjectToObject(p, "integration_data");
    cJSON_AddNullToObject(p, "delegation_token");
    cJSON_AddNullToObject(p, "delegation_role");
    cJSON_AddNullToObject(p, "organization_member_id");
    cJSON_AddNullToObject(p, "connection_type");
    cJSON_AddStringToObject(p, "user_id", user_id);
    cJSON_AddStringToObject(p, "user_type", "human");
    cJSON_AddStringToObject(p, "user_public_key", pem);
    cJSON_AddStringToObject(p, "user_keypair_external_id", kp_id);
    cJSON_AddNullToObject(p, "did");
    srv_set_now(p, "created_at");
    return p;
}

static cJSON *connection_new(const char *id, cJSON *own, cJSON *other)
{
    cJSON *c = cJSON_CreateObject();

    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddItemToObject(c, "own", own);
    cJSON_AddItemToObject(c, "the_other_user", other);
    return c;
}

/* The record's {own, the_other_user} without its top-level id. */
static cJSON *connection_public(const cJSON *rec)
{
    cJSON *c = srv_rec_public(rec);

    cJSON_DeleteItemFromObjectCaseSensitive(c, "id");
    return c;
}

struct peer_find {
    const char *peer;
    cJSON *found;
};

static int match_peer(const srv_doc *d, void *ctx)
{
    struct peer_find *f = ctx;
    cJSON *c = cJSON_Parse(d->body);
    const char *uid = srv_str(
        cJSON_GetObjectItemCaseSensitive(c, "the_other_user"), "user_id");

    if (uid && strcmp(uid, f->peer) == 0) {
        f->found = c;
        return 1;
    }
    cJSON_Delete(c);
    return 0;
}

cJSON *srv_connection_with(srv_dbc *c, const char *user_id, const char *peer_id)
{
    struct peer_find f = {peer_id, NULL};

    (void)srv_doc_list(c, "connection", user_id, NULL, 0, match_peer, &f);
    return f.found;
}

/* Create both sides; returns the invitee's record. */
static cJSON *connect_users(srv_req *rq, const cJSON *inv, const char *inviter,
                            const struct peer_key *k, const char *enc_name,
                            srv_resp *rs)
{
    char a_id[SRV_ID_LEN + 1], b_id[SRV_ID_LEN + 1];
    cJSON *a, *b;
    srv_db_status st;

    if (srv_id_new(a_id) || srv_id_new(b_id)) {
        srv_resp_error(rs, 500, "internal_error", "no randomness");
        return NULL;
    }
    a = connection_new(
        a_id,
        party(a_id, inviter, srv_str(inv, "user_public_key"),
              srv_str(inv, "keypair_external_id"),
              srv_str(inv, "encrypted_recipient_name"), 1),
        party(b_id, rq->user_id, k->pem, k->external_id, NULL, 0));
    b = connection_new(
        b_id, party(b_id, rq->user_id, k->pem, k->external_id, enc_name, 1),
        party(a_id, inviter, srv_str(inv, "user_public_key"),
              srv_str(inv, "keypair_external_id"), NULL, 0));
    st = srv_rec_insert(rq->db, "connection", inviter, NULL, NULL, a);
    if (st == SRV_DB_OK)
        st = srv_rec_insert(rq->db, "connection", rq->user_id, NULL, NULL, b);
    cJSON_Delete(a);
    if (st != SRV_DB_OK) {
        cJSON_Delete(b);
        srv_resp_db_error(rs, st, "connection");
        return NULL;
    }
    return b;
}

static cJSON *accept_invitation(srv_req *rq, cJSON *inv, const char *inviter,
                                const struct peer_key *k, const char *enc_name,
                                srv_resp *rs)
{
    cJSON *conn;

    if (srv_db_begin(rq->db) != SRV_DB_OK) {
        srv_resp_db_error(rs, SRV_DB_ERROR, "connection");
        return NULL;
    }
    srv_set_str(inv, "state", "accepted");
    srv_set_str(inv, "invited_user_id", rq->user_id);
    conn = srv_rec_save(rq->db, "invitation", inviter, inv) == SRV_DB_OK
               ? connect_users(rq, inv, inviter, k, enc_name, rs)
               : NULL;
    if (conn && srv_db_commit(rq->db) == SRV_DB_OK)
        return conn;
    if (conn)
        srv_resp_db_error(rs, SRV_DB_ERROR, "connection");
    srv_db_rollback(rq->db);
    cJSON_Delete(conn);
    return NULL;
}

static void connection_create(srv_req *rq, srv_resp *rs)
{
    struct peer_key k;
    const cJSON *in;
    const char *enc_name, *token;
    char digest[SRV_SHA256_HEX + 1];
    char *inviter = NULL;
    cJSON *inv = NULL, *conn = NULL, *resp;
    srv_db_status st;
    int existed = 0;

    if (srv_body_required(rq, rs) || parse_peer_key(rq->body, &k, rs) ||
        srv_json_object(rq->body, "connection", SRV_REQUIRED, &in, rs) ||
        srv_json_string(in, "invitation_token", SRV_REQUIRED, SRV_MAX_NAME,
                        &token, rs) ||
        srv_json_cryppo(in, "encrypted_recipient_name", SRV_OPTIONAL, &enc_name,
                        rs))
        return;
    srv_sha256_hex(token, strlen(token), digest);
    inv = srv_rec_find(rq->db, "invitation", NULL, digest, &inviter, &st);
    if (!inv || strcmp(srv_str(inv, "state"), "new") != 0) {
        srv_resp_error(rs, 404, "invitation_not_found",
                       "no open invitation has this token");
        goto out;
    }
    if (strcmp(inviter, rq->user_id) == 0) {
        srv_resp_error(rs, 400, "own_invitation",
                       "you cannot accept your own invitation");
        goto out;
    }
    conn = srv_connection_with(rq->db, rq->user_id, inviter);
    existed = conn != NULL;
    if (!conn)
        conn = accept_invitation(rq, inv, inviter, &k, enc_name, rs);
    if (!conn)
        goto out;
    resp = cJSON_CreateObject();
    cJSON_AddBoolToObject(resp, "connection_existed_already", existed);
    cJSON_AddItemToObject(resp, "connection", connection_public(conn));
    cJSON_AddArrayToObject(resp, "created_shares_report");
    srv_resp_json(rs, existed ? 200 : 201, resp);
out:
    cJSON_Delete(conn);
    cJSON_Delete(inv);
    free(inviter);
}

static void connection_list(srv_req *rq, srv_resp *rs)
{
    cJSON *resp, *arr, *c;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    if (srv_page_parse(rq, "connection", &pg, rs) != 0)
        return;
    resp = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(resp, "connections");
    st = srv_list_page(rq->db, "connection", rq->user_id, &pg, NULL, NULL, arr,
                       &next);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "connections");
        return;
    }
    cJSON_ArrayForEach(c, arr) cJSON_DeleteItemFromObjectCaseSensitive(c, "id");
    srv_page_finish(resp, &pg, cJSON_GetArraySize(arr), next);
    srv_resp_json(rs, 200, resp);
}

static void connection_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *c =
        srv_rec_load(rq->db, "connection", rq->user_id, rq->params[0], &st);

    if (!c) {
        srv_resp_db_error(rs, st, "connection");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("connection", connection_public(c)));
    cJSON_Delete(c);
}

/* Removes both sides of the connection. */
static void connection_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *c =
        srv_rec_load(rq->db, "connection", rq->user_id, rq->params[0], &st);
    const cJSON *other;

    if (!c) {
        srv_resp_db_error(rs, st, "connection");
        return;
    }
    other = cJSON_GetObjectItemCaseSensitive(c, "the_other_user");
    st = srv_doc_delete(rq->db, "connection", rq->user_id, rq->params[0]);
    if (st == SRV_DB_OK && srv_str(other, "user_id") && srv_str(other, "id"))
        (void)srv_doc_delete(rq->db, "connection", srv_str(other, "user_id"),
                             srv_str(other, "id"));
    cJSON_Delete(c);
    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "connection");
    else
        srv_resp_json(rs, 204, NULL);
}

const srv_route srv_vault_connection_routes[] = {
    {SRV_VAULT, "POST", "/invitations", SRV_AUTH_VAULT, invitation_create},
    {SRV_VAULT, "GET", "/invitations", SRV_AUTH_VAULT, invitation_list},
    {SRV_VAULT, "GET", "/invitations/{id}", SRV_AUTH_VAULT, invitation_get},
    {SRV_VAULT, "DELETE", "/invitations/{id}", SRV_AUTH_VAULT,
     invitation_delete},
    {SRV_VAULT, "POST", "/connections", SRV_AUTH_VAULT, connection_create},
    {SRV_VAULT, "GET", "/connections", SRV_AUTH_VAULT, connection_list},
    {SRV_VAULT, "GET", "/connections/{id}", SRV_AUTH_VAULT, connection_get},
    {SRV_VAULT, "DELETE", "/connections/{id}", SRV_AUTH_VAULT,
     connection_delete},
    {0, NULL, NULL, 0, NULL},
};
