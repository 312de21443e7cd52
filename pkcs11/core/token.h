/* pkcs11/core/token.h - slots and tokens: one slot per configured token,
 * its backend, login state and token information.
 *
 * Login state is per token and shared by all sessions of the process
 * (PKCS#11 2.1 "a user logs in to a token, not to a session").  Functions
 * ending in _locked need the token lock (lock.h).
 */
#ifndef PKCS11_CORE_TOKEN_H
#define PKCS11_CORE_TOKEN_H

#include <stdbool.h>

#include "backend.h"
#include "cryptoki.h"

#define P11_NOBODY ((CK_USER_TYPE)~0UL)

typedef struct p11_token {
    CK_SLOT_ID slot;
    char *name;                  /* config section name */
    const p11_backend_ops *ops;  /* NULL: no token present */
    void *ctx;
    CK_USER_TYPE user;           /* CKU_USER, CKU_SO or P11_NOBODY */
    unsigned epoch;              /* backend listings so far */
    bool write_protected;        /* config read_only: no R/W sessions */
    bool public_loaded;
    unsigned login_gen;          /* changes at every login and logout */
    unsigned bk_generation;      /* ops->generation() at the last load */
} p11_token;

void p11_token_slot_info_locked(const p11_token *t, CK_SLOT_INFO *info);
CK_RV p11_token_info_locked(p11_token *t, CK_TOKEN_INFO *info);

/* Re-read the token's objects from the backend (public ones, plus the
 * private ones when the user is logged in). */
CK_RV p11_token_load_locked(p11_token *t);

CK_RV p11_token_init_locked(p11_token *t, const CK_UTF8CHAR *pin,
                            CK_ULONG len, const CK_UTF8CHAR *label);
/* C_Login on session s (a blocking backend is asked without the lock:
 * CKR_SESSION_CLOSED if s was closed meanwhile). */
struct p11_session;
CK_RV p11_token_login_locked(struct p11_session *s, CK_USER_TYPE who,
                             const CK_UTF8CHAR *pin, CK_ULONG len);
/* Load the objects if never loaded, or re-list them if the backend's
 * records changed since the last load (another process's commit, a
 * background refresh of a remote token). */
CK_RV p11_token_refresh_locked(p11_token *t);
CK_RV p11_token_logout_locked(p11_token *t);
/* Forget the login without asking the backend twice (last session closed). */
void p11_token_drop_login_locked(p11_token *t);
CK_RV p11_token_init_pin_locked(p11_token *t, const CK_UTF8CHAR *pin,
                                CK_ULONG len);
CK_RV p11_token_set_pin_locked(p11_token *t, const CK_UTF8CHAR *old_pin,
                               CK_ULONG old_len, const CK_UTF8CHAR *new_pin,
                               CK_ULONG new_len);

#endif /* PKCS11_CORE_TOKEN_H */
