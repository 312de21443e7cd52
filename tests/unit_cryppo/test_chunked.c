/* tests/unit_cryppo/test_chunked.c - large Aes256Gcm values: sizes around
 * CRYPPO_CHUNKED_MIN and around the chunk and slice boundaries, checked
 * against raw OpenSSL and the single-pass serializer, tampering and bad
 * base64 inside the last chunk, several threads at once, and fork.
 *
 * The same tests run whether the library was built with the helper
 * thread (CRYPPO_CHUNKED_THREADS=ON) or without: the strings must be the
 * same either way.  test_direct calls the helper-thread decryption
 * itself, so it is tested in the default build too. */
#include "test_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "internal.h"

#define MIN CRYPPO_CHUNKED_MIN
#define CHUNK CRYPPO_CHUNK_BYTES
#define MIB (1024 * 1024)
#define THREADS 3

static const uint8_t key[32] = {9,  8,  7,  6,  5,  4,  3,  2,  1,  0, 11,
                                12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static uint8_t *pattern(size_t len, unsigned seed)
{
    uint8_t *p = malloc(len ? len : 1);

    for (size_t k = 0; p && k < len; k++)
        p[k] = (uint8_t)((k * 2654435761u + seed) >> 13);
    return p;
}

/* AES-256-GCM of data under iv/tag with AAD "none" through raw EVP. */
static int evp_open(const cryppo_parsed *p, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n, ok;

    ok = ctx &&
         EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, p->iv) &&
         EVP_DecryptUpdate(ctx, NULL, &n, (const uint8_t *)"none", 4) &&
         EVP_DecryptUpdate(ctx, out, &n, p->data.p, (int)p->data.len) &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
                             (void *)p->tag) &&
         EVP_DecryptFinal_ex(ctx, out + n, &n) > 0;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

/* Encrypt len bytes; the string must decode (single-pass codec) to what
 * raw EVP opens, re-serialize to itself, and decrypt back. */
static void check_size(size_t len)
{
    uint8_t *pt = pattern(len, (unsigned)len), *raw = malloc(len + 16);
    cryppo_parsed p;
    secbuf out = {NULL, 0};
    char *s = NULL, *again = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    CU_ASSERT_EQUAL_FATAL(cryppo_aes_encrypt(key, pt, len, &s), CRYPPO_OK);
    CU_ASSERT_EQUAL(strlen(s), 10 + cryppo_b64url_encoded_len(len) + 1 + 88);
    CU_ASSERT_EQUAL_FATAL(cryppo_parse(s, strlen(s), &p), CRYPPO_OK);
    CU_ASSERT_EQUAL(p.data.len, len);
    CU_ASSERT(evp_open(&p, raw) && memcmp(raw, pt, len) == 0);
    CU_ASSERT_EQUAL(cryppo_serialize(&p, &again), CRYPPO_OK);
    CU_ASSERT(again && strcmp(again, s) == 0);
    CU_ASSERT_EQUAL(cryppo_aes_decrypt(key, s, &out), CRYPPO_OK);
    CU_ASSERT(out.len == len && memcmp(out.p, pt, len) == 0 &&
              out.p[len] == 0);
    secbuf_free(&out);
    cryppo_parsed_free(&p);
    free(again);
    free(s);
    free(raw);
    free(pt);
}

static void test_sizes(void)
{
    /* threshold, chunk edges (+1/+2 leave base64 padding in the last
     * chunk), the single-pass slice edges (12288), 1 MiB and beyond */
    static const size_t sizes[] = {
        MIN - 1,          MIN,           MIN + 1,          MIN + 2,
        MIN + 3,          11 * CHUNK - 1, 11 * CHUNK,      11 * CHUNK + 1,
        11 * CHUNK + 2,   12 * CHUNK,    21 * 12288 + 16, MIB - 1,
        MIB,              MIB + 1,       MIB + 3,          3 * MIB + 5};

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
        check_size(sizes[k]);
}

/* A string that raw EVP and the serializer made decrypts the same. */
static void test_foreign_string(void)
{
    static const size_t sizes[] = {MIN, MIB + 3};

    for (size_t k = 0; k < 2; k++) {
        size_t len = sizes[k];
        uint8_t *pt = pattern(len, 77);
        cryppo_parsed p = {0};
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        secbuf out = {NULL, 0};
        char *s = NULL;
        int n;

        CU_ASSERT_FATAL(pt && ctx && secbuf_alloc(&p.data, len) == 0);
        memset(p.iv, 0x5a, sizeof(p.iv));
        CU_ASSERT_FATAL(
            EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, p.iv) &&
            EVP_EncryptUpdate(ctx, NULL, &n, (const uint8_t *)"none", 4) &&
            EVP_EncryptUpdate(ctx, p.data.p, &n, pt, (int)len) &&
            EVP_EncryptFinal_ex(ctx, p.data.p + n, &n) &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, p.tag));
        p.kind = CRYPPO_KIND_AES256GCM;
        p.ad = strdup("none");
        CU_ASSERT_EQUAL_FATAL(cryppo_serialize(&p, &s), CRYPPO_OK);
        CU_ASSERT_EQUAL(cryppo_aes_decrypt(key, s, &out), CRYPPO_OK);
        CU_ASSERT(out.len == len && memcmp(out.p, pt, len) == 0);
        secbuf_free(&out);
        cryppo_parsed_free(&p);
        EVP_CIPHER_CTX_free(ctx);
        free(s);
        free(pt);
    }
}

/* Encrypt len bytes; returns the string and the start/length of its data
 * part. */
static char *encrypt_len(size_t len, char **data, size_t *data_len)
{
    uint8_t *pt = pattern(len, 3);
    char *s = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pt);
    CU_ASSERT_EQUAL_FATAL(cryppo_aes_encrypt(key, pt, len, &s), CRYPPO_OK);
    free(pt);
    *data = s + 10;
    *data_len = (size_t)(strchr(*data, '.') - *data);
    return s;
}

static void expect_fail(const char *s, cryppo_status want)
{
    static uint8_t junk[1];
    secbuf out = {junk, 1}; /* must come back empty */

    CU_ASSERT_EQUAL(cryppo_aes_decrypt(key, s, &out), want);
    CU_ASSERT(out.p == NULL && out.len == 0);
}

static void test_tampered(void)
{
    static const size_t sizes[] = {MIN, MIB + 3, 3 * MIB + 5};

    for (size_t k = 0; k < 3; k++) {
        char *data;
        size_t n;
        char *s = encrypt_len(sizes[k], &data, &n);
        char *tag_part = data + n + 1, c;

        /* a ciphertext byte in the last chunk, the alphabet kept */
        c = data[n - 8];
        data[n - 8] = c == 'A' ? 'B' : 'A';
        expect_fail(s, CRYPPO_ERR_DECRYPT);
        data[n - 8] = c;
        /* the artefacts: flip a character inside the tag ("at") */
        c = tag_part[50];
        tag_part[50] = c == 'A' ? 'B' : 'A';
        expect_fail(s, CRYPPO_ERR_DECRYPT);
        tag_part[50] = c;
        /* a ciphertext byte in the first chunk */
        c = data[5];
        data[5] = c == 'A' ? 'B' : 'A';
        expect_fail(s, CRYPPO_ERR_DECRYPT);
        data[5] = c;
        free(s);
    }
}

/* Characters outside the url-safe alphabet, and '=' where it is not the
 * end, anywhere in a large data part. */
static void test_bad_base64(void)
{
    static const size_t sizes[] = {MIN, MIN + 2, MIB + 3};
    const size_t chars = CHUNK / 3 * 4;

    for (size_t k = 0; k < 3; k++) {
        char *data;
        size_t n;
        char *s = encrypt_len(sizes[k], &data, &n);
        size_t at[] = {n - 5, n - 2, chars - 1, chars, 0, n / 2};
        const char bad[] = {'+', '/', '!', '=', ' '};

        for (size_t a = 0; a < sizeof(at) / sizeof(at[0]); a++)
            for (size_t b = 0; b < sizeof(bad); b++) {
                char c = data[at[a]];
                if (bad[b] == '=' && c == '=')
                    continue;
                data[at[a]] = bad[b];
                expect_fail(s, CRYPPO_ERR_BASE64);
                data[at[a]] = c;
            }
        /* a data part that lost its last 4 characters: decodes, wrong tag */
        memmove(data + n - 4, data + n, strlen(data + n) + 1);
        expect_fail(s, CRYPPO_ERR_DECRYPT);
        /* 3 more gone: 4k+1 characters can never be base64 */
        memmove(data + n - 7, data + n - 4, strlen(data + n - 4) + 1);
        expect_fail(s, CRYPPO_ERR_BASE64);
        free(s);
    }
}

/* cryppo_gcm_open_chunked itself (the helper-thread path), called
 * directly so that it runs in every build, also where aes.c does not use
 * it (CRYPPO_CHUNKED_THREADS off). */
static cryppo_status open_direct(const char *b64, const uint8_t iv[12],
                                 const uint8_t tag[16], uint8_t *dst,
                                 size_t len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    cryppo_status st = CRYPPO_ERR_CRYPTO;
    int n;

    if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv) &&
        EVP_DecryptUpdate(ctx, NULL, &n, (const uint8_t *)"none", 4))
        st = cryppo_gcm_open_chunked(ctx, b64, strlen(b64), dst, len);
    if (st == CRYPPO_OK &&
        (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) ||
         EVP_DecryptFinal_ex(ctx, dst + len, &n) <= 0))
        st = CRYPPO_ERR_DECRYPT;
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

static void direct_size(size_t len)
{
    static const uint8_t iv[12] = {1, 2, 3};
    uint8_t tag[16], *pt = pattern(len, 5), *ct = malloc(len + 16);
    uint8_t *dst = malloc(len + 16);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    const size_t chars = CHUNK / 3 * 4;
    char *b64 = NULL, c;
    size_t n;
    int m;

    CU_ASSERT_FATAL(pt && ct && dst && ctx);
    CU_ASSERT_FATAL(
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv) &&
        EVP_EncryptUpdate(ctx, NULL, &m, (const uint8_t *)"none", 4) &&
        EVP_EncryptUpdate(ctx, ct, &m, pt, (int)len) &&
        EVP_EncryptFinal_ex(ctx, ct + m, &m) &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag));
    CU_ASSERT_EQUAL_FATAL(cryppo_b64url_encode(ct, len, &b64), CRYPPO_OK);
    n = strlen(b64);
    CU_ASSERT_EQUAL(open_direct(b64, iv, tag, dst, len), CRYPPO_OK);
    CU_ASSERT(memcmp(dst, pt, len) == 0);
    c = b64[n - 6]; /* inside the last chunk */
    b64[n - 6] = '!';
    CU_ASSERT_EQUAL(open_direct(b64, iv, tag, dst, len), CRYPPO_ERR_BASE64);
    b64[n - 6] = c;
    c = b64[chars - 1]; /* '=' ending the first chunk */
    b64[chars - 1] = '=';
    CU_ASSERT_EQUAL(open_direct(b64, iv, tag, dst, len), CRYPPO_ERR_BASE64);
    b64[chars - 1] = c;
    tag[3] ^= 1;
    CU_ASSERT_EQUAL(open_direct(b64, iv, tag, dst, len), CRYPPO_ERR_DECRYPT);
    EVP_CIPHER_CTX_free(ctx);
    free(b64);
    free(dst);
    free(ct);
    free(pt);
}

static void test_direct(void)
{
    static const size_t sizes[] = {MIN, MIN + 1, 11 * CHUNK + 2, MIB + 3};

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
        direct_size(sizes[k]);
}

static void *thread_main(void *arg)
{
    size_t len = MIN + (size_t)(uintptr_t)arg * 4097;
    uint8_t *pt = pattern(len, 11);
    secbuf out = {NULL, 0};
    char *s = NULL;
    int ok = 1;

    for (int r = 0; r < 3 && ok; r++) {
        ok = pt && cryppo_aes_encrypt(key, pt, len, &s) == CRYPPO_OK &&
             cryppo_aes_decrypt(key, s, &out) == CRYPPO_OK &&
             out.len == len && memcmp(out.p, pt, len) == 0;
        secbuf_free(&out);
        free(s);
        s = NULL;
    }
    free(pt);
    return ok ? arg : NULL;
}

static void test_threads(void)
{
    pthread_t t[THREADS];
    void *r;

    for (uintptr_t k = 0; k < THREADS; k++)
        CU_ASSERT_EQUAL_FATAL(
            pthread_create(&t[k], NULL, thread_main, (void *)(k + 1)), 0);
    for (int k = 0; k < THREADS; k++) {
        CU_ASSERT_EQUAL(pthread_join(t[k], &r), 0);
        CU_ASSERT_PTR_EQUAL(r, (void *)(uintptr_t)(k + 1));
    }
}

/* A child forked after large operations does its own and exits (the
 * exit path waits for helper threads: none may be counted from the
 * parent). */
static void test_fork(void)
{
    int status = -1;
    pid_t pid;

    check_size(MIN + 1);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0)
        _exit(thread_main((void *)1) ? 0 : 1);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check_size(MIN + 1);
}

int suite_chunked_add(void)
{
    CU_pSuite s = CU_add_suite("chunked", NULL, NULL);

    if (!s || !CU_add_test(s, "sizes around threshold and chunks",
                           test_sizes) ||
        !CU_add_test(s, "string made by raw EVP", test_foreign_string) ||
        !CU_add_test(s, "tampered tag and ciphertext", test_tampered) ||
        !CU_add_test(s, "bad base64 in first/middle/last chunk",
                     test_bad_base64) ||
        !CU_add_test(s, "helper-thread decryption, called directly",
                     test_direct) ||
        !CU_add_test(s, "threads", test_threads) ||
        !CU_add_test(s, "fork", test_fork))
        return CU_get_error();
    return 0;
}
