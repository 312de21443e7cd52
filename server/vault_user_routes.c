/* server/vault_user_routes.c - vault accounts and sessions (3.5, 6.1):
 *
 *   POST /me        {public_key, admission_token} -> user + token
 *   GET|PUT /me     the user record (private_dek_external_id, ...)
 *   POST /session   {public_key} -> token encrypted to that key
 *   DELETE /session, GET /version
 *
 * The vault authenticates possession of the user's RSA key: the session
 * token is returned only as Rsa4096 ciphertext under the registered
 * public key (cryppo_rsa_encrypt).  Users are found by the SHA-256 of
 * their key's DER SubjectPublicKeyInfo, so PEM line endings do not
 * matter.  Responses carry the union of the current API's fields and
 * those the 0.0.13 SDK's generated models read (docs/SERVER.md).
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth.h"
#include "config.h"
#include "cryppo.h"
#include "records.h"
#include "secbuf.h"
#include "util.h"
#include "validate.h"
#include "vault_common.h"

/* SHA-256 hex of the key's DER SPKI; 0 or -1. */
static int key_digest(const char *pem, char out[SRV_SHA256_HEX + 1])
{
    EVP_PKEY *key = NULL;
    unsigned char *der = NULL;
    int len;

    if (cryppo_rsa_public_from_pem(pem, strlen(pem), &key) != CRYPPO_OK)
        return -1;
    len = i2d_PUBKEY(key, &der);
    EVP_PKEY_free(key);
    if (len <= 0)
        return -1;
    srv_sha256_hex(der, (size_t)len, out);
    OPENSSL_free(der);
    return 0;
}

/* A new vault session token for user_id, RSA-encrypted to pem. */
static char *issue_encrypted_token(srv_req *rq, const char *user_id,
                                   const char *pem, long valid_for)
{
    char token[SRV_TOKEN_LEN + 1], sid[SRV_ID_LEN + 1];
    EVP_PKEY *key = NULL;
    char *ser = NULL;

    if (srv_id_new(sid) != 0 ||
        cryppo_rsa_public_from_pem(pem, strlen(pem), &key) != CRYPPO_OK)
        return NULL;
    if (srv_auth_issue(rq->db, SRV_TOKEN_VAULT_SESSION, user_id, sid,
                       (int64_t)valid_for * 1000, token) == SRV_DB_OK) {
        if (cryppo_rsa_encrypt(key, (const uint8_t *)token, strlen(token),
                               &ser) != CRYPPO_OK)
            ser = NULL;
    }
    secure_wipe(token, sizeof(token));
    EVP_PKEY_free(key);
    return ser;
}

static cJSON *new_user(const char *pem, const char *ks_user_id)
{
    static const char *const nulls[] = {
        "full_name", "country", "joined_at", "onboarded_at", "timezone",
        "private_dek_external_id", "did", "queued_for_deletion_after",
        /* 0.0.13 (vault API 19) model fields */
        "image", "cloudname", "unconfirmed_email", "verified_at", "share_terms",
        "key_store_admission_token", "key_store_id", "key_store_url",
        "key_store_username"};
    cJSON *u = cJSON_CreateObject();

    srv_set_new_id(u);
    for (size_t i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
        cJSON_AddNullToObject(u, nulls[i]);
    cJSON_AddStringToObject(u, "email", "");
    cJSON_AddFalseToObject(u, "accepted_terms");
    cJSON_AddFalseToObject(u, "broken_attachments_present");
    cJSON_AddStringToObject(u, "user_type", "human");
    cJSON_AddFalseToObject(u, "is_app_logging_enabled");
    cJSON_AddFalseToObject(u, "track_events");
    cJSON_AddFalseToObject(u, "track_usage");
    cJSON_AddArrayToObject(u, "association_ids");
    srv_set_now(u, "joined_at");
    cJSON_AddStringToObject(u, "_public_key", pem);
    cJSON_AddStringToObject(u, "_keystore_user_id", ks_user_id);
    return u;
}

/* {"user": public copy, "associations": []} */
static cJSON *user_response(const cJSON *u)
{
    cJSON *o = srv_wrap("user", srv_rec_public(u));

    cJSON_AddArrayToObject(o, "associations");
    return o;
}

static void me_create(srv_req *rq, srv_resp *rs)
{
    const char *pem, *adm;
    char digest[SRV_SHA256_HEX + 1];
    char *ks_user = NULL, *enc = NULL;
    cJSON *u = NULL, *out;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_public_key(rq->body, "public_key", SRV_REQUIRED, &pem, rs) ||
        srv_json_string(rq->body, "admission_token", SRV_REQUIRED, SRV_MAX_NAME,
                        &adm, rs))
        return;
    if (key_digest(pem, digest) != 0) {
        srv_resp_error(rs, 422, "invalid_public_key", "unusable public key");
        return;
    }
    u = srv_rec_find(rq->db, "vault_user", NULL, digest, NULL, &st);
    if (u || st != SRV_DB_NOT_FOUND) {
        srv_resp_error(rs, 400, "public_key_taken",
                       "a vault user with this public key exists");
        goto out;
    }
    if (srv_auth_consume(rq->db, SRV_TOKEN_VAULT_ADMISSION, adm, &ks_user) !=
        SRV_DB_OK) {
        srv_resp_error(rs, 401, "invalid_admission_token",
                       "the admission token is invalid, used or expired");
        goto out;
    }
    u = new_user(pem, ks_user);
    st =
        srv_rec_insert(rq->db, "vault_user", srv_str(u, "id"), NULL, digest, u);
    enc = st == SRV_DB_OK
              ? issue_encrypted_token(rq, srv_str(u, "id"), pem,
                                      srv_req_config(rq)->session_ttl)
              : NULL;
    if (!enc) {
        srv_resp_db_error(rs, st == SRV_DB_OK ? SRV_DB_ERROR : st, "user");
        goto out;
    }
    out = user_response(u);
    cJSON_AddStringToObject(out, "encrypted_session_authentication_string",
                            enc);
    srv_resp_json(rs, 201, out);
out:
    free(enc);
    free(ks_user);
    cJSON_Delete(u);
}

static void me_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *u =
        srv_rec_load(rq->db, "vault_user", rq->user_id, rq->user_id, &st);

    if (!u) {
        srv_resp_db_error(rs, st, "user");
        return;
    }
    srv_resp_json(rs, 200, user_response(u));
    cJSON_Delete(u);
}

static int apply_user_fields(cJSON *u, const cJSON *in, srv_resp *rs)
{
    static const char *const fields[] = {
        "full_name", "email",   "country", "image", "private_dek_external_id",
        "did",       "timezone"};

    for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(in, fields[i]);
        const char *v;

        if (!f)
            continue;
        if (srv_json_string(in, fields[i], SRV_OPTIONAL, SRV_MAX_NAME, &v, rs))
            return -1;
        srv_set_str(u, fields[i], v);
    }
    return 0;
}

static void me_update(srv_req *rq, srv_resp *rs)
{
    const cJSON *in;
    srv_db_status st;
    cJSON *u;

    if (srv_body_required(rq, rs) ||
        srv_json_object(rq->body, "user", SRV_REQUIRED, &in, rs))
        return;
    u = srv_rec_load(rq->db, "vault_user", rq->user_id, rq->user_id, &st);
    if (!u) {
        srv_resp_db_error(rs, st, "user");
        return;
    }
    if (apply_user_fields(u, in, rs) == 0) {
        st = srv_rec_save(rq->db, "vault_user", rq->user_id, u);
        if (st != SRV_DB_OK)
            srv_resp_db_error(rs, st, "user");
        else
            srv_resp_json(rs, 200, user_response(u));
    }
    cJSON_Delete(u);
}

static void session_create(srv_req *rq, srv_resp *rs)
{
    const char *pem;
    char digest[SRV_SHA256_HEX + 1];
    long valid_for = (long)srv_req_config(rq)->session_ttl;
    char *owner = NULL, *enc = NULL;
    srv_db_status st;
    cJSON *u, *s;

    if (srv_body_required(rq, rs) ||
        srv_json_public_key(rq->body, "public_key", SRV_REQUIRED, &pem, rs) ||
        srv_json_int(rq->body, "valid_for", 60, 30L * 86400, &valid_for, rs))
        return;
    if (key_digest(pem, digest) != 0) {
        srv_resp_error(rs, 422, "invalid_public_key", "unusable public key");
        return;
    }
    u = srv_rec_find(rq->db, "vault_user", NULL, digest, &owner, &st);
    if (!u) {
        srv_resp_error(rs, 401, "unknown_public_key",
                       "no vault user has this public key");
        return;
    }
    enc = issue_encrypted_token(rq, owner, pem, valid_for);
    if (!enc) {
        srv_resp_error(rs, 500, "internal_error", "cannot create session");
    } else {
        s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "encrypted_session_authentication_string",
                                enc);
        srv_resp_json(rs, 201, srv_wrap("session", s));
    }
    free(enc);
    free(owner);
    cJSON_Delete(u);
}

static void session_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st = srv_token_delete(rq->db, rq->token_hash);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "session");
    else
        srv_resp_json(rs, 204, NULL);
}

static void version_get(srv_req *rq, srv_resp *rs)
{
    cJSON *c = cJSON_CreateObject();

    (void)rq;
    cJSON_AddStringToObject(c, "api_version", "39.0.0");
    cJSON_AddStringToObject(c, "name", "meeco-server vault");
    srv_resp_json(rs, 200, srv_wrap("component", c));
}

const srv_route srv_vault_user_routes[] = {
    {SRV_VAULT, "POST", "/me", SRV_AUTH_NONE, me_create},
    {SRV_VAULT, "GET", "/me", SRV_AUTH_VAULT, me_get},
    {SRV_VAULT, "PUT", "/me", SRV_AUTH_VAULT, me_update},
    {SRV_VAULT, "POST", "/session", SRV_AUTH_NONE, session_create},
    {SRV_VAULT, "DELETE", "/session", SRV_AUTH_VAULT, session_delete},
    {SRV_VAULT, "GET", "/version", SRV_AUTH_NONE, version_get},
    {0, NULL, NULL, 0, NULL},
};
