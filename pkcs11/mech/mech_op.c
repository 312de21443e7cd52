/* pkcs11/mech/mech_op.c - the operation state machine and the PKCS#11
 * output-buffer rules (3.0 section 5.2), shared by every handler.
 *
 * A handler announces a size (exact or an upper bound) before it runs
 * and only ever writes into a buffer at least that large.  When the
 * caller's buffer is large enough, output goes straight into it (no
 * copy).  When it is too small and the size was only a bound, the
 * result is computed once into op->pending and served from there, so a
 * retry receives exactly the same bytes.
 */
#include "mech.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mech_attr.h"
#include "mech_internal.h"

/* ---- small shared helpers ------------------------------------------- */

CK_RV mech_buf_append(mech_buf *b, const uint8_t *in, size_t len)
{
    if (len == 0)
        return CKR_OK;
    if (b->len + len < b->len)
        return CKR_DATA_LEN_RANGE;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len)
            cap *= 2;
        uint8_t *p = OPENSSL_clear_realloc(b->p, b->cap, cap);
        if (!p)
            return CKR_HOST_MEMORY;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, in, len);
    b->len += len;
    return CKR_OK;
}

void mech_buf_free(mech_buf *b)
{
    OPENSSL_clear_free(b->p, b->cap);
    memset(b, 0, sizeof(*b));
}

static CK_RV check_secret(const mech_row *row, const mech_key *key)
{
    if (!key->secret)
        return CKR_ARGUMENTS_BAD;
    if (key->secret_len < row->min_key || key->secret_len > row->max_key)
        return CKR_KEY_SIZE_RANGE;
    if (key->secret_len != 16 && key->secret_len != 24 && key->secret_len != 32)
        return CKR_KEY_SIZE_RANGE;
    return CKR_OK;
}

CK_RV mech_check_pkey(const mech_row *row, const mech_key *key)
{
    const char *alg = row->key_type == CKK_RSA ? "RSA" : "EC";
    int bits;

    if (!key->pkey)
        return CKR_ARGUMENTS_BAD;
    if (!EVP_PKEY_is_a(key->pkey, alg))
        return CKR_KEY_TYPE_INCONSISTENT;
    bits = EVP_PKEY_get_bits(key->pkey);
    if (bits <= 0 || (CK_ULONG)bits < row->min_key ||
        (CK_ULONG)bits > row->max_key)
        return CKR_KEY_SIZE_RANGE;
    return CKR_OK;
}

static CK_RV check_key(const mech_row *row, enum mech_purpose purpose,
                       const mech_key *key)
{
    CK_RV rv;

    if (row->key_type == MECH_NO_KEY)
        return CKR_OK;
    if (!key)
        return CKR_ARGUMENTS_BAD;
    if (key->type != row->key_type)
        return CKR_KEY_TYPE_INCONSISTENT;
    if (row->key_type == CKK_AES)
        return check_secret(row, key);
    rv = mech_check_pkey(row, key);
    if (rv == CKR_OK && (purpose == MECH_SIGN || purpose == MECH_DECRYPT) &&
        !mech_attr_is_private(key->pkey))
        rv = CKR_KEY_TYPE_INCONSISTENT;
    return rv;
}

/* ---- lifecycle -------------------------------------------------------- */

CK_RV mech_op_start(mech_op **out, enum mech_purpose purpose,
                    CK_MECHANISM_PTR mechanism, const mech_key *key)
{
    const mech_row *row;
    mech_op *op;
    CK_RV rv;

    if (!out || !mechanism)
        return CKR_ARGUMENTS_BAD;
    row = mech_lookup(mechanism->mechanism);
    if (!row || !row->ops)
        return CKR_MECHANISM_INVALID;
    rv = check_key(row, purpose, key);
    if (rv != CKR_OK)
        return rv;
    op = calloc(1, sizeof(*op));
    if (!op)
        return CKR_HOST_MEMORY;
    op->row = row;
    op->purpose = purpose;
    rv = row->ops->init(op, mechanism, key);
    if (rv != CKR_OK) {
        mech_op_free(op);
        return rv;
    }
    *out = op;
    return CKR_OK;
}

CK_RV mech_op_init(mech_op **out, enum mech_purpose purpose,
                   CK_MECHANISM_PTR mechanism, const mech_key *key)
{
    const mech_row *row;

    if (!out || !mechanism)
        return CKR_ARGUMENTS_BAD;
    if (purpose != MECH_ENCRYPT && purpose != MECH_DECRYPT &&
        purpose != MECH_SIGN && purpose != MECH_VERIFY &&
        purpose != MECH_DIGEST)
        return CKR_ARGUMENTS_BAD;
    row = mech_lookup(mechanism->mechanism);
    if (!row || !(row->purposes & (unsigned)purpose))
        return CKR_MECHANISM_INVALID;
    return mech_op_start(out, purpose, mechanism, key);
}

void mech_op_free(mech_op *op)
{
    if (!op)
        return;
    if (op->row && op->row->ops->cleanup)
        op->row->ops->cleanup(op);
    secbuf_free(&op->pending);
    free(op);
}

int mech_op_active(const mech_op *op)
{
    return op && op->state != OP_DONE;
}

enum mech_purpose mech_op_purpose(const mech_op *op)
{
    return op->purpose;
}

CK_MECHANISM_TYPE mech_op_mechanism(const mech_op *op)
{
    return op->row->type;
}

/* Any result other than a size answer ends the operation (5.2). */
static CK_RV finish(mech_op *op, CK_RV rv)
{
    op->state = OP_DONE;
    return rv;
}

/* ---- output delivery -------------------------------------------------- */

static CK_RV serve_pending(mech_op *op, CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    if (!out) {
        *outlen = op->pending.len;
        return CKR_OK;
    }
    if (*outlen < op->pending.len) {
        *outlen = op->pending.len;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(out, op->pending.p, op->pending.len);
    *outlen = op->pending.len;
    secbuf_free(&op->pending);
    op->has_pending = 0;
    return finish(op, CKR_OK);
}

typedef CK_RV (*produce_fn)(mech_op *op, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t *outlen);

/* Deliver a final result of at most need bytes (exactly need if exact). */
static CK_RV deliver(mech_op *op, produce_fn produce, const uint8_t *in,
                     size_t inlen, size_t need, int exact, CK_BYTE_PTR out,
                     CK_ULONG_PTR outlen)
{
    size_t n = need;
    CK_RV rv;

    if (!out || (*outlen < need && exact)) {
        *outlen = need;
        return out ? CKR_BUFFER_TOO_SMALL : CKR_OK;
    }
    if (*outlen >= need) {
        rv = produce(op, in, inlen, out, &n);
        if (rv == CKR_OK)
            *outlen = n;
        return finish(op, rv);
    }
    if (secbuf_alloc(&op->pending, need) != 0)
        return finish(op, CKR_HOST_MEMORY);
    rv = produce(op, in, inlen, op->pending.p, &n);
    if (rv != CKR_OK) {
        secbuf_free(&op->pending);
        return finish(op, rv);
    }
    op->pending.len = n;
    op->has_pending = 1;
    return serve_pending(op, out, outlen);
}

static CK_RV produce_oneshot(mech_op *op, const uint8_t *in, size_t inlen,
                             uint8_t *out, size_t *outlen)
{
    return op->row->ops->oneshot(op, in, inlen, out, outlen);
}

static CK_RV produce_final(mech_op *op, const uint8_t *in, size_t inlen,
                           uint8_t *out, size_t *outlen)
{
    (void)in;
    (void)inlen;
    return op->row->ops->final(op, out, outlen);
}

static int produces_output(const mech_op *op)
{
    return op->purpose != MECH_VERIFY;
}

/* ---- the calls ------------------------------------------------------ */

CK_RV mech_op_oneshot(mech_op *op, const CK_BYTE *in, CK_ULONG inlen,
                      CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    size_t need = 0;
    int exact = 1;
    CK_RV rv;

    if (!op || !outlen || (!in && inlen))
        return CKR_ARGUMENTS_BAD;
    if (op->state == OP_DONE || !produces_output(op))
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->state == OP_UPDATING)
        return CKR_OPERATION_ACTIVE;
    if (op->has_pending)
        return serve_pending(op, out, outlen);
    if (!op->row->ops->oneshot)
        return finish(op, CKR_FUNCTION_NOT_SUPPORTED);
    op->state = OP_ONESHOT;
    rv = op->row->ops->oneshot_len(op, inlen, &need, &exact);
    if (rv != CKR_OK)
        return finish(op, rv);
    return deliver(op, produce_oneshot, in, inlen, need, exact, out, outlen);
}

static CK_RV update_cipher(mech_op *op, const CK_BYTE *in, CK_ULONG inlen,
                           CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    size_t need = 0;
    size_t n;
    CK_RV rv;

    if (!outlen)
        return CKR_ARGUMENTS_BAD;
    rv = op->row->ops->update_len(op, inlen, &need);
    if (rv != CKR_OK)
        return finish(op, rv);
    if (!out || *outlen < need) {
        *outlen = need;
        return out ? CKR_BUFFER_TOO_SMALL : CKR_OK;
    }
    n = need;
    rv = op->row->ops->update(op, in, inlen, out, &n);
    if (rv != CKR_OK)
        return finish(op, rv);
    op->state = OP_UPDATING;
    *outlen = n;
    return CKR_OK;
}

CK_RV mech_op_update(mech_op *op, const CK_BYTE *in, CK_ULONG inlen,
                     CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    CK_RV rv;

    if (!op || (!in && inlen))
        return CKR_ARGUMENTS_BAD;
    if (op->state == OP_DONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->state == OP_ONESHOT)
        return CKR_OPERATION_ACTIVE;
    if (!op->row->multipart || !op->row->ops->update)
        return finish(op, CKR_FUNCTION_NOT_SUPPORTED);
    if (op->purpose == MECH_ENCRYPT || op->purpose == MECH_DECRYPT)
        return update_cipher(op, in, inlen, out, outlen);
    rv = op->row->ops->update(op, in, inlen, NULL, NULL);
    if (rv != CKR_OK)
        return finish(op, rv);
    op->state = OP_UPDATING;
    return CKR_OK;
}

CK_RV mech_op_final(mech_op *op, CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    size_t need = 0;
    int exact = 1;
    CK_RV rv;

    if (!op || !outlen)
        return CKR_ARGUMENTS_BAD;
    if (op->state == OP_DONE || !produces_output(op))
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->state == OP_ONESHOT)
        return CKR_OPERATION_ACTIVE;
    if (op->has_pending)
        return serve_pending(op, out, outlen);
    if (!op->row->multipart || !op->row->ops->final)
        return finish(op, CKR_FUNCTION_NOT_SUPPORTED);
    rv = op->row->ops->final_len(op, &need, &exact);
    if (rv != CKR_OK)
        return finish(op, rv);
    return deliver(op, produce_final, NULL, 0, need, exact, out, outlen);
}

CK_RV mech_op_verify(mech_op *op, const CK_BYTE *data, CK_ULONG len,
                     const CK_BYTE *sig, CK_ULONG siglen)
{
    if (!op || (!data && len) || (!sig && siglen))
        return CKR_ARGUMENTS_BAD;
    if (op->state == OP_DONE || op->purpose != MECH_VERIFY)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->state == OP_UPDATING)
        return CKR_OPERATION_ACTIVE;
    return finish(op, op->row->ops->verify(op, data, len, sig, siglen));
}

CK_RV mech_op_verify_final(mech_op *op, const CK_BYTE *sig, CK_ULONG siglen)
{
    if (!op || (!sig && siglen))
        return CKR_ARGUMENTS_BAD;
    if (op->state == OP_DONE || op->purpose != MECH_VERIFY)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (!op->row->multipart || !op->row->ops->verify_final)
        return finish(op, CKR_FUNCTION_NOT_SUPPORTED);
    return finish(op, op->row->ops->verify_final(op, sig, siglen));
}
