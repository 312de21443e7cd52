/* pkcs11/mech/mech_wrap.c - C_WrapKey / C_UnwrapKey on top of the
 * single-part encrypt and decrypt handlers.
 *
 * Wrapping is stateless: the result is computed into a wiped buffer and
 * copied out, so a size query or a short buffer loses nothing (the
 * sizes of every wrap mechanism are deterministic even when the bytes
 * are not).  Error codes are translated to the wrapping vocabulary of
 * PKCS#11 (CKR_WRAPPING_KEY_*, CKR_WRAPPED_KEY_*, CKR_KEY_SIZE_RANGE for
 * a key the mechanism cannot wrap).
 */
#include "mech.h"

#include <string.h>

#include "mech_internal.h"

static CK_RV wrap_error(CK_RV rv)
{
    switch (rv) {
    case CKR_KEY_TYPE_INCONSISTENT:
        return CKR_WRAPPING_KEY_TYPE_INCONSISTENT;
    case CKR_KEY_SIZE_RANGE:
        return CKR_WRAPPING_KEY_SIZE_RANGE;
    case CKR_DATA_LEN_RANGE:
        return CKR_KEY_SIZE_RANGE;
    default:
        return rv;
    }
}

static CK_RV unwrap_error(CK_RV rv)
{
    switch (rv) {
    case CKR_KEY_TYPE_INCONSISTENT:
        return CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT;
    case CKR_KEY_SIZE_RANGE:
        return CKR_UNWRAPPING_KEY_SIZE_RANGE;
    case CKR_ENCRYPTED_DATA_INVALID:
        return CKR_WRAPPED_KEY_INVALID;
    case CKR_ENCRYPTED_DATA_LEN_RANGE:
        return CKR_WRAPPED_KEY_LEN_RANGE;
    default:
        return rv;
    }
}

/* Run one single-part operation of purpose on in, result into *out. */
static CK_RV run_oneshot(enum mech_purpose purpose, CK_MECHANISM_PTR m,
                         const mech_key *key, const uint8_t *in, size_t inlen,
                         secbuf *out)
{
    const mech_row *row = mech_lookup(m->mechanism);
    unsigned need_bit = purpose == MECH_ENCRYPT ? MECH_WRAP : MECH_UNWRAP;
    mech_op *op = NULL;
    CK_ULONG n = 0;
    CK_RV rv;

    if (!row || !(row->purposes & need_bit))
        return CKR_MECHANISM_INVALID;
    rv = mech_op_start(&op, purpose, m, key);
    if (rv != CKR_OK)
        return rv;
    rv = mech_op_oneshot(op, in, inlen, NULL, &n);
    if (rv == CKR_OK && secbuf_alloc(out, n) != 0)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK) {
        rv = mech_op_oneshot(op, in, inlen, out->p, &n);
        out->len = n;
    }
    if (rv != CKR_OK)
        secbuf_free(out);
    mech_op_free(op);
    return rv;
}

CK_RV mech_wrap(CK_MECHANISM_PTR mechanism, const mech_key *wrapping,
                const uint8_t *key, size_t keylen, CK_BYTE_PTR out,
                CK_ULONG_PTR outlen)
{
    secbuf wrapped = {0};
    CK_RV rv;

    if (!mechanism || !wrapping || !outlen || (!key && keylen))
        return CKR_ARGUMENTS_BAD;
    rv = run_oneshot(MECH_ENCRYPT, mechanism, wrapping, key, keylen, &wrapped);
    if (rv != CKR_OK)
        return wrap_error(rv);
    if (out && *outlen < wrapped.len)
        rv = CKR_BUFFER_TOO_SMALL;
    else if (out)
        memcpy(out, wrapped.p, wrapped.len);
    *outlen = wrapped.len;
    secbuf_free(&wrapped);
    return rv;
}

CK_RV mech_unwrap(CK_MECHANISM_PTR mechanism, const mech_key *unwrapping,
                  const uint8_t *wrapped, size_t len, secbuf *key)
{
    CK_RV rv;

    if (!mechanism || !unwrapping || !key || (!wrapped && len))
        return CKR_ARGUMENTS_BAD;
    rv = run_oneshot(MECH_DECRYPT, mechanism, unwrapping, wrapped, len, key);
    return rv == CKR_OK ? CKR_OK : unwrap_error(rv);
}
