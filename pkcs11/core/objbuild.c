/* pkcs11/core/objbuild.c - class defaults and template checks. */
#include "objbuild.h"

#include <string.h>

#include "attr.h"

/* Defaults per class (base spec 4.4-4.10; token-specific defaults chosen
 * here: private data/secret/private keys, sensitive keys).  A class row
 * also says which attributes the class has at all. */
struct dflt {
    CK_ATTRIBUTE_TYPE type;
    int kind; /* 0 bool, 1 ulong, 2 empty bytes */
    CK_ULONG value;
};

#define B(t, v) {t, 0, v}
#define U(t, v) {t, 1, v}
#define E(t) {t, 2, 0}

static const struct dflt storage[] = {
    B(CKA_TOKEN, CK_FALSE),     B(CKA_MODIFIABLE, CK_TRUE),
    B(CKA_COPYABLE, CK_TRUE),   B(CKA_DESTROYABLE, CK_TRUE),
    E(CKA_LABEL),
};
static const struct dflt data[] = {
    B(CKA_PRIVATE, CK_TRUE), E(CKA_APPLICATION), E(CKA_OBJECT_ID),
    E(CKA_VALUE),
};
static const struct dflt key[] = {
    E(CKA_ID), E(CKA_START_DATE), E(CKA_END_DATE), B(CKA_DERIVE, CK_FALSE),
    B(CKA_LOCAL, CK_FALSE),
    U(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION),
};
static const struct dflt secret[] = {
    B(CKA_PRIVATE, CK_TRUE),        B(CKA_SENSITIVE, CK_TRUE),
    B(CKA_ENCRYPT, CK_TRUE),        B(CKA_DECRYPT, CK_TRUE),
    B(CKA_SIGN, CK_FALSE),          B(CKA_VERIFY, CK_FALSE),
    B(CKA_WRAP, CK_TRUE),           B(CKA_UNWRAP, CK_TRUE),
    B(CKA_EXTRACTABLE, CK_TRUE),    B(CKA_TRUSTED, CK_FALSE),
    B(CKA_WRAP_WITH_TRUSTED, CK_FALSE), U(CKA_VALUE_LEN, 0),
    B(CKA_ALWAYS_SENSITIVE, CK_FALSE), B(CKA_NEVER_EXTRACTABLE, CK_FALSE),
};
static const struct dflt public[] = {
    B(CKA_PRIVATE, CK_FALSE),       E(CKA_SUBJECT),
    B(CKA_ENCRYPT, CK_TRUE),        B(CKA_VERIFY, CK_TRUE),
    B(CKA_VERIFY_RECOVER, CK_FALSE), B(CKA_WRAP, CK_TRUE),
    B(CKA_TRUSTED, CK_FALSE),
};
static const struct dflt private[] = {
    B(CKA_PRIVATE, CK_TRUE),        E(CKA_SUBJECT),
    B(CKA_SENSITIVE, CK_TRUE),      B(CKA_DECRYPT, CK_TRUE),
    B(CKA_SIGN, CK_TRUE),           B(CKA_SIGN_RECOVER, CK_FALSE),
    B(CKA_UNWRAP, CK_TRUE),         B(CKA_EXTRACTABLE, CK_FALSE),
    B(CKA_WRAP_WITH_TRUSTED, CK_FALSE), B(CKA_ALWAYS_AUTHENTICATE, CK_FALSE),
    B(CKA_ALWAYS_SENSITIVE, CK_FALSE), B(CKA_NEVER_EXTRACTABLE, CK_FALSE),
};
static const struct dflt cert[] = {
    B(CKA_PRIVATE, CK_FALSE), U(CKA_CERTIFICATE_TYPE, CKC_X_509),
    B(CKA_TRUSTED, CK_FALSE), U(CKA_CERTIFICATE_CATEGORY, 0), E(CKA_SUBJECT),
    E(CKA_ID), E(CKA_ISSUER), E(CKA_SERIAL_NUMBER), E(CKA_VALUE),
    E(CKA_START_DATE), E(CKA_END_DATE),
};

#undef B
#undef U
#undef E

/* Attributes a class has beyond its defaults (set only by the caller or
 * by the token). */
static const CK_ATTRIBUTE_TYPE rsa_extra[] = {
    CKA_MODULUS, CKA_MODULUS_BITS, CKA_PUBLIC_EXPONENT, CKA_PUBLIC_KEY_INFO,
    CKA_EC_PARAMS, CKA_EC_POINT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
    CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2, CKA_COEFFICIENT,
    CKA_KEY_TYPE, CKA_VALUE,
};

static CK_RV apply_defaults(p11_object *o, const struct dflt *d, size_t n)
{
    CK_RV rv = CKR_OK;
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        if (d[i].kind == 0)
            rv = p11_object_set_bool(o, d[i].type, (CK_BBOOL)d[i].value);
        else if (d[i].kind == 1)
            rv = p11_object_set_ulong(o, d[i].type, d[i].value);
        else
            rv = p11_object_set(o, d[i].type, NULL, 0);
    }
    return rv;
}

#define DEFAULTS(o, tbl) apply_defaults(o, tbl, sizeof(tbl) / sizeof(tbl[0]))

static CK_RV class_defaults(p11_object *o, CK_OBJECT_CLASS cls)
{
    CK_RV rv = DEFAULTS(o, storage);
    if (rv != CKR_OK)
        return rv;
    switch (cls) {
    case CKO_DATA:
        return DEFAULTS(o, data);
    case CKO_CERTIFICATE:
        return DEFAULTS(o, cert);
    case CKO_SECRET_KEY:
        rv = DEFAULTS(o, key);
        return rv == CKR_OK ? DEFAULTS(o, secret) : rv;
    case CKO_PUBLIC_KEY:
        rv = DEFAULTS(o, key);
        return rv == CKR_OK ? DEFAULTS(o, public) : rv;
    case CKO_PRIVATE_KEY:
        rv = DEFAULTS(o, key);
        return rv == CKR_OK ? DEFAULTS(o, private) : rv;
    default:
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
}

/* Vault slot attributes of data objects (include/meeco-pkcs11.h). */
static const CK_ATTRIBUTE_TYPE data_extra[] = {
    CKA_MEECO_ITEM_ID,    CKA_MEECO_SLOT_ID,         CKA_MEECO_SLOT_LABEL,
    CKA_MEECO_SLOT_TYPE,  CKA_MEECO_TEMPLATE,        CKA_MEECO_ENCRYPTED_VALUE,
    CKA_MEECO_ITEM_LABEL,
};

static bool listed(const CK_ATTRIBUTE_TYPE *l, size_t n, CK_ATTRIBUTE_TYPE t)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == t)
            return true;
    return false;
}

static bool class_has(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    if (type == CKA_CLASS || p11_object_get(o, type) != NULL)
        return true;
    if (o->cls == CKO_DATA)
        return listed(data_extra, sizeof(data_extra) / sizeof(data_extra[0]),
                      type);
    if (o->cls != CKO_PUBLIC_KEY && o->cls != CKO_PRIVATE_KEY &&
        o->cls != CKO_SECRET_KEY)
        return false;
    return listed(rsa_extra, sizeof(rsa_extra) / sizeof(rsa_extra[0]), type);
}

static CK_RV class_of(CK_OBJECT_CLASS want, const CK_ATTRIBUTE *t, CK_ULONG n,
                      CK_OBJECT_CLASS *cls)
{
    bool present = false;
    CK_ULONG c = 0;
    CK_RV rv = p11_tmpl_ulong(t, n, CKA_CLASS, &c, &present);
    if (rv != CKR_OK)
        return rv;
    if (!present && want == CK_UNAVAILABLE_INFORMATION)
        return CKR_TEMPLATE_INCOMPLETE;
    if (present && want != CK_UNAVAILABLE_INFORMATION && c != want)
        return CKR_TEMPLATE_INCONSISTENT;
    *cls = present ? c : want;
    return CKR_OK;
}

static CK_RV check_entry(const p11_object *o, p11_build_op op,
                         const CK_ATTRIBUTE *a)
{
    CK_RV rv = p11_attr_check(a);
    if (rv != CKR_OK)
        return rv;
    if (!class_has(o, a->type))
        return CKR_ATTRIBUTE_TYPE_INVALID;
    const p11_attr_rule *r = p11_attr_rule_find(a->type);
    if (r->flags & P11_AF_GENERATED)
        return CKR_ATTRIBUTE_READ_ONLY;
    if (op != P11_BUILD_CREATE && a->type == CKA_VALUE &&
        o->cls != CKO_DATA)
        return CKR_ATTRIBUTE_READ_ONLY;
    return CKR_OK;
}

CK_RV p11_object_build(p11_build_op op, CK_OBJECT_CLASS cls,
                       const CK_ATTRIBUTE *t, CK_ULONG n, p11_object **out)
{
    CK_RV rv = p11_tmpl_check_args(t, n);
    if (rv == CKR_OK)
        rv = class_of(cls, t, n, &cls);
    if (rv != CKR_OK)
        return rv;
    p11_object *o = p11_object_new(cls);
    if (o == NULL)
        return CKR_HOST_MEMORY;
    rv = class_defaults(o, cls);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        rv = check_entry(o, op, &t[i]);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        rv = p11_object_set(o, t[i].type, t[i].pValue, t[i].ulValueLen);
    if (rv != CKR_OK) {
        p11_object_free(o);
        return rv;
    }
    *out = o;
    return CKR_OK;
}

static CK_RV check_change(const p11_object *o, const CK_ATTRIBUTE *a,
                          bool copy)
{
    CK_RV rv = p11_attr_check(a);
    if (rv != CKR_OK)
        return rv;
    if (!class_has(o, a->type))
        return CKR_ATTRIBUTE_TYPE_INVALID;
    const p11_attr_rule *r = p11_attr_rule_find(a->type);
    CK_BBOOL v = (r->kind == P11_AK_BOOL) ? *(const CK_BBOOL *)a->pValue : 0;
    if (copy && (a->type == CKA_TOKEN || a->type == CKA_PRIVATE))
        return CKR_OK;
    if (r->flags & P11_AF_MODIFY) {
        if (a->type == CKA_VALUE && o->cls != CKO_DATA)
            return CKR_ATTRIBUTE_READ_ONLY;
        return CKR_OK;
    }
    if ((r->flags & P11_AF_ONLY_TRUE) && v)
        return CKR_OK;
    if ((r->flags & P11_AF_ONLY_FALSE) && !v)
        return CKR_OK;
    if (p11_object_get(o, a->type) != NULL && r->kind == P11_AK_BOOL &&
        p11_object_bool(o, a->type) == v)
        return CKR_OK; /* "changing" to the current value */
    return CKR_ATTRIBUTE_READ_ONLY;
}

CK_RV p11_object_apply(p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n,
                       bool copy)
{
    CK_RV rv = p11_tmpl_check_args(t, n);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        rv = check_change(o, &t[i], copy);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        rv = p11_object_set(o, t[i].type, t[i].pValue, t[i].ulValueLen);
    return rv;
}
