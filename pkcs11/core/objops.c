/* pkcs11/core/objops.c - create, copy, destroy, read and change objects. */
#include "objops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "blocking.h"
#include "meeco_map.h"
#include "mech.h"
#include "mech_attr.h"
#include "objbuild.h"
#include "objcodec.h"
#include "objtable.h"

bool p11_object_is_visible(const p11_session *s, const p11_object *o)
{
    if (o->slot != s->token->slot)
        return false;
    return !o->priv || s->token->user == CKU_USER;
}

p11_object *p11_object_visible_locked(p11_session *s, CK_OBJECT_HANDLE h)
{
    p11_object *o = p11_objects_get_locked(h);
    return (o != NULL && p11_object_is_visible(s, o)) ? o : NULL;
}

CK_RV p11_object_may_write(const p11_session *s, CK_BBOOL token,
                           CK_BBOOL priv)
{
    if (token && !p11_session_is_rw(s))
        return CKR_SESSION_READ_ONLY;
    if (priv && s->token->user != CKU_USER)
        return CKR_USER_NOT_LOGGED_IN;
    return CKR_OK;
}

/* A text attribute as a new C string; NULL if absent or empty. */
static char *text(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    const p11_attrval *a = p11_object_get(o, type);
    if (a == NULL || a->len == 0)
        return NULL;
    return strndup((const char *)a->value, a->len);
}

static CK_RV slot_spec_create(p11_session *s, const p11_object *o,
                              p11_bk_record *r)
{
    char *item = text(o, CKA_APPLICATION), *name = text(o, CKA_LABEL);
    char *label = text(o, CKA_MEECO_SLOT_LABEL);
    char *type = text(o, CKA_MEECO_SLOT_TYPE);
    char *tmpl = text(o, CKA_MEECO_TEMPLATE);
    char fallback[24];
    const p11_attrval *v = p11_object_get(o, CKA_VALUE);
    if (name == NULL) {
        uint8_t rnd[4] = {0};
        (void)mech_random(rnd, sizeof(rnd));
        snprintf(fallback, sizeof(fallback), "data_%02x%02x%02x%02x", rnd[0],
                 rnd[1], rnd[2], rnd[3]);
    }
    p11_bk_slot_spec spec = {
        .item_name = item != NULL ? item : "pkcs11",
        .name = name != NULL ? name : fallback,
        .label = label,
        .slot_type = type,
        .template_name = tmpl,
        .value = v != NULL ? v->value : NULL,
        .len = v != NULL ? v->len : 0,
    };
    CK_RV rv = s->token->ops->slot_create(s->token->ctx, &spec, r);
    free(item);
    free(name);
    free(label);
    free(type);
    free(tmpl);
    return rv;
}

/* A token object with no Meeco equivalent: its attributes, and its key
 * material (secret bytes, private key as PKCS#8) wrapped by the backend. */
static CK_RV object_create(p11_session *s, const p11_object *o,
                           const char *label, p11_bk_record *r)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    secbuf der = {0};
    const secbuf *secret = o->cls == CKO_SECRET_KEY ? &o->secret : &der;
    CK_RV rv = CKR_OK;
    if (o->cls == CKO_PRIVATE_KEY)
        rv = o->pkey != NULL ? mech_attr_private_to_pkcs8(o->pkey, &der)
                             : CKR_TEMPLATE_INCOMPLETE;
    if (rv == CKR_OK)
        rv = p11_codec_encode(o, &blob, &len);
    if (rv == CKR_OK)
        rv = s->token->ops->object_create(s->token->ctx, label, blob, len,
                                          secret->p, secret->len, r);
    free(blob);
    secbuf_free(&der);
    return rv;
}

/* Hand a token object to the backend; r receives the stored record.
 * Meeco-shaped objects become account records (a slot, a DEK, an RSA
 * keypair); anything else a token-only object. */
static CK_RV backend_create(p11_session *s, const p11_object *o,
                            p11_bk_record *r)
{
    char *label = text(o, CKA_LABEL);
    CK_KEY_TYPE kt = p11_object_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    const p11_backend_ops *ops = s->token->ops;
    CK_RV rv;
    if (o->cls == CKO_DATA)
        rv = slot_spec_create(s, o, r);
    else if (o->cls == CKO_SECRET_KEY && kt == CKK_AES && o->secret.len == 32)
        rv = ops->dek_create(s->token->ctx, o->secret.p, o->secret.len,
                             label, r);
    else if (o->cls == CKO_PRIVATE_KEY && kt == CKK_RSA && o->pkey != NULL) {
        const p11_attrval *id = p11_object_get(o, CKA_ID);
        rv = ops->keypair_create(s->token->ctx, o->pkey, label,
                                 id != NULL && id->len > 0 ? id->value : NULL,
                                 id != NULL ? id->len : 0, r);
    }
    else
        rv = object_create(s, o, label, r);
    free(label);
    return rv;
}

CK_RV p11_object_store_locked(p11_session *s, p11_object *o,
                              CK_OBJECT_HANDLE *h)
{
    p11_bk_record r = {0};
    o->slot = s->token->slot;
    CK_RV rv = p11_object_may_write(s, o->token, o->priv);
    if (rv != CKR_OK) {
        p11_object_free(o);
        return rv;
    }
    if (!o->token) {
        o->owner = s->handle;
        return p11_objects_add_session_locked(o, h);
    }
    p11_blocking b;
    p11_blocking_begin(s, &b); /* a remote token asks its server */
    rv = backend_create(s, o, &r);
    CK_RV back = p11_blocking_end(&b);
    p11_object_free(o);
    if (back != CKR_OK)
        rv = back;
    else if (rv == CKR_OK && b.login_changed && s->token->user != CKU_USER)
        rv = CKR_USER_NOT_LOGGED_IN; /* stored; shown at the next login */
    if (rv == CKR_OK)
        rv = p11_map_record_locked(s->token, &r, h);
    p11_bk_record_clear(&r);
    return rv;
}

/* Move a private component out of the attribute list (key material lives
 * in the EVP_PKEY only). */
static CK_RV take_part(p11_object *o, CK_ATTRIBUTE_TYPE type, secbuf *b,
                       mech_bytes *part)
{
    *part = (mech_bytes){NULL, 0};
    if (p11_object_get(o, type) == NULL)
        return CKR_OK;
    CK_RV rv = p11_object_take(o, type, b);
    if (rv == CKR_OK)
        *part = (mech_bytes){b->p, b->len};
    return rv;
}

/* C_CreateObject of a private key: RSA components or EC params + scalar. */
static CK_RV private_key_from(p11_object *o, CK_KEY_TYPE kt)
{
    static const CK_ATTRIBUTE_TYPE rsa[MECH_RSA_PARTS] = {
        CKA_MODULUS,  CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT,
        CKA_PRIME_1,  CKA_PRIME_2,         CKA_EXPONENT_1,
        CKA_EXPONENT_2, CKA_COEFFICIENT,
    };
    secbuf b[MECH_RSA_PARTS] = {{0}};
    mech_bytes parts[MECH_RSA_PARTS];
    CK_RV rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (kt == CKK_RSA) {
        rv = CKR_OK;
        for (int i = 0; rv == CKR_OK && i < MECH_RSA_PARTS; i++)
            rv = take_part(o, rsa[i], &b[i], &parts[i]);
        if (rv == CKR_OK)
            rv = mech_attr_rsa_private_from(parts, &o->pkey);
    } else if (kt == CKK_EC) {
        const p11_attrval *ep = p11_object_get(o, CKA_EC_PARAMS);
        rv = take_part(o, CKA_VALUE, &b[0], &parts[0]);
        if (rv == CKR_OK && (ep == NULL || parts[0].p == NULL))
            rv = CKR_TEMPLATE_INCOMPLETE;
        if (rv == CKR_OK)
            rv = mech_attr_ec_private_from(ep->value, ep->len, parts[0].p,
                                           parts[0].len, &o->pkey);
    }
    for (int i = 0; i < MECH_RSA_PARTS; i++)
        secbuf_free(&b[i]);
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(o, o->pkey);
    return rv;
}

/* Class-specific completion of a C_CreateObject template. */
static CK_RV finish_created(p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    CK_ULONG kt = p11_object_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (o->cls == CKO_DATA || o->cls == CKO_CERTIFICATE)
        return CKR_OK;
    if (p11_tmpl_find(t, n, CKA_KEY_TYPE) == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (o->cls == CKO_SECRET_KEY) {
        CK_RV rv = p11_object_take(o, CKA_VALUE, &o->secret);
        if (rv != CKR_OK)
            return rv;
        if (kt == CKK_AES && o->secret.len != 16 && o->secret.len != 24 &&
            o->secret.len != 32)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        return p11_object_set_ulong(o, CKA_VALUE_LEN, o->secret.len);
    }
    if (o->cls == CKO_PRIVATE_KEY)
        return private_key_from(o, kt);
    if (o->cls != CKO_PUBLIC_KEY)
        return CKR_TEMPLATE_INCONSISTENT;
    const p11_attrval *m = p11_object_get(o, CKA_MODULUS);
    const p11_attrval *e = p11_object_get(o, CKA_PUBLIC_EXPONENT);
    const p11_attrval *ep = p11_object_get(o, CKA_EC_PARAMS);
    const p11_attrval *pt = p11_object_get(o, CKA_EC_POINT);
    CK_RV rv = CKR_TEMPLATE_INCOMPLETE;
    if (kt == CKK_RSA && m != NULL && e != NULL)
        rv = mech_attr_rsa_public_from(m->value, m->len, e->value, e->len,
                                       &o->pkey);
    else if (kt == CKK_EC && ep != NULL && pt != NULL)
        rv = mech_attr_ec_public_from(ep->value, ep->len, pt->value, pt->len,
                                      &o->pkey);
    else if (kt != CKK_RSA && kt != CKK_EC)
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(o, o->pkey);
    return rv;
}

CK_RV p11_object_create_locked(p11_session *s, CK_ATTRIBUTE_PTR t,
                               CK_ULONG n, CK_OBJECT_HANDLE_PTR h)
{
    p11_object *o = NULL;
    if (h == NULL || (t == NULL && n > 0))
        return CKR_ARGUMENTS_BAD;
    p11_tmpl_log("create", t, n);
    CK_RV rv = p11_object_build(P11_BUILD_CREATE, CK_UNAVAILABLE_INFORMATION,
                                t, n, &o);
    if (rv == CKR_OK)
        rv = finish_created(o, t, n);
    if (rv != CKR_OK) {
        p11_object_free(o);
        return rv;
    }
    return p11_object_store_locked(s, o, h);
}

CK_RV p11_object_copy_locked(p11_session *s, CK_OBJECT_HANDLE src,
                             CK_ATTRIBUTE_PTR t, CK_ULONG n,
                             CK_OBJECT_HANDLE_PTR h)
{
    if (h == NULL || (t == NULL && n > 0))
        return CKR_ARGUMENTS_BAD;
    p11_object *o = p11_object_visible_locked(s, src);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (!p11_object_bool(o, CKA_COPYABLE))
        return CKR_ACTION_PROHIBITED;
    p11_tmpl_log("copy", t, n);
    p11_object *c = p11_object_dup(o);
    if (c == NULL)
        return CKR_HOST_MEMORY;
    CK_RV rv = p11_object_apply(c, t, n, true);
    if (rv != CKR_OK) {
        p11_object_free(c);
        return rv;
    }
    return p11_object_store_locked(s, c, h);
}

CK_RV p11_object_destroy_locked(p11_session *s, CK_OBJECT_HANDLE h)
{
    p11_bk_kind kind;
    const char *id = NULL;
    p11_object *o = p11_object_visible_locked(s, h);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (!p11_object_bool(o, CKA_DESTROYABLE))
        return CKR_ACTION_PROHIBITED;
    CK_RV rv = p11_object_may_write(s, o->token, o->priv);
    if (rv != CKR_OK || !p11_map_identity(o->store_key, &kind, &id)) {
        if (rv == CKR_OK)
            p11_objects_destroy_locked(h);
        return rv;
    }
    char *idc = strdup(id);
    if (idc == NULL)
        return CKR_HOST_MEMORY;
    p11_blocking b; /* o may be gone after this: only handles below */
    p11_blocking_begin(s, &b);
    rv = s->token->ops->destroy(s->token->ctx, kind, idc);
    CK_RV back = p11_blocking_end(&b);
    if (back != CKR_OK)
        rv = back;
    else if (rv == CKR_OK) {
        if (kind == P11_BK_KEYPAIR) { /* one account record, two objects */
            char key[96];
            p11_map_store_key(s->token->slot, "priv", idc, key, sizeof(key));
            p11_objects_destroy_locked(p11_objects_handle_of_locked(key));
            p11_map_store_key(s->token->slot, "pub", idc, key, sizeof(key));
            p11_objects_destroy_locked(p11_objects_handle_of_locked(key));
        } else {
            p11_objects_destroy_locked(h);
        }
    }
    free(idc);
    return rv;
}

CK_RV p11_object_get_attrs_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                  CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
    if (t == NULL && n > 0)
        return CKR_ARGUMENTS_BAD;
    p11_object *o = p11_object_visible_locked(s, h);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    return p11_object_read(o, t, n);
}

CK_RV p11_object_get_size_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                 CK_ULONG_PTR size)
{
    if (size == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_object *o = p11_object_visible_locked(s, h);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    *size = p11_object_size(o);
    return CKR_OK;
}
