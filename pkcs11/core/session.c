/* pkcs11/core/session.c - session table and states. */
#include "session.h"

#include <stdlib.h>

#include "handle.h"
#include "mech.h"
#include "objtable.h"

static p11_htable *sessions;

CK_RV p11_session_open_locked(p11_token *t, CK_FLAGS flags,
                              CK_SESSION_HANDLE *h)
{
    if (sessions == NULL && (sessions = p11_htable_new()) == NULL)
        return CKR_HOST_MEMORY;
    p11_session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return CKR_HOST_MEMORY;
    s->token = t;
    s->flags = flags;
    CK_RV rv = p11_htable_add(sessions, s, &s->handle);
    if (rv != CKR_OK) {
        free(s);
        return rv;
    }
    *h = s->handle;
    return CKR_OK;
}

p11_session *p11_session_get_locked(CK_SESSION_HANDLE h)
{
    return sessions != NULL ? p11_htable_get(sessions, h) : NULL;
}

void p11_session_end_op(p11_session *s, enum p11_op_kind k)
{
    mech_op_free(s->op[k]);
    s->op[k] = NULL;
}

void p11_session_end_find(p11_session *s)
{
    free(s->found);
    s->found = NULL;
    s->n_found = s->pos = 0;
    s->finding = false;
}

static void session_free(p11_session *s)
{
    for (int k = 0; k < P11_OP_COUNT; k++)
        p11_session_end_op(s, (enum p11_op_kind)k);
    p11_session_end_find(s);
    free(s);
}

void p11_session_release_locked(p11_session *s)
{
    if (s->closed && s->busy == 0)
        session_free(s);
}

CK_RV p11_session_close_locked(CK_SESSION_HANDLE h)
{
    p11_session *s = p11_session_get_locked(h);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11_token *t = s->token;
    p11_htable_remove(sessions, h);
    p11_objects_drop_session_locked(h);
    s->closed = true;
    if (s->busy == 0)
        session_free(s);
    if (p11_session_count_locked(t, false) == 0)
        p11_token_drop_login_locked(t);
    return CKR_OK;
}

void p11_session_close_all_locked(p11_token *t)
{
    for (size_t i = 0; sessions != NULL && i < p11_htable_capacity(sessions);
         i++) {
        p11_session *s = p11_htable_at(sessions, i);
        if (s != NULL && s->token == t)
            p11_session_close_locked(s->handle);
    }
}

CK_ULONG p11_session_count_locked(const p11_token *t, bool rw_only)
{
    CK_ULONG n = 0;
    for (size_t i = 0; sessions != NULL && i < p11_htable_capacity(sessions);
         i++) {
        const p11_session *s = p11_htable_at(sessions, i);
        if (s != NULL && s->token == t && (!rw_only || p11_session_is_rw(s)))
            n++;
    }
    return n;
}

bool p11_session_is_rw(const p11_session *s)
{
    return (s->flags & CKF_RW_SESSION) != 0;
}

CK_STATE p11_session_state_locked(const p11_session *s)
{
    bool rw = p11_session_is_rw(s);
    switch (s->token->user) {
    case CKU_USER:
        return rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
    case CKU_SO:
        return CKS_RW_SO_FUNCTIONS;
    default:
        return rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
    }
}

void p11_session_end_ops_locked(p11_token *t)
{
    for (size_t i = 0; sessions != NULL && i < p11_htable_capacity(sessions);
         i++) {
        p11_session *s = p11_htable_at(sessions, i);
        if (s == NULL || s->token != t)
            continue;
        for (int k = 0; k < P11_OP_COUNT; k++)
            p11_session_end_op(s, (enum p11_op_kind)k);
        p11_session_end_find(s);
    }
}

CK_RV p11_session_info_locked(const p11_session *s, CK_SESSION_INFO *info)
{
    info->slotID = s->token->slot;
    info->state = p11_session_state_locked(s);
    info->flags = s->flags;
    info->ulDeviceError = 0;
    return CKR_OK;
}

void p11_session_table_free(void)
{
    for (size_t i = 0; sessions != NULL && i < p11_htable_capacity(sessions);
         i++) {
        p11_session *s = p11_htable_at(sessions, i);
        if (s != NULL)
            session_free(s);
    }
    p11_htable_free(sessions);
    sessions = NULL;
}
