/* pkcs11/core/library.c - C_Initialize / C_Finalize state and fork. */
#include "library.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "errors.h"
#include "lock.h"
#include "log.h"
#include "mech.h"
#include "objtable.h"
#include "session.h"

static struct {
    atomic_bool initialized;
    /* Set in a forked child (pthread_atfork): the state inherited from the
     * parent is unusable until the child calls C_Initialize again.  An
     * atfork flag instead of a getpid() per call: getpid is a system call
     * on every C_* entry, measurable on small AES-GCM operations. */
    atomic_bool forked;
    atomic_uint released; /* calls between release and retake */
    p11_mutex *lock;
    config *cfg;
    p11_token *tokens;
    size_t n_tokens;
} lib;

/* CK_C_INITIALIZE_ARGS rules (base spec 5.4, C_Initialize): the four
 * mutex callbacks are all supplied or all NULL. */
static CK_RV check_args(const CK_C_INITIALIZE_ARGS *a)
{
    int n = (a->CreateMutex != NULL) + (a->DestroyMutex != NULL) +
            (a->LockMutex != NULL) + (a->UnlockMutex != NULL);
    if (n != 0 && n != 4)
        return CKR_ARGUMENTS_BAD;
    return CKR_OK;
}

static void tokens_close(bool abandon)
{
    for (size_t i = 0; i < lib.n_tokens; i++) {
        p11_token *t = &lib.tokens[i];
        if (t->ops != NULL && abandon)
            t->ops->abandon(t->ctx);
        else if (t->ops != NULL)
            t->ops->close(t->ctx);
        free(t->name);
    }
    free(lib.tokens);
    lib.tokens = NULL;
    lib.n_tokens = 0;
}

static CK_RV tokens_open(void)
{
    lib.tokens = calloc(lib.cfg->n_tokens ? lib.cfg->n_tokens : 1,
                        sizeof(*lib.tokens));
    if (lib.tokens == NULL)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; i < lib.cfg->n_tokens; i++) {
        const config_token *ct = &lib.cfg->tokens[i];
        p11_token *t = &lib.tokens[lib.n_tokens++];
        t->slot = (CK_SLOT_ID)i;
        t->user = P11_NOBODY;
        t->name = strdup(ct->name);
        t->write_protected = ct->read_only;
        if (t->name == NULL)
            return CKR_HOST_MEMORY;
        const p11_backend_ops *ops = p11_backend_find(ct->backend);
        if (ops == NULL) {
            LOGW(LOG_AREA_PKCS11, "token %s: backend not built in", ct->name);
            continue;
        }
        CK_RV rv = ops->open(lib.cfg, ct, &t->ctx);
        if (rv != CKR_OK) {
            LOGE(LOG_AREA_PKCS11, "token %s: cannot open (%s)", ct->name,
                 ops->name);
            continue;
        }
        t->ops = ops;
    }
    return CKR_OK;
}

/* Tear down whatever is set up; `abandon`: in a forked child, touch no
 * resource of the parent (connections, locks). */
static void teardown(bool abandon)
{
    if (!abandon) {
        for (size_t i = 0; i < lib.n_tokens; i++)
            p11_session_close_all_locked(&lib.tokens[i]);
    }
    p11_session_table_free();
    p11_objects_clear_locked();
    if (!abandon)
        mech_release_cache();
    tokens_close(abandon);
    config_free(lib.cfg);
    lib.cfg = NULL;
    lib.initialized = false;
}

static CK_RV setup(const CK_C_INITIALIZE_ARGS *a)
{
    /* NSS's header names the standard pReserved slot LibraryParameters and
     * appends a field of its own after it, which a caller built against
     * the OASIS header does not have: read only the standard slot. */
    const char *reserved =
        a != NULL ? (const char *)(void *)a->LibraryParameters : NULL;
    config_error err = {0};
    p11_lock_configure(a);
    CK_RV rv = p11_mutex_new(&lib.lock);
    if (rv != CKR_OK)
        return rv;
    config_status cs = config_load(reserved, &lib.cfg, &err);
    if (cs != CONFIG_OK) {
        LOGE(LOG_AREA_PKCS11, "configuration: line %d: %s", err.line,
             err.message);
        return reserved != NULL ? CKR_ARGUMENTS_BAD : p11_rv_from_config(cs);
    }
    rv = tokens_open();
    if (rv != CKR_OK)
        return rv;
    lib.forked = false;
    lib.initialized = true;
    return CKR_OK;
}

static void mark_forked(void)
{
    lib.forked = true;
}

static void register_fork_handler(void)
{
    pthread_atfork(NULL, NULL, mark_forked);
}

CK_RV p11_library_initialize(CK_VOID_PTR args)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    const CK_C_INITIALIZE_ARGS *a = args;
    pthread_once(&once, register_fork_handler);
    if (a != NULL) {
        CK_RV rv = check_args(a);
        if (rv != CKR_OK)
            return rv;
    }
    p11_init_guard_lock();
    CK_RV rv = CKR_OK;
    if (lib.initialized && !lib.forked) {
        rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
        goto out;
    }
    if (lib.initialized) { /* a forked child re-initializing */
        teardown(true);
        p11_lock_after_fork();
        lib.lock = NULL;
    }
    log_reset();
    rv = setup(a);
    if (rv != CKR_OK) {
        teardown(false);
        p11_mutex_free(lib.lock);
        lib.lock = NULL;
    }
out:
    p11_init_guard_unlock();
    return rv;
}

CK_RV p11_library_finalize(CK_VOID_PTR reserved)
{
    if (reserved != NULL)
        return CKR_ARGUMENTS_BAD;
    p11_init_guard_lock();
    CK_RV rv = CKR_OK;
    if (!lib.initialized || lib.forked) {
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
        goto out;
    }
    p11_mutex *m = lib.lock;
    p11_mutex_lock(m); /* calls in flight finish first */
    while (atomic_load(&lib.released) > 0) { /* and those on the network */
        p11_mutex_unlock(m);
        nanosleep(&(struct timespec){0, 1000000}, NULL);
        p11_mutex_lock(m);
    }
    teardown(false);
    p11_mutex_unlock(m);
    p11_mutex_free(m);
    lib.lock = NULL;
out:
    p11_init_guard_unlock();
    return rv;
}

CK_RV p11_library_enter(void)
{
    if (!lib.initialized || lib.forked)
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    p11_mutex *m = lib.lock;
    if (m == NULL)
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    p11_mutex_lock(m);
    if (!lib.initialized) { /* finalized while we waited */
        p11_mutex_unlock(m);
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    return CKR_OK;
}

void p11_library_leave(void)
{
    p11_mutex_unlock(lib.lock);
}

void p11_library_release(void)
{
    atomic_fetch_add(&lib.released, 1);
    p11_mutex_unlock(lib.lock);
}

void p11_library_retake(void)
{
    p11_mutex_lock(lib.lock);
    atomic_fetch_sub(&lib.released, 1);
}

CK_ULONG p11_library_slot_count_locked(void)
{
    return (CK_ULONG)lib.n_tokens;
}

p11_token *p11_library_token_locked(CK_SLOT_ID slot)
{
    return slot < lib.n_tokens ? &lib.tokens[slot] : NULL;
}
