/* bench/remote/replica.h - the client side of "sync and list": log in
 * with remote_login, remote_sync the account into a fresh replica
 * (store_open on a new file), then list every slot of the replica and
 * decrypt each value with the private DEK. */
#ifndef BENCH_REMOTE_REPLICA_H
#define BENCH_REMOTE_REPLICA_H

#include <stddef.h>

#include "remote.h"

typedef struct replica_result {
    double login_s;
    double sync_s; /* remote_sync: GET /items pages + one transaction */
    double list_s; /* store_item_list + store_slot_list + decrypt all */
    size_t items;
    size_t slots; /* slots whose value decrypts to a fill_value() */
} replica_result;

/* path must not exist yet.  0 on success. */
int replica_bench(const remote_config *cfg, const char *secret,
                  const char *passphrase, const char *path,
                  replica_result *out);

#endif /* BENCH_REMOTE_REPLICA_H */
