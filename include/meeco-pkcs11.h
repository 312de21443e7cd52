/* include/meeco-pkcs11.h - public vendor constants of libmeeco-pkcs11.so.
 *
 * Include after your PKCS#11 header (pkcs11.h / pkcs11t.h).  Every value
 * is CKA_VENDOR_DEFINED / CKM_VENDOR_DEFINED | 0x4D450000 ("ME") | n, so
 * they never collide with OASIS values.  The mapping of Meeco objects to
 * PKCS#11 objects is documented in docs/OBJECTS.md.
 */
#ifndef MEECO_PKCS11_H
#define MEECO_PKCS11_H

#define MEECO_VENDOR_BASE 0x4D450000UL

/* ---- vendor attributes ------------------------------------------------
 * All are byte strings (UTF-8 text, no NUL) unless noted.  Read-only
 * unless noted. */
#define CKA_MEECO_ITEM_ID         (0x80000000UL | MEECO_VENDOR_BASE | 0x01)
#define CKA_MEECO_SLOT_ID         (0x80000000UL | MEECO_VENDOR_BASE | 0x02)
/* The slot's human label (CKA_LABEL holds the slot's name). Modifiable. */
#define CKA_MEECO_SLOT_LABEL      (0x80000000UL | MEECO_VENDOR_BASE | 0x03)
/* key_value, password, email, url, date, ... (default key_value). */
#define CKA_MEECO_SLOT_TYPE       (0x80000000UL | MEECO_VENDOR_BASE | 0x04)
/* Name of the item template (default "custom"). */
#define CKA_MEECO_TEMPLATE        (0x80000000UL | MEECO_VENDOR_BASE | 0x05)
/* The slot's stored Cryppo string ("Aes256Gcm.…"), exactly as in the Vault. */
#define CKA_MEECO_ENCRYPTED_VALUE (0x80000000UL | MEECO_VENDOR_BASE | 0x06)
/* The item's human label (CKA_APPLICATION holds the item's name). */
#define CKA_MEECO_ITEM_LABEL      (0x80000000UL | MEECO_VENDOR_BASE | 0x07)
/* Role of a key object: "kek", "dek", "keypair" (CK_UTF8CHAR). */
#define CKA_MEECO_KEY_ROLE        (0x80000000UL | MEECO_VENDOR_BASE | 0x08)
/* The stored wrapped form of a key (the Keystore's serialized_* /
 * encrypted_serialized_key Cryppo string). Never contains plaintext. */
#define CKA_MEECO_WRAPPED_KEY     (0x80000000UL | MEECO_VENDOR_BASE | 0x09)

/* ---- vendor mechanisms ------------------------------------------------ */

/* Cryppo AES-256-GCM.  C_Encrypt with an AES-256 key returns the ASCII
 * Cryppo string "Aes256Gcm.<ct>.<artefacts>" (random IV, AAD "none");
 * C_Decrypt takes such a string (BSON or legacy YAML artefacts) and
 * returns the plaintext.  No parameter.  Single-part only. */
#define CKM_MEECO_CRYPPO_AES_GCM  (0x80000000UL | MEECO_VENDOR_BASE | 0x01)

/* Cryppo RSA-4096 (OAEP SHA-1/MGF1-SHA-1): the share key exchange.
 * C_WrapKey(public RSA key, AES key) returns "Rsa4096.<ct>.QQUAAAAA",
 * which Meeco stores as a share's encrypted_dek; C_UnwrapKey(private RSA
 * key, such a string) creates an AES key object.  C_Encrypt/C_Decrypt of
 * up to 470 bytes work the same way.  No parameter. */
#define CKM_MEECO_CRYPPO_RSA      (0x80000000UL | MEECO_VENDOR_BASE | 0x02)

/* Cryppo signatures: C_Sign with a private RSA key over at most 512 bytes
 * returns "Sign.Rsa4096.<sig>.<data>"; C_Verify(data, that string) checks
 * both the signature and that the embedded data equals data.  No parameter. */
#define CKM_MEECO_CRYPPO_SIGN     (0x80000000UL | MEECO_VENDOR_BASE | 0x03)

#endif /* MEECO_PKCS11_H */
