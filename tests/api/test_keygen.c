/* tests/api/test_keygen.c - C_GenerateKey, C_GenerateKeyPair, C_WrapKey,
 * C_UnwrapKey, C_GenerateRandom: session keys and account keys. */
#include <string.h>

#include "support.h"

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_BYTE iv[16];

static CK_OBJECT_HANDLE by_role(CK_SESSION_HANDLE s, const char *role)
{
    CK_ATTRIBUTE t[] = {{CKA_MEECO_KEY_ROLE, (void *)role, strlen(role)}};
    CK_OBJECT_HANDLE h = 0;
    CU_ASSERT(find_count(s, t, 1, &h) >= 1);
    return h;
}

/* AES-CBC of 16 zero bytes under k (compares keys without reading them). */
static void fingerprint(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE k, CK_BYTE out[16])
{
    CK_MECHANISM m = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE zero[16] = {0};
    CK_ULONG len = 16;
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, zero, 16, out, &len), CKR_OK);
}

static void generate_key_rules(void)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0}, bad = {CKM_SHA256, NULL, 0};
    CK_ULONG len = 32, got = 0, mech = 0;
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_BBOOL local = 0, asens = 0;
    CK_OBJECT_HANDLE h;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_ATTRIBUTE nolen[] = {{CKA_TOKEN, &no, 1}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, nolen, 1, &h),
                    CKR_TEMPLATE_INCOMPLETE);
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof(len)}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &bad, t, 1, &h),
                    CKR_MECHANISM_INVALID);
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, NULL, t, 1, &h), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, t, 1, NULL), CKR_ARGUMENTS_BAD);
    CK_ATTRIBUTE wrongcls[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                               {CKA_CLASS, &data, sizeof(data)}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, wrongcls, 2, &h),
                    CKR_TEMPLATE_INCONSISTENT);
    CK_ATTRIBUTE wrongkt[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                              {CKA_KEY_TYPE, &rsa, sizeof(rsa)}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, wrongkt, 2, &h),
                    CKR_TEMPLATE_INCONSISTENT);
    CK_ULONG odd = 20;
    CK_ATTRIBUTE oddlen[] = {{CKA_VALUE_LEN, &odd, sizeof(odd)}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, oddlen, 1, &h),
                    CKR_KEY_SIZE_RANGE);
    CK_ATTRIBUTE tok[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                          {CKA_TOKEN, &yes, 1}};
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, tok, 2, &h),
                    CKR_SESSION_READ_ONLY);
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKey(s, &m, t, 1, &h), CKR_OK);
    CK_ATTRIBUTE a[] = {{CKA_VALUE_LEN, &got, sizeof(got)},
                        {CKA_LOCAL, &local, 1},
                        {CKA_ALWAYS_SENSITIVE, &asens, 1},
                        {CKA_KEY_GEN_MECHANISM, &mech, sizeof(mech)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, a, 4), CKR_OK);
    CU_ASSERT_EQUAL(got, 32);
    CU_ASSERT_EQUAL(local, CK_TRUE);
    CU_ASSERT_EQUAL(asens, CK_TRUE);
    CU_ASSERT_EQUAL(mech, CKM_AES_KEY_GEN);
    lib_fini();
}

/* A token AES-256 key is a new DEK of the account (kept across
 * processes, same handle); other sizes are token-only objects. */
static void token_key_is_dek(void)
{
    CK_BYTE f1[16], f2[16];
    char role[8] = {0};
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE h = aes_generate(s, 1, "mydek", 32);
    CU_ASSERT_FATAL(h != 0);
    CK_ATTRIBUTE r[] = {{CKA_MEECO_KEY_ROLE, role, sizeof(role) - 1}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, r, 1), CKR_OK);
    CU_ASSERT_STRING_EQUAL(role, "dek");
    fingerprint(s, h, f1);
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ULONG len = 16;
    CK_ATTRIBUTE small[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_TOKEN, &yes, 1}};
    CK_OBJECT_HANDLE h2 = 0;
    CK_BYTE g1[16], g2[16];
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKey(s, &m, small, 2, &h2), CKR_OK);
    memset(role, 0, sizeof(role));
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h2, r, 1),
                    CKR_ATTRIBUTE_TYPE_INVALID);
    fingerprint(s, h2, g1);
    lib_fini();
    s = session_open(0, 1);
    CU_ASSERT_EQUAL(find_one(s, CKO_SECRET_KEY, "mydek"), h);
    fingerprint(s, h, f2);
    CU_ASSERT(memcmp(f1, f2, 16) == 0);
    fingerprint(s, h2, g2);
    CU_ASSERT(memcmp(g1, g2, 16) == 0);
    lib_fini();
}

static void key_pairs(void)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM sm = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_ULONG bits = 2048;
    CK_BYTE exp[] = {1, 0, 1}, id1[32], id2[32], sig[256];
    CK_OBJECT_HANDLE pub, priv;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_ATTRIBUTE nobits[] = {{CKA_PUBLIC_EXPONENT, exp, 3}};
    CU_ASSERT_EQUAL(p11->C_GenerateKeyPair(s, &m, nobits, 1, NULL, 0, &pub,
                                           &priv),
                    CKR_TEMPLATE_INCOMPLETE);
    CK_ATTRIBUTE pt[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                         {CKA_PUBLIC_EXPONENT, exp, 3}};
    CU_ASSERT_EQUAL(p11->C_GenerateKeyPair(s, &m, pt, 2, NULL, 0, NULL, &priv),
                    CKR_ARGUMENTS_BAD);
    /* session pair */
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKeyPair(s, &m, pt, 2, NULL, 0, &pub,
                                                 &priv),
                          CKR_OK);
    CK_ULONG len = sizeof(sig);
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &sm, priv), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Sign(s, (CK_BYTE_PTR) "m", 1, sig, &len), CKR_OK);
    CU_ASSERT_EQUAL(len, 256);
    CU_ASSERT_EQUAL(p11->C_VerifyInit(s, &sm, pub), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Verify(s, (CK_BYTE_PTR) "m", 1, sig, len), CKR_OK);
    /* token pair: an account keypair; both halves share the CKA_ID */
    CK_ATTRIBUTE prt[] = {{CKA_TOKEN, &yes, 1}, {CKA_LABEL, (void *)"signer", 6}};
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKeyPair(s, &m, pt, 2, prt, 2, &pub,
                                                 &priv),
                          CKR_OK);
    CK_ATTRIBUTE a1[] = {{CKA_ID, id1, sizeof(id1)}};
    CK_ATTRIBUTE a2[] = {{CKA_ID, id2, sizeof(id2)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, pub, a1, 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, priv, a2, 1), CKR_OK);
    CU_ASSERT_EQUAL(a1[0].ulValueLen, 16);
    CU_ASSERT(a1[0].ulValueLen == a2[0].ulValueLen &&
              memcmp(id1, id2, 16) == 0);
    /* a CKA_ID the application chooses (pkcs11-tool --id, ssh) is kept,
     * on both halves and across C_Finalize (the keypair's metadata) */
    CK_OBJECT_HANDLE pub2, priv2;
    CK_ATTRIBUTE pt2[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                          {CKA_TOKEN, &yes, 1},
                          {CKA_ID, (void *)"\x0a\x0b", 2}};
    CK_ATTRIBUTE prt2[] = {{CKA_TOKEN, &yes, 1},
                           {CKA_LABEL, (void *)"chosen", 6},
                           {CKA_ID, (void *)"\x0a\x0b", 2}};
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKeyPair(s, &m, pt2, 3, prt2, 3, &pub2,
                                                 &priv2),
                          CKR_OK);
    lib_fini();
    s = session_open(1, 1);
    CU_ASSERT_EQUAL(find_one(s, CKO_PRIVATE_KEY, "signer"), priv);
    CU_ASSERT_EQUAL(find_one(s, CKO_PUBLIC_KEY, "signer"), pub);
    priv2 = find_one(s, CKO_PRIVATE_KEY, "chosen");
    pub2 = find_one(s, CKO_PUBLIC_KEY, "chosen");
    a1[0].ulValueLen = sizeof(id1);
    a2[0].ulValueLen = sizeof(id2);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, pub2, a1, 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, priv2, a2, 1), CKR_OK);
    CU_ASSERT(a1[0].ulValueLen == 2 && memcmp(id1, "\x0a\x0b", 2) == 0);
    CU_ASSERT(a2[0].ulValueLen == 2 && memcmp(id2, "\x0a\x0b", 2) == 0);
    /* destroying either half removes the account keypair */
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, pub), CKR_OK);
    CK_ATTRIBUTE f[] = {{CKA_LABEL, (void *)"signer", 6}};
    CU_ASSERT_EQUAL(find_count(s, f, 1, NULL), 0);
    lib_fini();
}

static void wrap_unwrap(void)
{
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_BYTE wrapped[64], f1[16], f2[16];
    CK_ULONG wlen = 0;
    CK_OBJECT_HANDLE u = 0;
    CK_OBJECT_CLASS sk = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE kek = by_role(s, "kek");
    CK_OBJECT_HANDLE k = aes_generate(s, 0, "payload", 32);
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, kek, k, NULL, &wlen), CKR_OK);
    CU_ASSERT_EQUAL(wlen, 40);
    wlen = 8;
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, kek, k, wrapped, &wlen),
                    CKR_BUFFER_TOO_SMALL);
    wlen = sizeof(wrapped);
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, kek, k, wrapped, &wlen), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, kek, kek, wrapped, &wlen),
                    CKR_KEY_UNEXTRACTABLE);
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, 0x4242UL, k, wrapped, &wlen),
                    CKR_WRAPPING_KEY_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_WrapKey(s, &kw, kek, 0x4242UL, wrapped, &wlen),
                    CKR_KEY_HANDLE_INVALID);
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &sk, sizeof(sk)},
                        {CKA_KEY_TYPE, &aes, sizeof(aes)},
                        {CKA_TOKEN, &no, 1}};
    CU_ASSERT_EQUAL(p11->C_UnwrapKey(s, &kw, by_role(s, "dek"), wrapped, 40, t,
                                     3, &u),
                    CKR_KEY_FUNCTION_NOT_PERMITTED);
    CU_ASSERT_EQUAL_FATAL(p11->C_UnwrapKey(s, &kw, kek, wrapped, 40, t, 3, &u),
                          CKR_OK);
    fingerprint(s, k, f1);
    fingerprint(s, u, f2);
    CU_ASSERT(memcmp(f1, f2, 16) == 0);
    wrapped[3] ^= 1;
    CU_ASSERT_EQUAL(p11->C_UnwrapKey(s, &kw, kek, wrapped, 40, t, 3, &u),
                    CKR_WRAPPED_KEY_INVALID);
    lib_fini();
}

/* The share key exchange: a DEK wrapped under the auth public key as a
 * Cryppo Rsa4096 string, unwrapped with the private key. */
static void cryppo_rsa_share(void)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_RSA, NULL, 0};
    CK_BYTE wrapped[1024], f1[16], f2[16];
    CK_ULONG wlen = sizeof(wrapped) - 1;
    CK_OBJECT_HANDLE u = 0;
    CK_OBJECT_CLASS sk = CKO_SECRET_KEY, pubc = CKO_PUBLIC_KEY,
                    privc = CKO_PRIVATE_KEY;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_ATTRIBUTE tp[] = {{CKA_CLASS, &pubc, sizeof(pubc)}};
    CK_ATTRIBUTE tv[] = {{CKA_CLASS, &privc, sizeof(privc)}};
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    find_count(s, tp, 1, &pub);
    find_count(s, tv, 1, &priv);
    CK_OBJECT_HANDLE dek = by_role(s, "dek");
    CU_ASSERT_EQUAL_FATAL(p11->C_WrapKey(s, &m, pub, dek, wrapped, &wlen),
                          CKR_OK);
    wrapped[wlen] = 0;
    CU_ASSERT(strncmp((char *)wrapped, "Rsa4096.", 8) == 0);
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &sk, sizeof(sk)}};
    CU_ASSERT_EQUAL_FATAL(p11->C_UnwrapKey(s, &m, priv, wrapped, wlen, t, 1,
                                           &u),
                          CKR_OK);
    fingerprint(s, dek, f1);
    fingerprint(s, u, f2);
    CU_ASSERT(memcmp(f1, f2, 16) == 0);
    lib_fini();
}

/* Token objects with no Meeco equivalent (EC keys, certificates) are
 * kept whole: attributes as given (CKA_ID too), key material wrapped. */
static void token_only_objects(void)
{
    static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
                                   0x3d, 0x03, 0x01, 0x07};
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM sm = {CKM_ECDSA_SHA256, NULL, 0};
    CK_OBJECT_CLASS cert = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_BYTE sig[128], der[] = {0x30, 0x03, 0x02, 0x01, 0x01}, buf[16];
    CK_ULONG len = sizeof(sig);
    CK_OBJECT_HANDLE pub, priv, c;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
                         {CKA_TOKEN, &yes, 1},
                         {CKA_LABEL, (void *)"ec", 2},
                         {CKA_ID, (void *)"\x11", 1}};
    CK_ATTRIBUTE vt[] = {{CKA_TOKEN, &yes, 1},
                         {CKA_ID, (void *)"\x11", 1},
                         {CKA_LABEL, (void *)"ec", 2}};
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKeyPair(s, &m, pt, 4, vt, 3, &pub,
                                                 &priv),
                          CKR_OK);
    CK_ATTRIBUTE ct[] = {{CKA_CLASS, &cert, sizeof(cert)},
                         {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
                         {CKA_TOKEN, &yes, 1},
                         {CKA_LABEL, (void *)"mycert", 6},
                         {CKA_VALUE, der, sizeof(der)}};
    CU_ASSERT_EQUAL_FATAL(p11->C_CreateObject(s, ct, 5, &c), CKR_OK);
    CK_ATTRIBUTE nl[] = {{CKA_LABEL, (void *)"ec-renamed", 10}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, priv, nl, 1), CKR_OK);
    lib_fini();

    s = session_open(1, 0);
    CU_ASSERT_EQUAL(find_one(s, CKO_CERTIFICATE, "mycert"), c);
    CU_ASSERT_EQUAL(find_one(s, CKO_PUBLIC_KEY, "ec"), pub);
    CK_ATTRIBUTE v[] = {{CKA_VALUE, buf, sizeof(buf)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, c, v, 1), CKR_OK);
    CU_ASSERT(v[0].ulValueLen == sizeof(der) &&
              memcmp(buf, der, sizeof(der)) == 0);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)USER_PIN,
                                 strlen(USER_PIN)),
                    CKR_OK);
    CU_ASSERT_EQUAL(find_one(s, CKO_PRIVATE_KEY, "ec-renamed"), priv);
    CK_ATTRIBUTE id[] = {{CKA_ID, buf, sizeof(buf)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, priv, id, 1), CKR_OK);
    CU_ASSERT(id[0].ulValueLen == 1 && buf[0] == 0x11);
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &sm, priv), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Sign(s, (CK_BYTE_PTR) "m", 1, sig, &len), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_VerifyInit(s, &sm, pub), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Verify(s, (CK_BYTE_PTR) "m", 1, sig, len), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, c), CKR_OK);
    lib_fini();
    s = session_open(0, 0);
    CK_ATTRIBUTE f[] = {{CKA_CLASS, &cert, sizeof(cert)}};
    CU_ASSERT_EQUAL(find_count(s, f, 1, NULL), 0);
    lib_fini();
}

static void random_and_unsupported(void)
{
    CK_BYTE a[32] = {0}, b[32] = {0}, zero[32] = {0};
    CK_OBJECT_HANDLE h;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 0);
    CU_ASSERT_EQUAL(p11->C_GenerateRandom(s, NULL, 4), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GenerateRandom(s, a, 32), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GenerateRandom(s, b, 32), CKR_OK);
    CU_ASSERT(memcmp(a, zero, 32) != 0);
    CU_ASSERT(memcmp(a, b, 32) != 0);
    CU_ASSERT_EQUAL(p11->C_GenerateRandom(99, a, 32),
                    CKR_SESSION_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_SeedRandom(s, a, 32), CKR_RANDOM_SEED_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_DeriveKey(s, NULL, 1, NULL, 0, &h),
                    CKR_FUNCTION_NOT_SUPPORTED);
    lib_fini();
}

int suite_keygen(void)
{
    CU_pSuite s = CU_add_suite("keygen", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, generate_key_rules);
    ADD(s, token_key_is_dek);
    ADD(s, key_pairs);
    ADD(s, wrap_unwrap);
    ADD(s, cryppo_rsa_share);
    ADD(s, token_only_objects);
    ADD(s, random_and_unsupported);
    return 0;
}
