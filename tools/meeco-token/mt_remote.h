/* tools/meeco-token/mt_remote.h - remote tokens in meeco-token: the
 * token's server settings, login against the server and the replica
 * (the store file that remote_sync fills). */
#ifndef MT_REMOTE_H
#define MT_REMOTE_H

#include <stddef.h>

#include "meeco_token.h"
#include "remote.h"
#include "store.h"

#define MT_META_LAST_SYNC "last_sync" /* replica meta key: UTC ISO 8601 */

/* A remote token being worked on. */
typedef struct mt_remote {
    config *cfg;
    const config_token *tok;
    char *config_path;
    char *db_path;   /* the replica */
    remote_config rc; /* borrows strings of tok */
    store *db;       /* NULL until mt_remote_replica */
} mt_remote;

/* What the replica holds. */
typedef struct mt_counts {
    size_t keks, deks, keypairs, items, slots;
} mt_counts;

/* 1 when the token the options select is remote, 0 otherwise (also when
 * the config does not load: the local path then reports it). */
int mt_token_is_remote(const mt_opts *o);

/* Load the config and pick the token, which must be remote.  Prints. */
int mt_remote_open(const mt_opts *o, mt_remote *r);
/* Open (creating it) the replica store.  Prints. */
int mt_remote_replica(mt_remote *r);
void mt_remote_close(mt_remote *r);

/* Log in with the token's Secret Key and the given passphrase.  Prints. */
int mt_remote_login_with(mt_remote *r, const char *passphrase,
                         remote_session *s);
/* Same, the passphrase read like `init` reads it. */
int mt_remote_login(const mt_opts *o, mt_remote *r, remote_session *s);
/* remote_sync into the replica (which also writes its account row),
 * then record the last_sync time.  Prints. */
int mt_remote_sync(mt_remote *r, const remote_session *s);

/* Counts of the replica's records (0 when a listing fails). */
void mt_replica_counts(store *db, mt_counts *c);
void mt_counts_print(const char *prefix, const mt_counts *c);

/* "meeco-token: WHAT: <why> (<detail>)" on stderr. */
void mt_remote_perror(const char *what, const mt_remote *r, remote_status st);

int mt_cmd_signup(const mt_opts *o);
int mt_cmd_login(const mt_opts *o);
int mt_cmd_sync(const mt_opts *o);
int mt_cmd_remote_status(const mt_opts *o);
int mt_cmd_remote_items(const mt_opts *o);

#endif /* MT_REMOTE_H */
