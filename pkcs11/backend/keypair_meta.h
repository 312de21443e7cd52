/* pkcs11/backend/keypair_meta.h - the PKCS#11 CKA_ID of a keypair, kept in
 * the Keystore keypair's `metadata` JSON object as {"pkcs11_id": "<hex>"}
 * so that every replica of the account (and any other Meeco client) sees
 * the ID the application chose (ssh-keygen -D, pkcs11-tool --id, NSS).
 */
#ifndef PKCS11_BACKEND_KEYPAIR_META_H
#define PKCS11_BACKEND_KEYPAIR_META_H

#include <stddef.h>
#include <stdint.h>

#define P11_KEYPAIR_META_ID "pkcs11_id"
#define P11_KEYPAIR_ID_MAX  128 /* bytes */

/* meta (JSON object text, NULL = "{}") with pkcs11_id set to hex(id):
 * a malloc'd JSON text, or NULL (bad meta, id too long, no memory). */
char *p11_keypair_meta_with_id(const char *meta, const uint8_t *id,
                               size_t len);
/* The ID in meta: 0 and *id malloc'd (free) when present and well formed,
 * -1 otherwise (absent, not hex, too long, meta not JSON). */
int p11_keypair_meta_id(const char *meta, uint8_t **id, size_t *len);

#endif /* PKCS11_BACKEND_KEYPAIR_META_H */
