/* pkcs11/api/function_list.c - the function lists and the only three
 * exported symbols: C_GetFunctionList (2.40), C_GetInterfaceList and
 * C_GetInterface (3.0).
 */
#include "prologue.h"

#include <string.h>

#define F(name) .name = name

#define V2_FUNCTIONS                                                          \
    F(C_Initialize), F(C_Finalize), F(C_GetInfo), F(C_GetFunctionList),       \
        F(C_GetSlotList), F(C_GetSlotInfo), F(C_GetTokenInfo),                \
        F(C_GetMechanismList), F(C_GetMechanismInfo), F(C_InitToken),         \
        F(C_InitPIN), F(C_SetPIN), F(C_OpenSession), F(C_CloseSession),       \
        F(C_CloseAllSessions), F(C_GetSessionInfo), F(C_GetOperationState),   \
        F(C_SetOperationState), F(C_Login), F(C_Logout), F(C_CreateObject),   \
        F(C_CopyObject), F(C_DestroyObject), F(C_GetObjectSize),              \
        F(C_GetAttributeValue), F(C_SetAttributeValue),                       \
        F(C_FindObjectsInit), F(C_FindObjects), F(C_FindObjectsFinal),        \
        F(C_EncryptInit), F(C_Encrypt), F(C_EncryptUpdate),                   \
        F(C_EncryptFinal), F(C_DecryptInit), F(C_Decrypt),                    \
        F(C_DecryptUpdate), F(C_DecryptFinal), F(C_DigestInit), F(C_Digest),  \
        F(C_DigestUpdate), F(C_DigestKey), F(C_DigestFinal), F(C_SignInit),   \
        F(C_Sign), F(C_SignUpdate), F(C_SignFinal), F(C_SignRecoverInit),     \
        F(C_SignRecover), F(C_VerifyInit), F(C_Verify), F(C_VerifyUpdate),    \
        F(C_VerifyFinal), F(C_VerifyRecoverInit), F(C_VerifyRecover),         \
        F(C_DigestEncryptUpdate), F(C_DecryptDigestUpdate),                   \
        F(C_SignEncryptUpdate), F(C_DecryptVerifyUpdate), F(C_GenerateKey),   \
        F(C_GenerateKeyPair), F(C_WrapKey), F(C_UnwrapKey), F(C_DeriveKey),   \
        F(C_SeedRandom), F(C_GenerateRandom), F(C_GetFunctionStatus),         \
        F(C_CancelFunction), F(C_WaitForSlotEvent)

static CK_FUNCTION_LIST list_2_40 = {
    .version = {2, 40},
    V2_FUNCTIONS,
};

static CK_FUNCTION_LIST_3_0 list_3_0 = {
    .version = {3, 0},
    V2_FUNCTIONS,
    F(C_GetInterfaceList), F(C_GetInterface), F(C_LoginUser),
    F(C_SessionCancel), F(C_MessageEncryptInit), F(C_EncryptMessage),
    F(C_EncryptMessageBegin), F(C_EncryptMessageNext),
    F(C_MessageEncryptFinal), F(C_MessageDecryptInit), F(C_DecryptMessage),
    F(C_DecryptMessageBegin), F(C_DecryptMessageNext),
    F(C_MessageDecryptFinal), F(C_MessageSignInit), F(C_SignMessage),
    F(C_SignMessageBegin), F(C_SignMessageNext), F(C_MessageSignFinal),
    F(C_MessageVerifyInit), F(C_VerifyMessage), F(C_VerifyMessageBegin),
    F(C_VerifyMessageNext), F(C_MessageVerifyFinal),
};

#undef F

static CK_CHAR interface_name[] = "PKCS 11";

/* 3.0 first: callers that take the first interface get the newest. */
static CK_INTERFACE interfaces[] = {
    {interface_name, &list_3_0, 0},
    {interface_name, &list_2_40, 0},
};

#define N_INTERFACES (sizeof(interfaces) / sizeof(interfaces[0]))

static CK_RV function_list(CK_FUNCTION_LIST_PTR_PTR out)
{
    if (out == NULL)
        return CKR_ARGUMENTS_BAD;
    *out = &list_2_40;
    return CKR_OK;
}

static CK_RV interface_list(CK_INTERFACE_PTR list, CK_ULONG_PTR count)
{
    if (count == NULL)
        return CKR_ARGUMENTS_BAD;
    if (list == NULL) {
        *count = N_INTERFACES;
        return CKR_OK;
    }
    if (*count < N_INTERFACES) {
        *count = N_INTERFACES;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(list, interfaces, sizeof(interfaces));
    *count = N_INTERFACES;
    return CKR_OK;
}

static CK_RV find_interface(CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                            CK_INTERFACE_PTR_PTR out, CK_FLAGS flags)
{
    if (out == NULL)
        return CKR_ARGUMENTS_BAD;
    for (size_t i = 0; i < N_INTERFACES; i++) {
        const CK_VERSION *v = interfaces[i].pFunctionList;
        if (name != NULL && strcmp((const char *)name, "PKCS 11") != 0)
            continue;
        if (version != NULL && (version->major != v->major ||
                                version->minor != v->minor))
            continue;
        if ((interfaces[i].flags & flags) != flags)
            continue;
        *out = &interfaces[i];
        return CKR_OK;
    }
    return CKR_FUNCTION_FAILED;
}

P11_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    P11_CALL_NOLOCK(function_list(ppFunctionList));
}

P11_EXPORT CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList,
                                    CK_ULONG_PTR pulCount)
{
    P11_CALL_NOLOCK(interface_list(pInterfacesList, pulCount));
}

P11_EXPORT CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName,
                                CK_VERSION_PTR pVersion,
                                CK_INTERFACE_PTR_PTR ppInterface,
                                CK_FLAGS flags)
{
    P11_CALL_NOLOCK(find_interface(pInterfaceName, pVersion, ppInterface,
                                   flags));
}
