/* pkcs11/api/message.c - the PKCS#11 3.0 message-based functions (base
 * spec 5.15-5.19).  The token offers no message mechanisms: every call
 * checks the session and returns CKR_FUNCTION_NOT_SUPPORTED.
 */
#include "prologue.h"

#define NOT_SUPPORTED P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED)

#define MSG_INIT(name)                                                       \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,      \
               CK_OBJECT_HANDLE hKey)                                        \
    {                                                                        \
        (void)pMechanism, (void)hKey;                                        \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_FINAL(name)                                                      \
    CK_RV name(CK_SESSION_HANDLE hSession)                                   \
    {                                                                        \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_CRYPT(name)                                                      \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen, CK_BYTE_PTR pAad, CK_ULONG ulAad,    \
               CK_BYTE_PTR pIn, CK_ULONG ulIn, CK_BYTE_PTR pOut,             \
               CK_ULONG_PTR pulOut)                                          \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen, (void)pAad, (void)ulAad;     \
        (void)pIn, (void)ulIn, (void)pOut, (void)pulOut;                     \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_BEGIN_AAD(name)                                                  \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen, CK_BYTE_PTR pAad, CK_ULONG ulAad)    \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen, (void)pAad, (void)ulAad;     \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_NEXT_CRYPT(name)                                                 \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen, CK_BYTE_PTR pIn, CK_ULONG ulIn,      \
               CK_BYTE_PTR pOut, CK_ULONG_PTR pulOut, CK_FLAGS flags)        \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen, (void)pIn, (void)ulIn;       \
        (void)pOut, (void)pulOut, (void)flags;                               \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_BEGIN(name)                                                      \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen)                                      \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen;                              \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_SIGN(name)                                                       \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulData,  \
               CK_BYTE_PTR pSig, CK_ULONG_PTR pulSig)                        \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulData;   \
        (void)pSig, (void)pulSig;                                            \
        NOT_SUPPORTED;                                                       \
    }
#define MSG_VERIFY(name)                                                     \
    CK_RV name(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,           \
               CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulData,  \
               CK_BYTE_PTR pSig, CK_ULONG ulSig)                             \
    {                                                                        \
        (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulData;   \
        (void)pSig, (void)ulSig;                                             \
        NOT_SUPPORTED;                                                       \
    }

MSG_INIT(C_MessageEncryptInit)
MSG_CRYPT(C_EncryptMessage)
MSG_BEGIN_AAD(C_EncryptMessageBegin)
MSG_NEXT_CRYPT(C_EncryptMessageNext)
MSG_FINAL(C_MessageEncryptFinal)
MSG_INIT(C_MessageDecryptInit)
MSG_CRYPT(C_DecryptMessage)
MSG_BEGIN_AAD(C_DecryptMessageBegin)
MSG_NEXT_CRYPT(C_DecryptMessageNext)
MSG_FINAL(C_MessageDecryptFinal)
MSG_INIT(C_MessageSignInit)
MSG_SIGN(C_SignMessage)
MSG_BEGIN(C_SignMessageBegin)
MSG_SIGN(C_SignMessageNext)
MSG_FINAL(C_MessageSignFinal)
MSG_INIT(C_MessageVerifyInit)
MSG_VERIFY(C_VerifyMessage)
MSG_BEGIN(C_VerifyMessageBegin)
MSG_VERIFY(C_VerifyMessageNext)
MSG_FINAL(C_MessageVerifyFinal)
