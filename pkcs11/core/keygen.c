/* pkcs11/core/keygen.c - key generation and wrapping. */
#include "keygen.h"

#include <stdbool.h>

#include <openssl/evp.h>

#include "attr.h"
#include "crypto.h"
#include "meeco_map.h"
#include "mech.h"
#include "mech_attr.h"
#include "objbuild.h"
#include "objops.h"
#include "objtable.h"

static CK_RV mech_for(CK_MECHANISM_PTR m, unsigned purpose)
{
    if (m == NULL)
        return CKR_ARGUMENTS_BAD;
    const mech_row *row = mech_lookup(m->mechanism);
    if (row == NULL || !(row->purposes & purpose))
        return CKR_MECHANISM_INVALID;
    return CKR_OK;
}

/* CKA_KEY_TYPE must be absent or `want`; then it is set to want. */
static CK_RV key_type(p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n,
                      CK_KEY_TYPE want)
{
    if (p11_tmpl_find(t, n, CKA_KEY_TYPE) != NULL &&
        p11_object_ulong(o, CKA_KEY_TYPE, 0) != want)
        return CKR_TEMPLATE_INCONSISTENT;
    return p11_object_set_ulong(o, CKA_KEY_TYPE, want);
}

/* Attributes the token sets on keys it makes. */
static CK_RV mark_generated(p11_object *o, CK_MECHANISM_TYPE mech, bool local)
{
    CK_RV rv = p11_object_set_bool(o, CKA_LOCAL, local);
    if (rv == CKR_OK)
        rv = p11_object_set_ulong(o, CKA_KEY_GEN_MECHANISM,
                                  local ? mech : CK_UNAVAILABLE_INFORMATION);
    if (rv == CKR_OK && o->cls != CKO_PUBLIC_KEY) {
        CK_BBOOL sens = p11_object_bool(o, CKA_SENSITIVE);
        CK_BBOOL extr = p11_object_bool(o, CKA_EXTRACTABLE);
        rv = p11_object_set_bool(o, CKA_ALWAYS_SENSITIVE, local && sens);
        if (rv == CKR_OK)
            rv = p11_object_set_bool(o, CKA_NEVER_EXTRACTABLE, local && !extr);
    }
    return rv;
}

static CK_RV fail(p11_object *a, p11_object *b, CK_RV rv)
{
    p11_object_free(a);
    p11_object_free(b);
    return rv;
}

CK_RV p11_keygen_secret_locked(p11_session *s, CK_MECHANISM_PTR m,
                               CK_ATTRIBUTE_PTR t, CK_ULONG n,
                               CK_OBJECT_HANDLE_PTR h)
{
    p11_object *o = NULL;
    bool present = false;
    CK_ULONG len = 0;
    if (h == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_tmpl_log("generate", t, n);
    CK_RV rv = mech_for(m, MECH_GENERATE);
    if (rv == CKR_OK)
        rv = p11_object_build(P11_BUILD_GENERATE, CKO_SECRET_KEY, t, n, &o);
    if (rv == CKR_OK)
        rv = key_type(o, t, n, CKK_AES);
    if (rv == CKR_OK)
        rv = p11_tmpl_ulong(t, n, CKA_VALUE_LEN, &len, &present);
    if (rv == CKR_OK && !present)
        rv = CKR_TEMPLATE_INCOMPLETE;
    if (rv == CKR_OK)
        rv = p11_object_may_write(s, o->token, o->priv);
    if (rv == CKR_OK)
        rv = mech_generate_key(m, len, &o->secret);
    if (rv == CKR_OK)
        rv = mark_generated(o, m->mechanism, true);
    if (rv != CKR_OK)
        return fail(o, NULL, rv);
    return p11_object_store_locked(s, o, h);
}

static CK_RV pair_params(p11_object *pub, CK_MECHANISM_TYPE mt,
                         mech_keypair_params *p)
{
    const p11_attrval *e = p11_object_get(pub, CKA_PUBLIC_EXPONENT);
    const p11_attrval *ec = p11_object_get(pub, CKA_EC_PARAMS);
    *p = (mech_keypair_params){0};
    if (mt == CKM_EC_KEY_PAIR_GEN) {
        if (ec == NULL)
            return CKR_TEMPLATE_INCOMPLETE;
        p->ec_params = ec->value;
        p->ec_params_len = ec->len;
        return CKR_OK;
    }
    p->modulus_bits = p11_object_ulong(pub, CKA_MODULUS_BITS, 0);
    if (p->modulus_bits == 0)
        return CKR_TEMPLATE_INCOMPLETE;
    if (e != NULL && e->len > 0) {
        p->public_exponent = e->value;
        p->public_exponent_len = e->len;
    }
    return CKR_OK;
}

/* Two objects (session ones, or token-only ones for non-RSA keys): the
 * public object gets its own public EVP_PKEY. */
static CK_RV store_pair_objects(p11_session *s, p11_object *pub,
                                p11_object *priv, EVP_PKEY *key,
                                CK_OBJECT_HANDLE_PTR pub_h,
                                CK_OBJECT_HANDLE_PTR priv_h)
{
    CK_RV rv = mech_attr_public_dup(key, &pub->pkey);
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(pub, pub->pkey);
    priv->pkey = key;
    if (rv == CKR_OK)
        rv = p11_map_key_attrs(priv, key);
    if (rv != CKR_OK)
        return fail(pub, priv, rv);
    rv = p11_object_store_locked(s, pub, pub_h);
    if (rv != CKR_OK) {
        p11_object_free(priv);
        return rv;
    }
    rv = p11_object_store_locked(s, priv, priv_h);
    if (rv != CKR_OK)
        p11_object_destroy_locked(s, *pub_h);
    return rv;
}

/* A token key pair: one account keypair, two objects (the public
 * template only shapes the generation; see docs/OBJECTS.md). */
static CK_RV store_token_pair(p11_session *s, p11_object *pub,
                              p11_object *priv, EVP_PKEY *key,
                              CK_OBJECT_HANDLE_PTR pub_h,
                              CK_OBJECT_HANDLE_PTR priv_h)
{
    p11_bk_kind kind;
    const char *sid = NULL;
    p11_object_free(pub);
    priv->pkey = key;
    CK_RV rv = p11_object_store_locked(s, priv, priv_h);
    if (rv != CKR_OK)
        return rv;
    p11_object *stored = p11_objects_get_locked(*priv_h);
    if (stored == NULL || !p11_map_identity(stored->store_key, &kind, &sid))
        return CKR_GENERAL_ERROR;
    *pub_h = p11_map_public_handle_locked(s->token, sid);
    return CKR_OK;
}

CK_RV p11_keygen_pair_locked(p11_session *s, CK_MECHANISM_PTR m,
                             CK_ATTRIBUTE_PTR pub_t, CK_ULONG pub_n,
                             CK_ATTRIBUTE_PTR priv_t, CK_ULONG priv_n,
                             CK_OBJECT_HANDLE_PTR pub_h,
                             CK_OBJECT_HANDLE_PTR priv_h)
{
    p11_object *pub = NULL, *priv = NULL;
    mech_keypair_params p;
    EVP_PKEY *key = NULL;
    if (pub_h == NULL || priv_h == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_tmpl_log("public template", pub_t, pub_n);
    p11_tmpl_log("private template", priv_t, priv_n);
    CK_RV rv = mech_for(m, MECH_GENERATE_KEY_PAIR);
    if (rv != CKR_OK)
        return rv;
    CK_KEY_TYPE kt = m->mechanism == CKM_EC_KEY_PAIR_GEN ? CKK_EC : CKK_RSA;
    rv = p11_object_build(P11_BUILD_GENERATE, CKO_PUBLIC_KEY, pub_t, pub_n,
                          &pub);
    if (rv == CKR_OK)
        rv = p11_object_build(P11_BUILD_GENERATE, CKO_PRIVATE_KEY, priv_t,
                              priv_n, &priv);
    if (rv == CKR_OK)
        rv = key_type(pub, pub_t, pub_n, kt);
    if (rv == CKR_OK)
        rv = key_type(priv, priv_t, priv_n, kt);
    if (rv == CKR_OK && kt == CKK_RSA && pub->token && !priv->token)
        rv = CKR_TEMPLATE_INCONSISTENT; /* an account keypair is whole */
    if (rv == CKR_OK)
        rv = p11_object_may_write(s, pub->token, pub->priv);
    if (rv == CKR_OK)
        rv = p11_object_may_write(s, priv->token, priv->priv);
    if (rv == CKR_OK)
        rv = pair_params(pub, m->mechanism, &p);
    if (rv == CKR_OK)
        rv = mech_generate_keypair(m, &p, &key);
    if (rv == CKR_OK)
        rv = mark_generated(pub, m->mechanism, true);
    if (rv == CKR_OK)
        rv = mark_generated(priv, m->mechanism, true);
    if (rv != CKR_OK) {
        EVP_PKEY_free(key);
        return fail(pub, priv, rv);
    }
    if (priv->token && kt == CKK_RSA)
        return store_token_pair(s, pub, priv, key, pub_h, priv_h);
    return store_pair_objects(s, pub, priv, key, pub_h, priv_h);
}

CK_RV p11_key_wrap_locked(p11_session *s, CK_MECHANISM_PTR m,
                          CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key,
                          CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    mech_key wk;
    if (m == NULL || outlen == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_object *w = p11_object_visible_locked(s, wrapping);
    if (w == NULL)
        return CKR_WRAPPING_KEY_HANDLE_INVALID;
    if (w->cls != CKO_SECRET_KEY && w->cls != CKO_PUBLIC_KEY)
        return CKR_WRAPPING_KEY_TYPE_INCONSISTENT;
    if (!p11_object_bool(w, CKA_WRAP))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    p11_object *k = p11_object_visible_locked(s, key);
    if (k == NULL)
        return CKR_KEY_HANDLE_INVALID;
    if (k->cls != CKO_SECRET_KEY || k->secret.p == NULL)
        return CKR_KEY_NOT_WRAPPABLE;
    if (!p11_object_bool(k, CKA_EXTRACTABLE))
        return CKR_KEY_UNEXTRACTABLE;
    if (p11_object_bool(k, CKA_WRAP_WITH_TRUSTED) &&
        !p11_object_bool(w, CKA_TRUSTED))
        return CKR_KEY_NOT_WRAPPABLE;
    CK_RV rv = p11_crypto_key_of(w, &wk);
    if (rv != CKR_OK)
        return CKR_WRAPPING_KEY_HANDLE_INVALID;
    return mech_wrap(m, &wk, k->secret.p, k->secret.len, out, outlen);
}

static CK_RV unwrapping_key(p11_session *s, CK_OBJECT_HANDLE h, mech_key *uk)
{
    p11_object *u = p11_object_visible_locked(s, h);
    if (u == NULL)
        return CKR_UNWRAPPING_KEY_HANDLE_INVALID;
    if (u->cls != CKO_SECRET_KEY && u->cls != CKO_PRIVATE_KEY)
        return CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT;
    if (!p11_object_bool(u, CKA_UNWRAP))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    CK_RV rv = p11_crypto_key_of(u, uk);
    return rv == CKR_OK ? CKR_OK : CKR_UNWRAPPING_KEY_HANDLE_INVALID;
}

CK_RV p11_key_unwrap_locked(p11_session *s, CK_MECHANISM_PTR m,
                            CK_OBJECT_HANDLE unwrapping, CK_BYTE_PTR wrapped,
                            CK_ULONG len, CK_ATTRIBUTE_PTR t, CK_ULONG n,
                            CK_OBJECT_HANDLE_PTR h)
{
    mech_key uk;
    p11_object *o = NULL;
    bool present = false;
    CK_ULONG want = 0;
    if (m == NULL || wrapped == NULL || h == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_tmpl_log("unwrap", t, n);
    CK_RV rv = unwrapping_key(s, unwrapping, &uk);
    if (rv == CKR_OK)
        rv = p11_object_build(P11_BUILD_UNWRAP, CKO_SECRET_KEY, t, n, &o);
    if (rv == CKR_OK)
        rv = key_type(o, t, n, CKK_AES);
    if (rv == CKR_OK)
        rv = p11_object_may_write(s, o->token, o->priv);
    if (rv == CKR_OK)
        rv = p11_tmpl_ulong(t, n, CKA_VALUE_LEN, &want, &present);
    if (rv == CKR_OK)
        rv = mech_unwrap(m, &uk, wrapped, len, &o->secret);
    if (rv == CKR_OK && o->secret.len != 16 && o->secret.len != 24 &&
        o->secret.len != 32)
        rv = CKR_WRAPPED_KEY_LEN_RANGE;
    if (rv == CKR_OK && present && want != o->secret.len)
        rv = CKR_TEMPLATE_INCONSISTENT;
    if (rv == CKR_OK)
        rv = p11_object_set_ulong(o, CKA_VALUE_LEN, o->secret.len);
    if (rv == CKR_OK)
        rv = mark_generated(o, m->mechanism, false);
    if (rv != CKR_OK)
        return fail(o, NULL, rv);
    return p11_object_store_locked(s, o, h);
}
