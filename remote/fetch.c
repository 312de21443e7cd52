/* remote/fetch.c - remote_fetch: every record a replica holds, read from
 * the Keystore and the Vault and checked, with no store in sight. */
#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "http.h"
#include "snapshot.h"

/* GET a keystore path and detach the record under member. */
static remote_status get_record(remote_http *h, const remote_session *s,
                                const char *path, const char *member,
                                const char *field, cJSON **rec)
{
    cJSON *ans = NULL;
    remote_status st =
        remote_http_call(h, REMOTE_KEYSTORE, "GET", path,
                         (const char *)s->keystore_token.p, NULL, &ans, NULL);

    if (st == REMOTE_OK) {
        *rec = cJSON_DetachItemFromObjectCaseSensitive(ans, member);
        st = remote_key_check(*rec, field);
    }
    cJSON_Delete(ans);
    return st;
}

static remote_status fetch_keys(remote_http *h, const remote_session *s,
                                remote_snapshot *snap)
{
    char path[256];
    remote_status st;

    st = get_record(h, s, "/key_encryption_key", "key_encryption_key",
                    "serialized_key_encryption_key", &snap->kek);
    if (st != REMOTE_OK)
        return st;
    snprintf(path, sizeof(path), "/data_encryption_keys/%s", s->dek_id);
    st = get_record(h, s, path, "data_encryption_key",
                    "serialized_data_encryption_key", &snap->dek);
    if (st != REMOTE_OK)
        return st;
    return get_record(h, s, "/keypairs/external_id/auth", "keypair",
                      "encrypted_serialized_key", &snap->keypair);
}

/* Move every element of the array member of page onto the end of dst. */
static remote_status take_all(cJSON *page, const char *member, cJSON *dst)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(page, member);
    cJSON *e;

    if (!arr)
        return REMOTE_OK;
    if (!cJSON_IsArray(arr)) {
        remote_error_set("paged GET: %s is not an array", member);
        return REMOTE_ERR_PROTOCOL;
    }
    while ((e = arr->child) != NULL) {
        cJSON_DetachItemViaPointer(arr, e);
        if (!cJSON_AddItemToArray(dst, e)) {
            cJSON_Delete(e);
            return REMOTE_ERR_NOMEM;
        }
    }
    return REMOTE_OK;
}

/* The cursor goes into a query string: accept only URL-safe ids. */
static remote_status take_cursor(const cJSON *page, char **out)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(page, "next_page_after");

    *out = NULL;
    if (!c || cJSON_IsNull(c))
        return REMOTE_OK;
    if (!cJSON_IsString(c) || !remote_id_ok(c->valuestring)) {
        remote_error_set("paged GET: unusable next_page_after");
        return REMOTE_ERR_PROTOCOL;
    }
    *out = strdup(c->valuestring);
    return *out ? REMOTE_OK : REMOTE_ERR_NOMEM;
}

static remote_status fetch_page(remote_http *h, const remote_session *s,
                                const char *base, const remote_page_sink *sk,
                                size_t n, char **cursor)
{
    char path[256];
    cJSON *page = NULL;
    remote_status st;

    snprintf(path, sizeof(path), "%s?per_page=%u%s%s", base,
             s->cfg->page_size ? s->cfg->page_size : 100,
             *cursor ? "&next_page_after=" : "", *cursor ? *cursor : "");
    free(*cursor);
    *cursor = NULL;
    st = remote_http_call(h, REMOTE_VAULT, "GET", path,
                          (const char *)s->vault_token.p, NULL, &page, NULL);
    if (st == REMOTE_OK &&
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(page, sk[0].member))) {
        remote_error_set("GET %s: no %s array", base, sk[0].member);
        st = REMOTE_ERR_PROTOCOL;
    }
    for (size_t i = 0; st == REMOTE_OK && i < n; i++)
        st = take_all(page, sk[i].member, sk[i].dst);
    if (st == REMOTE_OK)
        st = take_cursor(page, cursor);
    cJSON_Delete(page);
    return st;
}

remote_status remote_pages_fetch(remote_http *h, const remote_session *s,
                                 const char *base,
                                 const remote_page_sink *sinks, size_t n)
{
    char *cursor = NULL;
    remote_status st;

    do
        st = fetch_page(h, s, base, sinks, n, &cursor);
    while (st == REMOTE_OK && cursor);
    free(cursor);
    return st;
}

static remote_status fetch_items(remote_http *h, const remote_session *s,
                                 remote_snapshot *snap)
{
    const remote_page_sink sinks[] = {{"items", snap->items},
                                      {"slots", snap->slots}};

    return remote_pages_fetch(h, s, "/items", sinks, 2);
}

/* Every record well-formed, ids unique, every slot's item present. */
static remote_status check(remote_snapshot *snap)
{
    const cJSON *e;
    remote_status st;

    cJSON_ArrayForEach(e, snap->items)
    {
        if ((st = remote_item_check(e)) != REMOTE_OK)
            return st;
    }
    cJSON_ArrayForEach(e, snap->slots)
    {
        if ((st = remote_slot_check(e)) != REMOTE_OK)
            return st;
    }
    st = remote_idset_build(snap->items, "id", &snap->item_ids);
    if (st == REMOTE_OK)
        st = remote_idset_build(snap->slots, "id", &snap->slot_ids);
    if (st == REMOTE_OK)
        st = remote_slots_owned(snap->slots, &snap->item_ids);
    return st == REMOTE_OK ? remote_extras_check(snap) : st;
}

static remote_snapshot *snapshot_new(const remote_session *s)
{
    remote_snapshot *snap = calloc(1, sizeof(*snap));

    if (!snap)
        return NULL;
    snap->username = s->username ? strdup(s->username) : NULL;
    snap->dek_id = strdup(s->dek_id);
    snap->items = cJSON_CreateArray();
    snap->slots = cJSON_CreateArray();
    snap->templates = cJSON_CreateArray();
    snap->template_slots = cJSON_CreateArray();
    snap->connections = cJSON_CreateArray();
    snap->shares = cJSON_CreateArray();
    if ((s->username && !snap->username) || !snap->dek_id || !snap->items ||
        !snap->slots || !snap->templates || !snap->template_slots ||
        !snap->connections || !snap->shares) {
        remote_snapshot_free(snap);
        return NULL;
    }
    return snap;
}

remote_status remote_fetch(const remote_session *s, remote_snapshot **out)
{
    remote_snapshot *snap = NULL;
    remote_http *h = NULL;
    remote_status st;

    if (out)
        *out = NULL;
    if (!out || !remote_session_usable(s) || !remote_id_ok(s->dek_id))
        return REMOTE_ERR_ARGS;
    snap = snapshot_new(s);
    if (!snap)
        return REMOTE_ERR_NOMEM;
    st = remote_http_new(s->cfg, &h);
    if (st == REMOTE_OK)
        st = fetch_keys(h, s, snap);
    if (st == REMOTE_OK)
        st = fetch_items(h, s, snap);
    if (st == REMOTE_OK)
        st = remote_extras_fetch(h, s, snap);
    if (st == REMOTE_OK)
        st = check(snap);
    remote_http_free(h);
    if (st != REMOTE_OK) {
        remote_snapshot_free(snap);
        return st;
    }
    *out = snap;
    return REMOTE_OK;
}
