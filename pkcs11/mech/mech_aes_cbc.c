/* pkcs11/mech/mech_aes_cbc.c - CKM_AES_CBC and CKM_AES_CBC_PAD.
 *
 * Parameter: the 16-byte IV.  OpenSSL runs without padding; this file
 * keeps the partial block itself so that every part's output size is
 * known before any byte is consumed (5.2: a short buffer loses nothing).
 * Decryption with padding always holds back the last full block until
 * final, where the PKCS#7 padding is checked without data-dependent
 * branches (CKR_ENCRYPTED_DATA_INVALID on bad padding).
 */
#include "mech_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define BLOCK 16

typedef struct cbc_ctx {
    EVP_CIPHER_CTX *c;
    int pad;
    uint8_t buf[BLOCK];
    size_t buf_len;
} cbc_ctx;

static CK_RV cbc_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    const EVP_CIPHER *cipher = mech_alg_aes(CIPH_AES128_CBC, key->secret_len);
    int enc = op->purpose == MECH_ENCRYPT || op->purpose == MECH_WRAP;
    cbc_ctx *c;

    if (!m->pParameter || m->ulParameterLen != BLOCK)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!cipher)
        return CKR_KEY_SIZE_RANGE;
    c = calloc(1, sizeof(*c));
    if (!c)
        return CKR_HOST_MEMORY;
    op->ctx = c;
    c->pad = m->mechanism == CKM_AES_CBC_PAD;
    c->c = EVP_CIPHER_CTX_new();
    if (!c->c)
        return CKR_HOST_MEMORY;
    if (!EVP_CipherInit_ex2(c->c, cipher, key->secret, m->pParameter, enc,
                            NULL) ||
        !EVP_CIPHER_CTX_set_padding(c->c, 0))
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

static void cbc_cleanup(mech_op *op)
{
    cbc_ctx *c = op->ctx;

    if (!c)
        return;
    EVP_CIPHER_CTX_free(c->c);
    OPENSSL_cleanse(c, sizeof(*c));
    free(c);
    op->ctx = NULL;
}

static CK_RV blocks(cbc_ctx *c, const uint8_t *in, size_t len, uint8_t *out)
{
    int n;

    while (len > 0) {
        size_t chunk = len > (1u << 30) ? (1u << 30) : len;
        if (!EVP_CipherUpdate(c->c, out, &n, in, (int)chunk))
            return CKR_FUNCTION_FAILED;
        in += chunk;
        out += chunk;
        len -= chunk;
    }
    return CKR_OK;
}

/* Bytes (of buffer + input) this update emits: whole blocks, minus the
 * block a padded decryption must hold back. */
static size_t emit_len(const mech_op *op, size_t inlen)
{
    const cbc_ctx *c = op->ctx;
    size_t total = c->buf_len + inlen;
    size_t hold = total % BLOCK;

    if (c->pad && op->purpose != MECH_ENCRYPT && hold == 0 && total > 0)
        hold = BLOCK;
    return total - hold;
}

static CK_RV cbc_update_len(mech_op *op, size_t inlen, size_t *need)
{
    *need = emit_len(op, inlen);
    return CKR_OK;
}

static CK_RV cbc_update(mech_op *op, const uint8_t *in, size_t inlen,
                        uint8_t *out, size_t *outlen)
{
    cbc_ctx *c = op->ctx;
    size_t need = emit_len(op, inlen);
    size_t done = 0;
    CK_RV rv;

    if (need > 0 && c->buf_len > 0) {
        size_t take = BLOCK - c->buf_len;
        memcpy(c->buf + c->buf_len, in, take);
        in += take;
        inlen -= take;
        rv = blocks(c, c->buf, BLOCK, out);
        if (rv != CKR_OK)
            return rv;
        c->buf_len = 0;
        done = BLOCK;
    }
    rv = blocks(c, in, need - done, out + done);
    if (rv != CKR_OK)
        return rv;
    in += need - done;
    inlen -= need - done;
    memcpy(c->buf + c->buf_len, in, inlen);
    c->buf_len += inlen;
    *outlen = need;
    return CKR_OK;
}

static CK_RV cbc_final_len(mech_op *op, size_t *need, int *exact)
{
    cbc_ctx *c = op->ctx;

    *exact = 1;
    *need = 0;
    if (!c->pad)
        return c->buf_len == 0 ? CKR_OK
               : op->purpose == MECH_ENCRYPT ? CKR_DATA_LEN_RANGE
                                             : CKR_ENCRYPTED_DATA_LEN_RANGE;
    if (op->purpose == MECH_ENCRYPT) {
        *need = BLOCK;
        return CKR_OK;
    }
    if (c->buf_len != BLOCK)
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    *need = BLOCK;
    *exact = 0;
    return CKR_OK;
}

/* Number of padding bytes (1..16), or 0 when the padding is invalid;
 * no branch depends on the block's content. */
static size_t padding_len(const uint8_t blk[BLOCK])
{
    unsigned p = blk[BLOCK - 1];
    unsigned bad = ((p - 1u) >> 8) | ((16u - p) >> 8); /* p == 0 or p > 16 */

    for (unsigned i = 0; i < BLOCK; i++) {
        unsigned in_pad = ((BLOCK - 1u - i - p) >> 8) & 1u; /* i >= 16 - p */
        bad |= in_pad * (blk[i] ^ p);
    }
    return bad ? 0 : p;
}

static CK_RV cbc_final(mech_op *op, uint8_t *out, size_t *outlen)
{
    cbc_ctx *c = op->ctx;
    uint8_t blk[BLOCK];
    size_t p;
    CK_RV rv;

    *outlen = 0;
    if (!c->pad)
        return CKR_OK;
    if (op->purpose == MECH_ENCRYPT) {
        memset(c->buf + c->buf_len, (int)(BLOCK - c->buf_len),
               BLOCK - c->buf_len);
        rv = blocks(c, c->buf, BLOCK, out);
        *outlen = rv == CKR_OK ? BLOCK : 0;
        return rv;
    }
    rv = blocks(c, c->buf, BLOCK, blk);
    p = rv == CKR_OK ? padding_len(blk) : 0;
    if (rv == CKR_OK && p == 0)
        rv = CKR_ENCRYPTED_DATA_INVALID;
    if (rv == CKR_OK) {
        memcpy(out, blk, BLOCK - p);
        *outlen = BLOCK - p;
    }
    OPENSSL_cleanse(blk, sizeof(blk));
    return rv;
}

static CK_RV cbc_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                             int *exact)
{
    cbc_ctx *c = op->ctx;

    *exact = 1;
    *need = inlen;
    if (op->purpose == MECH_ENCRYPT) {
        if (c->pad)
            *need = inlen - inlen % BLOCK + BLOCK;
        else if (inlen % BLOCK)
            return CKR_DATA_LEN_RANGE;
        return CKR_OK;
    }
    if (inlen % BLOCK || (c->pad && inlen == 0))
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    *exact = !c->pad;
    return CKR_OK;
}

static CK_RV cbc_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                         uint8_t *out, size_t *outlen)
{
    size_t n1 = 0;
    size_t n2 = 0;
    int exact;
    CK_RV rv = cbc_update(op, in, inlen, out, &n1);

    if (rv == CKR_OK)
        rv = cbc_final_len(op, &n2, &exact);
    if (rv == CKR_OK)
        rv = cbc_final(op, out + n1, &n2);
    if (rv != CKR_OK) {
        if (op->purpose != MECH_ENCRYPT)
            OPENSSL_cleanse(out, n1);
        return rv;
    }
    *outlen = n1 + n2;
    return CKR_OK;
}

const struct mech_ops mech_aes_cbc_ops = {
    .init = cbc_init,
    .oneshot_len = cbc_oneshot_len,
    .oneshot = cbc_oneshot,
    .update_len = cbc_update_len,
    .update = cbc_update,
    .final_len = cbc_final_len,
    .final = cbc_final,
    .cleanup = cbc_cleanup,
};
