/* pkcs11/core/names.h - CKR_/CKA_/CKO_ names for logs and tests. */
#ifndef PKCS11_CORE_NAMES_H
#define PKCS11_CORE_NAMES_H

#include "cryptoki.h"

/* "CKR_PIN_INCORRECT"; "CKR_0x...": unknown values use a static buffer
 * per thread. */
const char *p11_rv_name(CK_RV rv);
const char *p11_class_name(CK_OBJECT_CLASS cls);

#endif /* PKCS11_CORE_NAMES_H */
