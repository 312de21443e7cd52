/* keystore/ks_export.h - the account's stored ciphertext in the JSON shapes
 * of the Meeco Keystore API (meeco-protocol.md section 5):
 *
 *   {"key_encryption_key": {"id", "serialized_key_encryption_key"},
 *    "data_encryption_keys": [{"id", "serialized_data_encryption_key"}],
 *    "keypairs": [{"id", "public_key", "encrypted_serialized_key",
 *                  "metadata", "external_identifiers"}]}
 *
 * Only ciphertext and public keys; no login needed.  Separate from
 * keystore.h so that PKCS#11 code never sees cJSON.
 */
#ifndef KEYSTORE_EXPORT_H
#define KEYSTORE_EXPORT_H

#include <cjson/cJSON.h>

#include "keystore.h"

/* *out: a new cJSON object (cJSON_Delete). */
KS_MUST_CHECK ks_status ks_export_json(ks_account *a, cJSON **out);

#endif /* KEYSTORE_EXPORT_H */
