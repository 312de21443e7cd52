/* remote/snapshot.h - (internal) what remote_fetch collected. */
#ifndef REMOTE_SNAPSHOT_H
#define REMOTE_SNAPSHOT_H

#include <cjson/cJSON.h>

#include "records.h"
#include "sync.h"

struct remote_snapshot {
    char *username;
    char *dek_id;         /* the session's private DEK id */
    cJSON *kek;           /* key_encryption_key record */
    cJSON *dek;           /* data_encryption_key record (private DEK) */
    cJSON *keypair;       /* the "auth" keypair record */
    cJSON *items, *slots; /* arrays of every item and slot record */
    remote_idset item_ids, slot_ids; /* sorted, borrowed from the arrays */
};

#endif /* REMOTE_SNAPSHOT_H */
