/* server/util.c - ids, tokens, digests and timestamps. */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

int srv_id_new(char out[SRV_ID_LEN + 1])
{
    uint8_t b[16];

    if (RAND_bytes(b, sizeof(b)) != 1)
        return -1;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, SRV_ID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
    return 0;
}

int srv_token_new(char *out, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint8_t r;
    size_t i = 0;

    while (i < len) {
        if (RAND_bytes(&r, 1) != 1)
            return -1;
        if (r >= 248) /* 248 = 4 * 62: reject to keep it uniform */
            continue;
        out[i++] = alphabet[r % 62];
    }
    out[len] = '\0';
    return 0;
}

void srv_sha256_hex(const void *data, size_t len, char out[SRV_SHA256_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[32];
    unsigned int mdlen = 0;

    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[SRV_SHA256_HEX] = '\0';
}

int64_t srv_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void srv_time_iso(int64_t ms, char out[SRV_TIME_LEN + 1])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    size_t n;

    gmtime_r(&secs, &tm);
    n = strftime(out, SRV_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, SRV_TIME_LEN + 1 - n, ".%03dZ", (int)(ms % 1000));
}

int srv_time_parse(const char *iso, int64_t *ms)
{
    struct tm tm;
    int frac = 0;
    const char *p;

    memset(&tm, 0, sizeof(tm));
    if (!iso)
        return -1;
    p = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return -1;
    if (*p == '.') {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 3)
                frac = frac * 10 + (*p - '0');
        for (; digits < 3; digits++)
            frac *= 10;
    }
    if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0 && *p != '\0')
        return -1;
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    return 0;
}

int srv_is_hex(const char *s, size_t len)
{
    if (!s || strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}
