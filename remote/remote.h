/* remote/remote.h - a client for Meeco's Keystore and Vault APIs that
 * signs up and logs in exactly like Meeco's JS SDK (meeco-protocol.md
 * sections 3-4, 8).  The first piece of the module's remote backend.
 *
 * Keys and tokens live in secbufs and are wiped when the session is
 * freed.  Nothing here logs tokens, keys or bodies.
 */
#ifndef REMOTE_REMOTE_H
#define REMOTE_REMOTE_H

#include <stddef.h>

#include "config.h"
#include "secbuf.h"

typedef enum remote_status {
    REMOTE_OK = 0,
    REMOTE_ERR_ARGS, /* NULL pointer, malformed secret, bad config */
    REMOTE_ERR_NOMEM,
    REMOTE_ERR_NETWORK,    /* cannot connect, connection reset, DNS */
    REMOTE_ERR_TIMEOUT,    /* connect or total timeout reached */
    REMOTE_ERR_TLS,        /* certificate or handshake failure */
    REMOTE_ERR_PROTOCOL,   /* answer is not the JSON the API promises */
    REMOTE_ERR_LOGIN,      /* SRP login refused: wrong passphrase/secret */
    REMOTE_ERR_AUTH,       /* 401/403 on an authenticated call */
    REMOTE_ERR_NOT_FOUND,  /* 404 */
    REMOTE_ERR_CONFLICT,   /* 400 username_taken / 409 */
    REMOTE_ERR_REJECTED,   /* any other 4xx */
    REMOTE_ERR_RATE_LIMIT, /* 429 */
    REMOTE_ERR_SERVER,     /* 5xx */
    REMOTE_ERR_CRYPTO,     /* a wrapped key or token does not decrypt */
    REMOTE_STATUS_COUNT
} remote_status;

const char *remote_strerror(remote_status st);

typedef struct remote_config {
    const char *keystore_url;     /* e.g. "https://sandbox.meeco.me/keystore" */
    const char *vault_url;        /* e.g. "https://sandbox.meeco.me/vault" */
    const char *subscription_key; /* Meeco-Subscription-Key, NULL = none */
    const char *ca_file;          /* extra CA bundle, NULL = system */
    int insecure;                 /* 1 = skip TLS verification (tests) */
    long connect_timeout_s;       /* default 5 */
    long timeout_s;               /* default 30 */
    unsigned get_retries;         /* extra tries for idempotent GETs, 2 */
    unsigned rsa_bits;            /* identity key size at sign-up, 4096 */
    unsigned page_size;           /* per_page for paged GETs, 100 */
} remote_config;

/* Fill the defaults above (URLs NULL: the caller must set them). */
void remote_config_defaults(remote_config *cfg);
/* Defaults, then a remote token's settings from the configuration file:
 * URLs, subscription key, CA file, timeout (the connect timeout is capped
 * by it).  Strings are borrowed from t. */
void remote_config_from_token(remote_config *cfg, const config_token *t);

/* What a login yields (the SDK's AuthData). */
typedef struct remote_session {
    const remote_config *cfg; /* borrowed, must outlive the session */
    char *username;
    secbuf keystore_token;
    secbuf vault_token;
    secbuf kek;         /* 32 bytes */
    secbuf dek;         /* 32 bytes, the private DEK */
    char *dek_id;       /* keystore id = vault private_dek_external_id */
    char *keypair_id;   /* keystore id of the "auth" keypair */
    secbuf private_pem; /* identity private key (PEM) */
    char *public_pem;   /* identity public key (SPKI PEM) */
} remote_session;

/* UserService.create: ask the keystore for a username, generate a secret
 * ("1.<username>.<key>", malloc'd into *secret_out, free with
 * secure_free), register and create KEK, keypair, vault user and DEK.
 * If session is not NULL it receives the logged-in session. */
remote_status remote_signup(const remote_config *cfg, const char *passphrase,
                            char **secret_out, remote_session *session);

/* UserService.getAuthData: SRP login and unwrap KEK, keypair, DEK.
 * A wrong passphrase or secret is REMOTE_ERR_LOGIN. */
remote_status remote_login(const remote_config *cfg, const char *secret,
                           const char *passphrase, remote_session *session);

/* Wipe and free everything in the session (safe on a zeroed one). */
void remote_session_free(remote_session *s);

/* Human-readable detail of the last failure in this thread ("401
 * invalid_credentials: ..."); never contains tokens or bodies. */
const char *remote_last_error(void);

#endif /* REMOTE_REMOTE_H */
