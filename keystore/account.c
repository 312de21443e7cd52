/* keystore/account.c - account lifetime, creation, login and PINs. */
#include "keystore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "internal.h"
#include "log.h"

#define KS_RSA_BITS 4096

/* ---- lifetime ------------------------------------------------------- */

ks_status ks_account_open(const char *db_path, ks_account **out)
{
    if (!db_path || !out)
        return KS_ERR_ARGS;
    *out = NULL;
    ks_account *a = calloc(1, sizeof(*a));
    if (!a)
        return KS_ERR_NOMEM;
    store_status st = store_open(db_path, &a->st);
    if (st != STORE_OK) {
        LOGE(LOG_AREA_KEYSTORE, "open %s: %s", db_path, store_strerror(st));
        free(a);
        return st == STORE_ERR_NOMEM ? KS_ERR_NOMEM : KS_ERR_STORE;
    }
    *out = a;
    return KS_OK;
}

void ks_account_close(ks_account *a)
{
    if (!a)
        return;
    ks_account_logout(a);
    if (a->secret)
        secure_free(a->secret, strlen(a->secret));
    store_close(a->st);
    free(a);
}

store *ks_account_store(ks_account *a)
{
    return a ? a->st : NULL;
}

ks_user ks_account_user(const ks_account *a)
{
    return a ? a->user : KS_USER_NONE;
}

ks_status ks_account_info(ks_account *a, store_account *out)
{
    if (!a || !out)
        return KS_ERR_ARGS;
    store_status st = store_account_get(a->st, out);
    if (st == STORE_ERR_NOT_FOUND)
        return KS_ERR_NOT_INITIALIZED;
    return ks_status_from_store(st);
}

ks_status ks_account_state(ks_account *a, ks_state *state)
{
    if (!a || !state)
        return KS_ERR_ARGS;
    store_account acc;
    store_kek kek;
    store_status st = store_account_get(a->st, &acc);
    if (st == STORE_ERR_NOT_FOUND) {
        *state = KS_STATE_EMPTY;
        return KS_OK;
    }
    if (st != STORE_OK)
        return ks_status_from_store(st);
    store_account_clear(&acc);
    st = store_kek_get(a->st, &kek);
    if (st == STORE_ERR_NOT_FOUND) {
        *state = KS_STATE_NO_USER_PIN;
        return KS_OK;
    }
    if (st != STORE_OK)
        return ks_status_from_store(st);
    store_kek_clear(&kek);
    *state = KS_STATE_READY;
    return KS_OK;
}

ks_status ks_account_set_secret(ks_account *a, const char *secret)
{
    if (!a || !secret)
        return KS_ERR_ARGS;
    cryppo_secret parsed;
    if (cryppo_secret_parse(secret, &parsed) != CRYPPO_OK)
        return KS_ERR_SECRET;
    cryppo_secret_free(&parsed);
    char *copy = strdup(secret);
    if (!copy)
        return KS_ERR_NOMEM;
    if (a->secret)
        secure_free(a->secret, strlen(a->secret));
    a->secret = copy;
    return KS_OK;
}

/* ---- login helpers -------------------------------------------------- */

void ks_account_logout(ks_account *a)
{
    if (!a)
        return;
    secbuf_free(&a->kek);
    secbuf_free(&a->private_dek);
    a->user = KS_USER_NONE;
}

ks_status ks_require_kek(const ks_account *a)
{
    if (!a)
        return KS_ERR_ARGS;
    return a->kek.len == KS_KEY_LEN ? KS_OK : KS_ERR_NOT_LOGGED_IN;
}

/* PDK = PBKDF2(passphrase, secret key text, 100000) as the SDK does. */
static ks_status derive_pdk(ks_account *a, const char *pin,
                            uint8_t pdk[KS_KEY_LEN])
{
    /* The Secret Key stored with the account wins: a copy in the config
     * goes stale when the token is re-initialized. */
    store_account acc = {0};
    store_status sst = store_account_get(a->st, &acc);
    if (sst == STORE_ERR_NOT_FOUND)
        return KS_ERR_NOT_INITIALIZED;
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    const char *secret = acc.secret_key ? acc.secret_key : a->secret;
    if (acc.secret_key && a->secret && strcmp(acc.secret_key, a->secret) != 0)
        LOGW(LOG_AREA_KEYSTORE,
             "configured Secret Key differs from the stored one;"
             " using the stored one");
    ks_status st = KS_ERR_SECRET;
    cryppo_secret parsed;
    if (secret && cryppo_secret_parse(secret, &parsed) == CRYPPO_OK) {
        st = ks_from_cryppo(cryppo_secret_derive_pdk(&parsed, pin, pdk));
        cryppo_secret_free(&parsed);
    }
    store_account_clear(&acc);
    return st;
}

/* Unwrap a KEK into *kek: from the key_encryption_key record (user) or
 * from the recovery copy (SO).  Wrong PIN -> KS_ERR_PIN_INCORRECT. */
static ks_status unwrap_user_kek(ks_account *a, const char *pin, secbuf *kek)
{
    store_kek rec;
    store_status sst = store_kek_get(a->st, &rec);
    if (sst == STORE_ERR_NOT_FOUND) {
        ks_state state;
        if (ks_account_state(a, &state) == KS_OK && state == KS_STATE_EMPTY)
            return KS_ERR_NOT_INITIALIZED;
        return KS_ERR_PIN_NOT_INITIALIZED;
    }
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    uint8_t pdk[KS_KEY_LEN];
    ks_status st = derive_pdk(a, pin, pdk);
    if (st == KS_OK)
        st = ks_from_cryppo_unwrap(
            cryppo_aes_decrypt(pdk, rec.serialized_key_encryption_key, kek),
            KS_ERR_PIN_INCORRECT);
    secure_wipe(pdk, sizeof(pdk));
    store_kek_clear(&rec);
    return st;
}

static ks_status unwrap_so_kek(ks_account *a, const char *so_pin, secbuf *kek)
{
    store_account acc;
    store_status sst = store_account_get(a->st, &acc);
    if (sst == STORE_ERR_NOT_FOUND)
        return KS_ERR_NOT_INITIALIZED;
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    ks_status st = KS_ERR_CORRUPT;
    if (acc.so_wrapped_kek)
        st = ks_from_cryppo_unwrap(
            cryppo_passphrase_decrypt(so_pin, acc.so_wrapped_kek, kek),
            KS_ERR_PIN_INCORRECT);
    store_account_clear(&acc);
    return st;
}

ks_status ks_unwrap_kek(ks_account *a, ks_user who, const char *pin,
                        secbuf *kek)
{
    ks_status st = who == KS_USER_SO ? unwrap_so_kek(a, pin, kek)
                                     : unwrap_user_kek(a, pin, kek);
    if (st == KS_OK && kek->len != KS_KEY_LEN) {
        secbuf_free(kek);
        st = KS_ERR_CORRUPT;
    }
    return st;
}

ks_status ks_account_login(ks_account *a, ks_user who, const char *pin)
{
    if (!a || !pin || !*pin || (who != KS_USER_USER && who != KS_USER_SO))
        return KS_ERR_ARGS;
    secbuf kek = {0};
    ks_status st = ks_unwrap_kek(a, who, pin, &kek);
    if (st != KS_OK) {
        LOGI(LOG_AREA_KEYSTORE, "login failed: %s", ks_strerror(st));
        return st;
    }
    ks_account_logout(a);
    a->kek = kek;
    a->user = who;
    return KS_OK;
}

ks_status ks_account_adopt_kek(ks_account *a, const uint8_t *kek, size_t len)
{
    if (!a || !kek || len != KS_KEY_LEN)
        return KS_ERR_ARGS;
    secbuf copy = {0};
    if (secbuf_dup(&copy, kek, len) != 0)
        return KS_ERR_NOMEM;
    ks_account_logout(a);
    a->kek = copy;
    a->user = KS_USER_USER;
    return KS_OK;
}

/* ---- wrapping the KEK ----------------------------------------------- */

/* Store Aes256Gcm(PDK(secret, pin), KEK) as the key_encryption_key
 * record, keeping the record id (it is the KEK object's CKA_ID). */
static ks_status wrap_kek_for_user(ks_account *a, const char *pin)
{
    uint8_t pdk[KS_KEY_LEN];
    char *wrapped = NULL;
    store_kek old = {0};
    ks_status st = derive_pdk(a, pin, pdk);
    if (st == KS_OK)
        st = ks_from_cryppo(
            cryppo_aes_encrypt(pdk, a->kek.p, a->kek.len, &wrapped));
    secure_wipe(pdk, sizeof(pdk));
    if (st != KS_OK)
        return st;
    store_status sst = store_kek_get(a->st, &old);
    if (sst == STORE_OK || sst == STORE_ERR_NOT_FOUND) {
        store_kek rec = {.id = old.id,
                         .serialized_key_encryption_key = wrapped,
                         .created_at = old.created_at};
        sst = store_kek_put(a->st, &rec);
    }
    store_kek_clear(&old);
    free(wrapped);
    return ks_status_from_store(sst);
}

static ks_status wrap_kek_for_so(ks_account *a, const char *so_pin)
{
    store_account acc;
    char *wrapped = NULL;
    ks_status st = ks_from_cryppo(
        cryppo_passphrase_encrypt(so_pin, a->kek.p, a->kek.len, &wrapped));
    if (st != KS_OK)
        return st;
    store_status sst = store_account_get(a->st, &acc);
    if (sst == STORE_OK) {
        free((void *)acc.so_wrapped_kek);
        acc.so_wrapped_kek = wrapped;
        wrapped = NULL;
        sst = store_account_put(a->st, &acc);
        store_account_clear(&acc);
    }
    free(wrapped);
    return ks_status_from_store(sst);
}

ks_status ks_account_init_pin(ks_account *a, const char *user_pin)
{
    if (!a || !user_pin || !*user_pin)
        return KS_ERR_ARGS;
    if (a->user != KS_USER_SO)
        return a->user == KS_USER_NONE ? KS_ERR_NOT_LOGGED_IN
                                       : KS_ERR_WRONG_USER;
    ks_status st = ks_require_kek(a);
    return st == KS_OK ? wrap_kek_for_user(a, user_pin) : st;
}

ks_status ks_account_set_pin(ks_account *a, const char *old_pin,
                             const char *new_pin)
{
    if (!a || !old_pin || !new_pin || !*new_pin)
        return KS_ERR_ARGS;
    if (a->user == KS_USER_NONE)
        return KS_ERR_NOT_LOGGED_IN;
    secbuf check = {0};
    ks_status st = ks_unwrap_kek(a, a->user, old_pin, &check);
    if (st == KS_OK && (check.len != a->kek.len ||
                        CRYPTO_memcmp(check.p, a->kek.p, check.len) != 0))
        st = KS_ERR_CORRUPT; /* another process re-initialized the token */
    secbuf_free(&check);
    if (st != KS_OK)
        return st;
    return a->user == KS_USER_SO ? wrap_kek_for_so(a, new_pin)
                                 : wrap_kek_for_user(a, new_pin);
}
