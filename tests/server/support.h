/* tests/server/support.h - helpers for the meeco-server tests: start the
 * server in-process on an ephemeral port with a fresh database, send
 * requests with libcurl, and run the SDK's sign-up flow in C (SRP with
 * keystore/srp.h, Cryppo strings with cryppo/, committed RSA fixtures). */
#ifndef TESTS_SERVER_SUPPORT_H
#define TESTS_SERVER_SUPPORT_H

#include <openssl/types.h>

#include <cjson/cJSON.h>

#include "config.h"

typedef struct t_resp {
    long status;
    cJSON *json; /* NULL for an empty or non-JSON body */
    char *text;
} t_resp;

typedef struct t_user {
    char username[64];
    char password[64];
    char ks_token[64];
    char vault_token[64];
    char vault_user_id[64];
    char dek_id[64];
    char keypair_id[64];
    EVP_PKEY *key;    /* identity keypair (fixture) */
    char *public_pem; /* SPKI PEM */
} t_user;

/* Start a server (cfg tweaks applied by the optional callback). */
void t_server_start(void (*tweak)(srv_config *cfg));
void t_server_stop(void);
unsigned t_port(void);

/* Send requests to base ("https://127.0.0.1:1234") instead of the
 * in-process server, trusting CA file ca, adding headers to each request
 * (NULLs restore the defaults). */
void t_set_target(const char *base, const char *ca, const char *const *headers);

/* Called after every request (tests that compare response shapes). */
typedef void (*t_recorder)(const char *method, const char *path, long status,
                           const cJSON *json);
void t_set_recorder(t_recorder fn);

/* method, path under the server root ("/vault/items"), Authorization
 * value (NULL = none), JSON body text (NULL = none).  Extra headers
 * "Name: value" may follow as a NULL-terminated list in t_request_h. */
t_resp t_request(const char *method, const char *path, const char *auth,
                 const char *body);
t_resp t_request_h(const char *method, const char *path, const char *auth,
                   const char *body, const char *const *headers);
/* Same with a cJSON body (deleted). */
t_resp t_request_json(const char *method, const char *path, const char *auth,
                      cJSON *body);
void t_resp_free(t_resp *r);
/* The "error" code of an error envelope, or "". */
const char *t_error_code(const t_resp *r);
/* String at a dotted path ("item.id", "slots.0.name"), or NULL. */
const char *t_str(const cJSON *j, const char *path);
const cJSON *t_get(const cJSON *j, const char *path);

/* Fixture key n (1..4), "tests/fixtures/server-rsa-<n>.pem". */
EVP_PKEY *t_fixture_key(int n);
char *t_public_pem(EVP_PKEY *key);
/* A valid Aes256Gcm string of random bytes. */
char *t_cryppo_string(size_t len);

/* SRP registration + login: fills ks_token.  0 or -1. */
int t_keystore_signup(t_user *u, const char *username, const char *password);
int t_keystore_login(t_user *u, const char *password);
/* Full sign-up as in meeco-protocol.md 4.2 with fixture key n. */
int t_user_create(t_user *u, const char *username, int key_n);
void t_user_free(t_user *u);
/* Log into the vault with the user's key: refreshes vault_token. */
int t_vault_login(t_user *u);
/* Each of the n {method, path} routes answers 401 (CUnit assertions)
 * without Authorization and with wrong_token (a token of the other
 * service). */
void t_expect_401_all(const char *const routes[][2], size_t n,
                      const char *wrong_token);
/* POST /vault/items with one slot; returns the item id (malloc'd). */
char *t_item_create(const t_user *u, const char *label);

#endif /* TESTS_SERVER_SUPPORT_H */
