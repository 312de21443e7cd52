/* tests/fixture_server/fixture_server.h - meeco-server in the test's own
 * process: an ephemeral port, a database in a temporary folder, the
 * access log off, and a remote_config pointing at it; sign-up of an
 * account on it; removal of the folder at the end.
 *
 *     fx_server fx;
 *     if (fx_server_start(&fx, "meeco-x-test", 2) != 0 ||
 *         fx_signup(&fx, "passphrase", 2048, &secret, NULL) != 0) ...
 *     ...
 *     fx_server_stop(&fx);   (fx_server_restart(&fx) brings it back on
 *                             the same port and database)
 *     fx_cleanup(&fx);
 */
#ifndef TESTS_FIXTURE_SERVER_H
#define TESTS_FIXTURE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "remote.h"
#include "server.h"

typedef struct fx_server {
    srv_server *srv;   /* NULL while stopped */
    uint16_t port;     /* picked by the first start, kept by restarts */
    unsigned threads;  /* the server's worker threads */
    char dir[256];     /* the temporary folder, removed by fx_cleanup */
    char db_path[300]; /* the server's database: <dir>/server.db */
    char keystore_url[128], vault_url[128];
    remote_config cfg; /* remote_config_defaults with the two URLs */
} fx_server;

/* Make /tmp/<tmp_prefix>-XXXXXX and start the server in it on a free
 * port with the given worker threads.  0, or -1 (message on stderr). */
int fx_server_start(fx_server *fx, const char *tmp_prefix, unsigned threads);
/* Start it again after fx_server_stop: same port, same database. */
int fx_server_restart(fx_server *fx);
/* Stop the server (nothing when it is stopped); the folder stays. */
void fx_server_stop(fx_server *fx);
/* The keystore and vault URLs of a server on 127.0.0.1:port. */
void fx_server_urls(unsigned port, char *keystore, size_t keystore_len,
                    char *vault, size_t vault_len);
/* Sign up an account on the server with fx->cfg (its rsa_bits set first
 * when rsa_bits is not 0, so a session stays valid as long as fx).  The
 * Secret Key goes to *secret (secure_free), the session to *s when s is
 * not NULL.  0, or -1 (message on stderr). */
int fx_signup(fx_server *fx, const char *pass, unsigned rsa_bits, char **secret,
              remote_session *s);
/* A port on 127.0.0.1 nothing listens on (bound, read, closed); 0 on
 * failure. */
unsigned fx_closed_port(void);
/* Stop the server if it runs and remove the temporary folder.  0, or -1
 * when something in it could not be removed. */
int fx_cleanup(fx_server *fx);

#endif /* TESTS_FIXTURE_SERVER_H */
