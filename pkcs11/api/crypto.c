/* pkcs11/api/crypto.c - encryption, decryption, digests, signatures
 * (base spec 5.8-5.13) and the 3.0 message-based functions, which this
 * token does not offer (CKR_FUNCTION_NOT_SUPPORTED after the state checks).
 */
#include "crypto.h"
#include "prologue.h"

/* ---- encryption ---------------------------------------------------- */

CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                    CK_OBJECT_HANDLE hKey)
{
    P11_CALL_SESSION(hSession, p11_crypto_init_locked(sess, P11_OP_ENCRYPT,
                                                      pMechanism, hKey));
}

CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
                CK_ULONG_PTR pulEncryptedDataLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_oneshot_locked(
                                   sess, P11_OP_ENCRYPT, pData, ulDataLen,
                                   pEncryptedData, pulEncryptedDataLen));
}

CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                      CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                      CK_ULONG_PTR pulEncryptedPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_update_locked(
                                   sess, P11_OP_ENCRYPT, pPart, ulPartLen,
                                   pEncryptedPart, pulEncryptedPartLen));
}

CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession,
                     CK_BYTE_PTR pLastEncryptedPart,
                     CK_ULONG_PTR pulLastEncryptedPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_final_locked(
                                   sess, P11_OP_ENCRYPT, pLastEncryptedPart,
                                   pulLastEncryptedPartLen));
}

/* ---- decryption ---------------------------------------------------- */

CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                    CK_OBJECT_HANDLE hKey)
{
    P11_CALL_SESSION(hSession, p11_crypto_init_locked(sess, P11_OP_DECRYPT,
                                                      pMechanism, hKey));
}

CK_RV C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,
                CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData,
                CK_ULONG_PTR pulDataLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_oneshot_locked(
                                   sess, P11_OP_DECRYPT, pEncryptedData,
                                   ulEncryptedDataLen, pData, pulDataLen));
}

CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                      CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                      CK_ULONG_PTR pulPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_update_locked(
                                   sess, P11_OP_DECRYPT, pEncryptedPart,
                                   ulEncryptedPartLen, pPart, pulPartLen));
}

CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,
                     CK_ULONG_PTR pulLastPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_final_locked(
                                   sess, P11_OP_DECRYPT, pLastPart,
                                   pulLastPartLen));
}

/* ---- message digesting --------------------------------------------- */

CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
    P11_CALL_SESSION(hSession, p11_crypto_init_locked(sess, P11_OP_DIGEST,
                                                      pMechanism, 0));
}

CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
               CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
               CK_ULONG_PTR pulDigestLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_oneshot_locked(
                                   sess, P11_OP_DIGEST, pData, ulDataLen,
                                   pDigest, pulDigestLen));
}

CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                     CK_ULONG ulPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_update_locked(
                                   sess, P11_OP_DIGEST, pPart, ulPartLen,
                                   NULL, NULL));
}

CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
    (void)hKey; /* digesting secret key bytes is not offered */
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                    CK_ULONG_PTR pulDigestLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_final_locked(
                                   sess, P11_OP_DIGEST, pDigest, pulDigestLen));
}

/* ---- signing and MACing -------------------------------------------- */

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                 CK_OBJECT_HANDLE hKey)
{
    P11_CALL_SESSION(hSession, p11_crypto_init_locked(sess, P11_OP_SIGN,
                                                      pMechanism, hKey));
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
             CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
             CK_ULONG_PTR pulSignatureLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_oneshot_locked(
                                   sess, P11_OP_SIGN, pData, ulDataLen,
                                   pSignature, pulSignatureLen));
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                   CK_ULONG ulPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_update_locked(
                                   sess, P11_OP_SIGN, pPart, ulPartLen,
                                   NULL, NULL));
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                  CK_ULONG_PTR pulSignatureLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_final_locked(
                                   sess, P11_OP_SIGN, pSignature,
                                   pulSignatureLen));
}

CK_RV C_SignRecoverInit(CK_SESSION_HANDLE hSession,
                        CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)pMechanism, (void)hKey;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                    CK_ULONG_PTR pulSignatureLen)
{
    (void)pData, (void)ulDataLen, (void)pSignature, (void)pulSignatureLen;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

/* ---- verifying ------------------------------------------------------ */

CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                   CK_OBJECT_HANDLE hKey)
{
    P11_CALL_SESSION(hSession, p11_crypto_init_locked(sess, P11_OP_VERIFY,
                                                      pMechanism, hKey));
}

CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
               CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
               CK_ULONG ulSignatureLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_verify_locked(
                                   sess, pData, ulDataLen, pSignature,
                                   ulSignatureLen));
}

CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                     CK_ULONG ulPartLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_update_locked(
                                   sess, P11_OP_VERIFY, pPart, ulPartLen,
                                   NULL, NULL));
}

CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                    CK_ULONG ulSignatureLen)
{
    P11_CALL_SESSION(hSession, p11_crypto_verify_final_locked(
                                   sess, pSignature, ulSignatureLen));
}

CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE hSession,
                          CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)pMechanism, (void)hKey;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_VerifyRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                      CK_ULONG ulSignatureLen, CK_BYTE_PTR pData,
                      CK_ULONG_PTR pulDataLen)
{
    (void)pSignature, (void)ulSignatureLen, (void)pData, (void)pulDataLen;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

/* ---- dual-function operations (not offered) ------------------------ */

#define DUAL(name)                                                           \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pIn, CK_ULONG ulIn,   \
               CK_BYTE_PTR pOut, CK_ULONG_PTR pulOut)                        \
    {                                                                        \
        (void)pIn, (void)ulIn, (void)pOut, (void)pulOut;                     \
        P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);              \
    }

DUAL(C_DigestEncryptUpdate)
DUAL(C_DecryptDigestUpdate)
DUAL(C_SignEncryptUpdate)
DUAL(C_DecryptVerifyUpdate)
