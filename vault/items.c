/* vault/items.c - Vault items: named containers of slots. */
#include "vault.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

vault_status vault_in_tx(ks_account *a, vault_tx_fn fn, void *ctx)
{
    store *s = ks_account_store(a);
    if (store_in_transaction(s))
        return fn(a, ctx);
    vault_status st = vault_status_from_store(store_begin(s));
    if (st != VAULT_OK)
        return st;
    st = fn(a, ctx);
    if (st == VAULT_OK)
        st = vault_status_from_store(store_commit(s));
    else
        store_rollback(s);
    return st;
}

static vault_status require_account(ks_account *a)
{
    ks_state state;
    ks_status st = ks_account_state(a, &state);
    if (st != KS_OK)
        return vault_status_from_ks(st);
    return state == KS_STATE_EMPTY ? VAULT_ERR_NOT_INITIALIZED : VAULT_OK;
}

typedef struct item_req {
    const char *name; /* sanitized */
    const char *label;
    const char *template_name;
    int must_be_new;
    store_item *out;
    int created;
} item_req;

static vault_status insert_item(ks_account *a, item_req *r,
                                char id[STORE_UUID_LEN + 1])
{
    store *s = ks_account_store(a);
    store_template tpl = {0};
    if (r->template_name) {
        vault_status vst = vault_status_from_store(
            store_template_get_by_name(s, r->template_name, &tpl));
        if (vst != VAULT_OK)
            return vst;
    }
    store_item it = {.name = (char *)r->name,
                     .label = (char *)(r->label ? r->label : r->name),
                     .item_template_id = tpl.id,
                     .item_template_name = tpl.name};
    vault_status st = vault_status_from_store(store_item_insert(s, &it, id));
    store_template_clear(&tpl);
    return st;
}

static vault_status item_ensure_locked(ks_account *a, void *ctx)
{
    item_req *r = ctx;
    store *s = ks_account_store(a);
    store_item found;
    store_status sst = store_item_get_by_name(s, r->name, &found);
    if (sst == STORE_OK) {
        if (r->must_be_new) {
            store_item_clear(&found);
            return VAULT_ERR_EXISTS;
        }
        if (r->out)
            *r->out = found;
        else
            store_item_clear(&found);
        return VAULT_OK;
    }
    if (sst != STORE_ERR_NOT_FOUND)
        return vault_status_from_store(sst);
    char id[STORE_UUID_LEN + 1];
    vault_status st = insert_item(a, r, id);
    if (st == VAULT_OK)
        r->created = 1;
    if (st == VAULT_OK && r->out)
        st = vault_status_from_store(store_item_get(s, id, r->out));
    return st;
}

static vault_status item_make(ks_account *a, item_req *r, const char *name)
{
    if (!a || !name)
        return VAULT_ERR_ARGS;
    vault_status st = require_account(a);
    if (st == VAULT_OK)
        st = vault_seed_defaults(ks_account_store(a));
    if (st != VAULT_OK)
        return st;
    char *clean = vault_name_sanitize(name);
    if (!clean)
        return VAULT_ERR_ARGS;
    r->name = clean;
    if (!r->label)
        r->label = name;
    st = vault_in_tx(a, item_ensure_locked, r);
    free(clean);
    return st;
}

vault_status vault_item_ensure(ks_account *a, const char *name,
                               const char *template_name, store_item *out,
                               int *created)
{
    item_req r = {.template_name = template_name, .out = out};
    vault_status st = item_make(a, &r, name);
    if (st == VAULT_OK && created)
        *created = r.created;
    return st;
}

vault_status vault_item_create(ks_account *a, const char *name,
                               const char *label, const char *template_name,
                               store_item *out)
{
    item_req r = {.label = label,
                  .template_name = template_name,
                  .must_be_new = 1,
                  .out = out};
    return item_make(a, &r, name);
}

vault_status vault_item_get(ks_account *a, const char *id, store_item *out)
{
    if (!a || !id || !out)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_item_get(ks_account_store(a), id, out));
}

vault_status vault_item_find(ks_account *a, const char *name, store_item *out)
{
    if (!a || !name || !out)
        return VAULT_ERR_ARGS;
    char *clean = vault_name_sanitize(name);
    if (!clean)
        return VAULT_ERR_ARGS;
    vault_status st = vault_status_from_store(
        store_item_get_by_name(ks_account_store(a), clean, out));
    free(clean);
    return st;
}

vault_status vault_item_list(ks_account *a, store_item **out, size_t *n)
{
    if (!a || !out || !n)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_item_list(ks_account_store(a), out, n));
}

vault_status vault_item_set_label(ks_account *a, const char *id,
                                  const char *label)
{
    if (!a || !id || !label)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(
        store_item_set_label(ks_account_store(a), id, label));
}

vault_status vault_item_delete(ks_account *a, const char *id)
{
    if (!a || !id)
        return VAULT_ERR_ARGS;
    return vault_status_from_store(store_item_delete(ks_account_store(a), id));
}
