/* pkcs11/mech/mech_digest.c - CKM_SHA_1, CKM_SHA224, CKM_SHA256,
 * CKM_SHA384, CKM_SHA512: single- and multi-part digests.  No parameter. */
#include "mech_internal.h"

#include <openssl/evp.h>

static CK_RV digest_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    const EVP_MD *md = mech_alg_md(mech_alg_md_from_ckm(m->mechanism));
    EVP_MD_CTX *c;

    (void)key;
    if (m->pParameter || m->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!md)
        return CKR_MECHANISM_INVALID;
    c = EVP_MD_CTX_new();
    if (!c)
        return CKR_HOST_MEMORY;
    op->ctx = c;
    return EVP_DigestInit_ex2(c, md, NULL) ? CKR_OK : CKR_FUNCTION_FAILED;
}

static void digest_cleanup(mech_op *op)
{
    EVP_MD_CTX_free(op->ctx);
    op->ctx = NULL;
}

static CK_RV digest_final_len(mech_op *op, size_t *need, int *exact)
{
    *need = (size_t)EVP_MD_CTX_get_size(op->ctx);
    *exact = 1;
    return CKR_OK;
}

static CK_RV digest_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                                int *exact)
{
    (void)inlen;
    return digest_final_len(op, need, exact);
}

static CK_RV digest_update(mech_op *op, const uint8_t *in, size_t inlen,
                           uint8_t *out, size_t *outlen)
{
    (void)out;
    (void)outlen;
    return EVP_DigestUpdate(op->ctx, in, inlen) ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV digest_final(mech_op *op, uint8_t *out, size_t *outlen)
{
    unsigned int n = 0;

    if (!EVP_DigestFinal_ex(op->ctx, out, &n))
        return CKR_FUNCTION_FAILED;
    *outlen = n;
    return CKR_OK;
}

static CK_RV digest_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t *outlen)
{
    CK_RV rv = digest_update(op, in, inlen, NULL, NULL);

    return rv == CKR_OK ? digest_final(op, out, outlen) : rv;
}

const struct mech_ops mech_digest_ops = {
    .init = digest_init,
    .oneshot_len = digest_oneshot_len,
    .oneshot = digest_oneshot,
    .update = digest_update,
    .final_len = digest_final_len,
    .final = digest_final,
    .cleanup = digest_cleanup,
};
