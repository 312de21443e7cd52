/* remote/records.h - (internal) server records (JSON) checked and
 * written into the store replica.  The checks run before any write so
 * that bad server data leaves the replica untouched. */
#ifndef REMOTE_RECORDS_H
#define REMOTE_RECORDS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "remote.h"
#include "store.h"

/* store_status -> remote_status (with a detail line on failure). */
remote_status remote_from_store(store_status st, const char *what);

/* REMOTE_OK, or REMOTE_ERR_PROTOCOL with a detail saying what is wrong:
 * ids (1..36 chars), strings where strings belong, Cryppo strings in
 * encrypted fields. */
remote_status remote_item_check(const cJSON *item);
remote_status remote_slot_check(const cJSON *slot);
/* id + a Cryppo string in field (KEK, DEK, keypair records). */
remote_status remote_key_check(const cJSON *rec, const char *field);
/* An id of 1..36 characters at key (dotted path) of rec. */
int remote_record_id_ok(const cJSON *rec, const char *key);
/* Absent, null or a string / an array. */
int remote_opt_str(const cJSON *j, const char *key);
int remote_opt_array(const cJSON *j, const char *key);

/* Set item_template_name (when the item has none) to name. */
void remote_item_template_name(cJSON *item, const char *name);

/* Upserts of checked records. */
remote_status remote_item_store(store *db, const cJSON *item);
remote_status remote_slot_store(store *db, const cJSON *slot);
remote_status remote_kek_store(store *db, const cJSON *kek);
remote_status remote_dek_store(store *db, const cJSON *dek);
remote_status remote_keypair_store(store *db, const cJSON *keypair);

/* A sorted set of the strings at key (a dotted path: "id", "own.id") of
 * an array of records (borrowed from the JSON).  Missing or duplicate
 * ids are REMOTE_ERR_PROTOCOL.  Free it even on failure. */
typedef struct remote_idset {
    const char **ids;
    size_t n;
} remote_idset;

remote_status remote_idset_build(const cJSON *records, const char *key,
                                 remote_idset *out);
int remote_idset_has(const remote_idset *set, const char *id);
void remote_idset_free(remote_idset *set);

/* Every slot's item_id is in items: else REMOTE_ERR_PROTOCOL. */
remote_status remote_slots_owned(const cJSON *slots, const remote_idset *items);

#endif /* REMOTE_RECORDS_H */
