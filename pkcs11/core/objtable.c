/* pkcs11/core/objtable.c - the process-wide object table and indexes. */
#include "objtable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "handle.h"
#include "hmap.h"

struct hvec {
    CK_OBJECT_HANDLE *h;
    size_t n;
    size_t cap;
};

static p11_htable *table;    /* handle -> p11_object */
static p11_hmap *registry;   /* store key -> (uintptr_t) handle */
static p11_hmap *by_label;   /* CKA_LABEL bytes -> struct hvec */
/* Handles of the session objects (no store key), so that closing a
 * session looks at those only, not at every token object. */
static struct {
    CK_OBJECT_HANDLE *h;
    size_t n, cap;
} sess;

static void hvec_free(void *p)
{
    struct hvec *v = p;
    if (v != NULL)
        free(v->h);
    free(v);
}

/* At unload or exit.  Objects still loaded mean the application never
 * called C_Finalize: their keys belong to an OpenSSL that may already be
 * torn down (atexit), so they are left to the exit. */
__attribute__((destructor)) static void objtable_release(void)
{
    if (table != NULL && p11_htable_count(table) > 0)
        return;
    p11_htable_free(table);
    free(sess.h);
    sess.h = NULL;
    sess.n = sess.cap = 0;
    p11_hmap_free(registry, NULL);
    p11_hmap_free(by_label, hvec_free);
    table = NULL;
    registry = NULL;
    by_label = NULL;
}

static CK_RV ensure(void)
{
    if (table == NULL)
        table = p11_htable_new();
    if (registry == NULL)
        registry = p11_hmap_new();
    if (by_label == NULL)
        by_label = p11_hmap_new();
    return (table && registry && by_label) ? CKR_OK : CKR_HOST_MEMORY;
}

static void label_of(const p11_object *o, const void **v, size_t *len)
{
    const p11_attrval *a = p11_object_get(o, CKA_LABEL);
    *v = (a != NULL && a->value != NULL) ? (const void *)a->value : "";
    *len = a != NULL ? a->len : 0;
}

CK_RV p11_objects_reindex_locked(p11_object *o)
{
    const void *key;
    size_t len;
    label_of(o, &key, &len);
    struct hvec *v = p11_hmap_get(by_label, key, len);
    if (v == NULL) {
        v = calloc(1, sizeof(*v));
        if (v == NULL || p11_hmap_put(by_label, key, len, v) != 0) {
            free(v);
            return CKR_HOST_MEMORY;
        }
    }
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 4;
        CK_OBJECT_HANDLE *nh = realloc(v->h, ncap * sizeof(*nh));
        if (nh == NULL)
            return CKR_HOST_MEMORY;
        v->h = nh;
        v->cap = ncap;
    }
    v->h[v->n++] = o->handle;
    return CKR_OK;
}

void p11_objects_unindex_locked(p11_object *o)
{
    const void *key;
    size_t len;
    label_of(o, &key, &len);
    struct hvec *v = p11_hmap_get(by_label, key, len);
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n; i++) {
        if (v->h[i] == o->handle) {
            v->h[i] = v->h[--v->n];
            break;
        }
    }
    if (v->n == 0)
        hvec_free(p11_hmap_remove(by_label, key, len));
}

static CK_RV sess_reserve(void)
{
    if (sess.n < sess.cap)
        return CKR_OK;
    size_t cap = sess.cap ? sess.cap * 2 : 16;
    CK_OBJECT_HANDLE *nh = realloc(sess.h, cap * sizeof(*nh));
    if (nh == NULL)
        return CKR_HOST_MEMORY;
    sess.h = nh;
    sess.cap = cap;
    return CKR_OK;
}

static void sess_forget(CK_OBJECT_HANDLE h)
{
    for (size_t i = 0; i < sess.n; i++) {
        if (sess.h[i] == h) {
            sess.h[i] = sess.h[--sess.n];
            return;
        }
    }
}

CK_RV p11_objects_add_session_locked(p11_object *o, CK_OBJECT_HANDLE *h)
{
    CK_RV rv = sess_reserve();
    if (rv == CKR_OK)
        rv = ensure();
    if (rv == CKR_OK)
        rv = p11_htable_add(table, o, &o->handle);
    if (rv == CKR_OK)
        rv = p11_objects_reindex_locked(o);
    if (rv != CKR_OK) {
        if (o->handle != 0)
            p11_htable_remove(table, o->handle);
        p11_object_free(o);
        return rv;
    }
    sess.h[sess.n++] = o->handle;
    *h = o->handle;
    return CKR_OK;
}

/* The handle reserved for a store key, reserving one on first sight. */
static CK_RV handle_for(const char *key, CK_OBJECT_HANDLE *h)
{
    uintptr_t v = (uintptr_t)p11_hmap_get(registry, key, strlen(key));
    if (v != 0) {
        *h = (CK_OBJECT_HANDLE)v;
        return CKR_OK;
    }
    CK_RV rv = p11_htable_reserve(table, h);
    if (rv != CKR_OK)
        return rv;
    if (p11_hmap_put(registry, key, strlen(key), (void *)(uintptr_t)*h)) {
        p11_htable_remove(table, *h);
        return CKR_HOST_MEMORY;
    }
    return CKR_OK;
}

CK_RV p11_objects_put_token_locked(p11_object *o, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_HANDLE handle = 0;
    CK_RV rv = ensure();
    if (rv == CKR_OK)
        rv = handle_for(o->store_key, &handle);
    if (rv != CKR_OK) {
        p11_object_free(o);
        return rv;
    }
    p11_object *old = p11_htable_get(table, handle);
    if (old != NULL) {
        p11_objects_unindex_locked(old);
        p11_object_free(old);
    }
    o->handle = handle;
    rv = p11_htable_set(table, handle, o);
    if (rv == CKR_OK)
        rv = p11_objects_reindex_locked(o);
    if (rv != CKR_OK) {
        p11_htable_unset(table, handle);
        p11_object_free(o);
        return rv;
    }
    if (h != NULL)
        *h = handle;
    return CKR_OK;
}

CK_OBJECT_HANDLE p11_objects_handle_of_locked(const char *store_key)
{
    if (registry == NULL)
        return 0;
    return (CK_OBJECT_HANDLE)(uintptr_t)p11_hmap_get(registry, store_key,
                                                     strlen(store_key));
}

p11_object *p11_objects_get_locked(CK_OBJECT_HANDLE h)
{
    return table != NULL ? p11_htable_get(table, h) : NULL;
}

/* Free a loaded object; `forget` also drops its handle for good. */
static void drop(p11_object *o, bool forget)
{
    CK_OBJECT_HANDLE h = o->handle;
    p11_objects_unindex_locked(o);
    if (forget) {
        if (o->store_key != NULL)
            p11_hmap_remove(registry, o->store_key, strlen(o->store_key));
        p11_htable_remove(table, h);
    } else if (o->store_key != NULL) {
        p11_htable_unset(table, h);
    } else {
        p11_htable_remove(table, h);
    }
    if (o->store_key == NULL)
        sess_forget(h);
    p11_object_free(o);
}

void p11_objects_destroy_locked(CK_OBJECT_HANDLE h)
{
    p11_object *o = p11_objects_get_locked(h);
    if (o != NULL)
        drop(o, true);
}

/* Apply drop() to every loaded object for which pred says so. */
static void sweep(bool (*pred)(const p11_object *, const void *),
                  const void *arg, bool forget)
{
    if (table == NULL)
        return;
    for (size_t i = 0; i < p11_htable_capacity(table); i++) {
        p11_object *o = p11_htable_at(table, i);
        if (o != NULL && pred(o, arg))
            drop(o, forget);
    }
}

struct sweep_arg {
    unsigned epoch;
    bool pub;
    bool priv;
};

static bool stale(const p11_object *o, const void *arg)
{
    const struct sweep_arg *a = arg;
    if (o->store_key == NULL || o->epoch == a->epoch)
        return false;
    return o->priv ? a->priv : a->pub;
}

void p11_objects_sweep_locked(unsigned epoch, bool pub, bool priv)
{
    struct sweep_arg a = {epoch, pub, priv};
    sweep(stale, &a, false);
}

static bool private_token(const p11_object *o, const void *arg)
{
    (void)arg;
    return o->store_key != NULL && o->priv;
}

void p11_objects_unload_private_locked(void)
{
    sweep(private_token, NULL, false);
}

static bool owned_by(const p11_object *o, const void *arg)
{
    CK_SESSION_HANDLE owner = *(const CK_SESSION_HANDLE *)arg;
    return o->store_key == NULL && (owner == 0 || o->owner == owner);
}

void p11_objects_drop_session_locked(CK_SESSION_HANDLE owner)
{
    /* Backwards: drop() moves the last entry into the dropped one's place,
     * and the last entries were looked at already. */
    for (size_t i = sess.n; i-- > 0;) {
        p11_object *o = p11_objects_get_locked(sess.h[i]);
        if (o != NULL && owned_by(o, &owner))
            drop(o, false);
    }
}

static bool any(const p11_object *o, const void *arg)
{
    (void)o;
    (void)arg;
    return true;
}

void p11_objects_clear_locked(void)
{
    sweep(any, NULL, false);
}

static CK_RV collect_all(CK_OBJECT_HANDLE **h, size_t *count)
{
    size_t n = 0, cap = table != NULL ? p11_htable_count(table) : 0;
    CK_OBJECT_HANDLE *out = malloc((cap ? cap : 1) * sizeof(*out));
    if (out == NULL)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; table != NULL && i < p11_htable_capacity(table); i++) {
        p11_object *o = p11_htable_at(table, i);
        if (o != NULL && n < cap)
            out[n++] = o->handle;
    }
    *h = out;
    *count = n;
    return CKR_OK;
}

CK_RV p11_objects_candidates_locked(const CK_ATTRIBUTE *t, CK_ULONG n,
                                    CK_OBJECT_HANDLE **h, size_t *count)
{
    const CK_ATTRIBUTE *label = p11_tmpl_find(t, n, CKA_LABEL);
    if (label == NULL || by_label == NULL)
        return collect_all(h, count);
    struct hvec *v = p11_hmap_get(by_label, label->pValue ? label->pValue : "",
                                  label->ulValueLen);
    size_t k = v != NULL ? v->n : 0;
    CK_OBJECT_HANDLE *out = malloc((k ? k : 1) * sizeof(*out));
    if (out == NULL)
        return CKR_HOST_MEMORY;
    if (k > 0)
        memcpy(out, v->h, k * sizeof(*out));
    *h = out;
    *count = k;
    return CKR_OK;
}
