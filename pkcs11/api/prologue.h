/* pkcs11/api/prologue.h - the prologue macros every C_* shim uses.
 *
 * Each macro traces the call (entry, and exit with the CK_RV name, at
 * debug level), checks the library state, takes the token lock, runs ONE
 * expression of the core, releases the lock and returns.  The macro name
 * states the required state:
 *
 *   P11_CALL_NOLOCK(expr)        no state needed (C_GetFunctionList, ...)
 *   P11_CALL(expr)               library initialized in this process, else
 *                                CKR_CRYPTOKI_NOT_INITIALIZED
 *   P11_CALL_SLOT(slot, expr)    + slot id valid (CKR_SLOT_ID_INVALID);
 *                                binds `tok` (p11_token *)
 *   P11_CALL_TOKEN(slot, expr)   + a token present (CKR_TOKEN_NOT_PRESENT)
 *   P11_CALL_SESSION(h, expr)    + session handle valid
 *                                (CKR_SESSION_HANDLE_INVALID); binds `sess`
 *                                (p11_session *) and `tok`
 *   P11_CALL_SESSION_RW(h, expr) + a read/write session
 *                                (CKR_SESSION_READ_ONLY)
 *
 * Nothing else happens in a shim: argument checks that need no state are
 * in the core function the expression calls.
 */
#ifndef PKCS11_API_PROLOGUE_H
#define PKCS11_API_PROLOGUE_H

#include "cryptoki.h"
#include "library.h"
#include "session.h"
#include "token.h"

enum p11_need {
    P11_NEED_ANY = 0,
    P11_NEED_RW = 1,
    P11_NEED_TOKEN = 2,
};

void p11_api_trace_in(const char *fn);
CK_RV p11_api_trace_out(const char *fn, CK_RV rv);
CK_RV p11_api_begin(const char *fn);
CK_RV p11_api_begin_slot(const char *fn, CK_SLOT_ID slot, unsigned need,
                         p11_token **tok);
CK_RV p11_api_begin_session(const char *fn, CK_SESSION_HANDLE h,
                            unsigned need, p11_session **sess);

#define P11_CALL_NOLOCK(expr)                                                \
    do {                                                                     \
        p11_api_trace_in(__func__);                                          \
        return p11_api_trace_out(__func__, (expr));                          \
    } while (0)

#define P11_CALL(expr)                                                       \
    do {                                                                     \
        CK_RV rv_ = p11_api_begin(__func__);                                 \
        if (rv_ == CKR_OK) {                                                 \
            rv_ = (expr);                                                    \
            p11_library_leave();                                             \
        }                                                                    \
        return p11_api_trace_out(__func__, rv_);                             \
    } while (0)

#define P11_CALL_SLOT_NEED(slot, need, expr)                                 \
    do {                                                                     \
        p11_token *tok = NULL;                                               \
        CK_RV rv_ = p11_api_begin_slot(__func__, (slot), (need), &tok);      \
        if (rv_ == CKR_OK) {                                                 \
            rv_ = (expr);                                                    \
            p11_library_leave();                                             \
        }                                                                    \
        return p11_api_trace_out(__func__, rv_);                             \
    } while (0)

#define P11_CALL_SLOT(slot, expr) P11_CALL_SLOT_NEED(slot, P11_NEED_ANY, expr)
#define P11_CALL_TOKEN(slot, expr)                                           \
    P11_CALL_SLOT_NEED(slot, P11_NEED_TOKEN, expr)

#define P11_CALL_SESSION_NEED(h, need, expr)                                 \
    do {                                                                     \
        p11_session *sess = NULL;                                            \
        CK_RV rv_ = p11_api_begin_session(__func__, (h), (need), &sess);     \
        if (rv_ == CKR_OK) {                                                 \
            p11_token *tok = sess->token;                                    \
            (void)tok;                                                       \
            rv_ = (expr);                                                    \
            p11_library_leave();                                             \
        }                                                                    \
        return p11_api_trace_out(__func__, rv_);                             \
    } while (0)

#define P11_CALL_SESSION(h, expr) P11_CALL_SESSION_NEED(h, P11_NEED_ANY, expr)
#define P11_CALL_SESSION_RW(h, expr)                                         \
    P11_CALL_SESSION_NEED(h, P11_NEED_RW, expr)

#endif /* PKCS11_API_PROLOGUE_H */
