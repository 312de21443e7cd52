/* pkcs11/mech/mech_internal.h - what the handlers share inside pkcs11/mech.
 *
 * A row of the table points at a struct mech_ops.  The generic layer
 * (mech_op.c) owns argument checks, the operation state machine and the
 * PKCS#11 output-buffer rules; a handler only ever writes into a buffer
 * that is at least as large as the size it announced.
 */
#ifndef PKCS11_MECH_MECH_INTERNAL_H
#define PKCS11_MECH_MECH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mech.h"

enum op_state {
    OP_FRESH = 0,   /* initialised, nothing done yet */
    OP_ONESHOT,     /* a single-part call was size-queried */
    OP_UPDATING,    /* at least one update was made */
    OP_DONE,        /* finished: only mech_op_free is valid */
};

struct mech_op {
    const mech_row *row;
    enum mech_purpose purpose;
    enum op_state state;
    secbuf pending;      /* a computed result not yet delivered */
    int has_pending;
    void *ctx;           /* handler state (freed by ops->cleanup) */
};

/* Sizes: *need is a size that suffices; *exact says whether it is the
 * precise size (then no result has to be computed to answer a short
 * buffer).  A sizing function may already reject the input
 * (CKR_DATA_LEN_RANGE, ...). */
struct mech_ops {
    CK_RV (*init)(mech_op *op, CK_MECHANISM_PTR m, const mech_key *key);
    CK_RV (*oneshot_len)(mech_op *op, size_t inlen, size_t *need, int *exact);
    CK_RV (*oneshot)(mech_op *op, const uint8_t *in, size_t inlen,
                     uint8_t *out, size_t *outlen);
    /* encrypt/decrypt updates: need is always exact */
    CK_RV (*update_len)(mech_op *op, size_t inlen, size_t *need);
    CK_RV (*update)(mech_op *op, const uint8_t *in, size_t inlen,
                    uint8_t *out, size_t *outlen);
    CK_RV (*final_len)(mech_op *op, size_t *need, int *exact);
    CK_RV (*final)(mech_op *op, uint8_t *out, size_t *outlen);
    CK_RV (*verify)(mech_op *op, const uint8_t *data, size_t len,
                    const uint8_t *sig, size_t siglen);
    CK_RV (*verify_final)(mech_op *op, const uint8_t *sig, size_t siglen);
    void (*cleanup)(mech_op *op);
};
/* Key wrapping has no handler of its own: C_WrapKey is a single-part
 * encryption of the key bytes and C_UnwrapKey a decryption (mech_wrap.c
 * maps the error codes), for every row with MECH_WRAP / MECH_UNWRAP. */

/* mech_op_init without the purpose-vs-row check (wrapping reuses the
 * encrypt/decrypt handlers of rows that allow MECH_WRAP/MECH_UNWRAP). */
CK_RV mech_op_start(mech_op **op, enum mech_purpose purpose,
                    CK_MECHANISM_PTR mechanism, const mech_key *key);

/* Handler tables (one per file). */
extern const struct mech_ops mech_aes_gcm_ops;
extern const struct mech_ops mech_aes_cbc_ops;
extern const struct mech_ops mech_aes_kw_ops;
extern const struct mech_ops mech_rsa_ops;
extern const struct mech_ops mech_ec_ops;
extern const struct mech_ops mech_digest_ops;
extern const struct mech_ops mech_cryppo_aes_ops;
extern const struct mech_ops mech_cryppo_rsa_ops;
extern const struct mech_ops mech_cryppo_sign_ops;

/* ---- cached algorithms (mech_alg.c), fetched once from cryppo_libctx() */
enum mech_md { MD_SHA1, MD_SHA224, MD_SHA256, MD_SHA384, MD_SHA512, MD_COUNT };
enum mech_cipher {
    CIPH_AES128_GCM, CIPH_AES192_GCM, CIPH_AES256_GCM,
    CIPH_AES128_CBC, CIPH_AES192_CBC, CIPH_AES256_CBC,
    CIPH_AES128_KW, CIPH_AES192_KW, CIPH_AES256_KW,
    CIPH_AES128_KWP, CIPH_AES192_KWP, CIPH_AES256_KWP,
    CIPH_COUNT
};

OSSL_LIB_CTX *mech_alg_libctx(void);
/* NULL only if OpenSSL lacks the algorithm. */
const EVP_MD *mech_alg_md(enum mech_md md);
const EVP_CIPHER *mech_alg_cipher(enum mech_cipher c);
/* AES cipher of a family (GCM, CBC, KW, KWP base) for a 16/24/32-byte
 * key; NULL for other lengths. */
const EVP_CIPHER *mech_alg_aes(enum mech_cipher family_128, size_t keylen);
/* CKM_SHA256 / CKG_MGF1_SHA256 -> MD_SHA256; MD_COUNT when unknown. */
/* A cipher context for a GCM operation: a finished one when available
 * (the caller re-initialises it fully with cipher, key and IV), else a
 * new one.  give returns it (kept or freed). */
EVP_CIPHER_CTX *mech_alg_ctx_take(void);
void mech_alg_ctx_give(EVP_CIPHER_CTX *c);
enum mech_md mech_alg_md_from_ckm(CK_MECHANISM_TYPE hash);
enum mech_md mech_alg_md_from_mgf(CK_RSA_PKCS_MGF_TYPE mgf);
size_t mech_alg_md_size(enum mech_md md);

/* ---- small shared helpers (mech_op.c) -------------------------------- */
/* The parameter block as a typed pointer when its length matches. */
#define MECH_PARAM(m, type)                                                  \
    (((m)->pParameter && (m)->ulParameterLen == sizeof(type))                \
         ? (const type *)(m)->pParameter                                     \
         : NULL)
/* A growable byte buffer wiped on free (multi-part input accumulation). */
typedef struct mech_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
} mech_buf;
CK_RV mech_buf_append(mech_buf *b, const uint8_t *in, size_t len);
void mech_buf_free(mech_buf *b);

/* RSA helper used by the Cryppo and wrap code: the key's size in bits
 * within the row's range, else CKR_KEY_SIZE_RANGE. */
CK_RV mech_check_pkey(const mech_row *row, const mech_key *key);

/* CKA_EC_PARAMS (DER namedCurve OID) -> OpenSSL group name ("P-256",
 * "P-384") and the field size in bytes (may be NULL).
 * CKR_DOMAIN_PARAMS_INVALID / CKR_CURVE_NOT_SUPPORTED.  (mech_attr.c) */
CK_RV mech_curve_from_params(const uint8_t *der, size_t len,
                             const char **group, size_t *field_bytes);

#endif /* PKCS11_MECH_MECH_INTERNAL_H */
