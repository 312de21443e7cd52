/* vault/slots.c - slots: named, labelled values encrypted under the DEK. */
#include "vault.h"

#include <stdlib.h>
#include <string.h>

#include "cryppo.h"
#include "internal.h"

/* Aes256Gcm(private DEK, value); NULL for an empty value. */
static vault_status encrypt_value(ks_account *a, const uint8_t *value,
                                  size_t len, char **out)
{
    *out = NULL;
    if (len == 0)
        return VAULT_OK;
    secbuf dek = {0};
    vault_status st = vault_status_from_ks(ks_private_dek_get(a, &dek));
    if (st == VAULT_OK &&
        cryppo_aes_encrypt(dek.p, value, len, out) != CRYPPO_OK)
        st = VAULT_ERR_CRYPTO;
    secbuf_free(&dek);
    return st;
}

vault_status vault_value_decrypt(ks_account *a, const char *encrypted_value,
                                 secbuf *value)
{
    if (!a || !value)
        return VAULT_ERR_ARGS;
    memset(value, 0, sizeof(*value));
    secbuf dek = {0};
    vault_status st = vault_status_from_ks(ks_private_dek_get(a, &dek));
    if (st == VAULT_OK && !encrypted_value)
        st = secbuf_alloc(value, 0) == 0 ? VAULT_OK : VAULT_ERR_NOMEM;
    else if (st == VAULT_OK) {
        cryppo_status cst = cryppo_aes_decrypt(dek.p, encrypted_value, value);
        if (cst != CRYPPO_OK)
            st = cst == CRYPPO_ERR_NOMEM ? VAULT_ERR_NOMEM : VAULT_ERR_CORRUPT;
    }
    secbuf_free(&dek);
    return st;
}

typedef struct slot_req {
    const char *item_id;
    const char *name; /* sanitized */
    const char *label;
    const char *slot_type;
    const char *encrypted_value;
    store_slot *out;
} slot_req;

static vault_status slot_add_locked(ks_account *a, void *ctx)
{
    slot_req *r = ctx;
    store *s = ks_account_store(a);
    size_t count = 0;
    store_item it;
    vault_status st =
        vault_status_from_store(store_item_get(s, r->item_id, &it));
    if (st != VAULT_OK)
        return st;
    store_item_clear(&it);
    st = vault_status_from_store(store_slot_count(s, r->item_id, &count));
    if (st != VAULT_OK)
        return st;
    store_slot sl = {.item_id = (char *)r->item_id,
                     .name = (char *)r->name,
                     .label = (char *)r->label,
                     .slot_type_name = (char *)r->slot_type,
                     .encrypted_value = (char *)r->encrypted_value,
                     .ordinal = (int)count};
    char id[STORE_UUID_LEN + 1];
    st = vault_status_from_store(store_slot_insert(s, &sl, id));
    if (st == VAULT_OK)
        st = vault_status_from_store(store_item_touch(s, r->item_id));
    if (st == VAULT_OK && r->out)
        st = vault_status_from_store(store_slot_get(s, id, r->out));
    return st;
}

vault_status vault_slot_add(ks_account *a, const char *item_id,
                            const char *name, const char *label,
                            const char *slot_type, const uint8_t *value,
                            size_t len, store_slot *out)
{
    if (!a || !item_id || !name || (len && !value))
        return VAULT_ERR_ARGS;
    char *clean = vault_name_sanitize(name);
    if (!clean)
        return VAULT_ERR_ARGS;
    slot_req r = {.item_id = item_id,
                  .name = clean,
                  .label = label ? label : name,
                  .slot_type = slot_type ? slot_type : VAULT_DEFAULT_SLOT_TYPE,
                  .out = out};
    char *enc = NULL;
    vault_status st = encrypt_value(a, value, len, &enc);
    r.encrypted_value = enc;
    if (st == VAULT_OK)
        st = vault_in_tx(a, slot_add_locked, &r);
    free(enc);
    free(clean);
    return st;
}

vault_status vault_slot_get(ks_account *a, const char *id, store_slot *out)
{
    if (!a || !id || !out)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_slot_get(ks_account_store(a), id, out));
}

vault_status vault_slot_value(ks_account *a, const char *id, secbuf *value)
{
    if (!a || !id || !value)
        return VAULT_ERR_ARGS;
    store_slot sl;
    vault_status st = vault_slot_get(a, id, &sl);
    if (st != VAULT_OK)
        return st;
    st = vault_value_decrypt(a, sl.encrypted_value, value);
    store_slot_clear(&sl);
    return st;
}

static vault_status slot_list(ks_account *a, const store_slot_filter *f,
                              store_slot **out, size_t *n)
{
    if (!a || !out || !n)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_slot_list(ks_account_store(a), f, out, n));
}

vault_status vault_slot_list(ks_account *a, const char *item_id,
                             store_slot **out, size_t *n)
{
    store_slot_filter f = {.item_id = item_id};
    return slot_list(a, &f, out, n);
}

vault_status vault_slot_find_by_label(ks_account *a, const char *label,
                                      store_slot **out, size_t *n)
{
    if (!label)
        return VAULT_ERR_ARGS;
    store_slot_filter f = {.label = label};
    return slot_list(a, &f, out, n);
}

vault_status vault_slot_find(ks_account *a, const char *item_id,
                             const char *name, store_slot *out)
{
    if (!a || !item_id || !name || !out)
        return VAULT_ERR_ARGS;
    char *clean = vault_name_sanitize(name);
    if (!clean)
        return VAULT_ERR_ARGS;
    store_slot_filter f = {.item_id = item_id, .name = clean};
    store_slot *list = NULL;
    size_t n = 0;
    vault_status st = slot_list(a, &f, &list, &n);
    free(clean);
    if (st == VAULT_OK && n == 0)
        st = VAULT_ERR_NOT_FOUND;
    if (st == VAULT_OK) {
        *out = list[0];
        memset(&list[0], 0, sizeof(list[0]));
    }
    store_slot_list_free(list, n);
    return st;
}

vault_status vault_slot_set_value(ks_account *a, const char *id,
                                  const uint8_t *value, size_t len)
{
    if (!a || !id || (len && !value))
        return VAULT_ERR_ARGS;
    char *enc = NULL;
    vault_status st = encrypt_value(a, value, len, &enc);
    if (st == VAULT_OK)
        st = vault_status_from_store(
            store_slot_set_value(ks_account_store(a), id, enc));
    free(enc);
    return st;
}

vault_status vault_slot_set_label(ks_account *a, const char *id,
                                  const char *label)
{
    if (!a || !id || !label)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_slot_set_label(ks_account_store(a), id, label));
}

static vault_status slot_delete_locked(ks_account *a, void *ctx)
{
    const char *id = ctx;
    store *s = ks_account_store(a);
    store_slot sl;
    size_t left = 0;
    vault_status st = vault_status_from_store(store_slot_get(s, id, &sl));
    if (st != VAULT_OK)
        return st;
    st = vault_status_from_store(store_slot_delete(s, id));
    if (st == VAULT_OK)
        st = vault_status_from_store(store_slot_count(s, sl.item_id, &left));
    if (st == VAULT_OK && left == 0)
        st = vault_status_from_store(store_item_delete(s, sl.item_id));
    else if (st == VAULT_OK)
        st = vault_status_from_store(store_item_touch(s, sl.item_id));
    store_slot_clear(&sl);
    return st;
}

vault_status vault_slot_delete(ks_account *a, const char *id)
{
    if (!a || !id)
        return VAULT_ERR_ARGS;
    return vault_in_tx(a, slot_delete_locked, (void *)id);
}
