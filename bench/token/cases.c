/* bench/token/cases.c - timing loop and the operations through a module.
 * Each operation is what an application does per message: the *Init
 * call and the single-part call (the module creates its context per
 * operation, so raw.c does too). */
#include "cases.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_LEN (1u << 20)

static CK_BYTE in_buf[MAX_LEN];
static CK_BYTE out_buf[MAX_LEN + 64];
static CK_BYTE gcm_iv[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

double case_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double case_rate(case_fn fn, void *arg, double seconds)
{
    double start, elapsed;
    long n = 0;

    if (fn(arg) != 0) /* warm-up, and the error check */
        return -1;
    start = case_now();
    do {
        if (fn(arg) != 0)
            return -1;
        n++;
        elapsed = case_now() - start;
    } while (elapsed < seconds || n < 3);
    return (double)n / elapsed;
}

static int fail(const token *t, const char *what, CK_RV rv)
{
    fprintf(stderr, "%s: %s: %s\n", t->name, what, token_rv(rv));
    return -1;
}

int case_gcm_encrypt(void *arg)
{
    tok_arg *a = arg;
    token *t = a->t;
    /* IV reuse is fine for a benchmark and nothing else */
    CK_GCM_PARAMS_V3 p = {gcm_iv, sizeof(gcm_iv), 96, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof(p)};
    CK_ULONG n = a->len + 16;
    CK_RV rv = t->f->C_EncryptInit(t->s, &m, t->aes);

    if (rv != CKR_OK)
        return fail(t, "C_EncryptInit(AES-GCM)", rv);
    rv = t->f->C_Encrypt(t->s, in_buf, a->len, out_buf, &n);
    if (rv != CKR_OK || n != a->len + 16)
        return fail(t, "C_Encrypt(AES-GCM)", rv);
    return 0;
}

int case_rsa_oaep_decrypt(void *arg)
{
    token *t = ((tok_arg *)arg)->t;
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED,
                                 NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    CK_ULONG n = 512;
    CK_RV rv = t->f->C_DecryptInit(t->s, &m, t->rsa_priv);

    if (rv != CKR_OK)
        return fail(t, "C_DecryptInit(OAEP)", rv);
    rv = t->f->C_Decrypt(t->s, t->rsa_ct, t->rsa_ct_len, out_buf, &n);
    if (rv != CKR_OK || n != 32)
        return fail(t, "C_Decrypt(OAEP)", rv);
    return 0;
}

int case_rsa_sign(void *arg)
{
    token *t = ((tok_arg *)arg)->t;
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_ULONG n = 512;
    CK_RV rv = t->f->C_SignInit(t->s, &m, t->rsa_priv);

    if (rv != CKR_OK)
        return fail(t, "C_SignInit(SHA256_RSA_PKCS)", rv);
    rv = t->f->C_Sign(t->s, in_buf, 64, out_buf, &n);
    if (rv != CKR_OK || n != 512)
        return fail(t, "C_Sign(SHA256_RSA_PKCS)", rv);
    return 0;
}

int case_find_by_label(void *arg)
{
    tok_arg *a = arg;
    token *t = a->t;
    CK_OBJECT_CLASS cls = CKO_DATA;
    char label[32];
    CK_ATTRIBUTE tmpl[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_LABEL, label, 0},
    };
    CK_OBJECT_HANDLE h[2];
    CK_ULONG got = 0;
    CK_RV rv;

    tmpl[1].ulValueLen = (CK_ULONG)snprintf(label, sizeof(label),
                                            BENCH_LABEL_FMT, a->count / 2);
    rv = t->f->C_FindObjectsInit(t->s, tmpl, 2);
    if (rv == CKR_OK)
        rv = t->f->C_FindObjects(t->s, h, 2, &got);
    if (rv == CKR_OK)
        rv = t->f->C_FindObjectsFinal(t->s);
    if (rv != CKR_OK || got != 1)
        return fail(t, "C_FindObjects by label", rv);
    return 0;
}

static int get_attr(token *t, CK_ATTRIBUTE_TYPE type, CK_ULONG want)
{
    CK_ATTRIBUTE a = {type, out_buf, sizeof(out_buf)};
    CK_RV rv = t->f->C_GetAttributeValue(t->s, t->data, &a, 1);

    if (rv != CKR_OK || a.ulValueLen != want)
        return fail(t, "C_GetAttributeValue", rv);
    return 0;
}

int case_get_label(void *arg)
{
    return get_attr(((tok_arg *)arg)->t, CKA_LABEL, 11);
}

int case_get_value(void *arg)
{
    return get_attr(((tok_arg *)arg)->t, CKA_VALUE, 1024);
}

int case_session(void *arg)
{
    token *t = ((tok_arg *)arg)->t;
    CK_SESSION_HANDLE s;
    CK_RV rv = t->f->C_OpenSession(t->slot, CKF_SERIAL_SESSION, NULL, NULL,
                                   &s);

    if (rv == CKR_OK)
        rv = t->f->C_CloseSession(s);
    return rv == CKR_OK ? 0 : fail(t, "C_OpenSession/C_CloseSession", rv);
}

int case_login(void *arg)
{
    token *t = ((tok_arg *)arg)->t;
    CK_RV rv = t->f->C_Logout(t->s);

    if (rv == CKR_OK)
        rv = t->f->C_Login(t->s, CKU_USER, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
                           strlen(BENCH_USER_PIN));
    return rv == CKR_OK ? 0 : fail(t, "C_Logout/C_Login", rv);
}
