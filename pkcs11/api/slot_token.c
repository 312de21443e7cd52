/* pkcs11/api/slot_token.c - slot and token management (base spec 5.5). */
#include "prologue.h"
#include "slot.h"

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList,
                    CK_ULONG_PTR pulCount)
{
    P11_CALL(p11_slot_list_locked(tokenPresent, pSlotList, pulCount));
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    P11_CALL_SLOT(slotID, p11_slot_info_locked(tok, pInfo));
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    P11_CALL_TOKEN(slotID, p11_slot_token_info_locked(tok, pInfo));
}

CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot,
                         CK_VOID_PTR pReserved)
{
    P11_CALL(p11_slot_wait(flags, pSlot, pReserved));
}

CK_RV C_GetMechanismList(CK_SLOT_ID slotID,
                         CK_MECHANISM_TYPE_PTR pMechanismList,
                         CK_ULONG_PTR pulCount)
{
    P11_CALL_TOKEN(slotID, p11_slot_mech_list(pMechanismList, pulCount));
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,
                         CK_MECHANISM_INFO_PTR pInfo)
{
    P11_CALL_TOKEN(slotID, p11_slot_mech_info(type, pInfo));
}

CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pLabel)
{
    P11_CALL_TOKEN(slotID, p11_token_init_locked(tok, pPin, ulPinLen, pLabel));
}

CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin,
                CK_ULONG ulPinLen)
{
    P11_CALL_SESSION_RW(hSession,
                        p11_slot_init_pin_locked(sess, pPin, ulPinLen));
}

CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin,
               CK_ULONG ulOldLen, CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen)
{
    P11_CALL_SESSION_RW(hSession, p11_slot_set_pin_locked(
                                      sess, pOldPin, ulOldLen, pNewPin, ulNewLen));
}
