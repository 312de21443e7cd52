/* pkcs11/backend/remote_link.c - the remote token's link to its Meeco
 * server: online and offline login, counted session references for
 * writes, and the refresher thread (see remote_link.h). */
#include "remote_link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "log.h"
#include "sync.h"
#include "writes.h"

bool rlink_unreachable(remote_status st)
{
    return st == REMOTE_ERR_NETWORK || st == REMOTE_ERR_TIMEOUT ||
           st == REMOTE_ERR_TLS || st == REMOTE_ERR_SERVER ||
           st == REMOTE_ERR_RATE_LIMIT || st == REMOTE_ERR_PROTOCOL;
}

/* ---- session references (mu held) ------------------------------------ */

static void unref_locked(rlink_session *r)
{
    if (r != NULL && --r->refs == 0) {
        remote_session_free(&r->s);
        free(r);
    }
}

/* The server session r should end: the refresher sends the DELETEs (a
 * logout runs under the token lock, where no network call may happen).
 * Takes over the caller's reference. */
static void queue_logout_locked(remote_bk *rb, rlink_session *r)
{
    unref_locked(rb->logout_queue); /* one pending at most */
    rb->logout_queue = r;
    pthread_cond_signal(&rb->wake);
}

static void install_locked(remote_bk *rb, rlink_session *ns)
{
    ns->refs = 1;
    if (rb->sess != NULL)
        queue_logout_locked(rb, rb->sess);
    rb->sess = ns;
    rb->online = true;
}

static CK_RV keep_pass_locked(remote_bk *rb, const char *pin)
{
    secbuf_free(&rb->pass);
    return secbuf_dup(&rb->pass, pin, strlen(pin)) == 0 ? CKR_OK
                                                        : CKR_HOST_MEMORY;
}

static void last_sync_locked(remote_bk *rb)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (store_meta_set(ks_account_store(rb->base.a), "last_sync", now) !=
        STORE_OK)
        LOGW(LOG_AREA_PKCS11, "token %s: cannot record the sync time",
             rb->name);
}

static remote_status apply_locked(remote_bk *rb, const remote_snapshot *snap)
{
    remote_status st =
        remote_snapshot_apply(snap, ks_account_store(rb->base.a));
    if (st != REMOTE_OK) {
        LOGW(LOG_AREA_PKCS11, "token %s: replica not updated: %s (%s)",
             rb->name, remote_strerror(st), remote_last_error());
        return st;
    }
    last_sync_locked(rb);
    atomic_fetch_add(&rb->generation, 1);
    LOGI(LOG_AREA_PKCS11, "token %s: synced %zu items, %zu slots", rb->name,
         remote_snapshot_items(snap), remote_snapshot_slots(snap));
    return REMOTE_OK;
}

/* ---- login ----------------------------------------------------------- */

static CK_RV login_online_locked(remote_bk *rb, rlink_session *ns,
                                 const remote_snapshot *snap, const char *pin)
{
    if (snap != NULL)
        (void)apply_locked(rb, snap); /* a stale replica still serves */
    CK_RV rv = p11_rv_from_ks(
        ks_account_adopt_kek(rb->base.a, ns->s.kek.p, ns->s.kek.len));
    if (rv == CKR_OK)
        rv = keep_pass_locked(rb, pin);
    if (rv != CKR_OK) {
        ks_account_logout(rb->base.a);
        return rv;
    }
    install_locked(rb, ns);
    rb->logged_in = true;
    rb->login_seq++;
    return CKR_OK;
}

static CK_RV login_offline_locked(remote_bk *rb, const char *pin)
{
    ks_status st = ks_account_login(rb->base.a, KS_USER_USER, pin);
    if (st == KS_ERR_NOT_INITIALIZED || st == KS_ERR_PIN_NOT_INITIALIZED) {
        LOGE(LOG_AREA_PKCS11,
             "token %s: server unreachable and no replica to log in from",
             rb->name);
        return CKR_DEVICE_ERROR;
    }
    CK_RV rv = p11_rv_from_ks(st);
    if (rv == CKR_OK)
        rv = keep_pass_locked(rb, pin);
    if (rv != CKR_OK) {
        ks_account_logout(rb->base.a);
        return rv;
    }
    rb->online = false;
    rb->logged_in = true;
    rb->login_seq++;
    LOGI(LOG_AREA_PKCS11, "token %s: logged in from the replica (offline)",
         rb->name);
    return CKR_OK;
}

static bool synced_before_locked(remote_bk *rb)
{
    char *v = NULL;
    bool yes = store_meta_get(ks_account_store(rb->base.a), "last_sync",
                              &v) == STORE_OK && v != NULL;
    free(v);
    return yes;
}

CK_RV rlink_login(remote_bk *rb, const char *pin)
{
    remote_snapshot *snap = NULL;
    if (rb->secret.p == NULL)
        return CKR_USER_PIN_NOT_INITIALIZED; /* no account configured */
    rlink_session *ns = calloc(1, sizeof(*ns));
    if (ns == NULL)
        return CKR_HOST_MEMORY;
    remote_status st =
        remote_login(&rb->rc, (const char *)rb->secret.p, pin, &ns->s);
    remote_status fst = st == REMOTE_OK ? remote_fetch(&ns->s, &snap) : st;
    if (st == REMOTE_OK && fst != REMOTE_OK)
        LOGW(LOG_AREA_PKCS11, "token %s: sync at login failed (%s)",
             rb->name, remote_last_error());
    if (st != REMOTE_OK)
        LOGI(LOG_AREA_PKCS11, "token %s: login: %s (%s)", rb->name,
             remote_strerror(st), remote_last_error());
    pthread_mutex_lock(&rb->mu);
    CK_RV rv;
    if (st == REMOTE_OK && fst != REMOTE_OK && !synced_before_locked(rb))
        rv = CKR_DEVICE_ERROR; /* nothing to serve */
    else if (st == REMOTE_OK)
        rv = login_online_locked(rb, ns, snap, pin);
    else if (rlink_unreachable(st))
        rv = login_offline_locked(rb, pin);
    else
        rv = p11_rv_from_remote(st);
    if (st == REMOTE_OK && rv == CKR_OK && rlink_unreachable(fst))
        rb->online = false; /* a stale replica: read-only */
    if (st != REMOTE_OK || rv != CKR_OK) {
        remote_session_free(&ns->s);
        free(ns);
    }
    pthread_mutex_unlock(&rb->mu);
    remote_snapshot_free(snap);
    if (rv == CKR_OK)
        rlink_start(rb);
    return rv;
}

void rlink_logout(remote_bk *rb)
{
    pthread_mutex_lock(&rb->mu);
    ks_account_logout(rb->base.a);
    secbuf_free(&rb->pass);
    if (rb->sess != NULL)
        queue_logout_locked(rb, rb->sess);
    rb->sess = NULL;
    rb->logged_in = false;
    rb->login_seq++;
    pthread_mutex_unlock(&rb->mu);
}

/* ---- references for writes -------------------------------------------- */

/* Offline (or the session expired): SRP login again with the held
 * passphrase. */
static CK_RV reconnect(remote_bk *rb)
{
    secbuf pass = {0};
    pthread_mutex_lock(&rb->mu);
    unsigned seq = rb->login_seq;
    CK_RV rv = !rb->logged_in ? CKR_USER_NOT_LOGGED_IN
               : secbuf_dup(&pass, rb->pass.p, rb->pass.len) != 0
                   ? CKR_HOST_MEMORY
                   : CKR_OK;
    pthread_mutex_unlock(&rb->mu);
    rlink_session *ns = rv == CKR_OK ? calloc(1, sizeof(*ns)) : NULL;
    if (rv == CKR_OK && ns == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv != CKR_OK) {
        secbuf_free(&pass);
        return rv;
    }
    remote_status st = remote_login(&rb->rc, (const char *)rb->secret.p,
                                    (const char *)pass.p, &ns->s);
    secbuf_free(&pass);
    pthread_mutex_lock(&rb->mu);
    if (st == REMOTE_OK && (!rb->logged_in || rb->login_seq != seq)) {
        rv = CKR_USER_NOT_LOGGED_IN; /* logged out meanwhile */
    } else if (st == REMOTE_OK && rb->sess == NULL) {
        rv = p11_rv_from_ks(
            ks_account_adopt_kek(rb->base.a, ns->s.kek.p, ns->s.kek.len));
        if (rv == CKR_OK) {
            install_locked(rb, ns);
            ns = NULL;
        }
    } else if (st != REMOTE_OK) {
        LOGI(LOG_AREA_PKCS11, "token %s: still offline: %s (%s)", rb->name,
             remote_strerror(st), remote_last_error());
        rb->online = false;
        rv = CKR_TOKEN_WRITE_PROTECTED;
    }
    if (ns != NULL) {
        remote_session_free(&ns->s);
        free(ns);
    }
    pthread_mutex_unlock(&rb->mu);
    return rv;
}

static bool take_locked(remote_bk *rb, rlink_session **out)
{
    if (rb->sess == NULL)
        return false;
    rb->sess->refs++;
    *out = rb->sess;
    return true;
}

CK_RV rlink_session_get(remote_bk *rb, rlink_session **out)
{
    *out = NULL;
    pthread_mutex_lock(&rb->mu);
    bool in = rb->logged_in, got = in && take_locked(rb, out);
    pthread_mutex_unlock(&rb->mu);
    if (!in)
        return CKR_USER_NOT_LOGGED_IN;
    if (got)
        return CKR_OK;
    CK_RV rv = reconnect(rb);
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&rb->mu);
    got = take_locked(rb, out);
    pthread_mutex_unlock(&rb->mu);
    return got ? CKR_OK : CKR_TOKEN_WRITE_PROTECTED;
}

void rlink_session_put(remote_bk *rb, rlink_session *ref, remote_status st)
{
    pthread_mutex_lock(&rb->mu);
    if (st == REMOTE_ERR_AUTH && rb->sess == ref) {
        rb->sess = NULL; /* expired: the next get logs in again */
        ref->refs--;     /* the link's reference; the caller's follows */
    } else if (rlink_unreachable(st)) {
        rb->online = false;
    } else if (st != REMOTE_ERR_AUTH) {
        rb->online = true;
    }
    unref_locked(ref);
    pthread_mutex_unlock(&rb->mu);
}

/* ---- refresh ----------------------------------------------------------- */

remote_status rlink_refresh(remote_bk *rb)
{
    rlink_session *ref = NULL;
    remote_snapshot *snap = NULL;
    if (rlink_session_get(rb, &ref) != CKR_OK)
        return REMOTE_ERR_NETWORK;
    pthread_mutex_lock(&rb->mu);
    unsigned writes = rb->write_seq;
    pthread_mutex_unlock(&rb->mu);
    remote_status st = remote_fetch(&ref->s, &snap);
    if (st == REMOTE_OK) {
        pthread_mutex_lock(&rb->mu);
        /* A write that reached the replica during the fetch may be missing
         * from the snapshot, whose apply would delete it: wait for the
         * next round instead. */
        if (rb->logged_in && rb->write_seq == writes)
            st = apply_locked(rb, snap);
        else if (rb->logged_in)
            LOGD(LOG_AREA_PKCS11, "token %s: refresh raced a write; later",
                 rb->name);
        pthread_mutex_unlock(&rb->mu);
    } else {
        LOGI(LOG_AREA_PKCS11, "token %s: refresh: %s (%s)", rb->name,
             remote_strerror(st), remote_last_error());
    }
    rlink_session_put(rb, ref, st);
    remote_snapshot_free(snap);
    return st;
}

static struct timespec after(unsigned seconds)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += seconds;
    return t;
}

static bool passed(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t->tv_sec ||
           (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* End a queued server session (mu held on entry and exit). */
static void end_queued_locked(remote_bk *rb)
{
    rlink_session *r = rb->logout_queue;
    bool online = rb->online;
    rb->logout_queue = NULL;
    pthread_mutex_unlock(&rb->mu);
    if (online && remote_logout(&r->s) != REMOTE_OK)
        LOGI(LOG_AREA_PKCS11, "token %s: server logout: %s", rb->name,
             remote_last_error());
    pthread_mutex_lock(&rb->mu);
    unref_locked(r);
}

static void *refresher(void *arg)
{
    remote_bk *rb = arg;
    unsigned idle = 24 * 3600;
    pthread_mutex_lock(&rb->mu);
    struct timespec next = after(rb->interval ? rb->interval : idle);
    while (!rb->stop) {
        if (rb->logout_queue != NULL) {
            end_queued_locked(rb);
            continue;
        }
        if (rb->interval > 0 && passed(&next)) {
            bool in = rb->logged_in;
            pthread_mutex_unlock(&rb->mu);
            if (in)
                (void)rlink_refresh(rb);
            pthread_mutex_lock(&rb->mu);
            next = after(rb->interval);
            continue;
        }
        int e = pthread_cond_timedwait(&rb->wake, &rb->mu, &next);
        if (e != 0 && e != ETIMEDOUT && e != EINTR)
            break;
    }
    if (rb->logout_queue != NULL)
        end_queued_locked(rb);
    pthread_mutex_unlock(&rb->mu);
    return NULL;
}

void rlink_start(remote_bk *rb)
{
    pthread_mutex_lock(&rb->mu);
    if (!rb->thread_started && !rb->stop)
        rb->thread_started =
            pthread_create(&rb->thread, NULL, refresher, rb) == 0;
    if (!rb->thread_started)
        LOGW(LOG_AREA_PKCS11, "token %s: no refresher thread", rb->name);
    pthread_mutex_unlock(&rb->mu);
}

void rlink_stop(remote_bk *rb)
{
    pthread_mutex_lock(&rb->mu);
    rb->stop = true;
    bool started = rb->thread_started;
    pthread_cond_signal(&rb->wake);
    pthread_mutex_unlock(&rb->mu);
    if (started)
        pthread_join(rb->thread, NULL);
    rb->thread_started = false;
    /* thread gone, no call in flight (the core waits for them): no lock */
    unref_locked(rb->logout_queue);
    rb->logout_queue = NULL;
    unref_locked(rb->sess);
    rb->sess = NULL;
}
