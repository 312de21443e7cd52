/* pkcs11/mech/mech_ec.c - ECDSA on P-256 / P-384: CKM_ECDSA (input is a
 * hash, single-part) and CKM_ECDSA_SHA1/224/256/384/512 (multi-part).
 *
 * PKCS#11 signatures are r || s, each left-padded to the byte length of
 * the group order; OpenSSL speaks DER (ECDSA-Sig-Value), so both
 * directions convert here.  No parameter.
 */
#include "mech_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

typedef struct ec_ctx {
    EVP_PKEY_CTX *pk;
    EVP_MD_CTX *md;     /* hashing mechanisms only */
    size_t n;           /* bytes of r (and of s) */
    size_t der_max;     /* EVP_PKEY_get_size: largest DER signature */
} ec_ctx;

static enum mech_md ec_hash(CK_MECHANISM_TYPE t)
{
    switch (t) {
    case CKM_ECDSA_SHA1:
        return MD_SHA1;
    case CKM_ECDSA_SHA224:
        return MD_SHA224;
    case CKM_ECDSA_SHA256:
        return MD_SHA256;
    case CKM_ECDSA_SHA384:
        return MD_SHA384;
    case CKM_ECDSA_SHA512:
        return MD_SHA512;
    default:
        return MD_COUNT;
    }
}

static CK_RV ec_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    enum mech_md hash = ec_hash(m->mechanism);
    ec_ctx *e;
    int ok;

    if (m->pParameter || m->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    e = calloc(1, sizeof(*e));
    if (!e)
        return CKR_HOST_MEMORY;
    op->ctx = e;
    e->n = ((size_t)EVP_PKEY_get_bits(key->pkey) + 7) / 8;
    e->der_max = (size_t)EVP_PKEY_get_size(key->pkey);
    e->pk = EVP_PKEY_CTX_new_from_pkey(mech_alg_libctx(), key->pkey, NULL);
    if (!e->pk)
        return CKR_HOST_MEMORY;
    ok = op->purpose == MECH_SIGN ? EVP_PKEY_sign_init(e->pk)
                                  : EVP_PKEY_verify_init(e->pk);
    if (ok <= 0)
        return CKR_KEY_TYPE_INCONSISTENT;
    if (hash == MD_COUNT)
        return CKR_OK;
    e->md = EVP_MD_CTX_new();
    if (!e->md)
        return CKR_HOST_MEMORY;
    return EVP_DigestInit_ex2(e->md, mech_alg_md(hash), NULL)
               ? CKR_OK
               : CKR_FUNCTION_FAILED;
}

static void ec_cleanup(mech_op *op)
{
    ec_ctx *e = op->ctx;

    if (!e)
        return;
    EVP_PKEY_CTX_free(e->pk);
    EVP_MD_CTX_free(e->md);
    free(e);
    op->ctx = NULL;
}

static CK_RV tbs_of(ec_ctx *e, const uint8_t *in, size_t inlen,
                    uint8_t *dgst, const uint8_t **tbs, size_t *tbslen)
{
    unsigned int n = 0;

    if (!e->md) {
        if (inlen == 0)
            return CKR_DATA_LEN_RANGE;
        *tbs = in;
        *tbslen = inlen;
        return CKR_OK;
    }
    if ((in && !EVP_DigestUpdate(e->md, in, inlen)) ||
        !EVP_DigestFinal_ex(e->md, dgst, &n))
        return CKR_FUNCTION_FAILED;
    *tbs = dgst;
    *tbslen = n;
    return CKR_OK;
}

/* DER ECDSA-Sig-Value -> r || s (n bytes each). */
static CK_RV der_to_raw(const uint8_t *der, size_t len, size_t n,
                        uint8_t *out)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    const BIGNUM *r, *s;
    CK_RV rv = CKR_FUNCTION_FAILED;

    if (!sig)
        return rv;
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_bn2binpad(r, out, (int)n) == (int)n &&
        BN_bn2binpad(s, out + n, (int)n) == (int)n)
        rv = CKR_OK;
    ECDSA_SIG_free(sig);
    return rv;
}

/* r || s -> DER (malloc'd into *der). */
static CK_RV raw_to_der(const uint8_t *raw, size_t n, uint8_t **der,
                        size_t *len)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)n, NULL);
    BIGNUM *s = BN_bin2bn(raw + n, (int)n, NULL);
    int l;

    *der = NULL;
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return CKR_HOST_MEMORY;
    }
    l = i2d_ECDSA_SIG(sig, der);
    ECDSA_SIG_free(sig);
    if (l <= 0)
        return CKR_FUNCTION_FAILED;
    *len = (size_t)l;
    return CKR_OK;
}

static CK_RV ec_sign(mech_op *op, const uint8_t *in, size_t inlen,
                     uint8_t *out, size_t *outlen)
{
    ec_ctx *e = op->ctx;
    uint8_t dgst[EVP_MAX_MD_SIZE];
    uint8_t der[160];
    size_t derlen = sizeof(der);
    const uint8_t *tbs;
    size_t tbslen;
    CK_RV rv = tbs_of(e, in, inlen, dgst, &tbs, &tbslen);

    if (rv != CKR_OK)
        return rv;
    if (e->der_max > sizeof(der) ||
        EVP_PKEY_sign(e->pk, der, &derlen, tbs, tbslen) <= 0)
        return CKR_FUNCTION_FAILED;
    rv = der_to_raw(der, derlen, e->n, out);
    if (rv == CKR_OK)
        *outlen = 2 * e->n;
    return rv;
}

static CK_RV ec_verify(mech_op *op, const uint8_t *in, size_t inlen,
                       const uint8_t *sig, size_t siglen)
{
    ec_ctx *e = op->ctx;
    uint8_t dgst[EVP_MAX_MD_SIZE];
    const uint8_t *tbs;
    size_t tbslen, derlen = 0;
    uint8_t *der = NULL;
    CK_RV rv = tbs_of(e, in, inlen, dgst, &tbs, &tbslen);

    if (rv != CKR_OK)
        return rv;
    if (siglen != 2 * e->n)
        return CKR_SIGNATURE_LEN_RANGE;
    rv = raw_to_der(sig, e->n, &der, &derlen);
    if (rv != CKR_OK)
        return rv;
    rv = EVP_PKEY_verify(e->pk, der, derlen, tbs, tbslen) == 1
             ? CKR_OK
             : CKR_SIGNATURE_INVALID;
    OPENSSL_free(der);
    return rv;
}

static CK_RV ec_final_len(mech_op *op, size_t *need, int *exact)
{
    ec_ctx *e = op->ctx;

    *need = 2 * e->n;
    *exact = 1;
    return CKR_OK;
}

static CK_RV ec_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                            int *exact)
{
    (void)inlen;
    return ec_final_len(op, need, exact);
}

static CK_RV ec_update(mech_op *op, const uint8_t *in, size_t inlen,
                       uint8_t *out, size_t *outlen)
{
    ec_ctx *e = op->ctx;

    (void)out;
    (void)outlen;
    if (!e->md)
        return CKR_FUNCTION_NOT_SUPPORTED;
    return EVP_DigestUpdate(e->md, in, inlen) ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV ec_final(mech_op *op, uint8_t *out, size_t *outlen)
{
    return ec_sign(op, NULL, 0, out, outlen);
}

static CK_RV ec_verify_final(mech_op *op, const uint8_t *sig, size_t siglen)
{
    return ec_verify(op, NULL, 0, sig, siglen);
}

const struct mech_ops mech_ec_ops = {
    .init = ec_init,
    .oneshot_len = ec_oneshot_len,
    .oneshot = ec_sign,
    .update = ec_update,
    .final_len = ec_final_len,
    .final = ec_final,
    .verify = ec_verify,
    .verify_final = ec_verify_final,
    .cleanup = ec_cleanup,
};
