/* pkcs11/core/blocking.h - calling a backend that may wait on the
 * network without holding the token lock.
 *
 * A remote token's login and writes go to a Meeco server first; a slow
 * or unreachable server must not stall the other sessions (encryption,
 * C_GetTokenInfo, finds on other tokens).  Around such a backend call
 * the core releases the token lock:
 *
 *     p11_blocking b;
 *     p11_blocking_begin(s, &b);          lock released (blocking
 *     rv = s->token->ops->slot_create();  backends only; a no-op for
 *     rv2 = p11_blocking_end(&b);         the local one), then retaken
 *
 * While the lock is released anything may happen to the core's state:
 * another thread may close the session, log out, destroy objects.  The
 * caller must hold no pointer into the object table across the call,
 * and after p11_blocking_end:
 *   - CKR_SESSION_CLOSED: s was closed meanwhile (and is now freed):
 *     touch neither s nor its token's objects; report that code;
 *   - CKR_OK: s is valid; b.login_changed says whether a login or logout
 *     happened meanwhile (the caller decides what that means for it).
 * The session cannot be freed while a call is inside (s->busy), and
 * C_Finalize waits for such calls (library.h).
 */
#ifndef PKCS11_CORE_BLOCKING_H
#define PKCS11_CORE_BLOCKING_H

#include <stdbool.h>

#include "session.h"

typedef struct p11_blocking {
    p11_session *s;
    unsigned login_gen;
    bool released;
    bool login_changed; /* set by p11_blocking_end */
} p11_blocking;

void p11_blocking_begin(p11_session *s, p11_blocking *b);
CK_RV p11_blocking_end(p11_blocking *b);

#endif /* PKCS11_CORE_BLOCKING_H */
