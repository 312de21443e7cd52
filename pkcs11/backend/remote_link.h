/* pkcs11/backend/remote_link.h - the remote backend's state (shared by
 * remote.c, the ops, and remote_link.c, the connection to the server).
 *
 * A remote token is a local replica (the same SQLite schema as a local
 * token, read through local.h) kept in step with a Meeco Keystore and
 * Vault.  Its link to the server is one of:
 *
 *   logged out   nothing held;
 *   online       a server session (Keystore + Vault tokens, KEK, DEK)
 *                from an SRP login; writes go to the server first;
 *   offline      logged in from the replica's wrapped KEK because the
 *                server could not be reached: reads only, the token
 *                reports CKF_WRITE_PROTECTED; every write and every
 *                refresh tries to log in to the server again (the
 *                passphrase is held, wiped at logout, for that).
 *
 * `mu` guards every field and the replica; it is NEVER held across a
 * network call: network work takes a counted reference to the session
 * (rlink_session_get), runs unlocked, and applies the answer under `mu`.
 * Lock order: token lock (core) -> mu.
 */
#ifndef PKCS11_BACKEND_REMOTE_LINK_H
#define PKCS11_BACKEND_REMOTE_LINK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "local.h"
#include "remote.h"

typedef struct rlink_session {
    remote_session s;
    unsigned refs;
} rlink_session;

typedef struct remote_bk {
    local base; /* the replica; first member: p11_local_* take a local * */
    pthread_mutex_t mu;
    char *name;
    char *label;
    char serial[17];
    remote_config rc; /* strings borrowed from the configuration */
    secbuf secret;    /* the Secret Key */
    secbuf pass;      /* the passphrase, while logged in */
    rlink_session *sess; /* online session, or NULL */
    bool logged_in;
    bool online;        /* last contact with the server worked */
    unsigned login_seq; /* changes at every login and logout */
    unsigned write_seq; /* changes whenever a write reaches the replica: a
                           snapshot fetched before it is not applied */
    atomic_uint generation;
    /* the refresher thread (started at the first login) */
    pthread_t thread;
    bool thread_started;
    bool stop;
    pthread_cond_t wake;
    unsigned interval; /* seconds between refreshes, 0 = none */
    rlink_session *logout_queue; /* sessions to end on the server */
} remote_bk;

/* The server could not be reached or answered nonsense: go offline. */
bool rlink_unreachable(remote_status st);

/* C_Login: SRP login + fetch (no lock), then apply under mu; offline
 * login from the replica when the server cannot be reached. */
CK_RV rlink_login(remote_bk *rb, const char *pin);
/* C_Logout (called with the token lock, so no network here: the server
 * session is queued for the refresher to end). */
void rlink_logout(remote_bk *rb);

/* A reference to the online session for a write (mu NOT held); logs in
 * to the server again when offline.  CKR_TOKEN_WRITE_PROTECTED when the
 * server still cannot be reached, CKR_USER_NOT_LOGGED_IN when nobody is
 * logged in. */
CK_RV rlink_session_get(remote_bk *rb, rlink_session **out);
/* Give the reference back, recording what the server said: unreachable
 * -> offline; 401 -> this session is dropped (the next get logs in). */
void rlink_session_put(remote_bk *rb, rlink_session *ref, remote_status st);

/* Refresher: started at the first login.  rlink_stop (at close) ends it
 * and releases the server session without contacting the server. */
void rlink_start(remote_bk *rb);
void rlink_stop(remote_bk *rb);
/* One refresh now (also what the thread runs). */
remote_status rlink_refresh(remote_bk *rb);

#endif /* PKCS11_BACKEND_REMOTE_LINK_H */
