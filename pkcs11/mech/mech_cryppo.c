/* pkcs11/mech/mech_cryppo.c - the Meeco vendor mechanisms (see
 * include/meeco-pkcs11.h), single-part, over the cryppo library:
 *
 *   CKM_MEECO_CRYPPO_AES_GCM  encrypt -> "Aes256Gcm.<ct>.<artefacts>",
 *                             decrypt such a string (32-byte keys only)
 *   CKM_MEECO_CRYPPO_RSA      encrypt (<= k - 42 bytes, 470 for RSA-4096)
 *                             -> "Rsa4096.<ct>.QQUAAAAA", decrypt one;
 *                             also C_WrapKey / C_UnwrapKey (mech_wrap.c)
 *   CKM_MEECO_CRYPPO_SIGN     sign (<= 512 bytes) -> "Sign.Rsa4096.<sig>.
 *                             <data>"; verify(data, string) checks the
 *                             signature and that the embedded data == data
 *
 * Outputs carry a random IV / OAEP seed, so their sizes are announced as
 * bounds and the generic layer computes them once (mech_op.c).  Any
 * string cryppo cannot parse or authenticate is CKR_ENCRYPTED_DATA_INVALID
 * (CKR_SIGNATURE_INVALID for signatures); no plaintext is released.
 */
#include "mech_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cryppo.h"

/* Generous room for "<strategy>." prefixes and the artefacts part. */
#define STRING_SLACK 256
#define OAEP_SHA1_OVERHEAD 42

typedef struct cryppo_ctx {
    uint8_t key[CRYPPO_AES_KEY_LEN]; /* AES */
    EVP_PKEY *pkey;                  /* RSA (own reference) */
} cryppo_ctx;

static CK_RV ckr_of(cryppo_status st, CK_RV otherwise)
{
    if (st == CRYPPO_OK)
        return CKR_OK;
    if (st == CRYPPO_ERR_NOMEM)
        return CKR_HOST_MEMORY;
    return otherwise;
}

/* The input as a C string; NULL if it holds a NUL (never a valid
 * Cryppo string) or memory runs out. */
static char *cstring(const uint8_t *in, size_t len)
{
    char *s;

    if (memchr(in, 0, len))
        return NULL;
    s = malloc(len + 1);
    if (!s)
        return NULL;
    memcpy(s, in, len);
    s[len] = '\0';
    return s;
}

/* Copy a produced string into out (room: cap bytes). */
static CK_RV emit_string(char *s, uint8_t *out, size_t cap, size_t *outlen)
{
    size_t len = strlen(s);
    CK_RV rv = CKR_FUNCTION_FAILED;

    if (len <= cap) {
        memcpy(out, s, len);
        *outlen = len;
        rv = CKR_OK;
    }
    free(s);
    return rv;
}

static CK_RV emit_secret(secbuf *pt, uint8_t *out, size_t cap, size_t *outlen)
{
    CK_RV rv = CKR_FUNCTION_FAILED;

    if (pt->len <= cap) {
        memcpy(out, pt->p, pt->len);
        *outlen = pt->len;
        rv = CKR_OK;
    }
    secbuf_free(pt);
    return rv;
}

static CK_RV cryppo_init(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key)
{
    cryppo_ctx *c;

    if (m->pParameter || m->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    c = calloc(1, sizeof(*c));
    if (!c)
        return CKR_HOST_MEMORY;
    op->ctx = c;
    if (key->type == CKK_AES) {
        memcpy(c->key, key->secret, sizeof(c->key));
        return CKR_OK;
    }
    if (!EVP_PKEY_up_ref(key->pkey))
        return CKR_FUNCTION_FAILED;
    c->pkey = key->pkey;
    return CKR_OK;
}

static void cryppo_cleanup(mech_op *op)
{
    cryppo_ctx *c = op->ctx;

    if (!c)
        return;
    EVP_PKEY_free(c->pkey);
    OPENSSL_cleanse(c, sizeof(*c));
    free(c);
    op->ctx = NULL;
}

/* ---- CKM_MEECO_CRYPPO_AES_GCM ------------------------------------------ */

static CK_RV aes_len(mech_op *op, size_t inlen, size_t *need, int *exact)
{
    *exact = 0;
    if (op->purpose == MECH_DECRYPT) {
        if (inlen == 0)
            return CKR_ENCRYPTED_DATA_LEN_RANGE;
        *need = inlen; /* the plaintext is shorter than its base64 */
        return CKR_OK;
    }
    if (inlen > (SIZE_MAX - STRING_SLACK) / 2)
        return CKR_DATA_LEN_RANGE;
    *need = cryppo_b64url_encoded_len(inlen) + STRING_SLACK;
    return CKR_OK;
}

static CK_RV aes_run(mech_op *op, const uint8_t *in, size_t inlen,
                     uint8_t *out, size_t *outlen)
{
    cryppo_ctx *c = op->ctx;
    size_t cap = *outlen;
    cryppo_status st;
    secbuf pt = {0};
    char *s = NULL;

    if (op->purpose == MECH_ENCRYPT) {
        st = cryppo_aes_encrypt(c->key, in, inlen, &s);
        if (st != CRYPPO_OK)
            return ckr_of(st, CKR_FUNCTION_FAILED);
        return emit_string(s, out, cap, outlen);
    }
    s = cstring(in, inlen);
    if (!s)
        return CKR_ENCRYPTED_DATA_INVALID;
    st = cryppo_aes_decrypt(c->key, s, &pt);
    free(s);
    if (st != CRYPPO_OK)
        return ckr_of(st, CKR_ENCRYPTED_DATA_INVALID);
    return emit_secret(&pt, out, cap, outlen);
}

const struct mech_ops mech_cryppo_aes_ops = {
    .init = cryppo_init,
    .oneshot_len = aes_len,
    .oneshot = aes_run,
    .cleanup = cryppo_cleanup,
};

/* ---- CKM_MEECO_CRYPPO_RSA ---------------------------------------------- */

static CK_RV rsa_len(mech_op *op, size_t inlen, size_t *need, int *exact)
{
    cryppo_ctx *c = op->ctx;
    size_t k = (size_t)EVP_PKEY_get_size(c->pkey);

    *exact = 0;
    if (op->purpose == MECH_DECRYPT) {
        if (inlen == 0)
            return CKR_ENCRYPTED_DATA_LEN_RANGE;
        *need = inlen;
        return CKR_OK;
    }
    if (inlen > k - OAEP_SHA1_OVERHEAD)
        return CKR_DATA_LEN_RANGE;
    *need = cryppo_b64url_encoded_len(k) + STRING_SLACK;
    return CKR_OK;
}

static CK_RV rsa_run(mech_op *op, const uint8_t *in, size_t inlen,
                     uint8_t *out, size_t *outlen)
{
    cryppo_ctx *c = op->ctx;
    size_t cap = *outlen;
    cryppo_status st;
    secbuf pt = {0};
    char *s = NULL;

    if (op->purpose == MECH_ENCRYPT) {
        st = cryppo_rsa_encrypt(c->pkey, in, inlen, &s);
        if (st != CRYPPO_OK)
            return ckr_of(st, st == CRYPPO_ERR_TOO_LARGE
                                  ? CKR_DATA_LEN_RANGE
                                  : CKR_FUNCTION_FAILED);
        return emit_string(s, out, cap, outlen);
    }
    s = cstring(in, inlen);
    if (!s)
        return CKR_ENCRYPTED_DATA_INVALID;
    st = cryppo_rsa_decrypt(c->pkey, s, &pt);
    free(s);
    if (st != CRYPPO_OK)
        return ckr_of(st, st == CRYPPO_ERR_KEY_TYPE
                              ? CKR_KEY_TYPE_INCONSISTENT
                              : CKR_ENCRYPTED_DATA_INVALID);
    return emit_secret(&pt, out, cap, outlen);
}

const struct mech_ops mech_cryppo_rsa_ops = {
    .init = cryppo_init,
    .oneshot_len = rsa_len,
    .oneshot = rsa_run,
    .cleanup = cryppo_cleanup,
};

/* ---- CKM_MEECO_CRYPPO_SIGN --------------------------------------------- */

static CK_RV sign_len(mech_op *op, size_t inlen, size_t *need, int *exact)
{
    cryppo_ctx *c = op->ctx;
    size_t k = (size_t)EVP_PKEY_get_size(c->pkey);

    *exact = 0;
    if (inlen > CRYPPO_SIGN_MAX_DATA)
        return CKR_DATA_LEN_RANGE;
    *need = cryppo_b64url_encoded_len(k) + cryppo_b64url_encoded_len(inlen) +
            STRING_SLACK;
    return CKR_OK;
}

static CK_RV sign_run(mech_op *op, const uint8_t *in, size_t inlen,
                      uint8_t *out, size_t *outlen)
{
    cryppo_ctx *c = op->ctx;
    char *s = NULL;
    cryppo_status st = cryppo_sign(c->pkey, in, inlen, &s);

    if (st != CRYPPO_OK)
        return ckr_of(st, st == CRYPPO_ERR_KEY_TYPE ? CKR_KEY_TYPE_INCONSISTENT
                                                    : CKR_FUNCTION_FAILED);
    return emit_string(s, out, *outlen, outlen);
}

static CK_RV sign_verify(mech_op *op, const uint8_t *data, size_t len,
                         const uint8_t *sig, size_t siglen)
{
    cryppo_ctx *c = op->ctx;
    secbuf signed_data = {0};
    cryppo_status st;
    CK_RV rv = CKR_SIGNATURE_INVALID;
    char *s;

    if (len > CRYPPO_SIGN_MAX_DATA)
        return CKR_DATA_LEN_RANGE;
    s = cstring(sig, siglen);
    if (!s)
        return CKR_SIGNATURE_INVALID;
    st = cryppo_verify(c->pkey, s, &signed_data);
    free(s);
    if (st == CRYPPO_ERR_NOMEM)
        rv = CKR_HOST_MEMORY;
    else if (st == CRYPPO_OK && signed_data.len == len &&
             (len == 0 || CRYPTO_memcmp(signed_data.p, data, len) == 0))
        rv = CKR_OK;
    secbuf_free(&signed_data);
    return rv;
}

const struct mech_ops mech_cryppo_sign_ops = {
    .init = cryppo_init,
    .oneshot_len = sign_len,
    .oneshot = sign_run,
    .verify = sign_verify,
    .cleanup = cryppo_cleanup,
};
