/* pkcs11/core/slot.h - library, slot and session-level calls that sit
 * above a single token (C_GetInfo, C_GetSlotList, C_OpenSession, ...).
 */
#ifndef PKCS11_CORE_SLOT_H
#define PKCS11_CORE_SLOT_H

#include "cryptoki.h"
#include "session.h"
#include "token.h"

CK_RV p11_library_info(CK_INFO_PTR info);
CK_RV p11_slot_list_locked(CK_BBOOL present, CK_SLOT_ID_PTR list,
                           CK_ULONG_PTR count);
CK_RV p11_slot_info_locked(p11_token *t, CK_SLOT_INFO_PTR info);
CK_RV p11_slot_token_info_locked(p11_token *t, CK_TOKEN_INFO_PTR info);
CK_RV p11_slot_wait(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR rsvd);
CK_RV p11_slot_mech_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info);
CK_RV p11_slot_mech_list(CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count);

CK_RV p11_slot_open_session_locked(p11_token *t, CK_FLAGS flags,
                                   CK_SESSION_HANDLE_PTR h);
CK_RV p11_slot_close_all_locked(p11_token *t);
CK_RV p11_slot_session_info_locked(p11_session *s, CK_SESSION_INFO_PTR info);
CK_RV p11_slot_login_locked(p11_session *s, CK_USER_TYPE who,
                            CK_UTF8CHAR_PTR pin, CK_ULONG len);
CK_RV p11_slot_cancel_locked(p11_session *s, CK_FLAGS flags);
CK_RV p11_slot_init_pin_locked(p11_session *s, CK_UTF8CHAR_PTR pin,
                               CK_ULONG len);
CK_RV p11_slot_set_pin_locked(p11_session *s, CK_UTF8CHAR_PTR old_pin,
                              CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin,
                              CK_ULONG new_len);
CK_RV p11_slot_random_locked(p11_session *s, CK_BYTE_PTR out, CK_ULONG len);

#endif /* PKCS11_CORE_SLOT_H */
