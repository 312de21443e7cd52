/* remote/vault_api.c - Vault routes for sign-up and login. */
#include "vault_api.h"

#include "keystore_api.h"

static cJSON *key_body(const char *public_pem)
{
    cJSON *o = cJSON_CreateObject();

    if (o)
        cJSON_AddStringToObject(o, "public_key", public_pem);
    return o;
}

remote_status remote_vault_user_create(remote_http *h, const char *public_pem,
                                       const char *admission, char **enc_token)
{
    cJSON *b = key_body(public_pem);

    if (b)
        cJSON_AddStringToObject(b, "admission_token", admission);
    return remote_api_call_str(h, REMOTE_VAULT, "POST", "/me", NULL, b,
                               "encrypted_session_authentication_string",
                               enc_token);
}

remote_status remote_vault_session_new(remote_http *h, const char *public_pem,
                                       char **enc_token)
{
    return remote_api_call_str(
        h, REMOTE_VAULT, "POST", "/session", NULL, key_body(public_pem),
        "session.encrypted_session_authentication_string", enc_token);
}

remote_status remote_vault_me_dek_id(remote_http *h, const char *tok,
                                     char **dek_id)
{
    return remote_api_call_str(h, REMOTE_VAULT, "GET", "/me", tok, NULL,
                               "user.private_dek_external_id", dek_id);
}

remote_status remote_vault_me_set_dek_id(remote_http *h, const char *tok,
                                         const char *dek_id)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *u = b ? cJSON_AddObjectToObject(b, "user") : NULL;

    if (u)
        cJSON_AddStringToObject(u, "private_dek_external_id", dek_id);
    return remote_api_call_str(h, REMOTE_VAULT, "PUT", "/me", tok, b, NULL,
                               NULL);
}

remote_status remote_vault_item_create(remote_http *h, const char *tok,
                                       const char *label, const char *slot_name,
                                       const char *encrypted_value, char **id)
{
    cJSON *b = cJSON_CreateObject(), *item, *slots, *s;

    item = cJSON_AddObjectToObject(b, "item");
    cJSON_AddStringToObject(item, "label", label);
    slots = cJSON_AddArrayToObject(item, "slots_attributes");
    s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", slot_name);
    cJSON_AddStringToObject(s, "slot_type_name", "key_value");
    cJSON_AddStringToObject(s, "encrypted_value", encrypted_value);
    cJSON_AddItemToArray(slots, s);
    return remote_api_call_str(h, REMOTE_VAULT, "POST", "/items", tok, b,
                               "item.id", id);
}
