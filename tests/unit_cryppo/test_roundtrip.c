/* tests/unit_cryppo/test_roundtrip.c - what we write, we (and Meeco's
 * clients) read: byte layouts, round trips, keys, signatures, secrets,
 * and concurrent use from several threads. */
#include "test_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "cryppo.h"

static const uint8_t key32[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                  23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

/* Number of '.'-separated parts and the length of the last one. */
static int count_parts(const char *s, size_t *last_len)
{
    const char *dot = strrchr(s, '.');
    int n = 1;

    for (const char *p = s; *p; p++)
        n += *p == '.';
    *last_len = strlen(dot ? dot + 1 : s);
    return n;
}

static void aes_roundtrip(size_t len)
{
    uint8_t *pt = malloc(len ? len : 1);
    secbuf out = {NULL, 0};
    cryppo_parsed p;
    char *s = NULL, *again = NULL;
    size_t last;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pt);
    for (size_t k = 0; k < len; k++)
        pt[k] = (uint8_t)(k * 31 + 7);
    CU_ASSERT_EQUAL_FATAL(cryppo_aes_encrypt(key32, pt, len, &s), CRYPPO_OK);
    CU_ASSERT_EQUAL(strncmp(s, "Aes256Gcm.", 10), 0);
    CU_ASSERT_EQUAL(count_parts(s, &last), 3);
    CU_ASSERT_EQUAL(last, 88); /* 65 artefact bytes, like cryppo-js */
    CU_ASSERT_EQUAL(strlen(s), 10 + cryppo_b64url_encoded_len(len) + 1 + 88);
    CU_ASSERT_EQUAL_FATAL(cryppo_aes_decrypt(key32, s, &out), CRYPPO_OK);
    CU_ASSERT(out.len == len && memcmp(out.p, pt, len) == 0);
    CU_ASSERT_EQUAL_FATAL(cryppo_parse(s, strlen(s), &p), CRYPPO_OK);
    CU_ASSERT_EQUAL(p.kind, CRYPPO_KIND_AES256GCM);
    CU_ASSERT_STRING_EQUAL(p.ad, "none");
    CU_ASSERT_EQUAL(p.legacy_yaml, 0);
    CU_ASSERT_EQUAL(cryppo_serialize(&p, &again), CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(again, s);
    cryppo_parsed_free(&p);
    free(again);
    free(s);
    secbuf_free(&out);
    free(pt);
}

static void test_aes_sizes(void)
{
    static const size_t sizes[] = {0,    1,    2,    3,    15,   16,  17,
                                   100,  3071, 3072, 3073, 6144, 65537,
                                   1024 * 1024};

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
        aes_roundtrip(sizes[k]);
}

/* The exact 65-byte artefact layout of protocol doc 1.4. */
static void test_aes_artefact_layout(void)
{
    static const uint8_t head[] = {0x41, 0x40, 0, 0, 0, 0x05, 'i', 'v', 0,
                                   0x0c, 0, 0, 0, 0};
    static const uint8_t at[] = {0x05, 'a', 't', 0, 0x10, 0, 0, 0, 0};
    static const uint8_t ad[] = {0x02, 'a', 'd', 0, 5, 0, 0, 0,
                                 'n',  'o', 'n', 'e', 0, 0};
    secbuf art = {NULL, 0};
    char *s = NULL, *a;

    CU_ASSERT_EQUAL_FATAL(cryppo_aes_encrypt(key32, (const uint8_t *)"x", 1,
                                             &s),
                          CRYPPO_OK);
    a = strrchr(s, '.') + 1;
    CU_ASSERT_EQUAL_FATAL(cryppo_b64url_decode(a, strlen(a), &art), CRYPPO_OK);
    CU_ASSERT_EQUAL_FATAL(art.len, 65);
    CU_ASSERT(memcmp(art.p, head, sizeof(head)) == 0);
    CU_ASSERT(memcmp(art.p + 26, at, sizeof(at)) == 0);
    CU_ASSERT(memcmp(art.p + 51, ad, sizeof(ad)) == 0);
    secbuf_free(&art);
    free(s);
}

static void test_aes_random_iv(void)
{
    char *a = NULL, *b = NULL;

    CU_ASSERT_EQUAL(cryppo_aes_encrypt(key32, (const uint8_t *)"same", 4, &a),
                    CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_aes_encrypt(key32, (const uint8_t *)"same", 4, &b),
                    CRYPPO_OK);
    CU_ASSERT(a && b && strcmp(a, b) != 0);
    free(a);
    free(b);
}

static void test_passphrase_roundtrip(void)
{
    static const char *texts[] = {"", "x", "a longer value with ünïcödé"};
    const char *pass = "pässphrase";

    for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        size_t len = strlen(texts[k]), last;
        secbuf out = {NULL, 0};
        cryppo_parsed p;
        char *s = NULL, *again = NULL;

        CU_ASSERT_EQUAL_FATAL(cryppo_passphrase_encrypt(
                                  pass, (const uint8_t *)texts[k], len, &s),
                              CRYPPO_OK);
        CU_ASSERT_EQUAL(count_parts(s, &last), 5);
        CU_ASSERT_EQUAL(last, 88); /* 66 bytes: iv, i, l, hash */
        CU_ASSERT_PTR_NOT_NULL(strstr(s, ".Pbkdf2Hmac."));
        CU_ASSERT_EQUAL_FATAL(cryppo_parse(s, strlen(s), &p), CRYPPO_OK);
        CU_ASSERT_EQUAL(p.kind, CRYPPO_KIND_AES256GCM_PBKDF2);
        CU_ASSERT(p.iterations >= 20000 && p.iterations <= 21999);
        CU_ASSERT_EQUAL(p.salt.len, 20);
        CU_ASSERT_EQUAL(p.key_len, 32);
        CU_ASSERT_STRING_EQUAL(p.hash, "SHA256");
        CU_ASSERT_EQUAL(cryppo_serialize(&p, &again), CRYPPO_OK);
        CU_ASSERT_STRING_EQUAL(again, s);
        CU_ASSERT_EQUAL(cryppo_passphrase_decrypt(pass, s, &out), CRYPPO_OK);
        CU_ASSERT(out.len == len && memcmp(out.p, texts[k], len) == 0);
        secbuf_free(&out);
        CU_ASSERT_EQUAL(cryppo_passphrase_decrypt("passphrase", s, &out),
                        CRYPPO_ERR_DECRYPT);
        cryppo_parsed_free(&p);
        secbuf_free(&out);
        free(again);
        free(s);
    }
}

/* RFC 6070-style check against OpenSSL's own PKCS5_PBKDF2_HMAC result for
 * PBKDF2-HMAC-SHA256("password", "salt", 1, 32). */
static void test_pbkdf2_known(void)
{
    static const char *expected =
        "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b";
    uint8_t out[32], want[32];

    CU_ASSERT_EQUAL(tu_hex_decode(expected, want, sizeof(want)), 32);
    CU_ASSERT_EQUAL_FATAL(cryppo_pbkdf2_sha256((const uint8_t *)"password", 8,
                                               (const uint8_t *)"salt", 4, 1,
                                               out, sizeof(out)),
                          CRYPPO_OK);
    CU_ASSERT(memcmp(out, want, 32) == 0);
    CU_ASSERT_EQUAL(cryppo_pbkdf2_sha256((const uint8_t *)"p", 1, NULL, 0, 0,
                                         out, sizeof(out)),
                    CRYPPO_ERR_ARGS);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void check_rsa_roundtrip(EVP_PKEY *pub, EVP_PKEY *priv)
{
    uint8_t pt[470];
    secbuf out = {NULL, 0};
    char *s = NULL;
    size_t last;

    memset(pt, 0xa5, sizeof(pt));
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_encrypt(pub, pt, sizeof(pt), &s),
                          CRYPPO_OK);
    CU_ASSERT(starts_with(s, "Rsa4096."));
    CU_ASSERT_EQUAL(count_parts(s, &last), 3);
    CU_ASSERT_STRING_EQUAL(strrchr(s, '.'), ".QQUAAAAA");
    CU_ASSERT_EQUAL(strlen(s), 8 + 684 + 9);
    CU_ASSERT_EQUAL(cryppo_rsa_decrypt(priv, s, &out), CRYPPO_OK);
    CU_ASSERT(out.len == sizeof(pt) && memcmp(out.p, pt, sizeof(pt)) == 0);
    secbuf_free(&out);
    CU_ASSERT_EQUAL(cryppo_rsa_decrypt(tu_rsa_other_key(), s, &out),
                    CRYPPO_ERR_DECRYPT);
    CU_ASSERT_EQUAL(cryppo_rsa_decrypt(pub, s, &out), CRYPPO_ERR_KEY_TYPE);
    secbuf_free(&out);
    free(s);
    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(pub, pt, sizeof(pt) + 1, &s),
                    CRYPPO_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(pub, NULL, 0, &s), CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_rsa_decrypt(priv, s, &out), CRYPPO_OK);
    CU_ASSERT_EQUAL(out.len, 0);
    secbuf_free(&out);
    free(s);
}

/* One RSA-4096 key generation per run: e, size, PEM shapes, reload. */
static void test_rsa_generate_and_pem(void)
{
    EVP_PKEY *key = NULL, *pub = NULL, *priv = NULL;
    secbuf pem = {NULL, 0};
    char *pub_pem = NULL;
    BIGNUM *e = NULL;

    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_generate(4096, &key), CRYPPO_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_get_bits(key), 4096);
    CU_ASSERT(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
              BN_is_word(e, 65537));
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_private_to_pem(key, &pem), CRYPPO_OK);
    CU_ASSERT(starts_with((const char *)pem.p,
                          "-----BEGIN RSA PRIVATE KEY-----\r\n"));
    CU_ASSERT_PTR_NULL(strstr((const char *)pem.p, "\n\n"));
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_public_to_pem(key, &pub_pem), CRYPPO_OK);
    CU_ASSERT(starts_with(pub_pem, "-----BEGIN PUBLIC KEY-----\r\n"));
    CU_ASSERT_STRING_EQUAL(pub_pem + strlen(pub_pem) - 26,
                           "-----END PUBLIC KEY-----\r\n");
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_private_from_pem((const char *)pem.p,
                                                      pem.len, &priv),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_public_from_pem(pub_pem, strlen(pub_pem),
                                                     &pub),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(pub, key), 1);
    check_rsa_roundtrip(pub, priv);
    CU_ASSERT_EQUAL(cryppo_rsa_generate(1024, &key), CRYPPO_ERR_ARGS);
    BN_free(e);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(priv);
    secbuf_free(&pem);
    free(pub_pem);
}

static EVP_PKEY *fixture_key(const char *name, int private_key)
{
    size_t len = 0;
    char *pem = tu_fixture_read(name, &len);
    EVP_PKEY *key = NULL;
    cryppo_status st =
        !pem ? CRYPPO_ERR_ARGS
        : private_key ? cryppo_rsa_private_from_pem(pem, len, &key)
                      : cryppo_rsa_public_from_pem(pem, len, &key);

    free(pem);
    CU_ASSERT_EQUAL(st, CRYPPO_OK);
    return key;
}

/* PEM input: PKCS#1, PKCS#8, SPKI and PKCS#1 public are all read. */
static void test_rsa_pem_inputs(void)
{
    EVP_PKEY *pkcs8 = fixture_key("cryppo-rsa4096-pkcs8.pem", 1);
    EVP_PKEY *spki = fixture_key("cryppo-rsa4096-spki.pem", 0);
    EVP_PKEY *pkcs1pub = fixture_key("cryppo-rsa4096-pkcs1-pub.pem", 0);
    EVP_PKEY *key = NULL;
    size_t len = 0;
    char *pem = tu_fixture_read("cryppo-rsa4096-spki.pem", &len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(tu_rsa_key());
    CU_ASSERT_EQUAL(EVP_PKEY_eq(pkcs8, tu_rsa_key()), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(spki, tu_rsa_key()), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(pkcs1pub, tu_rsa_key()), 1);
    check_rsa_roundtrip(pkcs1pub, pkcs8);
    CU_ASSERT_EQUAL(cryppo_rsa_private_from_pem(pem, len, &key),
                    CRYPPO_ERR_KEY_TYPE);
    CU_ASSERT_EQUAL(cryppo_rsa_private_from_pem("-----BEGIN RSA PRIVATE "
                                                "KEY-----\nAAAA\n",
                                                30, &key),
                    CRYPPO_ERR_KEY);
    CU_ASSERT_EQUAL(cryppo_rsa_public_from_pem("garbage", 7, &key),
                    CRYPPO_ERR_KEY);
    CU_ASSERT_EQUAL(cryppo_rsa_public_from_pem("", 0, &key), CRYPPO_ERR_KEY);
    free(pem);
    EVP_PKEY_free(pkcs8);
    EVP_PKEY_free(spki);
    EVP_PKEY_free(pkcs1pub);
}

/* cryppo-js writes legacy RSA artefacts as YAML "---\n{}\n"; Elixir as
 * "---\n'ad': ''\n'at': ''\n'iv': ''\n".  Both are read. */
static void test_rsa_legacy_artefacts(void)
{
    static const char *yaml[] = {"LS0tCnt9Cg==",
                                 "LS0tCidhZCc6ICcnCidhdCc6ICcnCidpdic6ICcnCg=="};
    EVP_PKEY *key = tu_rsa_key();
    secbuf out = {NULL, 0};
    char *s = NULL, *legacy;

    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    CU_ASSERT_EQUAL_FATAL(cryppo_rsa_encrypt(key, (const uint8_t *)"dek", 3,
                                             &s),
                          CRYPPO_OK);
    for (size_t k = 0; k < sizeof(yaml) / sizeof(yaml[0]); k++) {
        legacy = malloc(strlen(s) + strlen(yaml[k]) + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(legacy);
        strcpy(legacy, s);
        strcpy(strrchr(legacy, '.') + 1, yaml[k]);
        CU_ASSERT_EQUAL(cryppo_rsa_decrypt(key, legacy, &out), CRYPPO_OK);
        CU_ASSERT(out.len == 3 && memcmp(out.p, "dek", 3) == 0);
        secbuf_free(&out);
        free(legacy);
    }
    free(s);
}

static void test_signatures(void)
{
    EVP_PKEY *priv = tu_rsa_key();
    EVP_PKEY *pub = fixture_key("cryppo-rsa4096-spki.pem", 0);
    uint8_t data[CRYPPO_SIGN_MAX_DATA + 1];
    secbuf out = {NULL, 0};
    cryppo_parsed p;
    char *s = NULL, *again = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
    memset(data, 'd', sizeof(data));
    for (size_t len = 0; len <= CRYPPO_SIGN_MAX_DATA; len += 256) {
        CU_ASSERT_EQUAL_FATAL(cryppo_sign(priv, data, len, &s), CRYPPO_OK);
        CU_ASSERT(starts_with(s, "Sign.Rsa4096."));
        CU_ASSERT_EQUAL(cryppo_verify(pub, s, &out), CRYPPO_OK);
        CU_ASSERT(out.len == len && memcmp(out.p, data, len) == 0);
        CU_ASSERT_EQUAL(cryppo_verify(pub, s, NULL), CRYPPO_OK);
        CU_ASSERT_EQUAL(cryppo_verify(tu_rsa_other_key(), s, NULL),
                        CRYPPO_ERR_SIGNATURE);
        CU_ASSERT_EQUAL_FATAL(cryppo_parse(s, strlen(s), &p), CRYPPO_OK);
        CU_ASSERT_EQUAL(cryppo_serialize(&p, &again), CRYPPO_OK);
        CU_ASSERT_STRING_EQUAL(again, s);
        cryppo_parsed_free(&p);
        free(again);
        secbuf_free(&out);
        free(s);
    }
    CU_ASSERT_EQUAL(cryppo_sign(priv, data, sizeof(data), &s),
                    CRYPPO_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(cryppo_sign(pub, data, 1, &s), CRYPPO_ERR_KEY_TYPE);
    /* tampering with the carried data breaks the signature */
    CU_ASSERT_EQUAL_FATAL(cryppo_sign(priv, (const uint8_t *)"abc", 3, &s),
                          CRYPPO_OK);
    s[strlen(s) - 2] = 'j'; /* "YWJj" -> "YWjj" */
    CU_ASSERT_EQUAL(cryppo_verify(pub, s, &out), CRYPPO_ERR_SIGNATURE);
    CU_ASSERT_PTR_NULL(out.p);
    free(s);
    EVP_PKEY_free(pub);
}

static void test_secret_generate(void)
{
    uint8_t pdk1[32], pdk2[32];
    cryppo_secret s;
    char *secret = NULL;
    const char *key_part;

    CU_ASSERT_EQUAL_FATAL(cryppo_secret_generate("user-0001", &secret),
                          CRYPPO_OK);
    CU_ASSERT(starts_with(secret, "1.user-0001."));
    key_part = secret + strlen("1.user-0001.");
    for (size_t k = 6; k < strlen(key_part); k += 7)
        CU_ASSERT_EQUAL(key_part[k], '-');
    CU_ASSERT_EQUAL_FATAL(cryppo_secret_parse(secret, &s), CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(s.username, "user-0001");
    CU_ASSERT(strlen(s.key) >= 43 && strlen(s.key) <= 44);
    CU_ASSERT_PTR_NULL(strchr(s.key, '-'));
    CU_ASSERT_EQUAL(cryppo_secret_derive_pdk(&s, "pass", pdk1), CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_secret_derive_pdk(&s, "pasS", pdk2), CRYPPO_OK);
    CU_ASSERT(memcmp(pdk1, pdk2, 32) != 0);
    CU_ASSERT_EQUAL(cryppo_secret_generate("a.b", &secret), CRYPPO_ERR_ARGS);
    CU_ASSERT_EQUAL(cryppo_secret_generate("", &secret), CRYPPO_ERR_ARGS);
    cryppo_secret_free(&s);
    free(secret);
}

/* Threads that race on the first libctx use and then encrypt/decrypt. */
static void *worker(void *arg)
{
    long failures = 0;

    (void)arg;
    for (int k = 0; k < 200; k++) {
        uint8_t pt[64];
        secbuf out = {NULL, 0};
        char *s = NULL;
        memset(pt, k, sizeof(pt));
        if (cryppo_aes_encrypt(key32, pt, sizeof(pt), &s) != CRYPPO_OK ||
            cryppo_aes_decrypt(key32, s, &out) != CRYPPO_OK ||
            out.len != sizeof(pt) || memcmp(out.p, pt, sizeof(pt)) != 0)
            failures++;
        secbuf_free(&out);
        free(s);
    }
    return (void *)failures;
}

static void test_threads(void)
{
    pthread_t t[4];
    void *res;
    long failures = 0;

    for (int k = 0; k < 4; k++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t[k], NULL, worker, NULL), 0);
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_EQUAL(pthread_join(t[k], &res), 0);
        failures += (long)res;
    }
    CU_ASSERT_EQUAL(failures, 0);
}

int suite_roundtrip_add(void)
{
    CU_pSuite s = CU_add_suite("roundtrip", NULL, NULL);

    if (!s || !CU_add_test(s, "threads (first use races)", test_threads) ||
        !CU_add_test(s, "AES sizes 0..1 MiB", test_aes_sizes) ||
        !CU_add_test(s, "AES artefact layout", test_aes_artefact_layout) ||
        !CU_add_test(s, "AES random IV", test_aes_random_iv) ||
        !CU_add_test(s, "PBKDF2 known answer", test_pbkdf2_known) ||
        !CU_add_test(s, "passphrase round trips", test_passphrase_roundtrip) ||
        !CU_add_test(s, "RSA keygen, PEM out/in, OAEP",
                     test_rsa_generate_and_pem) ||
        !CU_add_test(s, "RSA PEM inputs", test_rsa_pem_inputs) ||
        !CU_add_test(s, "RSA legacy YAML artefacts",
                     test_rsa_legacy_artefacts) ||
        !CU_add_test(s, "signatures", test_signatures) ||
        !CU_add_test(s, "secret key generate", test_secret_generate))
        return CU_get_error();
    return 0;
}
