/* tests/fixture_server/fixture_server.c - meeco-server in this process for
 * the remote tests (see fixture_server.h). */
#include "fixture_server.h"

#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Listen on fx->port (0: a free one) with the database in fx->dir. */
static int listen_on(fx_server *fx)
{
    srv_config sc;
    char err[256];

    srv_config_defaults(&sc);
    sc.port = fx->port;
    sc.threads = fx->threads;
    snprintf(sc.db_path, sizeof(sc.db_path), "%s", fx->db_path);
    snprintf(sc.access_log, sizeof(sc.access_log), "off");
    if (srv_server_start(&sc, &fx->srv, err, sizeof(err)) != 0) {
        fprintf(stderr, "server start: %s\n", err);
        fx->srv = NULL;
        return -1;
    }
    fx->port = srv_server_port(fx->srv);
    return 0;
}

int fx_server_start(fx_server *fx, const char *tmp_prefix, unsigned threads)
{
    memset(fx, 0, sizeof(*fx));
    fx->threads = threads;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/%s-XXXXXX", tmp_prefix);
    if (mkdtemp(fx->dir) == NULL) {
        perror("mkdtemp");
        fx->dir[0] = '\0';
        return -1;
    }
    snprintf(fx->db_path, sizeof(fx->db_path), "%s/server.db", fx->dir);
    if (listen_on(fx) != 0)
        return -1;
    fx_server_urls(fx->port, fx->keystore_url, sizeof(fx->keystore_url),
                   fx->vault_url, sizeof(fx->vault_url));
    remote_config_defaults(&fx->cfg);
    fx->cfg.keystore_url = fx->keystore_url;
    fx->cfg.vault_url = fx->vault_url;
    return 0;
}

int fx_server_restart(fx_server *fx)
{
    if (fx->srv != NULL)
        return 0;
    return listen_on(fx);
}

void fx_server_stop(fx_server *fx)
{
    srv_server_stop(fx->srv);
    fx->srv = NULL;
}

void fx_server_urls(unsigned port, char *keystore, size_t keystore_len,
                    char *vault, size_t vault_len)
{
    snprintf(keystore, keystore_len, "http://127.0.0.1:%u/keystore", port);
    snprintf(vault, vault_len, "http://127.0.0.1:%u/vault", port);
}

int fx_signup(fx_server *fx, const char *pass, unsigned rsa_bits, char **secret,
              remote_session *s)
{
    if (rsa_bits != 0)
        fx->cfg.rsa_bits = rsa_bits;
    if (remote_signup(&fx->cfg, pass, secret, s) != REMOTE_OK) {
        fprintf(stderr, "signup: %s\n", remote_last_error());
        return -1;
    }
    return 0;
}

unsigned fx_closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port = 0;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* nftw callback: remove one entry, children before their folder. */
static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    if (remove(path) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int fx_cleanup(fx_server *fx)
{
    int rc = 0;

    fx_server_stop(fx);
    if (fx->dir[0] != '\0' &&
        nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        rc = -1;
    fx->dir[0] = '\0';
    return rc;
}
