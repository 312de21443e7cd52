/* tests/unit_mech/test_ec.c - EC key pairs (P-256, P-384) and ECDSA:
 * raw r||s signatures cross-checked with OpenSSL, hashing variants,
 * curve and signature errors. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "test_suites.h"
#include "test_util.h"

static const uint8_t P256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
                               0x3d, 0x03, 0x01, 0x07};
static const uint8_t P384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t P521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};

static EVP_PKEY *generate(const uint8_t *oid, size_t len)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    mech_keypair_params p = {0};
    EVP_PKEY *key = NULL;

    p.ec_params = oid;
    p.ec_params_len = len;
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key), CKR_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    return key;
}

/* OpenSSL verifies an r||s signature over a digest. */
static int ossl_verify(EVP_PKEY *key, const uint8_t *sig, size_t n,
                       const uint8_t *dgst, size_t dlen)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)n, NULL), *ss = BN_bin2bn(sig + n, (int)n, NULL);
    unsigned char *der = NULL;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    int len, ok = 0;

    ECDSA_SIG_set0(s, r, ss);
    len = i2d_ECDSA_SIG(s, &der);
    if (c && len > 0 && EVP_PKEY_verify_init(c) > 0)
        ok = EVP_PKEY_verify(c, der, (size_t)len, dgst, dlen) == 1;
    EVP_PKEY_CTX_free(c);
    OPENSSL_free(der);
    ECDSA_SIG_free(s);
    return ok;
}

static void ecdsa_case(const uint8_t *oid, size_t oid_len, size_t n)
{
    EVP_PKEY *key = generate(oid, oid_len);
    mech_key prv = tu_pkey(CKK_EC, key);
    CK_MECHANISM raw = {CKM_ECDSA, NULL, 0};
    CK_MECHANISM sha = {CKM_ECDSA_SHA256, NULL, 0};
    uint8_t dgst[32], sig[96];
    unsigned int dl = 0;
    CK_ULONG sl = 0;
    mech_op *op = NULL;

    EVP_Digest("message", 7, dgst, &dl, EVP_sha256(), NULL);
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &raw, &prv), CKR_OK);
    TU_ASSERT_RV(mech_op_oneshot(op, dgst, 32, NULL, &sl), CKR_OK);
    CU_ASSERT_EQUAL(sl, 2 * n);
    TU_ASSERT_RV(mech_op_oneshot(op, dgst, 32, sig, &sl), CKR_OK);
    mech_op_free(op);
    CU_ASSERT(ossl_verify(key, sig, n, dgst, 32));
    TU_ASSERT_RV(tu_verify(&raw, &prv, dgst, 32, sig, 2 * n), CKR_OK);
    TU_ASSERT_RV(tu_verify(&sha, &prv, (const uint8_t *)"message", 7, sig,
                           2 * n), CKR_OK);
    TU_ASSERT_RV(tu_verify(&raw, &prv, dgst, 32, sig, 2 * n - 1),
                 CKR_SIGNATURE_LEN_RANGE);
    sig[n + 3] ^= 4;
    TU_ASSERT_RV(tu_verify(&raw, &prv, dgst, 32, sig, 2 * n),
                 CKR_SIGNATURE_INVALID);

    /* hashing mechanism in parts */
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &sha, &prv), CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"mess", 4, NULL, NULL),
                 CKR_OK);
    TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"age", 3, NULL, NULL),
                 CKR_OK);
    sl = sizeof(sig);
    TU_ASSERT_RV(mech_op_final(op, sig, &sl), CKR_OK);
    mech_op_free(op);
    CU_ASSERT_EQUAL(sl, 2 * n);
    CU_ASSERT(ossl_verify(key, sig, n, dgst, 32));
    EVP_PKEY_free(key);
}

static void test_ecdsa(void)
{
    ecdsa_case(P256, sizeof(P256), 32);
    ecdsa_case(P384, sizeof(P384), 48);
}

static void test_ecdsa_hashes(void)
{
    static const struct {
        CK_MECHANISM_TYPE mech;
        const EVP_MD *(*md)(void);
    } cases[] = {{CKM_ECDSA_SHA1, EVP_sha1},     {CKM_ECDSA_SHA224, EVP_sha224},
                 {CKM_ECDSA_SHA384, EVP_sha384}, {CKM_ECDSA_SHA512, EVP_sha512}};
    EVP_PKEY *key = generate(P384, sizeof(P384));
    mech_key prv = tu_pkey(CKK_EC, key);

    for (size_t i = 0; i < 4; i++) {
        CK_MECHANISM m = {cases[i].mech, NULL, 0};
        uint8_t dgst[64], sig[96];
        unsigned int dl = 0;
        CK_ULONG sl = sizeof(sig);

        EVP_Digest("abc", 3, dgst, &dl, cases[i].md(), NULL);
        TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &prv, (const uint8_t *)"abc",
                                3, sig, &sl), CKR_OK);
        CU_ASSERT_EQUAL(sl, 96);
        CU_ASSERT(ossl_verify(key, sig, 48, dgst, dl));
    }
    EVP_PKEY_free(key);
}

static void test_ec_errors(void)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    mech_keypair_params p = {0};
    static const uint8_t junk[] = {0x04, 0x02, 0x01, 0x02};
    EVP_PKEY *key = NULL;
    mech_key rsa_as_ec = tu_pkey(CKK_EC, tu_fixture_key("mech-rsa2048.pem"));
    mech_op *op = NULL;

    p.ec_params = P521;
    p.ec_params_len = sizeof(P521);
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key), CKR_CURVE_NOT_SUPPORTED);
    p.ec_params = junk;
    p.ec_params_len = sizeof(junk);
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key),
                 CKR_DOMAIN_PARAMS_INVALID);
    p.ec_params = P256;
    p.ec_params_len = sizeof(P256) - 1;
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key),
                 CKR_DOMAIN_PARAMS_INVALID);
    CU_ASSERT_PTR_NULL(key);
    TU_ASSERT_RV(mech_op_init(&op, MECH_SIGN, &ecdsa, &rsa_as_ec),
                 CKR_KEY_TYPE_INCONSISTENT);
    CU_ASSERT_PTR_NULL(op);
}

int suite_ec(void)
{
    static const tu_test tests[] = {
        {"ECDSA P-256 / P-384", test_ecdsa},
        {"ECDSA with hashing", test_ecdsa_hashes},
        {"EC errors", test_ec_errors},
        {NULL, NULL},
    };
    return tu_add_suite("ec", tests, NULL);
}
