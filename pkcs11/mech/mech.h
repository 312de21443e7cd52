/* pkcs11/mech/mech.h - the mechanism layer: (mechanism, parameters, key
 * material, data) -> result, with exact PKCS#11 semantics, over OpenSSL 3.
 *
 * This layer knows nothing of sessions, slots, objects or the account.
 * The caller (pkcs11/core) resolves handles, checks object classes and
 * the CKA_ENCRYPT/CKA_SIGN/... usage attributes (CKR_KEY_FUNCTION_NOT_
 * PERMITTED), then hands key material in a mech_key.  Everything here
 * validates the mechanism, its parameter block, the key type and size,
 * and returns the CK_RV the specification prescribes.
 *
 * All OpenSSL algorithm fetches use cryppo_libctx() (a private
 * OSSL_LIB_CTX) so that a process that loads an OpenSSL PKCS#11 provider
 * pointing at this very module cannot recurse into it.  Algorithms are
 * fetched once and cached.  Every function is thread-safe; a mech_op is
 * used by one thread at a time (the session lock guards it).
 *
 * Output buffers follow PKCS#11 3.0 section 5.2 everywhere:
 *   out == NULL        -> CKR_OK, *outlen = size that suffices; nothing
 *                         is consumed, the operation stays active.
 *   *outlen too small  -> CKR_BUFFER_TOO_SMALL, *outlen = size needed;
 *                         nothing is consumed, the operation stays active.
 *   success            -> CKR_OK, *outlen = bytes written.
 * When a result had to be computed to learn its size (RSA decryption,
 * Cryppo strings), it is computed once and cached in the op: the next
 * call returns exactly the same bytes (never re-encrypts with a new IV
 * or re-signs with a new salt).
 */
#ifndef PKCS11_MECH_MECH_H
#define PKCS11_MECH_MECH_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>
#include <pkcs11t.h>          /* /usr/include/nss (PKCS#11 3.0 layout) */

#include "meeco-pkcs11.h"
#include "secbuf.h"

/* PKCS#11 3.0 renamed 0x210A; both numbers are accepted (same RFC 5649). */
#ifndef CKM_AES_KEY_WRAP_PAD
#define CKM_AES_KEY_WRAP_PAD 0x0000210AUL
#endif
#ifndef CKM_AES_KEY_WRAP_KWP
#define CKM_AES_KEY_WRAP_KWP 0x0000210BUL
#endif

/* ---- purposes ---------------------------------------------------------
 * A bit set in the table; mech_op_init takes exactly one of the first
 * five.  The core maps them to usage attributes (CKA_ENCRYPT, ...). */
enum mech_purpose {
    MECH_ENCRYPT = 1u << 0,
    MECH_DECRYPT = 1u << 1,
    MECH_SIGN = 1u << 2,
    MECH_VERIFY = 1u << 3,
    MECH_DIGEST = 1u << 4,
    MECH_WRAP = 1u << 5,
    MECH_UNWRAP = 1u << 6,
    MECH_GENERATE = 1u << 7,          /* C_GenerateKey */
    MECH_GENERATE_KEY_PAIR = 1u << 8, /* C_GenerateKeyPair */
};

/* The row's key_type when the mechanism takes no key (digests, keygen). */
#define MECH_NO_KEY ((CK_KEY_TYPE)~0UL)

struct mech_ops; /* private: the handler behind a row */

/* ---- the mechanism table (data, one row per mechanism) ----------------
 * min_key/max_key are in the units CK_MECHANISM_INFO uses: bytes for AES,
 * bits for RSA and EC.  flags are the CKF_* of C_GetMechanismInfo.
 * multipart is non-zero when C_*Update/C_*Final are allowed. */
typedef struct mech_row {
    CK_MECHANISM_TYPE type;
    const char *name;           /* "CKM_AES_GCM" (logs, tests) */
    CK_ULONG min_key;
    CK_ULONG max_key;
    CK_FLAGS flags;
    CK_KEY_TYPE key_type;       /* CKK_AES, CKK_RSA, CKK_EC or MECH_NO_KEY */
    unsigned purposes;          /* enum mech_purpose bits */
    int multipart;
    const struct mech_ops *ops;
} mech_row;

/* C_GetMechanismList semantics: list == NULL -> *count = number of rows,
 * CKR_OK; *count too small -> CKR_BUFFER_TOO_SMALL with *count set. */
CK_RV mech_list(CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count);
/* C_GetMechanismInfo: CKR_MECHANISM_INVALID for an unknown type. */
CK_RV mech_get_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info);
/* The row of a mechanism, or NULL. */
const mech_row *mech_lookup(CK_MECHANISM_TYPE type);
/* "CKM_AES_GCM" or "CKM_?" (never NULL). */
const char *mech_name(CK_MECHANISM_TYPE type);

/* ---- key material -----------------------------------------------------
 * AES (CKK_AES): secret/secret_len = CKA_VALUE, pkey = NULL.
 * RSA/EC (CKK_RSA/CKK_EC): pkey = the private or public key; the core
 * has already checked the object class (private for sign/decrypt/unwrap,
 * public for verify/encrypt/wrap).  mech_* never keep the caller's
 * pointers: ops copy secret bytes into wiped memory and take their own
 * reference on pkey. */
typedef struct mech_key {
    CK_KEY_TYPE type;
    const uint8_t *secret;
    size_t secret_len;
    EVP_PKEY *pkey;
} mech_key;

/* ---- operations (C_Encrypt*, C_Decrypt*, C_Sign*, C_Verify*, C_Digest*)
 *
 * Lifecycle: mech_op_init, then either one mech_op_oneshot (C_Encrypt,
 * C_Decrypt, C_Sign, C_Digest) or mech_op_verify (C_Verify), or any
 * number of mech_op_update then mech_op_final / mech_op_verify_final.
 * After every call, the caller asks mech_op_active(op): 0 means the
 * operation has ended (success, or an error that terminates it per 5.2)
 * and the caller must mech_op_free it and clear the session's slot.
 * A size query or CKR_BUFFER_TOO_SMALL leaves it active.
 *
 * mech_op_init returns CKR_MECHANISM_INVALID (unknown mechanism or not
 * for this purpose), CKR_MECHANISM_PARAM_INVALID (bad/missing
 * parameter block, IV length, tag bits, OAEP hash/MGF mismatch, ...),
 * CKR_KEY_TYPE_INCONSISTENT, CKR_KEY_SIZE_RANGE, CKR_HOST_MEMORY,
 * CKR_ARGUMENTS_BAD (NULL pointers).  key is NULL for MECH_DIGEST. */
typedef struct mech_op mech_op;

CK_RV mech_op_init(mech_op **op, enum mech_purpose purpose,
                   CK_MECHANISM_PTR mechanism, const mech_key *key);

/* Single-part encrypt/decrypt/sign/digest of in[inlen] into out.
 * Errors: CKR_DATA_LEN_RANGE (plaintext too long or, for block modes, not
 * a multiple of the block size), CKR_ENCRYPTED_DATA_LEN_RANGE,
 * CKR_ENCRYPTED_DATA_INVALID (bad padding, bad GCM tag, bad Cryppo
 * string: no plaintext is ever released), CKR_OPERATION_ACTIVE (an
 * update was already made), CKR_FUNCTION_FAILED (OpenSSL failure). */
CK_RV mech_op_oneshot(mech_op *op, const CK_BYTE *in, CK_ULONG inlen,
                      CK_BYTE_PTR out, CK_ULONG_PTR outlen);

/* Multi-part step.  Encrypt/decrypt: out/outlen receive the output of
 * this part (5.2 semantics; GCM decryption outputs nothing until final,
 * so *outlen = 0).  Sign/verify/digest: out and outlen are ignored (may
 * be NULL).  A single-part-only mechanism (RSA raw/OAEP/PSS, ECDSA,
 * AES key wrap, Cryppo) returns CKR_FUNCTION_NOT_SUPPORTED here, which
 * like any error ends the operation (5.2).  CKR_OPERATION_ACTIVE (an
 * update after a single-part size query, or the reverse) does not. */
CK_RV mech_op_update(mech_op *op, const CK_BYTE *in, CK_ULONG inlen,
                     CK_BYTE_PTR out, CK_ULONG_PTR outlen);

/* Multi-part end: remaining ciphertext / plaintext / signature / digest. */
CK_RV mech_op_final(mech_op *op, CK_BYTE_PTR out, CK_ULONG_PTR outlen);

/* C_Verify: CKR_OK, CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE
 * (always ends the operation). */
CK_RV mech_op_verify(mech_op *op, const CK_BYTE *data, CK_ULONG len,
                     const CK_BYTE *sig, CK_ULONG siglen);
/* C_VerifyFinal after mech_op_update calls. */
CK_RV mech_op_verify_final(mech_op *op, const CK_BYTE *sig, CK_ULONG siglen);

/* Non-zero while the operation accepts further calls. */
int mech_op_active(const mech_op *op);
enum mech_purpose mech_op_purpose(const mech_op *op);
CK_MECHANISM_TYPE mech_op_mechanism(const mech_op *op);
/* Wipes and frees; NULL is fine. */
void mech_op_free(mech_op *op);

/* Free the cipher contexts kept for reuse between operations (they hold
 * the key schedule of their last message).  Call from C_Finalize; safe
 * at any time, the cache refills on demand. */
void mech_release_cache(void);

/* ---- key generation -----------------------------------------------------
 * CKM_AES_KEY_GEN: value_len 16, 24 or 32 (else CKR_KEY_SIZE_RANGE);
 * CKR_TEMPLATE_INCOMPLETE is the core's when CKA_VALUE_LEN is missing. */
CK_RV mech_generate_key(CK_MECHANISM_PTR mechanism, CK_ULONG value_len,
                        secbuf *out);

/* What C_GenerateKeyPair's public template says about the new pair. */
typedef struct mech_keypair_params {
    CK_ULONG modulus_bits;          /* RSA: CKA_MODULUS_BITS (1024..8192) */
    const uint8_t *public_exponent; /* RSA: big-endian; NULL -> 65537 */
    size_t public_exponent_len;
    const uint8_t *ec_params;       /* EC: CKA_EC_PARAMS (DER OID) */
    size_t ec_params_len;
} mech_keypair_params;

/* CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_EC_KEY_PAIR_GEN (P-256, P-384).
 * *out is a new private EVP_PKEY (public half included).  Errors:
 * CKR_KEY_SIZE_RANGE, CKR_ATTRIBUTE_VALUE_INVALID (even or < 3 exponent),
 * CKR_CURVE_NOT_SUPPORTED, CKR_DOMAIN_PARAMS_INVALID. */
CK_RV mech_generate_keypair(CK_MECHANISM_PTR mechanism,
                            const mech_keypair_params *params,
                            EVP_PKEY **out);

/* C_GenerateRandom (CKR_OK or CKR_FUNCTION_FAILED). */
CK_RV mech_random(CK_BYTE_PTR out, CK_ULONG len);

/* ---- key wrapping -------------------------------------------------------
 * C_WrapKey: wrap key[keylen] (the raw CKA_VALUE of a secret key) under
 * wrapping.  Mechanisms: CKM_AES_KEY_WRAP (keylen multiple of 8, >= 16,
 * else CKR_KEY_SIZE_RANGE), CKM_AES_KEY_WRAP_PAD / _KWP, CKM_RSA_PKCS_OAEP,
 * CKM_RSA_PKCS, CKM_MEECO_CRYPPO_RSA ("Rsa4096.<ct>.QQUAAAAA").
 * Output: 5.2 semantics; a size query or a too-small buffer loses
 * nothing (the function is stateless; sizes are exact).
 * CKR_WRAPPING_KEY_TYPE_INCONSISTENT, CKR_WRAPPING_KEY_SIZE_RANGE. */
CK_RV mech_wrap(CK_MECHANISM_PTR mechanism, const mech_key *wrapping,
                const uint8_t *key, size_t keylen,
                CK_BYTE_PTR out, CK_ULONG_PTR outlen);

/* C_UnwrapKey: the raw key bytes into *key (a new secbuf).  Errors:
 * CKR_WRAPPED_KEY_INVALID (integrity check / padding / Cryppo string),
 * CKR_WRAPPED_KEY_LEN_RANGE, CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT,
 * CKR_UNWRAPPING_KEY_SIZE_RANGE. */
CK_RV mech_unwrap(CK_MECHANISM_PTR mechanism, const mech_key *unwrapping,
                  const uint8_t *wrapped, size_t len, secbuf *key);

#endif /* PKCS11_MECH_MECH_H */
