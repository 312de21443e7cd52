/* pkcs11/mech/mech_keygen.c - C_GenerateKey, C_GenerateKeyPair and
 * C_GenerateRandom: CKM_AES_KEY_GEN, CKM_RSA_PKCS_KEY_PAIR_GEN,
 * CKM_EC_KEY_PAIR_GEN (P-256 and P-384), all from the private library
 * context's DRBG. */
#include "mech.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "mech_internal.h"

CK_RV mech_random(CK_BYTE_PTR out, CK_ULONG len)
{
    if (!out && len)
        return CKR_ARGUMENTS_BAD;
    if (len == 0)
        return CKR_OK;
    return RAND_bytes_ex(mech_alg_libctx(), out, len, 0) == 1
               ? CKR_OK
               : CKR_FUNCTION_FAILED;
}

CK_RV mech_generate_key(CK_MECHANISM_PTR mechanism, CK_ULONG value_len,
                        secbuf *out)
{
    if (!mechanism || !out)
        return CKR_ARGUMENTS_BAD;
    if (mechanism->mechanism != CKM_AES_KEY_GEN)
        return CKR_MECHANISM_INVALID;
    if (mechanism->pParameter || mechanism->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    if (value_len != 16 && value_len != 24 && value_len != 32)
        return CKR_KEY_SIZE_RANGE;
    if (secbuf_alloc(out, value_len) != 0)
        return CKR_HOST_MEMORY;
    if (RAND_priv_bytes_ex(mech_alg_libctx(), out->p, value_len, 0) != 1) {
        secbuf_free(out);
        return CKR_FUNCTION_FAILED;
    }
    return CKR_OK;
}

/* 65537 unless the template names an odd exponent >= 3. */
static CK_RV exponent_of(const mech_keypair_params *p, BIGNUM **e)
{
    if (!p->public_exponent || p->public_exponent_len == 0) {
        *e = BN_new();
        if (!*e || !BN_set_word(*e, RSA_F4))
            return CKR_HOST_MEMORY;
        return CKR_OK;
    }
    if (p->public_exponent_len > 8)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    *e = BN_bin2bn(p->public_exponent, (int)p->public_exponent_len, NULL);
    if (!*e)
        return CKR_HOST_MEMORY;
    if (!BN_is_odd(*e) || BN_cmp(*e, BN_value_one()) <= 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    return CKR_OK;
}

static CK_RV generate_rsa(const mech_keypair_params *p, EVP_PKEY **out)
{
    const mech_row *row = mech_lookup(CKM_RSA_PKCS_KEY_PAIR_GEN);
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *e = NULL;
    CK_RV rv;

    if (p->modulus_bits < row->min_key || p->modulus_bits > row->max_key)
        return CKR_KEY_SIZE_RANGE;
    rv = exponent_of(p, &e);
    if (rv != CKR_OK)
        goto out;
    rv = CKR_FUNCTION_FAILED;
    ctx = EVP_PKEY_CTX_new_from_name(mech_alg_libctx(), "RSA", NULL);
    if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)p->modulus_bits) <= 0 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) <= 0)
        goto out;
    if (EVP_PKEY_generate(ctx, out) > 0)
        rv = CKR_OK;
out:
    EVP_PKEY_CTX_free(ctx);
    BN_free(e);
    return rv;
}

static CK_RV generate_ec(const mech_keypair_params *p, EVP_PKEY **out)
{
    EVP_PKEY_CTX *ctx;
    const char *group = NULL;
    CK_RV rv = mech_curve_from_params(p->ec_params, p->ec_params_len, &group,
                                      NULL);

    if (rv != CKR_OK)
        return rv;
    ctx = EVP_PKEY_CTX_new_from_name(mech_alg_libctx(), "EC", NULL);
    rv = CKR_FUNCTION_FAILED;
    if (ctx && EVP_PKEY_keygen_init(ctx) > 0 &&
        EVP_PKEY_CTX_set_group_name(ctx, group) > 0 &&
        EVP_PKEY_generate(ctx, out) > 0)
        rv = CKR_OK;
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

CK_RV mech_generate_keypair(CK_MECHANISM_PTR mechanism,
                            const mech_keypair_params *params, EVP_PKEY **out)
{
    if (!mechanism || !params || !out)
        return CKR_ARGUMENTS_BAD;
    if (mechanism->pParameter || mechanism->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    *out = NULL;
    if (mechanism->mechanism == CKM_RSA_PKCS_KEY_PAIR_GEN)
        return generate_rsa(params, out);
    if (mechanism->mechanism == CKM_EC_KEY_PAIR_GEN)
        return generate_ec(params, out);
    return CKR_MECHANISM_INVALID;
}
