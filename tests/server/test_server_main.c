/* tests/server/test_server_main.c - the meeco-server executable as a
 * child process: flags and --help, the config file, the subscription
 * key, HTTPS, an access log without tokens or bodies, and a clean exit
 * on SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <curl/curl.h>

#include "support.h"

#ifndef MEECO_SERVER_BIN
#error MEECO_SERVER_BIN must name the meeco-server executable
#endif

static char dir[128];

static int suite_init(void)
{
    snprintf(dir, sizeof(dir), "/tmp/meeco-server-main-XXXXXX");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    curl_global_cleanup();
    return system(cmd) == 0 ? 0 : -1;
}

/* Run meeco-server with argv (NULL-terminated), stdout/stderr to log. */
static pid_t spawn(const char *const argv[], const char *log)
{
    pid_t pid = fork();

    if (pid == 0) {
        FILE *f = freopen(log, "w", stderr);
        if (!f || !freopen(log, "a", stdout))
            _exit(127);
        execv(MEECO_SERVER_BIN, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = 0;

    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Poll for the port file written once the server listens (30 s max). */
static unsigned wait_port(const char *path, pid_t pid)
{
    struct timespec ts = {0, 20 * 1000 * 1000};
    unsigned port = 0;

    for (int i = 0; i < 1500 && !port; i++) {
        FILE *f = fopen(path, "r");
        int status;

        if (f) {
            if (fscanf(f, "%u", &port) != 1)
                port = 0;
            fclose(f);
        }
        if (!port && waitpid(pid, &status, WNOHANG) == pid)
            return 0;
        if (!port)
            nanosleep(&ts, NULL);
    }
    return port;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = calloc(1, 1 << 20);

    if (f && buf)
        buf[fread(buf, 1, (1 << 20) - 1, f)] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* 1 when needle occurs in the file's bytes. */
static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    size_t n = strlen(needle), len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    int found = 0;

    while (f && buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p)
                break;
            buf = p;
            cap *= 2;
        }
    }
    for (size_t i = 0; buf && n && i + n <= len && !found; i++)
        found = memcmp(buf + i, needle, n) == 0;
    if (f)
        fclose(f);
    free(buf);
    return found;
}

static void test_help_and_bad_flags(void)
{
    char log[256], *out;
    const char *help[] = {"meeco-server", "--help", NULL};
    const char *bad[] = {"meeco-server", "--no-such-flag", NULL};
    const char *badval[] = {"meeco-server", "--listen", "nowhere", NULL};

    snprintf(log, sizeof(log), "%s/help.log", dir);
    CU_ASSERT_EQUAL(wait_exit(spawn(help, log)), 0);
    out = slurp(log);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--listen HOST:PORT"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--db PATH"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--tls-cert"));
    free(out);
    CU_ASSERT_EQUAL(wait_exit(spawn(bad, log)), 2);
    CU_ASSERT_EQUAL(wait_exit(spawn(badval, log)), 2);
}

static void test_bad_config(void)
{
    char conf[256], log[256], *out;
    const char *argv[] = {"meeco-server", "--config", conf, NULL};
    FILE *f;

    snprintf(conf, sizeof(conf), "%s/bad.conf", dir);
    snprintf(log, sizeof(log), "%s/bad.log", dir);
    f = fopen(conf, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("# comment\nlisten = 127.0.0.1:0\nsurprise = yes\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(wait_exit(spawn(argv, log)), 2);
    out = slurp(log);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown setting 'surprise'"));
    free(out);
}

/* Config file + subscription key + access log + SIGTERM. */
static void test_config_subscription_log_sigterm(void)
{
    static const char *const with_key[] = {"Meeco-Subscription-Key: SUBKEY",
                                           NULL};
    char conf[256], db[256], portf[256], access[256], log[256], base[64];
    const char *argv[] = {"meeco-server", "--config", conf, "--db", db,
                          "--port-file",  portf,      NULL};
    char token[64], *text;
    unsigned port;
    t_user u;
    t_resp r;
    pid_t pid;
    FILE *f;

    snprintf(conf, sizeof(conf), "%s/server.conf", dir);
    snprintf(db, sizeof(db), "%s/server.db", dir);
    snprintf(portf, sizeof(portf), "%s/port", dir);
    snprintf(access, sizeof(access), "%s/access.log", dir);
    snprintf(log, sizeof(log), "%s/server.log", dir);
    f = fopen(conf, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f,
            "listen = 127.0.0.1:0\nsubscription_key = SUBKEY\n"
            "access_log = %s\nthreads = 3\n",
            access);
    fclose(f);
    pid = spawn(argv, log);
    port = wait_port(portf, pid);
    CU_ASSERT_FATAL(port != 0);
    snprintf(base, sizeof(base), "http://127.0.0.1:%u", port);
    t_set_target(base, NULL, NULL);
    r = t_request("GET", "/vault/version", NULL, NULL);
    CU_ASSERT_EQUAL(r.status, 401);
    CU_ASSERT_STRING_EQUAL(t_error_code(&r), "invalid_subscription_key");
    t_resp_free(&r);
    t_set_target(base, NULL, with_key);
    memset(&u, 0, sizeof(u));
    CU_ASSERT_EQUAL(t_keystore_signup(&u, "logged-user", "pw"), 0);
    snprintf(token, sizeof(token), "%s", u.ks_token);
    r = t_request("GET", "/keystore/session", token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    t_resp_free(&r);
    t_set_target(NULL, NULL, NULL);
    CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
    CU_ASSERT_EQUAL(wait_exit(pid), 0);
    text = slurp(access);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "POST /keystore/srp/session 200"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "GET /vault/version 401"));
    CU_ASSERT(strlen(token) == 24);
    CU_ASSERT_PTR_NULL(strstr(text, token));
    CU_ASSERT_PTR_NULL(strstr(text, "logged-user"));
    CU_ASSERT_PTR_NULL(strstr(text, "srp_a"));
    free(text);
    text = slurp(log);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "shutting down"));
    free(text);
    /* the database holds the username but never the token */
    {
        char wal[300];

        snprintf(wal, sizeof(wal), "%s-wal", db);
        CU_ASSERT(file_contains(db, "logged-user"));
        CU_ASSERT(!file_contains(db, token));
        CU_ASSERT(!file_contains(wal, token));
    }
}

static void test_https(void)
{
    char db[256], portf[256], log[256], base[64];
    char cert[512], key[512];
    const char *argv[] = {"meeco-server", "--listen",   "127.0.0.1:0",
                          "--db",         db,           "--port-file",
                          portf,          "--tls-cert", cert,
                          "--tls-key",    key,          "--access-log",
                          "off",          NULL};
    unsigned port;
    t_resp r;
    pid_t pid;

    snprintf(db, sizeof(db), "%s/tls.db", dir);
    snprintf(portf, sizeof(portf), "%s/tls.port", dir);
    snprintf(log, sizeof(log), "%s/tls.log", dir);
    snprintf(cert, sizeof(cert), "%s/server-tls-cert.pem", SERVER_FIXTURES);
    snprintf(key, sizeof(key), "%s/server-tls-key.pem", SERVER_FIXTURES);
    pid = spawn(argv, log);
    port = wait_port(portf, pid);
    CU_ASSERT_FATAL(port != 0);
    snprintf(base, sizeof(base), "https://127.0.0.1:%u", port);
    t_set_target(base, cert, NULL);
    r = t_request("GET", "/keystore/version", NULL, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "component.name"));
    t_resp_free(&r);
    /* plain HTTP on the TLS port fails */
    snprintf(base, sizeof(base), "http://127.0.0.1:%u", port);
    t_set_target(base, NULL, NULL);
    r = t_request("GET", "/keystore/version", NULL, NULL);
    CU_ASSERT_NOT_EQUAL(r.status, 200);
    t_resp_free(&r);
    t_set_target(NULL, NULL, NULL);
    kill(pid, SIGTERM);
    CU_ASSERT_EQUAL(wait_exit(pid), 0);
}

static void test_data_survives_restart(void)
{
    char db[256], portf[256], log[256], base[64];
    const char *argv[] = {
        "meeco-server", "--listen", "127.0.0.1:0",  "--db", db,
        "--port-file",  portf,      "--access-log", "off",  NULL};
    t_user u;
    pid_t pid;

    snprintf(db, sizeof(db), "%s/restart.db", dir);
    snprintf(portf, sizeof(portf), "%s/restart.port", dir);
    snprintf(log, sizeof(log), "%s/restart.log", dir);
    memset(&u, 0, sizeof(u));
    for (int round = 0; round < 2; round++) {
        unlink(portf);
        pid = spawn(argv, log);
        snprintf(base, sizeof(base), "http://127.0.0.1:%u",
                 wait_port(portf, pid));
        t_set_target(base, NULL, NULL);
        if (round == 0) {
            CU_ASSERT_EQUAL(t_keystore_signup(&u, "persistent", "pw"), 0);
        } else {
            CU_ASSERT_EQUAL(t_keystore_login(&u, "pw"), 0);
        }
        t_set_target(NULL, NULL, NULL);
        kill(pid, SIGTERM);
        CU_ASSERT_EQUAL(wait_exit(pid), 0);
    }
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite("server_main", suite_init, suite_clean);
    CU_add_test(s, "--help and bad flags", test_help_and_bad_flags);
    CU_add_test(s, "bad config file", test_bad_config);
    CU_add_test(s, "config, subscription key, access log, SIGTERM",
                test_config_subscription_log_sigterm);
    CU_add_test(s, "HTTPS", test_https);
    CU_add_test(s, "data survives a restart", test_data_survives_restart);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
