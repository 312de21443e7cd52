/* remote/key_writes.c - keystore DEKs and keypairs (create, delete) and
 * logout (meeco-protocol.md 5). */
#include "writes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "keystore_api.h"

/* POST base with body (consumed) on a fresh HTTP client; *id = the
 * string at field of the answer. */
static remote_status create(const remote_session *s, const char *base,
                            cJSON *body, const char *field, char **id)
{
    remote_http *h = NULL;
    remote_status st;

    if (!body)
        return REMOTE_ERR_NOMEM;
    st = remote_http_new(s->cfg, &h);
    if (st != REMOTE_OK) {
        cJSON_Delete(body);
        return st;
    }
    st = remote_api_call_str(h, REMOTE_KEYSTORE, "POST", base,
                             (const char *)s->keystore_token.p, body, field,
                             id);
    remote_http_free(h);
    return st;
}

remote_status remote_dek_create(const remote_session *s, const char *wrapped,
                                char **id)
{
    cJSON *b;

    if (id)
        *id = NULL;
    if (!remote_session_usable(s) || !wrapped || !id)
        return REMOTE_ERR_ARGS;
    b = cJSON_CreateObject();
    if (b && !cJSON_AddStringToObject(b, "serialized_data_encryption_key",
                                      wrapped)) {
        cJSON_Delete(b);
        b = NULL;
    }
    return create(s, "/data_encryption_keys", b, "data_encryption_key.id", id);
}

remote_status remote_dek_delete(const remote_session *s, const char *id)
{
    if (!remote_id_ok(id))
        return REMOTE_ERR_ARGS;
    return remote_session_call(s, REMOTE_KEYSTORE, "DELETE",
                               "/data_encryption_keys/", id, NULL, NULL);
}

static cJSON *keypair_body(const char *public_pem, const char *wrapped,
                           const char *external_id, const char *metadata)
{
    cJSON *b = cJSON_CreateObject();
    int ok = b && cJSON_AddStringToObject(b, "public_key", public_pem) &&
             cJSON_AddStringToObject(b, "encrypted_serialized_key", wrapped);

    if (ok && metadata) {
        cJSON *m = cJSON_Parse(metadata);

        ok = cJSON_IsObject(m) && cJSON_AddItemToObject(b, "metadata", m);
        if (!ok)
            cJSON_Delete(m);
    }
    if (ok && external_id) {
        cJSON *ids = cJSON_AddArrayToObject(b, "external_identifiers");
        cJSON *e = cJSON_CreateString(external_id);

        ok = ids && e && cJSON_AddItemToArray(ids, e);
        if (!ok)
            cJSON_Delete(e);
    }
    if (!ok) {
        cJSON_Delete(b);
        return NULL;
    }
    return b;
}

remote_status remote_keypair_create(const remote_session *s,
                                    const char *public_pem,
                                    const char *wrapped_private,
                                    const char *external_id,
                                    const char *metadata, char **id)
{
    cJSON *body;

    if (id)
        *id = NULL;
    if (!remote_session_usable(s) || !public_pem || !wrapped_private || !id)
        return REMOTE_ERR_ARGS;
    body = keypair_body(public_pem, wrapped_private, external_id, metadata);
    if (!body)
        return metadata ? REMOTE_ERR_ARGS : REMOTE_ERR_NOMEM;
    return create(s, "/keypairs", body, "keypair.id", id);
}

remote_status remote_keypair_delete(const remote_session *s, const char *id)
{
    if (!remote_id_ok(id))
        return REMOTE_ERR_ARGS;
    return remote_session_call(s, REMOTE_KEYSTORE, "DELETE", "/keypairs/", id,
                               NULL, NULL);
}

remote_status remote_logout(const remote_session *s)
{
    char detail[256] = "";
    remote_status v, k;

    if (!remote_session_usable(s))
        return REMOTE_ERR_ARGS;
    v = remote_session_call(s, REMOTE_VAULT, "DELETE", "/session", NULL, NULL,
                            NULL);
    if (v != REMOTE_OK)
        snprintf(detail, sizeof(detail), "%s", remote_last_error());
    k = remote_session_call(s, REMOTE_KEYSTORE, "DELETE", "/session", NULL,
                            NULL, NULL);
    if (v != REMOTE_OK)
        remote_error_set("%s", detail); /* the first failure's detail */
    return v != REMOTE_OK ? v : k;
}
