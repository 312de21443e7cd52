/* tests/unit_cryppo/test_encoding.c - base64url, base58, statuses, random. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "cryppo.h"

static void check_b64(const char *bytes, size_t len, const char *text)
{
    char *enc = NULL;
    secbuf dec = {NULL, 0};

    CU_ASSERT_EQUAL_FATAL(cryppo_b64url_encode((const uint8_t *)bytes, len,
                                               &enc),
                          CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(enc, text);
    CU_ASSERT_EQUAL(cryppo_b64url_encoded_len(len), strlen(text));
    CU_ASSERT_EQUAL_FATAL(cryppo_b64url_decode(text, strlen(text), &dec),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL(dec.len, len);
    CU_ASSERT(len == 0 || memcmp(dec.p, bytes, len) == 0);
    free(enc);
    secbuf_free(&dec);
}

static void test_b64_known(void)
{
    check_b64("", 0, "");
    check_b64("f", 1, "Zg==");
    check_b64("fo", 2, "Zm8=");
    check_b64("foo", 3, "Zm9v");
    check_b64("foob", 4, "Zm9vYg==");
    check_b64("\xfb\xff", 2, "-_8=");
    check_b64("\xff\xfe\xfd\xfc", 4, "__79_A==");
}

static void check_unpadded(const char *text, const char *bytes, size_t len)
{
    secbuf dec = {NULL, 0};

    CU_ASSERT_EQUAL_FATAL(cryppo_b64url_decode(text, strlen(text), &dec),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL(dec.len, len);
    CU_ASSERT(memcmp(dec.p, bytes, len) == 0);
    CU_ASSERT_EQUAL(dec.p[dec.len], 0); /* secbuf keeps a NUL after the data */
    secbuf_free(&dec);
}

static void test_b64_unpadded(void)
{
    check_unpadded("Zg", "f", 1);
    check_unpadded("Zm8", "fo", 2);
    check_unpadded("-_8", "\xfb\xff", 2);
}

static void test_b64_rejects(void)
{
    static const char *bad[] = {"Zg=", "Z", "Zm9v!", "Zm+v", "Zm/v", "Zh==",
                                "Zm9=", "Z===", "=Zg=", "Zg==Zg==", "Zm 9"};
    secbuf dec = {NULL, 0};

    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
        CU_ASSERT_EQUAL(cryppo_b64url_decode(bad[k], strlen(bad[k]), &dec),
                        CRYPPO_ERR_BASE64);
    CU_ASSERT_EQUAL(cryppo_b64url_decode(NULL, 1, &dec), CRYPPO_ERR_ARGS);
}

static void test_b64_roundtrip_lengths(void)
{
    uint8_t buf[400];
    char *enc = NULL;
    secbuf dec = {NULL, 0};

    CU_ASSERT_EQUAL_FATAL(cryppo_random(buf, sizeof(buf)), CRYPPO_OK);
    for (size_t len = 0; len <= sizeof(buf); len++) {
        CU_ASSERT_EQUAL_FATAL(cryppo_b64url_encode(buf, len, &enc), CRYPPO_OK);
        CU_ASSERT_EQUAL(strlen(enc) % 4, 0);
        CU_ASSERT_EQUAL_FATAL(cryppo_b64url_decode(enc, strlen(enc), &dec),
                              CRYPPO_OK);
        CU_ASSERT(dec.len == len && memcmp(dec.p, buf, len) == 0);
        free(enc);
        secbuf_free(&dec);
    }
}

/* Every byte value at every position of a 96-character text (whole
 * vector blocks and the scalar tail): valid exactly for the url-safe
 * alphabet, and decoded like a plain reference decoder. */
static void test_b64_every_char(void)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char text[96];
    uint8_t want[72];
    secbuf dec = {NULL, 0};
    int mismatches = 0;

    for (int pos = 0; pos < 96; pos++) {
        for (int c = 1; c < 256; c++) {
            const char *hit = memchr(alphabet, c, 64);
            cryppo_status st;
            if (c == '=' && pos == 95)
                continue; /* "...A=" is valid padding */
            memset(text, 'A', sizeof(text));
            text[pos] = (char)c;
            memset(want, 0, sizeof(want));
            if (hit) { /* 'A' is 0: only this character's 6 bits are set */
                unsigned v = (unsigned)(hit - alphabet);
                unsigned bit = (unsigned)pos * 6;
                for (int b = 0; b < 6; b++)
                    if (v & (32u >> b))
                        want[(bit + b) / 8] |= (uint8_t)(0x80 >> ((bit + b) % 8));
            }
            st = cryppo_b64url_decode(text, sizeof(text), &dec);
            if (hit ? st != CRYPPO_OK || dec.len != 72 ||
                          memcmp(dec.p, want, 72) != 0
                    : st != CRYPPO_ERR_BASE64)
                mismatches++;
            secbuf_free(&dec);
        }
    }
    CU_ASSERT_EQUAL(mismatches, 0);
}

static void check_b58(const uint8_t *bytes, size_t len, const char *text)
{
    char *enc = NULL;
    secbuf dec = {NULL, 0};

    CU_ASSERT_EQUAL_FATAL(cryppo_base58_encode(bytes, len, &enc), CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(enc, text);
    CU_ASSERT_EQUAL_FATAL(cryppo_base58_decode(text, &dec), CRYPPO_OK);
    CU_ASSERT_EQUAL(dec.len, len);
    CU_ASSERT(len == 0 || memcmp(dec.p, bytes, len) == 0);
    free(enc);
    secbuf_free(&dec);
}

static void test_b58_known(void)
{
    uint8_t secret[32];

    check_b58((const uint8_t *)"", 0, "");
    check_b58((const uint8_t *)"\0", 1, "1");
    check_b58((const uint8_t *)"\0\0\x01", 3, "112");
    check_b58((const uint8_t *)"\x39", 1, "z");
    check_b58((const uint8_t *)"\x3a", 1, "21");
    check_b58((const uint8_t *)"hello world", 11, "StV1DL6CwTryKyV");
    for (int k = 0; k < 32; k++)
        secret[k] = (uint8_t)(k * 7 + 1); /* the secret-key vector's bytes */
    check_b58(secret, sizeof(secret),
              "52Y2w7NXvFk4zUsVGXaq3ai8xBVNV8FX7aME2Vpz2tH");
}

static void test_b58_roundtrip(void)
{
    uint8_t buf[40];
    char *enc = NULL;
    secbuf dec = {NULL, 0};

    for (int round = 0; round < 50; round++) {
        size_t len = (size_t)round % sizeof(buf);
        CU_ASSERT_EQUAL_FATAL(cryppo_random(buf, sizeof(buf)), CRYPPO_OK);
        if (round % 3 == 0 && len > 2)
            buf[0] = buf[1] = 0; /* leading zeros become '1's */
        CU_ASSERT_EQUAL_FATAL(cryppo_base58_encode(buf, len, &enc), CRYPPO_OK);
        CU_ASSERT_EQUAL_FATAL(cryppo_base58_decode(enc, &dec), CRYPPO_OK);
        CU_ASSERT(dec.len == len && memcmp(dec.p, buf, len) == 0);
        free(enc);
        secbuf_free(&dec);
    }
}

static void test_status_names(void)
{
    for (int a = 0; a < CRYPPO_STATUS_COUNT; a++) {
        const char *name = cryppo_status_name((cryppo_status)a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(name);
        CU_ASSERT_EQUAL(strncmp(name, "CRYPPO_", 7), 0);
        CU_ASSERT(strlen(cryppo_strerror((cryppo_status)a)) > 3);
        for (int b = 0; b < a; b++)
            CU_ASSERT(strcmp(name, cryppo_status_name((cryppo_status)b)) != 0);
    }
    CU_ASSERT_STRING_EQUAL(cryppo_status_name(CRYPPO_ERR_DECRYPT),
                           "CRYPPO_ERR_DECRYPT");
    CU_ASSERT_STRING_EQUAL(cryppo_status_name(CRYPPO_STATUS_COUNT),
                           "CRYPPO_STATUS_UNKNOWN");
    CU_ASSERT_PTR_NOT_NULL(cryppo_strerror((cryppo_status)-1));
}

static void test_random_and_libctx(void)
{
    uint8_t a[32] = {0}, b[32] = {0};

    CU_ASSERT_PTR_NOT_NULL(cryppo_libctx());
    CU_ASSERT_PTR_EQUAL(cryppo_libctx(), cryppo_libctx());
    CU_ASSERT_EQUAL(cryppo_random(a, sizeof(a)), CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_random(b, sizeof(b)), CRYPPO_OK);
    CU_ASSERT(memcmp(a, b, sizeof(a)) != 0);
    CU_ASSERT_EQUAL(cryppo_random(NULL, 1), CRYPPO_ERR_ARGS);
    CU_ASSERT_EQUAL(cryppo_random(NULL, 0), CRYPPO_OK);
}

int suite_encoding_add(void)
{
    CU_pSuite s = CU_add_suite("encoding", NULL, NULL);

    if (!s || !CU_add_test(s, "base64url known answers", test_b64_known) ||
        !CU_add_test(s, "base64url without padding", test_b64_unpadded) ||
        !CU_add_test(s, "base64url rejects", test_b64_rejects) ||
        !CU_add_test(s, "base64url all lengths", test_b64_roundtrip_lengths) ||
        !CU_add_test(s, "base64url every character", test_b64_every_char) ||
        !CU_add_test(s, "base58 known answers", test_b58_known) ||
        !CU_add_test(s, "base58 round trips", test_b58_roundtrip) ||
        !CU_add_test(s, "status names and messages", test_status_names) ||
        !CU_add_test(s, "random bytes and libctx", test_random_and_libctx))
        return CU_get_error();
    return 0;
}
