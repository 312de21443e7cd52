/* remote/vault_writes.c - vault items and slots: create, add, update,
 * delete, with the bodies the SDK sends (meeco-protocol.md 6.3). */
#include "writes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"

/* The vault's name rule: alphanumerics lower-cased, the rest '_'. */
static int same_name(const char *sent, const char *stored)
{
    size_t i;

    for (i = 0; sent[i] && stored[i]; i++) {
        unsigned char c = (unsigned char)sent[i];
        char want = isalnum(c) ? (char)tolower(c) : '_';

        if (stored[i] != want)
            return 0;
    }
    return sent[i] == stored[i];
}

/* The id of the slot named name in an {item, slots} answer. */
static remote_status answer_slot_id(const cJSON *ans, const char *name,
                                    char **slot_id)
{
    const char *item_id = remote_json_str(ans, "item.id");
    const cJSON *sl;

    cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(ans, "slots"))
    {
        const char *n = remote_json_str(sl, "name");
        const char *id = remote_json_str(sl, "id");
        const char *owner = remote_json_str(sl, "item_id");

        if (n && id && owner && item_id && strcmp(owner, item_id) == 0 &&
            same_name(name, n)) {
            *slot_id = strdup(id);
            return *slot_id ? REMOTE_OK : REMOTE_ERR_NOMEM;
        }
    }
    remote_error_set("item answer has no slot named %s", name);
    return REMOTE_ERR_PROTOCOL;
}

static int add_str(cJSON *o, const char *key, const char *v)
{
    return cJSON_AddStringToObject(o, key, v) != NULL;
}

/* A slots_attributes entry in the SDK's field order.  For a new slot,
 * type and label get their defaults; for a change, NULL fields are left
 * out (unchanged on the server). */
static cJSON *slot_attrs(const remote_slot_in *in, const char *id, int fresh)
{
    cJSON *a = cJSON_CreateObject();
    const char *type = in->slot_type_name;
    const char *label = in->label;
    int ok = a != NULL;

    if (fresh) {
        type = type ? type : "key_value";
        label = label ? label : in->name;
    }
    if (ok && id)
        ok = add_str(a, "id", id);
    if (ok)
        ok = add_str(a, "name", in->name);
    if (ok && type)
        ok = add_str(a, "slot_type_name", type);
    if (ok && label)
        ok = add_str(a, "label", label);
    if (ok && in->encrypted_value)
        ok = add_str(a, "encrypted_value", in->encrypted_value);
    if (!ok) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

/* {"item": {label?, name?, [classification_nodes_attributes], slots_attributes:
 * [a]}} */
static cJSON *item_body(const char *name, const char *label, cJSON *attrs,
                        int fresh)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *it = b ? cJSON_AddObjectToObject(b, "item") : NULL;
    cJSON *arr = NULL;
    int ok = it != NULL && attrs != NULL;

    if (ok && label)
        ok = add_str(it, "label", label);
    if (ok && name)
        ok = add_str(it, "name", name);
    if (ok && fresh)
        ok = cJSON_AddArrayToObject(it, "classification_nodes_attributes") !=
             NULL;
    if (ok)
        ok = (arr = cJSON_AddArrayToObject(it, "slots_attributes")) != NULL;
    if (ok)
        ok = cJSON_AddItemToArray(arr, attrs);
    if (!ok) {
        cJSON_Delete(attrs);
        cJSON_Delete(b);
        return NULL;
    }
    return b;
}

/* Call, then (on success) hand over the answer and the new slot's id. */
static remote_status write_item(const remote_session *s, const char *method,
                                const char *base, const char *id, cJSON *body,
                                const char *slot_name, cJSON **answer,
                                char **slot_id)
{
    cJSON *ans = NULL;
    remote_status st;

    if (!body)
        return REMOTE_ERR_NOMEM;
    st = remote_session_call(s, REMOTE_VAULT, method, base, id, body, &ans);
    cJSON_Delete(body);
    if (st == REMOTE_OK && !remote_json_str(ans, "item.id")) {
        remote_error_set("%s %s: answer has no item.id", method, base);
        st = REMOTE_ERR_PROTOCOL;
    }
    if (st == REMOTE_OK && slot_id)
        st = answer_slot_id(ans, slot_name, slot_id);
    if (st == REMOTE_OK && answer)
        *answer = ans;
    else
        cJSON_Delete(ans);
    return st;
}

static void clear_outs(cJSON **answer, char **slot_id)
{
    if (answer)
        *answer = NULL;
    if (slot_id)
        *slot_id = NULL;
}

remote_status remote_item_create(const remote_session *s, const char *item_name,
                                 const char *item_label,
                                 const char *template_name,
                                 const remote_slot_in *slot, cJSON **answer,
                                 char **slot_id)
{
    cJSON *body;

    clear_outs(answer, slot_id);
    if (!remote_session_usable(s) || !item_name || !*item_name || !slot ||
        !slot->name || !*slot->name)
        return REMOTE_ERR_ARGS;
    body = item_body(item_name, item_label ? item_label : item_name,
                     slot_attrs(slot, NULL, 1), 1);
    if (body && !add_str(body, "template_name",
                         template_name ? template_name : "custom")) {
        cJSON_Delete(body);
        body = NULL;
    }
    return write_item(s, "POST", "/items", NULL, body, slot->name, answer,
                      slot_id);
}

remote_status remote_slot_add(const remote_session *s, const char *item_id,
                              const remote_slot_in *slot, cJSON **answer,
                              char **slot_id)
{
    clear_outs(answer, slot_id);
    if (!remote_session_usable(s) || !remote_id_ok(item_id) || !slot ||
        !slot->name || !*slot->name)
        return REMOTE_ERR_ARGS;
    return write_item(s, "PUT", "/items/", item_id,
                      item_body(NULL, NULL, slot_attrs(slot, NULL, 1), 0),
                      slot->name, answer, slot_id);
}

remote_status remote_slot_update(const remote_session *s, const char *item_id,
                                 const char *slot_id,
                                 const remote_slot_in *changes, cJSON **answer)
{
    clear_outs(answer, NULL);
    if (!remote_session_usable(s) || !remote_id_ok(item_id) ||
        !remote_id_ok(slot_id) || !changes || !changes->name || !*changes->name)
        return REMOTE_ERR_ARGS;
    return write_item(s, "PUT", "/items/", item_id,
                      item_body(NULL, NULL, slot_attrs(changes, slot_id, 0), 0),
                      NULL, answer, NULL);
}

remote_status remote_slot_delete(const remote_session *s, const char *slot_id)
{
    if (!remote_id_ok(slot_id))
        return REMOTE_ERR_ARGS;
    return remote_session_call(s, REMOTE_VAULT, "DELETE", "/slots/", slot_id,
                               NULL, NULL);
}

remote_status remote_item_delete(const remote_session *s, const char *item_id)
{
    if (!remote_id_ok(item_id))
        return REMOTE_ERR_ARGS;
    return remote_session_call(s, REMOTE_VAULT, "DELETE", "/items/", item_id,
                               NULL, NULL);
}
