/* cryppo/bson.c - Cryppo artefacts: a version byte and a BSON document.
 *
 * The reader accepts the few BSON types Cryppo artefacts use (binary,
 * string, int32, int64) in any key order and refuses everything else.
 * The writers emit exactly the bytes cryppo-js 2.0.2 emits:
 *   'A' {iv: bin(12), at: bin(16), ad: "none"}            (65 bytes)
 *   'K' {iv: bin(salt), i: int32, l: int32, hash: "SHA256"} (66 bytes)
 */
#include "internal.h"

#include <string.h>

enum {
    BSON_STRING = 0x02,
    BSON_BINARY = 0x05,
    BSON_INT32 = 0x10,
    BSON_INT64 = 0x12,
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint8_t *put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

cryppo_status cryppo_artefacts_set(cryppo_artefacts *a, const char *key,
                                   size_t key_len, const cryppo_field *f)
{
    static const struct {
        const char *name;
        size_t offset;
    } keys[] = {
        {"iv", offsetof(cryppo_artefacts, iv)},
        {"at", offsetof(cryppo_artefacts, at)},
        {"ad", offsetof(cryppo_artefacts, ad)},
        {"i", offsetof(cryppo_artefacts, i)},
        {"l", offsetof(cryppo_artefacts, l)},
        {"hash", offsetof(cryppo_artefacts, hash)},
    };

    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        cryppo_field *dst;
        if (strlen(keys[k].name) != key_len ||
            memcmp(keys[k].name, key, key_len) != 0)
            continue;
        dst = (cryppo_field *)((char *)a + keys[k].offset);
        if (dst->kind != CRYPPO_FIELD_ABSENT)
            return CRYPPO_ERR_ARTEFACTS; /* repeated key */
        *dst = *f;
        return CRYPPO_OK;
    }
    return CRYPPO_OK; /* unknown keys are ignored */
}

/* Read one value of the given type at p (room bytes left before the
 * document's terminating NUL).  Returns its size, or 0 if malformed. */
static size_t value_read(uint8_t type, const uint8_t *p, size_t room,
                         cryppo_field *f)
{
    uint32_t n;

    switch (type) {
    case BSON_STRING:
        if (room < 4 || (n = le32(p)) < 1 || n > room - 4 || p[4 + n - 1])
            return 0;
        *f = (cryppo_field){CRYPPO_FIELD_BYTES, p + 4, n - 1, 0};
        return 4 + (size_t)n;
    case BSON_BINARY:
        if (room < 5 || (n = le32(p)) > room - 5)
            return 0;
        *f = (cryppo_field){CRYPPO_FIELD_BYTES, p + 5, n, 0};
        return 5 + (size_t)n;
    case BSON_INT32:
        if (room < 4)
            return 0;
        *f = (cryppo_field){CRYPPO_FIELD_INT, NULL, 0, (int32_t)le32(p)};
        return 4;
    case BSON_INT64:
        if (room < 8)
            return 0;
        *f = (cryppo_field){CRYPPO_FIELD_INT, NULL, 0,
                            (int64_t)((uint64_t)le32(p + 4) << 32 | le32(p))};
        return 8;
    default:
        return 0;
    }
}

cryppo_status cryppo_bson_read(const uint8_t *doc, size_t len,
                               cryppo_artefacts *a)
{
    size_t pos = 4, end = len - 1; /* end: index of the final NUL */

    if (len < 5 || le32(doc) != len || doc[end] != 0)
        return CRYPPO_ERR_ARTEFACTS;
    while (pos < end) {
        uint8_t type = doc[pos++];
        const uint8_t *key = doc + pos;
        const uint8_t *nul = memchr(key, 0, end - pos);
        size_t key_len, used;
        cryppo_field f;
        cryppo_status st;

        if (!nul)
            return CRYPPO_ERR_ARTEFACTS;
        key_len = (size_t)(nul - key);
        pos += key_len + 1;
        used = value_read(type, doc + pos, end - pos, &f);
        if (!used)
            return CRYPPO_ERR_ARTEFACTS;
        pos += used;
        st = cryppo_artefacts_set(a, (const char *)key, key_len, &f);
        if (st != CRYPPO_OK)
            return st;
    }
    return CRYPPO_OK;
}

cryppo_status cryppo_artefacts_read(const char *b64, size_t b64_len,
                                    uint8_t version, uint8_t *buf,
                                    cryppo_artefacts *a)
{
    cryppo_status st;
    size_t len = 0, pad;

    memset(a, 0, sizeof(*a));
    if (b64_len == 0)
        return CRYPPO_ERR_FORMAT;
    /* exact bound on what the decoder writes: trailing '=' shrink it */
    pad = (size_t)(b64[b64_len - 1] == '=') +
          (size_t)(b64_len > 1 && b64[b64_len - 2] == '=');
    if (cryppo_b64_decoded_max(b64_len) > CRYPPO_ARTEFACTS_MAX + pad)
        return CRYPPO_ERR_TOO_LARGE;
    st = cryppo_b64_decode_raw(b64, b64_len, CRYPPO_B64_URL, buf, &len);
    if (st != CRYPPO_OK)
        return st;
    if (len >= 3 && memcmp(buf, "---", 3) == 0) {
        a->legacy_yaml = 1;
        return cryppo_yaml_read(buf, len, a);
    }
    if (len == 0)
        return CRYPPO_ERR_ARTEFACTS;
    if (buf[0] != version)
        return CRYPPO_ERR_ARTEFACT_VERSION;
    return cryppo_bson_read(buf + 1, len - 1, a);
}

/* ---- writers -------------------------------------------------------- */

static uint8_t *put_key(uint8_t *p, uint8_t type, const char *key)
{
    size_t n = strlen(key) + 1;

    *p++ = type;
    memcpy(p, key, n);
    return p + n;
}

static uint8_t *put_binary(uint8_t *p, const char *key, const uint8_t *v,
                           size_t len)
{
    p = put_key(p, BSON_BINARY, key);
    p = put_le32(p, (uint32_t)len);
    *p++ = 0x00; /* generic binary subtype */
    if (len)
        memcpy(p, v, len);
    return p + len;
}

static uint8_t *put_string(uint8_t *p, const char *key, const char *v,
                           size_t len)
{
    p = put_key(p, BSON_STRING, key);
    p = put_le32(p, (uint32_t)(len + 1));
    if (len)
        memcpy(p, v, len);
    p[len] = 0;
    return p + len + 1;
}

static uint8_t *put_int32(uint8_t *p, const char *key, uint32_t v)
{
    p = put_key(p, BSON_INT32, key);
    return put_le32(p, v);
}

/* version + int32 length + elements + NUL */
#define DOC_OVERHEAD (1 + 4 + 1)
#define BIN_SIZE(klen, n) (1 + (klen) + 1 + 4 + 1 + (n))
#define STR_SIZE(klen, n) (1 + (klen) + 1 + 4 + (n) + 1)
#define I32_SIZE(klen) (1 + (klen) + 1 + 4)

size_t cryppo_bson_enc_size(size_t ad_len)
{
    return DOC_OVERHEAD + BIN_SIZE(2, CRYPPO_GCM_IV_LEN) +
           BIN_SIZE(2, CRYPPO_GCM_TAG_LEN) + STR_SIZE(2, ad_len);
}

size_t cryppo_bson_enc_write(uint8_t *out, const uint8_t iv[12],
                             const uint8_t tag[16], const char *ad,
                             size_t ad_len)
{
    size_t size = cryppo_bson_enc_size(ad_len);
    uint8_t *p = out;

    *p++ = CRYPPO_ARTEFACT_VERSION_ENC;
    p = put_le32(p, (uint32_t)(size - 1));
    p = put_binary(p, "iv", iv, CRYPPO_GCM_IV_LEN);
    p = put_binary(p, "at", tag, CRYPPO_GCM_TAG_LEN);
    p = put_string(p, "ad", ad, ad_len);
    *p = 0;
    return size;
}

size_t cryppo_bson_kdf_size(size_t salt_len, size_t hash_len)
{
    return DOC_OVERHEAD + BIN_SIZE(2, salt_len) + I32_SIZE(1) + I32_SIZE(1) +
           STR_SIZE(4, hash_len);
}

size_t cryppo_bson_kdf_write(uint8_t *out, const uint8_t *salt,
                             size_t salt_len, uint32_t iterations,
                             uint32_t key_len, const char *hash)
{
    size_t hash_len = strlen(hash);
    size_t size = cryppo_bson_kdf_size(salt_len, hash_len);
    uint8_t *p = out;

    *p++ = CRYPPO_ARTEFACT_VERSION_KDF;
    p = put_le32(p, (uint32_t)(size - 1));
    p = put_binary(p, "iv", salt, salt_len);
    p = put_int32(p, "i", iterations);
    p = put_int32(p, "l", key_len);
    p = put_string(p, "hash", hash, hash_len);
    *p = 0;
    return size;
}
