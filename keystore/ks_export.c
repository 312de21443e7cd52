/* keystore/export.c - the stored ciphertext in Keystore API JSON shapes. */
#include "ks_export.h"

#include "internal.h"

static cJSON *kek_json(const store_kek *k)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", k->id);
    cJSON_AddStringToObject(o, "serialized_key_encryption_key",
                            k->serialized_key_encryption_key);
    return o;
}

static ks_status add_kek(ks_account *a, cJSON *root)
{
    store_kek k;
    store_status sst = store_kek_get(a->st, &k);
    if (sst == STORE_ERR_NOT_FOUND) {
        cJSON_AddNullToObject(root, "key_encryption_key");
        return KS_OK;
    }
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    cJSON *o = kek_json(&k);
    store_kek_clear(&k);
    if (!o)
        return KS_ERR_NOMEM;
    cJSON_AddItemToObject(root, "key_encryption_key", o);
    return KS_OK;
}

static ks_status add_deks(ks_account *a, cJSON *root)
{
    store_dek *deks = NULL;
    size_t n = 0;
    ks_status st = ks_status_from_store(store_dek_list(a->st, &deks, &n));
    cJSON *arr = st == KS_OK
                     ? cJSON_AddArrayToObject(root, "data_encryption_keys")
                     : NULL;
    if (st == KS_OK && !arr)
        st = KS_ERR_NOMEM;
    for (size_t i = 0; st == KS_OK && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            st = KS_ERR_NOMEM;
            break;
        }
        cJSON_AddStringToObject(o, "id", deks[i].id);
        cJSON_AddStringToObject(o, "serialized_data_encryption_key",
                                deks[i].serialized_data_encryption_key);
        cJSON_AddItemToArray(arr, o);
    }
    store_dek_list_free(deks, n);
    return st;
}

/* Parse stored JSON text (metadata, external_identifiers) or fall back. */
static cJSON *json_or(const char *text, int array)
{
    cJSON *v = text ? cJSON_Parse(text) : NULL;
    if (v && (array ? cJSON_IsArray(v) : cJSON_IsObject(v)))
        return v;
    cJSON_Delete(v);
    return array ? cJSON_CreateArray() : cJSON_CreateObject();
}

static cJSON *keypair_json(const store_keypair *k)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", k->id);
    cJSON_AddStringToObject(o, "public_key", k->public_key);
    cJSON_AddStringToObject(o, "encrypted_serialized_key",
                            k->encrypted_serialized_key);
    cJSON_AddItemToObject(o, "metadata", json_or(k->metadata, 0));
    cJSON_AddItemToObject(o, "external_identifiers",
                          json_or(k->external_identifiers, 1));
    return o;
}

static ks_status add_keypairs(ks_account *a, cJSON *root)
{
    store_keypair *kps = NULL;
    size_t n = 0;
    ks_status st = ks_status_from_store(store_keypair_list(a->st, &kps, &n));
    cJSON *arr = st == KS_OK ? cJSON_AddArrayToObject(root, "keypairs") : NULL;
    if (st == KS_OK && !arr)
        st = KS_ERR_NOMEM;
    for (size_t i = 0; st == KS_OK && i < n; i++) {
        cJSON *o = keypair_json(&kps[i]);
        if (!o)
            st = KS_ERR_NOMEM;
        else
            cJSON_AddItemToArray(arr, o);
    }
    store_keypair_list_free(kps, n);
    return st;
}

ks_status ks_export_json(ks_account *a, cJSON **out)
{
    if (!a || !out)
        return KS_ERR_ARGS;
    *out = NULL;
    ks_state state;
    ks_status st = ks_account_state(a, &state);
    if (st == KS_OK && state == KS_STATE_EMPTY)
        st = KS_ERR_NOT_INITIALIZED;
    if (st != KS_OK)
        return st;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return KS_ERR_NOMEM;
    st = add_kek(a, root);
    if (st == KS_OK)
        st = add_deks(a, root);
    if (st == KS_OK)
        st = add_keypairs(a, root);
    if (st != KS_OK) {
        cJSON_Delete(root);
        return st;
    }
    *out = root;
    return KS_OK;
}
