/* vault/export.c - Vault data in the JSON shapes of the Vault API. */
#include "vault_export.h"

#include <string.h>

#include "internal.h"

static void add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *json_array_or_empty(const char *text)
{
    cJSON *v = text ? cJSON_Parse(text) : NULL;
    if (v && cJSON_IsArray(v))
        return v;
    cJSON_Delete(v);
    return cJSON_CreateArray();
}

static cJSON *slot_json(const store_slot *sl)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", sl->id);
    cJSON_AddBoolToObject(o, "own", 1);
    cJSON_AddNullToObject(o, "share_id");
    cJSON_AddStringToObject(o, "name", sl->name);
    add_string_or_null(o, "description", sl->description);
    cJSON_AddNumberToObject(o, "ordinal", sl->ordinal);
    cJSON_AddBoolToObject(o, "visible", 1);
    cJSON_AddItemToObject(o, "classification_node_ids", cJSON_CreateArray());
    cJSON_AddNullToObject(o, "attachment_id");
    cJSON_AddStringToObject(o, "item_id", sl->item_id);
    cJSON_AddBoolToObject(o, "required", 0);
    cJSON_AddStringToObject(o, "updated_at", sl->updated_at);
    cJSON_AddStringToObject(o, "created_at", sl->created_at);
    cJSON_AddStringToObject(o, "slot_type_name", sl->slot_type_name);
    cJSON_AddNullToObject(o, "creator");
    add_string_or_null(o, "encrypted_value", sl->encrypted_value);
    add_string_or_null(o, "encrypted_value_verification_key",
                       sl->encrypted_value_verification_key);
    add_string_or_null(o, "value_verification_hash",
                       sl->value_verification_hash);
    cJSON_AddStringToObject(o, "label", sl->label);
    cJSON_AddNullToObject(o, "original_id");
    cJSON_AddNullToObject(o, "owner_id");
    return o;
}

static cJSON *item_json(const store_item *it, const store_slot *slots, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *ids = o ? cJSON_CreateArray() : NULL;
    if (!ids) {
        cJSON_Delete(o);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(slots[i].item_id, it->id) == 0)
            cJSON_AddItemToArray(ids, cJSON_CreateString(slots[i].id));
    cJSON_AddStringToObject(o, "id", it->id);
    cJSON_AddBoolToObject(o, "own", 1);
    cJSON_AddStringToObject(o, "name", it->name);
    cJSON_AddStringToObject(o, "label", it->label);
    add_string_or_null(o, "description", it->description);
    cJSON_AddStringToObject(o, "created_at", it->created_at);
    add_string_or_null(o, "item_template_id", it->item_template_id);
    add_string_or_null(o, "item_template_name", it->item_template_name);
    cJSON_AddNumberToObject(o, "ordinal", it->ordinal);
    cJSON_AddBoolToObject(o, "visible", 1);
    cJSON_AddStringToObject(o, "updated_at", it->updated_at);
    cJSON_AddItemToObject(o, "classification_node_ids",
                          json_array_or_empty(it->classification_node_ids));
    cJSON_AddItemToObject(o, "slot_ids", ids);
    cJSON_AddNullToObject(o, "original_id");
    cJSON_AddNullToObject(o, "owner_id");
    cJSON_AddNullToObject(o, "share_id");
    return o;
}

static vault_status add_items(ks_account *a, cJSON *root)
{
    store_item *items = NULL;
    store_slot *slots = NULL;
    size_t ni = 0, ns = 0;
    vault_status st = vault_item_list(a, &items, &ni);
    if (st == VAULT_OK)
        st = vault_slot_list(a, NULL, &slots, &ns);
    cJSON *resp =
        st == VAULT_OK ? cJSON_AddObjectToObject(root, "items") : NULL;
    cJSON *ia = resp ? cJSON_AddArrayToObject(resp, "items") : NULL;
    cJSON *sa = resp ? cJSON_AddArrayToObject(resp, "slots") : NULL;
    if (st == VAULT_OK && (!ia || !sa))
        st = VAULT_ERR_NOMEM;
    for (size_t i = 0; st == VAULT_OK && i < ni; i++)
        cJSON_AddItemToArray(ia, item_json(&items[i], slots, ns));
    for (size_t i = 0; st == VAULT_OK && i < ns; i++)
        cJSON_AddItemToArray(sa, slot_json(&slots[i]));
    if (st == VAULT_OK) {
        cJSON_AddItemToObject(resp, "classification_nodes",
                              cJSON_CreateArray());
        cJSON_AddItemToObject(resp, "attachments", cJSON_CreateArray());
        cJSON_AddItemToObject(resp, "thumbnails", cJSON_CreateArray());
        cJSON *meta = cJSON_AddObjectToObject(resp, "meta");
        if (meta)
            cJSON_AddNumberToObject(meta, "total", (double)ni);
        cJSON_AddNullToObject(resp, "next_page_after");
    }
    store_item_list_free(items, ni);
    store_slot_list_free(slots, ns);
    return st;
}

static vault_status add_me(ks_account *a, cJSON *root)
{
    store_account acc;
    vault_status st = vault_status_from_ks(ks_account_info(a, &acc));
    if (st != VAULT_OK)
        return st;
    cJSON *me = cJSON_AddObjectToObject(root, "me");
    cJSON *user = me ? cJSON_AddObjectToObject(me, "user") : NULL;
    if (user) {
        add_string_or_null(user, "id", acc.vault_user_id);
        cJSON_AddStringToObject(user, "username", acc.username);
        add_string_or_null(user, "private_dek_external_id", acc.private_dek_id);
        cJSON_AddStringToObject(user, "created_at", acc.created_at);
    }
    store_account_clear(&acc);
    return user ? VAULT_OK : VAULT_ERR_NOMEM;
}

static cJSON *template_json(const store_template *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *slots = o ? cJSON_AddArrayToObject(o, "slots") : NULL;
    if (!slots) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "name", t->name);
    cJSON_AddStringToObject(o, "label", t->label);
    add_string_or_null(o, "description", t->description);
    for (size_t i = 0; i < t->n_slots; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s)
            break;
        cJSON_AddStringToObject(s, "name", t->slots[i].name);
        cJSON_AddStringToObject(s, "label", t->slots[i].label);
        cJSON_AddStringToObject(s, "slot_type_name",
                                t->slots[i].slot_type_name);
        cJSON_AddItemToArray(slots, s);
    }
    return o;
}

static vault_status add_templates(ks_account *a, cJSON *root)
{
    store_template *list = NULL;
    size_t n = 0;
    vault_status st = vault_template_list(a, &list, &n);
    cJSON *resp =
        st == VAULT_OK ? cJSON_AddObjectToObject(root, "item_templates") : NULL;
    cJSON *arr = resp ? cJSON_AddArrayToObject(resp, "item_templates") : NULL;
    if (st == VAULT_OK && !arr)
        st = VAULT_ERR_NOMEM;
    for (size_t i = 0; st == VAULT_OK && i < n; i++)
        cJSON_AddItemToArray(arr, template_json(&list[i]));
    store_template_list_free(list, n);
    return st;
}

vault_status vault_export_json(ks_account *a, cJSON **out)
{
    if (!a || !out)
        return VAULT_ERR_ARGS;
    *out = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return VAULT_ERR_NOMEM;
    vault_status st = add_me(a, root);
    if (st == VAULT_OK)
        st = add_items(a, root);
    if (st == VAULT_OK)
        st = add_templates(a, root);
    if (st != VAULT_OK) {
        cJSON_Delete(root);
        return st;
    }
    *out = root;
    return VAULT_OK;
}
