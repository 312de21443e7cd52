/* pkcs11/api/keygen.c - key management and random numbers (base spec
 * 5.14-5.15). */
#include "keygen.h"
#include "prologue.h"
#include "slot.h"

CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                    CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                    CK_OBJECT_HANDLE_PTR phKey)
{
    P11_CALL_SESSION(hSession, p11_keygen_secret_locked(
                                   sess, pMechanism, pTemplate, ulCount, phKey));
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession,
                        CK_MECHANISM_PTR pMechanism,
                        CK_ATTRIBUTE_PTR pPublicKeyTemplate,
                        CK_ULONG ulPublicKeyAttributeCount,
                        CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
                        CK_ULONG ulPrivateKeyAttributeCount,
                        CK_OBJECT_HANDLE_PTR phPublicKey,
                        CK_OBJECT_HANDLE_PTR phPrivateKey)
{
    P11_CALL_SESSION(hSession, p11_keygen_pair_locked(
        sess, pMechanism, pPublicKeyTemplate, ulPublicKeyAttributeCount,
        pPrivateKeyTemplate, ulPrivateKeyAttributeCount, phPublicKey,
        phPrivateKey));
}

CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
    P11_CALL_SESSION(hSession, p11_key_wrap_locked(sess, pMechanism,
                                                   hWrappingKey, hKey,
                                                   pWrappedKey,
                                                   pulWrappedKeyLen));
}

CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                  CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                  CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                  CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    P11_CALL_SESSION(hSession, p11_key_unwrap_locked(
        sess, pMechanism, hUnwrappingKey, pWrappedKey, ulWrappedKeyLen,
        pTemplate, ulAttributeCount, phKey));
}

CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                  CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate,
                  CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    (void)pMechanism, (void)hBaseKey, (void)pTemplate;
    (void)ulAttributeCount, (void)phKey;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed,
                   CK_ULONG ulSeedLen)
{
    (void)pSeed, (void)ulSeedLen; /* the OpenSSL DRBG seeds itself */
    P11_CALL_SESSION(hSession, CKR_RANDOM_SEED_NOT_SUPPORTED);
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData,
                       CK_ULONG ulRandomLen)
{
    P11_CALL_SESSION(hSession,
                     p11_slot_random_locked(sess, RandomData, ulRandomLen));
}
