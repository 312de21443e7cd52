/* keystore/internal.h - shared by the .c files of keystore/ only. */
#ifndef KEYSTORE_INTERNAL_H
#define KEYSTORE_INTERNAL_H

#include "keystore.h"

struct ks_account {
    store *st;
    ks_user user;       /* who is logged in */
    secbuf kek;         /* 32 bytes while logged in, else empty */
    secbuf private_dek; /* cached after first use while logged in */
    char *secret;       /* Secret Key given with ks_account_set_secret */
};

/* Map a cryppo status of an unwrap: DECRYPT -> wrong_key_status,
 * everything else -> KS_ERR_CORRUPT (or NOMEM). */
ks_status ks_from_cryppo_unwrap(int cryppo_st, ks_status wrong_key_status);
/* Map a cryppo status of an encryption / key generation. */
ks_status ks_from_cryppo(int cryppo_st);

/* KS_ERR_NOT_LOGGED_IN unless a KEK is held. */
ks_status ks_require_kek(const ks_account *a);

/* Unwrap the KEK with the user PIN (passphrase) or the SO PIN into a
 * new secbuf, without changing the login state. */
ks_status ks_unwrap_kek(ks_account *a, ks_user who, const char *pin,
                        secbuf *kek);

/* Encrypt under the held KEK: Aes256Gcm(KEK, data). */
ks_status ks_kek_wrap(ks_account *a, const uint8_t *data, size_t len,
                      char **serialized);
/* Decrypt under the held KEK; failure = KS_ERR_CORRUPT. */
ks_status ks_kek_unwrap(ks_account *a, const char *serialized, secbuf *out);

#endif /* KEYSTORE_INTERNAL_H */
