/* server/main.c - meeco-server: flags, config file, signals.
 *
 *   meeco-server [--config FILE] [--listen HOST:PORT] [--db PATH] ...
 *
 * Runs until SIGTERM or SIGINT, then stops accepting connections, lets
 * running requests finish and closes the database cleanly.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "server.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *f)
{
    fputs("Usage: meeco-server [options]\n"
          "A Meeco Keystore + Vault API server for tests and local use.\n\n"
          "  --config FILE            read key = value settings (see\n"
          "                           conf/meeco-server.conf.example)\n"
          "  --listen HOST:PORT       address (default 127.0.0.1:8080;\n"
          "                           port 0 picks a free port)\n"
          "  --db PATH                SQLite database (default "
          "meeco-server.db)\n"
          "  --keystore-base PATH     URL prefix of the Keystore "
          "(/keystore)\n"
          "  --vault-base PATH        URL prefix of the Vault (/vault)\n"
          "  --tls-cert FILE          serve HTTPS with this PEM "
          "certificate\n"
          "  --tls-key FILE           ... and this PEM private key\n"
          "  --subscription-key KEY   require Meeco-Subscription-Key: KEY\n"
          "  --access-log FILE|-|off  access log (default - = stderr)\n"
          "  --threads N              worker threads (default 2)\n"
          "  --max-body BYTES         request body limit (default 1 MiB)\n"
          "  --session-ttl SECONDS    session lifetime (default 3600)\n"
          "  --login-attempts N       failed logins per user per 15 min\n"
          "                           before 429 (default 10, 0 = no limit)\n"
          "  --no-seed                do not create the default templates\n"
          "  --port-file FILE         write the listening port to FILE\n"
          "  --help                   this text\n",
          f);
}

static const struct option options[] = {
    {"config", required_argument, NULL, 'c'},
    {"listen", required_argument, NULL, 'l'},
    {"db", required_argument, NULL, 'd'},
    {"keystore-base", required_argument, NULL, 'K'},
    {"vault-base", required_argument, NULL, 'V'},
    {"tls-cert", required_argument, NULL, 'C'},
    {"tls-key", required_argument, NULL, 'k'},
    {"subscription-key", required_argument, NULL, 's'},
    {"access-log", required_argument, NULL, 'a'},
    {"threads", required_argument, NULL, 't'},
    {"max-body", required_argument, NULL, 'm'},
    {"session-ttl", required_argument, NULL, 'T'},
    {"login-attempts", required_argument, NULL, 'L'},
    {"no-seed", no_argument, NULL, 'n'},
    {"port-file", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *key_of(int opt)
{
    switch (opt) {
    case 'l':
        return "listen";
    case 'd':
        return "db";
    case 'K':
        return "keystore_base";
    case 'V':
        return "vault_base";
    case 'C':
        return "tls_cert";
    case 'k':
        return "tls_key";
    case 's':
        return "subscription_key";
    case 'a':
        return "access_log";
    case 't':
        return "threads";
    case 'm':
        return "max_body";
    case 'T':
        return "session_ttl";
    case 'L':
        return "login_attempts";
    default:
        return NULL;
    }
}

/* The config file is read first so that flags override it. */
static int find_config(int argc, char **argv, srv_config *cfg)
{
    char err[512];

    for (int i = 1; i < argc; i++) {
        const char *path = NULL;

        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            path = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            path = argv[i] + 9;
        if (path && srv_config_load(cfg, path, err, sizeof(err)) != 0) {
            fprintf(stderr, "meeco-server: %s\n", err);
            return -1;
        }
    }
    return 0;
}

static int parse_args(int argc, char **argv, srv_config *cfg,
                      const char **port_file)
{
    char err[256];
    int opt;

    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        const char *key = key_of(opt);

        if (opt == 'h') {
            usage(stdout);
            exit(0);
        } else if (opt == 'c') {
            continue;
        } else if (opt == 'n') {
            cfg->seed_templates = 0;
        } else if (opt == 'p') {
            *port_file = optarg;
        } else if (!key) {
            usage(stderr);
            return -1;
        } else if (srv_config_set(cfg, key, optarg, err, sizeof(err)) != 0) {
            fprintf(stderr, "meeco-server: %s\n", err);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "meeco-server: unexpected argument '%s'\n",
                argv[optind]);
        return -1;
    }
    return 0;
}

static int write_port(const char *path, unsigned port)
{
    char tmp[1024];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    srv_config cfg;
    srv_server *srv = NULL;
    const char *port_file = NULL;
    struct sigaction sa;
    sigset_t mask, old;
    char err[512];

    srv_config_defaults(&cfg);
    if (find_config(argc, argv, &cfg) != 0 ||
        parse_args(argc, argv, &cfg, &port_file) != 0)
        return 2;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (srv_server_start(&cfg, &srv, err, sizeof(err)) != 0) {
        fprintf(stderr, "meeco-server: %s\n", err);
        return 1;
    }
    fprintf(stderr,
            "meeco-server: listening on %s://%s:%u (keystore %s, "
            "vault %s)\n",
            cfg.tls_cert[0] ? "https" : "http", cfg.listen_host,
            srv_server_port(srv), cfg.keystore_base, cfg.vault_base);
    if (port_file && write_port(port_file, srv_server_port(srv)) != 0)
        fprintf(stderr, "meeco-server: cannot write %s\n", port_file);
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, &old);
    while (!stop_requested)
        sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    fprintf(stderr, "meeco-server: shutting down\n");
    srv_server_stop(srv);
    return 0;
}
