/* remote/sync.h - copy a Meeco account's ciphertext into the local
 * SQLite replica (store/) in two phases:
 *
 *   remote_fetch           network only: the KEK record, the private DEK
 *                          record, the "auth" keypair, every vault item
 *                          and slot (GET /items paged by next_page_after),
 *                          validated (ids, types, Cryppo strings);
 *   remote_snapshot_apply  store only, one transaction: upserts all of
 *                          it, deletes replica items/slots absent from
 *                          the snapshot, writes the account row.
 *
 * The caller may fetch with no lock held and apply under its lock.
 * Records keep their server ids; nothing is decrypted. */
#ifndef REMOTE_SYNC_H
#define REMOTE_SYNC_H

#include <stddef.h>

#include "remote.h"
#include "store.h"

typedef struct remote_snapshot remote_snapshot;

/* Network only.  Bad server data (missing ids, wrong types, an
 * encrypted value that is not a Cryppo string) is REMOTE_ERR_PROTOCOL. */
remote_status remote_fetch(const remote_session *s, remote_snapshot **out);

/* Store only, one transaction (rolled back on any failure: the replica
 * stays as it was).  Upserts everything, deletes replica items and slots
 * that are not in the snapshot (token_objects untouched), and writes the
 * account row (username, private_dek_id = the session's DEK id; the
 * secret key and the SO-wrapped KEK are kept as they are, never set). */
remote_status remote_snapshot_apply(const remote_snapshot *snap, store *db);

void remote_snapshot_free(remote_snapshot *snap);

/* Counts for logs and benchmarks. */
size_t remote_snapshot_items(const remote_snapshot *snap);
size_t remote_snapshot_slots(const remote_snapshot *snap);

/* remote_fetch + remote_snapshot_apply. */
remote_status remote_sync(const remote_session *session, store *replica);

#endif /* REMOTE_SYNC_H */
