/* bench/token/token.c - load a module and set up a throwaway token. */
#include "token.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define CHECK(call)                                                            \
    do {                                                                       \
        CK_RV rv_ = (call);                                                    \
        if (rv_ != CKR_OK) {                                                   \
            fprintf(stderr, "%s: %s failed: %s\n", t->name, #call,             \
                    token_rv(rv_));                                            \
            return -1;                                                         \
        }                                                                      \
    } while (0)

const char *token_rv(CK_RV rv)
{
    static char buf[32];

    switch (rv) {
    case CKR_OK: return "CKR_OK";
    case CKR_ARGUMENTS_BAD: return "CKR_ARGUMENTS_BAD";
    case CKR_FUNCTION_FAILED: return "CKR_FUNCTION_FAILED";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
    case CKR_MECHANISM_PARAM_INVALID: return "CKR_MECHANISM_PARAM_INVALID";
    case CKR_TEMPLATE_INCOMPLETE: return "CKR_TEMPLATE_INCOMPLETE";
    case CKR_TEMPLATE_INCONSISTENT: return "CKR_TEMPLATE_INCONSISTENT";
    case CKR_ATTRIBUTE_VALUE_INVALID: return "CKR_ATTRIBUTE_VALUE_INVALID";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
    case CKR_SLOT_ID_INVALID: return "CKR_SLOT_ID_INVALID";
    case CKR_TOKEN_NOT_RECOGNIZED: return "CKR_TOKEN_NOT_RECOGNIZED";
    default:
        snprintf(buf, sizeof(buf), "0x%lx", rv);
        return buf;
    }
}

int token_load(token *t, const char *name, const char *path)
{
    CK_RV (*get_list)(CK_FUNCTION_LIST_PTR_PTR);

    memset(t, 0, sizeof(*t));
    t->name = name;
    t->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!t->dl) {
        fprintf(stderr, "%s: dlopen: %s\n", name, dlerror());
        return -1;
    }
    *(void **)&get_list = dlsym(t->dl, "C_GetFunctionList");
    if (!get_list) {
        fprintf(stderr, "%s: no C_GetFunctionList\n", name);
        return -1;
    }
    CHECK(get_list(&t->f));
    CHECK(t->f->C_Initialize(NULL));
    return 0;
}

/* The slot whose token carries label (SoftHSM moves a token to a new
 * slot id when it is initialised). */
static int find_slot(token *t, const CK_UTF8CHAR label[32])
{
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    CK_TOKEN_INFO info;

    CHECK(t->f->C_GetSlotList(CK_TRUE, slots, &n));
    for (CK_ULONG i = 0; i < n; i++) {
        if (t->f->C_GetTokenInfo(slots[i], &info) == CKR_OK &&
            memcmp(info.label, label, 32) == 0) {
            t->slot = slots[i];
            return 0;
        }
    }
    fprintf(stderr, "%s: initialised token not found\n", t->name);
    return -1;
}

int token_prepare(token *t, const char *label)
{
    CK_UTF8CHAR padded[32];
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    CK_FLAGS rw = CKF_SERIAL_SESSION | CKF_RW_SESSION;

    memset(padded, ' ', sizeof(padded));
    memcpy(padded, label, strlen(label) < 32 ? strlen(label) : 32);
    CHECK(t->f->C_GetSlotList(CK_FALSE, slots, &n));
    if (n == 0)
        return -1;
    CHECK(t->f->C_InitToken(slots[0], (CK_UTF8CHAR_PTR)BENCH_SO_PIN,
                            strlen(BENCH_SO_PIN), padded));
    if (find_slot(t, padded) != 0)
        return -1;
    CHECK(t->f->C_OpenSession(t->slot, rw, NULL, NULL, &t->s));
    CHECK(t->f->C_Login(t->s, CKU_SO, (CK_UTF8CHAR_PTR)BENCH_SO_PIN,
                        strlen(BENCH_SO_PIN)));
    CHECK(t->f->C_InitPIN(t->s, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
                          strlen(BENCH_USER_PIN)));
    CHECK(t->f->C_Logout(t->s));
    CHECK(t->f->C_Login(t->s, CKU_USER, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
                        strlen(BENCH_USER_PIN)));
    return 0;
}

static int make_aes(token *t)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG len = 32;
    static char label[] = "bench-aes";
    CK_ATTRIBUTE tmpl[] = {
        {CKA_TOKEN, &no, sizeof(no)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_VALUE_LEN, &len, sizeof(len)},
        {CKA_LABEL, label, sizeof(label) - 1},
    };

    CHECK(t->f->C_GenerateKey(t->s, &m, tmpl, 5, &t->aes));
    return 0;
}

static int make_rsa(token *t)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG bits = 4096;
    CK_BYTE e[] = {1, 0, 1}, id[] = {0x42};
    CK_ATTRIBUTE pub[] = {
        {CKA_TOKEN, &no, sizeof(no)},   {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)}, {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_PUBLIC_EXPONENT, e, sizeof(e)}, {CKA_ID, id, sizeof(id)},
    };
    CK_ATTRIBUTE priv[] = {
        {CKA_TOKEN, &no, sizeof(no)},   {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},  {CKA_PRIVATE, &yes, sizeof(yes)},
        {CKA_ID, id, sizeof(id)},
    };

    CHECK(t->f->C_GenerateKeyPair(t->s, &m, pub, 6, priv, 5, &t->rsa_pub,
                                  &t->rsa_priv));
    return 0;
}

static int make_ciphertext(token *t)
{
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED,
                                 NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    CK_BYTE dek[32] = {7};

    t->rsa_ct_len = sizeof(t->rsa_ct);
    CHECK(t->f->C_EncryptInit(t->s, &m, t->rsa_pub));
    CHECK(t->f->C_Encrypt(t->s, dek, sizeof(dek), t->rsa_ct, &t->rsa_ct_len));
    return 0;
}

int token_make_keys(token *t)
{
    if (make_aes(t) != 0 || make_rsa(t) != 0)
        return -1;
    return make_ciphertext(t);
}

int token_make_data(token *t, int count, int on_token)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL tok = on_token ? CK_TRUE : CK_FALSE;
    CK_BYTE value[1024];
    char label[32];
    static char app[] = "bench";
    CK_ATTRIBUTE tmpl[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_TOKEN, &tok, sizeof(tok)},
        {CKA_APPLICATION, app, sizeof(app) - 1},
        {CKA_LABEL, label, 0},
        {CKA_VALUE, value, sizeof(value)},
    };
    CK_OBJECT_HANDLE h;

    memset(value, 'v', sizeof(value));
    for (int i = 0; i < count; i++) {
        tmpl[3].ulValueLen = (CK_ULONG)snprintf(label, sizeof(label),
                                                BENCH_LABEL_FMT, i);
        CHECK(t->f->C_CreateObject(t->s, tmpl, 5, &h));
        if (i == count / 2)
            t->data = h;
    }
    return 0;
}

void token_unload(token *t)
{
    if (t->f) {
        t->f->C_CloseAllSessions(t->slot);
        t->f->C_Finalize(NULL);
    }
    /* the library stays mapped: some modules register atexit handlers */
    t->f = NULL;
}
