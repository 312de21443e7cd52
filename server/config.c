/* server/config.c - the typed key table behind the config file and flags. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum key_type { K_STRING, K_UINT, K_SIZE, K_BOOL, K_LISTEN, K_BASE };

static const struct key_def {
    const char *name;
    enum key_type type;
    size_t offset;
    size_t size; /* strings: buffer size */
    unsigned long long max;
} keys[] = {
    {"listen", K_LISTEN, 0, 0, 0},
    {"db", K_STRING, offsetof(srv_config, db_path), SRV_PATH_MAX, 0},
    {"keystore_base", K_BASE, offsetof(srv_config, keystore_base), 64, 0},
    {"vault_base", K_BASE, offsetof(srv_config, vault_base), 64, 0},
    {"tls_cert", K_STRING, offsetof(srv_config, tls_cert), SRV_PATH_MAX, 0},
    {"tls_key", K_STRING, offsetof(srv_config, tls_key), SRV_PATH_MAX, 0},
    {"subscription_key", K_STRING, offsetof(srv_config, subscription_key), 256,
     0},
    {"access_log", K_STRING, offsetof(srv_config, access_log), SRV_PATH_MAX, 0},
    {"threads", K_UINT, offsetof(srv_config, threads), 0, 64},
    {"max_body", K_SIZE, offsetof(srv_config, max_body), 0, 64u << 20},
    {"session_ttl", K_UINT, offsetof(srv_config, session_ttl), 0, 86400 * 30},
    {"seed_templates", K_BOOL, offsetof(srv_config, seed_templates), 0, 0},
    {"login_attempts", K_UINT, offsetof(srv_config, login_attempts), 0, 1000},
};

void srv_config_defaults(srv_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
    cfg->port = 8080;
    snprintf(cfg->db_path, sizeof(cfg->db_path), "meeco-server.db");
    snprintf(cfg->keystore_base, sizeof(cfg->keystore_base), "/keystore");
    snprintf(cfg->vault_base, sizeof(cfg->vault_base), "/vault");
    snprintf(cfg->access_log, sizeof(cfg->access_log), "-");
    cfg->threads = 2;
    cfg->max_body = 1u << 20;
    cfg->session_ttl = 3600;
    cfg->seed_templates = 1;
    cfg->login_attempts = 10;
}

static int parse_ull(const char *v, unsigned long long max,
                     unsigned long long *out)
{
    char *end = NULL;

    if (!v || !isdigit((unsigned char)*v))
        return -1;
    errno = 0;
    *out = strtoull(v, &end, 10);
    if (errno || *end != '\0' || *out > max)
        return -1;
    return 0;
}

static int set_listen(srv_config *cfg, const char *v)
{
    const char *colon = strrchr(v, ':');
    unsigned long long port;
    size_t hlen;

    if (!colon || parse_ull(colon + 1, 65535, &port) != 0)
        return -1;
    hlen = (size_t)(colon - v);
    if (hlen == 0 || hlen >= sizeof(cfg->listen_host))
        return -1;
    memcpy(cfg->listen_host, v, hlen);
    cfg->listen_host[hlen] = '\0';
    cfg->port = (uint16_t)port;
    return 0;
}

static int set_value(srv_config *cfg, const struct key_def *k, const char *v)
{
    char *field = (char *)cfg + k->offset;
    unsigned long long n;

    switch (k->type) {
    case K_LISTEN:
        return set_listen(cfg, v);
    case K_BASE:
        if (v[0] != '/' || v[strlen(v) - 1] == '/')
            return -1;
        /* fall through */
    case K_STRING:
        if (strlen(v) >= k->size)
            return -1;
        memcpy(field, v, strlen(v) + 1);
        return 0;
    case K_UINT:
        if (parse_ull(v, k->max, &n) != 0)
            return -1;
        *(unsigned *)(void *)field = (unsigned)n;
        return 0;
    case K_SIZE:
        if (parse_ull(v, k->max, &n) != 0)
            return -1;
        *(size_t *)(void *)field = (size_t)n;
        return 0;
    case K_BOOL:
        if (strcmp(v, "true") && strcmp(v, "false"))
            return -1;
        *(int *)(void *)field = strcmp(v, "true") == 0;
        return 0;
    }
    return -1;
}

int srv_config_set(srv_config *cfg, const char *key, const char *value,
                   char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strcmp(keys[i].name, key) != 0)
            continue;
        if (set_value(cfg, &keys[i], value) == 0)
            return 0;
        snprintf(err, errlen, "invalid value for %s", key);
        return -1;
    }
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int srv_config_load(srv_config *cfg, const char *path, char *err, size_t errlen)
{
    char line[1024], msg[256];
    unsigned lineno = 0;
    FILE *f = fopen(path, "r");
    int rc = 0;

    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        char *s = trim(line), *eq;

        lineno++;
        if (*s == '\0' || *s == '#')
            continue;
        eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%u: expected key = value", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        if (srv_config_set(cfg, trim(s), trim(eq + 1), msg, sizeof(msg))) {
            snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}
