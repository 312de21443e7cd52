/* pkcs11/core/crypto.h - session operations over pkcs11/mech: resolve the
 * key object, check its class and usage attribute, hand the key material
 * to mech, and end the operation exactly when the spec says (5.2: every
 * call ends it except a size query or CKR_BUFFER_TOO_SMALL).
 */
#ifndef PKCS11_CORE_CRYPTO_H
#define PKCS11_CORE_CRYPTO_H

#include "cryptoki.h"
#include "mech.h"
#include "object.h"
#include "session.h"

CK_RV p11_crypto_init_locked(p11_session *s, enum p11_op_kind k,
                             CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key);
CK_RV p11_crypto_oneshot_locked(p11_session *s, enum p11_op_kind k,
                                CK_BYTE_PTR in, CK_ULONG inlen,
                                CK_BYTE_PTR out, CK_ULONG_PTR outlen);
CK_RV p11_crypto_update_locked(p11_session *s, enum p11_op_kind k,
                               CK_BYTE_PTR in, CK_ULONG inlen,
                               CK_BYTE_PTR out, CK_ULONG_PTR outlen);
CK_RV p11_crypto_final_locked(p11_session *s, enum p11_op_kind k,
                              CK_BYTE_PTR out, CK_ULONG_PTR outlen);
CK_RV p11_crypto_verify_locked(p11_session *s, CK_BYTE_PTR data,
                               CK_ULONG len, CK_BYTE_PTR sig,
                               CK_ULONG siglen);
CK_RV p11_crypto_verify_final_locked(p11_session *s, CK_BYTE_PTR sig,
                                     CK_ULONG siglen);

/* mech_key view of a key object (borrowed pointers). */
CK_RV p11_crypto_key_of(const p11_object *o, mech_key *k);

#endif /* PKCS11_CORE_CRYPTO_H */
