/* pkcs11/backend/remote.c - the remote backend: a Meeco account on a
 * Keystore and Vault server, served from a local SQLite replica.
 *
 * Reads (list, status) come from the replica, as for a local token
 * (local.h).  Writes go to the server first and then into the replica
 * with the server's ids and answers:
 *
 *   C_CreateObject CKO_DATA   POST /items, or PUT /items/{id} when the
 *                             item (CKA_APPLICATION) exists: one slot
 *   C_GenerateKey / AES obj   POST keystore /data_encryption_keys
 *   RSA key pair              POST keystore /keypairs
 *   C_SetAttributeValue       PUT /items/{id} (slot value or label)
 *   C_DestroyObject           DELETE /slots/{id}, /data_encryption_keys/{id},
 *                             /keypairs/{id}
 *
 * Token-only objects (certificates, EC keys: no Meeco equivalent) and
 * key labels live in the replica only.  Each write: prepare under `mu`
 * (encrypt with the held keys), call the server with no lock held, apply
 * the answer under `mu` (remote_link.h).  The backend is `blocking`: the
 * core calls login and the writes without the token lock.
 */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "errors.h"
#include "keypair_meta.h"
#include "log.h"
#include "remote_link.h"
#include "sync.h"
#include "vault.h"
#include "writes.h"

/* ---- lifetime ---------------------------------------------------------- */

static CK_RV config_remote(remote_bk *rb, const config_token *tok)
{
    remote_config_from_token(&rb->rc, tok);
    rb->interval = tok->refresh_interval > 0 ? (unsigned)tok->refresh_interval
                                             : 0;
    if (tok->keystore_url == NULL || tok->vault_url == NULL) {
        LOGE(LOG_AREA_PKCS11, "token %s: keystore_url and vault_url needed",
             tok->name);
        return CKR_GENERAL_ERROR;
    }
    return CKR_OK;
}

/* The username of "1.<username>.<key>" gives the serial number. */
static void serial_of(remote_bk *rb)
{
    cryppo_secret parsed;
    if (rb->secret.p != NULL &&
        cryppo_secret_parse((const char *)rb->secret.p, &parsed) ==
            CRYPPO_OK) {
        p11_local_serial_from(parsed.username, rb->serial);
        cryppo_secret_free(&parsed);
    } else {
        p11_local_serial_from(NULL, rb->serial);
    }
}

static void remote_free(remote_bk *rb)
{
    if (rb->base.a != NULL)
        ks_account_close(rb->base.a);
    secbuf_free(&rb->secret);
    secbuf_free(&rb->pass);
    free(rb->name);
    free(rb->label);
    pthread_cond_destroy(&rb->wake);
    pthread_mutex_destroy(&rb->mu);
    free(rb);
}

static CK_RV remote_open(const config *cfg, const config_token *tok,
                         void **ctx)
{
    pthread_condattr_t ca;
    char *path = config_token_db_path(cfg, tok);
    remote_bk *rb = calloc(1, sizeof(*rb));
    if (path == NULL || rb == NULL) {
        free(path);
        free(rb);
        return CKR_HOST_MEMORY;
    }
    pthread_mutex_init(&rb->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&rb->wake, &ca);
    pthread_condattr_destroy(&ca);
    rb->name = strdup(tok->name);
    rb->label = strdup(tok->label != NULL ? tok->label : tok->name);
    rb->base.read_only = tok->read_only;
    rb->online = true; /* until a contact fails */
    CK_RV rv = rb->name && rb->label ? config_remote(rb, tok)
                                     : CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11_rv_from_ks(ks_account_open(path, &rb->base.a));
    if (rv == CKR_OK)
        rv = p11_local_configured_secret(tok, &rb->secret);
    if (rv == CKR_OK && rb->secret.p != NULL)
        rv = p11_rv_from_ks(
            ks_account_set_secret(rb->base.a, (const char *)rb->secret.p));
    if (rv == CKR_OK && rb->secret.p == NULL)
        LOGW(LOG_AREA_PKCS11, "token %s: no secret_key(_file): no login",
             tok->name);
    serial_of(rb);
    if (rv != CKR_OK) {
        remote_free(rb);
    } else {
        LOGI(LOG_AREA_PKCS11, "remote token %s: %s, replica %s", tok->name,
             tok->keystore_url, path);
        *ctx = rb;
    }
    free(path);
    return rv;
}

static void remote_close(void *ctx)
{
    remote_bk *rb = ctx;
    if (rb == NULL)
        return;
    rlink_stop(rb);
    remote_free(rb); /* closing the account wipes the KEK */
}

/* In a forked child: no thread, no lock, no connection of the parent is
 * ours; wipe the secrets we hold and leave the rest. */
static void remote_abandon(void *ctx)
{
    remote_bk *rb = ctx;
    if (rb == NULL)
        return;
    ks_account_logout(rb->base.a);
    secbuf_free(&rb->pass);
    secbuf_free(&rb->secret);
    if (rb->sess != NULL)
        remote_session_free(&rb->sess->s);
}

static CK_RV remote_status_op(void *ctx, p11_bk_status *st)
{
    remote_bk *rb = ctx;
    *st = (p11_bk_status){0};
    pthread_mutex_lock(&rb->mu);
    st->initialized = rb->secret.p != NULL;
    st->user_pin_set = rb->secret.p != NULL;
    st->write_protected = rb->base.read_only || !rb->online;
    pthread_mutex_unlock(&rb->mu);
    snprintf(st->label, sizeof(st->label), "%s", rb->label);
    memcpy(st->serial, rb->serial, sizeof(st->serial));
    return CKR_OK;
}

static unsigned remote_generation(void *ctx)
{
    remote_bk *rb = ctx;
    return atomic_load(&rb->generation);
}

/* ---- users ------------------------------------------------------------- */

static CK_RV remote_login_op(void *ctx, CK_USER_TYPE who, const char *pin)
{
    if (who == CKU_SO)
        return CKR_USER_TYPE_INVALID; /* a Meeco account has no SO */
    return rlink_login(ctx, pin);
}

static void remote_logout_op(void *ctx)
{
    rlink_logout(ctx);
}

/* ---- reads ------------------------------------------------------------- */

static CK_RV remote_list(void *ctx, bool with_private, p11_bk_record **out,
                         size_t *n)
{
    remote_bk *rb = ctx;
    pthread_mutex_lock(&rb->mu);
    CK_RV rv = p11_local_list(&rb->base, with_private, out, n);
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

/* ---- writes: prepare, call the server, apply --------------------------- */

static CK_RV writable(remote_bk *rb)
{
    return rb->base.read_only ? CKR_TOKEN_WRITE_PROTECTED : CKR_OK;
}

/* Server call with a session reference; one more try with a new login
 * when the session expired (401). */
typedef remote_status (*net_fn)(const remote_session *s, void *arg);

static CK_RV call_server(remote_bk *rb, net_fn fn, void *arg)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        rlink_session *ref = NULL;
        CK_RV rv = rlink_session_get(rb, &ref);
        if (rv != CKR_OK)
            return rv;
        remote_status st = fn(&ref->s, arg);
        rlink_session_put(rb, ref, st);
        if (st != REMOTE_ERR_AUTH) {
            if (st != REMOTE_OK)
                LOGI(LOG_AREA_PKCS11, "token %s: %s (%s)", rb->name,
                     remote_strerror(st), remote_last_error());
            return p11_rv_from_remote(st);
        }
    }
    return CKR_DEVICE_ERROR;
}

/* Encrypt a slot value under the private DEK (mu held). */
static CK_RV seal_locked(remote_bk *rb, const uint8_t *v, size_t len,
                         char **out)
{
    secbuf dek = {0};
    CK_RV rv = p11_rv_from_ks(ks_private_dek_get(rb->base.a, &dek));
    if (rv == CKR_OK &&
        cryppo_aes_encrypt(dek.p, v != NULL ? v : (const uint8_t *)"", len,
                           out) != CRYPPO_OK)
        rv = CKR_FUNCTION_FAILED;
    secbuf_free(&dek);
    return rv;
}

/* The stored slot as a record (mu held). */
static CK_RV slot_out_locked(remote_bk *rb, const char *slot_id,
                             p11_bk_record *out)
{
    store *db = ks_account_store(rb->base.a);
    store_slot sl = {0};
    store_item it = {0};
    CK_RV rv = p11_rv_from_store(store_slot_get(db, slot_id, &sl));
    if (rv == CKR_OK)
        rv = p11_rv_from_store(store_item_get(db, sl.item_id, &it));
    if (rv == CKR_OK)
        rv = p11_local_slot_record(&rb->base, &sl, &it, true, out);
    store_item_clear(&it);
    store_slot_clear(&sl);
    return rv;
}

typedef struct slot_call {
    const p11_bk_slot_spec *spec;
    const char *item_id; /* NULL: a new item */
    const char *slot_id; /* updates */
    remote_slot_in in;
    cJSON *answer;
    char *new_slot_id;
} slot_call;

static remote_status net_slot_create(const remote_session *s, void *arg)
{
    slot_call *c = arg;
    cJSON_Delete(c->answer);
    free(c->new_slot_id);
    c->answer = NULL;
    c->new_slot_id = NULL;
    if (c->item_id != NULL) {
        remote_status st = remote_slot_add(s, c->item_id, &c->in, &c->answer,
                                           &c->new_slot_id);
        if (st != REMOTE_ERR_NOT_FOUND)
            return st;
        /* the item was deleted elsewhere since the last sync: a new one */
    }
    return remote_item_create(s, c->spec->item_name, NULL,
                              c->spec->template_name, &c->in, &c->answer,
                              &c->new_slot_id);
}

static CK_RV apply_answer(remote_bk *rb, slot_call *c, const char *slot_id,
                          p11_bk_record *out)
{
    pthread_mutex_lock(&rb->mu);
    rb->write_seq++;
    remote_status st =
        remote_apply_items(ks_account_store(rb->base.a), c->answer);
    CK_RV rv = p11_rv_from_remote(st);
    if (rv == CKR_OK && out != NULL)
        rv = slot_out_locked(rb, slot_id, out);
    pthread_mutex_unlock(&rb->mu);
    if (st != REMOTE_OK)
        LOGW(LOG_AREA_PKCS11, "token %s: answer not applied (%s)", rb->name,
             remote_last_error());
    return rv;
}

/* The Vault merges a slot into one of the same name (it would overwrite
 * it): refuse, as a local token's unique (item, name) does (mu held). */
static CK_RV slot_name_free_locked(remote_bk *rb, const char *item_id,
                                   const char *name)
{
    store_slot_filter f = {.item_id = item_id, .name = name};
    store_slot *found = NULL;
    size_t n = 0;
    CK_RV rv = p11_rv_from_store(
        store_slot_list(ks_account_store(rb->base.a), &f, &found, &n));
    store_slot_list_free(found, n);
    if (rv == CKR_OK && n > 0)
        rv = CKR_TEMPLATE_INCONSISTENT;
    return rv;
}

static CK_RV remote_slot_create(void *ctx, const p11_bk_slot_spec *spec,
                                p11_bk_record *out)
{
    remote_bk *rb = ctx;
    slot_call c = {.spec = spec};
    char *enc = NULL, *item_id = NULL;
    store_item it = {0};
    CK_RV rv = writable(rb);
    if (rv == CKR_OK)
        rv = p11_local_exact_name(spec->item_name);
    if (rv == CKR_OK)
        rv = p11_local_exact_name(spec->name);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = seal_locked(rb, spec->value, spec->len, &enc);
    if (rv == CKR_OK && store_item_get_by_name(ks_account_store(rb->base.a),
                                               spec->item_name,
                                               &it) == STORE_OK) {
        item_id = strdup(it.id);
        rv = item_id != NULL ? slot_name_free_locked(rb, item_id, spec->name)
                             : CKR_HOST_MEMORY;
    }
    store_item_clear(&it);
    pthread_mutex_unlock(&rb->mu);
    c.item_id = item_id;
    c.in = (remote_slot_in){spec->name, spec->label, spec->slot_type, enc};
    if (rv == CKR_OK)
        rv = call_server(rb, net_slot_create, &c);
    if (rv == CKR_OK && c.new_slot_id == NULL)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = apply_answer(rb, &c, c.new_slot_id, out);
    cJSON_Delete(c.answer);
    free(c.new_slot_id);
    free(item_id);
    free(enc);
    return rv;
}

static remote_status net_slot_update(const remote_session *s, void *arg)
{
    slot_call *c = arg;
    cJSON_Delete(c->answer);
    c->answer = NULL;
    return remote_slot_update(s, c->item_id, c->slot_id, &c->in, &c->answer);
}

/* Change one slot: new value (v != NULL or len 0 with value) or label. */
static CK_RV slot_change(remote_bk *rb, const char *id, bool value,
                         const uint8_t *v, size_t len, const char *label)
{
    store_slot sl = {0};
    char *enc = NULL;
    slot_call c = {.slot_id = id};
    CK_RV rv = writable(rb);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = p11_rv_from_store(
        store_slot_get(ks_account_store(rb->base.a), id, &sl));
    if (rv == CKR_OK && value)
        rv = seal_locked(rb, v, len, &enc);
    pthread_mutex_unlock(&rb->mu);
    if (rv == CKR_OK) {
        c.item_id = sl.item_id;
        c.in = (remote_slot_in){sl.name, label, NULL, enc};
        rv = call_server(rb, net_slot_update, &c);
    }
    if (rv == CKR_OK)
        rv = apply_answer(rb, &c, id, NULL);
    cJSON_Delete(c.answer);
    store_slot_clear(&sl);
    free(enc);
    return rv;
}

static CK_RV remote_slot_set_value(void *ctx, const char *id, const uint8_t *v,
                                   size_t len)
{
    return slot_change(ctx, id, true, v, len, NULL);
}

static CK_RV remote_slot_set_label(void *ctx, const char *id,
                                   const char *label)
{
    return slot_change(ctx, id, false, NULL, 0, label);
}

typedef struct key_call {
    const char *wrapped;
    const char *public_pem;
    const char *metadata;
    char *id;
} key_call;

static remote_status net_dek_create(const remote_session *s, void *arg)
{
    key_call *c = arg;
    free(c->id);
    c->id = NULL;
    return remote_dek_create(s, c->wrapped, &c->id);
}

static remote_status net_keypair_create(const remote_session *s, void *arg)
{
    key_call *c = arg;
    free(c->id);
    c->id = NULL;
    return remote_keypair_create(s, c->public_pem, c->wrapped, NULL,
                                 c->metadata, &c->id);
}

static char *private_dek_id_locked(remote_bk *rb)
{
    store_account acc = {0};
    char *id = NULL;
    if (ks_account_info(rb->base.a, &acc) == KS_OK && acc.private_dek_id)
        id = strdup(acc.private_dek_id);
    store_account_clear(&acc);
    return id;
}

static CK_RV remote_dek_create_op(void *ctx, const uint8_t *key, size_t len,
                                  const char *label, p11_bk_record *out)
{
    remote_bk *rb = ctx;
    uint8_t fresh[KS_KEY_LEN];
    key_call c = {0};
    char *wrapped = NULL;
    CK_RV rv = writable(rb);
    if (rv == CKR_OK && key != NULL && len != KS_KEY_LEN)
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (rv == CKR_OK && key == NULL) {
        rv = cryppo_random(fresh, sizeof(fresh)) == CRYPPO_OK
                 ? CKR_OK
                 : CKR_FUNCTION_FAILED;
        key = fresh;
    }
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = p11_local_kek_wrap(&rb->base, key, KS_KEY_LEN, &wrapped);
    pthread_mutex_unlock(&rb->mu);
    secure_wipe(fresh, sizeof(fresh));
    c.wrapped = wrapped;
    if (rv == CKR_OK)
        rv = call_server(rb, net_dek_create, &c);
    if (rv == CKR_OK) {
        store_dek d = {.id = c.id,
                       .serialized_data_encryption_key = wrapped,
                       .label = label};
        pthread_mutex_lock(&rb->mu);
        rb->write_seq++;
        char *priv = private_dek_id_locked(rb);
        rv = p11_rv_from_store(
            store_dek_put(ks_account_store(rb->base.a), &d));
        if (rv == CKR_OK)
            rv = p11_local_dek_record(&rb->base, &d, priv, true, out);
        pthread_mutex_unlock(&rb->mu);
        free(priv);
    }
    free(c.id);
    free(wrapped);
    return rv;
}

static CK_RV remote_keypair_create_op(void *ctx, EVP_PKEY *priv,
                                      const char *label, const uint8_t *ck_id,
                                      size_t ck_id_len, p11_bk_record *out)
{
    remote_bk *rb = ctx;
    secbuf pem = {0};
    char *wrapped = NULL, *pub = NULL;
    char *meta = ck_id != NULL ? p11_keypair_meta_with_id(NULL, ck_id,
                                                          ck_id_len)
                               : strdup("{}");
    key_call c = {.metadata = meta};
    CK_RV rv = writable(rb);
    if (rv == CKR_OK && meta == NULL)
        rv = ck_id != NULL ? CKR_ATTRIBUTE_VALUE_INVALID : CKR_HOST_MEMORY;
    if (rv == CKR_OK && EVP_PKEY_get_base_id(priv) != EVP_PKEY_RSA)
        rv = CKR_TEMPLATE_INCONSISTENT; /* the Keystore holds RSA pairs */
    if (rv == CKR_OK && (cryppo_rsa_private_to_pem(priv, &pem) != CRYPPO_OK ||
                         cryppo_rsa_public_to_pem(priv, &pub) != CRYPPO_OK))
        rv = CKR_FUNCTION_FAILED;
    if (rv == CKR_OK) {
        pthread_mutex_lock(&rb->mu);
        rv = p11_local_kek_wrap(&rb->base, pem.p, pem.len, &wrapped);
        pthread_mutex_unlock(&rb->mu);
    }
    secbuf_free(&pem);
    c.wrapped = wrapped;
    c.public_pem = pub;
    if (rv == CKR_OK)
        rv = call_server(rb, net_keypair_create, &c);
    if (rv == CKR_OK) {
        store_keypair k = {.id = c.id,
                           .public_key = pub,
                           .encrypted_serialized_key = wrapped,
                           .metadata = meta,
                           .external_identifiers = "[]",
                           .key_type = "rsa",
                           .bits = EVP_PKEY_get_bits(priv),
                           .label = label};
        pthread_mutex_lock(&rb->mu);
        rb->write_seq++;
        rv = p11_rv_from_store(
            store_keypair_put(ks_account_store(rb->base.a), &k));
        if (rv == CKR_OK)
            rv = p11_local_keypair_record(&rb->base, &k, true, out);
        pthread_mutex_unlock(&rb->mu);
    }
    free(c.id);
    free(wrapped);
    free(pub);
    free(meta);
    return rv;
}

typedef struct del_call {
    p11_bk_kind kind;
    const char *id;
} del_call;

static remote_status net_delete(const remote_session *s, void *arg)
{
    del_call *c = arg;
    remote_status st = c->kind == P11_BK_SLOT ? remote_slot_delete(s, c->id)
                       : c->kind == P11_BK_DEK ? remote_dek_delete(s, c->id)
                                               : remote_keypair_delete(s, c->id);
    return st == REMOTE_ERR_NOT_FOUND ? REMOTE_OK : st; /* already gone */
}

static CK_RV remote_destroy(void *ctx, p11_bk_kind kind, const char *id)
{
    remote_bk *rb = ctx;
    CK_RV rv = writable(rb);
    if (rv != CKR_OK)
        return rv;
    if (kind == P11_BK_OBJECT) { /* replica only */
        pthread_mutex_lock(&rb->mu);
        rv = p11_local_destroy(&rb->base, kind, id);
        pthread_mutex_unlock(&rb->mu);
        return rv;
    }
    if (kind != P11_BK_SLOT && kind != P11_BK_DEK && kind != P11_BK_KEYPAIR)
        return CKR_ACTION_PROHIBITED;
    del_call c = {kind, id};
    rv = call_server(rb, net_delete, &c);
    if (rv != CKR_OK)
        return rv;
    remote_record_kind rk = kind == P11_BK_SLOT  ? REMOTE_REC_SLOT
                            : kind == P11_BK_DEK ? REMOTE_REC_DEK
                                                 : REMOTE_REC_KEYPAIR;
    pthread_mutex_lock(&rb->mu);
    rb->write_seq++;
    rv = p11_rv_from_remote(
        remote_apply_delete(ks_account_store(rb->base.a), rk, id));
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

/* ---- replica-only changes ------------------------------------------------ */

static CK_RV remote_set_label(void *ctx, p11_bk_kind kind, const char *id,
                              const char *label)
{
    remote_bk *rb = ctx;
    CK_RV rv = writable(rb);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = p11_local_set_label(&rb->base, kind, id, label);
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

static CK_RV remote_object_create(void *ctx, const char *label,
                                  const uint8_t *blob, size_t len,
                                  const uint8_t *secret, size_t slen,
                                  p11_bk_record *out)
{
    remote_bk *rb = ctx;
    CK_RV rv = writable(rb);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = p11_local_object_create(&rb->base, label, blob, len, secret, slen,
                                 out);
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

static CK_RV remote_object_update(void *ctx, const char *id, const char *label,
                                  const uint8_t *blob, size_t len)
{
    remote_bk *rb = ctx;
    CK_RV rv = writable(rb);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    rv = p11_local_object_update(&rb->base, id, label, blob, len);
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

const p11_backend_ops p11_backend_remote = {
    .name = "remote",
    .blocking = true,
    .open = remote_open,
    .close = remote_close,
    .abandon = remote_abandon,
    .status = remote_status_op,
    .login = remote_login_op,
    .logout = remote_logout_op,
    .list = remote_list,
    .dek_create = remote_dek_create_op,
    .keypair_create = remote_keypair_create_op,
    .slot_create = remote_slot_create,
    .set_label = remote_set_label,
    .slot_set_value = remote_slot_set_value,
    .slot_set_label = remote_slot_set_label,
    .destroy = remote_destroy,
    .object_create = remote_object_create,
    .object_update = remote_object_update,
    .generation = remote_generation,
};
