/* pkcs11/core/objbuild.h - new objects from caller templates: class
 * defaults, then the template checked against the attribute schema.
 */
#ifndef PKCS11_CORE_OBJBUILD_H
#define PKCS11_CORE_OBJBUILD_H

#include "cryptoki.h"
#include "object.h"

typedef enum p11_build_op {
    P11_BUILD_CREATE,   /* C_CreateObject */
    P11_BUILD_GENERATE, /* C_GenerateKey(Pair) */
    P11_BUILD_UNWRAP,   /* C_UnwrapKey */
} p11_build_op;

/* cls: the class the operation makes (CK_UNAVAILABLE_INFORMATION: take it
 * from the template).  Errors: CKR_TEMPLATE_INCOMPLETE,
 * CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_TYPE_INVALID,
 * CKR_ATTRIBUTE_VALUE_INVALID, CKR_ATTRIBUTE_READ_ONLY. */
CK_RV p11_object_build(p11_build_op op, CK_OBJECT_CLASS cls,
                       const CK_ATTRIBUTE *t, CK_ULONG n, p11_object **out);

/* Apply a template of changes (C_SetAttributeValue, C_CopyObject) after
 * checking every entry; nothing changes on error.  copy: the CKA_TOKEN /
 * CKA_PRIVATE of a copy may be set too. */
CK_RV p11_object_apply(p11_object *o, const CK_ATTRIBUTE *t, CK_ULONG n,
                       bool copy);

#endif /* PKCS11_CORE_OBJBUILD_H */
