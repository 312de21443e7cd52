/* pkcs11/core/crypto.c - encrypt/decrypt/sign/verify/digest sessions. */
#include "crypto.h"

#include "objops.h"

/* Which key classes and usage attribute each kind of operation needs. */
static const struct {
    enum mech_purpose purpose;
    CK_OBJECT_CLASS asym; /* the asymmetric class allowed */
    CK_ATTRIBUTE_TYPE usage;
} rules[P11_OP_COUNT] = {
    [P11_OP_ENCRYPT] = {MECH_ENCRYPT, CKO_PUBLIC_KEY, CKA_ENCRYPT},
    [P11_OP_DECRYPT] = {MECH_DECRYPT, CKO_PRIVATE_KEY, CKA_DECRYPT},
    [P11_OP_SIGN] = {MECH_SIGN, CKO_PRIVATE_KEY, CKA_SIGN},
    [P11_OP_VERIFY] = {MECH_VERIFY, CKO_PUBLIC_KEY, CKA_VERIFY},
    [P11_OP_DIGEST] = {MECH_DIGEST, 0, 0},
};

CK_RV p11_crypto_key_of(const p11_object *o, mech_key *k)
{
    *k = (mech_key){0};
    k->type = p11_object_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (o->cls == CKO_SECRET_KEY) {
        if (o->secret.p == NULL)
            return CKR_KEY_HANDLE_INVALID;
        k->secret = o->secret.p;
        k->secret_len = o->secret.len;
        return CKR_OK;
    }
    if (o->pkey == NULL)
        return CKR_KEY_HANDLE_INVALID;
    k->pkey = o->pkey;
    return CKR_OK;
}

CK_RV p11_crypto_init_locked(p11_session *s, enum p11_op_kind k,
                             CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key)
{
    mech_key mk;
    if (m == NULL)
        return CKR_ARGUMENTS_BAD;
    if (s->op[k] != NULL)
        return CKR_OPERATION_ACTIVE;
    if (k == P11_OP_DIGEST)
        return mech_op_init(&s->op[k], MECH_DIGEST, m, NULL);
    p11_object *o = p11_object_visible_locked(s, key);
    if (o == NULL)
        return CKR_KEY_HANDLE_INVALID;
    if (o->cls != CKO_SECRET_KEY && o->cls != rules[k].asym)
        return CKR_KEY_TYPE_INCONSISTENT;
    if (!p11_object_bool(o, rules[k].usage))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    CK_RV rv = p11_crypto_key_of(o, &mk);
    if (rv != CKR_OK)
        return rv;
    return mech_op_init(&s->op[k], rules[k].purpose, m, &mk);
}

/* End the operation unless mech says it is still active. */
static CK_RV settle(p11_session *s, enum p11_op_kind k, CK_RV rv)
{
    if (s->op[k] != NULL && !mech_op_active(s->op[k]))
        p11_session_end_op(s, k);
    return rv;
}

/* Common checks: an active op of this kind, sane buffers (a bad argument
 * ends the operation too). */
static CK_RV check(p11_session *s, enum p11_op_kind k, bool bad)
{
    if (s->op[k] == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (bad) {
        p11_session_end_op(s, k);
        return CKR_ARGUMENTS_BAD;
    }
    return CKR_OK;
}

CK_RV p11_crypto_oneshot_locked(p11_session *s, enum p11_op_kind k,
                                CK_BYTE_PTR in, CK_ULONG inlen,
                                CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    CK_RV rv = check(s, k, (in == NULL && inlen > 0) || outlen == NULL);
    if (rv != CKR_OK)
        return rv;
    return settle(s, k, mech_op_oneshot(s->op[k], in, inlen, out, outlen));
}

CK_RV p11_crypto_update_locked(p11_session *s, enum p11_op_kind k,
                               CK_BYTE_PTR in, CK_ULONG inlen,
                               CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    bool needs_out = k == P11_OP_ENCRYPT || k == P11_OP_DECRYPT;
    CK_RV rv = check(s, k, (in == NULL && inlen > 0) ||
                               (needs_out && outlen == NULL));
    if (rv != CKR_OK)
        return rv;
    return settle(s, k, mech_op_update(s->op[k], in, inlen, out, outlen));
}

CK_RV p11_crypto_final_locked(p11_session *s, enum p11_op_kind k,
                              CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    CK_RV rv = check(s, k, outlen == NULL);
    if (rv != CKR_OK)
        return rv;
    return settle(s, k, mech_op_final(s->op[k], out, outlen));
}

CK_RV p11_crypto_verify_locked(p11_session *s, CK_BYTE_PTR data,
                               CK_ULONG len, CK_BYTE_PTR sig,
                               CK_ULONG siglen)
{
    CK_RV rv = check(s, P11_OP_VERIFY,
                     (data == NULL && len > 0) || sig == NULL);
    if (rv != CKR_OK)
        return rv;
    rv = mech_op_verify(s->op[P11_OP_VERIFY], data, len, sig, siglen);
    return settle(s, P11_OP_VERIFY, rv);
}

CK_RV p11_crypto_verify_final_locked(p11_session *s, CK_BYTE_PTR sig,
                                     CK_ULONG siglen)
{
    CK_RV rv = check(s, P11_OP_VERIFY, sig == NULL);
    if (rv != CKR_OK)
        return rv;
    rv = mech_op_verify_final(s->op[P11_OP_VERIFY], sig, siglen);
    return settle(s, P11_OP_VERIFY, rv);
}
