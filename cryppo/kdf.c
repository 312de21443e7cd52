/* cryppo/kdf.c - PBKDF2-HMAC-SHA256 and the passphrase-derived 5-part
 * form "Aes256Gcm.<ct>.<artefacts>.Pbkdf2Hmac.<'K' + BSON{iv, i, l, hash}>".
 *
 * Derivation parameters come from untrusted input, so iterations, salt
 * and key length are bounded (CRYPPO_KDF_MAX_*) before any work is done.
 */
#include "internal.h"

#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>

#define KDF_NAME "Pbkdf2Hmac"
#define KDF_HASH "SHA256"
#define KDF_SALT_LEN 20
#define KDF_MIN_ITERATIONS 20000u
#define KDF_ITERATION_SPREAD 2000u
#define KDF_KEY_LEN 32

cryppo_status cryppo_pbkdf2_sha256(const uint8_t *pass, size_t pass_len,
                                   const uint8_t *salt, size_t salt_len,
                                   uint32_t iterations, uint8_t *out,
                                   size_t out_len)
{
    const cryppo_algs *algs = cryppo_algs_get();
    uint64_t iter = iterations;
    int no_lower_bounds = 1;
    char digest[] = KDF_HASH;
    EVP_KDF_CTX *kctx;
    OSSL_PARAM params[6];
    int ok;

    if ((!pass && pass_len) || (!salt && salt_len) || !out || !out_len ||
        !iterations)
        return CRYPPO_ERR_ARGS;
    if (!algs)
        return CRYPPO_ERR_CRYPTO;
    kctx = EVP_KDF_CTX_new(algs->pbkdf2);
    if (!kctx)
        return CRYPPO_ERR_NOMEM;
    params[0] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_PASSWORD, (void *)(pass ? pass : (const uint8_t *)""),
        pass_len);
    params[1] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, (void *)(salt ? salt : (const uint8_t *)""),
        salt_len);
    params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iter);
    params[3] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                 digest, 0);
    /* Cryppo salts and lengths are below SP 800-132's lower bounds. */
    params[4] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5,
                                         &no_lower_bounds);
    params[5] = OSSL_PARAM_construct_end();
    ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(kctx);
    if (!ok) {
        cryppo_ossl_clear();
        secure_wipe(out, out_len);
        return CRYPPO_ERR_CRYPTO;
    }
    return CRYPPO_OK;
}

static int int_in_range(const cryppo_field *f, int64_t lo, int64_t hi)
{
    return f->kind == CRYPPO_FIELD_INT && f->num >= lo && f->num <= hi;
}

cryppo_status cryppo_kdf_params_read(const cryppo_parts *parts, uint8_t *buf,
                                     cryppo_kdf_params *params)
{
    cryppo_artefacts a;
    cryppo_status st;

    if (parts->n != 5 || !cryppo_parts_is(parts, 3, KDF_NAME))
        return CRYPPO_ERR_UNKNOWN_KDF;
    st = cryppo_artefacts_read(parts->p[4], parts->len[4],
                               CRYPPO_ARTEFACT_VERSION_KDF, buf, &a);
    if (st != CRYPPO_OK)
        return st;
    if (a.iv.kind != CRYPPO_FIELD_BYTES || a.iv.len == 0 ||
        a.iv.len > CRYPPO_KDF_MAX_SALT ||
        !int_in_range(&a.i, 1, CRYPPO_KDF_MAX_ITERATIONS) ||
        !int_in_range(&a.l, 1, CRYPPO_KDF_MAX_KEY_LEN))
        return CRYPPO_ERR_KDF_PARAMS;
    /* hash is optional (Ruby and Elixir omit it) and must be SHA256. */
    if (a.hash.kind == CRYPPO_FIELD_INT ||
        (a.hash.kind == CRYPPO_FIELD_BYTES &&
         (a.hash.len != strlen(KDF_HASH) ||
          strncasecmp((const char *)a.hash.p, KDF_HASH, a.hash.len) != 0)))
        return CRYPPO_ERR_KDF_PARAMS;
    params->salt = a.iv.p;
    params->salt_len = a.iv.len;
    params->iterations = (uint32_t)a.i.num;
    params->key_len = (uint32_t)a.l.num;
    memcpy(params->hash, KDF_HASH, sizeof(KDF_HASH));
    params->legacy_yaml = a.legacy_yaml;
    return CRYPPO_OK;
}

static cryppo_status passphrase_key(const char *passphrase,
                                    const uint8_t *salt, size_t salt_len,
                                    uint32_t iterations,
                                    uint8_t key[KDF_KEY_LEN])
{
    return cryppo_pbkdf2_sha256((const uint8_t *)passphrase,
                                strlen(passphrase), salt, salt_len,
                                iterations, key, KDF_KEY_LEN);
}

cryppo_status cryppo_passphrase_encrypt(const char *passphrase,
                                        const uint8_t *pt, size_t pt_len,
                                        char **serialized)
{
    uint8_t salt[KDF_SALT_LEN], key[KDF_KEY_LEN], kdf[128];
    size_t aes_len, kdf_len, total;
    uint32_t spread;
    cryppo_status st;
    char *s = NULL;

    if (!passphrase || !serialized || (!pt && pt_len))
        return CRYPPO_ERR_ARGS;
    aes_len = cryppo_aes_serialized_len(pt_len);
    if (!aes_len)
        return CRYPPO_ERR_TOO_LARGE;
    st = cryppo_random(salt, sizeof(salt));
    if (st == CRYPPO_OK)
        st = cryppo_random((uint8_t *)&spread, sizeof(spread));
    if (st != CRYPPO_OK)
        return st;
    spread = KDF_MIN_ITERATIONS + spread % KDF_ITERATION_SPREAD;
    st = passphrase_key(passphrase, salt, sizeof(salt), spread, key);
    if (st != CRYPPO_OK)
        goto out;
    kdf_len = cryppo_bson_kdf_write(kdf, salt, sizeof(salt), spread,
                                    KDF_KEY_LEN, KDF_HASH);
    total = aes_len + strlen("." KDF_NAME ".") +
            cryppo_b64url_encoded_len(kdf_len);
    st = CRYPPO_ERR_NOMEM;
    s = malloc(total + 1);
    if (!s)
        goto out;
    st = cryppo_aes_encrypt_into(key, pt, pt_len, s);
    if (st != CRYPPO_OK)
        goto out;
    memcpy(s + aes_len, "." KDF_NAME ".", strlen("." KDF_NAME "."));
    cryppo_b64_encode_raw(kdf, kdf_len, s + aes_len + strlen("." KDF_NAME "."));
    s[total] = '\0';
    *serialized = s;
    s = NULL;
out:
    free(s);
    secure_wipe(key, sizeof(key));
    return st;
}

cryppo_status cryppo_passphrase_decrypt(const char *passphrase,
                                        const char *serialized, secbuf *pt)
{
    uint8_t abuf[CRYPPO_ARTEFACTS_MAX], kbuf[CRYPPO_ARTEFACTS_MAX];
    uint8_t key[KDF_KEY_LEN];
    cryppo_gcm_params gp;
    cryppo_kdf_params kp;
    cryppo_parts parts;
    cryppo_status st;

    if (!pt)
        return CRYPPO_ERR_ARGS;
    *pt = (secbuf){NULL, 0};
    if (!passphrase || !serialized)
        return CRYPPO_ERR_ARGS;
    st = cryppo_parts_split_str(serialized, &parts);
    if (st == CRYPPO_OK && parts.n != 5)
        st = CRYPPO_ERR_FORMAT;
    if (st == CRYPPO_OK)
        st = cryppo_gcm_params_read(&parts, abuf, &gp);
    if (st == CRYPPO_OK)
        st = cryppo_kdf_params_read(&parts, kbuf, &kp);
    if (st == CRYPPO_OK && kp.key_len != KDF_KEY_LEN)
        st = CRYPPO_ERR_KDF_PARAMS; /* Aes256Gcm needs a 32-byte key */
    /* all input checks before the (up to 10 million rounds) derivation */
    if (st == CRYPPO_OK)
        st = cryppo_b64url_check(parts.p[1], parts.len[1]);
    if (st != CRYPPO_OK)
        return st;
    st = passphrase_key(passphrase, kp.salt, kp.salt_len, kp.iterations, key);
    if (st == CRYPPO_OK)
        st = cryppo_gcm_open(key, &parts, &gp, pt);
    secure_wipe(key, sizeof(key));
    return st;
}
