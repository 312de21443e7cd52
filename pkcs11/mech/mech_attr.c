/* pkcs11/mech/mech_attr.c - key <-> PKCS#11 attribute conversions
 * (CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_EC_PARAMS, CKA_EC_POINT,
 * CKA_PUBLIC_KEY_INFO, PKCS#8), all keys built in the private library
 * context. */
#include "mech_attr.h"

#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "mech_internal.h"

#define EC_POINT_MAX 133 /* uncompressed P-521: 1 + 2 * 66 */

/* ---- small helpers ----------------------------------------------------- */

/* Take over OpenSSL-allocated DER (len bytes) into a secbuf. */
static CK_RV take_der(unsigned char *der, int len, secbuf *out)
{
    CK_RV rv = CKR_OK;

    if (len <= 0)
        return CKR_FUNCTION_FAILED;
    if (secbuf_dup(out, der, (size_t)len) != 0)
        rv = CKR_HOST_MEMORY;
    OPENSSL_clear_free(der, (size_t)len);
    return rv;
}

static CK_RV bn_param(const EVP_PKEY *pkey, const char *name, secbuf *out)
{
    BIGNUM *bn = NULL;
    CK_RV rv = CKR_OK;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    if (!EVP_PKEY_is_a(pkey, "RSA"))
        return CKR_KEY_TYPE_INCONSISTENT;
    if (!EVP_PKEY_get_bn_param(pkey, name, &bn))
        return CKR_FUNCTION_FAILED;
    if (secbuf_alloc(out, (size_t)BN_num_bytes(bn)) != 0)
        rv = CKR_HOST_MEMORY;
    else
        BN_bn2bin(bn, out->p);
    BN_free(bn);
    return rv;
}

CK_RV mech_curve_from_params(const uint8_t *der, size_t len,
                             const char **group, size_t *field_bytes)
{
    const unsigned char *p = der;
    ASN1_OBJECT *oid;
    int nid;

    if (!der || len == 0 || len > 64)
        return CKR_DOMAIN_PARAMS_INVALID;
    oid = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    if (!oid || p != der + len) {
        ASN1_OBJECT_free(oid);
        return CKR_DOMAIN_PARAMS_INVALID;
    }
    nid = OBJ_obj2nid(oid);
    ASN1_OBJECT_free(oid);
    if (nid == NID_X9_62_prime256v1) {
        *group = "P-256";
        if (field_bytes)
            *field_bytes = 32;
    } else if (nid == NID_secp384r1) {
        *group = "P-384";
        if (field_bytes)
            *field_bytes = 48;
    } else {
        return CKR_CURVE_NOT_SUPPORTED;
    }
    return CKR_OK;
}

/* ---- reading keys ---------------------------------------------------- */

CK_KEY_TYPE mech_attr_key_type(const EVP_PKEY *pkey)
{
    if (pkey && EVP_PKEY_is_a(pkey, "RSA"))
        return CKK_RSA;
    if (pkey && EVP_PKEY_is_a(pkey, "EC"))
        return CKK_EC;
    return MECH_NO_KEY;
}

int mech_attr_is_private(const EVP_PKEY *pkey)
{
    const char *name = NULL;
    BIGNUM *bn = NULL;
    int ok;

    if (mech_attr_key_type(pkey) == CKK_RSA)
        name = OSSL_PKEY_PARAM_RSA_D;
    else if (mech_attr_key_type(pkey) == CKK_EC)
        name = OSSL_PKEY_PARAM_PRIV_KEY;
    if (!name)
        return 0;
    ok = EVP_PKEY_get_bn_param(pkey, name, &bn);
    BN_clear_free(bn);
    return ok == 1;
}

CK_RV mech_attr_key_bits(const EVP_PKEY *pkey, CK_ULONG *bits)
{
    if (!pkey || !bits)
        return CKR_ARGUMENTS_BAD;
    if (EVP_PKEY_get_bits(pkey) <= 0)
        return CKR_FUNCTION_FAILED;
    *bits = (CK_ULONG)EVP_PKEY_get_bits(pkey);
    return CKR_OK;
}

CK_RV mech_attr_rsa_modulus(const EVP_PKEY *pkey, secbuf *out)
{
    return bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, out);
}

CK_RV mech_attr_rsa_public_exponent(const EVP_PKEY *pkey, secbuf *out)
{
    return bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, out);
}

CK_RV mech_attr_ec_params(const EVP_PKEY *pkey, secbuf *out)
{
    char name[64];
    size_t len = 0;
    unsigned char *der = NULL;
    int nid;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    if (!EVP_PKEY_is_a(pkey, "EC"))
        return CKR_KEY_TYPE_INCONSISTENT;
    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                        name, sizeof(name), &len))
        return CKR_FUNCTION_FAILED;
    nid = OBJ_txt2nid(name);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(name);
    if (nid == NID_undef)
        return CKR_CURVE_NOT_SUPPORTED;
    return take_der(der, i2d_ASN1_OBJECT(OBJ_nid2obj(nid), &der), out);
}

CK_RV mech_attr_ec_point(const EVP_PKEY *pkey, secbuf *out)
{
    uint8_t point[EC_POINT_MAX];
    size_t len = 0;
    ASN1_OCTET_STRING *os;
    unsigned char *der = NULL;
    int derlen = -1;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    if (!EVP_PKEY_is_a(pkey, "EC"))
        return CKR_KEY_TYPE_INCONSISTENT;
    if (!EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point,
                                         sizeof(point), &len))
        return CKR_FUNCTION_FAILED;
    os = ASN1_OCTET_STRING_new();
    if (os && ASN1_OCTET_STRING_set(os, point, (int)len))
        derlen = i2d_ASN1_OCTET_STRING(os, &der);
    ASN1_OCTET_STRING_free(os);
    return take_der(der, derlen, out);
}

CK_RV mech_attr_spki(const EVP_PKEY *pkey, secbuf *out)
{
    unsigned char *der = NULL;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    return take_der(der, i2d_PUBKEY(pkey, &der), out);
}

/* ---- building keys ---------------------------------------------------- */

CK_RV mech_attr_public_from_spki(const uint8_t *der, size_t len,
                                 EVP_PKEY **out)
{
    const unsigned char *p = der;
    EVP_PKEY *pkey;

    if (!der || !out)
        return CKR_ARGUMENTS_BAD;
    pkey = d2i_PUBKEY_ex(NULL, &p, (long)len, mech_alg_libctx(), NULL);
    if (!pkey || p != der + len || mech_attr_key_type(pkey) == MECH_NO_KEY) {
        EVP_PKEY_free(pkey);
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    *out = pkey;
    return CKR_OK;
}

CK_RV mech_attr_public_dup(const EVP_PKEY *pkey, EVP_PKEY **out)
{
    secbuf spki = {0};
    CK_RV rv;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    rv = mech_attr_spki(pkey, &spki);
    if (rv == CKR_OK)
        rv = mech_attr_public_from_spki(spki.p, spki.len, out);
    secbuf_free(&spki);
    return rv;
}

/* EVP_PKEY_fromdata of a public key in the private library context. */
static CK_RV from_params(const char *alg, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(mech_alg_libctx(), alg,
                                                   NULL);
    CK_RV rv = CKR_HOST_MEMORY;

    *out = NULL;
    if (params && ctx) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
        if (EVP_PKEY_fromdata_init(ctx) > 0 &&
            EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) > 0)
            rv = CKR_OK;
    }
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

CK_RV mech_attr_rsa_public_from(const uint8_t *n, size_t n_len,
                                const uint8_t *e, size_t e_len, EVP_PKEY **out)
{
    OSSL_PARAM_BLD *bld;
    BIGNUM *bn_n, *bn_e;
    CK_RV rv = CKR_HOST_MEMORY;

    if (!n || !e || !out)
        return CKR_ARGUMENTS_BAD;
    if (n_len == 0 || n_len > 2048 || e_len == 0 || e_len > 8)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    bld = OSSL_PARAM_BLD_new();
    bn_n = BN_bin2bn(n, (int)n_len, NULL);
    bn_e = BN_bin2bn(e, (int)e_len, NULL);
    if (bld && bn_n && bn_e) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
        if (BN_is_odd(bn_n) && BN_is_odd(bn_e) && !BN_is_one(bn_e) &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
            rv = from_params("RSA", bld, out);
    }
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return rv;
}

/* CKA_EC_POINT as stored (DER OCTET STRING) or raw; field: coordinate
 * size.  A raw uncompressed point has exactly 1 + 2 * field bytes. */
static CK_RV point_of(const uint8_t *in, size_t len, size_t field,
                      const uint8_t **pt, size_t *pt_len)
{
    const unsigned char *p = in;
    ASN1_OCTET_STRING *os;

    if (len == 1 + 2 * field && in[0] == 0x04) {
        *pt = in;
        *pt_len = len;
        return CKR_OK;
    }
    os = d2i_ASN1_OCTET_STRING(NULL, &p, (long)len);
    if (!os || p != in + len ||
        (size_t)ASN1_STRING_length(os) != 1 + 2 * field) {
        ASN1_OCTET_STRING_free(os);
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    ASN1_OCTET_STRING_free(os);
    *pt = in + (len - (1 + 2 * field)); /* content is the tail */
    *pt_len = 1 + 2 * field;
    return CKR_OK;
}

CK_RV mech_attr_ec_public_from(const uint8_t *params, size_t params_len,
                               const uint8_t *point, size_t point_len,
                               EVP_PKEY **out)
{
    const char *group = NULL;
    size_t field = 0, pt_len = 0;
    const uint8_t *pt = NULL;
    OSSL_PARAM_BLD *bld;
    CK_RV rv;

    if (!params || !point || !out)
        return CKR_ARGUMENTS_BAD;
    rv = mech_curve_from_params(params, params_len, &group, &field);
    if (rv == CKR_OK)
        rv = point_of(point, point_len, field, &pt, &pt_len);
    if (rv != CKR_OK)
        return rv;
    bld = OSSL_PARAM_BLD_new();
    rv = CKR_HOST_MEMORY;
    if (bld &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                        group, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
                                         pt_len))
        rv = from_params("EC", bld, out);
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* ---- PKCS#8 ------------------------------------------------------------ */

CK_RV mech_attr_private_to_pkcs8(const EVP_PKEY *pkey, secbuf *out)
{
    PKCS8_PRIV_KEY_INFO *p8;
    unsigned char *der = NULL;
    int len;

    if (!pkey || !out)
        return CKR_ARGUMENTS_BAD;
    if (!mech_attr_is_private(pkey))
        return CKR_KEY_TYPE_INCONSISTENT;
    p8 = EVP_PKEY2PKCS8(pkey);
    if (!p8)
        return CKR_FUNCTION_FAILED;
    len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return take_der(der, len, out);
}

CK_RV mech_attr_private_from_pkcs8(const uint8_t *der, size_t len,
                                   EVP_PKEY **out)
{
    const unsigned char *p = der;
    PKCS8_PRIV_KEY_INFO *p8;
    EVP_PKEY *pkey = NULL;

    if (!der || !out)
        return CKR_ARGUMENTS_BAD;
    p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    if (p8 && p == der + len)
        pkey = EVP_PKCS82PKEY_ex(p8, mech_alg_libctx(), NULL);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (!pkey || mech_attr_key_type(pkey) == MECH_NO_KEY) {
        EVP_PKEY_free(pkey);
        return CKR_WRAPPED_KEY_INVALID;
    }
    *out = pkey;
    return CKR_OK;
}
