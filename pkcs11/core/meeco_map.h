/* pkcs11/core/meeco_map.h - Meeco account records -> PKCS#11 objects.
 *
 * The full mapping is documented in docs/OBJECTS.md; in short:
 *   KEK       CKO_SECRET_KEY CKK_AES, wrap/unwrap only, never extractable
 *   DEK       CKO_SECRET_KEY CKK_AES, encrypt/decrypt/wrap, sensitive
 *   keypair   CKO_PRIVATE_KEY + CKO_PUBLIC_KEY CKK_RSA, same CKA_ID
 *   slot      CKO_DATA, private, CKA_VALUE = decrypted value
 * CKA_ID of every key is the 16 bytes of its store UUID.
 */
#ifndef PKCS11_CORE_MEECO_MAP_H
#define PKCS11_CORE_MEECO_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "cryptoki.h"
#include "object.h"
#include "token.h"

/* Build the object(s) of one record and put them into the object table
 * (same store key -> same handle).  *h (may be NULL) receives the handle
 * of the first object (for keypairs: the private key). */
CK_RV p11_map_record_locked(p11_token *t, const p11_bk_record *r,
                            CK_OBJECT_HANDLE *h);
/* The public key handle of a keypair record already mapped. */
CK_OBJECT_HANDLE p11_map_public_handle_locked(p11_token *t, const char *id);

/* "<slot>:<kind>:<id>" into buf. */
void p11_map_store_key(CK_SLOT_ID slot, const char *kind, const char *id,
                       char *buf, size_t len);
/* Which backend kind / id a token object stands for (parsed from its
 * store key).  Returns false for session objects. */
bool p11_map_identity(const char *store_key, p11_bk_kind *kind,
                      const char **id);

/* RSA/EC public attributes from an EVP_PKEY (modulus, exponent, SPKI,
 * EC params/point). */
CK_RV p11_map_key_attrs(p11_object *o, EVP_PKEY *pkey);

#endif /* PKCS11_CORE_MEECO_MAP_H */
