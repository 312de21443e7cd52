/* cryppo/rsa.c - RSA keys (generation, PEM in and out) and
 * "Rsa<bits>.<OAEP ciphertext>.QQUAAAAA" (OAEP SHA-1, MGF1-SHA-1, no label).
 *
 * PEM out matches node-forge (what Meeco's JS clients write and require):
 * PKCS#1 "RSA PRIVATE KEY" and SPKI "PUBLIC KEY", CRLF line endings.
 * PEM in: PKCS#1, unencrypted PKCS#8, SPKI, PKCS#1 "RSA PUBLIC KEY".
 * Keys are generated and decoded in the private library context.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/rsa.h>

#define OAEP_OVERHEAD (2 * 20 + 2) /* 2 * SHA-1 length + 2 */

cryppo_status cryppo_rsa_key_check(EVP_PKEY *key, int need_private)
{
    BIGNUM *d = NULL;
    int has_private;

    if (!key)
        return CRYPPO_ERR_ARGS;
    if (!EVP_PKEY_is_a(key, "RSA"))
        return CRYPPO_ERR_KEY_TYPE;
    if (!need_private)
        return CRYPPO_OK;
    has_private = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) == 1;
    BN_clear_free(d);
    cryppo_ossl_clear();
    return has_private ? CRYPPO_OK : CRYPPO_ERR_KEY_TYPE;
}

cryppo_status cryppo_rsa_generate(int bits, EVP_PKEY **out)
{
    OSSL_LIB_CTX *libctx = cryppo_libctx();
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;

    if (!out || bits < 2048 || bits > 8192)
        return CRYPPO_ERR_ARGS;
    if (!libctx)
        return CRYPPO_ERR_CRYPTO;
    ctx = EVP_PKEY_CTX_new_from_name(libctx, "RSA", NULL);
    if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0 ||
        EVP_PKEY_generate(ctx, &key) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        cryppo_ossl_clear();
        return CRYPPO_ERR_CRYPTO;
    }
    EVP_PKEY_CTX_free(ctx);
    *out = key; /* e = 65537 is OpenSSL's default */
    return CRYPPO_OK;
}

/* ---- PEM out ---------------------------------------------------------- */

/* Copy with every bare LF turned into CRLF (forge's line endings). */
static cryppo_status crlf_copy(const uint8_t *in, size_t len, secbuf *out)
{
    size_t bare = 0, w = 0;

    for (size_t k = 0; k < len; k++)
        bare += in[k] == '\n' && (k == 0 || in[k - 1] != '\r');
    if (secbuf_alloc(out, len + bare) != 0)
        return CRYPPO_ERR_NOMEM;
    for (size_t k = 0; k < len; k++) {
        if (in[k] == '\n' && (k == 0 || in[k - 1] != '\r'))
            out->p[w++] = '\r';
        out->p[w++] = in[k];
    }
    return CRYPPO_OK;
}

static cryppo_status pem_encode(EVP_PKEY *key, int selection,
                                const char *structure, secbuf *pem)
{
    OSSL_ENCODER_CTX *ctx;
    unsigned char *data = NULL;
    size_t len = 0;
    cryppo_status st = CRYPPO_ERR_CRYPTO;

    ctx = OSSL_ENCODER_CTX_new_for_pkey(key, selection, "PEM", structure,
                                        NULL);
    if (ctx && OSSL_ENCODER_CTX_get_num_encoders(ctx) > 0 &&
        OSSL_ENCODER_to_data(ctx, &data, &len) == 1)
        st = crlf_copy(data, len, pem);
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    OPENSSL_clear_free(data, len);
    OSSL_ENCODER_CTX_free(ctx);
    return st;
}

cryppo_status cryppo_rsa_private_to_pem(EVP_PKEY *key, secbuf *pem)
{
    cryppo_status st = pem ? cryppo_rsa_key_check(key, 1) : CRYPPO_ERR_ARGS;

    if (st != CRYPPO_OK)
        return st;
    return pem_encode(key, OSSL_KEYMGMT_SELECT_KEYPAIR, "type-specific", pem);
}

cryppo_status cryppo_rsa_public_to_pem(EVP_PKEY *key, char **pem)
{
    cryppo_status st = pem ? cryppo_rsa_key_check(key, 0) : CRYPPO_ERR_ARGS;
    secbuf b = {NULL, 0};

    if (st != CRYPPO_OK)
        return st;
    st = pem_encode(key, OSSL_KEYMGMT_SELECT_PUBLIC_KEY,
                    "SubjectPublicKeyInfo", &b);
    if (st != CRYPPO_OK)
        return st;
    *pem = strdup((const char *)b.p);
    secbuf_free(&b);
    return *pem ? CRYPPO_OK : CRYPPO_ERR_NOMEM;
}

/* ---- PEM in ----------------------------------------------------------- */

static cryppo_status pem_decode(const char *pem, size_t len, EVP_PKEY **out)
{
    OSSL_LIB_CTX *libctx = cryppo_libctx();
    const unsigned char *data = (const unsigned char *)pem;
    OSSL_DECODER_CTX *ctx;
    EVP_PKEY *key = NULL;
    int ok;

    if (!libctx)
        return CRYPPO_ERR_CRYPTO;
    ctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, "RSA", 0, libctx,
                                        NULL);
    if (!ctx) {
        cryppo_ossl_clear();
        return CRYPPO_ERR_CRYPTO;
    }
    ok = OSSL_DECODER_from_data(ctx, &data, &len) == 1 && key;
    OSSL_DECODER_CTX_free(ctx);
    cryppo_ossl_clear();
    if (!ok) {
        EVP_PKEY_free(key);
        return CRYPPO_ERR_KEY;
    }
    *out = key;
    return CRYPPO_OK;
}

static cryppo_status from_pem(const char *pem, size_t len, int need_private,
                              EVP_PKEY **out)
{
    EVP_PKEY *key = NULL;
    cryppo_status st;

    if (!pem || !out)
        return CRYPPO_ERR_ARGS;
    if (!len)
        return CRYPPO_ERR_KEY;
    st = pem_decode(pem, len, &key);
    if (st != CRYPPO_OK)
        return st;
    st = cryppo_rsa_key_check(key, need_private);
    if (st != CRYPPO_OK) {
        EVP_PKEY_free(key);
        return st;
    }
    *out = key;
    return CRYPPO_OK;
}

cryppo_status cryppo_rsa_private_from_pem(const char *pem, size_t len,
                                          EVP_PKEY **out)
{
    return from_pem(pem, len, 1, out);
}

cryppo_status cryppo_rsa_public_from_pem(const char *pem, size_t len,
                                         EVP_PKEY **out)
{
    return from_pem(pem, len, 0, out);
}

/* ---- OAEP --------------------------------------------------------------- */

static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *key, int encrypt)
{
    OSSL_LIB_CTX *libctx = cryppo_libctx();
    EVP_PKEY_CTX *ctx = libctx ? EVP_PKEY_CTX_new_from_pkey(libctx, key, NULL)
                               : NULL;

    if (!ctx)
        return NULL;
    if ((encrypt ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx)) <=
            0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, "SHA1", NULL) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, "SHA1", NULL) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

cryppo_status cryppo_rsa_encrypt(EVP_PKEY *pub, const uint8_t *pt,
                                 size_t pt_len, char **serialized)
{
    cryppo_status st = cryppo_rsa_key_check(pub, 0);
    size_t k, ct_len, total, pos;
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t *ct = NULL;
    char *s = NULL;

    if (st == CRYPPO_OK && (!serialized || (!pt && pt_len)))
        st = CRYPPO_ERR_ARGS;
    if (st != CRYPPO_OK)
        return st;
    k = (size_t)EVP_PKEY_get_size(pub);
    if (k < OAEP_OVERHEAD || pt_len > k - OAEP_OVERHEAD)
        return CRYPPO_ERR_TOO_LARGE;
    st = CRYPPO_ERR_NOMEM;
    ct = malloc(k);
    total = 3 + 5 + 1 + cryppo_b64url_encoded_len(k) + 1 +
            strlen(CRYPPO_RSA_ARTEFACTS);
    s = malloc(total + 1);
    if (!ct || !s)
        goto out;
    st = CRYPPO_ERR_CRYPTO;
    ct_len = k;
    ctx = oaep_ctx(pub, 1);
    if (!ctx || EVP_PKEY_encrypt(ctx, ct, &ct_len, pt ? pt : ct, pt_len) <= 0)
        goto out;
    pos = (size_t)snprintf(s, total + 1, "Rsa%d.", EVP_PKEY_get_bits(pub));
    cryppo_b64_encode_raw(ct, ct_len, s + pos);
    pos += cryppo_b64url_encoded_len(ct_len);
    snprintf(s + pos, total + 1 - pos, ".%s", CRYPPO_RSA_ARTEFACTS);
    *serialized = s;
    s = NULL;
    st = CRYPPO_OK;
out:
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    EVP_PKEY_CTX_free(ctx);
    free(ct);
    free(s);
    return st;
}

/* Strategy, artefacts and ciphertext of an "Rsa<bits>" string. */
static cryppo_status rsa_parts_read(const char *serialized, int *bits,
                                    secbuf *ct)
{
    uint8_t buf[CRYPPO_ARTEFACTS_MAX];
    cryppo_artefacts a;
    cryppo_parts parts;
    cryppo_status st;

    st = cryppo_parts_split_str(serialized, &parts);
    if (st == CRYPPO_OK && parts.n != 3)
        st = CRYPPO_ERR_FORMAT;
    if (st == CRYPPO_OK)
        st = cryppo_rsa_name_parse(parts.p[0], parts.len[0], bits);
    if (st == CRYPPO_OK)
        st = cryppo_artefacts_read(parts.p[2], parts.len[2],
                                   CRYPPO_ARTEFACT_VERSION_ENC, buf, &a);
    if (st == CRYPPO_OK)
        st = cryppo_parts_decode(&parts, 1, ct);
    return st;
}

cryppo_status cryppo_rsa_decrypt(EVP_PKEY *priv, const char *serialized,
                                 secbuf *pt)
{
    cryppo_status st;
    secbuf ct = {NULL, 0}, out = {NULL, 0};
    EVP_PKEY_CTX *ctx = NULL;
    size_t len;
    int bits = 0;

    if (!pt)
        return CRYPPO_ERR_ARGS;
    *pt = (secbuf){NULL, 0};
    if (!serialized)
        return CRYPPO_ERR_ARGS;
    st = cryppo_rsa_key_check(priv, 1);
    if (st == CRYPPO_OK)
        st = rsa_parts_read(serialized, &bits, &ct);
    if (st != CRYPPO_OK)
        goto out;
    st = CRYPPO_ERR_DECRYPT;
    len = (size_t)EVP_PKEY_get_size(priv);
    if (bits != EVP_PKEY_get_bits(priv) || ct.len != len)
        goto out;
    st = CRYPPO_ERR_NOMEM;
    if (secbuf_alloc(&out, len) != 0)
        goto out;
    st = CRYPPO_ERR_CRYPTO;
    ctx = oaep_ctx(priv, 0);
    if (!ctx)
        goto out;
    st = CRYPPO_ERR_DECRYPT;
    if (EVP_PKEY_decrypt(ctx, out.p, &len, ct.p, ct.len) <= 0)
        goto out;
    secure_wipe(out.p + len, out.len - len);
    out.len = len;
    *pt = out;
    out = (secbuf){NULL, 0};
    st = CRYPPO_OK;
out:
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    EVP_PKEY_CTX_free(ctx);
    secbuf_free(&ct);
    secbuf_free(&out);
    return st;
}
