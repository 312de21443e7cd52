/* pkcs11/core/lock.c - pthread mutexes or the caller's callbacks. */
#include "lock.h"

#include <pthread.h>
#include <stdlib.h>

struct p11_mutex {
    pthread_mutex_t os;  /* used when cb_mutex is NULL */
    void *cb_mutex;      /* handle from the caller's CreateMutex */
    CK_DESTROYMUTEX destroy;
    CK_LOCKMUTEX lock;
    CK_UNLOCKMUTEX unlock;
};

static pthread_mutex_t init_guard = PTHREAD_MUTEX_INITIALIZER;
/* With OS locking the token lock is this one static mutex: it is never
 * destroyed, so a thread that blocks on it while another finalizes the
 * library wakes up to a clean CKR_CRYPTOKI_NOT_INITIALIZED. */
static p11_mutex os_mutex = {.os = PTHREAD_MUTEX_INITIALIZER};
static CK_C_INITIALIZE_ARGS callbacks; /* CreateMutex NULL = use pthreads */

void p11_lock_configure(const CK_C_INITIALIZE_ARGS *args)
{
    callbacks = (CK_C_INITIALIZE_ARGS){0};
    if (args == NULL || args->CreateMutex == NULL)
        return;
    if (args->flags & CKF_OS_LOCKING_OK)
        return;
    callbacks = *args;
}

CK_RV p11_mutex_new(p11_mutex **out)
{
    if (callbacks.CreateMutex == NULL) {
        *out = &os_mutex;
        return CKR_OK;
    }
    p11_mutex *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return CKR_HOST_MEMORY;
    if (callbacks.CreateMutex != NULL) {
        CK_RV rv = callbacks.CreateMutex(&m->cb_mutex);
        if (rv != CKR_OK) {
            free(m);
            return rv;
        }
        m->destroy = callbacks.DestroyMutex;
        m->lock = callbacks.LockMutex;
        m->unlock = callbacks.UnlockMutex;
    } else if (pthread_mutex_init(&m->os, NULL) != 0) {
        free(m);
        return CKR_CANT_LOCK;
    }
    *out = m;
    return CKR_OK;
}

void p11_mutex_free(p11_mutex *m)
{
    if (m == NULL || m == &os_mutex)
        return;
    if (m->cb_mutex != NULL)
        m->destroy(m->cb_mutex);
    else
        pthread_mutex_destroy(&m->os);
    free(m);
}

void p11_mutex_lock(p11_mutex *m)
{
    if (m->cb_mutex != NULL)
        m->lock(m->cb_mutex);
    else
        pthread_mutex_lock(&m->os);
}

void p11_mutex_unlock(p11_mutex *m)
{
    if (m->cb_mutex != NULL)
        m->unlock(m->cb_mutex);
    else
        pthread_mutex_unlock(&m->os);
}

void p11_init_guard_lock(void)
{
    pthread_mutex_lock(&init_guard);
}

void p11_init_guard_unlock(void)
{
    pthread_mutex_unlock(&init_guard);
}

void p11_lock_after_fork(void)
{
    /* The parent may have held it at fork(): the child starts afresh. */
    pthread_mutex_init(&os_mutex.os, NULL);
}
