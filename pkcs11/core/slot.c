/* pkcs11/core/slot.c - library and slot level calls. */
#include "slot.h"

#include <string.h>

#include "library.h"
#include "mech.h"

static void pad(CK_UTF8CHAR *dst, size_t len, const char *src)
{
    size_t n = strlen(src);
    memset(dst, ' ', len);
    memcpy(dst, src, n < len ? n : len);
}

CK_RV p11_library_info(CK_INFO_PTR info)
{
    if (info == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(info, 0, sizeof(*info));
    info->cryptokiVersion = (CK_VERSION){3, 0};
    pad(info->manufacturerID, sizeof(info->manufacturerID), "Meeco");
    pad(info->libraryDescription, sizeof(info->libraryDescription),
        "Meeco account PKCS#11 module");
    info->libraryVersion = (CK_VERSION){0, 1};
    return CKR_OK;
}

CK_RV p11_slot_list_locked(CK_BBOOL present, CK_SLOT_ID_PTR list,
                           CK_ULONG_PTR count)
{
    CK_ULONG n = 0, total = p11_library_slot_count_locked();
    if (count == NULL)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < total; i++) {
        if (!present || p11_library_token_locked(i)->ops != NULL)
            n++;
    }
    if (list == NULL) {
        *count = n;
        return CKR_OK;
    }
    if (*count < n) {
        *count = n;
        return CKR_BUFFER_TOO_SMALL;
    }
    n = 0;
    for (CK_ULONG i = 0; i < total; i++) {
        if (!present || p11_library_token_locked(i)->ops != NULL)
            list[n++] = i;
    }
    *count = n;
    return CKR_OK;
}

CK_RV p11_slot_info_locked(p11_token *t, CK_SLOT_INFO_PTR info)
{
    if (info == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_token_slot_info_locked(t, info);
    return CKR_OK;
}

CK_RV p11_slot_token_info_locked(p11_token *t, CK_TOKEN_INFO_PTR info)
{
    if (info == NULL)
        return CKR_ARGUMENTS_BAD;
    return p11_token_info_locked(t, info);
}

CK_RV p11_slot_wait(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR rsvd)
{
    if (slot == NULL || rsvd != NULL)
        return CKR_ARGUMENTS_BAD;
    /* Tokens never appear or vanish: there is never an event. */
    return (flags & CKF_DONT_BLOCK) ? CKR_NO_EVENT
                                    : CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV p11_slot_mech_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
    if (info == NULL)
        return CKR_ARGUMENTS_BAD;
    return mech_get_info(type, info);
}

CK_RV p11_slot_mech_list(CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
    if (count == NULL)
        return CKR_ARGUMENTS_BAD;
    return mech_list(list, count);
}

CK_RV p11_slot_open_session_locked(p11_token *t, CK_FLAGS flags,
                                   CK_SESSION_HANDLE_PTR h)
{
    if (h == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!(flags & CKF_SERIAL_SESSION))
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    if (t->user == CKU_SO && !(flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_WRITE_SO_EXISTS;
    if (t->write_protected && (flags & CKF_RW_SESSION))
        return CKR_TOKEN_WRITE_PROTECTED;
    if (p11_session_count_locked(t, false) == 0) {
        /* see other processes' work: re-list if the backend changed */
        CK_RV rv = p11_token_refresh_locked(t);
        if (rv != CKR_OK)
            return rv;
    }
    return p11_session_open_locked(t, flags & (CKF_SERIAL_SESSION |
                                               CKF_RW_SESSION), h);
}

CK_RV p11_slot_close_all_locked(p11_token *t)
{
    p11_session_close_all_locked(t);
    return CKR_OK;
}

CK_RV p11_slot_session_info_locked(p11_session *s, CK_SESSION_INFO_PTR info)
{
    if (info == NULL)
        return CKR_ARGUMENTS_BAD;
    return p11_session_info_locked(s, info);
}

CK_RV p11_slot_login_locked(p11_session *s, CK_USER_TYPE who,
                            CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    return p11_token_login_locked(s, who, pin, len);
}

CK_RV p11_slot_cancel_locked(p11_session *s, CK_FLAGS flags)
{
    static const struct {
        CK_FLAGS flag;
        enum p11_op_kind kind;
    } map[] = {
        {CKF_ENCRYPT, P11_OP_ENCRYPT}, {CKF_DECRYPT, P11_OP_DECRYPT},
        {CKF_SIGN, P11_OP_SIGN},       {CKF_VERIFY, P11_OP_VERIFY},
        {CKF_DIGEST, P11_OP_DIGEST},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (flags & map[i].flag)
            p11_session_end_op(s, map[i].kind);
    if (flags & CKF_FIND_OBJECTS)
        p11_session_end_find(s);
    return CKR_OK;
}

CK_RV p11_slot_init_pin_locked(p11_session *s, CK_UTF8CHAR_PTR pin,
                               CK_ULONG len)
{
    if (p11_session_state_locked(s) != CKS_RW_SO_FUNCTIONS)
        return CKR_USER_NOT_LOGGED_IN;
    return p11_token_init_pin_locked(s->token, pin, len);
}

CK_RV p11_slot_set_pin_locked(p11_session *s, CK_UTF8CHAR_PTR old_pin,
                              CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin,
                              CK_ULONG new_len)
{
    return p11_token_set_pin_locked(s->token, old_pin, old_len, new_pin,
                                    new_len);
}

CK_RV p11_slot_random_locked(p11_session *s, CK_BYTE_PTR out, CK_ULONG len)
{
    (void)s;
    if (out == NULL && len > 0)
        return CKR_ARGUMENTS_BAD;
    return mech_random(out, len);
}
