/* pkcs11/backend/local.c - the local backend: the account is the token's
 * SQLite file, driven through keystore/ and vault/.
 *
 * Listing without a login returns the keypairs only (their public halves
 * are public objects); with a login it returns the KEK, the DEKs, the
 * keypairs with their private keys and every vault slot with its
 * decrypted value.
 */
#include "local.h"
#include "keypair_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "errors.h"
#include "keystore.h"
#include "log.h"
#include "vault.h"

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

void p11_bk_record_clear(p11_bk_record *r)
{
    if (r == NULL)
        return;
    free(r->id);
    free(r->label);
    free(r->wrapped);
    EVP_PKEY_free(r->pub);
    EVP_PKEY_free(r->priv);
    free(r->item_id);
    free(r->item_name);
    free(r->item_label);
    free(r->slot_label);
    free(r->slot_type);
    free(r->template_name);
    free(r->blob);
    free(r->ck_id);
    secbuf_free(&r->value);
    *r = (p11_bk_record){0};
}

void p11_bk_records_free(p11_bk_record *r, size_t n)
{
    for (size_t i = 0; r != NULL && i < n; i++)
        p11_bk_record_clear(&r[i]);
    free(r);
}

/* ---- lifetime ---------------------------------------------------------- */

/* The Secret Key from the configuration: inline, or the first line of
 * secret_key_file.  NULL when neither is set. */
CK_RV p11_local_configured_secret(const config_token *tok, secbuf *out)
{
    char line[512];
    if (tok->secret_key != NULL)
        return secbuf_dup(out, tok->secret_key, strlen(tok->secret_key)) == 0
                   ? CKR_OK
                   : CKR_HOST_MEMORY;
    if (tok->secret_key_file == NULL)
        return CKR_OK;
    FILE *f = fopen(tok->secret_key_file, "r");
    if (f == NULL)
        return CKR_DEVICE_ERROR;
    char *got = fgets(line, sizeof(line), f);
    fclose(f);
    if (got == NULL)
        return CKR_DEVICE_ERROR;
    line[strcspn(line, "\r\n")] = 0;
    CK_RV rv = secbuf_dup(out, line, strlen(line)) == 0 ? CKR_OK
                                                        : CKR_HOST_MEMORY;
    secure_wipe(line, sizeof(line));
    return rv;
}

static CK_RV local_open(const config *cfg, const config_token *tok,
                        void **ctx)
{
    char *path = config_token_db_path(cfg, tok);
    secbuf secret = {0};
    local *l = calloc(1, sizeof(*l));
    CK_RV rv = CKR_HOST_MEMORY;
    if (path == NULL || l == NULL)
        goto out;
    rv = p11_rv_from_ks(ks_account_open(path, &l->a));
    if (rv != CKR_OK)
        goto out;
    rv = p11_local_configured_secret(tok, &secret);
    if (rv == CKR_OK && secret.p != NULL)
        rv = p11_rv_from_ks(ks_account_set_secret(l->a, (char *)secret.p));
    if (rv != CKR_OK)
        goto out;
    l->read_only = tok->read_only;
    LOGI(LOG_AREA_PKCS11, "local token %s at %s", tok->name, path);
    *ctx = l;
    l = NULL;
out:
    if (l != NULL && l->a != NULL)
        ks_account_close(l->a);
    free(l);
    free(path);
    secbuf_free(&secret);
    return rv;
}

static void local_close(void *ctx)
{
    local *l = ctx;
    if (l == NULL)
        return;
    ks_account_close(l->a);
    free(l);
}

static void local_abandon(void *ctx)
{
    /* The SQLite connection belongs to the parent: leave it untouched,
     * but wipe the child's copy of the KEK and DEK (memory only). */
    local *l = ctx;
    if (l != NULL)
        ks_account_logout(l->a);
}

/* "local-3f2a...": 16 hex digits of the username, zeros if none. */
void p11_local_serial_from(const char *username, char serial[17])
{
    size_t n = 0;
    for (const char *p = username; p != NULL && *p && n < 16; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
            serial[n++] = *p;
    }
    while (n < 16)
        serial[n++] = '0';
    serial[16] = 0;
}

static CK_RV local_status(void *ctx, p11_bk_status *st)
{
    local *l = ctx;
    ks_state state = KS_STATE_EMPTY;
    store_account acc = {0};
    *st = (p11_bk_status){0};
    CK_RV rv = p11_rv_from_ks(ks_account_state(l->a, &state));
    if (rv != CKR_OK)
        return rv;
    st->initialized = state != KS_STATE_EMPTY;
    st->user_pin_set = state == KS_STATE_READY;
    st->write_protected = l->read_only;
    if (st->initialized && ks_account_info(l->a, &acc) == KS_OK) {
        snprintf(st->label, sizeof(st->label), "%s",
                 acc.label != NULL ? acc.label : "");
        p11_local_serial_from(acc.username, st->serial);
        store_account_clear(&acc);
    } else {
        p11_local_serial_from(NULL, st->serial);
    }
    return CKR_OK;
}

/* ---- users ------------------------------------------------------------- */

static CK_RV local_init_token(void *ctx, const char *label, const char *so_pin)
{
    local *l = ctx;
    return p11_rv_from_ks(ks_account_init_token(l->a, label, so_pin, NULL));
}

static CK_RV local_login(void *ctx, CK_USER_TYPE who, const char *pin)
{
    local *l = ctx;
    ks_user u = who == CKU_SO ? KS_USER_SO : KS_USER_USER;
    ks_status st = ks_account_login(l->a, u, pin);
    if (st == KS_ERR_NOT_INITIALIZED && u == KS_USER_USER)
        return CKR_USER_PIN_NOT_INITIALIZED; /* no account: no user PIN */
    return p11_rv_from_ks(st);
}

static void local_logout(void *ctx)
{
    local *l = ctx;
    ks_account_logout(l->a);
}

static CK_RV local_init_pin(void *ctx, const char *pin)
{
    local *l = ctx;
    return p11_rv_from_ks(ks_account_init_pin(l->a, pin));
}

static CK_RV local_set_pin(void *ctx, const char *old_pin, const char *new_pin)
{
    local *l = ctx;
    return p11_rv_from_ks(ks_account_set_pin(l->a, old_pin, new_pin));
}

/* ---- records ----------------------------------------------------------- */

/* First string of a JSON array text like ["auth","x"], or NULL. */
static char *first_json_string(const char *json)
{
    const char *p = json != NULL ? strchr(json, '"') : NULL;
    if (p == NULL)
        return NULL;
    const char *e = strchr(p + 1, '"');
    if (e == NULL || e == p + 1)
        return NULL;
    return strndup(p + 1, (size_t)(e - p - 1));
}

static CK_RV kek_record(local *l, bool secrets, p11_bk_record *r)
{
    char *id = NULL;
    ks_status st = ks_kek_id(l->a, &id);
    if (st != KS_OK)
        return p11_rv_from_ks(st);
    r->kind = P11_BK_KEK;
    r->id = id;
    r->label = strdup("kek");
    if (secrets) {
        st = ks_kek_get(l->a, &r->value);
        r->has_value = st == KS_OK;
    }
    return r->label != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

CK_RV p11_local_dek_record(local *l, const store_dek *d, const char *private_id,
                        bool secrets, p11_bk_record *r)
{
    r->kind = P11_BK_DEK;
    r->id = dup_or_null(d->id);
    r->undeletable = private_id != NULL && strcmp(private_id, d->id) == 0;
    r->label = dup_or_null(d->label != NULL ? d->label
                           : r->undeletable ? "private_dek" : "dek");
    r->wrapped = dup_or_null(d->serialized_data_encryption_key);
    if (secrets) {
        ks_status st = ks_dek_unwrap(l->a, d->id, &r->value);
        if (st != KS_OK)
            return p11_rv_from_ks(st);
        r->has_value = true;
    }
    return (r->id && r->label) ? CKR_OK : CKR_HOST_MEMORY;
}

CK_RV p11_local_keypair_record(local *l, const store_keypair *k, bool secrets,
                            p11_bk_record *r)
{
    r->kind = P11_BK_KEYPAIR;
    r->id = dup_or_null(k->id);
    r->label = k->label != NULL ? strdup(k->label)
                                : first_json_string(k->external_identifiers);
    r->wrapped = dup_or_null(k->encrypted_serialized_key);
    r->undeletable = k->external_identifiers != NULL &&
                     strstr(k->external_identifiers,
                            "\"" KS_AUTH_EXTERNAL_ID "\"") != NULL;
    (void)p11_keypair_meta_id(k->metadata, &r->ck_id, &r->ck_id_len);
    if (cryppo_rsa_public_from_pem(k->public_key, strlen(k->public_key),
                                   &r->pub) != CRYPPO_OK)
        return CKR_DEVICE_ERROR;
    if (secrets) {
        ks_status st = ks_keypair_private_key(l->a, k->id, &r->priv);
        if (st != KS_OK)
            return p11_rv_from_ks(st);
    }
    return r->id != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

static const store_item *item_by_id(const store_item *items, size_t n,
                                    const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(items[mid].id, id);
        if (c == 0)
            return &items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

CK_RV p11_local_slot_record(local *l, const store_slot *s, const store_item *it,
                         bool secrets, p11_bk_record *r)
{
    r->kind = P11_BK_SLOT;
    r->id = dup_or_null(s->id);
    r->label = dup_or_null(s->name);
    r->wrapped = dup_or_null(s->encrypted_value);
    r->item_id = dup_or_null(s->item_id);
    r->slot_label = dup_or_null(s->label);
    r->slot_type = dup_or_null(s->slot_type_name);
    if (it != NULL) {
        r->item_name = dup_or_null(it->name);
        r->item_label = dup_or_null(it->label);
        r->template_name = dup_or_null(it->item_template_name);
    }
    if (secrets) {
        vault_status st = VAULT_OK;
        if (s->encrypted_value != NULL)
            st = vault_value_decrypt(l->a, s->encrypted_value, &r->value);
        if (st != VAULT_OK)
            return p11_rv_from_vault(st);
        r->has_value = true;
    }
    return r->id != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* A growable record array. */
typedef struct recs {
    p11_bk_record *r;
    size_t n;
    size_t cap;
} recs;

static p11_bk_record *recs_next(recs *v)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 16;
        p11_bk_record *nr = realloc(v->r, ncap * sizeof(*nr));
        if (nr == NULL)
            return NULL;
        v->r = nr;
        v->cap = ncap;
    }
    v->r[v->n] = (p11_bk_record){0};
    return &v->r[v->n++];
}

static CK_RV list_keys(local *l, bool secrets, recs *v)
{
    store_account acc = {0};
    store_dek *deks = NULL;
    size_t n = 0;
    CK_RV rv = CKR_HOST_MEMORY;
    p11_bk_record *r = recs_next(v);
    if (r == NULL)
        return CKR_HOST_MEMORY;
    rv = kek_record(l, secrets, r);
    if (rv == CKR_OBJECT_HANDLE_INVALID) { /* no KEK record (yet) */
        p11_bk_record_clear(r);
        v->n--;
        rv = CKR_OK;
    }
    if (rv != CKR_OK)
        return rv;
    if (ks_account_info(l->a, &acc) != KS_OK)
        acc = (store_account){0};
    rv = p11_rv_from_ks(ks_dek_list(l->a, &deks, &n));
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        r = recs_next(v);
        rv = r != NULL ? p11_local_dek_record(l, &deks[i], acc.private_dek_id, secrets, r)
                       : CKR_HOST_MEMORY;
    }
    store_dek_list_free(deks, n);
    store_account_clear(&acc);
    return rv;
}

static CK_RV list_keypairs(local *l, bool secrets, recs *v)
{
    store_keypair *kps = NULL;
    size_t n = 0;
    CK_RV rv = p11_rv_from_ks(ks_keypair_list(l->a, &kps, &n));
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        p11_bk_record *r = recs_next(v);
        rv = r != NULL ? p11_local_keypair_record(l, &kps[i], secrets, r)
                       : CKR_HOST_MEMORY;
    }
    store_keypair_list_free(kps, n);
    return rv;
}

static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const store_item *)a)->id, ((const store_item *)b)->id);
}

static CK_RV list_slots(local *l, recs *v)
{
    store_item *items = NULL;
    store_slot *slots = NULL;
    size_t ni = 0, ns = 0;
    CK_RV rv = p11_rv_from_vault(vault_item_list(l->a, &items, &ni));
    if (rv == CKR_OK)
        rv = p11_rv_from_vault(vault_slot_list(l->a, NULL, &slots, &ns));
    if (rv == CKR_OK && ni > 1)
        qsort(items, ni, sizeof(*items), item_cmp);
    for (size_t i = 0; rv == CKR_OK && i < ns; i++) {
        p11_bk_record *r = recs_next(v);
        const store_item *it = item_by_id(items, ni, slots[i].item_id);
        rv = r != NULL ? p11_local_slot_record(l, &slots[i], it, true, r)
                       : CKR_HOST_MEMORY;
        if (rv == CKR_DEVICE_ERROR) {
            /* One value that does not decrypt under the private DEK (a
             * slot shared with this account is under the share's DEK, or
             * a damaged record) must not hide the rest of the account. */
            LOGW(LOG_AREA_PKCS11, "slot %s: value does not decrypt; skipped",
                 slots[i].id);
            p11_bk_record_clear(r);
            v->n--;
            rv = CKR_OK;
        }
    }
    store_slot_list_free(slots, ns);
    store_item_list_free(items, ni);
    return rv;
}

/* ---- token-only objects ------------------------------------------------
 * token_objects.data = 4-byte big-endian length of the encoded attributes,
 * the attributes, then the Cryppo string Aes256Gcm(KEK, key material) or
 * nothing. */

#define OBJECT_KIND "pkcs11"

/* The attributes' length n of a stored object; -1 if malformed.  The
 * wrapped key material is the data_len - 4 - n bytes after them. */
static int object_split(const store_object *o, size_t *n)
{
    if (o->data_len < 4)
        return -1;
    *n = ((size_t)o->data[0] << 24) | ((size_t)o->data[1] << 16) |
         ((size_t)o->data[2] << 8) | o->data[3];
    return *n <= o->data_len - 4 ? 0 : -1;
}

/* 4-byte length, blob, wrapped key material (malloc'd). */
static uint8_t *object_pack(const uint8_t *blob, size_t len,
                            const void *wrapped, size_t wlen, size_t *out_len)
{
    uint8_t *d = malloc(4 + len + wlen);
    if (d == NULL)
        return NULL;
    d[0] = (uint8_t)(len >> 24);
    d[1] = (uint8_t)(len >> 16);
    d[2] = (uint8_t)(len >> 8);
    d[3] = (uint8_t)len;
    memcpy(d + 4, blob, len);
    if (wlen > 0)
        memcpy(d + 4 + len, wrapped, wlen);
    *out_len = 4 + len + wlen;
    return d;
}

static CK_RV object_record(local *l, const store_object *o, bool secrets,
                           p11_bk_record *r)
{
    size_t n = 0;
    if (object_split(o, &n) != 0)
        return CKR_DEVICE_ERROR;
    r->kind = P11_BK_OBJECT;
    r->id = dup_or_null(o->id);
    r->label = dup_or_null(o->label);
    r->blob = malloc(n ? n : 1);
    if (r->id == NULL || r->blob == NULL)
        return CKR_HOST_MEMORY;
    memcpy(r->blob, o->data + 4, n);
    r->blob_len = n;
    size_t wlen = o->data_len - 4 - n;
    if (!secrets || wlen == 0)
        return CKR_OK;
    secbuf kek = {0};
    char *wrapped = strndup((const char *)o->data + 4 + n, wlen);
    CK_RV rv = wrapped != NULL ? p11_rv_from_ks(ks_kek_get(l->a, &kek))
                               : CKR_HOST_MEMORY;
    if (rv == CKR_OK &&
        cryppo_aes_decrypt(kek.p, wrapped, &r->value) != CRYPPO_OK)
        rv = CKR_DEVICE_ERROR;
    r->has_value = rv == CKR_OK;
    secbuf_free(&kek);
    free(wrapped);
    return rv;
}

static CK_RV list_objects(local *l, bool secrets, recs *v)
{
    store_object *objs = NULL;
    size_t n = 0;
    CK_RV rv = p11_rv_from_store(
        store_object_list(ks_account_store(l->a), OBJECT_KIND, &objs, &n));
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        p11_bk_record *r = recs_next(v);
        rv = r != NULL ? object_record(l, &objs[i], secrets, r)
                       : CKR_HOST_MEMORY;
    }
    store_object_list_free(objs, n);
    return rv;
}

CK_RV p11_local_list(void *ctx, bool with_private, p11_bk_record **out,
                        size_t *n)
{
    local *l = ctx;
    recs v = {0};
    ks_state state = KS_STATE_EMPTY;
    CK_RV rv = p11_rv_from_ks(ks_account_state(l->a, &state));
    if (rv == CKR_OK && state != KS_STATE_EMPTY) {
        if (with_private)
            rv = list_keys(l, true, &v);
        if (rv == CKR_OK)
            rv = list_keypairs(l, with_private, &v);
        if (rv == CKR_OK && with_private)
            rv = list_slots(l, &v);
        if (rv == CKR_OK)
            rv = list_objects(l, with_private, &v);
    }
    if (rv != CKR_OK) {
        p11_bk_records_free(v.r, v.n);
        return rv;
    }
    *out = v.r;
    *n = v.n;
    return CKR_OK;
}

/* ---- changes ----------------------------------------------------------- */

static CK_RV local_dek_create(void *ctx, const uint8_t *key, size_t len,
                              const char *label, p11_bk_record *out)
{
    local *l = ctx;
    store_dek d = {0};
    store_account acc = {0};
    ks_status st;
    if (key != NULL && len != KS_KEY_LEN)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    st = key != NULL ? ks_dek_import(l->a, key, label, &d)
                     : ks_dek_create(l->a, label, &d);
    CK_RV rv = p11_rv_from_ks(st);
    if (rv == CKR_OK) {
        if (ks_account_info(l->a, &acc) != KS_OK)
            acc = (store_account){0};
        rv = p11_local_dek_record(l, &d, acc.private_dek_id, true, out);
    }
    store_account_clear(&acc);
    store_dek_clear(&d);
    return rv;
}

/* Keep the CKA_ID the application asked for in the keypair's metadata. */
static CK_RV keep_ck_id(local *l, store_keypair *k, const uint8_t *ck_id,
                        size_t ck_id_len)
{
    if (ck_id == NULL)
        return CKR_OK;
    char *meta = p11_keypair_meta_with_id(k->metadata, ck_id, ck_id_len);
    if (meta == NULL)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    free((void *)k->metadata);
    k->metadata = meta;
    return p11_rv_from_store(store_keypair_put(ks_account_store(l->a), k));
}

static CK_RV local_keypair_create(void *ctx, EVP_PKEY *priv,
                                  const char *label, const uint8_t *ck_id,
                                  size_t ck_id_len, p11_bk_record *out)
{
    local *l = ctx;
    store_keypair k = {0};
    if (ck_id_len > P11_KEYPAIR_ID_MAX)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    ks_status st = ks_keypair_import(l->a, priv, label, NULL, &k);
    if (st == KS_ERR_UNSUPPORTED)
        return CKR_TEMPLATE_INCONSISTENT;
    CK_RV rv = p11_rv_from_ks(st);
    if (rv == CKR_OK)
        rv = keep_ck_id(l, &k, ck_id, ck_id_len);
    if (rv == CKR_OK)
        rv = p11_local_keypair_record(l, &k, true, out);
    store_keypair_clear(&k);
    return rv;
}

/* Vault names are sanitized (lower-case, [a-z0-9_]); a PKCS#11 label must
 * come back exactly as given, so only names the Vault keeps unchanged are
 * accepted. */
CK_RV p11_local_exact_name(const char *name)
{
    char *clean = vault_name_sanitize(name);
    CK_RV rv = (clean != NULL && strcmp(clean, name) == 0)
                   ? CKR_OK
                   : CKR_ATTRIBUTE_VALUE_INVALID;
    free(clean);
    return rv;
}

static CK_RV local_slot_create(void *ctx, const p11_bk_slot_spec *spec,
                               p11_bk_record *out)
{
    local *l = ctx;
    store_item it = {0};
    store_slot s = {0};
    CK_RV rv = p11_local_exact_name(spec->item_name);
    if (rv == CKR_OK)
        rv = p11_local_exact_name(spec->name);
    if (rv != CKR_OK) {
        LOGD(LOG_AREA_PKCS11, "slot/item name is not a Vault name");
        return rv;
    }
    rv = p11_rv_from_vault(
        vault_item_ensure(l->a, spec->item_name, spec->template_name, &it,
                          NULL));
    if (rv == CKR_OK)
        rv = p11_rv_from_vault(vault_slot_add(
            l->a, it.id, spec->name, spec->label, spec->slot_type,
            spec->value, spec->len, &s));
    if (rv == CKR_OK)
        rv = p11_local_slot_record(l, &s, &it, true, out);
    store_slot_clear(&s);
    store_item_clear(&it);
    return rv;
}

CK_RV p11_local_set_label(void *ctx, p11_bk_kind kind, const char *id,
                             const char *label)
{
    local *l = ctx;
    store *s = ks_account_store(l->a);
    switch (kind) {
    case P11_BK_DEK:
        return p11_rv_from_store(store_dek_set_label(s, id, label));
    case P11_BK_KEYPAIR:
        return p11_rv_from_store(store_keypair_set_label(s, id, label));
    default:
        return CKR_ATTRIBUTE_READ_ONLY;
    }
}

static CK_RV local_slot_set_value(void *ctx, const char *id, const uint8_t *v,
                                  size_t len)
{
    local *l = ctx;
    return p11_rv_from_vault(vault_slot_set_value(l->a, id, v, len));
}

static CK_RV local_slot_set_label(void *ctx, const char *id,
                                  const char *label)
{
    local *l = ctx;
    return p11_rv_from_vault(vault_slot_set_label(l->a, id, label));
}

CK_RV p11_local_destroy(void *ctx, p11_bk_kind kind, const char *id)
{
    local *l = ctx;
    ks_status st;
    switch (kind) {
    case P11_BK_DEK:
        st = ks_dek_delete(l->a, id);
        break;
    case P11_BK_KEYPAIR:
        st = ks_keypair_delete(l->a, id);
        break;
    case P11_BK_SLOT:
        return p11_rv_from_vault(vault_slot_delete(l->a, id));
    case P11_BK_OBJECT:
        return p11_rv_from_store(
            store_object_delete(ks_account_store(l->a), id));
    default:
        return CKR_ACTION_PROHIBITED;
    }
    return st == KS_ERR_ARGS ? CKR_ACTION_PROHIBITED : p11_rv_from_ks(st);
}

CK_RV p11_local_kek_wrap(local *l, const uint8_t *data, size_t len,
                         char **out)
{
    secbuf kek = {0};
    CK_RV rv = p11_rv_from_ks(ks_kek_get(l->a, &kek));
    if (rv == CKR_OK && cryppo_aes_encrypt(kek.p, data, len, out) != CRYPPO_OK)
        rv = CKR_FUNCTION_FAILED;
    secbuf_free(&kek);
    return rv;
}

/* The stored form of a new object: its secret wrapped under the KEK. */
static CK_RV object_data(local *l, const uint8_t *blob, size_t len,
                         const uint8_t *secret, size_t slen, uint8_t **out,
                         size_t *out_len)
{
    char *wrapped = NULL;
    if (secret != NULL) {
        CK_RV rv = p11_local_kek_wrap(l, secret, slen, &wrapped);
        if (rv != CKR_OK)
            return rv;
    }
    *out = object_pack(blob, len, wrapped,
                       wrapped != NULL ? strlen(wrapped) : 0, out_len);
    free(wrapped);
    return *out != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

CK_RV p11_local_object_create(void *ctx, const char *label,
                                 const uint8_t *blob, size_t len,
                                 const uint8_t *secret, size_t slen,
                                 p11_bk_record *out)
{
    local *l = ctx;
    store_object o = {0}, back = {0};
    char id[STORE_UUID_LEN + 1];
    uint8_t *data = NULL;
    size_t dlen = 0;
    CK_RV rv = object_data(l, blob, len, secret, slen, &data, &dlen);
    if (rv != CKR_OK)
        return rv;
    o.kind = OBJECT_KIND;
    o.label = label;
    o.data = data;
    o.data_len = dlen;
    rv = p11_rv_from_store(store_object_insert(ks_account_store(l->a), &o, id));
    if (rv == CKR_OK)
        rv = p11_rv_from_store(
            store_object_get(ks_account_store(l->a), id, &back));
    if (rv == CKR_OK)
        rv = object_record(l, &back, secret != NULL, out);
    store_object_clear(&back);
    free(data);
    return rv;
}

/* Keep the wrapped key material of the stored object, replace the rest. */
CK_RV p11_local_object_update(void *ctx, const char *id, const char *label,
                                 const uint8_t *blob, size_t len)
{
    local *l = ctx;
    store *s = ks_account_store(l->a);
    store_object old = {0};
    CK_RV rv = p11_rv_from_store(store_object_get(s, id, &old));
    if (rv != CKR_OK)
        return rv;
    size_t n = 0, dlen = 0;
    bool whole = object_split(&old, &n) == 0; /* else: no key material */
    uint8_t *d = object_pack(blob, len, whole ? old.data + 4 + n : NULL,
                             whole ? old.data_len - 4 - n : 0, &dlen);
    rv = d != NULL ? p11_rv_from_store(store_object_update(s, id, label, d,
                                                          dlen))
                   : CKR_HOST_MEMORY;
    free(d);
    store_object_clear(&old);
    return rv;
}

/* Other processes' commits (meeco-token, another application) change the
 * store's data_version: the core re-lists then (at the next
 * C_FindObjectsInit, or when a first session opens).  Asking SQLite costs
 * ~2 us, more than a whole find: it is asked at most every 10 ms, so
 * another process's change shows within 10 ms. */
#define VERSION_TTL_NS 10000000ull

static unsigned local_generation(void *ctx)
{
    local *l = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    if (l->version_at_ns != 0 && now - l->version_at_ns < VERSION_TTL_NS)
        return l->data_version;
    unsigned v = 0;
    if (store_data_version(ks_account_store(l->a), &v) == STORE_OK) {
        l->data_version = v;
        l->version_at_ns = now;
    }
    return l->data_version;
}

const p11_backend_ops p11_backend_local = {
    .name = "local",
    .open = local_open,
    .close = local_close,
    .abandon = local_abandon,
    .status = local_status,
    .init_token = local_init_token,
    .login = local_login,
    .logout = local_logout,
    .init_pin = local_init_pin,
    .set_pin = local_set_pin,
    .list = p11_local_list,
    .dek_create = local_dek_create,
    .keypair_create = local_keypair_create,
    .slot_create = local_slot_create,
    .set_label = p11_local_set_label,
    .slot_set_value = local_slot_set_value,
    .slot_set_label = local_slot_set_label,
    .destroy = p11_local_destroy,
    .object_create = p11_local_object_create,
    .object_update = p11_local_object_update,
    .generation = local_generation,
};

const p11_backend_ops *p11_backend_find(config_backend which)
{
    switch (which) {
    case CONFIG_BACKEND_LOCAL:
        return &p11_backend_local;
    case CONFIG_BACKEND_REMOTE:
        return &p11_backend_remote;
    }
    return NULL;
}
