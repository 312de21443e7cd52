/* pkcs11/api/session.c - session management (base spec 5.6). */
#include "prologue.h"
#include "slot.h"

CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags,
                    CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                    CK_SESSION_HANDLE_PTR phSession)
{
    (void)pApplication, (void)Notify; /* no callbacks are ever made */
    P11_CALL_TOKEN(slotID, p11_slot_open_session_locked(tok, flags, phSession));
}

CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
    P11_CALL_SESSION(hSession, p11_session_close_locked(hSession));
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
    P11_CALL_TOKEN(slotID, p11_slot_close_all_locked(tok));
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo)
{
    P11_CALL_SESSION(hSession, p11_slot_session_info_locked(sess, pInfo));
}

CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags)
{
    P11_CALL_SESSION(hSession, p11_slot_cancel_locked(sess, flags));
}

CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession,
                          CK_BYTE_PTR pOperationState,
                          CK_ULONG_PTR pulOperationStateLen)
{
    (void)pOperationState, (void)pulOperationStateLen;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession,
                          CK_BYTE_PTR pOperationState,
                          CK_ULONG ulOperationStateLen,
                          CK_OBJECT_HANDLE hEncryptionKey,
                          CK_OBJECT_HANDLE hAuthenticationKey)
{
    (void)pOperationState, (void)ulOperationStateLen;
    (void)hEncryptionKey, (void)hAuthenticationKey;
    P11_CALL_SESSION(hSession, CKR_FUNCTION_NOT_SUPPORTED);
}

CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
              CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    P11_CALL_SESSION(hSession,
                     p11_slot_login_locked(sess, userType, pPin, ulPinLen));
}

/* The token has no user names: pUsername is ignored (3.0 5.6.10). */
CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
                  CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
    (void)pUsername, (void)ulUsernameLen;
    P11_CALL_SESSION(hSession,
                     p11_slot_login_locked(sess, userType, pPin, ulPinLen));
}

CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
    P11_CALL_SESSION(hSession, p11_token_logout_locked(tok));
}
