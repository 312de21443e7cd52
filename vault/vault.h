/* vault/vault.h - Meeco Vault items and slots of one account (one token).
 *
 * An item is a named container (e.g. "pkcs11_data"), a slot a named,
 * labelled value inside it.  Slot values are stored as
 * Aes256Gcm(private DEK, UTF-8/binary value) exactly as the Meeco SDK
 * writes them (meeco-protocol.md section 6.3); an empty value is stored
 * as NULL (the SDK sends null).  Names are sanitized like the Vault does:
 * lower-case, every character outside [a-z0-9] becomes '_'; slot names
 * are unique within an item (VAULT_ERR_EXISTS otherwise).
 *
 * Decision: deleting the last slot of an item deletes the item too (an
 * item with no slots cannot be reached through PKCS#11 and would only
 * accumulate); vault_item_delete removes an item and all its slots.
 *
 * Functions that read or write values need a login (the private DEK is
 * unwrapped with the KEK held by the ks_account); listing does not.
 * Same threading rules as keystore.h.  No PKCS#11 types here.
 */
#ifndef VAULT_VAULT_H
#define VAULT_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "keystore.h"
#include "secbuf.h"
#include "store.h"

#define VAULT_MUST_CHECK __attribute__((warn_unused_result))

#define VAULT_NAME_MAX          255
#define VAULT_DEFAULT_SLOT_TYPE "key_value"

typedef enum vault_status {
    VAULT_OK = 0,
    VAULT_ERR_ARGS, /* NULL, empty or over-long name */
    VAULT_ERR_NOMEM,
    VAULT_ERR_STORE,           /* database error */
    VAULT_ERR_BUSY,            /* database locked by another process */
    VAULT_ERR_NOT_FOUND,       /* no such item / slot / template */
    VAULT_ERR_EXISTS,          /* slot name already used in the item */
    VAULT_ERR_NOT_LOGGED_IN,   /* value access without the KEK */
    VAULT_ERR_NOT_INITIALIZED, /* token has no account */
    VAULT_ERR_CRYPTO,          /* encryption failed */
    VAULT_ERR_CORRUPT,         /* stored value does not decrypt */
    VAULT_STATUS_COUNT
} vault_status;

const char *vault_strerror(vault_status st);
vault_status vault_status_from_ks(ks_status st);
vault_status vault_status_from_store(store_status st);

/* Sanitize a name like the Vault: lower-case, [^a-z0-9] -> '_'.
 * Returns a malloc'd string, NULL when name is empty/too long/ENOMEM. */
char *vault_name_sanitize(const char *name);

/* ---- items ---------------------------------------------------------- */

/* Find the item with the sanitized name, or create it (label = name,
 * template may be NULL or the name of a seeded template).  *out may be
 * NULL.  *created (may be NULL) tells whether it was new. */
VAULT_MUST_CHECK vault_status vault_item_ensure(ks_account *a, const char *name,
                                                const char *template_name,
                                                store_item *out, int *created);
/* Always create (VAULT_ERR_EXISTS if the sanitized name is taken). */
VAULT_MUST_CHECK vault_status vault_item_create(ks_account *a, const char *name,
                                                const char *label,
                                                const char *template_name,
                                                store_item *out);
VAULT_MUST_CHECK vault_status vault_item_get(ks_account *a, const char *id,
                                             store_item *out);
VAULT_MUST_CHECK vault_status vault_item_find(ks_account *a, const char *name,
                                              store_item *out);
VAULT_MUST_CHECK vault_status vault_item_list(ks_account *a, store_item **out,
                                              size_t *n);
VAULT_MUST_CHECK vault_status vault_item_set_label(ks_account *a,
                                                   const char *id,
                                                   const char *label);
/* Deletes the item and all its slots. */
VAULT_MUST_CHECK vault_status vault_item_delete(ks_account *a, const char *id);

/* ---- slots ---------------------------------------------------------- */

/* Add a slot to an item.  name is sanitized; label NULL -> name;
 * slot_type NULL -> "key_value".  value may be binary; len 0 stores a
 * NULL encrypted_value.  Needs login.  *out may be NULL. */
VAULT_MUST_CHECK vault_status vault_slot_add(
    ks_account *a, const char *item_id, const char *name, const char *label,
    const char *slot_type, const uint8_t *value, size_t len, store_slot *out);
VAULT_MUST_CHECK vault_status vault_slot_get(ks_account *a, const char *id,
                                             store_slot *out);
/* Decrypt a slot's value (empty secbuf for a NULL value). Needs login. */
VAULT_MUST_CHECK vault_status vault_slot_value(ks_account *a, const char *id,
                                               secbuf *value);
/* Decrypt an encrypted_value string already in hand (from a list). */
VAULT_MUST_CHECK vault_status vault_value_decrypt(ks_account *a,
                                                  const char *encrypted_value,
                                                  secbuf *value);
/* Slots of one item (item_id) or of all items (NULL). */
VAULT_MUST_CHECK vault_status vault_slot_list(ks_account *a,
                                              const char *item_id,
                                              store_slot **out, size_t *n);
/* All slots with this exact label (indexed; fast among 10,000 slots). */
VAULT_MUST_CHECK vault_status vault_slot_find_by_label(ks_account *a,
                                                       const char *label,
                                                       store_slot **out,
                                                       size_t *n);
/* Slot by item and (sanitized) name. */
VAULT_MUST_CHECK vault_status vault_slot_find(ks_account *a,
                                              const char *item_id,
                                              const char *name,
                                              store_slot *out);
/* Re-encrypt a new value (len 0 -> NULL). Needs login. */
VAULT_MUST_CHECK vault_status vault_slot_set_value(ks_account *a,
                                                   const char *id,
                                                   const uint8_t *value,
                                                   size_t len);
VAULT_MUST_CHECK vault_status vault_slot_set_label(ks_account *a,
                                                   const char *id,
                                                   const char *label);
/* Delete a slot; deletes its item too when it was the last slot. */
VAULT_MUST_CHECK vault_status vault_slot_delete(ks_account *a, const char *id);

/* ---- templates and classification nodes ------------------------------ */

/* Insert the default templates and classification nodes when the store
 * has none (idempotent).  Item creation and the template/classification
 * listings call it, so callers normally need not. */
VAULT_MUST_CHECK vault_status vault_seed_defaults(store *s);
VAULT_MUST_CHECK vault_status vault_template_list(ks_account *a,
                                                  store_template **out,
                                                  size_t *n);
VAULT_MUST_CHECK vault_status
vault_classification_list(ks_account *a, store_classification **out, size_t *n);

/* JSON export in the Vault API shapes: see vault/vault_export.h. */

#endif /* VAULT_VAULT_H */
