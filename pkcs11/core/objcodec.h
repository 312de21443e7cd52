/* pkcs11/core/objcodec.h - token objects with no Meeco equivalent (EC
 * keys, certificates, lone public keys, AES keys that are not 32 bytes)
 * are kept in the store's token_objects table as their attribute list.
 *
 * Encoding: "P11O" 0x01, then per attribute: type (8 bytes big-endian),
 * length (4 bytes big-endian), value.  Only public attributes are ever
 * encoded: key material (the private key as PKCS#8, secret key bytes)
 * travels separately and the backend stores it wrapped under the KEK.
 */
#ifndef PKCS11_CORE_OBJCODEC_H
#define PKCS11_CORE_OBJCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cryptoki.h"
#include "object.h"

/* *out is malloc'd. */
CK_RV p11_codec_encode(const p11_object *o, uint8_t **out, size_t *len);
/* Adds the encoded attributes to o (CKR_DEVICE_ERROR when malformed). */
CK_RV p11_codec_decode(const uint8_t *in, size_t len, p11_object *o);

#endif /* PKCS11_CORE_OBJCODEC_H */
