/* pkcs11/mech/mech_aes_kw.c - AES key wrap: CKM_AES_KEY_WRAP (RFC 3394)
 * and CKM_AES_KEY_WRAP_PAD / CKM_AES_KEY_WRAP_KWP (RFC 5649), single-part.
 *
 * Parameter: none (the RFC's default IV), or an explicit IV of 8 bytes
 * (RFC 3394) / 4 bytes (RFC 5649 alternative initial value).
 * Encryption is wrapping: KW takes 16+ bytes in multiples of 8, KWP any
 * non-empty input.  A failed integrity check is CKR_ENCRYPTED_DATA_INVALID
 * (CKR_WRAPPED_KEY_INVALID through C_UnwrapKey).
 */
#include "mech_internal.h"

#include <stdlib.h>

#include <openssl/evp.h>

#define SEMIBLOCK 8

typedef struct kw_ctx {
    EVP_CIPHER_CTX *c;
    int pad;
} kw_ctx;

static CK_RV kw_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    int pad = m->mechanism != CKM_AES_KEY_WRAP;
    enum mech_cipher family = pad ? CIPH_AES128_KWP : CIPH_AES128_KW;
    const EVP_CIPHER *cipher = mech_alg_aes(family, key->secret_len);
    size_t iv_len = pad ? 4 : 8;
    kw_ctx *k;

    if (m->ulParameterLen != 0 &&
        (!m->pParameter || m->ulParameterLen != iv_len))
        return CKR_MECHANISM_PARAM_INVALID;
    if (!cipher)
        return CKR_KEY_SIZE_RANGE;
    k = calloc(1, sizeof(*k));
    if (!k)
        return CKR_HOST_MEMORY;
    op->ctx = k;
    k->pad = pad;
    k->c = EVP_CIPHER_CTX_new();
    if (!k->c)
        return CKR_HOST_MEMORY;
    EVP_CIPHER_CTX_set_flags(k->c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (!EVP_CipherInit_ex2(k->c, cipher, key->secret,
                            m->ulParameterLen ? m->pParameter : NULL,
                            op->purpose == MECH_ENCRYPT, NULL))
        return CKR_FUNCTION_FAILED;
    return CKR_OK;
}

static void kw_cleanup(mech_op *op)
{
    kw_ctx *k = op->ctx;

    if (!k)
        return;
    EVP_CIPHER_CTX_free(k->c);
    free(k);
    op->ctx = NULL;
}

static CK_RV kw_oneshot_len(mech_op *op, size_t inlen, size_t *need,
                            int *exact)
{
    kw_ctx *k = op->ctx;

    *exact = 1;
    if (inlen > (size_t)INT32_MAX - 2 * SEMIBLOCK)
        return op->purpose == MECH_ENCRYPT ? CKR_DATA_LEN_RANGE
                                           : CKR_ENCRYPTED_DATA_LEN_RANGE;
    if (op->purpose == MECH_ENCRYPT) {
        if (k->pad ? inlen == 0 : (inlen < 16 || inlen % SEMIBLOCK))
            return CKR_DATA_LEN_RANGE;
        *need = (inlen + SEMIBLOCK - 1) / SEMIBLOCK * SEMIBLOCK + SEMIBLOCK;
        return CKR_OK;
    }
    if (inlen % SEMIBLOCK || inlen < (k->pad ? 16u : 24u))
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    /* RFC 5649: at most inlen - 8 bytes of key, but OpenSSL's
     * CRYPTO_128_unwrap_pad wipes inlen bytes of its output buffer when
     * the integrity check fails, so it must be handed inlen bytes. */
    *need = k->pad ? inlen : inlen - SEMIBLOCK;
    *exact = !k->pad;
    return CKR_OK;
}

static CK_RV kw_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                        uint8_t *out, size_t *outlen)
{
    kw_ctx *k = op->ctx;
    int n = 0;

    if (EVP_CipherUpdate(k->c, out, &n, in, (int)inlen) <= 0 || n < 0)
        return op->purpose == MECH_ENCRYPT ? CKR_FUNCTION_FAILED
                                           : CKR_ENCRYPTED_DATA_INVALID;
    *outlen = (size_t)n;
    return CKR_OK;
}

const struct mech_ops mech_aes_kw_ops = {
    .init = kw_init,
    .oneshot_len = kw_oneshot_len,
    .oneshot = kw_oneshot,
    .cleanup = kw_cleanup,
};
