/* tests/unit_mech/test_attr.c - key generation and key <-> attribute
 * conversions (modulus, exponent, SPKI, EC params/point, PKCS#8). */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "mech_attr.h"
#include "test_suites.h"
#include "test_util.h"

static const uint8_t P256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
                               0x3d, 0x03, 0x01, 0x07};

static int same(const secbuf *a, const secbuf *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static void test_aes_keygen(void)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_MECHANISM wrong = {CKM_AES_GCM, NULL, 0};
    secbuf a = {0}, b = {0};

    for (CK_ULONG len = 16; len <= 32; len += 8) {
        TU_ASSERT_RV(mech_generate_key(&m, len, &a), CKR_OK);
        TU_ASSERT_RV(mech_generate_key(&m, len, &b), CKR_OK);
        CU_ASSERT(a.len == len && b.len == len);
        CU_ASSERT(memcmp(a.p, b.p, len) != 0);
        secbuf_free(&a);
        secbuf_free(&b);
    }
    TU_ASSERT_RV(mech_generate_key(&m, 20, &a), CKR_KEY_SIZE_RANGE);
    TU_ASSERT_RV(mech_generate_key(&wrong, 32, &a), CKR_MECHANISM_INVALID);
    CU_ASSERT_PTR_NULL(a.p);
}

static void test_random(void)
{
    uint8_t a[32] = {0}, b[32] = {0};

    TU_ASSERT_RV(mech_random(a, sizeof(a)), CKR_OK);
    TU_ASSERT_RV(mech_random(b, sizeof(b)), CKR_OK);
    CU_ASSERT(memcmp(a, b, sizeof(a)) != 0);
    TU_ASSERT_RV(mech_random(NULL, 0), CKR_OK);
    TU_ASSERT_RV(mech_random(NULL, 4), CKR_ARGUMENTS_BAD);
}

static void test_rsa_keygen(void)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    static const uint8_t e3[] = {0x03}, e_even[] = {0x01, 0x00, 0x00};
    mech_keypair_params p = {1024, e3, sizeof(e3), NULL, 0};
    EVP_PKEY *key = NULL;
    CK_ULONG bits = 0;
    secbuf e = {0};

    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key), CKR_OK);
    TU_ASSERT_RV(mech_attr_key_bits(key, &bits), CKR_OK);
    CU_ASSERT_EQUAL(bits, 1024);
    TU_ASSERT_RV(mech_attr_rsa_public_exponent(key, &e), CKR_OK);
    CU_ASSERT(e.len == 1 && e.p[0] == 3);
    CU_ASSERT(mech_attr_is_private(key));
    CU_ASSERT_EQUAL(mech_attr_key_type(key), CKK_RSA);
    secbuf_free(&e);
    EVP_PKEY_free(key);
    key = NULL;
    p.public_exponent = e_even;
    p.public_exponent_len = sizeof(e_even);
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    p.modulus_bits = 512;
    p.public_exponent = NULL;
    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key), CKR_KEY_SIZE_RANGE);
    CU_ASSERT_PTR_NULL(key);
}

static void test_rsa_attributes(void)
{
    EVP_PKEY *priv = tu_fixture_key("mech-rsa2048.pem");
    EVP_PKEY *pub = NULL, *pub2 = NULL;
    secbuf n = {0}, e = {0}, spki = {0}, spki2 = {0};
    CK_ULONG bits = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
    TU_ASSERT_RV(mech_attr_rsa_modulus(priv, &n), CKR_OK);
    CU_ASSERT(n.len == 256 && (n.p[0] & 0x80));
    TU_ASSERT_RV(mech_attr_rsa_public_exponent(priv, &e), CKR_OK);
    CU_ASSERT(e.len == 3 && e.p[0] == 1 && e.p[1] == 0 && e.p[2] == 1);
    TU_ASSERT_RV(mech_attr_rsa_public_from(n.p, n.len, e.p, e.len, &pub),
                 CKR_OK);
    CU_ASSERT_FALSE(mech_attr_is_private(pub));
    TU_ASSERT_RV(mech_attr_key_bits(pub, &bits), CKR_OK);
    CU_ASSERT_EQUAL(bits, 2048);
    TU_ASSERT_RV(mech_attr_spki(priv, &spki), CKR_OK);
    TU_ASSERT_RV(mech_attr_spki(pub, &spki2), CKR_OK);
    CU_ASSERT(same(&spki, &spki2));
    TU_ASSERT_RV(mech_attr_public_from_spki(spki.p, spki.len, &pub2), CKR_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(pub, pub2), 1);
    TU_ASSERT_RV(mech_attr_public_from_spki(spki.p, spki.len - 1, &pub2),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    TU_ASSERT_RV(mech_attr_ec_point(priv, &spki2), CKR_KEY_TYPE_INCONSISTENT);
    n.p[n.len - 1] &= 0xfe; /* even modulus */
    TU_ASSERT_RV(mech_attr_rsa_public_from(n.p, n.len, e.p, e.len, &pub2),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(pub2);
    secbuf_free(&n);
    secbuf_free(&e);
    secbuf_free(&spki);
    secbuf_free(&spki2);
}

static void test_ec_attributes(void)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    mech_keypair_params p = {0, NULL, 0, P256, sizeof(P256)};
    EVP_PKEY *key = NULL, *pub = NULL, *pub2 = NULL;
    secbuf params = {0}, point = {0};

    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &key), CKR_OK);
    CU_ASSERT_EQUAL(mech_attr_key_type(key), CKK_EC);
    CU_ASSERT(mech_attr_is_private(key));
    TU_ASSERT_RV(mech_attr_ec_params(key, &params), CKR_OK);
    CU_ASSERT(params.len == sizeof(P256) &&
              memcmp(params.p, P256, sizeof(P256)) == 0);
    TU_ASSERT_RV(mech_attr_ec_point(key, &point), CKR_OK);
    CU_ASSERT_FATAL(point.len == 67);
    CU_ASSERT(point.p[0] == 0x04 && point.p[1] == 65 && point.p[2] == 0x04);
    /* DER form and raw form both build the same public key */
    TU_ASSERT_RV(mech_attr_ec_public_from(P256, sizeof(P256), point.p,
                                          point.len, &pub), CKR_OK);
    TU_ASSERT_RV(mech_attr_ec_public_from(P256, sizeof(P256), point.p + 2, 65,
                                          &pub2), CKR_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(key, pub), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(pub, pub2), 1);
    CU_ASSERT_FALSE(mech_attr_is_private(pub));
    EVP_PKEY_free(pub2);
    pub2 = NULL;
    point.p[40] ^= 1; /* no longer on the curve */
    TU_ASSERT_RV(mech_attr_ec_public_from(P256, sizeof(P256), point.p,
                                          point.len, &pub2),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    TU_ASSERT_RV(mech_attr_rsa_modulus(key, &params),
                 CKR_KEY_TYPE_INCONSISTENT);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
    secbuf_free(&params);
    secbuf_free(&point);
}

static void test_pkcs8_and_public_dup(void)
{
    EVP_PKEY *priv = tu_fixture_key("mech-rsa2048.pem");
    EVP_PKEY *back = NULL, *pub = NULL;
    secbuf der = {0};

    TU_ASSERT_RV(mech_attr_private_to_pkcs8(priv, &der), CKR_OK);
    TU_ASSERT_RV(mech_attr_private_from_pkcs8(der.p, der.len, &back), CKR_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(priv, back), 1);
    CU_ASSERT(mech_attr_is_private(back));
    TU_ASSERT_RV(mech_attr_private_from_pkcs8(der.p, der.len - 3, &pub),
                 CKR_WRAPPED_KEY_INVALID);
    TU_ASSERT_RV(mech_attr_public_dup(priv, &pub), CKR_OK);
    CU_ASSERT_FALSE(mech_attr_is_private(pub));
    CU_ASSERT_EQUAL(EVP_PKEY_eq(priv, pub), 1);
    TU_ASSERT_RV(mech_attr_private_to_pkcs8(pub, &der),
                 CKR_KEY_TYPE_INCONSISTENT);
    EVP_PKEY_free(back);
    EVP_PKEY_free(pub);
    secbuf_free(&der);
}

/* The eight RSA components of key as big-endian byte strings. */
static void rsa_parts(EVP_PKEY *key, uint8_t buf[8][512], mech_bytes parts[8])
{
    static const char *const names[8] = {"n", "e", "d", "rsa-factor1",
                                         "rsa-factor2", "rsa-exponent1",
                                         "rsa-exponent2", "rsa-coefficient1"};

    for (int i = 0; i < 8; i++) {
        BIGNUM *bn = NULL;
        CU_ASSERT_FATAL(EVP_PKEY_get_bn_param(key, names[i], &bn) == 1);
        parts[i].len = (size_t)BN_bn2bin(bn, buf[i]);
        parts[i].p = buf[i];
        BN_clear_free(bn);
    }
}

static void test_rsa_private_from(void)
{
    EVP_PKEY *priv = tu_fixture_key("mech-rsa2048.pem");
    static uint8_t buf[8][512];
    mech_bytes parts[8];
    EVP_PKEY *key = NULL;
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    mech_key mk, pub = tu_pkey(CKK_RSA, tu_public_of(priv));
    uint8_t sig[256];
    CK_ULONG n = sizeof(sig);

    rsa_parts(priv, buf, parts);
    TU_ASSERT_RV(mech_attr_rsa_private_from(parts, &key), CKR_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(priv, key), 1);
    CU_ASSERT(mech_attr_is_private(key));
    mk = tu_pkey(CKK_RSA, key);
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &mk, (const uint8_t *)"x", 1, sig,
                            &n), CKR_OK);
    TU_ASSERT_RV(tu_verify(&m, &pub, (const uint8_t *)"x", 1, sig, n), CKR_OK);
    EVP_PKEY_free(key);
    key = NULL;
    /* n, e, d only */
    for (int i = 3; i < 8; i++)
        parts[i].len = 0;
    TU_ASSERT_RV(mech_attr_rsa_private_from(parts, &key), CKR_OK);
    n = sizeof(sig);
    mk = tu_pkey(CKK_RSA, key);
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &mk, (const uint8_t *)"y", 1, sig,
                            &n), CKR_OK);
    TU_ASSERT_RV(tu_verify(&m, &pub, (const uint8_t *)"y", 1, sig, n), CKR_OK);
    EVP_PKEY_free(key);
    key = NULL;
    /* some CRT values only; an inconsistent prime */
    rsa_parts(priv, buf, parts);
    parts[7].len = 0;
    TU_ASSERT_RV(mech_attr_rsa_private_from(parts, &key),
                 CKR_TEMPLATE_INCONSISTENT);
    rsa_parts(priv, buf, parts);
    buf[4][parts[4].len - 1] ^= 2;
    TU_ASSERT_RV(mech_attr_rsa_private_from(parts, &key),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    parts[2].len = 0;
    TU_ASSERT_RV(mech_attr_rsa_private_from(parts, &key),
                 CKR_TEMPLATE_INCONSISTENT);
    CU_ASSERT_PTR_NULL(key);
}

static void test_ec_private_from(void)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    mech_keypair_params p = {0, NULL, 0, P256, sizeof(P256)};
    EVP_PKEY *gen = NULL, *key = NULL;
    BIGNUM *d = NULL;
    uint8_t value[33] = {0};
    int len;

    TU_ASSERT_RV(mech_generate_keypair(&m, &p, &gen), CKR_OK);
    CU_ASSERT_FATAL(EVP_PKEY_get_bn_param(gen, "priv", &d) == 1);
    len = BN_bn2binpad(d, value, 32);
    BN_clear_free(d);
    CU_ASSERT_EQUAL_FATAL(len, 32);
    TU_ASSERT_RV(mech_attr_ec_private_from(P256, sizeof(P256), value, 32,
                                           &key), CKR_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(gen, key), 1);
    CU_ASSERT(mech_attr_is_private(key));
    EVP_PKEY_free(key);
    key = NULL;
    TU_ASSERT_RV(mech_attr_ec_private_from(P256, sizeof(P256), value, 33,
                                           &key),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    memset(value, 0, sizeof(value));
    TU_ASSERT_RV(mech_attr_ec_private_from(P256, sizeof(P256), value, 32,
                                           &key),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    memset(value, 0xff, 32); /* >= the group order */
    TU_ASSERT_RV(mech_attr_ec_private_from(P256, sizeof(P256), value, 32,
                                           &key),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    CU_ASSERT_PTR_NULL(key);
    EVP_PKEY_free(gen);
}

int suite_attr(void)
{
    static const tu_test tests[] = {
        {"AES key generation", test_aes_keygen},
        {"random", test_random},
        {"RSA key generation", test_rsa_keygen},
        {"RSA attributes", test_rsa_attributes},
        {"EC attributes", test_ec_attributes},
        {"PKCS#8 and public dup", test_pkcs8_and_public_dup},
        {"RSA private key from components", test_rsa_private_from},
        {"EC private key from CKA_VALUE", test_ec_private_from},
        {NULL, NULL},
    };
    return tu_add_suite("attr", tests, NULL);
}
