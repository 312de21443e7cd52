/* cryppo/aes.c - Aes256Gcm: "Aes256Gcm.<ct>.<'A' + BSON{iv, at, ad}>".
 *
 * Hot path.  Encryption computes the exact output length up front,
 * allocates the result string once and streams the plaintext through a
 * small stack buffer (a multiple of both 3 and 16 bytes) straight into
 * base64, so the ciphertext never needs its own heap copy.  Decryption
 * allocates the exact plaintext size once, then decodes and decrypts the
 * data part slice by slice in that buffer (each slice still in cache).
 * Built with CRYPPO_CHUNKED_THREADS, decryption of large values hands the
 * base64 decoding to a second thread (aes_chunks.c); same results.
 */
#include "internal.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#define AES_NAME "Aes256Gcm"
#define AES_AAD "none"
/* 'A' + BSON{iv, at, ad:"none"} = 65 bytes = 88 base64 characters. */
#define ENC_ARTEFACTS_LEN 65
#define CHUNK 12288 /* multiple of 3 (base64) and 16 (AES blocks) */
/* NIST SP 800-38D limit for one GCM message: 2^39 - 256 bits. */
#define GCM_MAX_PT ((uint64_t)1 << 36)
/* Data-part characters decoded and decrypted per step (12 KiB of data). */
#define DECODE_SLICE 16384

size_t cryppo_aes_serialized_len(size_t pt_len)
{
    if ((uint64_t)pt_len > GCM_MAX_PT - 32 ||
        pt_len > (SIZE_MAX - 256) / 4 * 3)
        return 0;
    return strlen(AES_NAME) + 1 + cryppo_b64url_encoded_len(pt_len) + 1 +
           cryppo_b64url_encoded_len(ENC_ARTEFACTS_LEN);
}

/* Encrypt pt and write its padded base64, cryppo_b64url_encoded_len(len)
 * characters, to out. */
static cryppo_status seal_data(EVP_CIPHER_CTX *ctx, const uint8_t *pt,
                               size_t len, char *out)
{
    uint8_t ct[CHUNK];
    size_t done = 0, w = 0;
    int n;

    while (done < len) {
        size_t take = len - done < CHUNK ? len - done : CHUNK;
        if (!EVP_EncryptUpdate(ctx, ct, &n, pt + done, (int)take) ||
            (size_t)n != take)
            return CRYPPO_ERR_CRYPTO;
        cryppo_b64_encode_raw(ct, take, out + w);
        w += cryppo_b64url_encoded_len(take);
        done += take;
    }
    return CRYPPO_OK;
}

cryppo_status cryppo_aes_encrypt_into(const uint8_t key[32],
                                      const uint8_t *pt, size_t pt_len,
                                      char *out)
{
    const cryppo_algs *algs = cryppo_algs_get();
    uint8_t iv[CRYPPO_GCM_IV_LEN], tag[CRYPPO_GCM_TAG_LEN];
    uint8_t art[ENC_ARTEFACTS_LEN];
    cryppo_status st = CRYPPO_ERR_CRYPTO;
    EVP_CIPHER_CTX *ctx = NULL;
    size_t pos = strlen(AES_NAME) + 1;
    int n;

    if (!algs)
        return CRYPPO_ERR_CRYPTO;
    st = cryppo_random(iv, sizeof(iv));
    if (st != CRYPPO_OK)
        return st;
    st = CRYPPO_ERR_CRYPTO;
    ctx = EVP_CIPHER_CTX_new();
    if (!ctx || !EVP_EncryptInit_ex2(ctx, algs->aes256gcm, key, iv, NULL) ||
        !EVP_EncryptUpdate(ctx, NULL, &n, (const uint8_t *)AES_AAD,
                           (int)strlen(AES_AAD)))
        goto out;
    memcpy(out, AES_NAME ".", pos);
    st = seal_data(ctx, pt, pt_len, out + pos);
    if (st != CRYPPO_OK)
        goto out;
    st = CRYPPO_ERR_CRYPTO;
    if (!EVP_EncryptFinal_ex(ctx, tag, &n) ||
        !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, sizeof(tag), tag))
        goto out;
    pos += cryppo_b64url_encoded_len(pt_len);
    out[pos++] = '.';
    cryppo_bson_enc_write(art, iv, tag, AES_AAD, strlen(AES_AAD));
    cryppo_b64_encode_raw(art, sizeof(art), out + pos);
    out[pos + cryppo_b64url_encoded_len(sizeof(art))] = '\0';
    st = CRYPPO_OK;
out:
    if (st != CRYPPO_OK)
        cryppo_ossl_clear();
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

cryppo_status cryppo_aes_encrypt(const uint8_t key[32], const uint8_t *pt,
                                 size_t pt_len, char **serialized)
{
    size_t total;
    cryppo_status st;
    char *s;

    if (!key || !serialized || (!pt && pt_len))
        return CRYPPO_ERR_ARGS;
    total = cryppo_aes_serialized_len(pt_len);
    if (!total)
        return CRYPPO_ERR_TOO_LARGE;
    s = malloc(total + 1);
    if (!s)
        return CRYPPO_ERR_NOMEM;
    st = cryppo_aes_encrypt_into(key, pt, pt_len, s);
    if (st != CRYPPO_OK) {
        free(s);
        return st;
    }
    *serialized = s;
    return CRYPPO_OK;
}

/* ---- decryption ------------------------------------------------------- */

cryppo_status cryppo_gcm_params_read(const cryppo_parts *parts, uint8_t *buf,
                                     cryppo_gcm_params *params)
{
    cryppo_artefacts a;
    cryppo_status st;

    if (!cryppo_parts_is(parts, 0, AES_NAME))
        return CRYPPO_ERR_UNKNOWN_STRATEGY;
    st = cryppo_artefacts_read(parts->p[2], parts->len[2],
                               CRYPPO_ARTEFACT_VERSION_ENC, buf, &a);
    if (st != CRYPPO_OK)
        return st;
    if (a.iv.kind != CRYPPO_FIELD_BYTES || a.iv.len != CRYPPO_GCM_IV_LEN)
        return CRYPPO_ERR_IV;
    if (a.at.kind != CRYPPO_FIELD_BYTES || a.at.len != CRYPPO_GCM_TAG_LEN)
        return CRYPPO_ERR_TAG;
    if (a.ad.kind == CRYPPO_FIELD_INT || a.ad.len > INT_MAX)
        return CRYPPO_ERR_ARTEFACTS;
    memcpy(params->iv, a.iv.p, CRYPPO_GCM_IV_LEN);
    memcpy(params->tag, a.at.p, CRYPPO_GCM_TAG_LEN);
    params->ad = a.ad.p; /* absent: empty AAD (Elixir omits an empty ad) */
    params->ad_len = a.ad.len;
    params->legacy_yaml = a.legacy_yaml;
    return CRYPPO_OK;
}

/* Decode one slice of the data part into out and decrypt it there, so
 * the bytes are still in cache for AES.  Slices other than the last must
 * not end in '=' (padding is only allowed at the very end). */
static cryppo_status open_slice(EVP_CIPHER_CTX *ctx, const char *b64,
                                size_t len, int last, uint8_t *out,
                                size_t *written)
{
    cryppo_status st;
    int n;

    if (!last && len && b64[len - 1] == '=')
        return CRYPPO_ERR_BASE64;
    st = cryppo_b64_decode_raw(b64, len, CRYPPO_B64_URL, out, written);
    if (st != CRYPPO_OK)
        return st;
    if (*written && !EVP_DecryptUpdate(ctx, out, &n, out, (int)*written))
        return CRYPPO_ERR_DECRYPT;
    return CRYPPO_OK;
}

/* Decode and decrypt the data part slice by slice on this thread. */
static cryppo_status open_slices(EVP_CIPHER_CTX *ctx, const char *b64,
                                 size_t b64_len, secbuf *buf)
{
    size_t in = 0, out = 0, n;
    cryppo_status st;

    for (;;) {
        int last = b64_len - in <= DECODE_SLICE;
        size_t take = last ? b64_len - in : DECODE_SLICE;
        st = open_slice(ctx, b64 + in, take, last, buf->p + out, &n);
        if (st != CRYPPO_OK)
            return st;
        in += take;
        out += n;
        if (last)
            break;
    }
    /* cannot fail: sizes are exact */
    return out == buf->len ? CRYPPO_OK : CRYPPO_ERR_BASE64;
}

static cryppo_status open_data(EVP_CIPHER_CTX *ctx,
                               const cryppo_gcm_params *gp, const char *b64,
                               size_t b64_len, secbuf *buf)
{
    cryppo_status st;
    int m;

    if (gp->ad_len &&
        !EVP_DecryptUpdate(ctx, NULL, &m, gp->ad, (int)gp->ad_len))
        return CRYPPO_ERR_CRYPTO;
    if (CRYPPO_USE_CHUNKED(buf->len))
        st = cryppo_gcm_open_chunked(ctx, b64, b64_len, buf->p, buf->len);
    else
        st = open_slices(ctx, b64, b64_len, buf);
    if (st != CRYPPO_OK)
        return st;
    buf->p[buf->len] = 0;
    if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CRYPPO_GCM_TAG_LEN,
                             (void *)gp->tag) ||
        EVP_DecryptFinal_ex(ctx, buf->p + buf->len, &m) <= 0)
        return CRYPPO_ERR_DECRYPT;
    return CRYPPO_OK;
}

/* Exact decoded size of a padded or unpadded base64 text (0 for text the
 * decoder will refuse anyway). */
static size_t decoded_size(const char *b64, size_t len)
{
    size_t pad = 0;

    if (len % 4 == 0)
        while (pad < 2 && pad < len && b64[len - 1 - pad] == '=')
            pad++;
    return cryppo_b64_decoded_max(len) - pad;
}

cryppo_status cryppo_gcm_open(const uint8_t key[32],
                              const cryppo_parts *parts,
                              const cryppo_gcm_params *params, secbuf *pt)
{
    const cryppo_algs *algs = cryppo_algs_get();
    EVP_CIPHER_CTX *ctx = NULL;
    secbuf buf = {NULL, 0};
    cryppo_status st = CRYPPO_ERR_NOMEM;
    size_t len = decoded_size(parts->p[1], parts->len[1]);

    if (!algs)
        return CRYPPO_ERR_CRYPTO;
    /* not zeroed: every byte is written before it is read */
    buf.p = OPENSSL_malloc(len + 1);
    buf.len = len;
    if (!buf.p)
        return CRYPPO_ERR_NOMEM;
    st = CRYPPO_ERR_CRYPTO;
    ctx = EVP_CIPHER_CTX_new();
    if (!ctx ||
        !EVP_DecryptInit_ex2(ctx, algs->aes256gcm, key, params->iv, NULL))
        goto out;
    st = open_data(ctx, params, parts->p[1], parts->len[1], &buf);
out:
    EVP_CIPHER_CTX_free(ctx);
    if (st != CRYPPO_OK) {
        cryppo_ossl_clear();
        secure_free(buf.p, len + 1);
        return st;
    }
    *pt = buf;
    return CRYPPO_OK;
}

cryppo_status cryppo_aes_decrypt(const uint8_t key[32], const char *serialized,
                                 secbuf *pt)
{
    uint8_t buf[CRYPPO_ARTEFACTS_MAX];
    cryppo_gcm_params params;
    cryppo_parts parts;
    cryppo_status st;

    if (!pt)
        return CRYPPO_ERR_ARGS;
    *pt = (secbuf){NULL, 0};
    if (!key || !serialized)
        return CRYPPO_ERR_ARGS;
    st = cryppo_parts_split_str(serialized, &parts);
    if (st == CRYPPO_OK && parts.n != 3)
        st = CRYPPO_ERR_FORMAT;
    if (st == CRYPPO_OK)
        st = cryppo_gcm_params_read(&parts, buf, &params);
    if (st == CRYPPO_OK)
        st = cryppo_gcm_open(key, &parts, &params, pt);
    return st;
}
