/* pkcs11/core/blocking.c - release the token lock around a backend call
 * that may wait on the network (see blocking.h). */
#include "blocking.h"

#include "library.h"

void p11_blocking_begin(p11_session *s, p11_blocking *b)
{
    *b = (p11_blocking){.s = s, .login_gen = s->token->login_gen};
    if (s->token->ops == NULL || !s->token->ops->blocking)
        return;
    s->busy++;
    b->released = true;
    p11_library_release();
}

CK_RV p11_blocking_end(p11_blocking *b)
{
    p11_session *s = b->s;
    if (!b->released)
        return CKR_OK;
    p11_library_retake();
    b->released = false;
    s->busy--;
    if (s->closed) {
        p11_session_release_locked(s);
        b->s = NULL;
        return CKR_SESSION_CLOSED;
    }
    b->login_changed = s->token->login_gen != b->login_gen;
    return CKR_OK;
}
