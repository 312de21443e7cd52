/* server/config.h - meeco-server settings: defaults, a `key = value`
 * config file validated against a typed key table, command-line flags.
 *
 * Keys (file) / flags:
 *   listen            --listen HOST:PORT     127.0.0.1:8080 (port 0 = any)
 *   db                --db PATH              meeco-server.db
 *   keystore_base     --keystore-base PATH   /keystore
 *   vault_base        --vault-base PATH      /vault
 *   tls_cert          --tls-cert FILE        (empty: plain HTTP)
 *   tls_key           --tls-key FILE
 *   subscription_key  --subscription-key K   (empty: not required)
 *   access_log        --access-log FILE|-    - (stderr); "off" disables
 *   threads           --threads N            2
 *   max_body          --max-body BYTES       1048576
 *   session_ttl       --session-ttl SECONDS  3600
 *   seed_templates    --no-seed              true
 *   login_attempts    --login-attempts N     10 failed logins per user per
 *                                            15 minutes, then 429 (0: off)
 */
#ifndef SERVER_CONFIG_H
#define SERVER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define SRV_PATH_MAX 512

typedef struct srv_config {
    char listen_host[64];
    uint16_t port;
    char db_path[SRV_PATH_MAX];
    char keystore_base[64];
    char vault_base[64];
    char tls_cert[SRV_PATH_MAX];
    char tls_key[SRV_PATH_MAX];
    char subscription_key[256];
    char access_log[SRV_PATH_MAX];
    unsigned threads;
    size_t max_body;
    unsigned session_ttl;
    int seed_templates;
    unsigned login_attempts;
} srv_config;

void srv_config_defaults(srv_config *cfg);
/* Set one key (file key name) from text.  0, or -1 with err filled. */
int srv_config_set(srv_config *cfg, const char *key, const char *value,
                   char *err, size_t errlen);
/* Read a key = value file (# comments).  Unknown keys are errors. */
int srv_config_load(srv_config *cfg, const char *path, char *err,
                    size_t errlen);

#endif /* SERVER_CONFIG_H */
