/* pkcs11/core/object.c - attribute storage and the GetAttributeValue rules. */
#include "object.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attr.h"

p11_object *p11_object_new(CK_OBJECT_CLASS cls)
{
    p11_object *o = calloc(1, sizeof(*o));
    if (o == NULL)
        return NULL;
    if (p11_object_set_ulong(o, CKA_CLASS, cls) != CKR_OK) {
        free(o);
        return NULL;
    }
    return o;
}

static void free_value(p11_attrval *a)
{
    const p11_attr_rule *r = p11_attr_rule_find(a->type);
    if (r != NULL && (r->flags & P11_AF_SECRET))
        secure_free(a->value, a->len);
    else
        free(a->value);
    a->value = NULL;
}

void p11_object_free(p11_object *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n_attrs; i++)
        free_value(&o->attrs[i]);
    free(o->attrs);
    free(o->store_key);
    secbuf_free(&o->secret);
    EVP_PKEY_free(o->pkey);
    free(o);
}

p11_object *p11_object_dup(const p11_object *o)
{
    p11_object *c = p11_object_new(o->cls);
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < o->n_attrs; i++) {
        const p11_attrval *a = &o->attrs[i];
        if (p11_object_set(c, a->type, a->value, a->len) != CKR_OK)
            goto fail;
    }
    if (o->secret.p != NULL &&
        secbuf_dup(&c->secret, o->secret.p, o->secret.len) != 0)
        goto fail;
    if (o->pkey != NULL) {
        EVP_PKEY_up_ref(o->pkey);
        c->pkey = o->pkey;
    }
    return c;
fail:
    p11_object_free(c);
    return NULL;
}

static p11_attrval *find(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < o->n_attrs; i++)
        if (o->attrs[i].type == type)
            return &o->attrs[i];
    return NULL;
}

static void sync_header(p11_object *o, const p11_attrval *a)
{
    if (a->type == CKA_CLASS && a->len == sizeof(CK_ULONG))
        memcpy(&o->cls, a->value, sizeof(CK_ULONG));
    else if (a->type == CKA_TOKEN && a->len == 1)
        o->token = a->value[0] ? CK_TRUE : CK_FALSE;
    else if (a->type == CKA_PRIVATE && a->len == 1)
        o->priv = a->value[0] ? CK_TRUE : CK_FALSE;
}

CK_RV p11_object_set(p11_object *o, CK_ATTRIBUTE_TYPE type, const void *v,
                     CK_ULONG len)
{
    unsigned char *copy = NULL;
    if (len > 0) {
        copy = malloc(len);
        if (copy == NULL)
            return CKR_HOST_MEMORY;
        memcpy(copy, v, len);
    }
    p11_attrval *a = find(o, type);
    if (a == NULL) {
        if (o->n_attrs == o->cap_attrs) {
            size_t ncap = o->cap_attrs ? o->cap_attrs * 2 : 16;
            p11_attrval *na = realloc(o->attrs, ncap * sizeof(*na));
            if (na == NULL) {
                free(copy);
                return CKR_HOST_MEMORY;
            }
            o->attrs = na;
            o->cap_attrs = ncap;
        }
        a = &o->attrs[o->n_attrs++];
        a->type = type;
        a->value = NULL;
    } else {
        free_value(a);
    }
    a->value = copy;
    a->len = len;
    sync_header(o, a);
    return CKR_OK;
}

CK_RV p11_object_set_bool(p11_object *o, CK_ATTRIBUTE_TYPE type, CK_BBOOL v)
{
    CK_BBOOL b = v ? CK_TRUE : CK_FALSE;
    return p11_object_set(o, type, &b, sizeof(b));
}

CK_RV p11_object_set_ulong(p11_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
    return p11_object_set(o, type, &v, sizeof(v));
}

CK_RV p11_object_set_str(p11_object *o, CK_ATTRIBUTE_TYPE type,
                         const char *s)
{
    return p11_object_set(o, type, s, s != NULL ? (CK_ULONG)strlen(s) : 0);
}

CK_RV p11_object_take(p11_object *o, CK_ATTRIBUTE_TYPE type, secbuf *out)
{
    p11_attrval *a = find(o, type);
    if (a == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (secbuf_dup(out, a->value, a->len) != 0)
        return CKR_HOST_MEMORY;
    free_value(a);
    *a = o->attrs[--o->n_attrs];
    return CKR_OK;
}

const p11_attrval *p11_object_get(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    return find(o, type);
}

CK_BBOOL p11_object_bool(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    const p11_attrval *a = find(o, type);
    return (a != NULL && a->len == 1 && a->value[0]) ? CK_TRUE : CK_FALSE;
}

CK_ULONG p11_object_ulong(const p11_object *o, CK_ATTRIBUTE_TYPE type,
                          CK_ULONG dflt)
{
    const p11_attrval *a = find(o, type);
    CK_ULONG v = dflt;
    if (a != NULL && a->len == sizeof(CK_ULONG))
        memcpy(&v, a->value, sizeof(v));
    return v;
}

/* Key material that must not leave: sensitive or unextractable keys. */
static bool is_hidden(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    if (o->cls != CKO_SECRET_KEY && o->cls != CKO_PRIVATE_KEY)
        return false;
    const p11_attr_rule *r = p11_attr_rule_find(type);
    if (r == NULL || !(r->flags & P11_AF_SENSITIVE))
        return false;
    return p11_object_bool(o, CKA_SENSITIVE) ||
           !p11_object_bool(o, CKA_EXTRACTABLE) ||
           o->cls == CKO_PRIVATE_KEY; /* private parts are never exported */
}

/* The bytes behind one attribute of o, or CKR_ATTRIBUTE_TYPE_INVALID. */
static CK_RV value_of(const p11_object *o, CK_ATTRIBUTE_TYPE type,
                      const void **v, CK_ULONG *len)
{
    if (type == CKA_VALUE && o->cls == CKO_SECRET_KEY) {
        if (o->secret.p == NULL)
            return CKR_ATTRIBUTE_TYPE_INVALID;
        *v = o->secret.p;
        *len = (CK_ULONG)o->secret.len;
        return CKR_OK;
    }
    const p11_attrval *a = find(o, type);
    if (a == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    *v = a->value;
    *len = a->len;
    return CKR_OK;
}

static CK_RV read_one(const p11_object *o, CK_ATTRIBUTE *t)
{
    const void *v = NULL;
    CK_ULONG len = 0;

    if (is_hidden(o, t->type)) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_SENSITIVE;
    }
    if (value_of(o, t->type, &v, &len) != CKR_OK) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if (t->pValue == NULL) {
        t->ulValueLen = len;
        return CKR_OK;
    }
    if (t->ulValueLen < len) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (len > 0)
        memcpy(t->pValue, v, len);
    t->ulValueLen = len;
    return CKR_OK;
}

CK_RV p11_object_read(const p11_object *o, CK_ATTRIBUTE *t, CK_ULONG n)
{
    CK_RV rv = CKR_OK;
    for (CK_ULONG i = 0; i < n; i++) {
        CK_RV r = read_one(o, &t[i]);
        if (r != CKR_OK)
            rv = r;
    }
    return rv;
}

bool p11_object_match(const p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    for (CK_ULONG i = 0; i < n; i++) {
        const void *v = NULL;
        CK_ULONG len = 0;
        if (is_hidden(o, t[i].type))
            return false;
        if (value_of(o, t[i].type, &v, &len) != CKR_OK)
            return false;
        if (len != t[i].ulValueLen)
            return false;
        if (len > 0 && memcmp(v, t[i].pValue, len) != 0)
            return false;
    }
    return true;
}

CK_ULONG p11_object_size(const p11_object *o)
{
    CK_ULONG size = sizeof(*o);
    for (size_t i = 0; i < o->n_attrs; i++)
        size += sizeof(p11_attrval) + o->attrs[i].len;
    return size + (CK_ULONG)o->secret.len;
}
