/* tests/api/support.c - module loading and throwaway tokens. */
#include "support.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

CK_FUNCTION_LIST_PTR p11;
CK_FUNCTION_LIST_3_0_PTR p11v3;

static void *handle;
static char root[256];     /* temporary root of everything */
static char current[300];  /* current token folder */
static int counter;

static int run(const char *cmd)
{
    return system(cmd);
}

static void write_conf(const char *dir)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/meeco-pkcs11.conf", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    fprintf(f, "data_dir = %s/data\n[token default]\nbackend = local\n", dir);
    fclose(f);
    setenv("MEECO_PKCS11_CONF", path, 1);
}

static void new_dir(void)
{
    char cmd[700];
    snprintf(current, sizeof(current), "%s/t%03d", root, ++counter);
    snprintf(cmd, sizeof(cmd), "mkdir -p %s/data", current);
    if (run(cmd) != 0)
        fprintf(stderr, "mkdir failed\n");
    write_conf(current);
}

static int make_template(void)
{
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, TOKEN_LABEL, strlen(TOKEN_LABEL));
    new_dir();
    if (p11->C_Initialize(NULL) != CKR_OK)
        return -1;
    CK_RV rv = p11->C_InitToken(0, (CK_UTF8CHAR_PTR)SO_PIN, strlen(SO_PIN),
                                label);
    if (rv == CKR_OK)
        rv = p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                                NULL, &s);
    if (rv == CKR_OK)
        rv = p11->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR)SO_PIN, strlen(SO_PIN));
    if (rv == CKR_OK)
        rv = p11->C_InitPIN(s, (CK_UTF8CHAR_PTR)USER_PIN, strlen(USER_PIN));
    p11->C_Finalize(NULL);
    return rv == CKR_OK ? 0 : -1;
}

int support_setup(void)
{
    CK_RV (*get_list)(CK_FUNCTION_LIST_PTR_PTR);
    CK_RV (*get_if)(CK_UTF8CHAR_PTR, CK_VERSION_PTR, CK_INTERFACE_PTR_PTR,
                    CK_FLAGS);
    CK_INTERFACE_PTR iface = NULL;
    snprintf(root, sizeof(root), "%s/meeco-api.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(root) == NULL)
        return -1;
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/xdg", root);
    setenv("XDG_DATA_HOME", sub, 1);
    setenv("XDG_CONFIG_HOME", sub, 1);
    handle = dlopen(MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return -1;
    }
    *(void **)&get_list = dlsym(handle, "C_GetFunctionList");
    *(void **)&get_if = dlsym(handle, "C_GetInterface");
    if (get_list == NULL || get_if == NULL || get_list(&p11) != CKR_OK)
        return -1;
    if (get_if((CK_UTF8CHAR_PTR) "PKCS 11", NULL, &iface, 0) != CKR_OK)
        return -1;
    p11v3 = iface->pFunctionList;
    return make_template();
}

void support_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    if (run(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    /* the module stays loaded: its destructors run at exit */
}

void token_fresh(int initialized)
{
    char cmd[800];
    char template_db[400];
    snprintf(template_db, sizeof(template_db),
             "%s/t001/data/default.sqlite3", root);
    new_dir();
    if (initialized) {
        snprintf(cmd, sizeof(cmd), "cp %s %s/data/", template_db, current);
        CU_ASSERT_EQUAL(run(cmd), 0);
    }
}

const char *token_dir(void)
{
    return current;
}

void lib_init(void)
{
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(NULL), CKR_OK);
}

void lib_fini(void)
{
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
}

CK_SESSION_HANDLE session_open(int rw, int login)
{
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_FLAGS f = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
    lib_init();
    CU_ASSERT_EQUAL_FATAL(p11->C_OpenSession(0, f, NULL, NULL, &s), CKR_OK);
    if (login)
        CU_ASSERT_EQUAL_FATAL(p11->C_Login(s, CKU_USER,
                                           (CK_UTF8CHAR_PTR)USER_PIN,
                                           strlen(USER_PIN)),
                              CKR_OK);
    return s;
}

CK_OBJECT_HANDLE data_create(CK_SESSION_HANDLE s, int token, const char *app,
                             const char *label, const char *value)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL tok = token ? CK_TRUE : CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_TOKEN, &tok, sizeof(tok)},
        {CKA_APPLICATION, (void *)app, strlen(app)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_VALUE, (void *)value, strlen(value)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CU_ASSERT_EQUAL(p11->C_CreateObject(s, t, 5, &h), CKR_OK);
    return h;
}

CK_ULONG find_count(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n,
                    CK_OBJECT_HANDLE *first)
{
    CK_OBJECT_HANDLE h[64];
    CK_ULONG got = 0, total = 0;
    CU_ASSERT_EQUAL_FATAL(p11->C_FindObjectsInit(s, t, n), CKR_OK);
    do {
        CU_ASSERT_EQUAL_FATAL(p11->C_FindObjects(s, h, 64, &got), CKR_OK);
        if (total == 0 && got > 0 && first != NULL)
            *first = h[0];
        total += got;
    } while (got > 0);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(s), CKR_OK);
    return total;
}

CK_OBJECT_HANDLE find_one(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                          const char *label)
{
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_LABEL, (void *)label, label ? strlen(label) : 0},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = find_count(s, t, label ? 2 : 1, &h);
    CU_ASSERT_EQUAL(n, 1);
    return h;
}

CK_OBJECT_HANDLE aes_generate(CK_SESSION_HANDLE s, int token,
                              const char *label, CK_ULONG len)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_BBOOL tok = token ? CK_TRUE : CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_TOKEN, &tok, sizeof(tok)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_VALUE_LEN, &len, sizeof(len)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CU_ASSERT_EQUAL(p11->C_GenerateKey(s, &m, t, 3, &h), CKR_OK);
    return h;
}
