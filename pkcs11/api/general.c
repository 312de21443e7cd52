/* pkcs11/api/general.c - general-purpose functions (base spec 5.4). */
#include "prologue.h"
#include "slot.h"

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    P11_CALL_NOLOCK(p11_library_initialize(pInitArgs));
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    P11_CALL_NOLOCK(p11_library_finalize(pReserved));
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    P11_CALL(p11_library_info(pInfo));
}

CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_PARALLEL);
}

CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession)
{
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_PARALLEL);
}
