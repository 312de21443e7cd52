/* pkcs11/core/token.c - slot/token information and the login state
 * machine (base spec 5.6, C_Login / C_Logout / C_InitToken / C_InitPIN /
 * C_SetPIN).
 */
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocking.h"
#include "log.h"
#include "meeco_map.h"
#include "objtable.h"
#include "secbuf.h"
#include "session.h"

#define PIN_MIN 4
#define PIN_MAX 255

/* Copy a blank-padded / length-counted PKCS#11 string. */
static void pad(CK_UTF8CHAR *dst, size_t len, const char *src)
{
    size_t n = strlen(src);
    memset(dst, ' ', len);
    memcpy(dst, src, n < len ? n : len);
}

void p11_token_slot_info_locked(const p11_token *t, CK_SLOT_INFO *info)
{
    char desc[64];
    snprintf(desc, sizeof(desc), "Meeco account %s", t->name);
    pad(info->slotDescription, sizeof(info->slotDescription), desc);
    pad(info->manufacturerID, sizeof(info->manufacturerID), "Meeco");
    info->flags = t->ops != NULL ? CKF_TOKEN_PRESENT : 0;
    info->hardwareVersion = (CK_VERSION){0, 1};
    info->firmwareVersion = (CK_VERSION){0, 1};
}

CK_RV p11_token_info_locked(p11_token *t, CK_TOKEN_INFO *info)
{
    p11_bk_status st;
    if (t->ops == NULL)
        return CKR_TOKEN_NOT_PRESENT;
    CK_RV rv = t->ops->status(t->ctx, &st);
    if (rv != CKR_OK)
        return rv;
    memset(info, 0, sizeof(*info));
    pad(info->label, sizeof(info->label), st.label);
    pad(info->manufacturerID, sizeof(info->manufacturerID), "Meeco");
    pad(info->model, sizeof(info->model), t->ops->name);
    pad(info->serialNumber, sizeof(info->serialNumber), st.serial);
    info->flags = CKF_RNG | CKF_LOGIN_REQUIRED;
    if (st.initialized)
        info->flags |= CKF_TOKEN_INITIALIZED;
    if (st.user_pin_set)
        info->flags |= CKF_USER_PIN_INITIALIZED;
    if (st.write_protected)
        info->flags |= CKF_WRITE_PROTECTED;
    info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulSessionCount = p11_session_count_locked(t, false);
    info->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulRwSessionCount = p11_session_count_locked(t, true);
    info->ulMaxPinLen = PIN_MAX;
    info->ulMinPinLen = PIN_MIN;
    info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->hardwareVersion = (CK_VERSION){0, 1};
    info->firmwareVersion = (CK_VERSION){0, 1};
    pad(info->utcTime, sizeof(info->utcTime), "");
    return CKR_OK;
}

CK_RV p11_token_load_locked(p11_token *t)
{
    p11_bk_record *r = NULL;
    size_t n = 0;
    bool priv = t->user == CKU_USER;
    if (t->ops == NULL)
        return CKR_TOKEN_NOT_PRESENT;
    unsigned gen = t->ops->generation ? t->ops->generation(t->ctx) : 0;
    CK_RV rv = t->ops->list(t->ctx, priv, &r, &n);
    if (rv != CKR_OK)
        return rv;
    t->bk_generation = gen;
    t->epoch++;
    for (size_t i = 0; rv == CKR_OK && i < n; i++)
        rv = p11_map_record_locked(t, &r[i], NULL);
    p11_bk_records_free(r, n);
    if (rv == CKR_OK) {
        p11_objects_sweep_locked(t->epoch, true, priv);
        t->public_loaded = true;
    }
    LOGD(LOG_AREA_PKCS11, "token %s: %zu records loaded", t->name, n);
    return rv;
}

CK_RV p11_token_refresh_locked(p11_token *t)
{
    if (t->ops == NULL)
        return CKR_TOKEN_NOT_PRESENT;
    if (t->public_loaded &&
        (t->ops->generation == NULL ||
         t->ops->generation(t->ctx) == t->bk_generation))
        return CKR_OK;
    return p11_token_load_locked(t);
}

/* A PKCS#11 PIN (length-counted) as a NUL-terminated secret. */
static CK_RV pin_copy(const CK_UTF8CHAR *pin, CK_ULONG len, secbuf *out)
{
    if (pin == NULL)
        return CKR_ARGUMENTS_BAD;
    if (memchr(pin, 0, len) != NULL)
        return CKR_PIN_INVALID;
    return secbuf_dup(out, pin, len) == 0 ? CKR_OK : CKR_HOST_MEMORY;
}

static CK_RV pin_range(CK_ULONG len)
{
    return (len < PIN_MIN || len > PIN_MAX) ? CKR_PIN_LEN_RANGE : CKR_OK;
}

CK_RV p11_token_init_locked(p11_token *t, const CK_UTF8CHAR *pin,
                            CK_ULONG len, const CK_UTF8CHAR *label)
{
    secbuf so = {0};
    char name[33];
    if (label == NULL)
        return CKR_ARGUMENTS_BAD;
    if (t->ops == NULL)
        return CKR_TOKEN_NOT_PRESENT;
    if (t->ops->init_token == NULL)
        return CKR_FUNCTION_NOT_SUPPORTED;
    if (p11_session_count_locked(t, false) > 0)
        return CKR_SESSION_EXISTS;
    if (t->write_protected)
        return CKR_TOKEN_WRITE_PROTECTED;
    CK_RV rv = pin_copy(pin, len, &so);
    if (rv != CKR_OK)
        return rv;
    memcpy(name, label, 32);
    size_t n = 32;
    while (n > 0 && name[n - 1] == ' ')
        n--;
    name[n] = 0;
    rv = t->ops->init_token(t->ctx, name, (const char *)so.p);
    secbuf_free(&so);
    if (rv == CKR_OK)
        rv = p11_token_load_locked(t);
    return rv;
}

static CK_RV login_conflicts(p11_token *t, CK_USER_TYPE who)
{
    if (who != CKU_USER && who != CKU_SO && who != CKU_CONTEXT_SPECIFIC)
        return CKR_USER_TYPE_INVALID;
    if (who == CKU_CONTEXT_SPECIFIC)
        return t->user == CKU_USER ? CKR_OPERATION_NOT_INITIALIZED
                                   : CKR_USER_NOT_LOGGED_IN;
    if (t->user == who)
        return CKR_USER_ALREADY_LOGGED_IN;
    if (t->user != P11_NOBODY)
        return CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
    if (who == CKU_SO &&
        p11_session_count_locked(t, false) != p11_session_count_locked(t, true))
        return CKR_SESSION_READ_ONLY_EXISTS;
    return CKR_OK;
}

/* After a login that ran without the lock: did the world change? */
static CK_RV login_settle(p11_token *t, CK_USER_TYPE who, CK_RV rv,
                          CK_RV back, const p11_blocking *b)
{
    if (back == CKR_SESSION_CLOSED) { /* the caller's session is gone */
        if (rv == CKR_OK && t->user == P11_NOBODY)
            t->ops->logout(t->ctx);
        return back;
    }
    if (!b->login_changed)
        return rv;
    /* Another thread logged in or out meanwhile: report the conflict;
     * if there is none (it logged in and out again) the backend's state
     * is unknown, so start over from logged out. */
    CK_RV conflict = login_conflicts(t, who);
    if (conflict != CKR_OK)
        return conflict;
    if (rv == CKR_OK)
        t->ops->logout(t->ctx);
    return rv == CKR_OK ? CKR_FUNCTION_FAILED : rv;
}

CK_RV p11_token_login_locked(p11_session *s, CK_USER_TYPE who,
                             const CK_UTF8CHAR *pin, CK_ULONG len)
{
    p11_token *t = s->token;
    secbuf p = {0};
    p11_blocking b;
    CK_RV rv = login_conflicts(t, who);
    if (rv != CKR_OK)
        return rv;
    rv = pin_copy(pin, len, &p);
    if (rv != CKR_OK)
        return rv;
    p11_blocking_begin(s, &b);
    rv = t->ops->login(t->ctx, who, (const char *)p.p);
    secbuf_free(&p);
    rv = login_settle(t, who, rv, p11_blocking_end(&b), &b);
    if (rv != CKR_OK)
        return rv;
    t->user = who;
    t->login_gen++;
    if (who == CKU_USER) {
        rv = p11_token_load_locked(t);
        if (rv != CKR_OK) {
            t->ops->logout(t->ctx);
            t->user = P11_NOBODY;
        }
    }
    return rv;
}

void p11_token_drop_login_locked(p11_token *t)
{
    if (t->user == P11_NOBODY)
        return;
    if (t->ops != NULL)
        t->ops->logout(t->ctx);
    t->user = P11_NOBODY;
    t->login_gen++;
    p11_objects_unload_private_locked();
}

CK_RV p11_token_logout_locked(p11_token *t)
{
    if (t->user == P11_NOBODY)
        return CKR_USER_NOT_LOGGED_IN;
    p11_session_end_ops_locked(t);
    p11_token_drop_login_locked(t);
    return CKR_OK;
}

CK_RV p11_token_init_pin_locked(p11_token *t, const CK_UTF8CHAR *pin,
                                CK_ULONG len)
{
    secbuf p = {0};
    if (t->user != CKU_SO)
        return CKR_USER_NOT_LOGGED_IN;
    if (t->ops->init_pin == NULL)
        return CKR_FUNCTION_NOT_SUPPORTED;
    CK_RV rv = pin_copy(pin, len, &p);
    if (rv == CKR_OK)
        rv = pin_range(len);
    if (rv == CKR_OK)
        rv = t->ops->init_pin(t->ctx, (const char *)p.p);
    secbuf_free(&p);
    return rv;
}

CK_RV p11_token_set_pin_locked(p11_token *t, const CK_UTF8CHAR *old_pin,
                               CK_ULONG old_len, const CK_UTF8CHAR *new_pin,
                               CK_ULONG new_len)
{
    secbuf o = {0}, n = {0};
    bool temporary = t->user == P11_NOBODY;
    if (t->ops == NULL || t->ops->set_pin == NULL)
        return CKR_FUNCTION_NOT_SUPPORTED;
    CK_RV rv = pin_copy(old_pin, old_len, &o);
    if (rv == CKR_OK)
        rv = pin_copy(new_pin, new_len, &n);
    if (rv == CKR_OK)
        rv = pin_range(new_len);
    if (rv == CKR_OK && temporary)
        rv = t->ops->login(t->ctx, CKU_USER, (const char *)o.p);
    if (rv == CKR_OK)
        rv = t->ops->set_pin(t->ctx, (const char *)o.p, (const char *)n.p);
    if (temporary && t->ops != NULL)
        t->ops->logout(t->ctx);
    secbuf_free(&o);
    secbuf_free(&n);
    return rv;
}
