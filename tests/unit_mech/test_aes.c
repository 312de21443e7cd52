/* tests/unit_mech/test_aes.c - CKM_AES_GCM and CKM_AES_CBC(_PAD):
 * NIST vectors, multi-part, 5.2 buffer rules, tampering, bad parameters,
 * cross-checks against plain OpenSSL EVP. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "test_suites.h"
#include "test_util.h"

/* GCM spec (McGrew/Viega) test cases 4, 6 and 16. */
#define GCM_P                                                                  \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"       \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_A "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_IV "cafebabefacedbaddecaf888"
#define GCM_K4 "feffe9928665731c6d6a8f9467308308"
#define GCM_C4                                                                 \
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"       \
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"               \
    "5bc94fbc3221a5db94fae95ae7121a47"
#define GCM_IV6                                                                \
    "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"       \
    "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b"
#define GCM_C6                                                                 \
    "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"       \
    "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5"               \
    "619cc5aefffe0bfa462af43c1699d050"
#define GCM_K16 GCM_K4 GCM_K4
#define GCM_C16                                                                \
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"       \
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"               \
    "76fc6ece0f4e1768cddf8853bb2d551b"

typedef struct gcm_case {
    uint8_t key[32], iv[64], aad[20], pt[60], ct[76];
    size_t key_len, iv_len, aad_len, pt_len, ct_len;
    CK_GCM_PARAMS_V3 params;
    CK_MECHANISM mech;
} gcm_case;

static void gcm_load(gcm_case *c, const char *k, const char *iv,
                     const char *ct)
{
    memset(c, 0, sizeof(*c));
    c->key_len = tu_hex(k, c->key, sizeof(c->key));
    c->iv_len = tu_hex(iv, c->iv, sizeof(c->iv));
    c->aad_len = tu_hex(GCM_A, c->aad, sizeof(c->aad));
    c->pt_len = tu_hex(GCM_P, c->pt, sizeof(c->pt));
    c->ct_len = tu_hex(ct, c->ct, sizeof(c->ct));
    c->params = (CK_GCM_PARAMS_V3){c->iv, c->iv_len, c->iv_len * 8, c->aad,
                                   c->aad_len, 128};
    c->mech = (CK_MECHANISM){CKM_AES_GCM, &c->params, sizeof(c->params)};
}

static void gcm_kat(const char *k, const char *iv, const char *ct)
{
    gcm_case c;
    uint8_t out[128];
    CK_ULONG n = sizeof(out);
    mech_key key;

    gcm_load(&c, k, iv, ct);
    key = tu_aes_key(c.key, c.key_len);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &c.mech, &key, c.pt, c.pt_len, out,
                            &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, c.ct_len);
    CU_ASSERT(memcmp(out, c.ct, n) == 0);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &c.mech, &key, c.ct, c.ct_len, out,
                            &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, c.pt_len);
    CU_ASSERT(memcmp(out, c.pt, n) == 0);
}

static void test_gcm_nist(void)
{
    gcm_kat(GCM_K4, GCM_IV, GCM_C4);
    gcm_kat(GCM_K4, GCM_IV6, GCM_C6); /* 60-byte IV */
    gcm_kat(GCM_K16, GCM_IV, GCM_C16);
    /* again in another order: cipher contexts are reused between
     * operations, across key sizes and IV lengths */
    gcm_kat(GCM_K16, GCM_IV, GCM_C16);
    gcm_kat(GCM_K4, GCM_IV6, GCM_C6);
    gcm_kat(GCM_K4, GCM_IV, GCM_C4);
    gcm_kat(GCM_K16, GCM_IV, GCM_C16);
    mech_release_cache();
    gcm_kat(GCM_K4, GCM_IV, GCM_C4);
}

static void test_gcm_multipart(void)
{
    gcm_case c;
    uint8_t out[128];
    CK_ULONG n, total = 0;
    mech_key key;
    mech_op *op = NULL;
    size_t cuts[] = {1, 17, 0};

    gcm_load(&c, GCM_K16, GCM_IV, GCM_C16);
    key = tu_aes_key(c.key, c.key_len);
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &c.mech, &key), CKR_OK);
    cuts[2] = c.pt_len - 18;
    for (size_t i = 0, off = 0; i < 3; off += cuts[i], i++) {
        n = sizeof(out) - total;
        TU_ASSERT_RV(mech_op_update(op, c.pt + off, cuts[i], out + total, &n),
                     CKR_OK);
        CU_ASSERT_EQUAL(n, cuts[i]);
        total += n;
    }
    TU_ASSERT_RV(mech_op_oneshot(op, c.pt, 1, out, &n), CKR_OPERATION_ACTIVE);
    n = sizeof(out) - total;
    TU_ASSERT_RV(mech_op_final(op, out + total, &n), CKR_OK);
    CU_ASSERT_FALSE(mech_op_active(op));
    mech_op_free(op);
    CU_ASSERT_EQUAL_FATAL(total + n, c.ct_len);
    CU_ASSERT(memcmp(out, c.ct, c.ct_len) == 0);

    /* decryption: nothing before final */
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &c.mech, &key), CKR_OK);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_update(op, c.ct, 40, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_update(op, c.ct + 40, c.ct_len - 40, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    n = 0;
    TU_ASSERT_RV(mech_op_final(op, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, c.pt_len);
    n = 5;
    TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, c.pt_len);
    CU_ASSERT_TRUE(mech_op_active(op));
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, c.pt_len);
    CU_ASSERT(memcmp(out, c.pt, c.pt_len) == 0);
    mech_op_free(op);
}

static void test_gcm_size_rules(void)
{
    gcm_case c;
    uint8_t out[128];
    CK_ULONG n = 0;
    mech_key key;
    mech_op *op = NULL;

    gcm_load(&c, GCM_K4, GCM_IV, GCM_C4);
    key = tu_aes_key(c.key, c.key_len);
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &c.mech, &key), CKR_OK);
    TU_ASSERT_RV(mech_op_oneshot(op, c.pt, c.pt_len, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, c.ct_len);
    CU_ASSERT_TRUE(mech_op_active(op));
    n = c.ct_len - 1;
    TU_ASSERT_RV(mech_op_oneshot(op, c.pt, c.pt_len, out, &n),
                 CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, c.ct_len);
    CU_ASSERT_TRUE(mech_op_active(op));
    TU_ASSERT_RV(mech_op_update(op, c.pt, 1, out, &n), CKR_OPERATION_ACTIVE);
    n = c.ct_len;
    TU_ASSERT_RV(mech_op_oneshot(op, c.pt, c.pt_len, out, &n), CKR_OK);
    CU_ASSERT(memcmp(out, c.ct, c.ct_len) == 0);
    CU_ASSERT_FALSE(mech_op_active(op));
    TU_ASSERT_RV(mech_op_oneshot(op, c.pt, c.pt_len, out, &n),
                 CKR_OPERATION_NOT_INITIALIZED);
    mech_op_free(op);

    /* update size query and short buffer consume nothing */
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &c.mech, &key), CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, c.pt, 30, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 30);
    n = 29;
    TU_ASSERT_RV(mech_op_update(op, c.pt, 30, out, &n), CKR_BUFFER_TOO_SMALL);
    n = 30;
    TU_ASSERT_RV(mech_op_update(op, c.pt, 30, out, &n), CKR_OK);
    CU_ASSERT(memcmp(out, c.ct, 30) == 0);
    mech_op_free(op);
}

static void test_gcm_tampered(void)
{
    gcm_case c;
    uint8_t out[128];
    uint8_t zero[128] = {0};
    CK_ULONG n = sizeof(out);
    mech_key key;
    mech_op *op = NULL;

    gcm_load(&c, GCM_K4, GCM_IV, GCM_C4);
    key = tu_aes_key(c.key, c.key_len);
    c.ct[c.ct_len - 1] ^= 1;
    memset(out, 0, sizeof(out));
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &c.mech, &key, c.ct, c.ct_len, out,
                            &n), CKR_ENCRYPTED_DATA_INVALID);
    CU_ASSERT(memcmp(out, zero, sizeof(out)) == 0);

    c.ct[c.ct_len - 1] ^= 1;
    c.ct[3] ^= 0x80;
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &c.mech, &key), CKR_OK);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_update(op, c.ct, c.ct_len, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_ENCRYPTED_DATA_INVALID);
    CU_ASSERT(memcmp(out, zero, sizeof(out)) == 0);
    CU_ASSERT_FALSE(mech_op_active(op));
    mech_op_free(op);

    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &c.mech, &key, c.ct, 15, out, &n),
                 CKR_ENCRYPTED_DATA_LEN_RANGE);
}

static CK_RV gcm_init_with(CK_MECHANISM_PTR m, const mech_key *key)
{
    mech_op *op = NULL;
    CK_RV rv = mech_op_init(&op, MECH_ENCRYPT, m, key);

    mech_op_free(op);
    return rv;
}

static void test_gcm_bad_params(void)
{
    uint8_t k[32] = {1}, iv[12] = {2};
    mech_key key = tu_aes_key(k, 32);
    mech_key k20 = tu_aes_key(k, 20);
    mech_key wrong = {CKK_RSA, k, 32, NULL};
    CK_GCM_PARAMS_V3 p = {iv, 12, 96, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof(p)};
    CK_MECHANISM none = {CKM_AES_GCM, NULL, 0};
    CK_MECHANISM short_len = {CKM_AES_GCM, &p, sizeof(p) - 1};
    static const CK_ULONG bad_tags[] = {0, 8, 16, 100, 136, 256};

    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_OK);
    TU_ASSERT_RV(gcm_init_with(&none, &key), CKR_MECHANISM_PARAM_INVALID);
    TU_ASSERT_RV(gcm_init_with(&short_len, &key), CKR_MECHANISM_PARAM_INVALID);
    TU_ASSERT_RV(gcm_init_with(&m, &k20), CKR_KEY_SIZE_RANGE);
    TU_ASSERT_RV(gcm_init_with(&m, &wrong), CKR_KEY_TYPE_INCONSISTENT);
    for (size_t i = 0; i < sizeof(bad_tags) / sizeof(bad_tags[0]); i++) {
        p.ulTagBits = bad_tags[i];
        TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_MECHANISM_PARAM_INVALID);
    }
    p.ulTagBits = 96;
    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_OK);
    p.ulIvLen = 0;
    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_MECHANISM_PARAM_INVALID);
    p.ulIvLen = 129;
    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_MECHANISM_PARAM_INVALID);
    p.ulIvLen = 12;
    p.pIv = NULL;
    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_MECHANISM_PARAM_INVALID);
    p.pIv = iv;
    p.ulAADLen = 4; /* AAD length without AAD */
    TU_ASSERT_RV(gcm_init_with(&m, &key), CKR_MECHANISM_PARAM_INVALID);
}

/* 96-bit tag, the 2.40 parameter layout, AES-192: against raw EVP. */
static void test_gcm_vs_evp(void)
{
    struct {
        CK_BYTE_PTR pIv;
        CK_ULONG ulIvLen;
        CK_BYTE_PTR pAAD;
        CK_ULONG ulAADLen;
        CK_ULONG ulTagBits;
    } p240;
    uint8_t k[24] = {0}, iv[12] = {0}, aad[7] = "header", pt[1000], out[1100], ref[1100];
    CK_ULONG n = sizeof(out);
    CK_MECHANISM m = {CKM_AES_GCM, &p240, sizeof(p240)};
    mech_key key = tu_aes_key(k, sizeof(k));
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;

    RAND_bytes(k, sizeof(k));
    RAND_bytes(iv, sizeof(iv));
    RAND_bytes(pt, sizeof(pt));
    p240.pIv = iv;
    p240.ulIvLen = sizeof(iv);
    p240.pAAD = aad;
    p240.ulAADLen = sizeof(aad);
    p240.ulTagBits = 96;
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, pt, sizeof(pt), out, &n),
                 CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, sizeof(pt) + 12);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_FATAL(EVP_EncryptInit_ex(c, EVP_aes_192_gcm(), NULL, k, iv));
    CU_ASSERT_FATAL(EVP_EncryptUpdate(c, NULL, &l1, aad, sizeof(aad)));
    CU_ASSERT_FATAL(EVP_EncryptUpdate(c, ref, &l1, pt, sizeof(pt)));
    CU_ASSERT_FATAL(EVP_EncryptFinal_ex(c, ref + l1, &l2));
    CU_ASSERT_FATAL(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 12,
                                        ref + sizeof(pt)) > 0);
    EVP_CIPHER_CTX_free(c);
    CU_ASSERT(memcmp(out, ref, n) == 0);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, ref, sizeof(pt) + 12, out,
                            &n), CKR_OK);
    CU_ASSERT_EQUAL(n, sizeof(pt));
    CU_ASSERT(memcmp(out, pt, sizeof(pt)) == 0);
    /* in place: the same buffer in and out, both directions */
    memcpy(out, pt, sizeof(pt));
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, out, sizeof(pt), out, &n),
                 CKR_OK);
    CU_ASSERT(n == sizeof(pt) + 12 && memcmp(out, ref, n) == 0);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, out, n, out, &n), CKR_OK);
    CU_ASSERT(n == sizeof(pt) && memcmp(out, pt, n) == 0);
}

/* Threads sharing the cipher-context cache: every result stays right. */
static void *gcm_worker(void *arg)
{
    gcm_case c;
    uint8_t out[128];
    mech_key key;
    long bad = 0;

    if ((intptr_t)arg % 2)
        gcm_load(&c, GCM_K4, GCM_IV, GCM_C4);
    else
        gcm_load(&c, GCM_K16, GCM_IV, GCM_C16);
    key = tu_aes_key(c.key, c.key_len);
    for (int i = 0; i < 2000; i++) {
        CK_ULONG n = sizeof(out);
        if (tu_oneshot(MECH_ENCRYPT, &c.mech, &key, c.pt, c.pt_len, out,
                       &n) != CKR_OK ||
            n != c.ct_len || memcmp(out, c.ct, n) != 0)
            bad++;
    }
    return (void *)bad;
}

static void test_gcm_threads(void)
{
    pthread_t th[4];
    void *bad;

    for (int i = 0; i < 4; i++)
        CU_ASSERT_FATAL(pthread_create(&th[i], NULL, gcm_worker,
                                       (void *)(intptr_t)i) == 0);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_FATAL(pthread_join(th[i], &bad) == 0);
        CU_ASSERT_PTR_NULL(bad);
    }
}

/* ---- CBC ------------------------------------------------------------- */

/* SP 800-38A F.2.1 */
#define CBC_K "2b7e151628aed2a6abf7158809cf4f3c"
#define CBC_IV "000102030405060708090a0b0c0d0e0f"
#define CBC_P                                                                  \
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"       \
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define CBC_C                                                                  \
    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"       \
    "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"

static void test_cbc_nist(void)
{
    uint8_t k[16] = {0}, iv[16] = {0}, pt[64], ct[64], out[96];
    CK_ULONG n = sizeof(out);
    mech_key key = tu_aes_key(k, tu_hex(CBC_K, k, sizeof(k)));
    CK_MECHANISM m = {CKM_AES_CBC, iv, tu_hex(CBC_IV, iv, sizeof(iv))};

    tu_hex(CBC_P, pt, sizeof(pt));
    tu_hex(CBC_C, ct, sizeof(ct));
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, pt, 64, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 64);
    CU_ASSERT(memcmp(out, ct, 64) == 0);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, ct, 64, out, &n), CKR_OK);
    CU_ASSERT(n == 64 && memcmp(out, pt, 64) == 0);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, pt, 63, out, &n),
                 CKR_DATA_LEN_RANGE);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, ct, 40, out, &n),
                 CKR_ENCRYPTED_DATA_LEN_RANGE);
    /* padded: the same blocks plus one block of padding */
    m.mechanism = CKM_AES_CBC_PAD;
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, pt, 64, out, &n), CKR_OK);
    CU_ASSERT(n == 80 && memcmp(out, ct, 64) == 0);
    m.ulParameterLen = 8;
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, pt, 64, out, &n),
                 CKR_MECHANISM_PARAM_INVALID);
}

/* Feed len bytes in chunks of step through update, then final. */
static CK_RV cbc_multipart(enum mech_purpose purpose, CK_MECHANISM_PTR m,
                           const mech_key *key, const uint8_t *in, size_t len,
                           size_t step, uint8_t *out, size_t *outlen)
{
    mech_op *op = NULL;
    size_t total = 0;
    CK_ULONG n;
    CK_RV rv = mech_op_init(&op, purpose, m, key);

    for (size_t off = 0; rv == CKR_OK && off < len; off += step) {
        size_t part = len - off < step ? len - off : step;
        n = 0;
        rv = mech_op_update(op, in + off, part, NULL, &n);
        CU_ASSERT(rv != CKR_OK || n % 16 == 0);
        if (rv == CKR_OK)
            rv = mech_op_update(op, in + off, part, out + total, &n);
        total += n;
    }
    n = 64;
    if (rv == CKR_OK)
        rv = mech_op_final(op, out + total, &n);
    *outlen = total + n;
    mech_op_free(op);
    return rv;
}

static void test_cbc_pad_vs_evp(void)
{
    uint8_t k[32] = {0}, iv[16] = {0}, pt[100], ref[128], out[160], back[160];
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    mech_key key = tu_aes_key(k, sizeof(k));
    size_t n, steps[] = {1, 7, 16, 33};
    CK_ULONG cn;
    int l1, l2;

    RAND_bytes(k, sizeof(k));
    RAND_bytes(iv, sizeof(iv));
    RAND_bytes(pt, sizeof(pt));
    for (size_t len = 0; len <= sizeof(pt); len += 11) {
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        CU_ASSERT_FATAL(EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, k, iv));
        CU_ASSERT_FATAL(EVP_EncryptUpdate(c, ref, &l1, pt, (int)len));
        CU_ASSERT_FATAL(EVP_EncryptFinal_ex(c, ref + l1, &l2));
        EVP_CIPHER_CTX_free(c);
        for (size_t s = 0; s < 4; s++) {
            TU_ASSERT_RV(cbc_multipart(MECH_ENCRYPT, &m, &key, pt, len,
                                       steps[s], out, &n), CKR_OK);
            CU_ASSERT(n == (size_t)(l1 + l2) && memcmp(out, ref, n) == 0);
            TU_ASSERT_RV(cbc_multipart(MECH_DECRYPT, &m, &key, ref, n,
                                       steps[s], back, &n), CKR_OK);
            CU_ASSERT(n == len && memcmp(back, pt, len) == 0);
        }
        /* single-part, in place */
        memcpy(back, ref, (size_t)(l1 + l2));
        cn = sizeof(back);
        TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, back,
                                (size_t)(l1 + l2), back, &cn), CKR_OK);
        CU_ASSERT(cn == len && memcmp(back, pt, len) == 0);
    }
}

/* Encrypt one plaintext block raw (no padding) so its padding is known. */
static void raw_block(const mech_key *key, uint8_t *iv, const uint8_t pt[16],
                      uint8_t ct[16])
{
    CK_MECHANISM raw = {CKM_AES_CBC, iv, 16};
    CK_ULONG n = 16;

    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &raw, key, pt, 16, ct, &n), CKR_OK);
}

static void test_cbc_pad_errors(void)
{
    uint8_t k[16] = {3}, iv[16] = {4}, blk[32] = {0}, out[64], pt[16];
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    mech_key key = tu_aes_key(k, sizeof(k));
    static const uint8_t bad_tails[][3] = {{0, 0, 0}, {1, 1, 17},
                                           {3, 3, 2}, {9, 9, 3}};
    CK_ULONG n;
    mech_op *op = NULL;

    for (size_t i = 0; i < 4; i++) {
        memset(pt, 0x41, sizeof(pt));
        memcpy(pt + 13, bad_tails[i], 3);
        raw_block(&key, iv, pt, blk);
        n = sizeof(out);
        TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, blk, 16, out, &n),
                     CKR_ENCRYPTED_DATA_INVALID);
    }
    memset(pt, 16, sizeof(pt)); /* a full block of padding is valid */
    raw_block(&key, iv, pt, blk);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, blk, 16, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, blk, 20, out, &n),
                 CKR_ENCRYPTED_DATA_LEN_RANGE);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, blk, 0, out, &n),
                 CKR_ENCRYPTED_DATA_LEN_RANGE);
    /* encrypt "abc", decrypt into a 3-byte buffer: the bound is 16, the
     * result is computed once and served exactly */
    n = sizeof(blk);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &key, (const uint8_t *)"abc", 3,
                            blk, &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, 16);
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &m, &key), CKR_OK);
    n = 0;
    TU_ASSERT_RV(mech_op_oneshot(op, blk, 16, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 16);
    n = 2;
    TU_ASSERT_RV(mech_op_oneshot(op, blk, 16, out, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, 3);
    TU_ASSERT_RV(mech_op_oneshot(op, blk, 16, out, &n), CKR_OK);
    CU_ASSERT(n == 3 && memcmp(out, "abc", 3) == 0);
    mech_op_free(op);
    /* partial block left at final of a padded decryption */
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &m, &key), CKR_OK);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_update(op, blk, 10, out, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_ENCRYPTED_DATA_LEN_RANGE);
    mech_op_free(op);
}

int suite_aes(void)
{
    static const tu_test tests[] = {
        {"GCM NIST vectors", test_gcm_nist},
        {"GCM multi-part", test_gcm_multipart},
        {"GCM 5.2 size rules", test_gcm_size_rules},
        {"GCM tampered", test_gcm_tampered},
        {"GCM bad parameters", test_gcm_bad_params},
        {"GCM vs EVP", test_gcm_vs_evp},
        {"GCM from four threads", test_gcm_threads},
        {"CBC NIST vectors", test_cbc_nist},
        {"CBC_PAD vs EVP", test_cbc_pad_vs_evp},
        {"CBC_PAD errors", test_cbc_pad_errors},
        {NULL, NULL},
    };
    return tu_add_suite("aes", tests, NULL);
}
