/* tools/meeco-token/cmd_signup.c - `signup`: a new Meeco account on a
 * server (remote_signup: the SDK's UserService.create, in its order),
 * recorded as a remote token: the [token NAME] section of the config
 * file and the Secret Key in <data_dir>/<NAME>.secret (mode 0600).
 * Then a login and a first sync fill the replica. */
#include "mt_remote.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everything signup decides before it talks to the server. */
typedef struct plan {
    const char *name;
    char *config_path;
    char *keystore_url;
    char *vault_url;
    char *ca_file;     /* absolute, or NULL */
    char *secret_path; /* <data_dir>/<name>.secret */
    char *db_path;     /* the replica config_token_db_path will give */
} plan;

static void plan_free(plan *p)
{
    free(p->config_path);
    free(p->keystore_url);
    free(p->vault_url);
    free(p->ca_file);
    free(p->secret_path);
    free(p->db_path);
}

static char *joined(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);

    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* What config_file_set will accept, checked before the account exists:
 * a section name of [A-Za-z0-9_.-] and http(s) URLs. */
static int plan_valid(const plan *p)
{
    size_t n = strlen(p->name);
    const char *urls[] = {p->keystore_url, p->vault_url};

    if (n == 0 ||
        strspn(p->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_.-") != n) {
        fprintf(stderr, "meeco-token: bad token name '%s' (letters, digits, "
                        "'_', '.', '-')\n",
                p->name);
        return 2;
    }
    for (size_t i = 0; i < 2; i++)
        if (strncmp(urls[i], "http://", 7) != 0 &&
            strncmp(urls[i], "https://", 8) != 0) {
            fprintf(stderr, "meeco-token: '%s' is not an http(s) URL\n",
                    urls[i]);
            return 2;
        }
    return 0;
}

/* --server S gives S/keystore and S/vault; else both URLs are needed. */
static int plan_urls(const mt_opts *o, plan *p)
{
    if (o->server && (o->keystore_url || o->vault_url)) {
        fprintf(stderr, "meeco-token: give --server or --keystore-url and "
                        "--vault-url, not both\n");
        return 2;
    }
    if (o->server) {
        char *base = strdup(o->server);
        size_t n = base ? strlen(base) : 0;
        while (n > 0 && base[n - 1] == '/')
            base[--n] = '\0';
        p->keystore_url = base ? joined(base, "/keystore") : NULL;
        p->vault_url = base ? joined(base, "/vault") : NULL;
        free(base);
    } else if (o->keystore_url && o->vault_url) {
        p->keystore_url = strdup(o->keystore_url);
        p->vault_url = strdup(o->vault_url);
    } else {
        fprintf(stderr, "meeco-token: signup needs --server URL or "
                        "--keystore-url URL and --vault-url URL\n");
        return 2;
    }
    return p->keystore_url && p->vault_url ? 0 : 1;
}

/* A token of that name with settings, or its files, exist already. */
static int taken(const config *cfg, const plan *p)
{
    const config_token *t = config_token_find(cfg, p->name);
    int configured = t && (t->backend == CONFIG_BACKEND_REMOTE ||
                           t->secret_key || t->secret_key_file ||
                           t->db_path || t->keystore_url || t->data_dir);
    const char *what = configured                       ? cfg->source
                       : access(p->db_path, F_OK) == 0  ? p->db_path
                       : access(p->secret_path, F_OK) == 0 ? p->secret_path
                                                           : NULL;

    if (what)
        fprintf(stderr,
                "meeco-token: token '%s' already exists (%s); choose another "
                "--token NAME\n",
                p->name, what);
    return what != NULL;
}

static int plan_files(const mt_opts *o, plan *p)
{
    config *cfg = NULL;
    config_error err = {0};
    config_status st;
    int rc = 1;

    p->config_path = o->config_path ? strdup(o->config_path)
                                    : config_default_path();
    if (!p->config_path) {
        fprintf(stderr, "meeco-token: no config file location (set HOME or "
                        "--conf)\n");
        return 1;
    }
    st = access(p->config_path, F_OK) == 0
             ? config_parse_file(p->config_path, &cfg, &err)
             : config_default(&cfg);
    if (st != CONFIG_OK) {
        fprintf(stderr, "meeco-token: configuration: %s (line %d): %s\n",
                config_strerror(st), err.line, err.message);
        return 1;
    }
    config_token fresh = {.name = (char *)p->name};
    char file[PATH_MAX];
    snprintf(file, sizeof(file), "%s.secret", p->name);
    p->db_path = config_token_db_path(cfg, &fresh);
    p->secret_path = cfg->data_dir ? joined(cfg->data_dir, "/") : NULL;
    if (p->secret_path) {
        char *full = joined(p->secret_path, file);
        free(p->secret_path);
        p->secret_path = full;
    }
    if (p->db_path && p->secret_path)
        rc = taken(cfg, p);
    config_free(cfg);
    return rc;
}

static int plan_make(const mt_opts *o, plan *p)
{
    int rc;

    memset(p, 0, sizeof(*p));
    p->name = o->token ? o->token : CONFIG_DEFAULT_TOKEN;
    rc = plan_urls(o, p);
    if (rc == 0)
        rc = plan_valid(p);
    if (rc == 0 && o->ca_file && !(p->ca_file = realpath(o->ca_file, NULL))) {
        fprintf(stderr, "meeco-token: --ca-file %s: %s\n", o->ca_file,
                strerror(errno));
        rc = 1;
    }
    return rc != 0 ? rc : plan_files(o, p);
}

/* mkdir -p of the folder of path, mode 0700. */
static void make_parent_dirs(const char *path)
{
    char dir[PATH_MAX];

    snprintf(dir, sizeof(dir), "%s", path);
    for (char *s = dir + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(dir, 0700);
            *s = '/';
        }
}

/* Claimed before the account exists, so that a secret is never made
 * that cannot be kept. */
static int secret_file_claim(const plan *p)
{
    make_parent_dirs(p->secret_path);
    int fd = open(p->secret_path,
                  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        fprintf(stderr, "meeco-token: cannot create %s: %s\n", p->secret_path,
                strerror(errno));
    return fd;
}

static int secret_file_write(int fd, const plan *p, const char *secret)
{
    size_t n = strlen(secret);
    int ok = fchmod(fd, 0600) == 0 && write(fd, secret, n) == (ssize_t)n &&
             write(fd, "\n", 1) == 1 && fsync(fd) == 0;

    ok = close(fd) == 0 && ok;
    if (!ok)
        fprintf(stderr, "meeco-token: cannot write %s: %s\n", p->secret_path,
                strerror(errno));
    return ok ? 0 : -1;
}

/* The [token NAME] section; backend last, as a remote token without
 * URLs does not parse. */
static int write_section(const mt_opts *o, const plan *p)
{
    const char *keys[][2] = {
        {"keystore_url", p->keystore_url},
        {"vault_url", p->vault_url},
        {"secret_key_file", p->secret_path},
        {"subscription_key", o->subscription_key},
        {"ca_file", p->ca_file},
        {"label", o->label},
        {"backend", "remote"},
    };
    config_error err = {0};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (!keys[i][1])
            continue;
        config_status st = config_file_set(p->config_path, p->name,
                                           keys[i][0], keys[i][1], &err);
        if (st != CONFIG_OK) {
            fprintf(stderr, "meeco-token: cannot update %s (%s): %s: %s\n",
                    p->config_path, keys[i][0], config_strerror(st),
                    err.message);
            return -1;
        }
    }
    return 0;
}

/* Log in as the new token from what was just written, and sync. */
static int first_sync(const mt_opts *o, const plan *p, const char *pass,
                      char **username)
{
    mt_opts once = *o;
    mt_remote r;
    remote_session s = {0};
    int rc = -1;

    once.token = p->name;
    once.config_path = p->config_path;
    if (mt_remote_open(&once, &r) == 0 &&
        mt_remote_login_with(&r, pass, &s) == 0 && mt_remote_sync(&r, &s) == 0)
        rc = 0;
    if (rc == 0)
        *username = strdup(s.username);
    remote_session_free(&s);
    mt_remote_close(&r);
    return rc;
}

/* Sign up and keep the secret: the file first, then the config. */
static int create(const mt_opts *o, const plan *p, const char *pass,
                  char **secret)
{
    remote_config rc;
    remote_status st;
    int fd = secret_file_claim(p);

    if (fd < 0)
        return -1;
    remote_config_defaults(&rc);
    rc.keystore_url = p->keystore_url;
    rc.vault_url = p->vault_url;
    rc.subscription_key = o->subscription_key;
    rc.ca_file = p->ca_file;
    st = remote_signup(&rc, pass, secret, NULL);
    if (st != REMOTE_OK) {
        mt_remote perr = {.rc = rc};
        close(fd);
        unlink(p->secret_path);
        mt_remote_perror("signup", &perr, st);
        return -1;
    }
    if (secret_file_write(fd, p, *secret) != 0)
        return -1;
    return write_section(o, p);
}

static void report(const mt_opts *o, const plan *p, const char *username,
                   const char *secret)
{
    fprintf(stderr, "meeco-token: account created on %s; token '%s' is "
                    "ready\n",
            p->keystore_url, p->name);
    printf("username:        %s\nconfig:          %s\n"
           "secret key file: %s\nreplica:         %s\n",
           username, p->config_path, p->secret_path, p->db_path);
    if (o->show_secret)
        printf("secret key:      %s\n", secret);
}

int mt_cmd_signup(const mt_opts *o)
{
    plan p;
    char *pass = NULL, *secret = NULL, *username = NULL;
    int rc = plan_make(o, &p);

    if (rc != 0)
        goto out;
    rc = 1;
    pass = mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE",
                          "passphrase");
    if (!pass || create(o, &p, pass, &secret) != 0)
        goto out;
    if (first_sync(o, &p, pass, &username) != 0) {
        fprintf(stderr, "meeco-token: the account exists and its Secret Key "
                        "is in %s; retry with `meeco-token login`\n",
                p.secret_path);
        goto out;
    }
    report(o, &p, username, secret);
    rc = 0;
out:
    mt_secret_free(secret);
    mt_secret_free(pass);
    free(username);
    plan_free(&p);
    return rc;
}
