/* tests/api/test_crypto.c - encrypt/decrypt/digest/sign/verify through
 * the session: key checks, size queries, CKR_BUFFER_TOO_SMALL, and which
 * calls end the operation. */
#include <string.h>

#include "support.h"

#define PIN(p) (CK_UTF8CHAR_PTR)(p), strlen(p)

static CK_BYTE iv[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static CK_OBJECT_HANDLE by_role(CK_SESSION_HANDLE s, const char *role)
{
    CK_ATTRIBUTE t[] = {{CKA_MEECO_KEY_ROLE, (void *)role, strlen(role)}};
    CK_OBJECT_HANDLE h = 0;
    CU_ASSERT(find_count(s, t, 1, &h) >= 1);
    return h;
}

static CK_OBJECT_HANDLE of_class(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_OBJECT_HANDLE h = 0;
    CU_ASSERT(find_count(s, t, 1, &h) >= 1);
    return h;
}

static void size_query_and_short_buffer(void)
{
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    CK_BYTE pt[20] = "twenty bytes of data", ct[64], back[64];
    CK_ULONG len = 0, first = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE k = aes_generate(s, 0, "k", 32);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, &len),
                    CKR_OPERATION_NOT_INITIALIZED);
    CU_ASSERT_EQUAL_FATAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OPERATION_ACTIVE);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, NULL, &len), CKR_OK);
    CU_ASSERT_EQUAL(len, 32);
    first = len;
    len = 5;
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, &len), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(len, first);
    len = sizeof(ct);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, &len), CKR_OK);
    CU_ASSERT_EQUAL(len, 32);
    /* success ended the operation */
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, &len),
                    CKR_OPERATION_NOT_INITIALIZED);
    CK_ULONG blen = sizeof(back);
    CU_ASSERT_EQUAL(p11->C_DecryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Decrypt(s, ct, 32, back, &blen), CKR_OK);
    CU_ASSERT_EQUAL(blen, 20);
    CU_ASSERT(memcmp(back, pt, 20) == 0);
    /* a bad argument ends the operation too */
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 20, ct, &len),
                    CKR_OPERATION_NOT_INITIALIZED);
    /* so does a data error */
    CU_ASSERT_EQUAL(p11->C_DecryptInit(s, &m, k), CKR_OK);
    blen = sizeof(back);
    CU_ASSERT_NOT_EQUAL(p11->C_Decrypt(s, ct, 31, back, &blen), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Decrypt(s, ct, 32, back, &blen),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

static void multi_part(void)
{
    CK_MECHANISM m = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE pt[48], ct[64], one[64];
    CK_ULONG n1 = sizeof(ct), n2, total, olen = sizeof(one);
    memset(pt, 'a', sizeof(pt));
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE k = aes_generate(s, 0, "k", 16);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 48, one, &olen), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_EncryptUpdate(s, pt, 20, ct, &n1), CKR_OK);
    total = n1;
    n2 = sizeof(ct) - total;
    CU_ASSERT_EQUAL(p11->C_EncryptUpdate(s, pt + 20, 28, ct + total, &n2),
                    CKR_OK);
    total += n2;
    n2 = sizeof(ct) - total;
    CU_ASSERT_EQUAL(p11->C_EncryptFinal(s, ct + total, &n2), CKR_OK);
    total += n2;
    CU_ASSERT_EQUAL(total, 48);
    CU_ASSERT(memcmp(ct, one, 48) == 0);
    CU_ASSERT_EQUAL(p11->C_EncryptFinal(s, ct, &n2),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

static void key_checks(void)
{
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    CK_MECHANISM bogus = {0x7fff1234UL, NULL, 0};
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE kek = by_role(s, "kek");
    CK_OBJECT_HANDLE priv = of_class(s, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE pub = of_class(s, CKO_PUBLIC_KEY);
    CK_OBJECT_HANDLE data = data_create(s, 0, "a", "b", "c");
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, NULL, kek), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, kek),
                    CKR_KEY_FUNCTION_NOT_PERMITTED);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, 0x12345UL),
                    CKR_KEY_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, data), CKR_KEY_TYPE_INCONSISTENT);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, priv), CKR_KEY_TYPE_INCONSISTENT);
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &m, pub), CKR_KEY_TYPE_INCONSISTENT);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, pub), CKR_KEY_TYPE_INCONSISTENT);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &bogus, by_role(s, "dek")),
                    CKR_MECHANISM_INVALID);
    /* the private key needs a login */
    CU_ASSERT_EQUAL(p11->C_Logout(s), CKR_OK);
    CK_MECHANISM sm = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &sm, priv), CKR_KEY_HANDLE_INVALID);
    lib_fini();
}

/* Cryppo AES-GCM with the account's DEK: what Meeco clients read. */
static void cryppo_with_dek(void)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_AES_GCM, NULL, 0};
    CK_BYTE pt[] = "a Meeco slot value", ct[256], back[64];
    CK_ULONG clen = sizeof(ct) - 1, blen = sizeof(back);
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE dek = by_role(s, "dek");
    CU_ASSERT_EQUAL_FATAL(p11->C_EncryptInit(s, &m, dek), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(p11->C_Encrypt(s, pt, sizeof(pt) - 1, ct, &clen),
                          CKR_OK);
    ct[clen] = 0;
    CU_ASSERT(strncmp((char *)ct, "Aes256Gcm.", 10) == 0);
    CU_ASSERT_EQUAL(p11->C_DecryptInit(s, &m, dek), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Decrypt(s, ct, clen, back, &blen), CKR_OK);
    CU_ASSERT_EQUAL(blen, sizeof(pt) - 1);
    CU_ASSERT(memcmp(back, pt, blen) == 0);
    lib_fini();
}

static void digest(void)
{
    CK_MECHANISM m = {CKM_SHA256, NULL, 0};
    CK_BYTE out[32];
    CK_ULONG len = 0;
    static const CK_BYTE abc_sha256[4] = {0xba, 0x78, 0x16, 0xbf};
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 0);
    CU_ASSERT_EQUAL(p11->C_DigestInit(s, &m), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Digest(s, (CK_BYTE_PTR) "abc", 3, NULL, &len),
                    CKR_OK);
    CU_ASSERT_EQUAL(len, 32);
    len = sizeof(out);
    CU_ASSERT_EQUAL(p11->C_Digest(s, (CK_BYTE_PTR) "abc", 3, out, &len), CKR_OK);
    CU_ASSERT(memcmp(out, abc_sha256, 4) == 0);
    CU_ASSERT_EQUAL(p11->C_DigestInit(s, &m), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DigestUpdate(s, (CK_BYTE_PTR) "a", 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DigestUpdate(s, (CK_BYTE_PTR) "bc", 2), CKR_OK);
    len = sizeof(out);
    CU_ASSERT_EQUAL(p11->C_DigestFinal(s, out, &len), CKR_OK);
    CU_ASSERT(memcmp(out, abc_sha256, 4) == 0);
    CU_ASSERT_EQUAL(p11->C_DigestKey(s, 1), CKR_FUNCTION_NOT_SUPPORTED);
    lib_fini();
}

static void sign_verify(void)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE sig[512], data[] = "to be signed";
    CK_ULONG len = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE priv = of_class(s, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE pub = of_class(s, CKO_PUBLIC_KEY);
    CU_ASSERT_EQUAL_FATAL(p11->C_SignInit(s, &m, priv), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Sign(s, data, sizeof(data), NULL, &len), CKR_OK);
    CU_ASSERT_EQUAL(len, 512);
    len = 10;
    CU_ASSERT_EQUAL(p11->C_Sign(s, data, sizeof(data), sig, &len),
                    CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(len, 512);
    CU_ASSERT_EQUAL(p11->C_Sign(s, data, sizeof(data), sig, &len), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_VerifyInit(s, &m, pub), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Verify(s, data, sizeof(data), sig, len), CKR_OK);
    sig[7] ^= 1;
    CU_ASSERT_EQUAL(p11->C_VerifyInit(s, &m, pub), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Verify(s, data, sizeof(data), sig, len),
                    CKR_SIGNATURE_INVALID);
    CU_ASSERT_EQUAL(p11->C_Verify(s, data, sizeof(data), sig, len),
                    CKR_OPERATION_NOT_INITIALIZED);
    /* multi-part signature equals the single-part one (PKCS#1 v1.5) */
    CK_BYTE sig2[512];
    CK_ULONG len2 = sizeof(sig2);
    sig[7] ^= 1;
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &m, priv), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SignUpdate(s, data, 5), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SignUpdate(s, data + 5, sizeof(data) - 5), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SignFinal(s, sig2, &len2), CKR_OK);
    CU_ASSERT(len2 == len && memcmp(sig, sig2, len) == 0);
    CU_ASSERT_EQUAL(p11->C_VerifyInit(s, &m, pub), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_VerifyUpdate(s, data, sizeof(data)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_VerifyFinal(s, sig2, len2), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SignRecoverInit(s, &m, priv),
                    CKR_FUNCTION_NOT_SUPPORTED);
    lib_fini();
}

/* C_Logout ends operations that use private keys. */
static void logout_ends_operations(void)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE sig[512];
    CK_ULONG len = sizeof(sig);
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CU_ASSERT_EQUAL(p11->C_SignInit(s, &m, of_class(s, CKO_PRIVATE_KEY)),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Logout(s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Sign(s, (CK_BYTE_PTR) "x", 1, sig, &len),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

static void multi_part_decrypt(void)
{
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    CK_BYTE pt[40], ct[64], out[64];
    CK_ULONG clen = sizeof(ct), n, total = 0;
    memset(pt, 'z', sizeof(pt));
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE k = aes_generate(s, 0, "k", 32);
    CU_ASSERT_EQUAL(p11->C_EncryptInit(s, &m, k), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Encrypt(s, pt, 40, ct, &clen), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DecryptUpdate(s, ct, 16, out, &n),
                    CKR_OPERATION_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_DecryptInit(s, &m, k), CKR_OK);
    n = sizeof(out);
    CU_ASSERT_EQUAL(p11->C_DecryptUpdate(s, ct, 20, out, &n), CKR_OK);
    total = n;
    n = sizeof(out) - total;
    CU_ASSERT_EQUAL(p11->C_DecryptUpdate(s, ct + 20, clen - 20, out + total,
                                         &n),
                    CKR_OK);
    total += n;
    n = 0;
    CU_ASSERT_EQUAL(p11->C_DecryptFinal(s, NULL, &n), CKR_OK); /* size */
    n = sizeof(out) - total;
    CU_ASSERT_EQUAL(p11->C_DecryptFinal(s, out + total, &n), CKR_OK);
    total += n;
    CU_ASSERT_EQUAL(total, 40);
    CU_ASSERT(memcmp(out, pt, 40) == 0);
    CU_ASSERT_EQUAL(p11->C_DecryptFinal(s, out, &n),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

/* Functions the token does not offer still check their session first. */
static void not_offered(void)
{
    CK_BYTE b[8];
    CK_ULONG n = sizeof(b);
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 0);
    CU_ASSERT_EQUAL(p11->C_DigestEncryptUpdate(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_DecryptDigestUpdate(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_SignEncryptUpdate(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_DecryptVerifyUpdate(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_SignRecover(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_VerifyRecoverInit(s, &m, 1),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_VerifyRecover(s, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11v3->C_DecryptMessage(s, NULL, 0, NULL, 0, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11v3->C_SignMessage(s, NULL, 0, b, 1, b, &n),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11v3->C_VerifyMessage(s, NULL, 0, b, 1, b, 1),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_DigestEncryptUpdate(s + 1, b, 1, b, &n),
                    CKR_SESSION_HANDLE_INVALID);
    lib_fini();
    CU_ASSERT_EQUAL(p11->C_SignEncryptUpdate(s, b, 1, b, &n),
                    CKR_CRYPTOKI_NOT_INITIALIZED);
}

int suite_crypto(void)
{
    CU_pSuite s = CU_add_suite("crypto", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, size_query_and_short_buffer);
    ADD(s, multi_part);
    ADD(s, key_checks);
    ADD(s, cryppo_with_dek);
    ADD(s, digest);
    ADD(s, sign_verify);
    ADD(s, logout_ends_operations);
    ADD(s, multi_part_decrypt);
    ADD(s, not_offered);
    return 0;
}
