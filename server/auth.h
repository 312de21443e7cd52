/* server/auth.h - access tokens: random 24-character strings handed to
 * clients once and stored only as SHA-256 digests, so that a copy of the
 * database does not contain a usable token. */
#ifndef SERVER_AUTH_H
#define SERVER_AUTH_H

#include <stdint.h>

#include "db.h"
#include "util.h"

#define SRV_TOKEN_KS_SESSION      "ks_session"
#define SRV_TOKEN_VAULT_SESSION   "vault_session"
#define SRV_TOKEN_VAULT_ADMISSION "vault_admission"
#define SRV_TOKEN_PASS_ADMISSION  "passphrase_admission"
#define SRV_TOKEN_LOGIN_FAILURE   "login_failure"
#define SRV_LOGIN_WINDOW_MS       (15 * 60 * 1000)

/* The token in an Authorization header value ("Bearer " prefix removed);
 * NULL when the value is absent, empty, "undefined" or "null". */
const char *srv_auth_token_from_header(const char *authorization);

/* Issue a new token of kind for user_id (id: the session record id, may
 * be NULL) valid for ttl_ms; the plain token is written to token. */
srv_db_status srv_auth_issue(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id, int64_t ttl_ms,
                             char token[SRV_TOKEN_LEN + 1]);
/* Resolve a presented token: *user_id (malloc'd) and the digest. */
srv_db_status srv_auth_check(srv_dbc *c, const char *kind, const char *token,
                             char **user_id, char hash[SRV_SHA256_HEX + 1],
                             int64_t *expires_ms);
/* Single-use tokens (admission): check and delete. */
srv_db_status srv_auth_consume(srv_dbc *c, const char *kind, const char *token,
                               char **user_id);

/* Failed-login bookkeeping: one row per failure, kept for
 * SRV_LOGIN_WINDOW_MS. */
srv_db_status srv_auth_failure_note(srv_dbc *c, const char *user_id);
srv_db_status srv_auth_failure_count(srv_dbc *c, const char *user_id,
                                     long *count);

#endif /* SERVER_AUTH_H */
