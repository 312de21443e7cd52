/* cryppo/cryppo.h - Meeco's Cryppo format over OpenSSL 3.
 *
 * Byte-compatible with @meeco/cryppo 2.0.2 and the Ruby reference
 * (see ../shared/docs/meeco-protocol.md sections 1 and 2):
 *
 *   Aes256Gcm.<b64url ciphertext>.<b64url 'A'+BSON{iv,at,ad}>
 *   Aes256Gcm.<ct>.<artefacts>.Pbkdf2Hmac.<b64url 'K'+BSON{iv,i,l[,hash]}>
 *   Rsa4096.<b64url 512-byte OAEP-SHA1 ciphertext>.QQUAAAAA
 *   Sign.Rsa4096.<b64url PKCS#1 v1.5 SHA-256 signature>.<b64url data>
 *
 * All functions are thread-safe; the only process-wide state is a private
 * OpenSSL library context created once (cryppo_libctx()).  Every function
 * that decrypts or verifies returns a status the caller must check.
 * Output buffers that may hold plaintext or keys are secbufs (wiped on
 * free).  Strings returned as char * are heap allocated: free with free().
 */
#ifndef CRYPPO_CRYPPO_H
#define CRYPPO_CRYPPO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "secbuf.h"

#define CRYPPO_MUST_CHECK __attribute__((warn_unused_result))

typedef enum cryppo_status {
    CRYPPO_OK = 0,
    CRYPPO_ERR_ARGS,              /* NULL pointer, wrong key length, ... */
    CRYPPO_ERR_NOMEM,             /* allocation failed */
    CRYPPO_ERR_BASE64,            /* a part is not (url-safe) base64 */
    CRYPPO_ERR_BASE58,            /* character outside the Bitcoin alphabet */
    CRYPPO_ERR_FORMAT,            /* wrong number of parts, empty part ... */
    CRYPPO_ERR_UNKNOWN_STRATEGY,  /* strategy name not supported */
    CRYPPO_ERR_UNKNOWN_KDF,       /* derivation strategy not supported */
    CRYPPO_ERR_ARTEFACTS,         /* artefacts not valid BSON/YAML */
    CRYPPO_ERR_ARTEFACT_VERSION,  /* version byte is not 'A' / 'K' */
    CRYPPO_ERR_IV,                /* iv missing or not 12 bytes */
    CRYPPO_ERR_TAG,               /* auth tag missing or not 16 bytes */
    CRYPPO_ERR_KDF_PARAMS,        /* salt/iterations/length missing/out of range */
    CRYPPO_ERR_TOO_LARGE,         /* input longer than the format allows */
    CRYPPO_ERR_DECRYPT,           /* wrong key or tampered data/tag/iv/ad */
    CRYPPO_ERR_KEY,               /* unusable key / PEM cannot be parsed */
    CRYPPO_ERR_KEY_TYPE,          /* key is of the wrong kind (e.g. public for private) */
    CRYPPO_ERR_SIGNATURE,         /* signature does not verify */
    CRYPPO_ERR_SECRET_FORMAT,     /* Meeco secret key malformed */
    CRYPPO_ERR_CRYPTO,            /* unexpected OpenSSL failure */
    CRYPPO_STATUS_COUNT
} cryppo_status;

/* A short English message for each status ("bad base64 in a part", ...). */
const char *cryppo_strerror(cryppo_status st);
/* The enum's name, e.g. "CRYPPO_ERR_DECRYPT" (for logs and tests). */
const char *cryppo_status_name(cryppo_status st);

/* The private OpenSSL library context (default provider loaded) that all
 * cryppo operations use, so that a process whose default context loads a
 * PKCS#11 provider cannot recurse into us.  Created once, thread-safe. */
OSSL_LIB_CTX *cryppo_libctx(void);

/* ---- encodings ------------------------------------------------------ */

/* Padded url-safe base64.  Returns a malloc'd NUL-terminated string. */
CRYPPO_MUST_CHECK cryppo_status cryppo_b64url_encode(const uint8_t *in, size_t len,
                                   char **out);
/* Size of the encoded text without NUL for len input bytes. */
size_t cryppo_b64url_encoded_len(size_t len);
/* Decode url-safe base64; padding optional; any char outside [A-Za-z0-9-_]
 * (or misplaced '=', or non-zero unused trailing bits) is
 * CRYPPO_ERR_BASE64, so decoding is the exact inverse of encoding.
 * Output in a secbuf. */
CRYPPO_MUST_CHECK cryppo_status cryppo_b64url_decode(const char *in, size_t len,
                                   secbuf *out);
/* Base58 (Bitcoin alphabet); leading zero bytes become '1'. */
CRYPPO_MUST_CHECK cryppo_status cryppo_base58_encode(const uint8_t *in, size_t len,
                                   char **out);
CRYPPO_MUST_CHECK cryppo_status cryppo_base58_decode(const char *in, secbuf *out);

/* ---- randomness ----------------------------------------------------- */
CRYPPO_MUST_CHECK cryppo_status cryppo_random(uint8_t *out, size_t len);

/* ---- AES-256-GCM ---------------------------------------------------- */

#define CRYPPO_AES_KEY_LEN 32
#define CRYPPO_GCM_IV_LEN  12
#define CRYPPO_GCM_TAG_LEN 16

/* Encrypt with a 32-byte key; returns "Aes256Gcm.<ct>.<artefacts>" with
 * a random IV and AAD "none" (artefacts 'A' + BSON iv, at, ad). */
CRYPPO_MUST_CHECK cryppo_status cryppo_aes_encrypt(const uint8_t key[32],
                                 const uint8_t *pt, size_t pt_len,
                                 char **serialized);
/* Parse a 3-part Aes256Gcm string (BSON or legacy YAML artefacts) and
 * decrypt it with a 32-byte key.  The ad artefact is used as AAD. */
CRYPPO_MUST_CHECK cryppo_status cryppo_aes_decrypt(const uint8_t key[32],
                                 const char *serialized, secbuf *pt);

/* ---- passphrase-derived (Pbkdf2Hmac) -------------------------------- */

/* PBKDF2-HMAC-SHA256.  out_len bytes into out. */
CRYPPO_MUST_CHECK cryppo_status cryppo_pbkdf2_sha256(const uint8_t *pass, size_t pass_len,
                                   const uint8_t *salt, size_t salt_len,
                                   uint32_t iterations, uint8_t *out,
                                   size_t out_len);
/* 5-part string: random 20-byte salt, 20000..21999 iterations, 32 bytes. */
CRYPPO_MUST_CHECK cryppo_status cryppo_passphrase_encrypt(const char *passphrase,
                                        const uint8_t *pt, size_t pt_len,
                                        char **serialized);
/* Decrypt a 5-part string with a passphrase (salt, iterations, length and
 * hash taken from the derivation artefacts; hash defaults to SHA256). */
CRYPPO_MUST_CHECK cryppo_status cryppo_passphrase_decrypt(const char *passphrase,
                                        const char *serialized, secbuf *pt);

/* ---- RSA-4096 (keys, OAEP, signatures) ------------------------------ */

/* Generate an RSA key pair (bits 2048..8192, normally 4096, e = 65537). */
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_generate(int bits, EVP_PKEY **out);
/* PEM out: private as PKCS#1 "RSA PRIVATE KEY", public as SPKI
 * "PUBLIC KEY" (what Meeco clients require).  Private PEM in a secbuf. */
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_private_to_pem(EVP_PKEY *key, secbuf *pem);
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_public_to_pem(EVP_PKEY *key, char **pem);
/* PEM in: PKCS#1, PKCS#8 or SPKI/PKCS#1 public.  Returns an EVP_PKEY
 * owned by the caller (EVP_PKEY_free). */
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_private_from_pem(const char *pem, size_t len,
                                          EVP_PKEY **out);
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_public_from_pem(const char *pem, size_t len,
                                         EVP_PKEY **out);

/* RSA-OAEP (SHA-1, MGF1-SHA-1, empty label): "Rsa<bits>.<ct>.QQUAAAAA". */
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_encrypt(EVP_PKEY *pub, const uint8_t *pt,
                                 size_t pt_len, char **serialized);
CRYPPO_MUST_CHECK cryppo_status cryppo_rsa_decrypt(EVP_PKEY *priv, const char *serialized,
                                 secbuf *pt);

/* "Sign.Rsa4096.<sig>.<data>" (RSASSA-PKCS1-v1_5 + SHA-256, data <= 512). */
#define CRYPPO_SIGN_MAX_DATA 512
CRYPPO_MUST_CHECK cryppo_status cryppo_sign(EVP_PKEY *priv, const uint8_t *data, size_t len,
                          char **serialized);
/* Verify; on success *data receives the signed data (may be NULL). */
CRYPPO_MUST_CHECK cryppo_status cryppo_verify(EVP_PKEY *pub, const char *serialized,
                            secbuf *data);

/* ---- generic parsed form (for the fuzzer, the CLI and tests) -------- */

typedef enum cryppo_kind {
    CRYPPO_KIND_AES256GCM,      /* 3 parts */
    CRYPPO_KIND_AES256GCM_PBKDF2, /* 5 parts */
    CRYPPO_KIND_RSA,            /* 3 parts, Rsa<bits> */
    CRYPPO_KIND_SIGNATURE,      /* 4 parts */
} cryppo_kind;

typedef struct cryppo_parsed {
    cryppo_kind kind;
    int rsa_bits;               /* for RSA / signature strategies */
    secbuf data;                /* ciphertext, or signature */
    secbuf signed_data;         /* signatures only */
    uint8_t iv[CRYPPO_GCM_IV_LEN];
    uint8_t tag[CRYPPO_GCM_TAG_LEN];
    char *ad;                   /* AAD text (malloc'd), AES only */
    int legacy_yaml;            /* artefacts were legacy YAML */
    /* derivation (5-part) */
    secbuf salt;
    uint32_t iterations;
    uint32_t key_len;
    char hash[16];              /* "SHA256" by default */
} cryppo_parsed;

/* Parse any Cryppo string without decrypting.  Frees nothing in *out on
 * failure (it is left zeroed).  Release with cryppo_parsed_free. */
CRYPPO_MUST_CHECK cryppo_status cryppo_parse(const char *serialized, size_t len,
                           cryppo_parsed *out);
void cryppo_parsed_free(cryppo_parsed *p);
/* Serialize a parsed value back to its string (BSON artefacts, padded
 * base64url; AES artefacts in the order iv, at, ad; derivation artefacts
 * iv, i, l, hash).  For canonical input, cryppo_serialize(cryppo_parse(s))
 * reproduces s byte for byte (required for signatures). */
CRYPPO_MUST_CHECK cryppo_status cryppo_serialize(const cryppo_parsed *p, char **serialized);

/* ---- Meeco Secret Key v1 (protocol doc section 2) ------------------- */

#define MEECO_DERIVATION_ITERATIONS 100000

typedef struct cryppo_secret {
    char *version;     /* "1" */
    char *username;
    char *key;         /* hyphen-free base58 text (the PBKDF2 salt) */
} cryppo_secret;

/* "1.<username>.<base58(32 random bytes) grouped by 6 with '-'>". */
CRYPPO_MUST_CHECK cryppo_status cryppo_secret_generate(const char *username, char **secret);
CRYPPO_MUST_CHECK cryppo_status cryppo_secret_parse(const char *secret, cryppo_secret *out);
void cryppo_secret_free(cryppo_secret *s);
/* PDK = PBKDF2-SHA256(UTF-8 passphrase, salt = key text, 100000, 32). */
CRYPPO_MUST_CHECK cryppo_status cryppo_secret_derive_pdk(const cryppo_secret *s,
                                       const char *passphrase,
                                       uint8_t pdk[32]);
/* SRP password = UTF-8 expansion (each byte as a Latin-1 code point) of
 * PBKDF2-SHA256(passphrase, reversed key text, 100000, 32): 32..64 bytes. */
CRYPPO_MUST_CHECK cryppo_status cryppo_secret_derive_srp_password(const cryppo_secret *s,
                                                const char *passphrase,
                                                secbuf *password);

#endif /* CRYPPO_CRYPPO_H */
