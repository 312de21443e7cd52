/* remote/key_writes.c - keystore DEKs and keypairs (create, delete) and
 * logout (meeco-protocol.md 5). */
#include "writes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"

/* POST base with body; *id = the string at member.id of the answer. */
static remote_status create(const remote_session *s, const char *base,
                            cJSON *body, const char *member, char **id)
{
    cJSON *ans = NULL;
    const char *v;
    remote_status st;

    if (!body)
        return REMOTE_ERR_NOMEM;
    st =
        remote_session_call(s, REMOTE_KEYSTORE, "POST", base, NULL, body, &ans);
    cJSON_Delete(body);
    if (st != REMOTE_OK)
        goto out;
    v = remote_json_str(cJSON_GetObjectItemCaseSensitive(ans, member), "id");
    if (!v) {
        remote_error_set("POST %s: answer has no %s.id", base, member);
        st = REMOTE_ERR_PROTOCOL;
        goto out;
    }
    *id = strdup(v);
    st = *id ? REMOTE_OK : REMOTE_ERR_NOMEM;
out:
    cJSON_Delete(ans);
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
    return create(s, "/data_encryption_keys", b, "data_encryption_key", id);
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
    return create(s, "/keypairs", body, "keypair", id);
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
