/* bench/remote/bench_remote.c - a Meeco account on meeco-server over
 * loopback: login time next to its limit, the Meeco JS SDK's login, and
 * sync + list of many slots.
 *
 *   bench-remote [--server PATH] [--module PATH|none] [--sdk SCRIPT]
 *                [--logins N] [--sdk-logins N] [--rtt N]
 *                [--items N] [--slots-per-item N] [--rsa-bits 2048|4096]
 *
 * Starts meeco-server as a child process (free port, temporary
 * database), signs up one account (remote_signup, RSA-4096 identity key
 * as the SDK makes it), then measures:
 *   - RTT: GET /keystore/version, kept-alive connection and fresh ones;
 *   - the two PBKDF2-SHA256 derivations of a login (PDK + SRP password);
 *   - remote_login, N times (median, p90), and its RSA step alone;
 *   - @meeco/sdk getAuthData on the same account (if --sdk);
 *   - items x slots-per-item encrypted slots put on the server, then
 *     login + remote_sync into a fresh replica + list and decrypt all;
 *   - the same through libmeeco-pkcs11.so: C_Login of a remote token
 *     (fresh replica), C_FindObjects of every CKO_DATA, CKA_VALUE of each.
 * Human-readable lines, plus "#R key values..." lines for
 * bench/run-remote.sh.  Not a ctest test: numbers depend on the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fill.h"
#include "login.h"
#include "module.h"
#include "remote.h"
#include "replica.h"
#include "sdk.h"
#include "server_proc.h"
#include "wire.h"

#ifndef MEECO_SERVER_PATH
#define MEECO_SERVER_PATH "meeco-server"
#endif
#ifndef MEECO_MODULE_PATH
#define MEECO_MODULE_PATH "libmeeco-pkcs11.so"
#endif
#define PASSPHRASE "bench passphrase, correct horse battery staple"

typedef struct options {
    const char *server;
    const char *module; /* NULL: skipped */
    const char *sdk;    /* NULL: skipped */
    int logins, sdk_logins, rtt, items, per_item;
    int rsa_bits; /* the account's identity key (the SDK's: 4096) */
} options;

typedef struct account {
    server_proc sp;
    char ks_url[128], vault_url[128];
    remote_config cfg;
    char *secret;
} account;

static int usage(void)
{
    fprintf(
        stderr,
        "usage: bench-remote [--server PATH] [--module PATH|none] "
        "[--sdk SCRIPT]\n"
        "                    [--logins N] [--sdk-logins N] [--rtt N] "
        "[--items N]\n"
        "                    [--slots-per-item N] [--rsa-bits 2048|4096]\n");
    return 2;
}

static int int_arg(const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);

    if (*end || n < 1 || n > 1000000)
        return -1;
    *out = (int)n;
    return 0;
}

static int parse(int argc, char **argv, options *o)
{
    *o = (options){.server = MEECO_SERVER_PATH,
                   .module = MEECO_MODULE_PATH,
                   .logins = 20,
                   .sdk_logins = 5,
                   .rtt = 200,
                   .items = 100,
                   .per_item = 100,
                   .rsa_bits = 4096};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = v == NULL;
        if (bad)
            ;
        else if (!strcmp(k, "--server"))
            o->server = v;
        else if (!strcmp(k, "--module"))
            o->module = strcmp(v, "none") ? v : NULL;
        else if (!strcmp(k, "--sdk"))
            o->sdk = v;
        else if (!strcmp(k, "--logins"))
            bad = int_arg(v, &o->logins);
        else if (!strcmp(k, "--sdk-logins"))
            bad = int_arg(v, &o->sdk_logins);
        else if (!strcmp(k, "--rtt"))
            bad = int_arg(v, &o->rtt);
        else if (!strcmp(k, "--items"))
            bad = int_arg(v, &o->items);
        else if (!strcmp(k, "--slots-per-item"))
            bad = int_arg(v, &o->per_item) || o->per_item > 200;
        else if (!strcmp(k, "--rsa-bits"))
            bad = int_arg(v, &o->rsa_bits) ||
                  (o->rsa_bits != 2048 && o->rsa_bits != 4096);
        else
            bad = 1;
        if (bad)
            return -1;
        i++;
    }
    return 0;
}

static int account_open(account *a, const options *o)
{
    double t0;
    remote_status st;

    if (server_proc_start(&a->sp, o->server) != 0)
        return -1;
    snprintf(a->ks_url, sizeof(a->ks_url), "%s/keystore", a->sp.base_url);
    snprintf(a->vault_url, sizeof(a->vault_url), "%s/vault", a->sp.base_url);
    remote_config_defaults(&a->cfg);
    a->cfg.keystore_url = a->ks_url;
    a->cfg.vault_url = a->vault_url;
    a->cfg.rsa_bits = (unsigned)o->rsa_bits;
    t0 = stats_now();
    st = remote_signup(&a->cfg, PASSPHRASE, &a->secret, NULL);
    if (st != REMOTE_OK) {
        fprintf(stderr, "remote_signup: %s (%s)\n", remote_strerror(st),
                remote_last_error());
        return -1;
    }
    printf("meeco-server pid %d on %s; sign-up (RSA-%u identity key) %.2f s\n",
           (int)a->sp.pid, a->sp.base_url, a->cfg.rsa_bits, stats_now() - t0);
    return 0;
}

static void account_close(account *a)
{
    if (a->secret)
        secure_free(a->secret, strlen(a->secret) + 1);
    server_proc_stop(&a->sp);
}

static void report(const char *key, const char *what, stats s)
{
    printf("%-44s median %8.3f ms  p90 %8.3f ms  min %8.3f ms\n", what,
           s.median * 1e3, s.p90 * 1e3, s.min * 1e3);
    printf("#R %s %.6f %.6f %.6f\n", key, s.median, s.p90, s.min);
}

/* The RSA step of a login alone, with the account's identity key. */
static int bench_rsa(account *a, const options *o)
{
    remote_session s = {0};
    stats rsa;
    int rc = remote_login(&a->cfg, a->secret, PASSPHRASE, &s) == REMOTE_OK
                 ? login_rsa_bench(&s, o->logins, &rsa)
                 : -1;

    remote_session_free(&s);
    if (rc == 0)
        report("rsa", "identity key PEM parse + RSA-OAEP decrypt", rsa);
    return rc;
}

static void report_ratio(const char *key, const char *what, stats s)
{
    printf("%-44s median %8.3f     p90 %8.3f     min %8.3f\n", what, s.median,
           s.p90, s.min);
    printf("#R %s %.6f %.6f %.6f\n", key, s.median, s.p90, s.min);
}

/* RTT, derivations next to remote_login, its RSA step, SDK login.  The
 * bound counts the kept-alive RTT (the stricter one). */
static int bench_login(account *a, const options *o)
{
    char url[200];
    stats keep, fresh, sdk;
    login_times lt;

    snprintf(url, sizeof(url), "%s/version", a->ks_url);
    if (wire_rtt(url, o->rtt, 0, &keep) != 0 ||
        wire_rtt(url, o->rtt, 1, &fresh) != 0 ||
        login_bench(&a->cfg, a->secret, PASSPHRASE, o->logins, keep.median,
                    &lt) != 0)
        return -1;
    report("rtt_keepalive", "RTT GET /keystore/version, kept-alive", keep);
    report("rtt_fresh", "RTT GET /keystore/version, new connection", fresh);
    report("derive", "PDK + SRP password (2 x PBKDF2 100000)", lt.derive);
    report("login", "remote_login", lt.login);
    report_ratio("login_ratio", "per round: login / (2 PBKDF2 + 4 RTT)",
                 lt.ratio);
    if (bench_rsa(a, o) != 0)
        return -1;
    if (!o->sdk)
        return 0;
    if (sdk_bench(o->sdk, a->sp.base_url, a->secret, PASSPHRASE, o->sdk_logins,
                  &sdk) != 0)
        return -1;
    report("sdk_login", "@meeco/sdk UserService.getAuthData", sdk);
    return 0;
}

static int bench_replica(account *a, const options *o)
{
    char path[300];
    replica_result r;

    snprintf(path, sizeof(path), "%s/client-replica.sqlite3", a->sp.dir);
    if (replica_bench(&a->cfg, a->secret, PASSPHRASE, path, &r) != 0)
        return -1;
    printf("client: remote_login %.3f s, remote_sync %.3f s, list+decrypt "
           "%.3f s: %zu items, %zu slots\n",
           r.login_s, r.sync_s, r.list_s, r.items, r.slots);
    printf("#R client_sync %.6f %.6f %.6f %zu %zu\n", r.login_s, r.sync_s,
           r.list_s, r.items, r.slots);
    return r.slots == (size_t)o->items * (size_t)o->per_item ? 0 : -1;
}

static int bench_module(account *a, const options *o)
{
    module_run run = {.path = o->module,
                      .dir = a->sp.dir,
                      .keystore_url = a->ks_url,
                      .vault_url = a->vault_url,
                      .secret = a->secret,
                      .passphrase = PASSPHRASE};
    module_result r;

    if (access(o->module, R_OK) != 0) {
        printf("module %s not built: PKCS#11 step pending\n", o->module);
        printf("#R module_pending\n");
        return 0;
    }
    if (module_bench(&run, &r) != 0)
        return -1;
    printf("module: C_Login %.3f s, C_FindObjects(CKO_DATA) %.3f s, "
           "CKA_VALUE x %zu %.3f s: %zu objects\n",
           r.login_s, r.find_s, r.values, r.values_s, r.objects);
    printf("#R module_sync %.6f %.6f %.6f %zu %zu\n", r.login_s, r.find_s,
           r.values_s, r.objects, r.values);
    return r.values == (size_t)o->items * (size_t)o->per_item ? 0 : -1;
}

static int bench_sync(account *a, const options *o)
{
    remote_session s = {0};
    double t0 = stats_now();
    int rc = remote_login(&a->cfg, a->secret, PASSPHRASE, &s) == REMOTE_OK
                 ? fill_slots(&s, o->items, o->per_item)
                 : -1;

    remote_session_free(&s);
    if (rc != 0)
        return -1;
    printf("filled %d items x %d slots in %.2f s (POST /items)\n", o->items,
           o->per_item, stats_now() - t0);
    if (bench_replica(a, o) != 0)
        return -1;
    return o->module ? bench_module(a, o) : 0;
}

int main(int argc, char **argv)
{
    options o;
    account a;
    int rc;

    memset(&a, 0, sizeof(a));
    if (parse(argc, argv, &o) != 0)
        return usage();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    rc = account_open(&a, &o);
    if (rc == 0)
        rc = bench_login(&a, &o);
    if (rc == 0)
        rc = bench_sync(&a, &o);
    account_close(&a);
    curl_global_cleanup();
    return rc == 0 ? 0 : 1;
}
