/* pkcs11/mech/mech_aes_gcm.c - CKM_AES_GCM, single- and multi-part.
 *
 * Parameter: CK_GCM_PARAMS (PKCS#11 3.0 layout, with ulIvBits) or the
 * 2.40 document layout without ulIvBits that some callers still pass;
 * the two differ in size, so ulParameterLen tells which.  IV 1..128
 * bytes (OpenSSL's limit; 12 is the usual), tag 32, 64 or 96..128 bits
 * in steps of 8 (NIST SP 800-38D), AAD optional.  Encryption output is
 * ciphertext || tag.  Decryption buffers everything and releases the
 * plaintext only from the final call, after the tag has verified.
 */
#include "mech_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define GCM_IV_MAX 128

/* The PKCS#11 2.40 document layout (NSS calls it CK_NSS_GCM_PARAMS). */
typedef struct gcm_params_240 {
    CK_BYTE_PTR pIv;
    CK_ULONG ulIvLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG ulAADLen;
    CK_ULONG ulTagBits;
} gcm_params_240;

typedef struct gcm_params {
    const uint8_t *iv;
    size_t iv_len;
    const uint8_t *aad;
    size_t aad_len;
    size_t tag_len;
} gcm_params;

typedef struct gcm_ctx {
    EVP_CIPHER_CTX *c;
    int reusable;   /* 12-byte IV: the context may serve the next op */
    size_t tag_len;
    mech_buf in;    /* decryption: ciphertext || tag until final */
} gcm_ctx;

static int tag_bits_ok(CK_ULONG bits)
{
    return bits == 32 || bits == 64 ||
           (bits >= 96 && bits <= 128 && bits % 8 == 0);
}

static CK_RV parse_params(CK_MECHANISM_PTR m, gcm_params *p)
{
    const CK_GCM_PARAMS_V3 *v3 = MECH_PARAM(m, CK_GCM_PARAMS_V3);
    const gcm_params_240 *v2 = MECH_PARAM(m, gcm_params_240);
    CK_ULONG tag_bits;

    if (v3) {
        *p = (gcm_params){v3->pIv, v3->ulIvLen, v3->pAAD, v3->ulAADLen, 0};
        tag_bits = v3->ulTagBits;
    } else if (v2) {
        *p = (gcm_params){v2->pIv, v2->ulIvLen, v2->pAAD, v2->ulAADLen, 0};
        tag_bits = v2->ulTagBits;
    } else {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (!p->iv || p->iv_len == 0 || p->iv_len > GCM_IV_MAX)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!p->aad && p->aad_len)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!tag_bits_ok(tag_bits))
        return CKR_MECHANISM_PARAM_INVALID;
    p->tag_len = tag_bits / 8;
    return CKR_OK;
}

static CK_RV start_cipher(gcm_ctx *g, int enc, const gcm_params *p,
                          const mech_key *key)
{
    const EVP_CIPHER *cipher = mech_alg_aes(CIPH_AES128_GCM, key->secret_len);
    int ivlen = (int)p->iv_len;
    int n;

    if (!cipher)
        return CKR_KEY_SIZE_RANGE;
    g->c = mech_alg_ctx_take();
    if (!g->c)
        return CKR_HOST_MEMORY;
    g->reusable = p->iv_len == 12;
    if (p->iv_len == 12) {
        if (!EVP_CipherInit_ex2(g->c, cipher, key->secret, p->iv, enc, NULL))
            return CKR_FUNCTION_FAILED;
    } else if (!EVP_CipherInit_ex2(g->c, cipher, NULL, NULL, enc, NULL) ||
               EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_SET_IVLEN, ivlen,
                                   NULL) <= 0 ||
               !EVP_CipherInit_ex2(g->c, NULL, key->secret, p->iv, enc,
                                   NULL)) {
        return CKR_FUNCTION_FAILED;
    }
    if (p->aad_len && !EVP_CipherUpdate(g->c, NULL, &n, p->aad,
                                        (int)p->aad_len))
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

static CK_RV gcm_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    gcm_params p;
    gcm_ctx *g;
    CK_RV rv = parse_params(m, &p);

    if (rv != CKR_OK)
        return rv;
    if (p.aad_len > INT32_MAX)
        return CKR_MECHANISM_PARAM_INVALID;
    g = calloc(1, sizeof(*g));
    if (!g)
        return CKR_HOST_MEMORY;
    op->ctx = g;
    g->tag_len = p.tag_len;
    return start_cipher(g, op->purpose == MECH_ENCRYPT, &p, key);
}

static void gcm_cleanup(mech_op *op)
{
    gcm_ctx *g = op->ctx;

    if (!g)
        return;
    /* Only contexts left with the default IV length go back: EVP would
     * re-key a spare with the IV length of its previous message. */
    if (g->reusable)
        mech_alg_ctx_give(g->c);
    else
        EVP_CIPHER_CTX_free(g->c);
    mech_buf_free(&g->in);
    free(g);
    op->ctx = NULL;
}

/* ---- encryption (cipher_part serves both directions) ----------- */

static CK_RV cipher_part(gcm_ctx *g, const uint8_t *in, size_t inlen,
                          uint8_t *out)
{
    int n;

    while (inlen > 0) {
        int chunk = inlen > (1u << 30) ? (1 << 30) : (int)inlen;
        if (!EVP_CipherUpdate(g->c, out, &n, in, chunk))
            return CKR_FUNCTION_FAILED;
        in += chunk;
        out += n;
        inlen -= (size_t)chunk;
    }
    return CKR_OK;
}

static CK_RV encrypt_tag(gcm_ctx *g, uint8_t *out)
{
    int n;

    if (!EVP_EncryptFinal_ex(g->c, out, &n) ||
        EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_GET_TAG, (int)g->tag_len,
                            out) <= 0)
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

/* ---- decryption -------------------------------------------------------- */

/* ct[len] followed by the tag; on a bad tag the written plaintext is
 * wiped before returning. */
static CK_RV decrypt_all(gcm_ctx *g, const uint8_t *in, size_t len,
                         uint8_t *out, size_t *outlen)
{
    size_t ctlen = len - g->tag_len;
    uint8_t tag[16];
    int n;
    CK_RV rv;

    memcpy(tag, in + ctlen, g->tag_len);
    rv = cipher_part(g, in, ctlen, out);
    if (rv != CKR_OK)
        goto fail;
    if (EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_SET_TAG, (int)g->tag_len,
                            tag) <= 0) {
        rv = CKR_FUNCTION_FAILED;
        goto fail;
    }
    if (EVP_DecryptFinal_ex(g->c, out + ctlen, &n) <= 0) {
        rv = CKR_ENCRYPTED_DATA_INVALID;
        goto fail;
    }
    *outlen = ctlen;
    return CKR_OK;
fail:
    OPENSSL_cleanse(out, ctlen);
    return rv;
}

/* ---- handler entry points -------------------------------------------- */

static CK_RV gcm_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                             int *exact)
{
    gcm_ctx *g = op->ctx;

    *exact = 1;
    if (op->purpose == MECH_ENCRYPT) {
        *need = inlen + g->tag_len;
        return CKR_OK;
    }
    if (inlen < g->tag_len)
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    *need = inlen - g->tag_len;
    return CKR_OK;
}

static CK_RV gcm_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                         uint8_t *out, size_t *outlen)
{
    gcm_ctx *g = op->ctx;
    CK_RV rv;

    if (op->purpose == MECH_DECRYPT)
        return decrypt_all(g, in, inlen, out, outlen);
    rv = cipher_part(g, in, inlen, out);
    if (rv == CKR_OK)
        rv = encrypt_tag(g, out + inlen);
    if (rv == CKR_OK)
        *outlen = inlen + g->tag_len;
    return rv;
}

static CK_RV gcm_update_len(mech_op *op, size_t inlen, size_t *need)
{
    *need = op->purpose == MECH_ENCRYPT ? inlen : 0;
    return CKR_OK;
}

static CK_RV gcm_update(mech_op *op, const uint8_t *in, size_t inlen,
                        uint8_t *out, size_t *outlen)
{
    gcm_ctx *g = op->ctx;
    CK_RV rv;

    if (op->purpose == MECH_DECRYPT) {
        *outlen = 0;
        return mech_buf_append(&g->in, in, inlen);
    }
    rv = cipher_part(g, in, inlen, out);
    if (rv == CKR_OK)
        *outlen = inlen;
    return rv;
}

static CK_RV gcm_final_len(mech_op *op, size_t *need, int *exact)
{
    gcm_ctx *g = op->ctx;

    *exact = 1;
    if (op->purpose == MECH_ENCRYPT) {
        *need = g->tag_len;
        return CKR_OK;
    }
    if (g->in.len < g->tag_len)
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    *need = g->in.len - g->tag_len;
    return CKR_OK;
}

static CK_RV gcm_final(mech_op *op, uint8_t *out, size_t *outlen)
{
    gcm_ctx *g = op->ctx;
    CK_RV rv;

    if (op->purpose == MECH_DECRYPT)
        return decrypt_all(g, g->in.p, g->in.len, out, outlen);
    rv = encrypt_tag(g, out);
    if (rv == CKR_OK)
        *outlen = g->tag_len;
    return rv;
}

const struct mech_ops mech_aes_gcm_ops = {
    .init = gcm_init,
    .oneshot_len = gcm_oneshot_len,
    .oneshot = gcm_oneshot,
    .update_len = gcm_update_len,
    .update = gcm_update,
    .final_len = gcm_final_len,
    .final = gcm_final,
    .cleanup = gcm_cleanup,
};
