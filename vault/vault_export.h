/* vault/vault_export.h - the account's Vault data in the JSON shapes of the
 * Meeco Vault API (meeco-protocol.md section 6.2):
 *
 *   {"me": {"user": {"id", "private_dek_external_id", ...}},
 *    "items": {"items": [Item], "slots": [Slot], "classification_nodes": [],
 *              "attachments": [], "thumbnails": [], "meta": {...}},
 *    "item_templates": {"item_templates": [...], "slots": [...]}}
 *
 * Item has slot_ids[] and the slots carry item_id; encrypted values are
 * the stored Cryppo strings.  No login needed.  Kept apart from vault.h
 * so that PKCS#11 code never sees cJSON.
 */
#ifndef VAULT_EXPORT_H
#define VAULT_EXPORT_H

#include <cjson/cJSON.h>

#include "vault.h"

/* *out: a new cJSON object (cJSON_Delete). */
VAULT_MUST_CHECK vault_status vault_export_json(ks_account *a, cJSON **out);

#endif /* VAULT_EXPORT_H */
