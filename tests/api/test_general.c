/* tests/api/test_general.c - C_GetFunctionList, C_GetInterface(List),
 * C_Initialize argument rules, C_Finalize, C_GetInfo, concurrent
 * initialization and fork(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static void function_list(void)
{
    CK_FUNCTION_LIST_PTR l = NULL;
    CU_ASSERT_EQUAL(p11->C_GetFunctionList(NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetFunctionList(&l), CKR_OK);
    CU_ASSERT_PTR_EQUAL(l, p11);
    CU_ASSERT_EQUAL(l->version.major, 2);
    CU_ASSERT_EQUAL(l->version.minor, 40);
    CU_ASSERT_PTR_NOT_NULL(l->C_WaitForSlotEvent);
}

static void interface_list(void)
{
    CK_INTERFACE list[4];
    CK_ULONG n = 0;
    CU_ASSERT_EQUAL(p11v3->C_GetInterfaceList(NULL, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11v3->C_GetInterfaceList(NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 2);
    n = 1;
    CU_ASSERT_EQUAL(p11v3->C_GetInterfaceList(list, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, 2);
    n = 4;
    CU_ASSERT_EQUAL(p11v3->C_GetInterfaceList(list, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 2);
    for (CK_ULONG i = 0; i < n; i++)
        CU_ASSERT_STRING_EQUAL((char *)list[i].pInterfaceName, "PKCS 11");
    CU_ASSERT_EQUAL(((CK_VERSION *)list[0].pFunctionList)->major, 3);
    CU_ASSERT_EQUAL(((CK_VERSION *)list[1].pFunctionList)->minor, 40);
}

static void get_interface(void)
{
    CK_INTERFACE_PTR i = NULL;
    CK_VERSION v2 = {2, 40}, v9 = {9, 9};
    CU_ASSERT_EQUAL(p11v3->C_GetInterface(NULL, NULL, NULL, 0),
                    CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11v3->C_GetInterface(NULL, NULL, &i, 0), CKR_OK);
    CU_ASSERT_EQUAL(((CK_VERSION *)i->pFunctionList)->major, 3);
    CU_ASSERT_EQUAL(p11v3->C_GetInterface(NULL, &v2, &i, 0), CKR_OK);
    CU_ASSERT_PTR_EQUAL(i->pFunctionList, p11);
    CU_ASSERT_EQUAL(p11v3->C_GetInterface(NULL, &v9, &i, 0),
                    CKR_FUNCTION_FAILED);
    CU_ASSERT_EQUAL(p11v3->C_GetInterface((CK_UTF8CHAR_PTR) "Vendor X", NULL,
                                          &i, 0),
                    CKR_FUNCTION_FAILED);
    CU_ASSERT_EQUAL(p11v3->C_GetInterface(NULL, NULL, &i,
                                          CKF_INTERFACE_FORK_SAFE),
                    CKR_FUNCTION_FAILED);
    CU_ASSERT_PTR_NOT_NULL(p11v3->C_LoginUser);
    CU_ASSERT_PTR_NOT_NULL(p11v3->C_MessageVerifyFinal);
}

static void before_initialize(void)
{
    CK_INFO info;
    CK_ULONG n = 0;
    CK_SESSION_HANDLE s;
    token_fresh(1);
    CU_ASSERT_EQUAL(p11->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_TRUE, NULL, &n),
                    CKR_CRYPTOKI_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s),
                    CKR_CRYPTOKI_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_CloseSession(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void initialize_rules(void)
{
    CK_C_INITIALIZE_ARGS a;
    int dummy = 0;
    token_fresh(1);
    memset(&a, 0, sizeof(a));
    a.CreateMutex = (CK_CREATEMUTEX)(void *)&dummy; /* 1 of 4: bad */
    CU_ASSERT_EQUAL(p11->C_Initialize(&a), CKR_ARGUMENTS_BAD);
    memset(&a, 0, sizeof(a));
    a.flags = CKF_OS_LOCKING_OK | CKF_LIBRARY_CANT_CREATE_OS_THREADS;
    CU_ASSERT_EQUAL(p11->C_Initialize(&a), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Initialize(&a), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_Finalize(&dummy), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* Caller's mutex callbacks (no CKF_OS_LOCKING_OK): they must be used. */
static int created, locked, unlocked, destroyed;
static pthread_mutex_t cb_mutex = PTHREAD_MUTEX_INITIALIZER;

static CK_RV cb_create(CK_VOID_PTR_PTR m)
{
    created++;
    *m = &cb_mutex;
    return CKR_OK;
}
static CK_RV cb_destroy(CK_VOID_PTR m)
{
    (void)m;
    destroyed++;
    return CKR_OK;
}
static CK_RV cb_lock(CK_VOID_PTR m)
{
    locked++;
    return pthread_mutex_lock(m) == 0 ? CKR_OK : CKR_GENERAL_ERROR;
}
static CK_RV cb_unlock(CK_VOID_PTR m)
{
    unlocked++;
    return pthread_mutex_unlock(m) == 0 ? CKR_OK : CKR_GENERAL_ERROR;
}

static void initialize_callbacks(void)
{
    CK_C_INITIALIZE_ARGS a;
    CK_ULONG n = 0;
    token_fresh(1);
    memset(&a, 0, sizeof(a));
    a.CreateMutex = cb_create;
    a.DestroyMutex = cb_destroy;
    a.LockMutex = cb_lock;
    a.UnlockMutex = cb_unlock;
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(&a), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT(created >= 1);
    CU_ASSERT(locked >= 1);
    CU_ASSERT_EQUAL(locked, unlocked);
    lib_fini();
    CU_ASSERT_EQUAL(created, destroyed);
}

/* pReserved (the config string, what p11-kit's x-init-reserved passes).
 * NSS's header calls the standard pReserved slot LibraryParameters. */
static void initialize_reserved_config(void)
{
    CK_C_INITIALIZE_ARGS a;
    CK_TOKEN_INFO ti;
    char conf[512];
    token_fresh(1);
    snprintf(conf, sizeof(conf),
             "data_dir = %s/data\n[token first]\n[token default]\n",
             token_dir());
    memset(&a, 0, sizeof(a));
    a.flags = CKF_OS_LOCKING_OK;
    a.LibraryParameters = (CK_CHAR_PTR *)(void *)conf;
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(&a), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(1, &ti), CKR_OK);
    CU_ASSERT(memcmp(ti.label, TOKEN_LABEL, strlen(TOKEN_LABEL)) == 0);
    CU_ASSERT(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT_FALSE(ti.flags & CKF_TOKEN_INITIALIZED);
    lib_fini();
    a.LibraryParameters = (CK_CHAR_PTR *)(void *)"no_such_key = 1\n";
    CU_ASSERT_EQUAL(p11->C_Initialize(&a), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* read_only = true: the token says CKF_WRITE_PROTECTED and refuses R/W
 * sessions and re-initialization; reading still works. */
static void write_protected_token(void)
{
    CK_C_INITIALIZE_ARGS a;
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR label[32];
    char conf[512];
    memset(label, ' ', sizeof(label));
    token_fresh(1);
    snprintf(conf, sizeof(conf),
             "data_dir = %s/data\n[token default]\nread_only = true\n",
             token_dir());
    memset(&a, 0, sizeof(a));
    a.LibraryParameters = (CK_CHAR_PTR *)(void *)conf;
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(&a), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT(ti.flags & CKF_WRITE_PROTECTED);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, (CK_UTF8CHAR_PTR)SO_PIN,
                                     strlen(SO_PIN), label),
                    CKR_TOKEN_WRITE_PROTECTED);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION,
                                       NULL, NULL, &s),
                    CKR_TOKEN_WRITE_PROTECTED);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)USER_PIN,
                                 strlen(USER_PIN)),
                    CKR_OK);
    lib_fini();
}

static void get_info(void)
{
    CK_INFO info;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_GetInfo(NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetInfo(&info), CKR_OK);
    CU_ASSERT_EQUAL(info.cryptokiVersion.major, 3);
    CU_ASSERT_EQUAL(info.cryptokiVersion.minor, 0);
    CU_ASSERT(memcmp(info.manufacturerID, "Meeco ", 6) == 0);
    CU_ASSERT_EQUAL(info.flags, 0);
    lib_fini();
}

static CK_RV init_results[8];

static void *init_thread(void *arg)
{
    CK_C_INITIALIZE_ARGS a;
    memset(&a, 0, sizeof(a));
    a.flags = CKF_OS_LOCKING_OK;
    *(CK_RV *)arg = p11->C_Initialize(&a);
    return NULL;
}

static void initialize_concurrent(void)
{
    pthread_t t[8];
    int ok = 0, already = 0;
    token_fresh(1);
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, init_thread, &init_results[i]);
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        ok += init_results[i] == CKR_OK;
        already += init_results[i] == CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    CU_ASSERT_EQUAL(ok, 1);
    CU_ASSERT_EQUAL(already, 7);
    lib_fini();
}

/* The child sees CKR_CRYPTOKI_NOT_INITIALIZED until it re-initializes,
 * then works on its own connection; the parent is unaffected. */
static int child_after_fork(CK_SESSION_HANDLE parent_session)
{
    CK_ULONG n = 0;
    CK_SESSION_HANDLE s;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_OBJECT_HANDLE h[8];
    if (p11->C_GetSlotList(CK_TRUE, NULL, &n) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 10;
    if (p11->C_CloseSession(parent_session) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 11;
    if (p11->C_Finalize(NULL) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 12;
    if (p11->C_Initialize(NULL) != CKR_OK)
        return 13;
    if (p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK)
        return 14;
    if (p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)USER_PIN,
                     strlen(USER_PIN)) != CKR_OK)
        return 15;
    if (p11->C_FindObjectsInit(s, t, 1) != CKR_OK ||
        p11->C_FindObjects(s, h, 8, &n) != CKR_OK || n != 2)
        return 16;
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : 17;
}

static void fork_child(void)
{
    int status = 0;
    CK_SESSION_INFO si;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(child_after_fork(s));
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status));
    CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
    CU_ASSERT_EQUAL(p11->C_GetSessionInfo(s, &si), CKR_OK);
    CU_ASSERT_EQUAL(si.state, CKS_RO_USER_FUNCTIONS);
    lib_fini();
}

/* The debug log traces every call with its CK_RV name and never shows a
 * PIN or a value (style practice 14). */
static void log_never_shows_secrets(void)
{
    char path[400], line[1024];
    int calls = 0, leaks = 0, redacted = 0;
    token_fresh(1);
    snprintf(path, sizeof(path), "%s/p11.log", token_dir());
    char env[450];
    snprintf(env, sizeof(env), "level:4,file:%s", path);
    setenv("MEECO_PKCS11_DEBUG", env, 1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE h = data_create(s, 1, "app", "logged", "TOPSECRET-42");
    CK_ATTRIBUTE v[] = {{CKA_VALUE, (void *)"TOPSECRET-43", 12}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, v, 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR) "bad-pin-77",
                                 10),
                    CKR_USER_ALREADY_LOGGED_IN);
    lib_fini();
    unsetenv("MEECO_PKCS11_DEBUG");
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        calls += strstr(line, "C_Login -> CKR_OK") != NULL;
        calls += strstr(line, "C_Login -> CKR_USER_ALREADY_LOGGED_IN") != NULL;
        redacted += strstr(line, "CKA_VALUE=<12 bytes redacted>") != NULL;
        leaks += strstr(line, "TOPSECRET") != NULL;
        leaks += strstr(line, USER_PIN) != NULL;
        leaks += strstr(line, "bad-pin-77") != NULL;
    }
    fclose(f);
    CU_ASSERT_EQUAL(calls, 2);
    CU_ASSERT_EQUAL(redacted, 2);
    CU_ASSERT_EQUAL(leaks, 0);
}

int suite_general(void)
{
    CU_pSuite s = CU_add_suite("general", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, function_list);
    ADD(s, interface_list);
    ADD(s, get_interface);
    ADD(s, before_initialize);
    ADD(s, initialize_rules);
    ADD(s, initialize_callbacks);
    ADD(s, initialize_reserved_config);
    ADD(s, write_protected_token);
    ADD(s, get_info);
    ADD(s, initialize_concurrent);
    ADD(s, fork_child);
    ADD(s, log_never_shows_secrets);
    return 0;
}
