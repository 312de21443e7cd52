/* pkcs11/mech/mech_rsa.c - RSA: CKM_RSA_PKCS (raw PKCS#1 v1.5 encrypt,
 * decrypt, sign and verify; the sign input is the caller's DigestInfo),
 * CKM_RSA_PKCS_OAEP, CKM_RSA_PKCS_PSS (input is a hash) and the hash-and-
 * sign CKM_SHA{1,224,256,384,512}_RSA_PKCS / _PSS (multi-part).
 *
 * OAEP parameters: hashAlg SHA-1/224/256/384/512 with the MGF1 of the
 * same hash (OpenSSL could mix them; PKCS#11 callers never mean to, and a
 * mismatch is rejected as CKR_MECHANISM_PARAM_INVALID), source 0 or
 * CKZ_DATA_SPECIFIED with an optional label.  PSS parameters: hashAlg
 * (must equal the mechanism's hash for CKM_SHA*_RSA_PKCS_PSS), any MGF1,
 * sLen <= emLen - hLen - 2.
 */
#include "mech_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

typedef struct rsa_ctx {
    EVP_PKEY_CTX *pk;
    EVP_MD_CTX *md;     /* hash-and-sign mechanisms only */
    enum mech_md hash;  /* MD_COUNT: none */
    size_t k;           /* modulus length in bytes */
    size_t max_in;      /* largest encrypt / raw-sign input */
} rsa_ctx;

/* The hash of a hash-and-sign mechanism, MD_COUNT otherwise. */
static enum mech_md mech_hash(CK_MECHANISM_TYPE t)
{
    switch (t) {
    case CKM_SHA1_RSA_PKCS:
    case CKM_SHA1_RSA_PKCS_PSS:
        return MD_SHA1;
    case CKM_SHA224_RSA_PKCS:
    case CKM_SHA224_RSA_PKCS_PSS:
        return MD_SHA224;
    case CKM_SHA256_RSA_PKCS:
    case CKM_SHA256_RSA_PKCS_PSS:
        return MD_SHA256;
    case CKM_SHA384_RSA_PKCS:
    case CKM_SHA384_RSA_PKCS_PSS:
        return MD_SHA384;
    case CKM_SHA512_RSA_PKCS:
    case CKM_SHA512_RSA_PKCS_PSS:
        return MD_SHA512;
    default:
        return MD_COUNT;
    }
}

static int is_pss(CK_MECHANISM_TYPE t)
{
    return t == CKM_RSA_PKCS_PSS || t == CKM_SHA1_RSA_PKCS_PSS ||
           t == CKM_SHA224_RSA_PKCS_PSS || t == CKM_SHA256_RSA_PKCS_PSS ||
           t == CKM_SHA384_RSA_PKCS_PSS || t == CKM_SHA512_RSA_PKCS_PSS;
}

static CK_RV start_pkey_op(rsa_ctx *r, enum mech_purpose purpose)
{
    int ok;

    switch (purpose) {
    case MECH_ENCRYPT:
        ok = EVP_PKEY_encrypt_init(r->pk);
        break;
    case MECH_DECRYPT:
        ok = EVP_PKEY_decrypt_init(r->pk);
        break;
    case MECH_SIGN:
        ok = EVP_PKEY_sign_init(r->pk);
        break;
    case MECH_VERIFY:
        ok = EVP_PKEY_verify_init(r->pk);
        break;
    default:
        return CKR_MECHANISM_INVALID;
    }
    /* a public key asked to decrypt or sign fails here */
    return ok > 0 ? CKR_OK : CKR_KEY_TYPE_INCONSISTENT;
}

static CK_RV setup_oaep(rsa_ctx *r, CK_MECHANISM_PTR m)
{
    const CK_RSA_PKCS_OAEP_PARAMS *p = MECH_PARAM(m, CK_RSA_PKCS_OAEP_PARAMS);
    enum mech_md hash;
    uint8_t *label;

    if (!p)
        return CKR_MECHANISM_PARAM_INVALID;
    hash = mech_alg_md_from_ckm(p->hashAlg);
    if (hash == MD_COUNT || mech_alg_md_from_mgf(p->mgf) != hash)
        return CKR_MECHANISM_PARAM_INVALID;
    if (p->source != 0 && p->source != CKZ_DATA_SPECIFIED)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!p->pSourceData && p->ulSourceDataLen)
        return CKR_MECHANISM_PARAM_INVALID;
    if (2 * mech_alg_md_size(hash) + 2 >= r->k)
        return CKR_KEY_SIZE_RANGE;
    r->max_in = r->k - 2 * mech_alg_md_size(hash) - 2;
    if (EVP_PKEY_CTX_set_rsa_padding(r->pk, RSA_PKCS1_OAEP_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(r->pk, mech_alg_md(hash)) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(r->pk, mech_alg_md(hash)) <= 0)
        return CKR_FUNCTION_FAILED;
    if (p->ulSourceDataLen == 0)
        return CKR_OK;
    label = OPENSSL_memdup(p->pSourceData, p->ulSourceDataLen);
    if (!label)
        return CKR_HOST_MEMORY;
    if (EVP_PKEY_CTX_set0_rsa_oaep_label(r->pk, label,
                                         (int)p->ulSourceDataLen) <= 0) {
        OPENSSL_free(label);
        return CKR_FUNCTION_FAILED;
    }
    return CKR_OK;
}

static CK_RV setup_pss(rsa_ctx *r, CK_MECHANISM_PTR m)
{
    const CK_RSA_PKCS_PSS_PARAMS *p = MECH_PARAM(m, CK_RSA_PKCS_PSS_PARAMS);
    enum mech_md hash, mgf;

    if (!p)
        return CKR_MECHANISM_PARAM_INVALID;
    hash = mech_alg_md_from_ckm(p->hashAlg);
    mgf = mech_alg_md_from_mgf(p->mgf);
    if (hash == MD_COUNT || mgf == MD_COUNT)
        return CKR_MECHANISM_PARAM_INVALID;
    if (r->hash != MD_COUNT && r->hash != hash)
        return CKR_MECHANISM_PARAM_INVALID;
    if (p->sLen + mech_alg_md_size(hash) + 2 > r->k ||
        p->sLen > (CK_ULONG)INT32_MAX)
        return CKR_MECHANISM_PARAM_INVALID;
    r->hash = hash;
    if (EVP_PKEY_CTX_set_rsa_padding(r->pk, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(r->pk, mech_alg_md(hash)) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(r->pk, mech_alg_md(mgf)) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(r->pk, (int)p->sLen) <= 0)
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

static CK_RV setup_pkcs1(rsa_ctx *r, CK_MECHANISM_PTR m)
{
    if (m->pParameter || m->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    r->max_in = r->k - 11;
    if (EVP_PKEY_CTX_set_rsa_padding(r->pk, RSA_PKCS1_PADDING) <= 0)
        return CKR_FUNCTION_FAILED;
    if (r->hash != MD_COUNT &&
        EVP_PKEY_CTX_set_signature_md(r->pk, mech_alg_md(r->hash)) <= 0)
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

static CK_RV rsa_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    rsa_ctx *r = calloc(1, sizeof(*r));
    CK_RV rv;

    if (!r)
        return CKR_HOST_MEMORY;
    op->ctx = r;
    r->hash = mech_hash(m->mechanism);
    r->k = (size_t)EVP_PKEY_get_size(key->pkey);
    r->pk = EVP_PKEY_CTX_new_from_pkey(mech_alg_libctx(), key->pkey, NULL);
    if (!r->pk)
        return CKR_HOST_MEMORY;
    rv = start_pkey_op(r, op->purpose);
    if (rv != CKR_OK)
        return rv;
    if (m->mechanism == CKM_RSA_PKCS_OAEP)
        rv = setup_oaep(r, m);
    else if (is_pss(m->mechanism))
        rv = setup_pss(r, m);
    else
        rv = setup_pkcs1(r, m);
    if (rv != CKR_OK || mech_hash(m->mechanism) == MD_COUNT)
        return rv;
    r->md = EVP_MD_CTX_new();
    if (!r->md)
        return CKR_HOST_MEMORY;
    return EVP_DigestInit_ex2(r->md, mech_alg_md(r->hash), NULL)
               ? CKR_OK
               : CKR_FUNCTION_FAILED;
}

static void rsa_cleanup(mech_op *op)
{
    rsa_ctx *r = op->ctx;

    if (!r)
        return;
    EVP_PKEY_CTX_free(r->pk);
    EVP_MD_CTX_free(r->md);
    free(r);
    op->ctx = NULL;
}

/* ---- the input a signature covers ------------------------------------ */

/* For hash-and-sign mechanisms the digest of everything fed so far;
 * for the others the caller's input, length-checked. */
static CK_RV sign_input(rsa_ctx *r, CK_MECHANISM_TYPE t, const uint8_t *in,
                        size_t inlen, uint8_t *dgst, const uint8_t **tbs,
                        size_t *tbslen)
{
    unsigned int n = 0;

    if (r->md) {
        if ((in && !EVP_DigestUpdate(r->md, in, inlen)) ||
            !EVP_DigestFinal_ex(r->md, dgst, &n))
            return CKR_FUNCTION_FAILED;
        *tbs = dgst;
        *tbslen = n;
        return CKR_OK;
    }
    if (t == CKM_RSA_PKCS_PSS ? inlen != mech_alg_md_size(r->hash)
                              : inlen > r->max_in)
        return CKR_DATA_LEN_RANGE;
    *tbs = in;
    *tbslen = inlen;
    return CKR_OK;
}

static CK_RV do_sign(mech_op *op, const uint8_t *in, size_t inlen,
                     uint8_t *out, size_t *outlen)
{
    rsa_ctx *r = op->ctx;
    uint8_t dgst[EVP_MAX_MD_SIZE];
    const uint8_t *tbs;
    size_t tbslen;
    size_t n = r->k;
    CK_RV rv = sign_input(r, op->row->type, in, inlen, dgst, &tbs, &tbslen);

    if (rv != CKR_OK)
        return rv;
    if (EVP_PKEY_sign(r->pk, out, &n, tbs, tbslen) <= 0)
        return CKR_FUNCTION_FAILED;
    *outlen = n;
    return CKR_OK;
}

static CK_RV do_verify(mech_op *op, const uint8_t *in, size_t inlen,
                       const uint8_t *sig, size_t siglen)
{
    rsa_ctx *r = op->ctx;
    uint8_t dgst[EVP_MAX_MD_SIZE];
    const uint8_t *tbs;
    size_t tbslen;
    CK_RV rv = sign_input(r, op->row->type, in, inlen, dgst, &tbs, &tbslen);

    if (rv != CKR_OK)
        return rv;
    if (siglen != r->k)
        return CKR_SIGNATURE_LEN_RANGE;
    return EVP_PKEY_verify(r->pk, sig, siglen, tbs, tbslen) == 1
               ? CKR_OK
               : CKR_SIGNATURE_INVALID;
}

/* ---- handler entry points -------------------------------------------- */

static CK_RV rsa_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                             int *exact)
{
    rsa_ctx *r = op->ctx;

    *need = r->k;
    *exact = 1;
    if (op->purpose == MECH_ENCRYPT && inlen > r->max_in)
        return CKR_DATA_LEN_RANGE;
    if (op->purpose == MECH_DECRYPT) {
        if (inlen != r->k)
            return CKR_ENCRYPTED_DATA_LEN_RANGE;
        *exact = 0; /* the plaintext is shorter; OpenSSL needs k bytes */
    }
    return CKR_OK;
}

static CK_RV rsa_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                         uint8_t *out, size_t *outlen)
{
    rsa_ctx *r = op->ctx;
    size_t n = r->k;

    if (op->purpose == MECH_SIGN)
        return do_sign(op, in, inlen, out, outlen);
    if (op->purpose == MECH_ENCRYPT) {
        if (EVP_PKEY_encrypt(r->pk, out, &n, in, inlen) <= 0)
            return CKR_FUNCTION_FAILED;
    } else if (EVP_PKEY_decrypt(r->pk, out, &n, in, inlen) <= 0) {
        OPENSSL_cleanse(out, r->k);
        return CKR_ENCRYPTED_DATA_INVALID;
    }
    *outlen = n;
    return CKR_OK;
}

static CK_RV rsa_update(mech_op *op, const uint8_t *in, size_t inlen,
                        uint8_t *out, size_t *outlen)
{
    rsa_ctx *r = op->ctx;

    (void)out;
    (void)outlen;
    if (!r->md)
        return CKR_FUNCTION_NOT_SUPPORTED;
    return EVP_DigestUpdate(r->md, in, inlen) ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV rsa_final_len(mech_op *op, size_t *need, int *exact)
{
    rsa_ctx *r = op->ctx;

    *need = r->k;
    *exact = 1;
    return CKR_OK;
}

static CK_RV rsa_final(mech_op *op, uint8_t *out, size_t *outlen)
{
    return do_sign(op, NULL, 0, out, outlen);
}

static CK_RV rsa_verify_final(mech_op *op, const uint8_t *sig, size_t siglen)
{
    return do_verify(op, NULL, 0, sig, siglen);
}

const struct mech_ops mech_rsa_ops = {
    .init = rsa_init,
    .oneshot_len = rsa_oneshot_len,
    .oneshot = rsa_oneshot,
    .update = rsa_update,
    .final_len = rsa_final_len,
    .final = rsa_final,
    .verify = do_verify,
    .verify_final = rsa_verify_final,
    .cleanup = rsa_cleanup,
};
