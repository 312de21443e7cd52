/* remote/sync.c - a fetched snapshot applied to the store replica in
 * one transaction (upserts, deletion of what the server no longer has,
 * the account row), and remote_sync = fetch + apply. */
#include "sync.h"

#include <stdlib.h>

#include "snapshot.h"

/* Delete the replica rows whose ids are not in keep. */
static remote_status delete_missing(store *db, int slots,
                                    const remote_idset *keep)
{
    char **ids = NULL;
    size_t n = 0;
    store_status st;

    st = slots ? store_slot_list_ids(db, &ids, &n)
               : store_item_list_ids(db, &ids, &n);
    for (size_t i = 0; st == STORE_OK && i < n; i++) {
        if (remote_idset_has(keep, ids[i]))
            continue;
        st = slots ? store_slot_delete(db, ids[i])
                   : store_item_delete(db, ids[i]);
        if (st == STORE_ERR_NOT_FOUND) /* went with its item */
            st = STORE_OK;
    }
    store_ids_free(ids, n);
    return remote_from_store(st, slots ? "slot cleanup" : "item cleanup");
}

static remote_status put_records(store *db, const cJSON *arr,
                                 remote_status (*put)(store *, const cJSON *))
{
    const cJSON *e;
    remote_status st = REMOTE_OK;

    cJSON_ArrayForEach(e, arr)
    {
        if ((st = put(db, e)) != REMOTE_OK)
            break;
    }
    return st;
}

/* username and private DEK id; the Secret Key, the SO-wrapped KEK, the
 * label and the vault user id are kept as the replica has them. */
static remote_status put_account(store *db, const remote_snapshot *snap)
{
    store_account old, a = {0};
    store_status st = store_account_get(db, &old);
    int have = st == STORE_OK;

    if (!have && st != STORE_ERR_NOT_FOUND)
        return remote_from_store(st, "account");
    if (have)
        a = old;
    a.username = snap->username ? snap->username : old.username;
    a.private_dek_id = snap->dek_id;
    st = a.username ? store_account_put(db, &a) : STORE_ERR_ARGS;
    if (have)
        store_account_clear(&old);
    return remote_from_store(st, "account");
}

static remote_status apply(const remote_snapshot *snap, store *db)
{
    remote_status st;

    st = delete_missing(db, 1, &snap->slot_ids);
    if (st == REMOTE_OK)
        st = delete_missing(db, 0, &snap->item_ids);
    if (st == REMOTE_OK)
        st = remote_kek_store(db, snap->kek);
    if (st == REMOTE_OK)
        st = remote_dek_store(db, snap->dek);
    if (st == REMOTE_OK)
        st = remote_keypair_store(db, snap->keypair);
    if (st == REMOTE_OK)
        st = put_records(db, snap->items, remote_item_store);
    if (st == REMOTE_OK)
        st = put_records(db, snap->slots, remote_slot_store);
    if (st == REMOTE_OK)
        st = remote_extras_apply(snap, db);
    if (st == REMOTE_OK)
        st = put_account(db, snap);
    return st;
}

remote_status remote_snapshot_apply(const remote_snapshot *snap, store *db)
{
    int own_tx;
    remote_status st;

    if (!snap || !db)
        return REMOTE_ERR_ARGS;
    own_tx = !store_in_transaction(db);
    if (own_tx && (st = remote_from_store(store_begin(db), "begin")))
        return st;
    st = apply(snap, db);
    if (own_tx && st == REMOTE_OK)
        st = remote_from_store(store_commit(db), "commit");
    if (own_tx && st != REMOTE_OK)
        store_rollback(db);
    return st;
}

void remote_snapshot_free(remote_snapshot *snap)
{
    if (!snap)
        return;
    remote_idset_free(&snap->item_ids);
    remote_idset_free(&snap->slot_ids);
    remote_idset_free(&snap->connection_ids);
    remote_idset_free(&snap->share_ids);
    cJSON_Delete(snap->kek);
    cJSON_Delete(snap->dek);
    cJSON_Delete(snap->keypair);
    cJSON_Delete(snap->items);
    cJSON_Delete(snap->slots);
    cJSON_Delete(snap->templates);
    cJSON_Delete(snap->template_slots);
    cJSON_Delete(snap->connections);
    cJSON_Delete(snap->shares);
    free(snap->username);
    free(snap->dek_id);
    free(snap);
}

size_t remote_snapshot_items(const remote_snapshot *snap)
{
    return snap ? snap->item_ids.n : 0;
}

size_t remote_snapshot_slots(const remote_snapshot *snap)
{
    return snap ? snap->slot_ids.n : 0;
}

remote_status remote_sync(const remote_session *session, store *replica)
{
    remote_snapshot *snap = NULL;
    remote_status st;

    if (!session || !replica)
        return REMOTE_ERR_ARGS;
    st = remote_fetch(session, &snap);
    if (st == REMOTE_OK)
        st = remote_snapshot_apply(snap, replica);
    remote_snapshot_free(snap);
    return st;
}
