/* pkcs11/core/lock.h - the module's locks, honouring CK_C_INITIALIZE_ARGS.
 *
 * LOCK ORDER (never take them the other way round):
 *
 *   1. init guard   a static pthread mutex that serializes C_Initialize and
 *                   C_Finalize against each other (it must exist before the
 *                   caller's mutex callbacks are known).
 *   2. token lock   one p11_mutex for the module's tokens (one lock for
 *                   all slots today; per-token locks are the next step if
 *                   several busy tokens ever contend); every C_* call that
 *                   touches slots, tokens, sessions or objects holds it for
 *                   the whole call.  Sessions and objects have no lock of
 *                   their own: they are only touched with the token lock
 *                   held (functions that rely on that end in _locked).
 *
 * The backend (SQLite) is used only with the token lock held.  A future
 * remote backend must fetch before taking the token lock and only commit
 * with it held: no network call under the token lock.
 *
 * Which primitive backs a p11_mutex is decided once, by C_Initialize:
 *   - no args / no callbacks, with or without CKF_OS_LOCKING_OK: pthreads;
 *   - all four callbacks and CKF_OS_LOCKING_OK: pthreads (allowed);
 *   - all four callbacks without CKF_OS_LOCKING_OK: the caller's callbacks.
 * Some but not all callbacks is CKR_ARGUMENTS_BAD (checked by the caller).
 */
#ifndef PKCS11_CORE_LOCK_H
#define PKCS11_CORE_LOCK_H

#include "cryptoki.h"

typedef struct p11_mutex p11_mutex;

/* Choose pthreads (args NULL or OS locking allowed) or the callbacks. */
void p11_lock_configure(const CK_C_INITIALIZE_ARGS *args);

CK_RV p11_mutex_new(p11_mutex **out);
void p11_mutex_free(p11_mutex *m);
void p11_mutex_lock(p11_mutex *m);
void p11_mutex_unlock(p11_mutex *m);

/* In a forked child, before re-initializing: reset the OS token lock. */
void p11_lock_after_fork(void);

/* The init guard (order 1). */
void p11_init_guard_lock(void);
void p11_init_guard_unlock(void);

#endif /* PKCS11_CORE_LOCK_H */
