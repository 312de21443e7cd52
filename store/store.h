/* store/store.h - the SQLite replica of one Meeco account (one file per token).
 *
 * The store holds ciphertext and public data only, in tables that mirror
 * the Meeco Keystore and Vault models (docs/STORE.md has the schema):
 *
 *   account              one row: username, Secret Key, token label, the
 *                        SO-PIN-wrapped copy of the KEK, private DEK id
 *   meta                 free key/value pairs (sync cursors, flags)
 *   key_encryption_key   Aes256Gcm(PDK, KEK)            (Keystore shape)
 *   data_encryption_keys Aes256Gcm(KEK, DEK)            (Keystore shape)
 *   keypairs             SPKI PEM + Aes256Gcm(KEK, private PEM)
 *   items, slots         Vault items and their encrypted slot values
 *   item_templates, template_slots, classification_nodes
 *   connections, shares  (filled by the remote backend later)
 *   token_objects        token-only objects with no Meeco equivalent
 *
 * The file is created with mode 0600, opened in WAL mode with a busy
 * timeout, so several processes may use one token at once.  A store
 * handle is NOT thread-safe: the caller serializes use of one handle
 * (the PKCS#11 token lock does).  After fork() the child must not use a
 * handle opened by the parent: open a new one.
 *
 * Records returned by the get/list functions are heap copies owned by the
 * caller: release them with the matching *_clear / *_list_free (never
 * free a field yourself).  Fields are const char * so that a record can
 * also be filled with literals or borrowed strings as an input.  All
 * timestamps are UTC ISO 8601 ("2026-11-29T01:54:35Z").  Ids are UUID v4
 * strings (36 chars) and never change: they become CKA_ID.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 1
#define STORE_UUID_LEN       36 /* without NUL */

typedef enum store_status {
    STORE_OK = 0,
    STORE_ERR_ARGS,      /* NULL pointer or invalid argument */
    STORE_ERR_NOMEM,     /* allocation failed */
    STORE_ERR_IO,        /* cannot create/open the file or its folder */
    STORE_ERR_NOT_FOUND, /* no such row */
    STORE_ERR_EXISTS,    /* unique constraint (id, or slot name in item) */
    STORE_ERR_BUSY,      /* database locked longer than the busy timeout */
    STORE_ERR_CORRUPT,   /* not a database / integrity check failed */
    STORE_ERR_VERSION,   /* schema newer than this code understands */
    STORE_ERR_DB,        /* any other SQLite error */
    STORE_STATUS_COUNT
} store_status;

const char *store_strerror(store_status st);

typedef struct store store;

/* ---- lifetime ------------------------------------------------------- */

/* Open (creating if needed, with missing parent folders mode 0700) the
 * database at path, mode 0600; WAL, busy timeout 10 s, foreign keys on;
 * creates or migrates the schema.  path ":memory:" gives a private
 * in-memory store (tests). */
store_status store_open(const char *path, store **out);
void store_close(store *s);
const char *store_path(const store *s);

/* Transactions (BEGIN IMMEDIATE: takes the write lock at once, so a
 * read-modify-write sequence cannot be interleaved by another process).
 * Not nestable.  Every single function below is atomic on its own. */
store_status store_begin(store *s);
store_status store_commit(store *s);
void store_rollback(store *s);
/* Non-zero while a store_begin transaction is open on this handle. */
int store_in_transaction(const store *s);

/* PRAGMA data_version: a number that changes whenever another connection
 * (another process, another handle) commits to the database; this
 * handle's own commits leave it unchanged. */
store_status store_data_version(store *s, unsigned *version);

/* PRAGMA integrity_check == "ok" -> STORE_OK, else STORE_ERR_CORRUPT. */
store_status store_integrity_check(store *s);

/* Delete every account, key, keypair, item, slot, connection, share and
 * token object (templates and classification nodes stay).  Used by
 * re-initialization (C_InitToken).  Call inside a transaction. */
store_status store_wipe_account(store *s);

/* ---- helpers -------------------------------------------------------- */

/* New random UUID v4, lower-case, into out[STORE_UUID_LEN + 1]. */
store_status store_uuid_v4(char out[STORE_UUID_LEN + 1]);
/* Current UTC time as ISO 8601 into out[21]. */
void store_now(char out[21]);

/* ---- account (one row) ---------------------------------------------- */

typedef struct store_account {
    const char *username; /* Meeco username (local: "local-<uuid>") */
    const char
        *secret_key;   /* the Secret Key string "1.<user>.<key>", or NULL */
    const char *label; /* token label (PKCS#11 CKA_LABEL of the token) */
    const char
        *so_wrapped_kek; /* Aes256Gcm...Pbkdf2Hmac: KEK under the SO PIN */
    const char *private_dek_id; /* vault user.private_dek_external_id */
    const char *vault_user_id;  /* remote only; NULL for local */
    const char *created_at;
    const char *updated_at;
} store_account;

/* STORE_ERR_NOT_FOUND when the token was never initialized. */
store_status store_account_get(store *s, store_account *out);
/* Insert or replace the single account row (created_at kept if set). */
store_status store_account_put(store *s, const store_account *a);
void store_account_clear(store_account *a);

/* ---- meta (key/value) ------------------------------------------------ */

store_status store_meta_get(store *s, const char *key, char **value);
store_status store_meta_set(store *s, const char *key, const char *value);
store_status store_meta_delete(store *s, const char *key);

/* ---- key_encryption_key (Keystore: one per account) ------------------ */

typedef struct store_kek {
    const char *id;
    const char *serialized_key_encryption_key; /* Aes256Gcm(PDK, KEK) */
    const char *created_at;
} store_kek;

store_status store_kek_get(store *s, store_kek *out);
/* Insert or replace (id generated when k->id is NULL). */
store_status store_kek_put(store *s, const store_kek *k);
store_status store_kek_delete(store *s);
void store_kek_clear(store_kek *k);

/* ---- data_encryption_keys ------------------------------------------- */

typedef struct store_dek {
    const char *id;
    const char *serialized_data_encryption_key; /* Aes256Gcm(KEK, DEK) */
    const char *label; /* token-side label, may be NULL */
    const char *created_at;
} store_dek;

/* Insert; when d->id is NULL a UUID is generated and written to id_out
 * (may be NULL). */
store_status store_dek_insert(store *s, const store_dek *d,
                              char id_out[STORE_UUID_LEN + 1]);
/* Insert or update the record with r->id (required): the remote backend
 * writes server records into the replica with their server ids. */
store_status store_dek_put(store *s, const store_dek *r);
store_status store_dek_get(store *s, const char *id, store_dek *out);
store_status store_dek_list(store *s, store_dek **out, size_t *n);
store_status store_dek_set_label(store *s, const char *id, const char *label);
store_status store_dek_delete(store *s, const char *id);
void store_dek_clear(store_dek *d);
void store_dek_list_free(store_dek *list, size_t n);

/* ---- keypairs ------------------------------------------------------- */

typedef struct store_keypair {
    const char *id;
    const char *public_key; /* SPKI PEM ("-----BEGIN PUBLIC KEY-----") */
    const char *encrypted_serialized_key; /* Aes256Gcm(KEK, private PEM text) */
    const char *metadata;             /* JSON object text, "{}" by default */
    const char *external_identifiers; /* JSON array text, e.g. ["auth"] */
    const char *key_type;             /* "rsa" (EC later) */
    int bits;                         /* modulus bits / curve size */
    const char *label;                /* token-side label, may be NULL */
    const char *created_at;
} store_keypair;

store_status store_keypair_insert(store *s, const store_keypair *k,
                                  char id_out[STORE_UUID_LEN + 1]);
/* Insert or update the record with r->id (required): the remote backend
 * writes server records into the replica with their server ids. */
store_status store_keypair_put(store *s, const store_keypair *r);
store_status store_keypair_get(store *s, const char *id, store_keypair *out);
/* First keypair whose external_identifiers array contains ext_id. */
store_status store_keypair_get_by_external_id(store *s, const char *ext_id,
                                              store_keypair *out);
store_status store_keypair_list(store *s, store_keypair **out, size_t *n);
store_status store_keypair_set_label(store *s, const char *id,
                                     const char *label);
store_status store_keypair_delete(store *s, const char *id);
void store_keypair_clear(store_keypair *k);
void store_keypair_list_free(store_keypair *list, size_t n);

/* ---- items ---------------------------------------------------------- */

typedef struct store_item {
    const char *id;
    const char *name; /* sanitized: lower-case, [a-z0-9_] */
    const char *label;
    const char *description;             /* may be NULL */
    const char *item_template_id;        /* may be NULL */
    const char *item_template_name;      /* may be NULL */
    const char *classification_node_ids; /* JSON array text, "[]" default */
    int ordinal;
    const char *created_at;
    const char *updated_at;
} store_item;

store_status store_item_insert(store *s, const store_item *it,
                               char id_out[STORE_UUID_LEN + 1]);
/* Insert or update the record with r->id (required): the remote backend
 * writes server records into the replica with their server ids. */
store_status store_item_put(store *s, const store_item *r);
store_status store_item_get(store *s, const char *id, store_item *out);
/* Items are unique by name in the local store. */
store_status store_item_get_by_name(store *s, const char *name,
                                    store_item *out);
store_status store_item_list(store *s, store_item **out, size_t *n);
/* Sets label and updated_at. */
store_status store_item_set_label(store *s, const char *id, const char *label);
store_status store_item_touch(store *s, const char *id);
/* Deletes the item and (cascade) its slots. */
store_status store_item_delete(store *s, const char *id);
void store_item_clear(store_item *it);
void store_item_list_free(store_item *list, size_t n);

/* ---- slots ---------------------------------------------------------- */

typedef struct store_slot {
    const char *id;
    const char *item_id;
    const char *name; /* sanitized, unique within the item */
    const char *label;
    const char *description;     /* may be NULL */
    const char *slot_type_name;  /* key_value, password, ... */
    const char *encrypted_value; /* Aes256Gcm(DEK, UTF-8 value), NULL = empty */
    const char *encrypted_value_verification_key; /* may be NULL */
    const char *value_verification_hash;          /* may be NULL */
    int ordinal;
    const char *created_at;
    const char *updated_at;
} store_slot;

/* Filter for store_slot_list: NULL fields match everything. */
typedef struct store_slot_filter {
    const char *item_id;
    const char *name;
    const char *label;
} store_slot_filter;

store_status store_slot_insert(store *s, const store_slot *sl,
                               char id_out[STORE_UUID_LEN + 1]);
/* Insert or update the record with r->id (required): the remote backend
 * writes server records into the replica with their server ids. */
store_status store_slot_put(store *s, const store_slot *r);
store_status store_slot_get(store *s, const char *id, store_slot *out);
/* Ordered by item, then ordinal, then creation.  f may be NULL. */
store_status store_slot_list(store *s, const store_slot_filter *f,
                             store_slot **out, size_t *n);
store_status store_slot_count(store *s, const char *item_id, size_t *n);
/* Replace value (NULL allowed) and clear the verification fields. */
store_status store_slot_set_value(store *s, const char *id,
                                  const char *encrypted_value);
store_status store_slot_set_label(store *s, const char *id, const char *label);
store_status store_slot_delete(store *s, const char *id);
void store_slot_clear(store_slot *sl);
void store_slot_list_free(store_slot *list, size_t n);

/* Every item id / slot id (rowid order): heap strings, release with
 * store_ids_free.  Lets a sync find the rows the server no longer has. */
store_status store_item_list_ids(store *s, char ***ids, size_t *n);
store_status store_slot_list_ids(store *s, char ***ids, size_t *n);
void store_ids_free(char **ids, size_t n);

/* ---- item templates and classification nodes ------------------------- */

typedef struct store_template_slot {
    const char *name;
    const char *label;
    const char *slot_type_name;
} store_template_slot;

typedef struct store_template {
    const char *id;
    const char *name;
    const char *label;
    const char *description;
    store_template_slot *slots;
    size_t n_slots;
} store_template;

/* Insert a template with its slots (one transaction unless one is open). */
store_status store_template_insert(store *s, const store_template *t,
                                   char id_out[STORE_UUID_LEN + 1]);
store_status store_template_get_by_name(store *s, const char *name,
                                        store_template *out);
store_status store_template_list(store *s, store_template **out, size_t *n);
void store_template_clear(store_template *t);
void store_template_list_free(store_template *list, size_t n);

typedef struct store_classification {
    const char *id;
    const char *scheme;
    const char *name;
    const char *label;
    const char *description;
} store_classification;

store_status store_classification_insert(store *s,
                                         const store_classification *c,
                                         char id_out[STORE_UUID_LEN + 1]);
store_status store_classification_list(store *s, store_classification **out,
                                       size_t *n);
void store_classification_list_free(store_classification *list, size_t n);

/* ---- connections and shares (remote replica; JSON records) ----------- */

/* Upsert/get/delete an opaque JSON record by id in "connections" or
 * "shares" (table must be one of those two names). */
store_status store_record_put(store *s, const char *table, const char *id,
                              const char *json);
store_status store_record_get(store *s, const char *table, const char *id,
                              char **json);
store_status store_record_delete(store *s, const char *table, const char *id);
/* Every id in "connections" or "shares"; release with store_ids_free. */
store_status store_record_list_ids(store *s, const char *table, char ***ids,
                                   size_t *n);

/* ---- token-only objects (no Meeco equivalent, e.g. certificates) ----- */

typedef struct store_object {
    const char *id;
    const char *kind;  /* free text chosen by the caller, e.g. "certificate" */
    const char *label; /* may be NULL */
    const uint8_t
        *data; /* opaque serialized attributes (never secrets in clear) */
    size_t data_len;
    const char *created_at;
} store_object;

store_status store_object_insert(store *s, const store_object *o,
                                 char id_out[STORE_UUID_LEN + 1]);
store_status store_object_get(store *s, const char *id, store_object *out);
/* kind may be NULL (all kinds). */
store_status store_object_list(store *s, const char *kind, store_object **out,
                               size_t *n);
store_status store_object_update(store *s, const char *id, const char *label,
                                 const uint8_t *data, size_t data_len);
store_status store_object_delete(store *s, const char *id);
void store_object_clear(store_object *o);
void store_object_list_free(store_object *list, size_t n);

#endif /* STORE_STORE_H */
