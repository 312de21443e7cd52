/* remote/keystore_api.c - Keystore routes for sign-up and login. */
#include "keystore_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srp.h"

static cJSON *obj2(const char *k1, const char *v1, const char *k2,
                   const char *v2)
{
    cJSON *o = cJSON_CreateObject();

    if (o && k1)
        cJSON_AddStringToObject(o, k1, v1);
    if (o && k2)
        cJSON_AddStringToObject(o, k2, v2);
    return o;
}

remote_status remote_api_call_str(remote_http *h, remote_api api,
                                  const char *method, const char *path,
                                  const char *token, cJSON *body,
                                  const char *field, char **out)
{
    cJSON *ans = NULL;
    const char *v;
    remote_status st;

    if (out)
        *out = NULL;
    st = remote_http_call(h, api, method, path, token, body, &ans, NULL);
    cJSON_Delete(body);
    if (st != REMOTE_OK || !field)
        goto out;
    v = remote_json_str(ans, field);
    if (!v) {
        remote_error_set("%s %s: answer has no %s", method, path, field);
        st = REMOTE_ERR_PROTOCOL;
        goto out;
    }
    *out = strdup(v);
    st = *out ? REMOTE_OK : REMOTE_ERR_NOMEM;
out:
    cJSON_Delete(ans);
    return st;
}

remote_status remote_ks_username_new(remote_http *h, char **username)
{
    return remote_api_call_str(h, REMOTE_KEYSTORE, "POST", "/srp/username",
                               NULL, cJSON_CreateObject(), "username",
                               username);
}

remote_status remote_ks_srp_register(remote_http *h, const char *username,
                                     const uint8_t *pw, size_t pw_len)
{
    char *salt = NULL, *verifier = NULL;
    cJSON *b;
    remote_status st;

    if (srp_verifier_create(username, pw, pw_len, NULL, &salt, &verifier) !=
        SRP_OK)
        return REMOTE_ERR_CRYPTO;
    b = obj2("username", username, "srp_salt", salt);
    if (b)
        cJSON_AddStringToObject(b, "srp_verifier", verifier);
    st = remote_api_call_str(h, REMOTE_KEYSTORE, "POST", "/srp/users", NULL, b,
                             NULL, NULL);
    free(salt);
    free(verifier);
    return st;
}

static remote_status srp_challenge(remote_http *h, const char *username,
                                   srp_client *c)
{
    cJSON *ans = NULL,
          *b = obj2("username", username, "srp_a", srp_client_public_hex(c));
    const char *salt, *bhex;
    remote_status st;

    st = remote_http_call(h, REMOTE_KEYSTORE, "POST", "/srp/challenges", NULL,
                          b, &ans, NULL);
    cJSON_Delete(b);
    if (st != REMOTE_OK)
        goto out;
    salt = remote_json_str(ans, "challenge.challenge_salt");
    bhex = remote_json_str(ans, "challenge.challenge_b");
    if (!salt || !bhex || srp_client_set_challenge(c, salt, bhex) != SRP_OK) {
        remote_error_set("POST /srp/challenges: unusable challenge");
        st = REMOTE_ERR_PROTOCOL;
    }
out:
    cJSON_Delete(ans);
    return st;
}

remote_status remote_ks_srp_login(remote_http *h, const char *username,
                                  const uint8_t *pw, size_t pw_len,
                                  secbuf *token)
{
    srp_client *c = NULL;
    char *tok = NULL;
    cJSON *b;
    remote_status st;

    if (srp_client_new(username, pw, pw_len, NULL, &c) != SRP_OK)
        return REMOTE_ERR_CRYPTO;
    st = srp_challenge(h, username, c);
    if (st != REMOTE_OK)
        goto out;
    b = obj2("username", username, "srp_a", srp_client_public_hex(c));
    if (b)
        cJSON_AddStringToObject(b, "srp_m", srp_client_proof_hex(c));
    st = remote_api_call_str(h, REMOTE_KEYSTORE, "POST", "/srp/session", NULL,
                             b, "session.session_authentication_string", &tok);
    if (st == REMOTE_ERR_AUTH)
        st = REMOTE_ERR_LOGIN;
    if (st == REMOTE_OK && secbuf_dup(token, tok, strlen(tok)) != 0)
        st = REMOTE_ERR_NOMEM;
out:
    if (tok)
        secure_free(tok, strlen(tok) + 1);
    srp_client_free(c);
    return st;
}

remote_status remote_ks_admission_get(remote_http *h, const char *tok,
                                      char **vault_admission)
{
    return remote_api_call_str(
        h, REMOTE_KEYSTORE, "GET", "/external_admission_tokens", tok, NULL,
        "external_admission_token.vault_api_admission_token", vault_admission);
}

remote_status remote_ks_kek_create(remote_http *h, const char *tok,
                                   const char *wrapped)
{
    return remote_api_call_str(
        h, REMOTE_KEYSTORE, "POST", "/key_encryption_key", tok,
        obj2("serialized_key_encryption_key", wrapped, NULL, NULL), NULL, NULL);
}

remote_status remote_ks_kek_get(remote_http *h, const char *tok, char **wrapped)
{
    return remote_api_call_str(
        h, REMOTE_KEYSTORE, "GET", "/key_encryption_key", tok, NULL,
        "key_encryption_key.serialized_key_encryption_key", wrapped);
}

remote_status remote_ks_keypair_create(remote_http *h, const char *tok,
                                       const char *public_pem,
                                       const char *wrapped_private,
                                       const char *external_id, char **id)
{
    cJSON *b = obj2("public_key", public_pem, "encrypted_serialized_key",
                    wrapped_private);

    if (b && external_id)
        cJSON_AddItemToObject(
            b, "external_identifiers",
            cJSON_CreateStringArray((const char *[]){external_id}, 1));
    return remote_api_call_str(h, REMOTE_KEYSTORE, "POST", "/keypairs", tok, b,
                               "keypair.id", id);
}

remote_status remote_ks_keypair_by_external(remote_http *h, const char *tok,
                                            const char *external_id,
                                            cJSON **keypair)
{
    char path[256];
    cJSON *ans = NULL;
    remote_status st;

    *keypair = NULL;
    snprintf(path, sizeof(path), "/keypairs/external_id/%s", external_id);
    st = remote_http_call(h, REMOTE_KEYSTORE, "GET", path, tok, NULL, &ans,
                          NULL);
    if (st != REMOTE_OK)
        return st;
    *keypair = cJSON_DetachItemFromObjectCaseSensitive(ans, "keypair");
    cJSON_Delete(ans);
    if (!remote_json_str(*keypair, "id") ||
        !remote_json_str(*keypair, "public_key") ||
        !remote_json_str(*keypair, "encrypted_serialized_key")) {
        cJSON_Delete(*keypair);
        *keypair = NULL;
        remote_error_set("GET %s: incomplete keypair", path);
        return REMOTE_ERR_PROTOCOL;
    }
    return REMOTE_OK;
}

remote_status remote_ks_dek_create(remote_http *h, const char *tok,
                                   const char *wrapped, char **id)
{
    return remote_api_call_str(
        h, REMOTE_KEYSTORE, "POST", "/data_encryption_keys", tok,
        obj2("serialized_data_encryption_key", wrapped, NULL, NULL),
        "data_encryption_key.id", id);
}

remote_status remote_ks_dek_get(remote_http *h, const char *tok, const char *id,
                                char **wrapped)
{
    char path[256];

    snprintf(path, sizeof(path), "/data_encryption_keys/%s", id);
    return remote_api_call_str(
        h, REMOTE_KEYSTORE, "GET", path, tok, NULL,
        "data_encryption_key.serialized_data_encryption_key", wrapped);
}
