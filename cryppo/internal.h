/* cryppo/internal.h - what the cryppo/ files share and nobody else uses.
 *
 * Layers inside the module (each file one concept):
 *   libctx.c      private OSSL_LIB_CTX + algorithms fetched once
 *   base64.c      url-safe and standard base64 (one table-driven codec)
 *   bson.c        'A'/'K' + BSON artefacts: reader into cryppo_artefacts, writers
 *   yaml_legacy.c the four legacy YAML artefact shapes (read only)
 *   parse.c       splitting on '.', strategy names, cryppo_parse/serialize
 *   aes.c kdf.c rsa.c sign.c secret.c   the operations
 *   aes_chunks.c  decrypting large Aes256Gcm values on two threads
 */
#ifndef CRYPPO_INTERNAL_H
#define CRYPPO_INTERNAL_H

#include "cryppo.h"

#include <openssl/evp.h>

/* ---- library context (libctx.c) ------------------------------------ */

/* Algorithms fetched once from the private library context. */
typedef struct cryppo_algs {
    OSSL_LIB_CTX *libctx;
    EVP_CIPHER *aes256gcm;
    EVP_KDF *pbkdf2;
} cryppo_algs;

/* NULL if the library context could not be set up. */
const cryppo_algs *cryppo_algs_get(void);

/* Drop the calling thread's OpenSSL error queue after a failure that we
 * turn into a status (so nothing leaks into the caller's ERR_* state). */
void cryppo_ossl_clear(void);

/* ---- base64 (base64.c) ---------------------------------------------- */

typedef enum cryppo_b64_alphabet {
    CRYPPO_B64_URL, /* '-' '_' (Cryppo parts) */
    CRYPPO_B64_STD  /* '+' '/' (inside legacy YAML) */
} cryppo_b64_alphabet;

/* Writes cryppo_b64url_encoded_len(len) padded characters, no NUL. */
void cryppo_b64_encode_raw(const uint8_t *in, size_t len, char *out);
/* Most bytes cryppo_b64_decode_raw writes for len characters (exact for
 * unpadded text; each trailing '=' lowers the real size by one). */
size_t cryppo_b64_decoded_max(size_t len);
/* Decode into out (room for cryppo_b64_decoded_max(len) bytes).  out may
 * equal in (in-place decoding).  Padding optional; trailing bits must be
 * zero (canonical form). */
cryppo_status cryppo_b64_decode_raw(const char *in, size_t len,
                                    cryppo_b64_alphabet alphabet,
                                    uint8_t *out, size_t *out_len);

/* CRYPPO_OK if cryppo_b64url_decode would accept the text (no output;
 * lets expensive work wait until the input is known to be well formed). */
cryppo_status cryppo_b64url_check(const char *in, size_t len);

/* AVX2 blocks (base64_avx2.c), url-safe alphabet only.  Encode consumes
 * a multiple of 24 bytes (32 characters each); decode consumes a multiple
 * of 32 valid characters (24 bytes each; it may store 8 spare bytes past
 * them, always inside 3 * len / 4).  Both return what they consumed, 0
 * when the CPU or compiler lacks AVX2. */
int cryppo_b64_avx2_available(void);
size_t cryppo_b64_avx2_encode(const uint8_t *in, size_t len, char *out);
size_t cryppo_b64_avx2_decode(const char *in, size_t len, uint8_t *out);

/* ---- serialized strings (parse.c) ----------------------------------- */

#define CRYPPO_MAX_PARTS 5

typedef struct cryppo_parts {
    const char *p[CRYPPO_MAX_PARTS];
    size_t len[CRYPPO_MAX_PARTS];
    int n;
} cryppo_parts;

/* Split on '.'; 3, 4 or 5 parts, else CRYPPO_ERR_FORMAT. */
cryppo_status cryppo_parts_split(const char *s, size_t len, cryppo_parts *out);
/* The same for a NUL-terminated string, in a single pass. */
cryppo_status cryppo_parts_split_str(const char *s, cryppo_parts *out);
/* Part i equals the literal exactly. */
int cryppo_parts_is(const cryppo_parts *parts, int i, const char *lit);
/* "Rsa<bits>" with 512 <= bits <= 16384, else CRYPPO_ERR_UNKNOWN_STRATEGY. */
cryppo_status cryppo_rsa_name_parse(const char *p, size_t len, int *bits);
/* Base64-decode part i into a fresh secbuf. */
cryppo_status cryppo_parts_decode(const cryppo_parts *parts, int i,
                                  secbuf *out);

/* ---- artefacts (bson.c, yaml_legacy.c) ------------------------------ */

#define CRYPPO_ARTEFACT_VERSION_ENC 'A'
#define CRYPPO_ARTEFACT_VERSION_KDF 'K'
/* Decoded artefacts larger than this are refused (CRYPPO_ERR_TOO_LARGE). */
#define CRYPPO_ARTEFACTS_MAX 2048
/* Bounds for untrusted derivation parameters. */
#define CRYPPO_KDF_MAX_ITERATIONS 10000000u
#define CRYPPO_KDF_MAX_SALT 1024u
#define CRYPPO_KDF_MAX_KEY_LEN 1024u

typedef enum cryppo_field_kind {
    CRYPPO_FIELD_ABSENT = 0,
    CRYPPO_FIELD_BYTES, /* BSON binary or string, YAML binary or scalar */
    CRYPPO_FIELD_INT    /* BSON int32/int64, YAML plain digits */
} cryppo_field_kind;

typedef struct cryppo_field {
    cryppo_field_kind kind;
    const uint8_t *p; /* BYTES: view into the decoded artefact buffer */
    size_t len;
    int64_t num;      /* INT */
} cryppo_field;

/* The keys Cryppo artefacts use; unknown keys are ignored. */
typedef struct cryppo_artefacts {
    cryppo_field iv, at, ad; /* encryption */
    cryppo_field i, l, hash; /* derivation (iv = salt) */
    int legacy_yaml;
} cryppo_artefacts;

/* Record a key/value; CRYPPO_ERR_ARTEFACTS on a repeated known key. */
cryppo_status cryppo_artefacts_set(cryppo_artefacts *a, const char *key,
                                   size_t key_len, const cryppo_field *f);
/* Decode a base64 artefact part into buf (CRYPPO_ARTEFACTS_MAX bytes) and
 * read it: YAML if it starts with "---", else version byte + BSON. */
cryppo_status cryppo_artefacts_read(const char *b64, size_t b64_len,
                                    uint8_t version, uint8_t *buf,
                                    cryppo_artefacts *a);
cryppo_status cryppo_bson_read(const uint8_t *doc, size_t len,
                               cryppo_artefacts *a);
/* In-place: binary values are decoded inside buf. */
cryppo_status cryppo_yaml_read(uint8_t *buf, size_t len, cryppo_artefacts *a);

/* 'A' + BSON{iv, at, ad}: size, then writer (returns bytes written). */
size_t cryppo_bson_enc_size(size_t ad_len);
size_t cryppo_bson_enc_write(uint8_t *out, const uint8_t iv[12],
                             const uint8_t tag[16], const char *ad,
                             size_t ad_len);
/* 'K' + BSON{iv, i, l, hash} like cryppo-js 2.0.2. */
size_t cryppo_bson_kdf_size(size_t salt_len, size_t hash_len);
size_t cryppo_bson_kdf_write(uint8_t *out, const uint8_t *salt,
                             size_t salt_len, uint32_t iterations,
                             uint32_t key_len, const char *hash);
/* 'A' + empty document: the RSA artefacts. */
#define CRYPPO_RSA_ARTEFACTS "QQUAAAAA"

/* ---- AES-GCM pieces shared by aes.c, kdf.c and parse.c -------------- */

typedef struct cryppo_gcm_params {
    uint8_t iv[CRYPPO_GCM_IV_LEN];
    uint8_t tag[CRYPPO_GCM_TAG_LEN];
    const uint8_t *ad; /* view into the artefact buffer */
    size_t ad_len;
    int legacy_yaml;
} cryppo_gcm_params;

/* Validate "Aes256Gcm" and its artefacts (part 2); buf as for
 * cryppo_artefacts_read and must outlive params->ad. */
cryppo_status cryppo_gcm_params_read(const cryppo_parts *parts, uint8_t *buf,
                                     cryppo_gcm_params *params);
/* Decode the data part and decrypt it with key (in place, one secbuf). */
cryppo_status cryppo_gcm_open(const uint8_t key[32],
                              const cryppo_parts *parts,
                              const cryppo_gcm_params *params, secbuf *pt);
/* Length of "Aes256Gcm.<ct>.<artefacts>" without NUL (0 on overflow). */
size_t cryppo_aes_serialized_len(size_t pt_len);
/* Encrypt into out (room for cryppo_aes_serialized_len + 1), NUL ends. */
cryppo_status cryppo_aes_encrypt_into(const uint8_t key[32],
                                      const uint8_t *pt, size_t pt_len,
                                      char *out);

/* ---- large values: decryption on two threads (aes_chunks.c) --------- */

/* Plaintext size from which aes.c decrypts in chunks with a helper thread
 * that decodes the base64 ahead of GCM, when built with
 * CRYPPO_CHUNKED_THREADS=ON.  Off by default: on the shared 2-vCPU
 * development machine it gains ~10 % when the other vCPU is idle and can
 * lose when it is busy (docs/PERFORMANCE.md, Cryppo section).
 * CRYPPO_CHUNK_BYTES: plaintext bytes per chunk (a multiple of 3 and 16). */
#define CRYPPO_CHUNKED_MIN (256 * 1024)
#define CRYPPO_CHUNK_BYTES 24576
#ifdef CRYPPO_CHUNKED_THREADS
#define CRYPPO_USE_CHUNKED(len) ((len) >= CRYPPO_CHUNKED_MIN)
#else
#define CRYPPO_USE_CHUNKED(len) 0
#endif

/* Decode b64 (the whole data part, '=' only at its end) into dst, which
 * holds exactly dst_len bytes once decoded, and decrypt it there (AAD
 * already given to ctx; no tag check).  CRYPPO_ERR_BASE64 for refused
 * text. */
cryppo_status cryppo_gcm_open_chunked(EVP_CIPHER_CTX *ctx, const char *b64,
                                      size_t b64_len, uint8_t *dst,
                                      size_t dst_len);

/* ---- derivation (kdf.c) --------------------------------------------- */

typedef struct cryppo_kdf_params {
    const uint8_t *salt; /* view into the artefact buffer */
    size_t salt_len;
    uint32_t iterations;
    uint32_t key_len;
    char hash[16];
    int legacy_yaml;
} cryppo_kdf_params;

/* Validate "Pbkdf2Hmac" and its 'K' artefacts (parts 3 and 4). */
cryppo_status cryppo_kdf_params_read(const cryppo_parts *parts, uint8_t *buf,
                                     cryppo_kdf_params *params);

/* ---- RSA (rsa.c) ---------------------------------------------------- */

/* CRYPPO_ERR_ARGS for NULL, CRYPPO_ERR_KEY_TYPE unless an RSA key (with
 * its private half when need_private). */
cryppo_status cryppo_rsa_key_check(EVP_PKEY *key, int need_private);

#endif /* CRYPPO_INTERNAL_H */
