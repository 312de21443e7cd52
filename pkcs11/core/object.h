/* pkcs11/core/object.h - one PKCS#11 object: its attributes and, for keys,
 * the key material the mechanisms need.
 *
 * Objects are plain data; the object table (objtable.h) owns them and the
 * token lock protects them.  Key material never appears as an attribute:
 * secret keys keep their bytes in `secret`, asymmetric keys an EVP_PKEY.
 * CKA_VALUE of a secret key is served from `secret` when (and only when)
 * the key is neither sensitive nor unextractable.
 */
#ifndef PKCS11_CORE_OBJECT_H
#define PKCS11_CORE_OBJECT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/types.h>

#include "cryptoki.h"
#include "secbuf.h"

typedef struct p11_attrval {
    CK_ATTRIBUTE_TYPE type;
    CK_ULONG len;
    unsigned char *value; /* malloc'd, NULL when len == 0 */
} p11_attrval;

typedef struct p11_object {
    CK_OBJECT_HANDLE handle;
    CK_OBJECT_CLASS cls;
    CK_BBOOL token;
    CK_BBOOL priv;
    CK_SLOT_ID slot;         /* the token it belongs to */
    CK_SESSION_HANDLE owner; /* session objects: creating session */
    char *store_key;         /* token objects: "<kind>:<store id>" */
    p11_attrval *attrs;
    size_t n_attrs;
    size_t cap_attrs;
    secbuf secret;           /* secret key bytes */
    EVP_PKEY *pkey;          /* RSA/EC key (private key objects: private) */
    unsigned epoch;          /* token objects: last backend listing seen in */
} p11_object;

p11_object *p11_object_new(CK_OBJECT_CLASS cls);
void p11_object_free(p11_object *o);
/* Deep copy without the handle, owner and store key. */
p11_object *p11_object_dup(const p11_object *o);

/* Set (add or replace) one attribute; keeps cls/token/priv in sync. */
CK_RV p11_object_set(p11_object *o, CK_ATTRIBUTE_TYPE type, const void *v,
                     CK_ULONG len);
CK_RV p11_object_set_bool(p11_object *o, CK_ATTRIBUTE_TYPE type, CK_BBOOL v);
CK_RV p11_object_set_ulong(p11_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG v);
CK_RV p11_object_set_str(p11_object *o, CK_ATTRIBUTE_TYPE type,
                         const char *s);
/* Move an attribute's bytes into *out (wiped buffer) and remove it. */
CK_RV p11_object_take(p11_object *o, CK_ATTRIBUTE_TYPE type, secbuf *out);
const p11_attrval *p11_object_get(const p11_object *o, CK_ATTRIBUTE_TYPE type);
/* CK_FALSE when absent. */
CK_BBOOL p11_object_bool(const p11_object *o, CK_ATTRIBUTE_TYPE type);
/* dflt when absent. */
CK_ULONG p11_object_ulong(const p11_object *o, CK_ATTRIBUTE_TYPE type,
                          CK_ULONG dflt);

/* C_GetAttributeValue on one object, exactly per spec 5.7 (every entry
 * processed; unavailable entries get CK_UNAVAILABLE_INFORMATION). */
CK_RV p11_object_read(const p11_object *o, CK_ATTRIBUTE *t, CK_ULONG n);
/* Does every attribute of the template equal the object's? */
bool p11_object_match(const p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n);
/* Approximate memory size (C_GetObjectSize). */
CK_ULONG p11_object_size(const p11_object *o);

#endif /* PKCS11_CORE_OBJECT_H */
