/* pkcs11/backend/local.h - the pieces of the local backend that the
 * remote backend reuses: a remote token's replica is the same SQLite
 * schema, read the same way (remote.c embeds a `local` as its first
 * member and calls these functions with its lock held).
 */
#ifndef PKCS11_BACKEND_LOCAL_H
#define PKCS11_BACKEND_LOCAL_H

#include "backend.h"
#include "keystore.h"

typedef struct local {
    ks_account *a;
    bool read_only;
    unsigned data_version;   /* last store data_version seen */
    uint64_t version_at_ns;  /* when (CLOCK_MONOTONIC), 0 = never */
} local;

/* The Secret Key from the configuration: inline, or the first line of
 * secret_key_file.  out stays empty when neither is set. */
CK_RV p11_local_configured_secret(const config_token *tok, secbuf *out);
/* 16 hex digits taken from the username, zero-padded. */
void p11_local_serial_from(const char *username, char serial[17]);

/* Store rows as backend records (secrets need a login). */
CK_RV p11_local_dek_record(local *l, const store_dek *d,
                           const char *private_id, bool secrets,
                           p11_bk_record *r);
CK_RV p11_local_keypair_record(local *l, const store_keypair *k, bool secrets,
                               p11_bk_record *r);
CK_RV p11_local_slot_record(local *l, const store_slot *s,
                            const store_item *it, bool secrets,
                            p11_bk_record *r);
/* Aes256Gcm(KEK, data) into *out (malloc'd); needs a login. */
CK_RV p11_local_kek_wrap(local *l, const uint8_t *data, size_t len,
                         char **out);
/* CKR_OK when the Vault keeps the name unchanged ([a-z0-9_]). */
CK_RV p11_local_exact_name(const char *name);

/* Backend ops that work on any `local` (ctx points at one). */
CK_RV p11_local_list(void *ctx, bool with_private, p11_bk_record **out,
                     size_t *n);
CK_RV p11_local_set_label(void *ctx, p11_bk_kind kind, const char *id,
                          const char *label);
CK_RV p11_local_destroy(void *ctx, p11_bk_kind kind, const char *id);
CK_RV p11_local_object_create(void *ctx, const char *label,
                              const uint8_t *blob, size_t len,
                              const uint8_t *secret, size_t slen,
                              p11_bk_record *out);
CK_RV p11_local_object_update(void *ctx, const char *id, const char *label,
                              const uint8_t *blob, size_t len);

#endif /* PKCS11_BACKEND_LOCAL_H */
