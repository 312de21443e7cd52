/* server/http_daemon.h - the listening daemon (internal to server/). */
#ifndef SERVER_HTTP_DAEMON_H
#define SERVER_HTTP_DAEMON_H

#include <stddef.h>
#include <stdint.h>

struct srv_ctx;
typedef struct srv_http srv_http;

srv_http *srv_http_start(struct srv_ctx *ctx, char *err, size_t errlen);
uint16_t srv_http_port(const srv_http *h);
void srv_http_stop(srv_http *h);

#endif /* SERVER_HTTP_DAEMON_H */
