/* tests/unit_remote/test_remote.c - remote_signup / remote_login against
 * meeco-server in this process, and the client's failure statuses. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <openssl/crypto.h>

#include "remote.h"
#include "cryppo.h"
#include "fixture_server.h"
#include "http.h"
#include "server.h"
#include "store.h"
#include "sync.h"
#include "vault_api.h"

#define PASSPHRASE "correct horse battery stäple"

static fx_server fx;
static remote_config cfg;
static char *secret; /* the account made by test_signup_then_login */

static int suite_init(void)
{
    if (fx_server_start(&fx, "meeco-remote-test", 2) != 0)
        return -1;
    cfg = fx.cfg;
    return 0;
}

static int suite_clean(void)
{
    if (secret)
        secure_free(secret, strlen(secret) + 1);
    return fx_cleanup(&fx);
}

static int same(const secbuf *a, const secbuf *b)
{
    return a->len == b->len && a->len > 0 &&
           CRYPTO_memcmp(a->p, b->p, a->len) == 0;
}

static void test_signup_then_login(void)
{
    remote_session up, in;
    remote_status st;

    memset(&up, 0, sizeof(up));
    memset(&in, 0, sizeof(in));
    st = remote_signup(&cfg, PASSPHRASE, &secret, &up);
    CU_ASSERT_EQUAL_FATAL(st, REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(secret);
    CU_ASSERT_EQUAL(strncmp(secret, "1.", 2), 0);
    CU_ASSERT_EQUAL(up.kek.len, 32);
    CU_ASSERT_EQUAL(up.dek.len, 32);
    st = remote_login(&cfg, secret, PASSPHRASE, &in);
    CU_ASSERT_EQUAL_FATAL(st, REMOTE_OK);
    CU_ASSERT_STRING_EQUAL(in.username, up.username);
    CU_ASSERT_TRUE(same(&in.kek, &up.kek));
    CU_ASSERT_TRUE(same(&in.dek, &up.dek));
    CU_ASSERT_TRUE(same(&in.private_pem, &up.private_pem));
    CU_ASSERT_STRING_EQUAL(in.dek_id, up.dek_id);
    CU_ASSERT_STRING_EQUAL(in.keypair_id, up.keypair_id);
    CU_ASSERT_TRUE(in.vault_token.len > 0 && in.keystore_token.len > 0);
    CU_ASSERT_FALSE(same(&in.keystore_token, &up.keystore_token));
    remote_session_free(&up);
    remote_session_free(&in);
    CU_ASSERT_PTR_NULL(in.kek.p);
}

static void test_wrong_passphrase(void)
{
    remote_session s;

    memset(&s, 0, sizeof(s));
    CU_ASSERT_PTR_NOT_NULL_FATAL(secret);
    CU_ASSERT_EQUAL(remote_login(&cfg, secret, "wrong passphrase", &s),
                    REMOTE_ERR_LOGIN);
    CU_ASSERT_PTR_NULL(s.kek.p);
    CU_ASSERT_PTR_NOT_NULL(strstr(remote_last_error(), "401"));
    CU_ASSERT_EQUAL(remote_login(&cfg, "not-a-secret", PASSPHRASE, &s),
                    REMOTE_ERR_ARGS);
}

static void test_not_listening(void)
{
    remote_config c = cfg;
    remote_session s;
    char ks[128], va[128];
    char *sec = NULL;
    unsigned port = fx_closed_port();

    memset(&s, 0, sizeof(s));
    CU_ASSERT_NOT_EQUAL_FATAL(port, 0);
    fx_server_urls(port, ks, sizeof(ks), va, sizeof(va));
    c.keystore_url = ks;
    c.vault_url = va;
    CU_ASSERT_EQUAL(remote_signup(&c, PASSPHRASE, &sec, NULL),
                    REMOTE_ERR_NETWORK);
    CU_ASSERT_PTR_NULL(sec);
    CU_ASSERT_EQUAL(remote_login(&c, secret ? secret : "x", PASSPHRASE, &s),
                    secret ? REMOTE_ERR_NETWORK : REMOTE_ERR_ARGS);
}

/* ---- a raw socket server answering every connection with one text ---- */

struct raw {
    int fd;
    const char *answer;
    int connections;
    const char *first; /* answer to the first connection if not NULL */
    int served;
};

static void *raw_serve(void *arg)
{
    struct raw *r = arg;
    char buf[8192];

    for (int i = 0; i < r->connections; i++) {
        int c = accept(r->fd, NULL, NULL);
        const char *a = i == 0 && r->first ? r->first : r->answer;

        if (c < 0)
            break;
        if (recv(c, buf, sizeof(buf), 0) > 0 &&
            send(c, a, strlen(a), MSG_NOSIGNAL) < 0)
            perror("send");
        close(c);
        r->served++;
    }
    return NULL;
}

static unsigned raw_start(struct raw *r, pthread_t *t)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(r->fd, 4) != 0 ||
        getsockname(r->fd, (struct sockaddr *)&a, &len) != 0 ||
        pthread_create(t, NULL, raw_serve, r) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* Sign-up's first call (POST /srp/username) against a canned answer. */
static remote_status signup_against(const char *answer)
{
    struct raw r = {-1, answer, 1, NULL, 0};
    remote_config c = cfg;
    char ks[128], *sec = NULL;
    pthread_t t;
    unsigned port = raw_start(&r, &t);
    remote_status st;

    if (!port)
        return REMOTE_STATUS_COUNT;
    snprintf(ks, sizeof(ks), "http://127.0.0.1:%u/keystore", port);
    c.keystore_url = ks;
    st = remote_signup(&c, PASSPHRASE, &sec, NULL);
    pthread_join(t, NULL);
    close(r.fd);
    free(sec);
    return st;
}

static void test_garbage_answers(void)
{
    CU_ASSERT_EQUAL(signup_against("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n"
                                   "Connection: close\r\n\r\nnot json!"),
                    REMOTE_ERR_PROTOCOL);
    CU_ASSERT_EQUAL(
        signup_against("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n"
                       "Connection: close\r\n\r\n{\"user\":\"x\"}\n"),
        REMOTE_ERR_PROTOCOL);
    CU_ASSERT_EQUAL(signup_against("\x01\x02garbage that is not HTTP\r\n\r\n"),
                    REMOTE_ERR_PROTOCOL);
    CU_ASSERT_EQUAL(
        signup_against("HTTP/1.1 503 Unavailable\r\n"
                       "Connection: close\r\n\r\n"
                       "{\"errors\":[{\"error\":\"maintenance\",\"message\":"
                       "\"come back\"}]}"),
        REMOTE_ERR_SERVER);
    CU_ASSERT_PTR_NOT_NULL(strstr(remote_last_error(), "maintenance"));
}

#define UNAVAILABLE "HTTP/1.1 503 Unavailable\r\nConnection: close\r\n\r\n"
#define OK_JSON     "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"a\":\"b\"}"

/* First connection 503, then 200: GET is retried, POST is not. */
static remote_status call_after_503(const char *method, int *served)
{
    struct raw r = {-1, OK_JSON, 2, UNAVAILABLE, 0};
    remote_config c = cfg;
    remote_http *h = NULL;
    cJSON *ans = NULL;
    char ks[128];
    pthread_t t;
    unsigned port = raw_start(&r, &t);
    remote_status st = REMOTE_STATUS_COUNT;

    if (!port)
        return st;
    snprintf(ks, sizeof(ks), "http://127.0.0.1:%u", port);
    c.keystore_url = ks;
    if (remote_http_new(&c, &h) == REMOTE_OK)
        st = remote_http_call(h, REMOTE_KEYSTORE, method, "/x", NULL, NULL,
                              &ans, NULL);
    if (st == REMOTE_OK && !remote_json_str(ans, "a"))
        st = REMOTE_STATUS_COUNT;
    cJSON_Delete(ans);
    /* A POST makes one connection (no retry): serve the second answer
     * to a GET so the server thread ends.  served is read after join. */
    if (strcmp(method, "POST") == 0) {
        remote_http_call(h, REMOTE_KEYSTORE, "GET", "/x", NULL, NULL, &ans,
                         NULL);
        cJSON_Delete(ans);
    }
    pthread_join(t, NULL);
    *served = r.served;
    remote_http_free(h);
    close(r.fd);
    return st;
}

static void test_get_retry(void)
{
    int served = 0;

    CU_ASSERT_EQUAL(call_after_503("GET", &served), REMOTE_OK);
    CU_ASSERT_EQUAL(served, 2);
    CU_ASSERT_EQUAL(call_after_503("POST", &served), REMOTE_ERR_SERVER);
    CU_ASSERT_EQUAL(served, 2); /* the POST and the unblocking GET */
}

/* meeco-server over HTTPS with the self-signed fixture certificate. */
static void test_tls(void)
{
    srv_config sc;
    srv_server *tls = NULL;
    remote_config c = cfg;
    remote_http *h = NULL;
    cJSON *ans = NULL;
    char err[256], ks[128];

    srv_config_defaults(&sc);
    sc.port = 0;
    sc.threads = 1;
    snprintf(sc.db_path, sizeof(sc.db_path), "%s/tls.db", fx.dir);
    snprintf(sc.access_log, sizeof(sc.access_log), "off");
    snprintf(sc.tls_cert, sizeof(sc.tls_cert), "%s/server-tls-cert.pem",
             REMOTE_FIXTURES);
    snprintf(sc.tls_key, sizeof(sc.tls_key), "%s/server-tls-key.pem",
             REMOTE_FIXTURES);
    CU_ASSERT_EQUAL_FATAL(srv_server_start(&sc, &tls, err, sizeof(err)), 0);
    snprintf(ks, sizeof(ks), "https://127.0.0.1:%u/keystore",
             srv_server_port(tls));
    c.keystore_url = ks;
    c.get_retries = 0;
    CU_ASSERT_EQUAL(remote_http_new(&c, &h), REMOTE_OK);
    /* Verification is on by default: the self-signed server is refused. */
    CU_ASSERT_EQUAL(remote_http_call(h, REMOTE_KEYSTORE, "POST",
                                     "/srp/username", NULL, NULL, &ans, NULL),
                    REMOTE_ERR_TLS);
    remote_http_free(h);
    c.ca_file = REMOTE_FIXTURES "/server-tls-cert.pem";
    CU_ASSERT_EQUAL(remote_http_new(&c, &h), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_http_call(h, REMOTE_KEYSTORE, "POST",
                                     "/srp/username", NULL, NULL, &ans, NULL),
                    REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL(remote_json_str(ans, "username"));
    cJSON_Delete(ans);
    remote_http_free(h);
    srv_server_stop(tls);
}

/* Items created through the vault API come back from the replica. */
static remote_status make_items(remote_session *s, int n)
{
    remote_http *h = NULL;
    remote_status st = remote_http_new(s->cfg, &h);

    for (int i = 0; st == REMOTE_OK && i < n; i++) {
        char label[32], value[32], *enc = NULL, *id = NULL;

        snprintf(label, sizeof(label), "Item %d", i);
        snprintf(value, sizeof(value), "value-%d", i);
        if (cryppo_aes_encrypt(s->dek.p, (const uint8_t *)value, strlen(value),
                               &enc) != CRYPPO_OK)
            st = REMOTE_ERR_CRYPTO;
        else
            st = remote_vault_item_create(h, (const char *)s->vault_token.p,
                                          label, "note", enc, &id);
        free(enc);
        free(id);
    }
    remote_http_free(h);
    return st;
}

static void check_replica(store *db, const remote_session *s, size_t n_items)
{
    store_item *items = NULL;
    store_slot *slots = NULL;
    store_keypair kp = {0};
    store_kek kek = {0};
    size_t ni = 0, ns = 0, found = 0;

    CU_ASSERT_EQUAL_FATAL(store_item_list(db, &items, &ni), STORE_OK);
    CU_ASSERT_EQUAL(ni, n_items);
    CU_ASSERT_EQUAL_FATAL(store_slot_list(db, NULL, &slots, &ns), STORE_OK);
    for (size_t i = 0; i < ns; i++) {
        secbuf pt = {NULL, 0};
        char want[32];
        int k;

        if (!slots[i].encrypted_value)
            continue;
        CU_ASSERT_EQUAL_FATAL(
            cryppo_aes_decrypt(s->dek.p, slots[i].encrypted_value, &pt),
            CRYPPO_OK);
        for (k = 0; k < (int)n_items; k++) {
            snprintf(want, sizeof(want), "value-%d", k);
            if (strcmp((const char *)pt.p, want) == 0)
                found++;
        }
        secbuf_free(&pt);
    }
    CU_ASSERT_EQUAL(found, n_items);
    CU_ASSERT_EQUAL(store_kek_get(db, &kek), STORE_OK);
    CU_ASSERT_EQUAL(store_keypair_get_by_external_id(db, "auth", &kp),
                    STORE_OK);
    CU_ASSERT_STRING_EQUAL(kp.id ? kp.id : "", s->keypair_id);
    CU_ASSERT_EQUAL(kp.bits, 4096);
    store_keypair_clear(&kp);
    store_kek_clear(&kek);
    store_item_list_free(items, ni);
    store_slot_list_free(slots, ns);
}

static void test_sync(void)
{
    remote_config c = cfg;
    remote_session s;
    store_dek dek = {0};
    store *db = NULL;

    memset(&s, 0, sizeof(s));
    CU_ASSERT_PTR_NOT_NULL_FATAL(secret);
    c.page_size = 2; /* 5 items: three pages */
    CU_ASSERT_EQUAL_FATAL(remote_login(&c, secret, PASSPHRASE, &s), REMOTE_OK);
    CU_ASSERT_EQUAL_FATAL(make_items(&s, 5), REMOTE_OK);
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&s, db), REMOTE_OK);
    check_replica(db, &s, 5);
    CU_ASSERT_EQUAL(remote_sync(&s, db), REMOTE_OK); /* upserts again */
    check_replica(db, &s, 5);
    CU_ASSERT_EQUAL(store_dek_get(db, s.dek_id, &dek), STORE_OK);
    store_dek_clear(&dek);
    store_close(db);
    remote_session_free(&s);
}

static void test_strerror(void)
{
    for (int i = 0; i < REMOTE_STATUS_COUNT; i++)
        CU_ASSERT_STRING_NOT_EQUAL(remote_strerror((remote_status)i),
                                   "unknown status");
    CU_ASSERT_STRING_EQUAL(remote_strerror(REMOTE_STATUS_COUNT),
                           "unknown status");
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("remote", suite_init, suite_clean);
    CU_add_test(s, "sign-up then login", test_signup_then_login);
    CU_add_test(s, "wrong passphrase", test_wrong_passphrase);
    CU_add_test(s, "not listening", test_not_listening);
    CU_add_test(s, "garbage answers", test_garbage_answers);
    CU_add_test(s, "sync into a replica", test_sync);
    CU_add_test(s, "GET retried, POST not", test_get_retry);
    CU_add_test(s, "TLS verification", test_tls);
    CU_add_test(s, "strerror", test_strerror);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
