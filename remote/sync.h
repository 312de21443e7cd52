/* remote/sync.h - copy a Meeco account's ciphertext into the local
 * SQLite replica (store/): the KEK, the private DEK, the "auth" keypair
 * and every vault item with its slots (GET /items paged by
 * next_page_after).  Records keep their server ids; nothing is
 * decrypted. */
#ifndef REMOTE_SYNC_H
#define REMOTE_SYNC_H

#include "remote.h"
#include "store.h"

/* One transaction: on failure the replica is left as it was.  Items and
 * slots deleted on the server are not removed yet. */
remote_status remote_sync(const remote_session *session, store *replica);

#endif /* REMOTE_SYNC_H */
