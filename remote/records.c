/* remote/records.c - checks and store upserts of server records. */
#include "records.h"

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

remote_status remote_from_store(store_status st, const char *what)
{
    if (st == STORE_OK)
        return REMOTE_OK;
    remote_error_set("store %s: %s", what, store_strerror(st));
    return st == STORE_ERR_NOMEM ? REMOTE_ERR_NOMEM : REMOTE_ERR_PROTOCOL;
}

/* ---- checks ----------------------------------------------------------- */

static remote_status bad(const char *what, const char *key, const char *id)
{
    remote_error_set("%s %s: bad or missing %s", what, id ? id : "?", key);
    return REMOTE_ERR_PROTOCOL;
}

static int id_ok(const cJSON *j, const char *key)
{
    const char *v = str(j, key);
    size_t n = v ? strlen(v) : 0;

    return n > 0 && n <= STORE_UUID_LEN;
}

/* Absent, null or a string. */
static int opt_str(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return !v || cJSON_IsNull(v) || cJSON_IsString(v);
}

/* Absent, null or an array / a number. */
static int opt_array(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return !v || cJSON_IsNull(v) || cJSON_IsArray(v);
}

static int opt_num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return !v || cJSON_IsNull(v) || cJSON_IsNumber(v);
}

/* Absent, null, or a string that parses as Cryppo. */
static int opt_cryppo(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    cryppo_parsed p;
    int ok;

    if (!v || cJSON_IsNull(v))
        return 1;
    if (!cJSON_IsString(v))
        return 0;
    ok = cryppo_parse(v->valuestring, strlen(v->valuestring), &p) == CRYPPO_OK;
    if (ok)
        cryppo_parsed_free(&p);
    return ok;
}

int remote_record_id_ok(const cJSON *j, const char *key)
{
    return id_ok(j, key);
}

int remote_opt_str(const cJSON *j, const char *key)
{
    return opt_str(j, key);
}

int remote_opt_array(const cJSON *j, const char *key)
{
    return opt_array(j, key);
}

remote_status remote_item_check(const cJSON *it)
{
    static const char *const strs[] = {"description", "item_template_id",
                                       "item_template_name", "created_at",
                                       "updated_at"};
    const char *id = str(it, "id");

    if (!cJSON_IsObject(it) || !id_ok(it, "id"))
        return bad("item", "id", id);
    if (!str(it, "name"))
        return bad("item", "name", id);
    if (!str(it, "label"))
        return bad("item", "label", id);
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        if (!opt_str(it, strs[i]))
            return bad("item", strs[i], id);
    if (!opt_array(it, "classification_node_ids"))
        return bad("item", "classification_node_ids", id);
    if (!opt_num(it, "ordinal"))
        return bad("item", "ordinal", id);
    return REMOTE_OK;
}

remote_status remote_slot_check(const cJSON *sl)
{
    static const char *const strs[] = {
        "label",          "description",
        "slot_type_name", "value_verification_hash",
        "created_at",     "updated_at"};
    const char *id = str(sl, "id");

    if (!cJSON_IsObject(sl) || !id_ok(sl, "id"))
        return bad("slot", "id", id);
    if (!id_ok(sl, "item_id"))
        return bad("slot", "item_id", id);
    if (!str(sl, "name"))
        return bad("slot", "name", id);
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        if (!opt_str(sl, strs[i]))
            return bad("slot", strs[i], id);
    if (!opt_num(sl, "ordinal"))
        return bad("slot", "ordinal", id);
    if (!opt_cryppo(sl, "encrypted_value"))
        return bad("slot", "encrypted_value", id);
    if (!opt_cryppo(sl, "encrypted_value_verification_key"))
        return bad("slot", "encrypted_value_verification_key", id);
    return REMOTE_OK;
}

remote_status remote_key_check(const cJSON *rec, const char *field)
{
    const char *id = str(rec, "id");

    if (!cJSON_IsObject(rec) || !id_ok(rec, "id"))
        return bad("key record", "id", id);
    if (!str(rec, field) || !opt_cryppo(rec, field))
        return bad("key record", field, id);
    return REMOTE_OK;
}

/* ---- upserts ---------------------------------------------------------- */

void remote_item_template_name(cJSON *item, const char *name)
{
    if (!name || str(item, "item_template_name"))
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(item, "item_template_name");
    cJSON_AddStringToObject(item, "item_template_name", name);
}

remote_status remote_item_store(store *db, const cJSON *it)
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
    st = remote_from_store(store_item_put(db, &r), "item");
    free(nodes);
    return st;
}

remote_status remote_slot_store(store *db, const cJSON *sl)
{
    const char *label = str(sl, "label");
    store_slot r = {.id = str(sl, "id"),
                    .item_id = str(sl, "item_id"),
                    .name = str(sl, "name"),
                    .label = label ? label : str(sl, "name"),
                    .description = str(sl, "description"),
                    .slot_type_name = str(sl, "slot_type_name"),
                    .encrypted_value = str(sl, "encrypted_value"),
                    .encrypted_value_verification_key =
                        str(sl, "encrypted_value_verification_key"),
                    .value_verification_hash =
                        str(sl, "value_verification_hash"),
                    .ordinal = num(sl, "ordinal"),
                    .created_at = str(sl, "created_at"),
                    .updated_at = str(sl, "updated_at")};

    return remote_from_store(store_slot_put(db, &r), "slot");
}

remote_status remote_kek_store(store *db, const cJSON *r)
{
    store_kek k = {str(r, "id"), str(r, "serialized_key_encryption_key"),
                   str(r, "created_at")};

    return remote_from_store(store_kek_put(db, &k), "kek");
}

remote_status remote_dek_store(store *db, const cJSON *r)
{
    store_dek d = {str(r, "id"), str(r, "serialized_data_encryption_key"), NULL,
                   str(r, "created_at")};
    store_dek old;

    /* keep the token-side label of a DEK the replica already has */
    if (store_dek_get(db, d.id, &old) == STORE_OK) {
        store_status st;

        d.label = old.label;
        st = store_dek_put(db, &d);
        store_dek_clear(&old);
        return remote_from_store(st, "dek");
    }
    return remote_from_store(store_dek_put(db, &d), "dek");
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

remote_status remote_keypair_store(store *db, const cJSON *r)
{
    char *meta = json_text(r, "metadata", "{}");
    char *ext = json_text(r, "external_identifiers", "[]");
    store_keypair kp = {.id = str(r, "id"),
                        .public_key = str(r, "public_key"),
                        .encrypted_serialized_key =
                            str(r, "encrypted_serialized_key"),
                        .metadata = meta,
                        .external_identifiers = ext,
                        .key_type = "rsa",
                        .bits = public_bits(str(r, "public_key")),
                        .created_at = str(r, "created_at")};
    store_keypair old;
    int had = 0;
    remote_status st;

    if (!meta || !ext) {
        st = REMOTE_ERR_NOMEM;
        goto out;
    }
    /* keep the token-side label */
    had = store_keypair_get(db, kp.id, &old) == STORE_OK;
    if (had)
        kp.label = old.label;
    st = remote_from_store(store_keypair_put(db, &kp), "keypair");
out:
    if (had)
        store_keypair_clear(&old);
    free(meta);
    free(ext);
    return st;
}

/* ---- id sets ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

remote_status remote_idset_build(const cJSON *records, const char *key,
                                 remote_idset *out)
{
    size_t n = (size_t)cJSON_GetArraySize(records), i = 0;
    const cJSON *r;

    out->n = 0;
    out->ids = calloc(n ? n : 1, sizeof(*out->ids));
    if (!out->ids)
        return REMOTE_ERR_NOMEM;
    cJSON_ArrayForEach(r, records)
    {
        const char *id = str(r, key);

        if (!id)
            return bad("record", key, NULL);
        out->ids[i++] = id;
    }
    out->n = i;
    qsort(out->ids, out->n, sizeof(*out->ids), cmp_str);
    for (i = 1; i < out->n; i++)
        if (strcmp(out->ids[i - 1], out->ids[i]) == 0)
            return bad("record", "id (duplicate)", out->ids[i]);
    return REMOTE_OK;
}

int remote_idset_has(const remote_idset *set, const char *id)
{
    return id && set->n &&
           bsearch(&id, set->ids, set->n, sizeof(*set->ids), cmp_str) != NULL;
}

void remote_idset_free(remote_idset *set)
{
    free(set->ids);
    set->ids = NULL;
    set->n = 0;
}

remote_status remote_slots_owned(const cJSON *slots, const remote_idset *items)
{
    const cJSON *sl;

    cJSON_ArrayForEach(sl, slots)
    {
        if (!remote_idset_has(items, str(sl, "item_id")))
            return bad("slot", "item_id (no such item)", str(sl, "id"));
    }
    return REMOTE_OK;
}
