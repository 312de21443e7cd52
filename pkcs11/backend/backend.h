/* pkcs11/backend/backend.h - the seam between the token core and an
 * account: one ops table, chosen per token from the configuration.
 *
 *   local   (local.c)   the account lives in the token's SQLite file
 *   remote  (remote.c)  the same file as a replica of a Meeco Keystore
 *                       and Vault reached over HTTPS (remote/)
 *
 * The backend speaks in records that mirror the Meeco model (a KEK, a
 * DEK, a keypair, a vault slot); the core turns them into PKCS#11
 * objects (core/meeco_map.c).  Every op returns CK_RV, mapped from the
 * lower layers' statuses in errors.c.
 *
 * Locking: a backend without `blocking` is called with the token lock
 * held, by one thread at a time.  A `blocking` backend (one that waits
 * on the network) is thread-safe on its own: the core releases the
 * token lock around login and the write ops (dek_create, keypair_create,
 * slot_create, set_label, slot_set_value, slot_set_label, destroy; see
 * core/blocking.h), so several of them may run at once, concurrently
 * with the other ops, which the core still calls with the lock held.
 * Such a backend must never wait on the network inside those other ops
 * (list, status, logout, object_*).
 */
#ifndef PKCS11_BACKEND_BACKEND_H
#define PKCS11_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "config.h"
#include "cryptoki.h"
#include "secbuf.h"

typedef enum p11_bk_kind {
    P11_BK_KEK,
    P11_BK_DEK,
    P11_BK_KEYPAIR,
    P11_BK_SLOT,
    P11_BK_OBJECT, /* token-only object: encoded attributes (objcodec.h) */
} p11_bk_kind;

/* One account object.  Strings are malloc'd (NULL when absent); secrets
 * (value, priv) are filled only while a user is logged in. */
typedef struct p11_bk_record {
    p11_bk_kind kind;
    char *id;            /* store UUID (36 chars) */
    char *label;         /* keys: label; keypairs: label or first
                            external identifier; slots: the slot name */
    char *wrapped;       /* keys: stored wrapped form; slots: encrypted_value */
    bool undeletable;    /* the private DEK, the `auth` keypair */
    EVP_PKEY *pub;       /* keypairs: public key */
    EVP_PKEY *priv;      /* keypairs: private key (logged in) */
    char *item_id;       /* slots */
    char *item_name;
    char *item_label;
    char *slot_label;
    char *slot_type;
    char *template_name;
    secbuf value;        /* KEK/DEK bytes, slot plaintext, an object's
                            key material (logged in) */
    bool has_value;
    uint8_t *blob;       /* objects: the encoded attributes */
    size_t blob_len;
    uint8_t *ck_id;      /* keypairs: the CKA_ID asked for at creation
                            (kept in the keypair's metadata), else NULL:
                            the core derives one from id */
    size_t ck_id_len;
} p11_bk_record;

void p11_bk_record_clear(p11_bk_record *r);
void p11_bk_records_free(p11_bk_record *r, size_t n);

typedef struct p11_bk_status {
    bool initialized;       /* C_InitToken done */
    bool user_pin_set;      /* C_InitPIN done */
    bool write_protected;
    char label[33];         /* NUL-terminated, <= 32 bytes */
    char serial[17];        /* 16 characters */
} p11_bk_status;

/* What a new vault slot (C_CreateObject of CKO_DATA) carries. */
typedef struct p11_bk_slot_spec {
    const char *item_name;     /* CKA_APPLICATION (item found or created) */
    const char *name;          /* CKA_LABEL */
    const char *label;         /* CKA_MEECO_SLOT_LABEL or NULL */
    const char *slot_type;     /* CKA_MEECO_SLOT_TYPE or NULL */
    const char *template_name; /* CKA_MEECO_TEMPLATE or NULL */
    const uint8_t *value;
    size_t len;
} p11_bk_slot_spec;

typedef struct p11_backend_ops {
    const char *name;
    bool blocking; /* may wait on the network: see "Locking" above */
    CK_RV (*open)(const config *cfg, const config_token *tok, void **ctx);
    void (*close)(void *ctx);
    /* In a child after fork(): release memory, touch no connection. */
    void (*abandon)(void *ctx);
    CK_RV (*status)(void *ctx, p11_bk_status *st);

    CK_RV (*init_token)(void *ctx, const char *label, const char *so_pin);
    CK_RV (*login)(void *ctx, CK_USER_TYPE who, const char *pin);
    void (*logout)(void *ctx);
    CK_RV (*init_pin)(void *ctx, const char *pin);
    CK_RV (*set_pin)(void *ctx, const char *old_pin, const char *new_pin);

    /* Every record; secrets only if with_secrets (needs a user login). */
    CK_RV (*list)(void *ctx, bool with_secrets, p11_bk_record **out,
                  size_t *n);
    /* New DEK from key (NULL: random), new keypair from priv, new slot.
     * *out receives the stored record, secrets included. */
    CK_RV (*dek_create)(void *ctx, const uint8_t *key, size_t len,
                        const char *label, p11_bk_record *out);
    CK_RV (*keypair_create)(void *ctx, EVP_PKEY *priv, const char *label,
                            const uint8_t *ck_id, size_t ck_id_len,
                            p11_bk_record *out);
    CK_RV (*slot_create)(void *ctx, const p11_bk_slot_spec *spec,
                         p11_bk_record *out);
    /* Changes: label of a key (kind DEK/KEYPAIR), value or human label of
     * a slot.  CKR_ATTRIBUTE_READ_ONLY for what the account cannot hold. */
    CK_RV (*set_label)(void *ctx, p11_bk_kind kind, const char *id,
                       const char *label);
    CK_RV (*slot_set_value)(void *ctx, const char *id, const uint8_t *v,
                            size_t len);
    CK_RV (*slot_set_label)(void *ctx, const char *id, const char *label);
    CK_RV (*destroy)(void *ctx, p11_bk_kind kind, const char *id);
    /* Token-only objects: the encoded attributes as given, the key
     * material (may be NULL) wrapped under the KEK. */
    CK_RV (*object_create)(void *ctx, const char *label, const uint8_t *blob,
                           size_t len, const uint8_t *secret, size_t slen,
                           p11_bk_record *out);
    /* New attributes (and label) of an object; its key material stays. */
    CK_RV (*object_update)(void *ctx, const char *id, const char *label,
                           const uint8_t *blob, size_t len);
    /* Optional: a number that changes whenever the records changed
     * behind the core's back (a background refresh); the core then
     * lists again (object handles stay the same for the same ids). */
    unsigned (*generation)(void *ctx);
} p11_backend_ops;

extern const p11_backend_ops p11_backend_local;
extern const p11_backend_ops p11_backend_remote;

/* The ops for a configured backend, or NULL if not built in. */
const p11_backend_ops *p11_backend_find(config_backend which);

#endif /* PKCS11_BACKEND_BACKEND_H */
