/* keystore/keystore.h - the Meeco key hierarchy of one account (one token).
 *
 *   (Secret Key, passphrase) --PBKDF2-SHA256 100000--> PDK   (never stored)
 *   PDK   wraps KEK      -> key_encryption_key          Aes256Gcm(PDK, KEK)
 *   SO PIN wraps KEK     -> account.so_wrapped_kek      Aes256Gcm...Pbkdf2Hmac
 *   KEK   wraps DEKs     -> data_encryption_keys[]      Aes256Gcm(KEK, DEK)
 *   KEK   wraps RSA PEM  -> keypairs[]                  Aes256Gcm(KEK, PEM)
 *
 * The user PIN is the Meeco passphrase.  The SO PIN wraps a recovery copy
 * of the KEK with the generic Cryppo Pbkdf2Hmac 5-part form.
 *
 * PKCS#11 mapping (done by pkcs11/, not here):
 *   C_InitToken(label, so)  -> ks_account_init_token
 *   C_Login(CKU_SO, so)     -> ks_account_login(KS_USER_SO, so)
 *   C_InitPIN(pin)          -> ks_account_init_pin            (SO logged in)
 *   C_Login(CKU_USER, pin)  -> ks_account_login(KS_USER_USER, pin)
 *   C_SetPIN(old, new)      -> ks_account_set_pin             (user or SO)
 *   C_Logout                -> ks_account_logout
 *
 * While a user or the SO is logged in, the KEK is held in a secbuf inside
 * the ks_account (wiped on logout/close).  Anything that needs the KEK
 * returns KS_ERR_NOT_LOGGED_IN otherwise.  A ks_account is NOT
 * thread-safe: one thread at a time (the token lock).  Do not use one
 * across fork(): the child opens its own.
 *
 * No PKCS#11 types here; status codes are ks_status.
 */
#ifndef KEYSTORE_KEYSTORE_H
#define KEYSTORE_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "secbuf.h"
#include "store.h"

#define KS_MUST_CHECK __attribute__((warn_unused_result))

/* External identifier of the identity keypair (Meeco SDK constant). */
#define KS_AUTH_EXTERNAL_ID "auth"
#define KS_KEY_LEN          32

typedef enum ks_status {
    KS_OK = 0,
    KS_ERR_ARGS, /* NULL pointer, empty PIN, bad length */
    KS_ERR_NOMEM,
    KS_ERR_STORE,               /* database error (see log) */
    KS_ERR_BUSY,                /* database locked by another process */
    KS_ERR_CRYPTO,              /* unexpected crypto failure */
    KS_ERR_NOT_INITIALIZED,     /* token has no account yet (C_InitToken) */
    KS_ERR_PIN_NOT_INITIALIZED, /* account has no user PIN (C_InitPIN) */
    KS_ERR_PIN_INCORRECT,       /* GCM auth failed: wrong user/SO PIN */
    KS_ERR_NOT_LOGGED_IN,       /* operation needs the KEK */
    KS_ERR_WRONG_USER,          /* e.g. init_pin while not SO */
    KS_ERR_NOT_FOUND,           /* no such key / keypair */
    KS_ERR_CORRUPT,             /* stored ciphertext does not decrypt under
                                   the KEK, or malformed record */
    KS_ERR_SECRET,              /* Secret Key missing or malformed */
    KS_ERR_UNSUPPORTED,         /* key type/size not supported */
    KS_STATUS_COUNT
} ks_status;

const char *ks_strerror(ks_status st);
/* Map a store status to a ks_status (KS_ERR_NOT_FOUND, KS_ERR_BUSY, ...). */
ks_status ks_status_from_store(store_status st);

typedef enum ks_user {
    KS_USER_NONE = 0,
    KS_USER_USER, /* logged in with the passphrase (user PIN) */
    KS_USER_SO,   /* logged in with the SO PIN */
} ks_user;

typedef enum ks_state {
    KS_STATE_EMPTY = 0,   /* no account: uninitialized token */
    KS_STATE_NO_USER_PIN, /* C_InitToken done, user PIN not set yet */
    KS_STATE_READY,       /* account complete: the user can log in */
} ks_state;

typedef struct ks_account ks_account;

/* ---- lifetime ------------------------------------------------------- */

/* Open the token store at db_path (created, empty, if missing). */
KS_MUST_CHECK ks_status ks_account_open(const char *db_path, ks_account **out);
/* Wipes the KEK and closes the store. */
void ks_account_close(ks_account *a);
/* The underlying store (borrowed; valid until ks_account_close). */
store *ks_account_store(ks_account *a);

/* Current state, re-read from the store (another process may have
 * initialized the token). */
KS_MUST_CHECK ks_status ks_account_state(ks_account *a, ks_state *state);
ks_user ks_account_user(const ks_account *a);

/* Copy of the account row (label, username, secret key, ids).  Caller
 * frees with store_account_clear.  KS_ERR_NOT_INITIALIZED if none. */
KS_MUST_CHECK ks_status ks_account_info(ks_account *a, store_account *out);

/* ---- creation (two-phase, PKCS#11 style) ----------------------------- */

/* Create the account skeleton: Secret Key "1.<username>.<key>"
 * (username NULL -> "local-<uuid>"), a random KEK wrapped under the SO
 * PIN, the private DEK and the RSA-4096 `auth` keypair (both under the
 * KEK).  The token is then KS_STATE_NO_USER_PIN and nobody is logged in.
 * On an already-initialized token the SO PIN must unwrap the stored
 * recovery KEK (else KS_ERR_PIN_INCORRECT) and everything is erased
 * first (re-initialization).  Takes ~1-3 s (RSA-4096 key generation). */
KS_MUST_CHECK ks_status ks_account_init_token(ks_account *a, const char *label,
                                              const char *so_pin,
                                              const char *username);

/* Needs an SO login: wraps the KEK under PDK(secret, user_pin) and stores
 * it as the key_encryption_key record (replacing any previous one: this
 * is also the SO reset of a forgotten passphrase).  State -> READY. */
KS_MUST_CHECK ks_status ks_account_init_pin(ks_account *a,
                                            const char *user_pin);

/* One-shot creation used by `meeco-token init`: init_token + SO login +
 * init_pin + logout.  *secret_out (may be NULL) receives a heap copy of
 * the Secret Key (free with secure_free(p, strlen(p) + 1)). */
KS_MUST_CHECK ks_status ks_account_create(ks_account *a, const char *label,
                                          const char *passphrase,
                                          const char *so_pin,
                                          const char *username,
                                          char **secret_out);

/* ---- login ---------------------------------------------------------- */

/* User: derive the PDK from the stored Secret Key (~50 ms) and unwrap
 * the KEK.  SO: unwrap the recovery KEK.  KS_ERR_PIN_INCORRECT when the
 * GCM tag does not verify.  Replaces any current login. */
KS_MUST_CHECK ks_status ks_account_login(ks_account *a, ks_user who,
                                         const char *pin);
/* A user login with a KEK obtained elsewhere (the remote backend gets it
 * from the Keystore during an online login, so the replica's copy need
 * not be unwrapped with a third PBKDF2).  Replaces any current login. */
KS_MUST_CHECK ks_status ks_account_adopt_kek(ks_account *a, const uint8_t *kek,
                                             size_t len);
/* Forget the KEK (wiped). */
void ks_account_logout(ks_account *a);

/* Change the PIN of the user currently logged in (KS_USER_USER changes
 * the passphrase: re-wraps the KEK under the new PDK; KS_USER_SO
 * re-wraps the recovery KEK).  old_pin is verified first
 * (KS_ERR_PIN_INCORRECT).  Nothing else changes. */
KS_MUST_CHECK ks_status ks_account_set_pin(ks_account *a, const char *old_pin,
                                           const char *new_pin);

/* A Secret Key for an account whose store holds none (a remote replica
 * that does not keep it).  When the store has one, the stored key wins
 * (a copy in the token config goes stale when the token is
 * re-initialized; a mismatch is logged).  Validated with
 * cryppo_secret_parse. */
KS_MUST_CHECK ks_status ks_account_set_secret(ks_account *a,
                                              const char *secret);

/* ---- the KEK and DEKs ------------------------------------------------ */

/* Copy of the KEK (32 bytes).  Needs login. */
KS_MUST_CHECK ks_status ks_kek_get(ks_account *a, secbuf *kek);
/* Id of the key_encryption_key record (CKA_ID of the KEK object). */
KS_MUST_CHECK ks_status ks_kek_id(ks_account *a, char **id);

/* New random DEK wrapped under the KEK.  *out (may be NULL) receives
 * the stored record (store_dek_clear). Needs login. */
KS_MUST_CHECK ks_status ks_dek_create(ks_account *a, const char *label,
                                      store_dek *out);
/* Store a given 32-byte key as a DEK (unwrap of a share DEK, C_CreateObject).
 */
KS_MUST_CHECK ks_status ks_dek_import(ks_account *a,
                                      const uint8_t key[KS_KEY_LEN],
                                      const char *label, store_dek *out);
/* Decrypt a stored DEK into a secbuf (32 bytes). Needs login. */
KS_MUST_CHECK ks_status ks_dek_unwrap(ks_account *a, const char *id,
                                      secbuf *key);
/* The account's private DEK (vault user.private_dek_external_id). */
KS_MUST_CHECK ks_status ks_private_dek_get(ks_account *a, secbuf *key);
KS_MUST_CHECK ks_status ks_dek_list(ks_account *a, store_dek **out, size_t *n);
/* KS_ERR_ARGS when asked to delete the private DEK. */
KS_MUST_CHECK ks_status ks_dek_delete(ks_account *a, const char *id);

/* ---- keypairs ------------------------------------------------------- */

/* Generate an RSA key pair (bits 2048..8192; Meeco uses 4096), store the
 * SPKI public PEM and Aes256Gcm(KEK, PKCS#1 private PEM).
 * external_ids: JSON array text or NULL ("[]").  Needs login. */
KS_MUST_CHECK ks_status ks_keypair_create(ks_account *a, int bits,
                                          const char *label,
                                          const char *external_ids,
                                          store_keypair *out);
/* Store an existing private key (RSA only for now). Needs login. */
KS_MUST_CHECK ks_status ks_keypair_import(ks_account *a, EVP_PKEY *priv,
                                          const char *label,
                                          const char *external_ids,
                                          store_keypair *out);
KS_MUST_CHECK ks_status ks_keypair_list(ks_account *a, store_keypair **out,
                                        size_t *n);
KS_MUST_CHECK ks_status ks_keypair_get(ks_account *a, const char *id,
                                       store_keypair *out);
KS_MUST_CHECK ks_status ks_keypair_get_by_external_id(ks_account *a,
                                                      const char *ext_id,
                                                      store_keypair *out);
/* Decrypted private PEM text (secbuf, NUL-terminated). Needs login. */
KS_MUST_CHECK ks_status ks_keypair_private_pem(ks_account *a, const char *id,
                                               secbuf *pem);
/* Decrypted private key as an EVP_PKEY (EVP_PKEY_free). Needs login. */
KS_MUST_CHECK ks_status ks_keypair_private_key(ks_account *a, const char *id,
                                               EVP_PKEY **out);
/* KS_ERR_ARGS when asked to delete the `auth` keypair. */
KS_MUST_CHECK ks_status ks_keypair_delete(ks_account *a, const char *id);

/* Export of the stored ciphertext as JSON: see keystore/ks_export.h (kept
 * apart so that this header does not pull in cJSON). */

#endif /* KEYSTORE_KEYSTORE_H */
