/* keystore/create.c - creating the account skeleton (C_InitToken) and the
 * one-shot creation of `meeco-token init`.
 *
 * Everything slow (RSA-4096 generation, PBKDF2) happens before the write
 * transaction is opened, so other processes are not blocked by it.
 */
#include "keystore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "internal.h"
#include "log.h"

#define AUTH_KEY_BITS 4096
/* Record fields are char * (the records also carry owned copies). */
static char auth_label[] = "Meeco auth keypair";
static char dek_label[] = "Meeco private DEK";
static char auth_ids[] = "[\"" KS_AUTH_EXTERNAL_ID "\"]";
static char empty_object[] = "{}";
static char rsa_type[] = "rsa";

typedef struct skeleton {
    char username[STORE_UUID_LEN + 8];
    char *secret; /* "1.<username>.<key>" */
    secbuf kek;
    char *so_wrapped_kek;  /* 5-part Pbkdf2Hmac under the SO PIN */
    char *wrapped_dek;     /* Aes256Gcm(KEK, DEK) */
    char *public_pem;      /* SPKI */
    char *wrapped_private; /* Aes256Gcm(KEK, PKCS#1 PEM) */
    int bits;
} skeleton;

static void skeleton_clear(skeleton *sk)
{
    if (sk->secret)
        secure_free(sk->secret, strlen(sk->secret));
    secbuf_free(&sk->kek);
    free(sk->so_wrapped_kek);
    free(sk->wrapped_dek);
    free(sk->public_pem);
    free(sk->wrapped_private);
    memset(sk, 0, sizeof(*sk));
}

static ks_status make_username(const char *given, skeleton *sk)
{
    if (given) {
        if (!*given || strchr(given, '.') ||
            strlen(given) >= sizeof(sk->username))
            return KS_ERR_ARGS;
        strcpy(sk->username, given);
        return KS_OK;
    }
    char uuid[STORE_UUID_LEN + 1];
    if (store_uuid_v4(uuid) != STORE_OK)
        return KS_ERR_CRYPTO;
    snprintf(sk->username, sizeof(sk->username), "local-%s", uuid);
    return KS_OK;
}

static ks_status make_auth_keypair(skeleton *sk)
{
    EVP_PKEY *pkey = NULL;
    secbuf pem = {0};
    ks_status st = ks_from_cryppo(cryppo_rsa_generate(AUTH_KEY_BITS, &pkey));
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_rsa_private_to_pem(pkey, &pem));
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_aes_encrypt(sk->kek.p, pem.p, pem.len,
                                               &sk->wrapped_private));
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_rsa_public_to_pem(pkey, &sk->public_pem));
    if (st == KS_OK)
        sk->bits = EVP_PKEY_get_bits(pkey);
    secbuf_free(&pem);
    EVP_PKEY_free(pkey);
    return st;
}

static ks_status make_skeleton(const char *so_pin, const char *username,
                               skeleton *sk)
{
    uint8_t dek[KS_KEY_LEN];
    ks_status st = make_username(username, sk);
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_secret_generate(sk->username, &sk->secret));
    if (st == KS_OK && secbuf_alloc(&sk->kek, KS_KEY_LEN) != 0)
        st = KS_ERR_NOMEM;
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_random(sk->kek.p, sk->kek.len));
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_passphrase_encrypt(
            so_pin, sk->kek.p, sk->kek.len, &sk->so_wrapped_kek));
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_random(dek, sizeof(dek)));
    if (st == KS_OK)
        st = ks_from_cryppo(
            cryppo_aes_encrypt(sk->kek.p, dek, sizeof(dek), &sk->wrapped_dek));
    secure_wipe(dek, sizeof(dek));
    if (st == KS_OK)
        st = make_auth_keypair(sk);
    return st;
}

/* KS_OK when there is no account, or the SO PIN opens the existing one. */
static ks_status check_so_pin(ks_account *a, const char *so_pin)
{
    ks_state state;
    ks_status st = ks_account_state(a, &state);
    if (st != KS_OK || state == KS_STATE_EMPTY)
        return st;
    secbuf kek = {0};
    st = ks_unwrap_kek(a, KS_USER_SO, so_pin, &kek);
    secbuf_free(&kek);
    return st;
}

static ks_status write_skeleton_locked(ks_account *a, const char *label,
                                       const skeleton *sk)
{
    char dek_id[STORE_UUID_LEN + 1], kp_id[STORE_UUID_LEN + 1];
    store_status sst = store_wipe_account(a->st);
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    store_dek dek = {.serialized_data_encryption_key = sk->wrapped_dek,
                     .label = dek_label};
    sst = store_dek_insert(a->st, &dek, dek_id);
    store_keypair kp = {.public_key = sk->public_pem,
                        .encrypted_serialized_key = sk->wrapped_private,
                        .metadata = empty_object,
                        .external_identifiers = auth_ids,
                        .key_type = rsa_type,
                        .bits = sk->bits,
                        .label = auth_label};
    if (sst == STORE_OK)
        sst = store_keypair_insert(a->st, &kp, kp_id);
    store_account acc = {.username = (char *)sk->username,
                         .secret_key = sk->secret,
                         .label = (char *)label,
                         .so_wrapped_kek = sk->so_wrapped_kek,
                         .private_dek_id = dek_id};
    if (sst == STORE_OK)
        sst = store_account_put(a->st, &acc);
    return ks_status_from_store(sst);
}

ks_status ks_account_init_token(ks_account *a, const char *label,
                                const char *so_pin, const char *username)
{
    if (!a || !label || !so_pin || !*so_pin)
        return KS_ERR_ARGS;
    ks_status st = check_so_pin(a, so_pin);
    if (st != KS_OK)
        return st;
    skeleton sk = {0};
    st = make_skeleton(so_pin, username, &sk);
    if (st != KS_OK)
        goto out;
    ks_account_logout(a);
    st = ks_status_from_store(store_begin(a->st));
    if (st != KS_OK)
        goto out;
    /* Look again under the write lock: another process may have
     * initialized the token meanwhile. */
    st = check_so_pin(a, so_pin);
    if (st == KS_OK)
        st = write_skeleton_locked(a, label, &sk);
    if (st == KS_OK)
        st = ks_status_from_store(store_commit(a->st));
    else
        store_rollback(a->st);
    if (st == KS_OK && a->secret) {
        /* A Secret Key given for the old account cannot open the new one. */
        secure_free(a->secret, strlen(a->secret));
        a->secret = NULL;
    }
    if (st == KS_OK)
        LOGI(LOG_AREA_KEYSTORE, "token initialized for %s", sk.username);
out:
    skeleton_clear(&sk);
    return st;
}

ks_status ks_account_create(ks_account *a, const char *label,
                            const char *passphrase, const char *so_pin,
                            const char *username, char **secret_out)
{
    if (!a || !label || !passphrase || !*passphrase || !so_pin)
        return KS_ERR_ARGS;
    ks_status st = ks_account_init_token(a, label, so_pin, username);
    if (st == KS_OK)
        st = ks_account_login(a, KS_USER_SO, so_pin);
    if (st == KS_OK)
        st = ks_account_init_pin(a, passphrase);
    ks_account_logout(a);
    if (st != KS_OK || !secret_out)
        return st;
    store_account acc;
    st = ks_account_info(a, &acc);
    if (st != KS_OK)
        return st;
    *secret_out = (char *)acc.secret_key; /* ownership moves */
    acc.secret_key = NULL;
    store_account_clear(&acc);
    return *secret_out ? KS_OK : KS_ERR_SECRET;
}
