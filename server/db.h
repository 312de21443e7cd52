/* server/db.h - the server's SQLite store (WAL), as a small pool of
 * connections, each with its own prepared statements.
 *
 * Data model: a generic document table.  Every record is a JSON text
 * `body` of a `kind` ("item", "slot", "keypair", ...) with an `id`, the
 * `user_id` it belongs to, an optional `parent` (e.g. the item of a
 * slot) and an optional `ext` lookup key (username, public-key digest,
 * invitation-token digest...).  `seq` is the insertion order used for
 * cursor paging.  Every per-user accessor takes the user id and puts it
 * in the WHERE clause, so that a handler cannot read or change another
 * user's record by id; the few cross-user operations (sharing, accepting
 * an invitation) use the explicitly named *_any functions.
 *
 * Tokens (sessions, admission tokens) are stored only as SHA-256 digests.
 *
 * One srv_dbc is used by one thread at a time: srv_db_acquire() hands
 * out a free connection (blocking if all are busy).
 */
#ifndef SERVER_DB_H
#define SERVER_DB_H

#include <stdint.h>

typedef enum srv_db_status {
    SRV_DB_OK = 0,
    SRV_DB_NOT_FOUND,
    SRV_DB_CONFLICT, /* unique constraint (username taken, ...) */
    SRV_DB_ERROR,
} srv_db_status;

typedef struct srv_db srv_db;
typedef struct srv_dbc srv_dbc;

typedef struct srv_doc {
    char *id;
    char *user_id;
    char *parent;
    char *ext;
    char *body;
    int64_t seq;
} srv_doc;

/* Open (creating the schema) with nconn connections (1..64). */
srv_db_status srv_db_open(const char *path, unsigned nconn, srv_db **out);
void srv_db_close(srv_db *db);
srv_dbc *srv_db_acquire(srv_db *db);
void srv_db_release(srv_dbc *c);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
srv_db_status srv_db_begin(srv_dbc *c);
srv_db_status srv_db_commit(srv_dbc *c);
void srv_db_rollback(srv_dbc *c);

void srv_doc_clear(srv_doc *d);

srv_db_status srv_doc_insert(srv_dbc *c, const char *kind, const char *id,
                             const char *user_id, const char *parent,
                             const char *ext, const char *body);
srv_db_status srv_doc_update(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id, const char *body);
srv_db_status srv_doc_get(srv_dbc *c, const char *kind, const char *user_id,
                          const char *id, srv_doc *out);
/* Cross-user read by id (sharing internals only). */
srv_db_status srv_doc_get_any(srv_dbc *c, const char *kind, const char *id,
                              srv_doc *out);
/* First record of kind with this ext key; user_id NULL = any user. */
srv_db_status srv_doc_find_ext(srv_dbc *c, const char *kind,
                               const char *user_id, const char *ext,
                               srv_doc *out);
srv_db_status srv_doc_delete(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id);
srv_db_status srv_doc_delete_children(srv_dbc *c, const char *kind,
                                      const char *user_id, const char *parent);

/* Calls cb for each record of kind owned by user_id (and, when parent is
 * not NULL, with that parent) with seq > after_seq, in seq order, until
 * cb returns non-zero. */
typedef int (*srv_doc_cb)(const srv_doc *doc, void *ctx);
srv_db_status srv_doc_list(srv_dbc *c, const char *kind, const char *user_id,
                           const char *parent, int64_t after_seq, srv_doc_cb cb,
                           void *ctx);

/* Tokens, keyed by SHA-256 hex digest. */
srv_db_status srv_token_put(srv_dbc *c, const char *hash, const char *kind,
                            const char *user_id, const char *id,
                            int64_t expires_ms);
/* *user_id / *id (may be NULL) are malloc'd.  Expired = NOT_FOUND. */
srv_db_status srv_token_get(srv_dbc *c, const char *hash, const char *kind,
                            char **user_id, char **id, int64_t *expires_ms);
srv_db_status srv_token_delete(srv_dbc *c, const char *hash);
/* Unexpired tokens of kind held by user_id. */
srv_db_status srv_token_count(srv_dbc *c, const char *kind, const char *user_id,
                              long *count);

/* Delete expired tokens and SRP challenges. */
srv_db_status srv_db_purge_expired(srv_dbc *c);

/* SRP login state between /srp/challenges and /srp/session, keyed by a
 * digest of (username, A).  take = read and delete.  Only the newest
 * SRV_MAX_PENDING_LOGINS challenges of a user are kept. */
#define SRV_MAX_PENDING_LOGINS 8
srv_db_status srv_challenge_put(srv_dbc *c, const char *key,
                                const char *user_id, const char *b_hex,
                                const char *B_hex, int64_t expires_ms);
srv_db_status srv_challenge_take(srv_dbc *c, const char *key, char **user_id,
                                 char **b_hex, char **B_hex);

#endif /* SERVER_DB_H */
