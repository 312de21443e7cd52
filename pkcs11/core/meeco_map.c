/* pkcs11/core/meeco_map.c - records -> objects (see docs/OBJECTS.md). */
#include "hex.h"
#include "meeco_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mech.h"
#include "mech_attr.h"
#include "objcodec.h"
#include "objtable.h"

void p11_map_store_key(CK_SLOT_ID slot, const char *kind, const char *id,
                       char *buf, size_t len)
{
    snprintf(buf, len, "%lu:%s:%s", (unsigned long)slot, kind, id);
}

static const struct {
    const char *tag;
    p11_bk_kind kind;
} kinds[] = {
    {"kek", P11_BK_KEK},     {"dek", P11_BK_DEK}, {"priv", P11_BK_KEYPAIR},
    {"pub", P11_BK_KEYPAIR}, {"slot", P11_BK_SLOT}, {"obj", P11_BK_OBJECT},
};

bool p11_map_identity(const char *store_key, p11_bk_kind *kind,
                      const char **id)
{
    const char *p = store_key != NULL ? strchr(store_key, ':') : NULL;
    if (p == NULL)
        return false;
    const char *q = strchr(p + 1, ':');
    if (q == NULL)
        return false;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t n = strlen(kinds[i].tag);
        if ((size_t)(q - p - 1) == n && strncmp(p + 1, kinds[i].tag, n) == 0) {
            *kind = kinds[i].kind;
            *id = q + 1;
            return true;
        }
    }
    return false;
}

/* CKA_ID = the 16 bytes of the UUID (stable, short: NSS and libp11 like
 * it).  Anything that is not a UUID gives its first 16 bytes. */
static CK_RV set_id(p11_object *o, const char *uuid)
{
    unsigned char id[16] = {0};
    size_t n = 0;
    for (const char *p = uuid; *p && n < 32; p++) {
        if (*p == '-')
            continue;
        int v = hex_digit(*p);
        if (v < 0)
            return p11_object_set(o, CKA_ID, uuid,
                                  strlen(uuid) > 16 ? 16 : strlen(uuid));
        id[n / 2] = (unsigned char)(id[n / 2] | (v << ((n % 2) ? 0 : 4)));
        n++;
    }
    return p11_object_set(o, CKA_ID, id, sizeof(id));
}

struct battr {
    CK_ATTRIBUTE_TYPE type;
    CK_BBOOL value;
};

static CK_RV set_bools(p11_object *o, const struct battr *b, size_t n)
{
    CK_RV rv = CKR_OK;
    for (size_t i = 0; rv == CKR_OK && i < n; i++)
        rv = p11_object_set_bool(o, b[i].type, b[i].value);
    return rv;
}

static CK_RV storage_attrs(p11_object *o, const p11_bk_record *r,
                           CK_BBOOL priv, CK_BBOOL copyable)
{
    const struct battr b[] = {
        {CKA_TOKEN, CK_TRUE},
        {CKA_PRIVATE, priv},
        {CKA_MODIFIABLE, CK_TRUE},
        {CKA_COPYABLE, copyable},
        {CKA_DESTROYABLE, r->undeletable ? CK_FALSE : CK_TRUE},
    };
    CK_RV rv = set_bools(o, b, sizeof(b) / sizeof(b[0]));
    if (rv == CKR_OK)
        rv = p11_object_set_str(o, CKA_LABEL, r->label != NULL ? r->label : "");
    return rv;
}

static CK_RV key_common(p11_object *o, const p11_bk_record *r,
                        CK_KEY_TYPE type, CK_MECHANISM_TYPE gen)
{
    CK_RV rv = p11_object_set_ulong(o, CKA_KEY_TYPE, type);
    if (rv == CKR_OK)
        rv = r->ck_id != NULL ? p11_object_set(o, CKA_ID, r->ck_id, r->ck_id_len)
                              : set_id(o, r->id);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_START_DATE, NULL, 0);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_END_DATE, NULL, 0);
    if (rv == CKR_OK)
        rv = p11_object_set_ulong(o, CKA_KEY_GEN_MECHANISM, gen);
    if (rv == CKR_OK)
        rv = p11_object_set_str(o, CKA_MEECO_WRAPPED_KEY,
                                r->wrapped != NULL ? r->wrapped : "");
    return rv;
}

static CK_RV secret_key(p11_object *o, const p11_bk_record *r)
{
    bool kek = r->kind == P11_BK_KEK;
    const struct battr b[] = {
        {CKA_SENSITIVE, CK_TRUE},      {CKA_ALWAYS_SENSITIVE, CK_TRUE},
        {CKA_EXTRACTABLE, !kek},       {CKA_NEVER_EXTRACTABLE, kek},
        {CKA_ENCRYPT, !kek},           {CKA_DECRYPT, !kek},
        {CKA_WRAP, CK_TRUE},           {CKA_UNWRAP, kek},
        {CKA_SIGN, CK_FALSE},          {CKA_VERIFY, CK_FALSE},
        {CKA_DERIVE, CK_FALSE},        {CKA_LOCAL, CK_TRUE},
        {CKA_TRUSTED, kek},            {CKA_WRAP_WITH_TRUSTED, CK_FALSE},
    };
    CK_RV rv = storage_attrs(o, r, CK_TRUE, CK_FALSE);
    if (rv == CKR_OK)
        rv = key_common(o, r, CKK_AES, CKM_AES_KEY_GEN);
    if (rv == CKR_OK)
        rv = set_bools(o, b, sizeof(b) / sizeof(b[0]));
    if (rv == CKR_OK)
        rv = p11_object_set_ulong(o, CKA_VALUE_LEN, 32);
    if (rv == CKR_OK)
        rv = p11_object_set_str(o, CKA_MEECO_KEY_ROLE, kek ? "kek" : "dek");
    if (rv == CKR_OK && r->has_value &&
        secbuf_dup(&o->secret, r->value.p, r->value.len) != 0)
        rv = CKR_HOST_MEMORY;
    return rv;
}

CK_RV p11_map_key_attrs(p11_object *o, EVP_PKEY *pkey)
{
    secbuf b = {0};
    CK_ULONG bits = 0;
    CK_RV rv = mech_attr_spki(pkey, &b);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_PUBLIC_KEY_INFO, b.p, (CK_ULONG)b.len);
    secbuf_free(&b);
    if (rv != CKR_OK || mech_attr_key_type(pkey) != CKK_RSA) {
        if (rv == CKR_OK && mech_attr_key_type(pkey) == CKK_EC) {
            rv = mech_attr_ec_params(pkey, &b);
            if (rv == CKR_OK)
                rv = p11_object_set(o, CKA_EC_PARAMS, b.p, (CK_ULONG)b.len);
            secbuf_free(&b);
            if (rv == CKR_OK && o->cls == CKO_PUBLIC_KEY)
                rv = mech_attr_ec_point(pkey, &b);
            if (rv == CKR_OK && b.p != NULL)
                rv = p11_object_set(o, CKA_EC_POINT, b.p, (CK_ULONG)b.len);
            secbuf_free(&b);
        }
        return rv;
    }
    rv = mech_attr_rsa_modulus(pkey, &b);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_MODULUS, b.p, (CK_ULONG)b.len);
    secbuf_free(&b);
    if (rv == CKR_OK)
        rv = mech_attr_rsa_public_exponent(pkey, &b);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_PUBLIC_EXPONENT, b.p, (CK_ULONG)b.len);
    secbuf_free(&b);
    if (rv == CKR_OK)
        rv = mech_attr_key_bits(pkey, &bits);
    if (rv == CKR_OK)
        rv = p11_object_set_ulong(o, CKA_MODULUS_BITS, bits);
    return rv;
}

static CK_RV private_key(p11_object *o, const p11_bk_record *r)
{
    const struct battr b[] = {
        {CKA_SENSITIVE, CK_TRUE},      {CKA_ALWAYS_SENSITIVE, CK_TRUE},
        {CKA_EXTRACTABLE, CK_FALSE},   {CKA_NEVER_EXTRACTABLE, CK_TRUE},
        {CKA_DECRYPT, CK_TRUE},        {CKA_SIGN, CK_TRUE},
        {CKA_SIGN_RECOVER, CK_FALSE},  {CKA_UNWRAP, CK_TRUE},
        {CKA_DERIVE, CK_FALSE},        {CKA_LOCAL, CK_TRUE},
        {CKA_WRAP_WITH_TRUSTED, CK_FALSE},
        {CKA_ALWAYS_AUTHENTICATE, CK_FALSE},
    };
    CK_RV rv = storage_attrs(o, r, CK_TRUE, CK_FALSE);
    if (rv == CKR_OK)
        rv = key_common(o, r, CKK_RSA, CKM_RSA_PKCS_KEY_PAIR_GEN);
    if (rv == CKR_OK)
        rv = set_bools(o, b, sizeof(b) / sizeof(b[0]));
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_SUBJECT, NULL, 0);
    if (rv == CKR_OK)
        rv = p11_object_set_str(o, CKA_MEECO_KEY_ROLE, "keypair");
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(o, r->pub);
    if (rv == CKR_OK && r->priv != NULL) {
        EVP_PKEY_up_ref(r->priv);
        o->pkey = r->priv;
    }
    return rv;
}

static CK_RV public_key(p11_object *o, const p11_bk_record *r)
{
    const struct battr b[] = {
        {CKA_ENCRYPT, CK_TRUE},         {CKA_VERIFY, CK_TRUE},
        {CKA_VERIFY_RECOVER, CK_FALSE}, {CKA_WRAP, CK_TRUE},
        {CKA_DERIVE, CK_FALSE},         {CKA_LOCAL, CK_TRUE},
        {CKA_TRUSTED, CK_FALSE},
    };
    CK_RV rv = storage_attrs(o, r, CK_FALSE, CK_TRUE);
    if (rv == CKR_OK)
        rv = key_common(o, r, CKK_RSA, CKM_RSA_PKCS_KEY_PAIR_GEN);
    if (rv == CKR_OK)
        rv = set_bools(o, b, sizeof(b) / sizeof(b[0]));
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_SUBJECT, NULL, 0);
    if (rv == CKR_OK)
        rv = p11_object_set_str(o, CKA_MEECO_KEY_ROLE, "keypair");
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(o, r->pub);
    if (rv == CKR_OK) {
        EVP_PKEY_up_ref(r->pub);
        o->pkey = r->pub;
    }
    return rv;
}

static CK_RV str_attr(p11_object *o, CK_ATTRIBUTE_TYPE t, const char *s)
{
    return p11_object_set_str(o, t, s != NULL ? s : "");
}

static CK_RV data_object(p11_object *o, const p11_bk_record *r)
{
    CK_RV rv = storage_attrs(o, r, CK_TRUE, CK_TRUE);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_APPLICATION, r->item_name);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_OBJECT_ID, NULL, 0);
    if (rv == CKR_OK)
        rv = p11_object_set(o, CKA_VALUE, r->value.p, (CK_ULONG)r->value.len);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_ITEM_ID, r->item_id);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_SLOT_ID, r->id);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_SLOT_LABEL, r->slot_label);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_SLOT_TYPE, r->slot_type);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_TEMPLATE, r->template_name);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_ENCRYPTED_VALUE, r->wrapped);
    if (rv == CKR_OK)
        rv = str_attr(o, CKA_MEECO_ITEM_LABEL, r->item_label);
    return rv;
}

/* A token-only object: its encoded attributes, and its key material
 * (logged in) as the key it is. */
static CK_RV token_object(p11_object *o, const p11_bk_record *r)
{
    CK_RV rv = p11_codec_decode(r->blob, r->blob_len, o);
    const p11_attrval *spki = p11_object_get(o, CKA_PUBLIC_KEY_INFO);
    if (rv != CKR_OK)
        return rv;
    if (o->cls == CKO_SECRET_KEY && r->has_value)
        return secbuf_dup(&o->secret, r->value.p, r->value.len) == 0
                   ? CKR_OK
                   : CKR_HOST_MEMORY;
    if (o->cls == CKO_PRIVATE_KEY && r->has_value)
        return mech_attr_private_from_pkcs8(r->value.p, r->value.len,
                                            &o->pkey);
    if (o->cls == CKO_PUBLIC_KEY && spki != NULL && spki->len > 0)
        return mech_attr_public_from_spki(spki->value, spki->len, &o->pkey);
    return CKR_OK;
}

/* Build one object with `fill` and put it under <slot>:<tag>:<id>. */
static CK_RV put(p11_token *t, const p11_bk_record *r, CK_OBJECT_CLASS cls,
                 const char *tag, CK_RV (*fill)(p11_object *,
                                                const p11_bk_record *),
                 CK_OBJECT_HANDLE *h)
{
    char key[96];
    p11_object *o = p11_object_new(cls);
    if (o == NULL)
        return CKR_HOST_MEMORY;
    p11_map_store_key(t->slot, tag, r->id, key, sizeof(key));
    o->slot = t->slot;
    o->epoch = t->epoch;
    o->store_key = strdup(key);
    CK_RV rv = o->store_key != NULL ? fill(o, r) : CKR_HOST_MEMORY;
    if (rv != CKR_OK || (o->priv && t->user != CKU_USER)) {
        p11_object_free(o); /* a private object stays unloaded */
        return rv;
    }
    return p11_objects_put_token_locked(o, h);
}

CK_RV p11_map_record_locked(p11_token *t, const p11_bk_record *r,
                            CK_OBJECT_HANDLE *h)
{
    CK_RV rv;
    switch (r->kind) {
    case P11_BK_KEK:
        return put(t, r, CKO_SECRET_KEY, "kek", secret_key, h);
    case P11_BK_DEK:
        return put(t, r, CKO_SECRET_KEY, "dek", secret_key, h);
    case P11_BK_SLOT:
        return put(t, r, CKO_DATA, "slot", data_object, h);
    case P11_BK_OBJECT:
        return put(t, r, CKO_DATA, "obj", token_object, h);
    case P11_BK_KEYPAIR:
        rv = put(t, r, CKO_PUBLIC_KEY, "pub", public_key, NULL);
        if (rv == CKR_OK && (r->priv != NULL || t->user == CKU_USER))
            rv = put(t, r, CKO_PRIVATE_KEY, "priv", private_key, h);
        return rv;
    }
    return CKR_GENERAL_ERROR;
}

CK_OBJECT_HANDLE p11_map_public_handle_locked(p11_token *t, const char *id)
{
    char key[96];
    p11_map_store_key(t->slot, "pub", id, key, sizeof(key));
    return p11_objects_handle_of_locked(key);
}
