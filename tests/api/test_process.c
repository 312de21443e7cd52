/* tests/api/test_process.c - several processes and threads on one token:
 * what one process writes another reads; two writers at once; threads
 * sharing the library. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define PIN(p) (CK_UTF8CHAR_PTR)(p), strlen(p)
#define RW (CKF_SERIAL_SESSION | CKF_RW_SESSION)

/* In a child: write n token data objects into item `app`; exit status
 * 0 when every call succeeded. */
static int writer(const char *app, int n)
{
    CK_SESSION_HANDLE s;
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    char label[32];
    if (p11->C_Initialize(NULL) != CKR_OK)
        return 1;
    if (p11->C_OpenSession(0, RW, NULL, NULL, &s) != CKR_OK ||
        p11->C_Login(s, CKU_USER, PIN(USER_PIN)) != CKR_OK)
        return 2;
    for (int i = 0; i < n; i++) {
        snprintf(label, sizeof(label), "%s_%03d", app, i);
        CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                            {CKA_TOKEN, &yes, 1},
                            {CKA_APPLICATION, (void *)app, strlen(app)},
                            {CKA_LABEL, label, strlen(label)},
                            {CKA_VALUE, label, strlen(label)}};
        CK_OBJECT_HANDLE h;
        if (p11->C_CreateObject(s, t, 5, &h) != CKR_OK)
            return 3;
    }
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : 4;
}

static pid_t spawn_writer(const char *app, int n)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(writer(app, n));
    return pid;
}

static int reap(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static CK_ULONG count_app(CK_SESSION_HANDLE s, const char *app)
{
    CK_ATTRIBUTE t[] = {{CKA_APPLICATION, (void *)app, strlen(app)}};
    return find_count(s, t, 1, NULL);
}

static void another_process_reads(void)
{
    char buf[32];
    token_fresh(1);
    pid_t pid = spawn_writer("childapp", 3);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_EQUAL(reap(pid), 0);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CU_ASSERT_EQUAL(count_app(s, "childapp"), 3);
    CK_OBJECT_HANDLE h = find_one(s, CKO_DATA, "childapp_001");
    CK_ATTRIBUTE v[] = {{CKA_VALUE, buf, sizeof(buf)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, v, 1), CKR_OK);
    CU_ASSERT_EQUAL(v[0].ulValueLen, 12);
    CU_ASSERT(memcmp(buf, "childapp_001", 12) == 0);
    lib_fini();
}

static void two_writers_at_once(void)
{
    token_fresh(1);
    pid_t a = spawn_writer("writer_a", 40);
    pid_t b = spawn_writer("writer_b", 40);
    CU_ASSERT_FATAL(a > 0 && b > 0);
    CU_ASSERT_EQUAL(reap(a), 0);
    CU_ASSERT_EQUAL(reap(b), 0);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CU_ASSERT_EQUAL(count_app(s, "writer_a"), 40);
    CU_ASSERT_EQUAL(count_app(s, "writer_b"), 40);
    lib_fini();
}

/* A process that has the token open sees another process's objects in
 * its next session (the first session reloads). */
static void open_library_sees_new_objects(void)
{
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CU_ASSERT_EQUAL(count_app(s, "later"), 0);
    CU_ASSERT_EQUAL(p11->C_CloseSession(s), CKR_OK);
    pid_t pid = spawn_writer("later", 2);
    CU_ASSERT_EQUAL(reap(pid), 0);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(count_app(s, "later"), 2);
    lib_fini();
}

/* A session that stays open sees another process's objects at a later
 * C_FindObjectsInit (the store's data_version, asked at most every
 * 10 ms), with the objects it had keeping their handles. */
static void open_session_sees_new_objects(void)
{
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE mine = data_create(s, 1, "mine", "kept", "v");
    CU_ASSERT_EQUAL(count_app(s, "meanwhile"), 0);
    pid_t pid = spawn_writer("meanwhile", 3);
    CU_ASSERT_EQUAL(reap(pid), 0);
    CK_ULONG n = 0;
    for (int i = 0; i < 100 && n == 0; i++) { /* bounded wait, no timing */
        usleep(5000);
        n = count_app(s, "meanwhile");
    }
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(find_one(s, CKO_DATA, "kept"), mine);
    lib_fini();
}

struct worker {
    int id;
    int failures;
};

static CK_RV worker_round(struct worker *w, CK_SESSION_HANDLE s, int i)
{
    char label[32], app[16];
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL tok = (i % 10) == 0;
    CK_OBJECT_HANDLE h, found[4];
    CK_ULONG n = 0;
    snprintf(app, sizeof(app), "thread_%d", w->id);
    snprintf(label, sizeof(label), "t%d_%03d", w->id, i);
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_TOKEN, &tok, 1},
                        {CKA_APPLICATION, app, strlen(app)},
                        {CKA_LABEL, label, strlen(label)},
                        {CKA_VALUE, label, strlen(label)}};
    CK_RV rv = p11->C_CreateObject(s, t, 5, &h);
    if (rv == CKR_OK)
        rv = p11->C_FindObjectsInit(s, &t[3], 1);
    if (rv == CKR_OK)
        rv = p11->C_FindObjects(s, found, 4, &n);
    if (rv == CKR_OK)
        rv = p11->C_FindObjectsFinal(s);
    if (rv == CKR_OK && (n != 1 || found[0] != h))
        rv = CKR_GENERAL_ERROR;
    if (rv == CKR_OK && !tok)
        rv = p11->C_DestroyObject(s, h);
    return rv;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    CK_SESSION_HANDLE s;
    if (p11->C_OpenSession(0, RW, NULL, NULL, &s) != CKR_OK) {
        w->failures++;
        return NULL;
    }
    for (int i = 0; i < 50; i++)
        if (worker_round(w, s, i) != CKR_OK)
            w->failures++;
    if (p11->C_CloseSession(s) != CKR_OK)
        w->failures++;
    return NULL;
}

static void threads(void)
{
    pthread_t t[4];
    struct worker w[4];
    CK_C_INITIALIZE_ARGS a;
    memset(&a, 0, sizeof(a));
    a.flags = CKF_OS_LOCKING_OK;
    token_fresh(1);
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(&a), CKR_OK);
    CK_SESSION_HANDLE s;
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, RW, NULL, NULL, &s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){.id = i};
        pthread_create(&t[i], NULL, worker_main, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CU_ASSERT_EQUAL(w[i].failures, 0);
    }
    CU_ASSERT_EQUAL(count_app(s, "thread_0"), 5);
    CU_ASSERT_EQUAL(count_app(s, "thread_3"), 5);
    lib_fini();
}

int suite_process(void)
{
    CU_pSuite s = CU_add_suite("process", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, another_process_reads);
    ADD(s, two_writers_at_once);
    ADD(s, open_library_sees_new_objects);
    ADD(s, open_session_sees_new_objects);
    ADD(s, threads);
    return 0;
}
