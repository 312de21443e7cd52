/* pkcs11/mech/mech_attr.h - key <-> PKCS#11 attribute conversions.
 *
 * Everything the core needs to fill CKA_* values of RSA and EC key
 * objects from an EVP_PKEY, and to build an EVP_PKEY from the public
 * attributes of C_CreateObject.  Byte strings are returned in secbufs
 * (public values too: one type, one free function).  Big integers are
 * unsigned big-endian without leading zeros, as PKCS#11 stores them.
 *
 * Errors: CKR_ARGUMENTS_BAD (NULL), CKR_KEY_TYPE_INCONSISTENT (an RSA
 * attribute asked of an EC key, ...), CKR_ATTRIBUTE_VALUE_INVALID (bytes
 * that do not form a valid key), CKR_CURVE_NOT_SUPPORTED,
 * CKR_HOST_MEMORY, CKR_FUNCTION_FAILED.
 */
#ifndef PKCS11_MECH_MECH_ATTR_H
#define PKCS11_MECH_MECH_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>
#include <pkcs11t.h>

#include "secbuf.h"

/* CKK_RSA, CKK_EC, or MECH_NO_KEY-like ~0 for anything else. */
CK_KEY_TYPE mech_attr_key_type(const EVP_PKEY *pkey);
/* Non-zero when pkey holds a private key. */
int mech_attr_is_private(const EVP_PKEY *pkey);
/* CKA_MODULUS_BITS (RSA) or the curve's field size in bits (EC). */
CK_RV mech_attr_key_bits(const EVP_PKEY *pkey, CK_ULONG *bits);

/* RSA: CKA_MODULUS, CKA_PUBLIC_EXPONENT. */
CK_RV mech_attr_rsa_modulus(const EVP_PKEY *pkey, secbuf *out);
CK_RV mech_attr_rsa_public_exponent(const EVP_PKEY *pkey, secbuf *out);

/* EC: CKA_EC_PARAMS (DER namedCurve OID) and CKA_EC_POINT (DER OCTET
 * STRING holding the uncompressed point 04||X||Y, as PKCS#11 requires). */
CK_RV mech_attr_ec_params(const EVP_PKEY *pkey, secbuf *out);
CK_RV mech_attr_ec_point(const EVP_PKEY *pkey, secbuf *out);

/* CKA_PUBLIC_KEY_INFO: DER SubjectPublicKeyInfo (RSA and EC). */
CK_RV mech_attr_spki(const EVP_PKEY *pkey, secbuf *out);

/* A new public-only EVP_PKEY with the public half of pkey (for the
 * public object of C_GenerateKeyPair). */
CK_RV mech_attr_public_dup(const EVP_PKEY *pkey, EVP_PKEY **out);

/* C_CreateObject of public keys. */
CK_RV mech_attr_rsa_public_from(const uint8_t *n, size_t n_len,
                                const uint8_t *e, size_t e_len,
                                EVP_PKEY **out);
/* point may be the DER OCTET STRING or the raw 04||X||Y form. */
CK_RV mech_attr_ec_public_from(const uint8_t *params, size_t params_len,
                               const uint8_t *point, size_t point_len,
                               EVP_PKEY **out);
CK_RV mech_attr_public_from_spki(const uint8_t *der, size_t len,
                                 EVP_PKEY **out);

/* C_CreateObject of private keys.  RSA: the big-endian CKA_MODULUS,
 * CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT and, optionally (all five or
 * none), CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2,
 * CKA_COEFFICIENT, in that order (len 0 = absent).  EC: CKA_EC_PARAMS and
 * the private scalar CKA_VALUE; the public point is computed. */
typedef struct mech_bytes {
    const uint8_t *p;
    size_t len;
} mech_bytes;
enum { MECH_RSA_PARTS = 8 };
CK_RV mech_attr_rsa_private_from(const mech_bytes parts[MECH_RSA_PARTS],
                                 EVP_PKEY **out);
CK_RV mech_attr_ec_private_from(const uint8_t *params, size_t params_len,
                                const uint8_t *value, size_t value_len,
                                EVP_PKEY **out);

/* Private keys as PKCS#8 DER (C_WrapKey of a private key, storage):
 * to_pkcs8 writes into a secbuf; from_pkcs8 parses RSA or EC. */
CK_RV mech_attr_private_to_pkcs8(const EVP_PKEY *pkey, secbuf *out);
CK_RV mech_attr_private_from_pkcs8(const uint8_t *der, size_t len,
                                   EVP_PKEY **out);

#endif /* PKCS11_MECH_MECH_ATTR_H */
