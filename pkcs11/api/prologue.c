/* pkcs11/api/prologue.c - state checks and tracing behind the macros. */
#include "prologue.h"

#include "log.h"
#include "names.h"

void p11_api_trace_in(const char *fn)
{
    LOGD(LOG_AREA_PKCS11, "%s", fn);
}

CK_RV p11_api_trace_out(const char *fn, CK_RV rv)
{
    LOGD(LOG_AREA_PKCS11, "%s -> %s", fn, p11_rv_name(rv));
    return rv;
}

CK_RV p11_api_begin(const char *fn)
{
    p11_api_trace_in(fn);
    return p11_library_enter();
}

CK_RV p11_api_begin_slot(const char *fn, CK_SLOT_ID slot, unsigned need,
                         p11_token **tok)
{
    CK_RV rv = p11_api_begin(fn);
    if (rv != CKR_OK)
        return rv;
    *tok = p11_library_token_locked(slot);
    if (*tok == NULL)
        rv = CKR_SLOT_ID_INVALID;
    else if ((need & P11_NEED_TOKEN) && (*tok)->ops == NULL)
        rv = CKR_TOKEN_NOT_PRESENT;
    if (rv != CKR_OK)
        p11_library_leave();
    return rv;
}

CK_RV p11_api_begin_session(const char *fn, CK_SESSION_HANDLE h,
                            unsigned need, p11_session **sess)
{
    CK_RV rv = p11_api_begin(fn);
    if (rv != CKR_OK)
        return rv;
    *sess = p11_session_get_locked(h);
    if (*sess == NULL)
        rv = CKR_SESSION_HANDLE_INVALID;
    else if ((need & P11_NEED_RW) && !p11_session_is_rw(*sess))
        rv = CKR_SESSION_READ_ONLY;
    if (rv != CKR_OK)
        p11_library_leave();
    return rv;
}
