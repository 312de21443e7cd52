/* server/vault_share_copy.c - what a share does to the recipient's vault
 * (meeco-protocol.md 6.6): a separate copy of the item with own:false,
 * original_id = the shared item, share_id = the share, new item and slot
 * ids, and the slot ciphertext the sender produced under the share DEK.
 * Also the cascades: deleting a share or its item removes the copy.
 *
 * These are the only functions that write into another user's records;
 * the user ids come from the share records, never from the request.
 */
#include "vault_share.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "vault_common.h"
#include "vault_items.h"

/* The slot_values entry for slot_id, or NULL. */
static const cJSON *value_for(const cJSON *values, const char *slot_id)
{
    const cJSON *v;

    cJSON_ArrayForEach(v, values)
    {
        const char *id = srv_str(v, "slot_id");
        if (id && strcmp(id, slot_id) == 0)
            return v;
    }
    return NULL;
}

static void copy_values(cJSON *slot, const cJSON *v)
{
    static const char *const fields[] = {"encrypted_value",
                                         "encrypted_value_verification_key",
                                         "value_verification_hash"};

    for (size_t i = 0; i < 3; i++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(v, fields[i]);
        /* on-shares send a null hash: keep the owner's (6.4) */
        if (f && (!cJSON_IsNull(f) || i != 2))
            srv_set_copy(slot, fields[i], f);
    }
    srv_set_item(slot, "encrypted",
                 cJSON_CreateBool(srv_str(slot, "encrypted_value") != NULL));
}

/* Recipient's copy of one slot (or NULL when it is not shared). */
static cJSON *slot_copy(const cJSON *src, const cJSON *share,
                        const char *copy_item_id, const cJSON *values)
{
    const char *only = srv_str(share, "slot_id");
    const cJSON *v = value_for(values, srv_str(src, "id"));
    cJSON *s;

    if (only && strcmp(only, srv_str(src, "id")) != 0)
        return NULL;
    s = cJSON_Duplicate(src, 1);
    srv_set_new_id(s);
    srv_set_item(s, "own", cJSON_CreateFalse());
    srv_set_str(s, "share_id", srv_str(share, "id"));
    srv_set_str(s, "item_id", copy_item_id);
    srv_set_str(s, "original_id", srv_str(src, "id"));
    srv_set_str(s, "owner_id", srv_str(share, "owner_id"));
    srv_set_str(s, "encrypted_value", NULL);
    srv_set_str(s, "encrypted_value_verification_key", NULL);
    srv_set_str(s, "value_verification_hash", NULL);
    if (v)
        copy_values(s, v);
    srv_set_now(s, "created_at");
    srv_set_now(s, "updated_at");
    return s;
}

srv_db_status srv_share_make_copy(srv_dbc *c, const char *sender_id,
                                  const cJSON *item, const cJSON *share,
                                  const cJSON *values, char **copy_id)
{
    const char *recipient = srv_str(share, "recipient_id");
    cJSON *copy = cJSON_Duplicate(item, 1), *slots, *s;
    srv_db_status st;

    srv_set_new_id(copy);
    srv_set_item(copy, "own", cJSON_CreateFalse());
    srv_set_str(copy, "original_id", srv_str(share, "item_id"));
    srv_set_str(copy, "share_id", srv_str(share, "id"));
    srv_set_str(copy, "owner_id", srv_str(share, "owner_id"));
    srv_set_item(copy, "me", cJSON_CreateFalse());
    srv_set_item(copy, "classification_node_ids", cJSON_CreateArray());
    st = srv_rec_insert(c, "item", recipient, NULL, NULL, copy);
    slots = srv_item_slots_load(c, sender_id, srv_str(item, "id"));
    cJSON_ArrayForEach(s, slots)
    {
        cJSON *sc = st == SRV_DB_OK
                        ? slot_copy(s, share, srv_str(copy, "id"), values)
                        : NULL;
        if (sc)
            st = srv_rec_insert(c, "slot", recipient, srv_str(copy, "id"), NULL,
                                sc);
        cJSON_Delete(sc);
    }
    cJSON_Delete(slots);
    *copy_id = st == SRV_DB_OK ? strdup(srv_str(copy, "id")) : NULL;
    cJSON_Delete(copy);
    return st;
}

srv_db_status srv_share_update_copy(srv_dbc *c, const cJSON *share,
                                    const cJSON *values)
{
    const char *recipient = srv_str(share, "recipient_id");
    const char *copy_id = srv_str(share, "_copy_item_id");
    cJSON *slots, *s;
    srv_db_status st = SRV_DB_OK;

    if (!recipient || !copy_id)
        return SRV_DB_NOT_FOUND;
    slots = srv_item_slots_load(c, recipient, copy_id);
    cJSON_ArrayForEach(s, slots)
    {
        const cJSON *v = value_for(values, srv_str(s, "original_id"));
        if (!v || st != SRV_DB_OK)
            continue;
        copy_values(s, v);
        srv_set_now(s, "updated_at");
        st = srv_rec_save(c, "slot", recipient, s);
    }
    cJSON_Delete(slots);
    return st;
}

srv_db_status srv_share_remove(srv_dbc *c, const cJSON *share)
{
    const char *id = srv_str(share, "id");
    const char *sender = srv_str(share, "sender_id");
    const char *recipient = srv_str(share, "recipient_id");
    const char *copy_id = srv_str(share, "_copy_item_id");
    srv_db_status st;

    if (!id || !sender || !recipient)
        return SRV_DB_ERROR;
    st = srv_doc_delete(c, "share_out", sender, id);
    if (st == SRV_DB_OK || st == SRV_DB_NOT_FOUND)
        st = srv_doc_delete(c, "share_in", recipient, id);
    if ((st == SRV_DB_OK || st == SRV_DB_NOT_FOUND) && copy_id) {
        st = srv_doc_delete_children(c, "slot", recipient, copy_id);
        if (st == SRV_DB_OK)
            st = srv_doc_delete(c, "item", recipient, copy_id);
    }
    return st == SRV_DB_NOT_FOUND ? SRV_DB_OK : st;
}

struct item_shares {
    const char *item_id;
    cJSON *found;
};

static int match_item(const srv_doc *d, void *ctx)
{
    struct item_shares *w = ctx;
    cJSON *s = cJSON_Parse(d->body);
    const char *src = srv_str(s, "_source_item_id");

    if (src && strcmp(src, w->item_id) == 0)
        cJSON_AddItemToArray(w->found, s);
    else
        cJSON_Delete(s);
    return 0;
}

cJSON *srv_share_list_for_item(srv_dbc *c, const char *sender_id,
                               const char *item_id)
{
    struct item_shares w = {item_id, cJSON_CreateArray()};

    (void)srv_doc_list(c, "share_out", sender_id, NULL, 0, match_item, &w);
    return w.found;
}

srv_db_status srv_shares_item_deleted(srv_dbc *c, const char *user_id,
                                      const char *item_id)
{
    cJSON *shares = srv_share_list_for_item(c, user_id, item_id), *s;
    srv_db_status st = SRV_DB_OK;

    cJSON_ArrayForEach(s, shares)
    {
        if (st == SRV_DB_OK)
            st = srv_share_remove(c, s);
    }
    cJSON_Delete(shares);
    return st;
}
