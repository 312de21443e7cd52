/* server/keystore_key_routes.c - the Keystore's wrapped keys (section 5):
 * key_encryption_key, data_encryption_keys, keypairs, admission tokens,
 * passphrase_derivation_artefact, version.  The server stores only the
 * Cryppo ciphertext and public keys the client sends; it never sees a
 * key that decrypts anything. */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "records.h"
#include "secbuf.h"
#include "validate.h"

#define ADMISSION_TTL_MS (24 * 3600 * 1000LL)
#define MAX_EXTERNAL_IDS 32

static void admission_tokens(srv_req *rq, srv_resp *rs)
{
    char vat[SRV_TOKEN_LEN + 1], pat[SRV_TOKEN_LEN + 1];
    cJSON *o;

    if (srv_auth_issue(rq->db, SRV_TOKEN_VAULT_ADMISSION, rq->user_id, NULL,
                       ADMISSION_TTL_MS, vat) != SRV_DB_OK ||
        srv_auth_issue(rq->db, SRV_TOKEN_PASS_ADMISSION, rq->user_id, NULL,
                       ADMISSION_TTL_MS, pat) != SRV_DB_OK) {
        srv_resp_error(rs, 500, "internal_error", "cannot issue tokens");
        return;
    }
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "vault_api_admission_token", vat);
    cJSON_AddStringToObject(o, "passphrase_store_admission_token", pat);
    srv_resp_json(rs, 200, srv_wrap("external_admission_token", o));
    secure_wipe(vat, sizeof(vat));
    secure_wipe(pat, sizeof(pat));
}

/* ---- KEK: one per user ----------------------------------------------------
 */

static void kek_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *kek = srv_rec_find(rq->db, "kek", rq->user_id, "kek", NULL, &st);

    if (!kek)
        srv_resp_db_error(rs, st, "key encryption key");
    else
        srv_resp_json(rs, 200, srv_wrap("key_encryption_key", kek));
}

static void kek_post(srv_req *rq, srv_resp *rs)
{
    const char *ser;
    srv_db_status st;
    cJSON *kek;

    if (srv_body_required(rq, rs) ||
        srv_json_cryppo(rq->body, "serialized_key_encryption_key", SRV_REQUIRED,
                        &ser, rs))
        return;
    kek = srv_rec_find(rq->db, "kek", rq->user_id, "kek", NULL, &st);
    if (kek) { /* re-wrap (passphrase change): keep the id */
        srv_set_str(kek, "serialized_key_encryption_key", ser);
        st = srv_rec_save(rq->db, "kek", rq->user_id, kek);
    } else if (st == SRV_DB_NOT_FOUND) {
        kek = cJSON_CreateObject();
        srv_set_new_id(kek);
        cJSON_AddStringToObject(kek, "serialized_key_encryption_key", ser);
        st = srv_rec_insert(rq->db, "kek", rq->user_id, NULL, "kek", kek);
    }
    if (st != SRV_DB_OK) {
        cJSON_Delete(kek);
        srv_resp_db_error(rs, st, "key encryption key");
        return;
    }
    srv_resp_json(rs, 201, srv_wrap("key_encryption_key", kek));
}

/* ---- DEKs ---------------------------------------------------------------- */

static void dek_post(srv_req *rq, srv_resp *rs)
{
    const char *ser;
    srv_db_status st;
    cJSON *dek;

    if (srv_body_required(rq, rs) ||
        srv_json_cryppo(rq->body, "serialized_data_encryption_key",
                        SRV_REQUIRED, &ser, rs))
        return;
    dek = cJSON_CreateObject();
    srv_set_new_id(dek);
    cJSON_AddStringToObject(dek, "serialized_data_encryption_key", ser);
    st = srv_rec_insert(rq->db, "dek", rq->user_id, NULL, NULL, dek);
    if (st != SRV_DB_OK) {
        cJSON_Delete(dek);
        srv_resp_db_error(rs, st, "data encryption key");
        return;
    }
    srv_resp_json(rs, 201, srv_wrap("data_encryption_key", dek));
}

static void dek_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *dek = srv_rec_load(rq->db, "dek", rq->user_id, rq->params[0], &st);

    if (!dek)
        srv_resp_db_error(rs, st, "data encryption key");
    else
        srv_resp_json(rs, 200, srv_wrap("data_encryption_key", dek));
}

static void dek_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st =
        srv_doc_delete(rq->db, "dek", rq->user_id, rq->params[0]);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "data encryption key");
    else
        srv_resp_json(rs, 204, NULL);
}

/* ---- keypairs --------------------------------------------------------------
 */

/* external_identifiers: array of short strings. */
static int external_ids(const cJSON *body, const cJSON **out, srv_resp *rs)
{
    const cJSON *e;

    if (srv_json_array(body, "external_identifiers", SRV_OPTIONAL,
                       MAX_EXTERNAL_IDS, out, rs))
        return -1;
    cJSON_ArrayForEach(e, *out)
    {
        if (!cJSON_IsString(e) || strlen(e->valuestring) == 0 ||
            strlen(e->valuestring) > SRV_MAX_NAME) {
            srv_resp_error(rs, 422, "validation_error",
                           "external_identifiers must be non-empty strings");
            return -1;
        }
    }
    return 0;
}

static int metadata(const cJSON *body, const cJSON **out, srv_resp *rs)
{
    return srv_json_object(body, "metadata", SRV_OPTIONAL, out, rs);
}

static void keypair_post(srv_req *rq, srv_resp *rs)
{
    const char *pub, *enc;
    const cJSON *ids, *meta;
    srv_db_status st;
    cJSON *kp;

    if (srv_body_required(rq, rs) ||
        srv_json_public_key(rq->body, "public_key", SRV_REQUIRED, &pub, rs) ||
        srv_json_cryppo(rq->body, "encrypted_serialized_key", SRV_REQUIRED,
                        &enc, rs) ||
        external_ids(rq->body, &ids, rs) || metadata(rq->body, &meta, rs))
        return;
    kp = cJSON_CreateObject();
    srv_set_new_id(kp);
    cJSON_AddStringToObject(kp, "public_key", pub);
    cJSON_AddStringToObject(kp, "encrypted_serialized_key", enc);
    srv_set_item(kp, "metadata",
                 meta ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject());
    srv_set_item(kp, "external_identifiers",
                 ids ? cJSON_Duplicate(ids, 1) : cJSON_CreateArray());
    st = srv_rec_insert(rq->db, "keypair", rq->user_id, NULL, NULL, kp);
    if (st != SRV_DB_OK) {
        cJSON_Delete(kp);
        srv_resp_db_error(rs, st, "keypair");
        return;
    }
    srv_resp_json(rs, 201, srv_wrap("keypair", kp));
}

static void keypair_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *kp =
        srv_rec_load(rq->db, "keypair", rq->user_id, rq->params[0], &st);

    if (!kp)
        srv_resp_db_error(rs, st, "keypair");
    else
        srv_resp_json(rs, 200, srv_wrap("keypair", kp));
}

struct ext_find {
    const char *ext;
    cJSON *found;
};

static int match_ext(const srv_doc *d, void *ctx)
{
    struct ext_find *f = ctx;
    cJSON *kp = cJSON_Parse(d->body);
    const cJSON *e;

    cJSON_ArrayForEach(
        e, cJSON_GetObjectItemCaseSensitive(kp, "external_identifiers"))
    {
        if (cJSON_IsString(e) && strcmp(e->valuestring, f->ext) == 0) {
            f->found = kp;
            return 1;
        }
    }
    cJSON_Delete(kp);
    return 0;
}

static void keypair_by_external_id(srv_req *rq, srv_resp *rs)
{
    struct ext_find f = {rq->params[0], NULL};
    srv_db_status st =
        srv_doc_list(rq->db, "keypair", rq->user_id, NULL, 0, match_ext, &f);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "keypair");
    else if (!f.found)
        srv_resp_db_error(rs, SRV_DB_NOT_FOUND, "keypair");
    else
        srv_resp_json(rs, 200, srv_wrap("keypair", f.found));
}

static void keypair_patch(srv_req *rq, srv_resp *rs)
{
    const cJSON *ids, *meta;
    srv_db_status st;
    cJSON *kp;

    if (srv_body_required(rq, rs) || external_ids(rq->body, &ids, rs) ||
        metadata(rq->body, &meta, rs))
        return;
    kp = srv_rec_load(rq->db, "keypair", rq->user_id, rq->params[0], &st);
    if (!kp) {
        srv_resp_db_error(rs, st, "keypair");
        return;
    }
    if (ids)
        srv_set_copy(kp, "external_identifiers", ids);
    if (meta)
        srv_set_copy(kp, "metadata", meta);
    st = srv_rec_save(rq->db, "keypair", rq->user_id, kp);
    if (st != SRV_DB_OK) {
        cJSON_Delete(kp);
        srv_resp_db_error(rs, st, "keypair");
        return;
    }
    srv_resp_json(rs, 200, srv_wrap("keypair", kp));
}

static void keypair_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st =
        srv_doc_delete(rq->db, "keypair", rq->user_id, rq->params[0]);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "keypair");
    else
        srv_resp_json(rs, 204, NULL);
}

/* ---- passphrase derivation artefact (OIDC users) ----------------------- */

static void pda_get(srv_req *rq, srv_resp *rs)
{
    srv_db_status st;
    cJSON *p = srv_rec_find(rq->db, "pda", rq->user_id, "pda", NULL, &st);

    if (!p)
        srv_resp_db_error(rs, st, "passphrase derivation artefact");
    else
        srv_resp_json(rs, 200, srv_wrap("passphrase_derivation_artefact", p));
}

static void pda_post(srv_req *rq, srv_resp *rs)
{
    const char *der, *ver;
    srv_db_status st;
    cJSON *p;

    if (srv_body_required(rq, rs) ||
        srv_json_cryppo(rq->body, "derivation_artefacts", SRV_REQUIRED, &der,
                        rs) ||
        srv_json_string(rq->body, "verification_artefacts", SRV_REQUIRED,
                        SRV_MAX_TEXT, &ver, rs))
        return;
    p = cJSON_CreateObject();
    srv_set_new_id(p);
    cJSON_AddStringToObject(p, "derivation_artefacts", der);
    cJSON_AddStringToObject(p, "verification_artefacts", ver);
    (void)srv_doc_delete_children(rq->db, "pda", rq->user_id, "pda");
    st = srv_rec_insert(rq->db, "pda", rq->user_id, "pda", "pda", p);
    if (st != SRV_DB_OK) {
        cJSON_Delete(p);
        srv_resp_db_error(rs, st, "passphrase derivation artefact");
        return;
    }
    srv_resp_json(rs, 201, srv_wrap("passphrase_derivation_artefact", p));
}

static void version_get(srv_req *rq, srv_resp *rs)
{
    cJSON *c = cJSON_CreateObject();

    (void)rq;
    cJSON_AddStringToObject(c, "api_version", "10.0.0");
    cJSON_AddStringToObject(c, "name", "meeco-server keystore");
    srv_resp_json(rs, 200, srv_wrap("component", c));
}

const srv_route srv_keystore_key_routes[] = {
    {SRV_KEYSTORE, "GET", "/external_admission_tokens", SRV_AUTH_KEYSTORE,
     admission_tokens},
    {SRV_KEYSTORE, "GET", "/key_encryption_key", SRV_AUTH_KEYSTORE, kek_get},
    {SRV_KEYSTORE, "POST", "/key_encryption_key", SRV_AUTH_KEYSTORE, kek_post},
    {SRV_KEYSTORE, "POST", "/data_encryption_keys", SRV_AUTH_KEYSTORE,
     dek_post},
    {SRV_KEYSTORE, "GET", "/data_encryption_keys/{id}", SRV_AUTH_KEYSTORE,
     dek_get},
    {SRV_KEYSTORE, "DELETE", "/data_encryption_keys/{id}", SRV_AUTH_KEYSTORE,
     dek_delete},
    {SRV_KEYSTORE, "POST", "/keypairs", SRV_AUTH_KEYSTORE, keypair_post},
    {SRV_KEYSTORE, "GET", "/keypairs/external_id/{external_id}",
     SRV_AUTH_KEYSTORE, keypair_by_external_id},
    {SRV_KEYSTORE, "GET", "/keypairs/{id}", SRV_AUTH_KEYSTORE, keypair_get},
    {SRV_KEYSTORE, "PATCH", "/keypairs/{id}", SRV_AUTH_KEYSTORE, keypair_patch},
    {SRV_KEYSTORE, "DELETE", "/keypairs/{id}", SRV_AUTH_KEYSTORE,
     keypair_delete},
    {SRV_KEYSTORE, "GET", "/passphrase_derivation_artefact", SRV_AUTH_KEYSTORE,
     pda_get},
    {SRV_KEYSTORE, "POST", "/passphrase_derivation_artefact", SRV_AUTH_KEYSTORE,
     pda_post},
    {SRV_KEYSTORE, "GET", "/version", SRV_AUTH_NONE, version_get},
    {0, NULL, NULL, 0, NULL},
};
