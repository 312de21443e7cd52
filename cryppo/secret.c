/* cryppo/secret.c - Meeco Secret Key v1 (protocol doc section 2):
 *
 *   "1.<username>.<base58(32 random bytes) in groups of 6 joined by '-'>"
 *
 * The hyphen-free base58 text is used as PBKDF2 salt bytes (never
 * base58-decoded): PDK with the text, SRP password with the text reversed.
 */
#include "internal.h"

#include <string.h>

#define SECRET_VERSION "1"
#define SECRET_RANDOM_LEN 32
#define SECRET_GROUP 6
#define SECRET_MAX_LEN 1024

static const char b58_chars[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static void secret_wipe_str(char *s)
{
    if (s)
        secure_free(s, strlen(s) + 1);
}

cryppo_status cryppo_secret_generate(const char *username, char **secret)
{
    uint8_t raw[SECRET_RANDOM_LEN];
    char *b58 = NULL, *s = NULL, *w;
    size_t n, total;
    cryppo_status st;

    if (!username || !secret || !*username || strchr(username, '.') ||
        strlen(username) > SECRET_MAX_LEN)
        return CRYPPO_ERR_ARGS;
    st = cryppo_random(raw, sizeof(raw));
    if (st == CRYPPO_OK)
        st = cryppo_base58_encode(raw, sizeof(raw), &b58);
    secure_wipe(raw, sizeof(raw));
    if (st != CRYPPO_OK)
        return st;
    n = strlen(b58);
    total = strlen(SECRET_VERSION) + 1 + strlen(username) + 1 + n +
            (n - 1) / SECRET_GROUP;
    s = malloc(total + 1);
    if (!s) {
        secret_wipe_str(b58);
        return CRYPPO_ERR_NOMEM;
    }
    w = s + strlen(SECRET_VERSION ".");
    memcpy(s, SECRET_VERSION ".", strlen(SECRET_VERSION "."));
    memcpy(w, username, strlen(username));
    w += strlen(username);
    *w++ = '.';
    for (size_t k = 0; k < n; k++) {
        if (k && k % SECRET_GROUP == 0)
            *w++ = '-';
        *w++ = b58[k];
    }
    *w = '\0';
    secret_wipe_str(b58);
    *secret = s;
    return CRYPPO_OK;
}

static char *dup_range(const char *p, size_t n)
{
    char *s = malloc(n + 1);

    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* The key part without '-'; NULL result and CRYPPO_ERR_SECRET_FORMAT if
 * empty or not base58. */
static cryppo_status key_strip(const char *p, size_t n, char **out)
{
    char *key = malloc(n + 1);
    size_t w = 0;

    if (!key)
        return CRYPPO_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '-')
            continue;
        if (!memchr(b58_chars, p[k], sizeof(b58_chars) - 1)) {
            secure_free(key, n + 1);
            return CRYPPO_ERR_SECRET_FORMAT;
        }
        key[w++] = p[k];
    }
    key[w] = '\0';
    if (!w) {
        secure_free(key, n + 1);
        return CRYPPO_ERR_SECRET_FORMAT;
    }
    *out = key;
    return CRYPPO_OK;
}

cryppo_status cryppo_secret_parse(const char *secret, cryppo_secret *out)
{
    const char *dot1, *dot2;
    cryppo_secret s = {NULL, NULL, NULL};
    cryppo_status st;

    if (!out)
        return CRYPPO_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    if (!secret)
        return CRYPPO_ERR_ARGS;
    if (strlen(secret) > SECRET_MAX_LEN)
        return CRYPPO_ERR_SECRET_FORMAT;
    dot1 = strchr(secret, '.');
    dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.') || dot1 == secret ||
        dot2 == dot1 + 1 || !dot2[1])
        return CRYPPO_ERR_SECRET_FORMAT;
    if ((size_t)(dot1 - secret) != strlen(SECRET_VERSION) ||
        memcmp(secret, SECRET_VERSION, strlen(SECRET_VERSION)) != 0)
        return CRYPPO_ERR_SECRET_FORMAT;
    st = key_strip(dot2 + 1, strlen(dot2 + 1), &s.key);
    if (st != CRYPPO_OK)
        return st;
    s.version = dup_range(secret, (size_t)(dot1 - secret));
    s.username = dup_range(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!s.version || !s.username) {
        cryppo_secret_free(&s);
        return CRYPPO_ERR_NOMEM;
    }
    *out = s;
    return CRYPPO_OK;
}

void cryppo_secret_free(cryppo_secret *s)
{
    if (!s)
        return;
    free(s->version);
    free(s->username);
    secret_wipe_str(s->key);
    memset(s, 0, sizeof(*s));
}

static cryppo_status derive(const char *passphrase, const char *salt,
                            uint8_t out[32])
{
    return cryppo_pbkdf2_sha256((const uint8_t *)passphrase,
                                strlen(passphrase), (const uint8_t *)salt,
                                strlen(salt), MEECO_DERIVATION_ITERATIONS,
                                out, 32);
}

cryppo_status cryppo_secret_derive_pdk(const cryppo_secret *s,
                                       const char *passphrase,
                                       uint8_t pdk[32])
{
    if (!s || !s->key || !*s->key || !passphrase || !pdk)
        return CRYPPO_ERR_ARGS;
    return derive(passphrase, s->key, pdk);
}

/* Each byte as a Latin-1 code point, UTF-8 encoded (what jsrp hashes). */
static cryppo_status latin1_to_utf8(const uint8_t *in, size_t len,
                                    secbuf *out)
{
    size_t high = 0, w = 0;

    for (size_t k = 0; k < len; k++)
        high += in[k] >= 0x80;
    if (secbuf_alloc(out, len + high) != 0)
        return CRYPPO_ERR_NOMEM;
    for (size_t k = 0; k < len; k++) {
        if (in[k] < 0x80) {
            out->p[w++] = in[k];
            continue;
        }
        out->p[w++] = (uint8_t)(0xC0 | in[k] >> 6);
        out->p[w++] = (uint8_t)(0x80 | (in[k] & 0x3F));
    }
    return CRYPPO_OK;
}

cryppo_status cryppo_secret_derive_srp_password(const cryppo_secret *s,
                                                const char *passphrase,
                                                secbuf *password)
{
    uint8_t raw[32];
    char *reversed;
    size_t n;
    cryppo_status st;

    if (!s || !s->key || !*s->key || !passphrase || !password)
        return CRYPPO_ERR_ARGS;
    n = strlen(s->key);
    reversed = malloc(n + 1);
    if (!reversed)
        return CRYPPO_ERR_NOMEM;
    for (size_t k = 0; k < n; k++)
        reversed[k] = s->key[n - 1 - k];
    reversed[n] = '\0';
    st = derive(passphrase, reversed, raw);
    secure_free(reversed, n + 1);
    if (st == CRYPPO_OK)
        st = latin1_to_utf8(raw, sizeof(raw), password);
    secure_wipe(raw, sizeof(raw));
    return st;
}
