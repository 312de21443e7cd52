/* cryppo/sign.c - "Sign.Rsa<bits>.<signature>.<data>": RSASSA-PKCS1-v1_5
 * with SHA-256 over data of at most 512 bytes (the Ruby reference refuses
 * longer data both when signing and when loading). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

static EVP_MD_CTX *digest_ctx(EVP_PKEY *key, int sign)
{
    OSSL_LIB_CTX *libctx = cryppo_libctx();
    EVP_MD_CTX *ctx = libctx ? EVP_MD_CTX_new() : NULL;
    int ok;

    if (!ctx)
        return NULL;
    ok = sign ? EVP_DigestSignInit_ex(ctx, NULL, "SHA256", libctx, NULL, key,
                                      NULL)
              : EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", libctx, NULL,
                                        key, NULL);
    if (ok != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx; /* RSA defaults to PKCS#1 v1.5 padding */
}

cryppo_status cryppo_sign(EVP_PKEY *priv, const uint8_t *data, size_t len,
                          char **serialized)
{
    cryppo_parsed p;
    cryppo_status st = cryppo_rsa_key_check(priv, 1);
    EVP_MD_CTX *ctx = NULL;
    size_t sig_len;

    if (st == CRYPPO_OK && (!serialized || (!data && len)))
        st = CRYPPO_ERR_ARGS;
    if (st == CRYPPO_OK && len > CRYPPO_SIGN_MAX_DATA)
        st = CRYPPO_ERR_TOO_LARGE;
    if (st != CRYPPO_OK)
        return st;
    memset(&p, 0, sizeof(p));
    p.kind = CRYPPO_KIND_SIGNATURE;
    p.rsa_bits = EVP_PKEY_get_bits(priv);
    sig_len = (size_t)EVP_PKEY_get_size(priv);
    st = CRYPPO_ERR_NOMEM;
    if (secbuf_alloc(&p.data, sig_len) != 0 ||
        secbuf_dup(&p.signed_data, data, len) != 0)
        goto out;
    st = CRYPPO_ERR_CRYPTO;
    ctx = digest_ctx(priv, 1);
    if (!ctx || EVP_DigestSign(ctx, p.data.p, &sig_len, data ? data : p.data.p,
                               len) != 1)
        goto out;
    p.data.len = sig_len;
    st = cryppo_serialize(&p, serialized);
out:
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    EVP_MD_CTX_free(ctx);
    cryppo_parsed_free(&p);
    return st;
}

cryppo_status cryppo_verify(EVP_PKEY *pub, const char *serialized,
                            secbuf *data)
{
    cryppo_parsed p;
    cryppo_parts parts;
    EVP_MD_CTX *ctx = NULL;
    cryppo_status st;
    int ok;

    if (data)
        *data = (secbuf){NULL, 0};
    if (!serialized)
        return CRYPPO_ERR_ARGS;
    st = cryppo_rsa_key_check(pub, 0);
    if (st != CRYPPO_OK)
        return st;
    st = cryppo_parts_split_str(serialized, &parts);
    if (st == CRYPPO_OK && parts.n != 4)
        st = CRYPPO_ERR_FORMAT;
    if (st == CRYPPO_OK)
        st = cryppo_parse(serialized, strlen(serialized), &p);
    if (st != CRYPPO_OK)
        return st;
    st = CRYPPO_ERR_SIGNATURE;
    if (p.rsa_bits != EVP_PKEY_get_bits(pub) ||
        p.data.len != (size_t)EVP_PKEY_get_size(pub))
        goto out;
    st = CRYPPO_ERR_CRYPTO;
    ctx = digest_ctx(pub, 0);
    if (!ctx)
        goto out;
    ok = EVP_DigestVerify(ctx, p.data.p, p.data.len, p.signed_data.p,
                          p.signed_data.len);
    st = ok == 1 ? CRYPPO_OK : CRYPPO_ERR_SIGNATURE;
    if (st == CRYPPO_OK && data) {
        *data = p.signed_data;
        p.signed_data = (secbuf){NULL, 0};
    }
out:
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    EVP_MD_CTX_free(ctx);
    cryppo_parsed_free(&p);
    return st;
}
