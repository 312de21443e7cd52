/* tests/unit_mech/test_wrap.c - C_WrapKey / C_UnwrapKey with AES key wrap
 * (RFC 3394 and RFC 5649 vectors) and CBC_PAD; size rules and errors. */
#include <string.h>

#include "test_suites.h"
#include "test_util.h"

typedef struct kw_vector {
    CK_MECHANISM_TYPE mech;
    const char *kek, *key, *wrapped;
} kw_vector;

static const kw_vector vectors[] = {
    /* RFC 3394 4.1 and 4.6 */
    {CKM_AES_KEY_WRAP, "000102030405060708090a0b0c0d0e0f",
     "00112233445566778899aabbccddeeff",
     "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"},
    {CKM_AES_KEY_WRAP,
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f",
     "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43b"
     "fb988b9b7a02dd21"},
    /* RFC 5649 section 6, under both mechanism numbers */
    {CKM_AES_KEY_WRAP_PAD, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8",
     "c37b7e6492584340bed12207808941155068f738",
     "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"},
    {CKM_AES_KEY_WRAP_KWP, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8",
     "466f7250617369", "afbeb0f07dfbf5419200f2ccb50bb24f"},
    {CKM_AES_KEY_WRAP_KWP, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8",
     "c37b7e6492584340bed12207808941155068f738",
     "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"},
};

static void test_kw_vectors(void)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        uint8_t kek[32], key[40], want[48], out[48];
        size_t kek_len = tu_hex(vectors[i].kek, kek, sizeof(kek));
        size_t key_len = tu_hex(vectors[i].key, key, sizeof(key));
        size_t want_len = tu_hex(vectors[i].wrapped, want, sizeof(want));
        CK_MECHANISM m = {vectors[i].mech, NULL, 0};
        mech_key wk = tu_aes_key(kek, kek_len);
        CK_ULONG n = 0;
        secbuf back = {0};

        TU_ASSERT_RV(mech_wrap(&m, &wk, key, key_len, NULL, &n), CKR_OK);
        CU_ASSERT_EQUAL(n, want_len);
        n = want_len - 1;
        TU_ASSERT_RV(mech_wrap(&m, &wk, key, key_len, out, &n),
                     CKR_BUFFER_TOO_SMALL);
        CU_ASSERT_EQUAL(n, want_len);
        TU_ASSERT_RV(mech_wrap(&m, &wk, key, key_len, out, &n), CKR_OK);
        CU_ASSERT(n == want_len && memcmp(out, want, n) == 0);
        TU_ASSERT_RV(mech_unwrap(&m, &wk, want, want_len, &back), CKR_OK);
        CU_ASSERT(back.len == key_len && memcmp(back.p, key, key_len) == 0);
        secbuf_free(&back);
        /* the same mechanism as plain single-part encryption */
        n = sizeof(out);
        TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &wk, key, key_len, out, &n),
                     CKR_OK);
        CU_ASSERT(n == want_len && memcmp(out, want, n) == 0);
    }
}

static void test_kw_errors(void)
{
    uint8_t kek[16] = {1}, key[32] = {2}, wrapped[40];
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_MECHANISM gcm = {CKM_AES_GCM, NULL, 0};
    CK_MECHANISM bad_iv = {CKM_AES_KEY_WRAP, kek, 5};
    mech_key wk = tu_aes_key(kek, sizeof(kek));
    mech_key rsa = {CKK_RSA, kek, 16, NULL};
    mech_key k17 = tu_aes_key(kek, 17);
    CK_ULONG n = sizeof(wrapped);
    secbuf back = {0};

    TU_ASSERT_RV(mech_wrap(&kw, &wk, key, 15, wrapped, &n), CKR_KEY_SIZE_RANGE);
    TU_ASSERT_RV(mech_wrap(&kw, &wk, key, 20, wrapped, &n), CKR_KEY_SIZE_RANGE);
    TU_ASSERT_RV(mech_wrap(&kw, &rsa, key, 16, wrapped, &n),
                 CKR_WRAPPING_KEY_TYPE_INCONSISTENT);
    TU_ASSERT_RV(mech_wrap(&kw, &k17, key, 16, wrapped, &n),
                 CKR_WRAPPING_KEY_SIZE_RANGE);
    TU_ASSERT_RV(mech_wrap(&gcm, &wk, key, 16, wrapped, &n),
                 CKR_MECHANISM_INVALID);
    TU_ASSERT_RV(mech_wrap(&bad_iv, &wk, key, 16, wrapped, &n),
                 CKR_MECHANISM_PARAM_INVALID);
    n = sizeof(wrapped);
    TU_ASSERT_RV(mech_wrap(&kw, &wk, key, 32, wrapped, &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, 40);
    TU_ASSERT_RV(mech_unwrap(&kw, &wk, wrapped, 36, &back),
                 CKR_WRAPPED_KEY_LEN_RANGE);
    TU_ASSERT_RV(mech_unwrap(&kw, &rsa, wrapped, 40, &back),
                 CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT);
    wrapped[0] ^= 1;
    TU_ASSERT_RV(mech_unwrap(&kw, &wk, wrapped, 40, &back),
                 CKR_WRAPPED_KEY_INVALID);
    CU_ASSERT_PTR_NULL(back.p);
    n = sizeof(wrapped);
    TU_ASSERT_RV(mech_wrap(&kwp, &wk, key, 0, wrapped, &n), CKR_KEY_SIZE_RANGE);
    TU_ASSERT_RV(mech_wrap(&kwp, &wk, key, 5, wrapped, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 16);
    wrapped[15] ^= 1;
    TU_ASSERT_RV(mech_unwrap(&kwp, &wk, wrapped, 16, &back),
                 CKR_WRAPPED_KEY_INVALID);
}

static void test_cbc_pad_wrap(void)
{
    uint8_t kek[32] = {7}, iv[16] = {8}, key[24] = {9}, wrapped[48];
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    mech_key wk = tu_aes_key(kek, sizeof(kek));
    CK_ULONG n = 0;
    secbuf back = {0};

    TU_ASSERT_RV(mech_wrap(&m, &wk, key, sizeof(key), NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, 32);
    TU_ASSERT_RV(mech_wrap(&m, &wk, key, sizeof(key), wrapped, &n), CKR_OK);
    TU_ASSERT_RV(mech_unwrap(&m, &wk, wrapped, n, &back), CKR_OK);
    CU_ASSERT(back.len == sizeof(key) && memcmp(back.p, key, back.len) == 0);
    secbuf_free(&back);
    TU_ASSERT_RV(mech_unwrap(&m, &wk, wrapped, 20, &back),
                 CKR_WRAPPED_KEY_LEN_RANGE);
}

int suite_wrap(void)
{
    static const tu_test tests[] = {
        {"RFC 3394 / 5649 vectors", test_kw_vectors},
        {"key wrap errors", test_kw_errors},
        {"CBC_PAD wrap", test_cbc_pad_wrap},
        {NULL, NULL},
    };
    return tu_add_suite("wrap", tests, NULL);
}
