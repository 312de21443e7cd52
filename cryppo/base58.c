/* cryppo/base58.c - base58 with the Bitcoin alphabet (what bs58/base-x
 * use for Meeco secret keys).  Leading zero bytes map to leading '1's.
 * Quadratic big-number conversion: inputs are a few dozen bytes. */
#include "internal.h"

#include <string.h>

static const char b58_alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Longest input accepted, to keep the quadratic loops bounded. */
#define B58_MAX_INPUT 4096

static int b58_value(char c)
{
    const char *p = c ? strchr(b58_alphabet, c) : NULL;

    return p ? (int)(p - b58_alphabet) : -1;
}

cryppo_status cryppo_base58_encode(const uint8_t *in, size_t len, char **out)
{
    size_t zeros = 0, size, high, n = 0;
    uint8_t *digits = NULL;
    char *s = NULL;

    if (!out || (!in && len))
        return CRYPPO_ERR_ARGS;
    if (len > B58_MAX_INPUT)
        return CRYPPO_ERR_TOO_LARGE;
    while (zeros < len && in[zeros] == 0)
        zeros++;
    size = (len - zeros) * 138 / 100 + 1; /* log(256) / log(58) */
    digits = calloc(size, 1);
    s = malloc(zeros + size + 1);
    if (!digits || !s) {
        free(digits);
        free(s);
        return CRYPPO_ERR_NOMEM;
    }
    high = size;
    for (size_t i = zeros; i < len; i++) {
        unsigned carry = in[i];
        size_t j = size;
        while (j > 0 && (j > high || carry)) {
            j--;
            carry += 256u * digits[j];
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        high = j;
    }
    memset(s, '1', zeros);
    n = zeros;
    for (size_t j = high; j < size; j++)
        if (n > zeros || digits[j])
            s[n++] = b58_alphabet[digits[j]];
    s[n] = '\0';
    secure_free(digits, size);
    *out = s;
    return CRYPPO_OK;
}

cryppo_status cryppo_base58_decode(const char *in, secbuf *out)
{
    size_t len, ones = 0, size, high;
    secbuf bytes = {NULL, 0};
    secbuf res = {NULL, 0};
    cryppo_status st = CRYPPO_ERR_NOMEM;

    if (!in || !out)
        return CRYPPO_ERR_ARGS;
    len = strlen(in);
    if (len > B58_MAX_INPUT)
        return CRYPPO_ERR_TOO_LARGE;
    while (ones < len && in[ones] == '1')
        ones++;
    size = (len - ones) * 733 / 1000 + 1; /* log(58) / log(256) */
    if (secbuf_alloc(&bytes, size) != 0)
        return CRYPPO_ERR_NOMEM;
    high = size;
    for (size_t i = ones; i < len; i++) {
        int v = b58_value(in[i]);
        unsigned carry;
        size_t j = size;
        if (v < 0) {
            st = CRYPPO_ERR_BASE58;
            goto out;
        }
        carry = (unsigned)v;
        while (j > 0 && (j > high || carry)) {
            j--;
            carry += 58u * bytes.p[j];
            bytes.p[j] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
        high = j;
    }
    while (high < size && bytes.p[high] == 0)
        high++;
    if (secbuf_alloc(&res, ones + size - high) != 0)
        goto out;
    memcpy(res.p + ones, bytes.p + high, size - high);
    *out = res;
    st = CRYPPO_OK;
out:
    secbuf_free(&bytes);
    return st;
}
