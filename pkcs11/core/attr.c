/* pkcs11/core/attr.c - the attribute schema table and template helpers. */
#include "attr.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

#define R(t, k, f) {t, #t, k, f}
#define MOD P11_AF_MODIFY
#define GEN P11_AF_GENERATED
#define SEC (P11_AF_SENSITIVE | P11_AF_SECRET)

static const p11_attr_rule rules[] = {
    /* storage objects (all classes) */
    R(CKA_CLASS, P11_AK_ULONG, 0),
    R(CKA_TOKEN, P11_AK_BOOL, 0),
    R(CKA_PRIVATE, P11_AK_BOOL, 0),
    R(CKA_MODIFIABLE, P11_AK_BOOL, P11_AF_ONLY_FALSE),
    R(CKA_COPYABLE, P11_AK_BOOL, P11_AF_ONLY_FALSE),
    R(CKA_DESTROYABLE, P11_AK_BOOL, P11_AF_ONLY_FALSE),
    R(CKA_LABEL, P11_AK_UTF8, MOD),
    /* data objects */
    R(CKA_APPLICATION, P11_AK_UTF8, MOD),
    R(CKA_OBJECT_ID, P11_AK_BYTES, MOD),
    R(CKA_VALUE, P11_AK_BYTES, SEC | MOD),
    /* keys */
    R(CKA_KEY_TYPE, P11_AK_ULONG, 0),
    R(CKA_ID, P11_AK_BYTES, MOD),
    R(CKA_START_DATE, P11_AK_DATE, MOD),
    R(CKA_END_DATE, P11_AK_DATE, MOD),
    R(CKA_DERIVE, P11_AK_BOOL, MOD),
    R(CKA_LOCAL, P11_AK_BOOL, GEN),
    R(CKA_KEY_GEN_MECHANISM, P11_AK_ULONG, GEN),
    R(CKA_SUBJECT, P11_AK_BYTES, MOD),
    R(CKA_ENCRYPT, P11_AK_BOOL, MOD),
    R(CKA_DECRYPT, P11_AK_BOOL, MOD),
    R(CKA_SIGN, P11_AK_BOOL, MOD),
    R(CKA_VERIFY, P11_AK_BOOL, MOD),
    R(CKA_SIGN_RECOVER, P11_AK_BOOL, MOD),
    R(CKA_VERIFY_RECOVER, P11_AK_BOOL, MOD),
    R(CKA_WRAP, P11_AK_BOOL, MOD),
    R(CKA_UNWRAP, P11_AK_BOOL, MOD),
    R(CKA_TRUSTED, P11_AK_BOOL, 0),
    R(CKA_WRAP_WITH_TRUSTED, P11_AK_BOOL, P11_AF_ONLY_TRUE),
    R(CKA_SENSITIVE, P11_AK_BOOL, P11_AF_ONLY_TRUE),
    R(CKA_EXTRACTABLE, P11_AK_BOOL, P11_AF_ONLY_FALSE),
    R(CKA_ALWAYS_SENSITIVE, P11_AK_BOOL, GEN),
    R(CKA_NEVER_EXTRACTABLE, P11_AK_BOOL, GEN),
    R(CKA_ALWAYS_AUTHENTICATE, P11_AK_BOOL, 0),
    R(CKA_VALUE_LEN, P11_AK_ULONG, 0),
    R(CKA_CHECK_VALUE, P11_AK_BYTES, GEN),
    R(CKA_PUBLIC_KEY_INFO, P11_AK_BYTES, 0),
    /* RSA */
    R(CKA_MODULUS, P11_AK_BIGINT, 0),
    R(CKA_MODULUS_BITS, P11_AK_ULONG, 0),
    R(CKA_PUBLIC_EXPONENT, P11_AK_BIGINT, 0),
    R(CKA_PRIVATE_EXPONENT, P11_AK_BIGINT, SEC),
    R(CKA_PRIME_1, P11_AK_BIGINT, SEC),
    R(CKA_PRIME_2, P11_AK_BIGINT, SEC),
    R(CKA_EXPONENT_1, P11_AK_BIGINT, SEC),
    R(CKA_EXPONENT_2, P11_AK_BIGINT, SEC),
    R(CKA_COEFFICIENT, P11_AK_BIGINT, SEC),
    /* EC */
    R(CKA_EC_PARAMS, P11_AK_BYTES, 0),
    R(CKA_EC_POINT, P11_AK_BYTES, 0),
    /* certificates (session objects only) */
    R(CKA_CERTIFICATE_TYPE, P11_AK_ULONG, 0),
    R(CKA_CERTIFICATE_CATEGORY, P11_AK_ULONG, 0),
    R(CKA_ISSUER, P11_AK_BYTES, MOD),
    R(CKA_SERIAL_NUMBER, P11_AK_BYTES, MOD),
    R(CKA_URL, P11_AK_UTF8, 0),
    R(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, P11_AK_BYTES, 0),
    R(CKA_HASH_OF_ISSUER_PUBLIC_KEY, P11_AK_BYTES, 0),
    R(CKA_JAVA_MIDP_SECURITY_DOMAIN, P11_AK_ULONG, 0),
    /* Meeco vendor attributes (include/meeco-pkcs11.h) */
    R(CKA_MEECO_ITEM_ID, P11_AK_UTF8, GEN),
    R(CKA_MEECO_SLOT_ID, P11_AK_UTF8, GEN),
    R(CKA_MEECO_SLOT_LABEL, P11_AK_UTF8, MOD),
    R(CKA_MEECO_SLOT_TYPE, P11_AK_UTF8, 0),
    R(CKA_MEECO_TEMPLATE, P11_AK_UTF8, 0),
    R(CKA_MEECO_ENCRYPTED_VALUE, P11_AK_UTF8, GEN),
    R(CKA_MEECO_ITEM_LABEL, P11_AK_UTF8, 0),
    R(CKA_MEECO_KEY_ROLE, P11_AK_UTF8, GEN),
    R(CKA_MEECO_WRAPPED_KEY, P11_AK_UTF8, GEN),
};

#undef R
#undef MOD
#undef GEN
#undef SEC

const p11_attr_rule *p11_attr_rule_find(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (rules[i].type == type)
            return &rules[i];
    return NULL;
}

const char *p11_attr_name(CK_ATTRIBUTE_TYPE type)
{
    const p11_attr_rule *r = p11_attr_rule_find(type);
    return r != NULL ? r->name : "CKA_?";
}

CK_RV p11_attr_check(const CK_ATTRIBUTE *a)
{
    const p11_attr_rule *r = p11_attr_rule_find(a->type);
    if (r == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    if (a->pValue == NULL && a->ulValueLen != 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    switch (r->kind) {
    case P11_AK_BOOL:
        if (a->ulValueLen != sizeof(CK_BBOOL))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        return *(const CK_BBOOL *)a->pValue > 1 ? CKR_ATTRIBUTE_VALUE_INVALID
                                                : CKR_OK;
    case P11_AK_ULONG:
        return a->ulValueLen == sizeof(CK_ULONG) ? CKR_OK
                                                 : CKR_ATTRIBUTE_VALUE_INVALID;
    case P11_AK_DATE:
        return (a->ulValueLen == 0 || a->ulValueLen == sizeof(CK_DATE))
                   ? CKR_OK
                   : CKR_ATTRIBUTE_VALUE_INVALID;
    default:
        return CKR_OK;
    }
}

const CK_ATTRIBUTE *p11_tmpl_find(const CK_ATTRIBUTE *t, CK_ULONG n,
                                  CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; t != NULL && i < n; i++)
        if (t[i].type == type)
            return &t[i];
    return NULL;
}

CK_RV p11_tmpl_bool(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type,
                    CK_BBOOL *out, bool *present)
{
    const CK_ATTRIBUTE *a = p11_tmpl_find(t, n, type);
    *present = a != NULL;
    if (a == NULL)
        return CKR_OK;
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_BBOOL))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    *out = *(const CK_BBOOL *)a->pValue ? CK_TRUE : CK_FALSE;
    return CKR_OK;
}

CK_RV p11_tmpl_ulong(const CK_ATTRIBUTE *t, CK_ULONG n,
                     CK_ATTRIBUTE_TYPE type, CK_ULONG *out, bool *present)
{
    const CK_ATTRIBUTE *a = p11_tmpl_find(t, n, type);
    *present = a != NULL;
    if (a == NULL)
        return CKR_OK;
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    memcpy(out, a->pValue, sizeof(CK_ULONG));
    return CKR_OK;
}

CK_RV p11_tmpl_check_args(const CK_ATTRIBUTE *t, CK_ULONG n)
{
    if (t == NULL && n > 0)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < n; i++)
        if (t[i].pValue == NULL && t[i].ulValueLen > 0)
            return CKR_ATTRIBUTE_VALUE_INVALID;
    return CKR_OK;
}

static int format_value(const CK_ATTRIBUTE *a, const p11_attr_rule *r,
                        char *buf, size_t len)
{
    if (a->pValue == NULL)
        return snprintf(buf, len, "<%lu bytes?>", (unsigned long)a->ulValueLen);
    if (r == NULL || (r->flags & P11_AF_SECRET))
        return snprintf(buf, len, "<%lu bytes redacted>",
                        (unsigned long)a->ulValueLen);
    if (r->kind == P11_AK_BOOL && a->ulValueLen == 1)
        return snprintf(buf, len, "%s",
                        *(const CK_BBOOL *)a->pValue ? "TRUE" : "FALSE");
    if (r->kind == P11_AK_ULONG && a->ulValueLen == sizeof(CK_ULONG))
        return snprintf(buf, len, "0x%lx",
                        (unsigned long)*(const CK_ULONG *)a->pValue);
    if (r->kind == P11_AK_UTF8) {
        int n = a->ulValueLen > 64 ? 64 : (int)a->ulValueLen;
        return snprintf(buf, len, "\"%.*s\"", n, (const char *)a->pValue);
    }
    return snprintf(buf, len, "<%lu bytes>", (unsigned long)a->ulValueLen);
}

void p11_tmpl_format(const CK_ATTRIBUTE *t, CK_ULONG n, char *buf, size_t len)
{
    size_t used = 0;
    if (len == 0)
        return;
    buf[0] = 0;
    for (CK_ULONG i = 0; t != NULL && i < n && used + 1 < len; i++) {
        const p11_attr_rule *r = p11_attr_rule_find(t[i].type);
        int w = r != NULL ? snprintf(buf + used, len - used, "%s%s=",
                                     i ? " " : "", r->name)
                          : snprintf(buf + used, len - used, "%s0x%lx=",
                                     i ? " " : "", (unsigned long)t[i].type);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
        w = format_value(&t[i], r, buf + used, len - used);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

void p11_tmpl_log(const char *what, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    char buf[1024];
    if (!log_enabled(LOG_AREA_PKCS11, LOG_DEBUG) || (t == NULL && n > 0))
        return;
    p11_tmpl_format(t, n, buf, sizeof(buf));
    LOGD(LOG_AREA_PKCS11, "%s: %s", what, buf);
}
