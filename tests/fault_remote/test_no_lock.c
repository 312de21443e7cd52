/* tests/fault_remote/test_no_lock.c - no lock is held across a network
 * call (pkcs11/core/blocking.h).
 *
 * Writes are answered 2 s late (the proxy delays requests to
 * /vault/items).  Thread A creates a CKO_DATA object (a POST or PUT to
 * the Vault); once the proxy holds A's request, the main thread works
 * on another session of the same token.  Nothing is timed: the proxy
 * counts an answer before it writes it, so "answered == 0" when the
 * main thread's calls return means A was still waiting on the network,
 * i.e. they did not wait for it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "fixture.h"
#include "suites.h"

#define DELAY_MS 2000

typedef struct writer {
    CK_SESSION_HANDLE h;
    const char *label;
    CK_RV rv;
    atomic_bool done;
} writer;

static void *write_main(void *arg)
{
    writer *w = arg;
    w->rv = fx_data_create(w->h, "in_flight", w->label, "written late", NULL);
    atomic_store(&w->done, true);
    return NULL;
}

/* Logged in (online) on replica; sessions a and b; writes delayed.
 * Returns the number of CKO_DATA objects the token shows. */
static CK_ULONG start(const char *replica, CK_SESSION_HANDLE *a,
                      CK_SESSION_HANDLE *b)
{
    char path[320];
    fx_conf(replica, 10, path, sizeof(path));
    proxy_pass(fx_proxy);
    *a = fx_open();
    CU_ASSERT_EQUAL_FATAL(
        fx_p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                              NULL, b),
        CKR_OK);
    CU_ASSERT_EQUAL_FATAL(fx_login(*a), CKR_OK);
    CU_ASSERT_FALSE_FATAL(fx_token_flags() & CKF_WRITE_PROTECTED);
    CK_ULONG n = fx_data_count(*a);
    CU_ASSERT(n >= FX_ITEMS);
    /* the write's POST or PUT /items/{id}, not the session's DELETEs */
    proxy_set(fx_proxy, &(proxy_rule){.mode = PROXY_FORWARD,
                                      .match = "/vault/items",
                                      .delay_ms = DELAY_MS});
    return n;
}

/* Start A and wait (bounded) until its request is at the proxy. */
static bool launch(writer *w, pthread_t *t)
{
    struct timespec tick = {0, 1000000L};
    if (pthread_create(t, NULL, write_main, w) != 0)
        return false;
    for (int i = 0; i < 20000 && proxy_counts_get(fx_proxy).matched == 0; i++)
        nanosleep(&tick, NULL);
    return proxy_counts_get(fx_proxy).matched > 0;
}

static bool a_in_flight(const writer *w)
{
    return !atomic_load(&w->done) && proxy_counts_get(fx_proxy).answered == 0;
}

static CK_RV session_key(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE *k)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ULONG len = 32;
    CK_BBOOL no = CK_FALSE, yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                        {CKA_TOKEN, &no, sizeof(no)},
                        {CKA_ENCRYPT, &yes, sizeof(yes)}};
    return fx_p11->C_GenerateKey(h, &m, t, 3, k);
}

static CK_RV gcm_encrypt(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE k)
{
    CK_BYTE iv[12] = {1, 2, 3}, out[64];
    CK_ULONG n = sizeof(out);
    CK_GCM_PARAMS gp = {iv, sizeof(iv), 96, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &gp, sizeof(gp)};
    CK_RV rv = fx_p11->C_EncryptInit(h, &m, k);
    if (rv == CKR_OK)
        rv = fx_p11->C_Encrypt(h, (CK_BYTE_PTR) "plain text", 10, out, &n);
    if (rv == CKR_OK && n != 10 + 16)
        rv = CKR_GENERAL_ERROR;
    return rv;
}

static void test_others_proceed(void)
{
    CK_SESSION_HANDLE a = 0, b = 0;
    CK_OBJECT_HANDLE k = 0;
    pthread_t t;
    CK_ULONG n = start("nolock", &a, &b);
    CU_ASSERT_EQUAL_FATAL(session_key(b, &k), CKR_OK);
    writer w = {.h = a, .label = "written_late"};
    CU_ASSERT_FATAL(launch(&w, &t));
    CK_TOKEN_INFO ti;
    CU_ASSERT_EQUAL(fx_p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT_EQUAL(fx_data_count(b), n);
    CU_ASSERT_EQUAL(gcm_encrypt(b, k), CKR_OK);
    CU_ASSERT(a_in_flight(&w));
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(w.rv, CKR_OK);
    proxy_pass(fx_proxy);
    CU_ASSERT(fx_value_is(b, "written_late", "written late"));
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
}

/* A's session closed under it: A reports CKR_SESSION_CLOSED. */
static void test_close_session_while_waiting(void)
{
    CK_SESSION_HANDLE a = 0, b = 0;
    pthread_t t;
    char path[320];
    unsigned char d[32];
    CK_ULONG n = start("closing", &a, &b);
    writer w = {.h = a, .label = "closed_under"};
    CU_ASSERT_FATAL(launch(&w, &t));
    CU_ASSERT_EQUAL(fx_p11->C_CloseSession(a), CKR_OK);
    CU_ASSERT(a_in_flight(&w)); /* closing did not wait either */
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(w.rv, CKR_SESSION_CLOSED);
    proxy_pass(fx_proxy);
    CU_ASSERT_EQUAL(fx_data_count(b), n); /* b is still served */
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    fx_conf("closing", 10, path, sizeof(path));
    CU_ASSERT(fx_replica_digest(path, d));
}

/* The last session closed under A (C_CloseAllSessions logs the token
 * out): A reports CKR_SESSION_CLOSED, a new login works. */
static void test_close_all_while_waiting(void)
{
    CK_SESSION_HANDLE a = 0, b = 0;
    CK_SESSION_INFO si;
    pthread_t t;
    CK_ULONG n = start("closing_all", &a, &b);
    writer w = {.h = a, .label = "all_closed_under"};
    CU_ASSERT_FATAL(launch(&w, &t));
    CU_ASSERT_EQUAL(fx_p11->C_CloseAllSessions(0), CKR_OK);
    CU_ASSERT(a_in_flight(&w));
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(w.rv, CKR_SESSION_CLOSED);
    proxy_pass(fx_proxy);
    CU_ASSERT_EQUAL_FATAL(
        fx_p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                              NULL, &b),
        CKR_OK);
    CU_ASSERT_EQUAL(fx_p11->C_GetSessionInfo(b, &si), CKR_OK);
    CU_ASSERT_EQUAL(si.state, CKS_RW_PUBLIC_SESSION);
    CU_ASSERT_EQUAL(fx_login(b), CKR_OK);
    CU_ASSERT(fx_data_count(b) >= n);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
}

/* C_Logout (on the other session) while A waits: A does not report a
 * success for a user who is gone (the logout also ends the server
 * session, which may refuse A's request), and a new login works. */
static void test_logout_while_waiting(void)
{
    CK_SESSION_HANDLE a = 0, b = 0;
    pthread_t t;
    CK_ULONG n = start("logging_out", &a, &b);
    writer w = {.h = a, .label = "logged_out_under"};
    CU_ASSERT_FATAL(launch(&w, &t));
    CU_ASSERT_EQUAL(fx_p11->C_Logout(b), CKR_OK);
    CU_ASSERT(a_in_flight(&w));
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(w.rv, CKR_USER_NOT_LOGGED_IN);
    proxy_pass(fx_proxy);
    CU_ASSERT_EQUAL(fx_login(b), CKR_OK);
    CK_ULONG now = fx_data_count(b);
    CU_ASSERT(now == n || now == n + 1);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
}

/* C_Finalize while A waits returns once A's network call is over (the
 * answer was out before it returned) and the token is torn down after
 * A, not under it. */
static void test_finalize_while_waiting(void)
{
    CK_SESSION_HANDLE a = 0, b = 0;
    pthread_t t;
    char path[320];
    unsigned char d[32];
    start("finalizing", &a, &b);
    writer w = {.h = a, .label = "finalized_under"};
    CU_ASSERT_FATAL(launch(&w, &t));
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT_EQUAL(proxy_counts_get(fx_proxy).answered, 1);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(w.rv, CKR_OK);
    proxy_pass(fx_proxy);
    fx_conf("finalizing", 10, path, sizeof(path));
    CU_ASSERT(fx_replica_digest(path, d));
    /* the object reached the server and the replica */
    a = fx_open();
    CU_ASSERT_EQUAL(fx_login(a), CKR_OK);
    CU_ASSERT(fx_value_is(a, "finalized_under", "written late"));
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
}

void fault_no_lock_register(CU_pSuite s)
{
    CU_add_test(s, "others_proceed", test_others_proceed);
    CU_add_test(s, "close_session_while_waiting",
                test_close_session_while_waiting);
    CU_add_test(s, "close_all_while_waiting", test_close_all_while_waiting);
    CU_add_test(s, "logout_while_waiting", test_logout_while_waiting);
    CU_add_test(s, "finalize_while_waiting", test_finalize_while_waiting);
}
