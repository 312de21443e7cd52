/* pkcs11/core/library.h - the module state: initialisation, fork
 * detection, configuration, the tokens and the token lock.
 *
 * Every C_* call except C_Initialize, C_Finalize, C_GetFunctionList and
 * the interface queries runs between p11_library_enter and
 * p11_library_leave, holding the token lock.  enter returns
 * CKR_CRYPTOKI_NOT_INITIALIZED before C_Initialize, after C_Finalize and
 * in a child process after fork() until the child calls C_Initialize.
 */
#ifndef PKCS11_CORE_LIBRARY_H
#define PKCS11_CORE_LIBRARY_H

#include "cryptoki.h"
#include "token.h"

CK_RV p11_library_initialize(CK_VOID_PTR args);
CK_RV p11_library_finalize(CK_VOID_PTR reserved);

CK_RV p11_library_enter(void);
void p11_library_leave(void);

/* For a call that waits on the network (blocking.c): release the token
 * lock and take it back.  C_Finalize waits until no call is between
 * the two. */
void p11_library_release(void);
void p11_library_retake(void);

CK_ULONG p11_library_slot_count_locked(void);
/* NULL for an invalid slot id. */
p11_token *p11_library_token_locked(CK_SLOT_ID slot);

#endif /* PKCS11_CORE_LIBRARY_H */
