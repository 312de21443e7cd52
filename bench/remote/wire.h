/* bench/remote/wire.h - plain libcurl calls for the benchmark: the
 * loopback round trip (one kept-alive connection, or a fresh connection
 * per request) and a JSON POST with an Authorization header. */
#ifndef BENCH_REMOTE_WIRE_H
#define BENCH_REMOTE_WIRE_H

#include "stats.h"

/* n GETs of url (an unauthenticated endpoint); fresh = 1: a new curl
 * handle, hence a new TCP connection, per request.  0 on success. */
int wire_rtt(const char *url, int n, int fresh, stats *out);

typedef struct wire wire;

/* One kept-alive connection for a series of POSTs. */
wire *wire_new(void);
void wire_free(wire *w);

/* POST body (JSON) to url with "Authorization: token".  Returns the
 * HTTP status (0: transport failure). */
long wire_post(wire *w, const char *url, const char *token, const char *body);

#endif /* BENCH_REMOTE_WIRE_H */
