/* pkcs11/core/keygen.h - C_GenerateKey, C_GenerateKeyPair, C_WrapKey,
 * C_UnwrapKey: templates -> objects around the pkcs11/mech primitives.
 * Token keys become account keys (a DEK wrapped under the KEK, a keypair
 * with its private PEM wrapped under the KEK); session keys stay here.
 */
#ifndef PKCS11_CORE_KEYGEN_H
#define PKCS11_CORE_KEYGEN_H

#include "cryptoki.h"
#include "session.h"

CK_RV p11_keygen_secret_locked(p11_session *s, CK_MECHANISM_PTR m,
                               CK_ATTRIBUTE_PTR t, CK_ULONG n,
                               CK_OBJECT_HANDLE_PTR h);
CK_RV p11_keygen_pair_locked(p11_session *s, CK_MECHANISM_PTR m,
                             CK_ATTRIBUTE_PTR pub_t, CK_ULONG pub_n,
                             CK_ATTRIBUTE_PTR priv_t, CK_ULONG priv_n,
                             CK_OBJECT_HANDLE_PTR pub_h,
                             CK_OBJECT_HANDLE_PTR priv_h);
CK_RV p11_key_wrap_locked(p11_session *s, CK_MECHANISM_PTR m,
                          CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key,
                          CK_BYTE_PTR out, CK_ULONG_PTR outlen);
CK_RV p11_key_unwrap_locked(p11_session *s, CK_MECHANISM_PTR m,
                            CK_OBJECT_HANDLE unwrapping, CK_BYTE_PTR wrapped,
                            CK_ULONG len, CK_ATTRIBUTE_PTR t, CK_ULONG n,
                            CK_OBJECT_HANDLE_PTR h);

#endif /* PKCS11_CORE_KEYGEN_H */
