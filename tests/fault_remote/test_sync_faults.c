/* tests/fault_remote/test_sync_faults.c - the server dies, stalls or
 * talks nonsense while the module logs in, syncs (at login or in the
 * background) or writes.
 *
 * Whatever happens on the wire, C_Login either serves the replica
 * (CKR_OK) or, with nothing to serve, fails with CKR_DEVICE_ERROR; a
 * write fails with CKR_DEVICE_ERROR or CKR_TOKEN_WRITE_PROTECTED; and
 * the replica passes PRAGMA integrity_check with exactly the rows it had
 * before (a digest of every row of every table).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "fixture.h"
#include "suites.h"

/* One replica synced once through a good network and reused: every
 * case here must leave it unchanged. */
static char synced[320];
static unsigned char synced_digest[32];
static bool synced_ready;
static CK_ULONG synced_count; /* CKO_DATA objects it holds */
/* What the proxy saw during the last login_synced. */
static proxy_counts last_seen;

static void need_synced(void)
{
    if (synced_ready)
        return;
    synced_count = fx_sync_replica("synced", synced, sizeof(synced));
    synced_ready = fx_replica_digest(synced, synced_digest);
    CU_ASSERT_FATAL(synced_ready);
}

static void assert_synced_unchanged(void)
{
    unsigned char now[32];
    CU_ASSERT_FATAL(fx_replica_digest(synced, now));
    CU_ASSERT_EQUAL(memcmp(now, synced_digest, sizeof(now)), 0);
}

/* Values of the fixture's slots decrypt. */
static void assert_values(CK_SESSION_HANDLE h)
{
    char name[32], value[32];
    for (unsigned i = 0; i < FX_ITEMS; i += 52) {
        fx_slot_name(i, name, sizeof(name));
        fx_slot_value(i, value, sizeof(value));
        CU_ASSERT(fx_value_is(h, name, value));
    }
}

/* The replica serves what it held: n objects, and values decrypt. */
static void assert_served(CK_SESSION_HANDLE h, CK_ULONG n)
{
    CU_ASSERT_EQUAL(fx_data_count(h), n);
    assert_values(h);
}

/* C_Login on the synced replica with the network behaving as r. */
static CK_RV login_synced(const proxy_rule *r, CK_FLAGS *flags)
{
    char path[320];
    need_synced();
    fx_conf("synced", 5, path, sizeof(path));
    proxy_set(fx_proxy, r);
    CK_SESSION_HANDLE h = fx_open();
    CK_RV rv = fx_login(h);
    *flags = fx_token_flags();
    if (rv == CKR_OK)
        assert_served(h, synced_count);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    last_seen = proxy_counts_get(fx_proxy);
    proxy_pass(fx_proxy);
    assert_synced_unchanged();
    return rv;
}

/* No contact worked: the replica serves, read-only. */
static void offline_from_replica(const proxy_rule *r)
{
    CK_FLAGS flags = 0;
    CU_ASSERT_EQUAL(login_synced(r, &flags), CKR_OK);
    CU_ASSERT(flags & CKF_WRITE_PROTECTED);
}

/* C_Login on a replica that never synced: nothing to serve. */
static void never_synced(const proxy_rule *r, const char *replica)
{
    char path[320];
    unsigned char d[32];
    fx_conf(replica, 5, path, sizeof(path));
    proxy_set(fx_proxy, r);
    CK_SESSION_HANDLE h = fx_open();
    CU_ASSERT_EQUAL(fx_login(h), CKR_DEVICE_ERROR);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    proxy_pass(fx_proxy);
    CU_ASSERT(fx_replica_digest(path, d));
}

/* ---- the server killed in the middle of a sync --------------------------- */

/* The login itself works; the second page of GET /items never comes
 * whole.  The login stands on the replica as it was. */
static void test_cut_mid_paging(void)
{
    static const size_t cuts[] = {0, 1, 200, 4000};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        proxy_rule r = {.mode = PROXY_CUT,
                        .match = "next_page_after",
                        .cut_after = cuts[i]};
        CK_FLAGS flags = 0;
        CU_ASSERT_EQUAL(login_synced(&r, &flags), CKR_OK);
        CU_ASSERT(last_seen.matched > 0); /* the second page was asked */
    }
}

static void test_cut_every_answer(void)
{
    static const size_t cuts[] = {0, 12, 120};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        proxy_rule r = {.mode = PROXY_CUT, .cut_after = cuts[i]};
        offline_from_replica(&r);
        never_synced(&r, "never_cut");
    }
}

/* Answers that come late but within the timeout: a normal login. */
static void test_slow_answers(void)
{
    char path[320];
    unsigned char d[32];
    fx_conf("slow", 5, path, sizeof(path));
    proxy_set(fx_proxy, &(proxy_rule){.mode = PROXY_FORWARD, .delay_ms = 150});
    CK_SESSION_HANDLE h = fx_open();
    CU_ASSERT_EQUAL(fx_login(h), CKR_OK);
    CU_ASSERT_FALSE(fx_token_flags() & CKF_WRITE_PROTECTED);
    CU_ASSERT(fx_data_count(h) >= FX_ITEMS);
    assert_values(h);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT(proxy_counts_get(fx_proxy).answered > 0);
    proxy_pass(fx_proxy);
    CU_ASSERT(fx_replica_digest(path, d));
}

/* Wait (bounded) until the token flag is set or clear. */
static bool flag_becomes(CK_FLAGS flag, bool set)
{
    struct timespec tick = {0, 20 * 1000000L};
    for (int i = 0; i < 1000; i++) {
        if (((fx_token_flags() & flag) != 0) == set)
            return true;
        nanosleep(&tick, NULL);
    }
    return false;
}

/* The background refresh (every second) cut mid-paging or fed a bad
 * slot: the token turns read-only, the replica keeps every row, and
 * once the server answers properly again the token is writable. */
static void test_refresh_faults(void)
{
    static const proxy_rule rules[] = {
        {.mode = PROXY_CUT, .match = "next_page_after", .cut_after = 300},
        {.mode = PROXY_BAD_SLOT, .match = "/items?"},
        {.mode = PROXY_NOT_JSON, .match = "/items?"},
    };
    char path[320];
    unsigned char before[32], after[32];
    fx_conf_refresh("refreshed", 5, 1, path, sizeof(path));
    proxy_pass(fx_proxy);
    CK_SESSION_HANDLE h = fx_open();
    CU_ASSERT_EQUAL_FATAL(fx_login(h), CKR_OK);
    CK_ULONG n = fx_data_count(h);
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        CU_ASSERT_FATAL(flag_becomes(CKF_WRITE_PROTECTED, false));
        /* a good refresh may still end meanwhile: the sync time aside,
         * it writes the same rows */
        CU_ASSERT_FATAL(fx_replica_data_digest(path, before));
        proxy_set(fx_proxy, &rules[i]);
        CU_ASSERT(flag_becomes(CKF_WRITE_PROTECTED, true));
        CU_ASSERT(proxy_counts_get(fx_proxy).matched > 0);
        CU_ASSERT(fx_replica_data_digest(path, after));
        CU_ASSERT_EQUAL(memcmp(before, after, sizeof(after)), 0);
        CU_ASSERT_EQUAL(fx_data_count(h), n);
        assert_values(h);
        proxy_pass(fx_proxy);
    }
    CU_ASSERT(flag_becomes(CKF_WRITE_PROTECTED, false));
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
}

/* ---- garbage ------------------------------------------------------------- */

static const proxy_mode garbage[] = {PROXY_NOT_JSON, PROXY_TRUNCATED,
                                     PROXY_BAD_HTTP, PROXY_WRONG_TYPES};
#define N_GARBAGE (sizeof(garbage) / sizeof(garbage[0]))

static void test_garbage_everywhere(void)
{
    for (size_t i = 0; i < N_GARBAGE; i++) {
        proxy_rule r = {.mode = garbage[i]};
        offline_from_replica(&r);
        never_synced(&r, "never_garbage");
    }
}

/* The login works, GET /items answers nonsense or a slot whose value is
 * not Cryppo: nothing of it reaches the replica. */
static void test_garbage_items(void)
{
    static const proxy_mode modes[] = {PROXY_NOT_JSON, PROXY_TRUNCATED,
                                       PROXY_WRONG_TYPES, PROXY_BAD_SLOT};
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        proxy_rule r = {.mode = modes[i], .match = "/items?"};
        CK_FLAGS flags = 0;
        CU_ASSERT_EQUAL(login_synced(&r, &flags), CKR_OK);
        CU_ASSERT(last_seen.matched > 0);
    }
}

/* The SRP login works but the sync after it fails: a synced replica is
 * served read-only (as after a failed background refresh), a replica that
 * never synced has nothing to serve (CKR_DEVICE_ERROR). */
static void test_sync_failure_is_write_protected(void)
{
    static const proxy_rule rules[] = {
        {.mode = PROXY_CUT, .match = "next_page_after", .cut_after = 200},
        {.mode = PROXY_BAD_SLOT, .match = "/items?"},
        {.mode = PROXY_WRONG_TYPES, .match = "/items?"},
    };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        offline_from_replica(&rules[i]);
        never_synced(&rules[i], "never_fetched");
    }
}

/* ---- writes -------------------------------------------------------------- */

typedef enum write_op { OP_CREATE, OP_SET_VALUE, OP_DESTROY } write_op;

static CK_RV write_op_run(CK_SESSION_HANDLE h, write_op op, const char *label,
                          CK_OBJECT_HANDLE o)
{
    CK_ATTRIBUTE v = {CKA_VALUE, (void *)"lost value", 10};
    if (op == OP_CREATE)
        return fx_data_create(h, "faults", label, "lost value", NULL);
    if (op == OP_SET_VALUE)
        return fx_p11->C_SetAttributeValue(h, o, &v, 1);
    return fx_p11->C_DestroyObject(h, o);
}

/* Logged in online; the write's answer is lost, garbled or too late.
 * The object stays as it was (or absent) and the replica unchanged. */
static void write_through(const proxy_rule *r, int timeout_s, write_op op)
{
    static unsigned serial;
    char path[320], label[32];
    unsigned char before[32], after[32];
    CK_OBJECT_HANDLE o = 0;
    snprintf(label, sizeof(label), "write_%u", serial++);
    fx_conf("writes", timeout_s, path, sizeof(path));
    proxy_pass(fx_proxy);
    CK_SESSION_HANDLE h = fx_open();
    CU_ASSERT_EQUAL_FATAL(fx_login(h), CKR_OK);
    if (op != OP_CREATE) {
        CU_ASSERT_EQUAL_FATAL(
            fx_data_create(h, "faults", label, "kept value", &o), CKR_OK);
    }
    CK_ULONG n = fx_data_count(h);
    CU_ASSERT_FATAL(fx_replica_digest(path, before));
    proxy_set(fx_proxy, r);
    CK_RV rv = write_op_run(h, op, label, o);
    CU_ASSERT(rv == CKR_DEVICE_ERROR || rv == CKR_TOKEN_WRITE_PROTECTED);
    CU_ASSERT(proxy_counts_get(fx_proxy).matched > 0);
    CU_ASSERT_EQUAL(fx_data_count(h), n);
    bool kept = fx_value_is(h, label, "kept value");
    CU_ASSERT(op == OP_CREATE ? !kept : kept);
    CU_ASSERT_FALSE(fx_value_is(h, label, "lost value"));
    CU_ASSERT(fx_replica_digest(path, after));
    CU_ASSERT_EQUAL(memcmp(before, after, sizeof(after)), 0);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    proxy_pass(fx_proxy);
}

static const write_op write_ops[] = {OP_CREATE, OP_SET_VALUE, OP_DESTROY};
#define N_OPS (sizeof(write_ops) / sizeof(write_ops[0]))

static void test_write_cut(void)
{
    static const size_t cuts[] = {0, 12, 120, 100000};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        for (size_t k = 0; k < N_OPS; k++) {
            /* a DELETE is answered 204 without a body: once its status
             * line is through, the delete is done and reported so */
            if (cuts[i] > 12 && write_ops[k] == OP_DESTROY)
                continue;
            write_through(
                &(proxy_rule){.mode = PROXY_CUT, .cut_after = cuts[i]}, 5,
                write_ops[k]);
        }
    }
}

static void test_write_garbled(void)
{
    for (size_t i = 0; i < N_GARBAGE; i++) {
        for (size_t k = 0; k < N_OPS; k++) {
            /* a DELETE's answer is its status: any 200 with a JSON object
             * is a success */
            if (garbage[i] == PROXY_WRONG_TYPES && write_ops[k] == OP_DESTROY)
                continue;
            write_through(&(proxy_rule){.mode = garbage[i]}, 5, write_ops[k]);
        }
    }
}

/* timeout = 1 and the answer 3 s late. */
static void test_write_timeout(void)
{
    for (size_t k = 0; k < N_OPS; k++)
        write_through(&(proxy_rule){.mode = PROXY_FORWARD, .delay_ms = 3000}, 1,
                      write_ops[k]);
}

/* ---- a slow server ------------------------------------------------------- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Wait (bounded) until the proxy has dealt with every request. */
static proxy_counts settled(void)
{
    struct timespec tick = {0, 10 * 1000000L};
    proxy_counts c = proxy_counts_get(fx_proxy);
    for (int i = 0; i < 1000 && c.answered + c.abandoned < c.matched; i++) {
        nanosleep(&tick, NULL);
        c = proxy_counts_get(fx_proxy);
    }
    return c;
}

/* timeout = 1 and every answer 3 s late: the client gives up on each
 * request before its answer is due, and C_Login falls back. */
static void login_slow(const char *replica, CK_RV want)
{
    char path[320];
    struct timespec t0;
    fx_conf(replica, 1, path, sizeof(path));
    proxy_set(fx_proxy, &(proxy_rule){.mode = PROXY_FORWARD, .delay_ms = 3000});
    CK_SESSION_HANDLE h = fx_open();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CU_ASSERT_EQUAL(fx_login(h), want);
    /* bounded: a generous ceiling, far below a login that waits out
     * the delays */
    CU_ASSERT(seconds_since(&t0) < 30.0);
    if (want == CKR_OK) {
        CU_ASSERT(fx_token_flags() & CKF_WRITE_PROTECTED);
        assert_served(h, synced_count);
    }
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    proxy_counts c = settled();
    CU_ASSERT(c.matched > 0);
    CU_ASSERT_EQUAL(c.answered, 0);
    CU_ASSERT_EQUAL(c.abandoned, c.matched);
    proxy_pass(fx_proxy);
}

static void test_timeout(void)
{
    need_synced();
    login_slow("synced", CKR_OK);
    assert_synced_unchanged();
    login_slow("never_slow", CKR_DEVICE_ERROR);
}

void fault_sync_register(CU_pSuite s)
{
    CU_add_test(s, "cut_mid_paging", test_cut_mid_paging);
    CU_add_test(s, "cut_every_answer", test_cut_every_answer);
    CU_add_test(s, "slow_answers", test_slow_answers);
    CU_add_test(s, "refresh_faults", test_refresh_faults);
    CU_add_test(s, "garbage_everywhere", test_garbage_everywhere);
    CU_add_test(s, "garbage_items", test_garbage_items);
    CU_add_test(s, "write_cut", test_write_cut);
    CU_add_test(s, "write_garbled", test_write_garbled);
    CU_add_test(s, "write_timeout", test_write_timeout);
    CU_add_test(s, "timeout", test_timeout);
    CU_add_test(s, "sync_failure_is_write_protected",
                test_sync_failure_is_write_protected);
}
