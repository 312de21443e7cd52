/* pkcs11/mech/mech_attr_private.c - private keys from PKCS#11 attributes
 * (C_CreateObject of CKO_PRIVATE_KEY): RSA from its components, EC from
 * CKA_EC_PARAMS + CKA_VALUE.  Every intermediate holding private values
 * is wiped: BNs are BN_secure_new (cleared on free), and OSSL_PARAM_BLD
 * puts secure BNs into a block that OSSL_PARAM_free clears. */
#include "mech_attr.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "mech_internal.h"

#define RSA_MAX_BYTES 2048

static const char *const rsa_names[MECH_RSA_PARTS] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
    OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
    OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

/* EVP_PKEY_fromdata of a key pair; with check, a pairwise consistency
 * check (n = p * q, e * d = 1, the CRT values) must pass too. */
static CK_RV keypair_from(const char *alg, OSSL_PARAM_BLD *bld, int check,
                          EVP_PKEY **out)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(mech_alg_libctx(), alg,
                                                   NULL);
    EVP_PKEY_CTX *chk = NULL;
    CK_RV rv = CKR_HOST_MEMORY;

    *out = NULL;
    if (params && ctx) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
        if (EVP_PKEY_fromdata_init(ctx) > 0 &&
            EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) > 0)
            rv = CKR_OK;
    }
    if (rv == CKR_OK && check) {
        chk = EVP_PKEY_CTX_new_from_pkey(mech_alg_libctx(), *out, NULL);
        if (!chk || EVP_PKEY_pairwise_check(chk) != 1)
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (rv != CKR_OK) {
        EVP_PKEY_free(*out);
        *out = NULL;
    }
    EVP_PKEY_CTX_free(chk);
    OSSL_PARAM_free(params); /* secure BNs went to a part it clears */
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

/* 0: n, e, d only; 1: all CRT values; -1: some but not all, or bad. */
static int crt_present(const mech_bytes parts[MECH_RSA_PARTS])
{
    int present = 0;

    for (int i = 0; i < MECH_RSA_PARTS; i++) {
        if (parts[i].len > RSA_MAX_BYTES || (parts[i].len && !parts[i].p))
            return -1;
        if (i < 3 && parts[i].len == 0)
            return -1;
        if (i >= 3 && parts[i].len > 0)
            present++;
    }
    return present == 0 ? 0 : present == 5 ? 1 : -1;
}

CK_RV mech_attr_rsa_private_from(const mech_bytes parts[MECH_RSA_PARTS],
                                 EVP_PKEY **out)
{
    BIGNUM *bn[MECH_RSA_PARTS] = {0};
    OSSL_PARAM_BLD *bld;
    int crt;
    CK_RV rv = CKR_HOST_MEMORY;

    if (!parts || !out)
        return CKR_ARGUMENTS_BAD;
    crt = crt_present(parts);
    if (crt < 0)
        return CKR_TEMPLATE_INCONSISTENT;
    bld = OSSL_PARAM_BLD_new();
    for (int i = 0; bld && i < (crt ? MECH_RSA_PARTS : 3); i++) {
        bn[i] = BN_secure_new();
        if (!bn[i] || !BN_bin2bn(parts[i].p, (int)parts[i].len, bn[i]) ||
            !OSSL_PARAM_BLD_push_BN(bld, rsa_names[i], bn[i]))
            goto out;
    }
    if (bld)
        rv = keypair_from("RSA", bld, crt, out);
out:
    for (int i = 0; i < MECH_RSA_PARTS; i++)
        BN_clear_free(bn[i]);
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* The uncompressed public point d * G of the named curve. */
static CK_RV public_point(const char *group, const BIGNUM *d, uint8_t *pt,
                          size_t cap, size_t *len)
{
    int nid = EC_curve_nist2nid(group);
    EC_GROUP *g = EC_GROUP_new_by_curve_name_ex(mech_alg_libctx(), NULL, nid);
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    CK_RV rv = CKR_HOST_MEMORY;

    if (p) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
        if (!BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(g)) < 0 &&
            EC_POINT_mul(g, p, d, NULL, NULL, NULL)) {
            *len = EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pt,
                                      cap, NULL);
            rv = *len > 0 ? CKR_OK : CKR_FUNCTION_FAILED;
        }
    }
    EC_POINT_free(p);
    EC_GROUP_free(g);
    return rv;
}

CK_RV mech_attr_ec_private_from(const uint8_t *params, size_t params_len,
                                const uint8_t *value, size_t value_len,
                                EVP_PKEY **out)
{
    const char *group = NULL;
    size_t field = 0, pt_len = 0;
    uint8_t pt[1 + 2 * 66];
    OSSL_PARAM_BLD *bld = NULL;
    BIGNUM *d = NULL;
    CK_RV rv;

    if (!params || !value || !out)
        return CKR_ARGUMENTS_BAD;
    rv = mech_curve_from_params(params, params_len, &group, &field);
    if (rv != CKR_OK)
        return rv;
    if (value_len == 0 || value_len > field)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    rv = CKR_HOST_MEMORY;
    d = BN_secure_new();
    bld = OSSL_PARAM_BLD_new();
    if (!d || !bld || !BN_bin2bn(value, (int)value_len, d))
        goto out;
    rv = public_point(group, d, pt, sizeof(pt), &pt_len);
    if (rv != CKR_OK)
        goto out;
    rv = CKR_HOST_MEMORY;
    if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                        group, 0) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
                                         pt_len))
        rv = keypair_from("EC", bld, 0, out);
out:
    BN_clear_free(d);
    OSSL_PARAM_BLD_free(bld);
    return rv;
}
