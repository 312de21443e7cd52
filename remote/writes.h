/* remote/writes.h - changes to a Meeco account: vault items and slots,
 * keystore DEKs and keypairs, logout; and the store-side functions that
 * apply the server's answers to the SQLite replica.
 *
 * Two halves that never mix:
 *   - network functions take a const remote_session * and use their own
 *     HTTP client (two threads may call them at once with one session);
 *     they touch no store;
 *   - remote_apply_* touch only the store (no network), so the caller
 *     can call the server with no lock held and apply the answer to the
 *     replica afterwards under its lock.
 *
 * Strings returned through char ** are malloc'd (free); answers through
 * cJSON ** are freed with cJSON_Delete.  On failure the out parameters
 * are NULL.  Encrypted values are Cryppo strings (Aes256Gcm(DEK, ...)).
 */
#ifndef REMOTE_WRITES_H
#define REMOTE_WRITES_H

#include <cjson/cJSON.h>

#include "remote.h"
#include "store.h"

/* One slot to create or change. */
typedef struct remote_slot_in {
    const char *name;            /* vault slot name (sanitized) */
    const char *label;           /* NULL: name */
    const char *slot_type_name;  /* NULL: "key_value" */
    const char *encrypted_value; /* Cryppo string or NULL */
} remote_slot_in;

/* ---- vault items and slots (network only) --------------------------- */

/* POST /items: a new item named item_name (label item_label, or
 * item_name if NULL; template template_name, or the server's default
 * template if NULL) holding one slot.  *answer = the server's JSON
 * ({item, slots}); *slot_id (may be NULL) = the new slot's id. */
remote_status remote_item_create(const remote_session *s, const char *item_name,
                                 const char *item_label,
                                 const char *template_name,
                                 const remote_slot_in *slot, cJSON **answer,
                                 char **slot_id);

/* PUT /items/{item_id} adding one slot (slots_attributes entry without
 * id).  *slot_id (may be NULL) = the new slot's id. */
remote_status remote_slot_add(const remote_session *s, const char *item_id,
                              const remote_slot_in *slot, cJSON **answer,
                              char **slot_id);

/* PUT /items/{item_id} changing slot slot_id: label and/or
 * encrypted_value (NULL fields unchanged; name required). */
remote_status remote_slot_update(const remote_session *s, const char *item_id,
                                 const char *slot_id,
                                 const remote_slot_in *changes, cJSON **answer);

/* DELETE /slots/{slot_id}. */
remote_status remote_slot_delete(const remote_session *s, const char *slot_id);

/* DELETE /items/{item_id} (its slots go with it). */
remote_status remote_item_delete(const remote_session *s, const char *item_id);

/* ---- keystore keys (network only) ----------------------------------- */

/* POST /data_encryption_keys, wrapped = Aes256Gcm(KEK, DEK). */
remote_status remote_dek_create(const remote_session *s, const char *wrapped,
                                char **id);
/* DELETE /data_encryption_keys/{id}. */
remote_status remote_dek_delete(const remote_session *s, const char *id);

/* POST /keypairs: SPKI PEM + Aes256Gcm(KEK, private PEM), optional
 * external identifier (NULL: none) and metadata (JSON object text, NULL:
 * none; not an object: REMOTE_ERR_ARGS). */
remote_status remote_keypair_create(const remote_session *s,
                                    const char *public_pem,
                                    const char *wrapped_private,
                                    const char *external_id,
                                    const char *metadata, char **id);
/* DELETE /keypairs/{id}. */
remote_status remote_keypair_delete(const remote_session *s, const char *id);

/* DELETE /session on the vault and on the keystore (both are tried;
 * returns the first failure). */
remote_status remote_logout(const remote_session *s);

/* ---- replica side (store only, no network) -------------------------- */

typedef enum remote_record_kind {
    REMOTE_REC_ITEM,
    REMOTE_REC_SLOT,
    REMOTE_REC_DEK,
    REMOTE_REC_KEYPAIR
} remote_record_kind;

/* Upsert the item(s) and slots of an answer of POST/PUT/GET /items
 * ({item, slots} or {items, slots}) into the replica, in one transaction
 * (or inside the caller's open one).  Such an answer lists every slot of
 * its items, so replica slots of those items that it does not list are
 * deleted.  Bad data: REMOTE_ERR_PROTOCOL and nothing written. */
remote_status remote_apply_items(store *db, const cJSON *answer);

/* Remove a row after the server deleted its record (a row already gone
 * is fine). */
remote_status remote_apply_delete(store *db, remote_record_kind kind,
                                  const char *id);

#endif /* REMOTE_WRITES_H */
