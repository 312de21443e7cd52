/* cryppo/base64.c - padded url-safe base64 (and the standard alphabet
 * that legacy YAML artefacts carry inside).
 *
 * Encoding always emits '=' padding (Ruby and cryppo-js do).  Decoding
 * accepts missing padding, refuses characters outside the alphabet,
 * misplaced '=' and non-canonical trailing bits, so that decoding then
 * encoding reproduces the input (signatures re-serialize byte-exact).
 */
#include "internal.h"

#include <pthread.h>
#include <string.h>

static const char url_alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value of each character; 0x40 marks url-only ('-' '_'), 0x80 marks
 * standard-only ('+' '/'), 0xff is outside both alphabets. */
static const uint8_t decode_table[256] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbe, 0xff, 0x7e, 0xff, 0xbf,
    0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
    0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0xff, 0xff, 0xff, 0xff, 0x7f,
    0xff, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24,
    0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
    0x31, 0x32, 0x33, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff,
};

/* Characters checked per step by cryppo_b64url_check (multiple of 4). */
#define VALIDATE_SLICE 4096

#define URL_ONLY 0x40
#define STD_ONLY 0x80

size_t cryppo_b64url_encoded_len(size_t len)
{
    return (len / 3 + (len % 3 != 0)) * 4;
}

size_t cryppo_b64_decoded_max(size_t len)
{
    return len / 4 * 3 + (len % 4 == 3 ? 2 : len % 4 == 2 ? 1 : 0);
}

/* Fast paths for the url-safe alphabet (the hot one): a 4096-entry table
 * of character pairs for encoding 12 bits at a time, and four pre-shifted
 * decode tables (invalid characters set bit 24 or above), built once. */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static char enc_pairs[4096][2];
static uint32_t dec_url[4][256];
static int have_avx2;

static void tables_init(void)
{
    have_avx2 = cryppo_b64_avx2_available();
    for (int k = 0; k < 4096; k++) {
        enc_pairs[k][0] = url_alphabet[k >> 6];
        enc_pairs[k][1] = url_alphabet[k & 63];
    }
    for (int c = 0; c < 256; c++) {
        uint8_t v = decode_table[c];
        for (int pos = 0; pos < 4; pos++)
            dec_url[pos][c] = (v & STD_ONLY) ? 0xff000000u
                                             : (uint32_t)(v & 63)
                                                   << (6 * (3 - pos));
    }
}

static void tables_ready(void)
{
    (void)pthread_once(&tables_once, tables_init);
}

static uint64_t load_be48(const uint8_t *p)
{
    return (uint64_t)p[0] << 40 | (uint64_t)p[1] << 32 | (uint64_t)p[2] << 24 |
           (uint64_t)p[3] << 16 | (uint64_t)p[4] << 8 | p[5];
}

void cryppo_b64_encode_raw(const uint8_t *in, size_t len, char *out)
{
    const uint8_t *end;
    uint32_t v;

    tables_ready();
    if (have_avx2) {
        size_t done = cryppo_b64_avx2_encode(in, len, out);
        in += done;
        out += done / 3 * 4;
        len -= done;
    }
    for (; len >= 6; in += 6, out += 8, len -= 6) {
        uint64_t x = load_be48(in);
        memcpy(out, enc_pairs[x >> 36], 2);
        memcpy(out + 2, enc_pairs[(x >> 24) & 4095], 2);
        memcpy(out + 4, enc_pairs[(x >> 12) & 4095], 2);
        memcpy(out + 6, enc_pairs[x & 4095], 2);
    }
    end = in + len - len % 3;
    for (; in < end; in += 3, out += 4) {
        v = (uint32_t)in[0] << 16 | (uint32_t)in[1] << 8 | in[2];
        out[0] = url_alphabet[v >> 18];
        out[1] = url_alphabet[(v >> 12) & 63];
        out[2] = url_alphabet[(v >> 6) & 63];
        out[3] = url_alphabet[v & 63];
    }
    if (len % 3 == 0)
        return;
    v = (uint32_t)in[0] << 16;
    if (len % 3 == 2)
        v |= (uint32_t)in[1] << 8;
    out[0] = url_alphabet[v >> 18];
    out[1] = url_alphabet[(v >> 12) & 63];
    out[2] = len % 3 == 2 ? url_alphabet[(v >> 6) & 63] : '=';
    out[3] = '=';
}

cryppo_status cryppo_b64url_encode(const uint8_t *in, size_t len, char **out)
{
    size_t n;
    char *s;

    if (!out || (!in && len))
        return CRYPPO_ERR_ARGS;
    if (len > (SIZE_MAX - 4) / 4 * 3)
        return CRYPPO_ERR_TOO_LARGE;
    n = cryppo_b64url_encoded_len(len);
    s = malloc(n + 1);
    if (!s)
        return CRYPPO_ERR_NOMEM;
    cryppo_b64_encode_raw(in, len, s);
    s[n] = '\0';
    *out = s;
    return CRYPPO_OK;
}

/* Number of '=' at the end, or -1 if padding is malformed. */
static int padding_count(const char *in, size_t len)
{
    int pad = 0;

    if (len % 4 != 0)
        return 0; /* unpadded: any '=' is then rejected as a character */
    while (pad < 2 && len > (size_t)pad && in[len - 1 - pad] == '=')
        pad++;
    return pad;
}

/* Decode whole url-safe groups; returns how many were valid (all of them
 * unless a character is outside the alphabet). */
static size_t decode_url_groups(const uint8_t *s, size_t groups, uint8_t *out)
{
    size_t g = 0;

    tables_ready();
    if (have_avx2) {
        g = cryppo_b64_avx2_decode((const char *)s, 4 * groups, out) / 4;
        s += 4 * g;
        out += 3 * g;
    }
    for (; g < groups; g++, s += 4, out += 3) {
        uint32_t x = dec_url[0][s[0]] | dec_url[1][s[1]] | dec_url[2][s[2]] |
                     dec_url[3][s[3]];
        if (x >> 24)
            break;
        out[0] = (uint8_t)(x >> 16);
        out[1] = (uint8_t)(x >> 8);
        out[2] = (uint8_t)x;
    }
    return g;
}

cryppo_status cryppo_b64_decode_raw(const char *in, size_t len,
                                    cryppo_b64_alphabet alphabet,
                                    uint8_t *out, size_t *out_len)
{
    const uint8_t *s = (const uint8_t *)in;
    uint8_t bad = alphabet == CRYPPO_B64_URL ? STD_ONLY : URL_ONLY;
    size_t n = len - (size_t)padding_count(in, len), groups = n / 4, o = 0;
    uint8_t a, b, c, d;

    if (n % 4 == 1)
        return CRYPPO_ERR_BASE64;
    if (alphabet == CRYPPO_B64_URL) {
        size_t done = decode_url_groups(s, groups, out);
        if (done < groups)
            return CRYPPO_ERR_BASE64;
        s += 4 * groups;
        o = 3 * groups;
        groups = 0;
    }
    for (size_t g = 0; g < groups; g++, s += 4) {
        a = decode_table[s[0]];
        b = decode_table[s[1]];
        c = decode_table[s[2]];
        d = decode_table[s[3]];
        if ((a | b | c | d) & bad)
            return CRYPPO_ERR_BASE64;
        out[o] = (uint8_t)((a & 63) << 2 | (b & 63) >> 4);
        out[o + 1] = (uint8_t)((b & 63) << 4 | (c & 63) >> 2);
        out[o + 2] = (uint8_t)((c & 63) << 6 | (d & 63));
        o += 3;
    }
    if (n % 4 >= 2) {
        a = decode_table[s[0]];
        b = decode_table[s[1]];
        c = n % 4 == 3 ? decode_table[s[2]] : 0;
        if ((a | b | c) & bad)
            return CRYPPO_ERR_BASE64;
        if (n % 4 == 2 ? (b & 15) : (c & 3))
            return CRYPPO_ERR_BASE64; /* non-canonical trailing bits */
        out[o++] = (uint8_t)((a & 63) << 2 | (b & 63) >> 4);
        if (n % 4 == 3)
            out[o++] = (uint8_t)((b & 63) << 4 | (c & 63) >> 2);
    }
    *out_len = o;
    return CRYPPO_OK;
}

cryppo_status cryppo_b64url_check(const char *in, size_t len)
{
    uint8_t scratch[VALIDATE_SLICE / 4 * 3];
    size_t done = 0, n;
    cryppo_status st;

    while (len - done > VALIDATE_SLICE) {
        if (in[done + VALIDATE_SLICE - 1] == '=')
            return CRYPPO_ERR_BASE64; /* '=' only at the very end */
        st = cryppo_b64_decode_raw(in + done, VALIDATE_SLICE, CRYPPO_B64_URL,
                                   scratch, &n);
        if (st != CRYPPO_OK)
            return st;
        done += VALIDATE_SLICE;
    }
    st = cryppo_b64_decode_raw(in + done, len - done, CRYPPO_B64_URL, scratch,
                               &n);
    secure_wipe(scratch, sizeof(scratch));
    return st;
}

cryppo_status cryppo_b64url_decode(const char *in, size_t len, secbuf *out)
{
    cryppo_status st;
    secbuf b = {NULL, 0};
    size_t n = 0;

    if (!out || (!in && len))
        return CRYPPO_ERR_ARGS;
    if (secbuf_alloc(&b, cryppo_b64_decoded_max(len)) != 0)
        return CRYPPO_ERR_NOMEM;
    st = cryppo_b64_decode_raw(in, len, CRYPPO_B64_URL, b.p, &n);
    if (st != CRYPPO_OK) {
        secbuf_free(&b);
        return st;
    }
    secure_wipe(b.p + n, b.len - n);
    b.len = n; /* the hidden NUL is inside the zeroed tail */
    *out = b;
    return CRYPPO_OK;
}
