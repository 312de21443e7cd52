/* fuzz/fuzz_cryppo_parse.c - libFuzzer target for the Cryppo deserializer.
 *
 * Feeds the input to cryppo_parse (checking that a parsed value
 * re-serializes and re-parses to the same thing), then, as a C string,
 * to cryppo_aes_decrypt and cryppo_passphrase_decrypt with fixed keys,
 * to cryppo_rsa_decrypt and cryppo_verify with a fixed RSA-2048 key, to
 * the secret-key parser and to both decoders.  Derived-key strings
 * asking for more than MAX_ITERATIONS PBKDF2 rounds are skipped so each
 * run stays fast (the library's own bound is 10 million).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"

#define MAX_ITERATIONS 1000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_key[CRYPPO_AES_KEY_LEN] = {
    0xb1, 0xf0, 0x77, 0x83, 0x0a, 0x7c, 0x6c, 0x9e, 0x35, 0xf9, 0xc2,
    0x01, 0x4b, 0x79, 0x4f, 0x7f, 0x94, 0x1d, 0x3b, 0xa8, 0xf3, 0x39,
    0x84, 0xf6, 0x5b, 0xfd, 0xf7, 0x94, 0xec, 0xf2, 0xd9, 0xf7};

static int same_bytes(const secbuf *a, const secbuf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* serialize(parse(x)) parses again, to the same value, and serializing
 * that gives the same string. */
static void check_roundtrip(const cryppo_parsed *p)
{
    cryppo_parsed q;
    char *s = NULL, *t = NULL;

    if (cryppo_serialize(p, &s) != CRYPPO_OK)
        abort();
    if (cryppo_parse(s, strlen(s), &q) != CRYPPO_OK)
        abort();
    if (q.kind != p->kind || q.rsa_bits != p->rsa_bits ||
        !same_bytes(&q.data, &p->data) ||
        !same_bytes(&q.signed_data, &p->signed_data) ||
        !same_bytes(&q.salt, &p->salt) || q.iterations != p->iterations ||
        q.key_len != p->key_len || memcmp(q.iv, p->iv, sizeof(q.iv)) != 0 ||
        memcmp(q.tag, p->tag, sizeof(q.tag)) != 0)
        abort();
    if (cryppo_serialize(&q, &t) != CRYPPO_OK || strcmp(s, t) != 0)
        abort();
    cryppo_parsed_free(&q);
    free(s);
    free(t);
}

/* Parse; returns 1 if a derived-key string needs too many iterations. */
static int parse_and_check(const char *s, size_t len)
{
    cryppo_parsed p;
    int heavy = 0;

    if (cryppo_parse(s, len, &p) != CRYPPO_OK)
        return 0;
    heavy = p.kind == CRYPPO_KIND_AES256GCM_PBKDF2 &&
            p.iterations > MAX_ITERATIONS;
    check_roundtrip(&p);
    cryppo_parsed_free(&p);
    return heavy;
}

/* One RSA-2048 key for the whole run (names must say Rsa2048 to reach
 * the private-key operation; verification always runs). */
static EVP_PKEY *fuzz_rsa_key(void)
{
    static EVP_PKEY *key;

    if (!key && cryppo_rsa_generate(2048, &key) != CRYPPO_OK)
        abort();
    return key;
}

static void decrypt_all(const char *str, int heavy)
{
    secbuf out = {NULL, 0};
    cryppo_secret secret;

    if (cryppo_rsa_decrypt(fuzz_rsa_key(), str, &out) == CRYPPO_OK)
        secbuf_free(&out);
    if (cryppo_verify(fuzz_rsa_key(), str, &out) == CRYPPO_OK)
        abort(); /* nobody can forge our key's signature */

    if (cryppo_aes_decrypt(fuzz_key, str, &out) == CRYPPO_OK)
        secbuf_free(&out);
    if (!heavy && cryppo_passphrase_decrypt("fuzz", str, &out) == CRYPPO_OK)
        secbuf_free(&out);
    if (out.p)
        abort(); /* a failed call left output behind */
    if (cryppo_secret_parse(str, &secret) == CRYPPO_OK)
        cryppo_secret_free(&secret);
    if (cryppo_base58_decode(str, &out) == CRYPPO_OK)
        secbuf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str = malloc(size + 1);
    secbuf out = {NULL, 0};
    int heavy;

    if (!str)
        return 0;
    memcpy(str, data, size);
    str[size] = '\0';
    (void)parse_and_check(str, size);            /* embedded NULs included */
    heavy = parse_and_check(str, strlen(str));   /* what the C-string APIs see */
    decrypt_all(str, heavy);
    if (cryppo_b64url_decode(str, size, &out) == CRYPPO_OK) {
        char *again = NULL;
        /* canonical base64 only: decode then encode is the identity */
        if (cryppo_b64url_encode(out.p, out.len, &again) != CRYPPO_OK ||
            (size % 4 == 0 && strcmp(again, str) != 0))
            abort();
        free(again);
        secbuf_free(&out);
    }
    free(str);
    return 0;
}
