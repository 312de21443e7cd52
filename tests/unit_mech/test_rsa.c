/* tests/unit_mech/test_rsa.c - RSA mechanisms against plain OpenSSL:
 * OAEP (SHA-1/SHA-256, with and without label), PKCS#1 v1.5 encrypt and
 * raw DigestInfo signatures, PSS, hash-and-sign multi-part, errors. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "test_suites.h"
#include "test_util.h"

#define KEYFILE "mech-rsa2048.pem"
#define K 256

static EVP_PKEY *priv(void)
{
    EVP_PKEY *p = tu_fixture_key(KEYFILE);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

static mech_key priv_key(void)
{
    return tu_pkey(CKK_RSA, priv());
}

static mech_key pub_key(void)
{
    EVP_PKEY *p = tu_public_of(priv());

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return tu_pkey(CKK_RSA, p);
}

/* OpenSSL reference for OAEP with md/label. */
static int ossl_oaep(int enc, EVP_PKEY *key, const EVP_MD *md,
                     const uint8_t *label, size_t label_len,
                     const uint8_t *in, size_t inlen, uint8_t *out,
                     size_t *outlen)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    int ok = c && (enc ? EVP_PKEY_encrypt_init(c) : EVP_PKEY_decrypt_init(c)) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_oaep_md(c, md) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) > 0;

    if (ok && label_len)
        ok = EVP_PKEY_CTX_set0_rsa_oaep_label(
                 c, OPENSSL_memdup(label, label_len), (int)label_len) > 0;
    if (ok)
        ok = (enc ? EVP_PKEY_encrypt(c, out, outlen, in, inlen)
                  : EVP_PKEY_decrypt(c, out, outlen, in, inlen)) > 0;
    EVP_PKEY_CTX_free(c);
    return ok;
}

static void oaep_case(CK_MECHANISM_TYPE hash, CK_RSA_PKCS_MGF_TYPE mgf,
                      const EVP_MD *md, const char *label)
{
    size_t label_len = label ? strlen(label) : 0;
    CK_RSA_PKCS_OAEP_PARAMS p = {hash, mgf, label ? CKZ_DATA_SPECIFIED : 0,
                                 (void *)label, label_len};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    mech_key pub = pub_key(), prv = priv_key();
    uint8_t pt[40], ct[K], out[K];
    CK_ULONG n = sizeof(ct);
    size_t sn = sizeof(out);
    mech_op *op = NULL;

    RAND_bytes(pt, sizeof(pt));
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, pt, sizeof(pt), ct, &n),
                 CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, K);
    CU_ASSERT_FATAL(ossl_oaep(0, priv(), md, (const uint8_t *)label,
                              label_len, ct, K, out, &sn));
    CU_ASSERT(sn == sizeof(pt) && memcmp(out, pt, sn) == 0);

    /* OpenSSL encrypts, the mechanism decrypts: bound, short, exact */
    sn = sizeof(ct);
    CU_ASSERT_FATAL(ossl_oaep(1, priv(), md, (const uint8_t *)label,
                              label_len, pt, sizeof(pt), ct, &sn));
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &m, &prv), CKR_OK);
    n = 0;
    TU_ASSERT_RV(mech_op_oneshot(op, ct, K, NULL, &n), CKR_OK);
    CU_ASSERT(n >= sizeof(pt));
    n = 5;
    TU_ASSERT_RV(mech_op_oneshot(op, ct, K, out, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, sizeof(pt));
    CU_ASSERT_TRUE(mech_op_active(op));
    TU_ASSERT_RV(mech_op_oneshot(op, ct, K, out, &n), CKR_OK);
    CU_ASSERT(n == sizeof(pt) && memcmp(out, pt, n) == 0);
    mech_op_free(op);
}

static void test_oaep(void)
{
    oaep_case(CKM_SHA_1, CKG_MGF1_SHA1, EVP_sha1(), NULL);
    oaep_case(CKM_SHA_1, CKG_MGF1_SHA1, EVP_sha1(), "label one");
    oaep_case(CKM_SHA256, CKG_MGF1_SHA256, EVP_sha256(), NULL);
    oaep_case(CKM_SHA256, CKG_MGF1_SHA256, EVP_sha256(), "l");
}

static void test_oaep_errors(void)
{
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA256, CKG_MGF1_SHA1, 0, NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    mech_key pub = pub_key(), prv = priv_key();
    uint8_t buf[K] = {0}, out[K];
    CK_ULONG n = sizeof(out);
    mech_op *op = NULL;

    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub),
                 CKR_MECHANISM_PARAM_INVALID); /* hash/MGF mismatch */
    p.mgf = CKG_MGF1_SHA256;
    p.hashAlg = CKM_MD5;
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub),
                 CKR_MECHANISM_PARAM_INVALID);
    p.hashAlg = CKM_SHA256;
    p.source = 2;
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub),
                 CKR_MECHANISM_PARAM_INVALID);
    p.source = CKZ_DATA_SPECIFIED;
    p.ulSourceDataLen = 3; /* length without data */
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub),
                 CKR_MECHANISM_PARAM_INVALID);
    p.ulSourceDataLen = 0;
    m.ulParameterLen = 0;
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub),
                 CKR_MECHANISM_PARAM_INVALID);
    m.ulParameterLen = sizeof(p);
    TU_ASSERT_RV(mech_op_init(&op, MECH_DECRYPT, &m, &pub),
                 CKR_KEY_TYPE_INCONSISTENT); /* public key cannot decrypt */
    CU_ASSERT_PTR_NULL(op);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, buf, K - 2 * 32 - 1, out,
                            &n), CKR_DATA_LEN_RANGE);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, buf, K - 2 * 32 - 2, out,
                            &n), CKR_OK);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &prv, buf, K - 1, out, &n),
                 CKR_ENCRYPTED_DATA_LEN_RANGE);
    buf[5] = 1;
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &prv, buf, K, out, &n),
                 CKR_ENCRYPTED_DATA_INVALID);
    /* RSA is single-part */
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &pub), CKR_OK);
    n = sizeof(out);
    TU_ASSERT_RV(mech_op_update(op, buf, 4, out, &n),
                 CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_FALSE(mech_op_active(op));
    mech_op_free(op);
}

static void test_oaep_wrap(void)
{
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA_1, CKG_MGF1_SHA1, 0, NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    mech_key pub = pub_key(), prv = priv_key();
    uint8_t key[32], wrapped[K];
    CK_ULONG n = 0;
    secbuf back = {0};

    RAND_bytes(key, sizeof(key));
    TU_ASSERT_RV(mech_wrap(&m, &pub, key, sizeof(key), NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, K);
    TU_ASSERT_RV(mech_wrap(&m, &pub, key, sizeof(key), wrapped, &n), CKR_OK);
    TU_ASSERT_RV(mech_unwrap(&m, &prv, wrapped, n, &back), CKR_OK);
    CU_ASSERT(back.len == 32 && memcmp(back.p, key, 32) == 0);
    secbuf_free(&back);
    wrapped[10] ^= 1;
    TU_ASSERT_RV(mech_unwrap(&m, &prv, wrapped, n, &back),
                 CKR_WRAPPED_KEY_INVALID);
}

/* ---- signatures ------------------------------------------------------ */

static size_t ossl_sign(const EVP_MD *md, int pad, const uint8_t *in,
                        size_t len, uint8_t *sig)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    size_t n = K;
    int ok = c && EVP_DigestSignInit(c, &pc, md, NULL, priv()) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(pc, pad) > 0 &&
             EVP_DigestSign(c, sig, &n, in, len) > 0;

    EVP_MD_CTX_free(c);
    return ok ? n : 0;
}

static int ossl_verify_pss(const EVP_MD *md, int salt, const uint8_t *in,
                           size_t len, const uint8_t *sig)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = c && EVP_DigestVerifyInit(c, &pc, md, NULL, priv()) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, salt) > 0 &&
             EVP_DigestVerify(c, sig, K, in, len) == 1;

    EVP_MD_CTX_free(c);
    return ok;
}

static void test_pkcs1_sign(void)
{
    /* DigestInfo prefix of SHA-256 (RFC 8017 9.2 note 1) + SHA256("abc") */
    static const char di_hex[] =
        "3031300d060960864801650304020105000420"
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    uint8_t di[51], sig[K], ref[K];
    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM sha = {CKM_SHA256_RSA_PKCS, NULL, 0};
    mech_key prv = priv_key(), pub = pub_key();
    CK_ULONG n = 0;
    size_t di_len = tu_hex(di_hex, di, sizeof(di));
    mech_op *op = NULL;

    CU_ASSERT_EQUAL_FATAL(ossl_sign(EVP_sha256(), RSA_PKCS1_PADDING,
                                    (const uint8_t *)"abc", 3, ref), K);
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &raw, &prv), CKR_OK);
    TU_ASSERT_RV(mech_op_oneshot(op, di, di_len, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, K);
    n = K - 1;
    TU_ASSERT_RV(mech_op_oneshot(op, di, di_len, sig, &n),
                 CKR_BUFFER_TOO_SMALL);
    TU_ASSERT_RV(mech_op_oneshot(op, di, di_len, sig, &n), CKR_OK);
    mech_op_free(op);
    CU_ASSERT(n == K && memcmp(sig, ref, K) == 0);
    TU_ASSERT_RV(tu_verify(&raw, &pub, di, di_len, sig, K), CKR_OK);

    /* the same signature through the hash-and-sign mechanism, in parts */
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &sha, &prv), CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"a", 1, NULL, NULL),
                 CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"bc", 2, NULL, NULL),
                 CKR_OK);
    n = K;
    TU_ASSERT_RV(mech_op_final(op, sig, &n), CKR_OK);
    mech_op_free(op);
    CU_ASSERT(n == K && memcmp(sig, ref, K) == 0);
    TU_ASSERT_RV(tu_verify(&sha, &pub, (const uint8_t *)"abc", 3, sig, K),
                 CKR_OK);
    TU_ASSERT_RV(tu_verify(&sha, &pub, (const uint8_t *)"abd", 3, sig, K),
                 CKR_SIGNATURE_INVALID);
    TU_ASSERT_RV(tu_verify(&sha, &pub, (const uint8_t *)"abc", 3, sig, K - 1),
                 CKR_SIGNATURE_LEN_RANGE);
    sig[7] ^= 1;
    TU_ASSERT_RV(tu_verify(&raw, &pub, di, di_len, sig, K),
                 CKR_SIGNATURE_INVALID);
    /* multi-part verify */
    TU_ASSERT_RV(mech_op_init(&op, MECH_VERIFY, &sha, &pub), CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"abc", 3, NULL, NULL),
                 CKR_OK);
    TU_ASSERT_RV(mech_op_verify_final(op, ref, K), CKR_OK);
    mech_op_free(op);
}

static void test_hash_sign_vs_evp(void)
{
    static const struct {
        CK_MECHANISM_TYPE mech;
        const EVP_MD *(*md)(void);
    } cases[] = {{CKM_SHA1_RSA_PKCS, EVP_sha1},
                 {CKM_SHA224_RSA_PKCS, EVP_sha224},
                 {CKM_SHA384_RSA_PKCS, EVP_sha384},
                 {CKM_SHA512_RSA_PKCS, EVP_sha512}};
    uint8_t data[300], sig[K], ref[K];
    mech_key prv = priv_key();

    RAND_bytes(data, sizeof(data));
    for (size_t i = 0; i < 4; i++) {
        CK_MECHANISM m = {cases[i].mech, NULL, 0};
        CK_ULONG n = K;
        CU_ASSERT_EQUAL_FATAL(ossl_sign(cases[i].md(), RSA_PKCS1_PADDING,
                                        data, sizeof(data), ref), K);
        TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &prv, data, sizeof(data), sig,
                                &n), CKR_OK);
        CU_ASSERT(n == K && memcmp(sig, ref, K) == 0);
    }
}

static void test_pss(void)
{
    CK_RSA_PKCS_PSS_PARAMS p = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM raw = {CKM_RSA_PKCS_PSS, &p, sizeof(p)};
    CK_MECHANISM sha = {CKM_SHA256_RSA_PKCS_PSS, &p, sizeof(p)};
    CK_MECHANISM sha384 = {CKM_SHA384_RSA_PKCS_PSS, &p, sizeof(p)};
    mech_key prv = priv_key(), pub = pub_key();
    uint8_t hash[32], sig[K];
    CK_ULONG n = K;
    unsigned int hl = 0;
    mech_op *op = NULL;

    EVP_Digest("hello", 5, hash, &hl, EVP_sha256(), NULL);
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &raw, &prv, hash, 32, sig, &n), CKR_OK);
    CU_ASSERT(ossl_verify_pss(EVP_sha256(), 32, (const uint8_t *)"hello", 5,
                              sig));
    TU_ASSERT_RV(tu_verify(&raw, &pub, hash, 32, sig, K), CKR_OK);
    TU_ASSERT_RV(tu_verify(&sha, &pub, (const uint8_t *)"hello", 5, sig, K),
                 CKR_OK);
    TU_ASSERT_RV(tu_verify(&sha, &pub, (const uint8_t *)"hellO", 5, sig, K),
                 CKR_SIGNATURE_INVALID);
    n = K;
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &raw, &prv, hash, 31, sig, &n),
                 CKR_DATA_LEN_RANGE);
    n = K;
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &sha, &prv, (const uint8_t *)"x", 1,
                            sig, &n), CKR_OK);
    CU_ASSERT(ossl_verify_pss(EVP_sha256(), 32, (const uint8_t *)"x", 1, sig));
    {
        CK_RSA_PKCS_PSS_PARAMS p1 = {CKM_SHA_1, CKG_MGF1_SHA1, 20};
        CK_MECHANISM sha1 = {CKM_SHA1_RSA_PKCS_PSS, &p1, sizeof(p1)};
        n = K;
        TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &sha1, &prv, (const uint8_t *)"z",
                                1, sig, &n), CKR_OK);
        CU_ASSERT(ossl_verify_pss(EVP_sha1(), 20, (const uint8_t *)"z", 1,
                                  sig));
    }
    /* parameter errors */
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &sha384, &prv),
                 CKR_MECHANISM_PARAM_INVALID); /* hashAlg != mechanism's */
    p.sLen = K - 32 - 1;
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &raw, &prv),
                 CKR_MECHANISM_PARAM_INVALID);
    p.sLen = 0;
    p.mgf = 0x77;
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &raw, &prv),
                 CKR_MECHANISM_PARAM_INVALID);
    CU_ASSERT_PTR_NULL(op);
}

static void test_pkcs1_encrypt_and_keys(void)
{
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    mech_key prv = priv_key(), pub = pub_key();
    uint8_t pt[K - 11], ct[K], out[K], aes[32] = {0};
    mech_key aes_key = tu_aes_key(aes, 32);
    mech_key liar = tu_pkey(CKK_EC, priv());
    CK_ULONG n = K;
    mech_op *op = NULL;

    RAND_bytes(pt, sizeof(pt));
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, pt, sizeof(pt), ct, &n),
                 CKR_OK);
    n = K;
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &prv, ct, K, out, &n), CKR_OK);
    CU_ASSERT(n == sizeof(pt) && memcmp(out, pt, n) == 0);
    n = K;
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, ct, K - 10, out, &n),
                 CKR_DATA_LEN_RANGE);
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &aes_key),
                 CKR_KEY_TYPE_INCONSISTENT);
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &liar),
                 CKR_KEY_TYPE_INCONSISTENT);
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &m, &pub),
                 CKR_KEY_TYPE_INCONSISTENT);
    m.pParameter = aes;
    m.ulParameterLen = 4;
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &m, &prv),
                 CKR_MECHANISM_PARAM_INVALID);
    CU_ASSERT_PTR_NULL(op);
}

int suite_rsa(void)
{
    static const tu_test tests[] = {
        {"OAEP vs OpenSSL", test_oaep},
        {"OAEP errors", test_oaep_errors},
        {"OAEP wrap", test_oaep_wrap},
        {"PKCS#1 v1.5 signatures", test_pkcs1_sign},
        {"hash-and-sign vs EVP", test_hash_sign_vs_evp},
        {"PSS", test_pss},
        {"PKCS#1 encrypt and key checks", test_pkcs1_encrypt_and_keys},
        {NULL, NULL},
    };
    return tu_add_suite("rsa", tests, NULL);
}
