/* pkcs11/core/attr.h - the attribute schema (a table, not if-chains) and
 * template helpers.
 *
 * Each row says what kind of value an attribute holds and how it may be
 * used.  The flags transcribe the footnotes of the PKCS#11 3.0 base spec,
 * section 4.2 table 10 ("Common footnotes for object attribute tables"):
 *
 *   1 must be specified when object is created    -> checked per class
 *   2 must not be specified when object is created -> P11_AF_GENERATED
 *   4 must not be specified when generated / unwrapped -> P11_AF_GENERATED
 *   6 not revealed if CKA_SENSITIVE true / CKA_EXTRACTABLE false
 *                                                  -> P11_AF_SENSITIVE
 *   8 may be modified after object is created      -> P11_AF_MODIFY
 *  11 may be changed only to CK_TRUE (CKA_SENSITIVE) -> P11_AF_ONLY_TRUE
 *     may be changed only to CK_FALSE (CKA_EXTRACTABLE, CKA_COPYABLE,
 *     CKA_MODIFIABLE, CKA_DESTROYABLE during copy)   -> P11_AF_ONLY_FALSE
 *
 * P11_AF_SECRET marks values never written to a log (keys' CKA_VALUE and
 * private components, data values, PINs are never attributes).
 */
#ifndef PKCS11_CORE_ATTR_H
#define PKCS11_CORE_ATTR_H

#include <stdbool.h>
#include <stddef.h>

#include "cryptoki.h"

typedef enum p11_attr_kind {
    P11_AK_BOOL,   /* CK_BBOOL */
    P11_AK_ULONG,  /* CK_ULONG (class, key type, bits, mechanism ...) */
    P11_AK_BYTES,  /* opaque bytes */
    P11_AK_UTF8,   /* UTF-8 text without NUL */
    P11_AK_DATE,   /* CK_DATE or empty */
    P11_AK_BIGINT, /* big-endian unsigned integer */
} p11_attr_kind;

#define P11_AF_SENSITIVE  0x01u
#define P11_AF_MODIFY     0x02u
#define P11_AF_GENERATED  0x04u
#define P11_AF_ONLY_TRUE  0x08u
#define P11_AF_ONLY_FALSE 0x10u
#define P11_AF_SECRET     0x20u

typedef struct p11_attr_rule {
    CK_ATTRIBUTE_TYPE type;
    const char *name;
    p11_attr_kind kind;
    unsigned flags;
} p11_attr_rule;

/* The row for type, or NULL if the module does not know the attribute. */
const p11_attr_rule *p11_attr_rule_find(CK_ATTRIBUTE_TYPE type);
const char *p11_attr_name(CK_ATTRIBUTE_TYPE type);

/* CKR_ATTRIBUTE_VALUE_INVALID when a's length does not suit its kind
 * (BOOL: 1 byte of 0/1, ULONG: sizeof(CK_ULONG), DATE: 0 or 8 bytes).
 * CKR_ATTRIBUTE_TYPE_INVALID for an unknown attribute. */
CK_RV p11_attr_check(const CK_ATTRIBUTE *a);

/* ---- templates ----------------------------------------------------- */

const CK_ATTRIBUTE *p11_tmpl_find(const CK_ATTRIBUTE *t, CK_ULONG n,
                                  CK_ATTRIBUTE_TYPE type);
/* Read a BOOL / ULONG from a template: CKR_OK and *present; a malformed
 * value is CKR_ATTRIBUTE_VALUE_INVALID. */
CK_RV p11_tmpl_bool(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type,
                    CK_BBOOL *out, bool *present);
CK_RV p11_tmpl_ulong(const CK_ATTRIBUTE *t, CK_ULONG n,
                     CK_ATTRIBUTE_TYPE type, CK_ULONG *out, bool *present);
/* Argument sanity for a caller's template: NULL with n > 0, NULL values
 * with non-zero length. */
CK_RV p11_tmpl_check_args(const CK_ATTRIBUTE *t, CK_ULONG n);

/* Debug text for a template: "CKA_CLASS=CKO_DATA CKA_LABEL="x" CKA_VALUE=<8
 * bytes redacted>".  Secret attributes never show their value.  Writes at
 * most len bytes including the NUL. */
void p11_tmpl_format(const CK_ATTRIBUTE *t, CK_ULONG n, char *buf, size_t len);

/* Debug-log a template (redacted as above) when debug logging is on. */
void p11_tmpl_log(const char *what, const CK_ATTRIBUTE *t, CK_ULONG n);

#endif /* PKCS11_CORE_ATTR_H */
