/* server/server.h - start and stop meeco-server in this process (the
 * executable's main() and the tests use the same two calls). */
#ifndef SERVER_SERVER_H
#define SERVER_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct srv_server srv_server;

/* Open the database (creating and seeding it), open the access log and
 * start listening.  cfg->port 0 picks a free port (see srv_server_port).
 * Returns 0, or -1 with a message in err. */
int srv_server_start(const srv_config *cfg, srv_server **out, char *err,
                     size_t errlen);
uint16_t srv_server_port(const srv_server *s);
/* Stop accepting, finish running requests, close everything. */
void srv_server_stop(srv_server *s);

#endif /* SERVER_SERVER_H */
