/* pkcs11/core/session.h - the session table and session states.
 *
 * Session states (PKCS#11 3.0 base spec 5.6.1, table 6) follow from the
 * session's R/W flag and the token's login:
 *
 *                 nobody               CKU_USER               CKU_SO
 *   read-only     CKS_RO_PUBLIC_SESSION CKS_RO_USER_FUNCTIONS  (impossible)
 *   read/write    CKS_RW_PUBLIC_SESSION CKS_RW_USER_FUNCTIONS  CKS_RW_SO_FUNCTIONS
 *
 * A session holds at most one active operation of each kind, plus a find.
 * All functions need the token lock.
 */
#ifndef PKCS11_CORE_SESSION_H
#define PKCS11_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "cryptoki.h"
#include "token.h"

struct mech_op;

enum p11_op_kind {
    P11_OP_ENCRYPT,
    P11_OP_DECRYPT,
    P11_OP_SIGN,
    P11_OP_VERIFY,
    P11_OP_DIGEST,
    P11_OP_COUNT
};

typedef struct p11_session {
    CK_SESSION_HANDLE handle;
    p11_token *token;
    CK_FLAGS flags;
    struct mech_op *op[P11_OP_COUNT];
    bool finding;
    CK_OBJECT_HANDLE *found;
    size_t n_found;
    size_t pos;
    unsigned busy; /* calls waiting on the network without the lock */
    bool closed;   /* closed while busy: freed by the last of them */
} p11_session;

CK_RV p11_session_open_locked(p11_token *t, CK_FLAGS flags,
                              CK_SESSION_HANDLE *h);
p11_session *p11_session_get_locked(CK_SESSION_HANDLE h);
CK_RV p11_session_close_locked(CK_SESSION_HANDLE h);
void p11_session_close_all_locked(p11_token *t);
/* Sessions of token t (rw_only: read/write ones). */
CK_ULONG p11_session_count_locked(const p11_token *t, bool rw_only);
CK_STATE p11_session_state_locked(const p11_session *s);
bool p11_session_is_rw(const p11_session *s);
/* End all operations of every session of t (logout). */
void p11_session_end_ops_locked(p11_token *t);
void p11_session_end_op(p11_session *s, enum p11_op_kind k);
void p11_session_end_find(p11_session *s);
CK_RV p11_session_info_locked(const p11_session *s, CK_SESSION_INFO *info);
/* A closed session that no call uses any more is freed (blocking.c). */
void p11_session_release_locked(p11_session *s);
/* Free the table (C_Finalize; sessions must be closed first). */
void p11_session_table_free(void);

#endif /* PKCS11_CORE_SESSION_H */
