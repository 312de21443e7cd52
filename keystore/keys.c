/* keystore/keys.c - the KEK, data encryption keys and keypairs. */
#include "keystore.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "internal.h"
#include "log.h"

/* ---- KEK wrapping --------------------------------------------------- */

ks_status ks_kek_wrap(ks_account *a, const uint8_t *data, size_t len,
                      char **serialized)
{
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    return ks_from_cryppo(cryppo_aes_encrypt(a->kek.p, data, len, serialized));
}

ks_status ks_kek_unwrap(ks_account *a, const char *serialized, secbuf *out)
{
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    if (!serialized)
        return KS_ERR_CORRUPT;
    return ks_from_cryppo_unwrap(cryppo_aes_decrypt(a->kek.p, serialized, out),
                                 KS_ERR_CORRUPT);
}

ks_status ks_kek_get(ks_account *a, secbuf *kek)
{
    if (!kek)
        return KS_ERR_ARGS;
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    return secbuf_dup(kek, a->kek.p, a->kek.len) == 0 ? KS_OK : KS_ERR_NOMEM;
}

ks_status ks_kek_id(ks_account *a, char **id)
{
    if (!a || !id)
        return KS_ERR_ARGS;
    store_kek rec;
    store_status sst = store_kek_get(a->st, &rec);
    if (sst != STORE_OK)
        return ks_status_from_store(sst);
    *id = (char *)rec.id; /* ownership moves */
    rec.id = NULL;
    store_kek_clear(&rec);
    return KS_OK;
}

/* ---- DEKs ----------------------------------------------------------- */

ks_status ks_dek_import(ks_account *a, const uint8_t key[KS_KEY_LEN],
                        const char *label, store_dek *out)
{
    if (!a || !key)
        return KS_ERR_ARGS;
    char *wrapped = NULL;
    char id[STORE_UUID_LEN + 1];
    ks_status st = ks_kek_wrap(a, key, KS_KEY_LEN, &wrapped);
    if (st != KS_OK)
        return st;
    store_dek rec = {.serialized_data_encryption_key = wrapped,
                     .label = (char *)label};
    st = ks_status_from_store(store_dek_insert(a->st, &rec, id));
    free(wrapped);
    if (st == KS_OK && out)
        st = ks_status_from_store(store_dek_get(a->st, id, out));
    return st;
}

ks_status ks_dek_create(ks_account *a, const char *label, store_dek *out)
{
    uint8_t key[KS_KEY_LEN];
    ks_status st = ks_require_kek(a);
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_random(key, sizeof(key)));
    if (st == KS_OK)
        st = ks_dek_import(a, key, label, out);
    secure_wipe(key, sizeof(key));
    return st;
}

ks_status ks_dek_unwrap(ks_account *a, const char *id, secbuf *key)
{
    if (!a || !id || !key)
        return KS_ERR_ARGS;
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    store_dek rec;
    st = ks_status_from_store(store_dek_get(a->st, id, &rec));
    if (st != KS_OK)
        return st;
    st = ks_kek_unwrap(a, rec.serialized_data_encryption_key, key);
    store_dek_clear(&rec);
    if (st == KS_OK && key->len != KS_KEY_LEN) {
        secbuf_free(key);
        st = KS_ERR_CORRUPT;
    }
    return st;
}

static ks_status private_dek_id(ks_account *a, char **id)
{
    store_account acc;
    ks_status st = ks_account_info(a, &acc);
    if (st != KS_OK)
        return st;
    *id = (char *)acc.private_dek_id; /* ownership moves */
    acc.private_dek_id = NULL;
    store_account_clear(&acc);
    return *id ? KS_OK : KS_ERR_NOT_FOUND;
}

ks_status ks_private_dek_get(ks_account *a, secbuf *key)
{
    if (!a || !key)
        return KS_ERR_ARGS;
    char *id = NULL;
    ks_status st = ks_require_kek(a);
    if (st == KS_OK && a->private_dek.len == KS_KEY_LEN)
        return secbuf_dup(key, a->private_dek.p, KS_KEY_LEN) == 0
                   ? KS_OK
                   : KS_ERR_NOMEM;
    if (st == KS_OK)
        st = private_dek_id(a, &id);
    if (st == KS_OK)
        st = ks_dek_unwrap(a, id, key);
    free(id);
    /* Keep a copy until logout: every slot value needs it. */
    if (st == KS_OK && secbuf_dup(&a->private_dek, key->p, key->len) != 0)
        a->private_dek = (secbuf){0};
    return st;
}

ks_status ks_dek_list(ks_account *a, store_dek **out, size_t *n)
{
    if (!a || !out || !n)
        return KS_ERR_ARGS;
    return ks_status_from_store(store_dek_list(a->st, out, n));
}

ks_status ks_dek_delete(ks_account *a, const char *id)
{
    if (!a || !id)
        return KS_ERR_ARGS;
    char *priv = NULL;
    ks_status st = private_dek_id(a, &priv);
    if (st == KS_OK && strcmp(priv, id) == 0)
        st = KS_ERR_ARGS;
    else if (st == KS_OK || st == KS_ERR_NOT_FOUND)
        st = ks_status_from_store(store_dek_delete(a->st, id));
    free(priv);
    return st;
}

/* ---- keypairs ------------------------------------------------------- */

ks_status ks_keypair_import(ks_account *a, EVP_PKEY *priv, const char *label,
                            const char *external_ids, store_keypair *out)
{
    if (!a || !priv)
        return KS_ERR_ARGS;
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    if (EVP_PKEY_get_base_id(priv) != EVP_PKEY_RSA)
        return KS_ERR_UNSUPPORTED;
    secbuf pem = {0};
    char *wrapped = NULL, *pub = NULL;
    char id[STORE_UUID_LEN + 1];
    st = ks_from_cryppo(cryppo_rsa_private_to_pem(priv, &pem));
    if (st == KS_OK)
        st = ks_kek_wrap(a, pem.p, pem.len, &wrapped);
    if (st == KS_OK)
        st = ks_from_cryppo(cryppo_rsa_public_to_pem(priv, &pub));
    store_keypair rec = {.public_key = pub,
                         .encrypted_serialized_key = wrapped,
                         .metadata = NULL, /* store default "{}" */
                         .external_identifiers = (char *)external_ids,
                         .key_type = NULL, /* store default "rsa" */
                         .bits = EVP_PKEY_get_bits(priv),
                         .label = (char *)label};
    if (st == KS_OK)
        st = ks_status_from_store(store_keypair_insert(a->st, &rec, id));
    if (st == KS_OK && out)
        st = ks_status_from_store(store_keypair_get(a->st, id, out));
    secbuf_free(&pem);
    free(wrapped);
    free(pub);
    return st;
}

ks_status ks_keypair_create(ks_account *a, int bits, const char *label,
                            const char *external_ids, store_keypair *out)
{
    if (!a)
        return KS_ERR_ARGS;
    if (bits < 2048 || bits > 8192)
        return KS_ERR_UNSUPPORTED;
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    EVP_PKEY *pkey = NULL;
    st = ks_from_cryppo(cryppo_rsa_generate(bits, &pkey));
    if (st == KS_OK)
        st = ks_keypair_import(a, pkey, label, external_ids, out);
    EVP_PKEY_free(pkey);
    return st;
}

ks_status ks_keypair_list(ks_account *a, store_keypair **out, size_t *n)
{
    if (!a || !out || !n)
        return KS_ERR_ARGS;
    return ks_status_from_store(store_keypair_list(a->st, out, n));
}

ks_status ks_keypair_get(ks_account *a, const char *id, store_keypair *out)
{
    if (!a || !id || !out)
        return KS_ERR_ARGS;
    return ks_status_from_store(store_keypair_get(a->st, id, out));
}

ks_status ks_keypair_get_by_external_id(ks_account *a, const char *ext_id,
                                        store_keypair *out)
{
    if (!a || !ext_id || !out)
        return KS_ERR_ARGS;
    return ks_status_from_store(
        store_keypair_get_by_external_id(a->st, ext_id, out));
}

ks_status ks_keypair_private_pem(ks_account *a, const char *id, secbuf *pem)
{
    if (!a || !id || !pem)
        return KS_ERR_ARGS;
    ks_status st = ks_require_kek(a);
    if (st != KS_OK)
        return st;
    store_keypair rec;
    st = ks_status_from_store(store_keypair_get(a->st, id, &rec));
    if (st != KS_OK)
        return st;
    st = ks_kek_unwrap(a, rec.encrypted_serialized_key, pem);
    store_keypair_clear(&rec);
    return st;
}

ks_status ks_keypair_private_key(ks_account *a, const char *id, EVP_PKEY **out)
{
    if (!out)
        return KS_ERR_ARGS;
    secbuf pem = {0};
    ks_status st = ks_keypair_private_pem(a, id, &pem);
    if (st == KS_OK && cryppo_rsa_private_from_pem((const char *)pem.p, pem.len,
                                                   out) != CRYPPO_OK)
        st = KS_ERR_CORRUPT;
    secbuf_free(&pem);
    return st;
}

ks_status ks_keypair_delete(ks_account *a, const char *id)
{
    if (!a || !id)
        return KS_ERR_ARGS;
    store_keypair auth;
    store_status sst =
        store_keypair_get_by_external_id(a->st, KS_AUTH_EXTERNAL_ID, &auth);
    if (sst == STORE_OK) {
        int is_auth = strcmp(auth.id, id) == 0;
        store_keypair_clear(&auth);
        if (is_auth)
            return KS_ERR_ARGS;
    } else if (sst != STORE_ERR_NOT_FOUND) {
        return ks_status_from_store(sst);
    }
    return ks_status_from_store(store_keypair_delete(a->st, id));
}
