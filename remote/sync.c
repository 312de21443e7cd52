/* remote/sync.c - server records into the store replica (upserts). */
#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "http.h"

static const char *str(const cJSON *j, const char *key)
{
    return remote_json_str(j, key);
}

static int num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* JSON text of a member (array/object), or dflt; free with free(). */
static char *json_text(const cJSON *j, const char *key, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return v && !cJSON_IsNull(v) ? cJSON_PrintUnformatted(v) : strdup(dflt);
}

static remote_status from_store(store_status st, const char *what)
{
    if (st == STORE_OK)
        return REMOTE_OK;
    remote_error_set("store %s: %s", what, store_strerror(st));
    return st == STORE_ERR_NOMEM ? REMOTE_ERR_NOMEM : REMOTE_ERR_PROTOCOL;
}

/* GET a keystore path; the object under member must carry field. */
static remote_status get_record(remote_http *h, const remote_session *s,
                                const char *path, const char *member,
                                const char *field, cJSON **ans,
                                const cJSON **rec)
{
    remote_status st = remote_http_call(h, REMOTE_KEYSTORE, "GET", path,
                                        (const char *)s->keystore_token.p,
                                        NULL, ans, NULL);

    if (st != REMOTE_OK)
        return st;
    *rec = cJSON_GetObjectItemCaseSensitive(*ans, member);
    if (!str(*rec, "id") || !str(*rec, field)) {
        remote_error_set("GET %s: incomplete %s", path, member);
        return REMOTE_ERR_PROTOCOL;
    }
    return REMOTE_OK;
}

static remote_status sync_kek_dek(remote_http *h, const remote_session *s,
                                  store *db)
{
    char path[256];
    const cJSON *r;
    cJSON *ans = NULL;
    remote_status st;

    st = get_record(h, s, "/key_encryption_key", "key_encryption_key",
                    "serialized_key_encryption_key", &ans, &r);
    if (st == REMOTE_OK)
        st = from_store(
            store_kek_put(db, &(store_kek){str(r, "id"),
                                           str(r, "serialized_key_encryption_"
                                                  "key"),
                                           str(r, "created_at")}),
            "kek");
    cJSON_Delete(ans);
    ans = NULL;
    if (st != REMOTE_OK)
        return st;
    snprintf(path, sizeof(path), "/data_encryption_keys/%s", s->dek_id);
    st = get_record(h, s, path, "data_encryption_key",
                    "serialized_data_encryption_key", &ans, &r);
    if (st == REMOTE_OK)
        st = from_store(
            store_dek_put(db, &(store_dek){str(r, "id"),
                                           str(r, "serialized_data_"
                                                  "encryption_key"),
                                           NULL, str(r, "created_at")}),
            "dek");
    cJSON_Delete(ans);
    return st;
}

static int public_bits(const char *pem)
{
    EVP_PKEY *k = NULL;
    int bits = 0;

    if (pem && cryppo_rsa_public_from_pem(pem, strlen(pem), &k) == CRYPPO_OK)
        bits = EVP_PKEY_get_bits(k);
    EVP_PKEY_free(k);
    return bits;
}

static remote_status sync_keypair(remote_http *h, const remote_session *s,
                                  store *db)
{
    char *meta = NULL, *ext = NULL;
    const cJSON *r;
    cJSON *ans = NULL;
    store_keypair kp;
    remote_status st;

    st = get_record(h, s, "/keypairs/external_id/auth", "keypair",
                    "encrypted_serialized_key", &ans, &r);
    if (st != REMOTE_OK)
        goto out;
    meta = json_text(r, "metadata", "{}");
    ext = json_text(r, "external_identifiers", "[]");
    kp = (store_keypair){.id = str(r, "id"),
                         .public_key = str(r, "public_key"),
                         .encrypted_serialized_key =
                             str(r, "encrypted_serialized_key"),
                         .metadata = meta,
                         .external_identifiers = ext,
                         .key_type = "rsa",
                         .bits = public_bits(str(r, "public_key")),
                         .created_at = str(r, "created_at")};
    st = !meta || !ext ? REMOTE_ERR_NOMEM
                       : from_store(store_keypair_put(db, &kp), "keypair");
out:
    free(meta);
    free(ext);
    cJSON_Delete(ans);
    return st;
}

static remote_status put_item(store *db, const cJSON *it)
{
    char *nodes = json_text(it, "classification_node_ids", "[]");
    store_item r = {.id = str(it, "id"),
                    .name = str(it, "name"),
                    .label = str(it, "label"),
                    .description = str(it, "description"),
                    .item_template_id = str(it, "item_template_id"),
                    .item_template_name = str(it, "item_template_name"),
                    .classification_node_ids = nodes,
                    .ordinal = num(it, "ordinal"),
                    .created_at = str(it, "created_at"),
                    .updated_at = str(it, "updated_at")};
    remote_status st;

    if (!nodes)
        return REMOTE_ERR_NOMEM;
    st = r.id ? from_store(store_item_put(db, &r), "item")
              : REMOTE_ERR_PROTOCOL;
    free(nodes);
    return st;
}

static remote_status put_slot(store *db, const cJSON *sl)
{
    store_slot r = {
        .id = str(sl, "id"),
        .item_id = str(sl, "item_id"),
        .name = str(sl, "name"),
        .label = str(sl, "label"),
        .description = str(sl, "description"),
        .slot_type_name = str(sl, "slot_type_name"),
        .encrypted_value = str(sl, "encrypted_value"),
        .encrypted_value_verification_key =
            str(sl, "encrypted_value_verification_key"),
        .value_verification_hash = str(sl, "value_verification_hash"),
        .ordinal = num(sl, "ordinal"),
        .created_at = str(sl, "created_at"),
        .updated_at = str(sl, "updated_at")};

    if (!r.id || !r.item_id)
        return REMOTE_ERR_PROTOCOL;
    return from_store(store_slot_put(db, &r), "slot");
}

/* Items first (slots reference them), then slots. */
static remote_status put_page(store *db, const cJSON *ans)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(ans, "items");
    const cJSON *slots = cJSON_GetObjectItemCaseSensitive(ans, "slots");
    const cJSON *e;
    remote_status st = REMOTE_OK;

    if (!cJSON_IsArray(items) || (slots && !cJSON_IsArray(slots))) {
        remote_error_set("GET /items: no items array");
        return REMOTE_ERR_PROTOCOL;
    }
    cJSON_ArrayForEach(e, items)
    {
        st = put_item(db, e);
        if (st != REMOTE_OK)
            return st;
    }
    cJSON_ArrayForEach(e, slots)
    {
        st = put_slot(db, e);
        if (st != REMOTE_OK)
            return st;
    }
    return st;
}

/* The cursor goes into a query string: accept only URL-safe ids. */
static remote_status take_cursor(const char *c, char **out)
{
    size_t n = strlen(c);

    if (n == 0 || n > 128 || strspn(c, "abcdefghijklmnopqrstuvwxyz"
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_.:") != n) {
        remote_error_set("GET /items: unusable next_page_after");
        return REMOTE_ERR_PROTOCOL;
    }
    *out = strdup(c);
    return *out ? REMOTE_OK : REMOTE_ERR_NOMEM;
}

static remote_status sync_items(remote_http *h, const remote_session *s,
                                store *db)
{
    char path[256], *cursor = NULL;
    cJSON *ans = NULL;
    remote_status st;

    do {
        snprintf(path, sizeof(path), "/items?per_page=%u%s%s",
                 s->cfg->page_size ? s->cfg->page_size : 100,
                 cursor ? "&next_page_after=" : "", cursor ? cursor : "");
        free(cursor);
        cursor = NULL;
        st = remote_http_call(h, REMOTE_VAULT, "GET", path,
                              (const char *)s->vault_token.p, NULL, &ans,
                              NULL);
        if (st == REMOTE_OK)
            st = put_page(db, ans);
        if (st == REMOTE_OK && str(ans, "next_page_after"))
            st = take_cursor(str(ans, "next_page_after"), &cursor);
        cJSON_Delete(ans);
        ans = NULL;
    } while (st == REMOTE_OK && cursor);
    free(cursor);
    return st;
}

remote_status remote_sync(const remote_session *session, store *replica)
{
    remote_http *h = NULL;
    remote_status st;

    if (!session || !replica || !session->cfg || !session->dek_id ||
        !session->keystore_token.p || !session->vault_token.p)
        return REMOTE_ERR_ARGS;
    st = remote_http_new(session->cfg, &h);
    if (st != REMOTE_OK)
        return st;
    st = from_store(store_begin(replica), "begin");
    if (st != REMOTE_OK)
        goto out;
    st = sync_kek_dek(h, session, replica);
    if (st == REMOTE_OK)
        st = sync_keypair(h, session, replica);
    if (st == REMOTE_OK)
        st = sync_items(h, session, replica);
    if (st == REMOTE_OK)
        st = from_store(store_commit(replica), "commit");
    else
        store_rollback(replica);
out:
    remote_http_free(h);
    return st;
}
