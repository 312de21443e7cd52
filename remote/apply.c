/* remote/apply.c - server answers to item/slot writes and deletions
 * applied to the store replica (no network). */
#include "writes.h"

#include <string.h>

#include "http.h"
#include "records.h"

/* A copy of the items of an answer: {item} as a one-element array, or
 * {items} (NULL when neither is an object / an array). */
static cJSON *answer_items(const cJSON *answer)
{
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(answer, "item");
    const cJSON *many = cJSON_GetObjectItemCaseSensitive(answer, "items");
    cJSON *arr;

    if (!one)
        return cJSON_IsArray(many) ? cJSON_Duplicate(many, 1) : NULL;
    arr = cJSON_CreateArray();
    if (arr && !cJSON_AddItemToArray(arr, cJSON_Duplicate(one, 1))) {
        cJSON_Delete(arr);
        arr = NULL;
    }
    return arr;
}

/* Answers carry item_template_id only: add the name of that template
 * when the replica has it (as a local store records it). */
static void name_templates(store *db, cJSON *items)
{
    store_template *t = NULL;
    size_t n = 0;
    cJSON *it;

    if (store_template_list(db, &t, &n) != STORE_OK)
        return;
    cJSON_ArrayForEach(it, items)
    {
        const char *id = remote_json_str(it, "item_template_id");

        for (size_t i = 0; id && i < n; i++)
            if (strcmp(t[i].id, id) == 0)
                remote_item_template_name(it, t[i].name);
    }
    store_template_list_free(t, n);
}

static remote_status check_all(const cJSON *items, const cJSON *slots,
                               remote_idset *ids, remote_idset *slot_ids)
{
    const cJSON *e;
    remote_status st;

    if (!cJSON_IsArray(items) || (slots && !cJSON_IsArray(slots))) {
        remote_error_set("items answer: no items/slots arrays");
        return REMOTE_ERR_PROTOCOL;
    }
    cJSON_ArrayForEach(e, items)
    {
        if ((st = remote_item_check(e)) != REMOTE_OK)
            return st;
    }
    cJSON_ArrayForEach(e, slots)
    {
        if ((st = remote_slot_check(e)) != REMOTE_OK)
            return st;
    }
    st = remote_idset_build(items, "id", ids);
    if (st == REMOTE_OK)
        st = remote_idset_build(slots, "id", slot_ids);
    return st == REMOTE_OK ? remote_slots_owned(slots, ids) : st;
}

/* An answer lists all slots of each of its items: replica slots of
 * those items that it does not list are gone (deleted, renamed). */
static remote_status drop_other_slots(store *db, const char *item_id,
                                      const remote_idset *keep)
{
    store_slot_filter f = {item_id, NULL, NULL};
    store_slot *list = NULL;
    size_t n = 0;
    store_status st = store_slot_list(db, &f, &list, &n);

    for (size_t i = 0; st == STORE_OK && i < n; i++)
        if (!remote_idset_has(keep, list[i].id))
            st = store_slot_delete(db, list[i].id);
    store_slot_list_free(list, n);
    return remote_from_store(st, "slot cleanup");
}

static remote_status store_all(store *db, const cJSON *items,
                               const cJSON *slots, const remote_idset *keep)
{
    const cJSON *e;
    remote_status st = REMOTE_OK;

    cJSON_ArrayForEach(e, items)
    {
        if ((st = remote_item_store(db, e)) != REMOTE_OK)
            return st;
        if (slots && (st = drop_other_slots(db, remote_json_str(e, "id"),
                                            keep)) != REMOTE_OK)
            return st;
    }
    cJSON_ArrayForEach(e, slots)
    {
        if ((st = remote_slot_store(db, e)) != REMOTE_OK)
            return st;
    }
    return st;
}

remote_status remote_apply_items(store *db, const cJSON *answer)
{
    const cJSON *slots = cJSON_GetObjectItemCaseSensitive(answer, "slots");
    remote_idset ids = {0}, slot_ids = {0};
    cJSON *items = NULL;
    int own_tx;
    remote_status st;

    if (!db || !answer)
        return REMOTE_ERR_ARGS;
    items = answer_items(answer);
    st = check_all(items, slots, &ids, &slot_ids);
    remote_idset_free(&ids);
    if (st != REMOTE_OK)
        goto out;
    own_tx = !store_in_transaction(db);
    if (own_tx && (st = remote_from_store(store_begin(db), "begin")))
        goto out;
    name_templates(db, items);
    st = store_all(db, items, slots, &slot_ids);
    if (own_tx && st == REMOTE_OK)
        st = remote_from_store(store_commit(db), "commit");
    if (own_tx && st != REMOTE_OK)
        store_rollback(db);
out:
    remote_idset_free(&slot_ids);
    cJSON_Delete(items);
    return st;
}

remote_status remote_apply_delete(store *db, remote_record_kind kind,
                                  const char *id)
{
    store_status st;

    if (!db || !id)
        return REMOTE_ERR_ARGS;
    switch (kind) {
    case REMOTE_REC_ITEM:
        st = store_item_delete(db, id);
        break;
    case REMOTE_REC_SLOT:
        st = store_slot_delete(db, id);
        break;
    case REMOTE_REC_DEK:
        st = store_dek_delete(db, id);
        break;
    case REMOTE_REC_KEYPAIR:
        st = store_keypair_delete(db, id);
        break;
    default:
        return REMOTE_ERR_ARGS;
    }
    return remote_from_store(st == STORE_ERR_NOT_FOUND ? STORE_OK : st,
                             "delete");
}
