/* pkcs11/core/objset.c - C_SetAttributeValue: check everything on a copy,
 * persist what the account holds, then change the object. */
#include "objops.h"

#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "blocking.h"
#include "meeco_map.h"
#include "objbuild.h"
#include "objcodec.h"
#include "objtable.h"

static char *cstr(const CK_ATTRIBUTE *a)
{
    return strndup(a->pValue != NULL ? (const char *)a->pValue : "",
                   a->ulValueLen);
}

/* One change of a token object, written to the account. */
static CK_RV persist_one(p11_session *s, p11_bk_kind kind, const char *id,
                         const CK_ATTRIBUTE *a)
{
    const p11_backend_ops *ops = s->token->ops;
    void *ctx = s->token->ctx;
    if (kind == P11_BK_SLOT && a->type == CKA_VALUE)
        return ops->slot_set_value(ctx, id, a->pValue, a->ulValueLen);
    if (a->type != CKA_LABEL && a->type != CKA_MEECO_SLOT_LABEL)
        return CKR_ATTRIBUTE_READ_ONLY;
    char *label = cstr(a);
    if (label == NULL)
        return CKR_HOST_MEMORY;
    CK_RV rv = CKR_ATTRIBUTE_READ_ONLY;
    if (kind == P11_BK_SLOT && a->type == CKA_MEECO_SLOT_LABEL)
        rv = ops->slot_set_label(ctx, id, label);
    else if (kind != P11_BK_SLOT && a->type == CKA_LABEL)
        rv = ops->set_label(ctx, kind, id, label);
    free(label);
    return rv;
}

/* Every entry must be persistable before anything is written. */
static CK_RV persistable(p11_bk_kind kind, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    for (CK_ULONG i = 0; i < n; i++) {
        CK_ATTRIBUTE_TYPE ty = t[i].type;
        bool ok = kind == P11_BK_SLOT
                      ? (ty == CKA_VALUE || ty == CKA_MEECO_SLOT_LABEL)
                      : (ty == CKA_LABEL && kind != P11_BK_KEK);
        if (!ok)
            return CKR_ATTRIBUTE_READ_ONLY;
    }
    return CKR_OK;
}

/* A token-only object is stored whole: write its changed attributes. */
static CK_RV persist_object(p11_session *s, const char *id,
                            const p11_object *changed)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    const p11_attrval *l = p11_object_get(changed, CKA_LABEL);
    char *label = (l != NULL && l->len > 0)
                      ? strndup((const char *)l->value, l->len)
                      : NULL;
    CK_RV rv = p11_codec_encode(changed, &blob, &len);
    if (rv == CKR_OK)
        rv = s->token->ops->object_update(s->token->ctx, id, label, blob, len);
    free(blob);
    free(label);
    return rv;
}

static CK_RV persist(p11_session *s, const char *store_key,
                     const p11_object *changed, const CK_ATTRIBUTE *t,
                     CK_ULONG n)
{
    p11_bk_kind kind;
    const char *id = NULL;
    if (!p11_map_identity(store_key, &kind, &id))
        return CKR_OK; /* session object */
    if (kind == P11_BK_OBJECT)
        return persist_object(s, id, changed);
    CK_RV rv = persistable(kind, t, n);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        rv = persist_one(s, kind, id, &t[i]);
    return rv;
}

/* Apply the (already checked) template to o, keeping the index right. */
static CK_RV change(p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    p11_objects_unindex_locked(o);
    CK_RV rv = p11_object_apply(o, t, n, false);
    CK_RV rv2 = p11_objects_reindex_locked(o);
    return rv != CKR_OK ? rv : rv2;
}

/* A keypair's label lives on both of its objects. */
static CK_RV relabel_twin(p11_session *s, const p11_object *o,
                          const CK_ATTRIBUTE *t, CK_ULONG n)
{
    p11_bk_kind kind;
    const char *id = NULL;
    char key[96];
    if (!p11_map_identity(o->store_key, &kind, &id) || kind != P11_BK_KEYPAIR)
        return CKR_OK;
    p11_map_store_key(s->token->slot, o->cls == CKO_PRIVATE_KEY ? "pub" : "priv",
                      id, key, sizeof(key));
    p11_object *twin = p11_objects_get_locked(p11_objects_handle_of_locked(key));
    return twin != NULL ? change(twin, t, n) : CKR_OK;
}

CK_RV p11_object_set_attrs_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                  CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
    if (t == NULL && n > 0)
        return CKR_ARGUMENTS_BAD;
    p11_object *o = p11_object_visible_locked(s, h);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (!p11_object_bool(o, CKA_MODIFIABLE))
        return CKR_ACTION_PROHIBITED;
    CK_RV rv = p11_object_may_write(s, o->token, o->priv);
    if (rv != CKR_OK)
        return rv;
    p11_tmpl_log("set", t, n);
    p11_object *trial = p11_object_dup(o);
    char *key = o->store_key != NULL ? strdup(o->store_key) : NULL;
    if (trial == NULL || (o->store_key != NULL && key == NULL)) {
        p11_object_free(trial);
        return CKR_HOST_MEMORY;
    }
    rv = p11_object_apply(trial, t, n, false);
    p11_blocking b; /* a remote token asks its server; o may change */
    p11_blocking_begin(s, &b);
    if (rv == CKR_OK)
        rv = persist(s, key, trial, t, n);
    CK_RV back = p11_blocking_end(&b);
    p11_object_free(trial);
    free(key);
    if (back != CKR_OK)
        return back;
    o = p11_object_visible_locked(s, h);
    if (rv == CKR_OK && o == NULL)
        rv = CKR_OBJECT_HANDLE_INVALID; /* destroyed meanwhile */
    if (rv == CKR_OK)
        rv = change(o, t, n);
    if (rv == CKR_OK)
        rv = relabel_twin(s, o, t, n);
    return rv;
}
