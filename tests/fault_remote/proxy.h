/* tests/fault_remote/proxy.h - a faulty network between the module and
 * meeco-server, for the remote backend's fault tests.
 *
 * The proxy listens on 127.0.0.1 (ephemeral port) and serves one HTTP
 * request per connection: it reads the request, applies the current
 * rule and, unless the rule answers by itself, passes the request on to
 * the server with "Connection: close" and relays the answer.  A rule
 * applies to the requests whose request line contains `match` (all when
 * match is NULL); the others are forwarded untouched.
 *
 * Counters let a test see what reached the network without timing:
 * for the requests the rule applies to, `answered` grows just before an
 * answer is written to the client (so a caller that got an answer always
 * finds it counted), `abandoned` when the client hung up while its
 * request was being delayed.
 */
#ifndef TESTS_FAULT_REMOTE_PROXY_H
#define TESTS_FAULT_REMOTE_PROXY_H

#include <stddef.h>
#include <stdint.h>

typedef enum proxy_mode {
    PROXY_FORWARD,     /* the server's answer, unchanged */
    PROXY_CUT,         /* the first cut_after bytes of it (all but the
                          last when shorter), then close */
    PROXY_NOT_JSON,    /* 200 with an HTML body */
    PROXY_TRUNCATED,   /* 200 whose body stops short of Content-Length */
    PROXY_BAD_HTTP,    /* half a status line, then close */
    PROXY_WRONG_TYPES, /* 200 with JSON whose members have wrong types */
    PROXY_BAD_SLOT,    /* the server's answer with every slot's
                          encrypted_value replaced by a non-Cryppo string */
} proxy_mode;

typedef struct proxy_rule {
    proxy_mode mode;
    const char *match; /* substring of the request line; NULL = all */
    unsigned delay_ms; /* wait before answering a matched request */
    size_t cut_after;  /* PROXY_CUT: answer bytes relayed */
} proxy_rule;

typedef struct proxy_counts {
    unsigned requests;  /* complete requests read */
    unsigned matched;   /* of which the rule applied to; of those: */
    unsigned answered;  /* answers (or parts of answers) written */
    unsigned abandoned; /* clients gone during the delay */
} proxy_counts;

typedef struct proxy proxy;

/* Listen on an ephemeral port in front of 127.0.0.1:upstream_port. */
int proxy_start(uint16_t upstream_port, proxy **out);
uint16_t proxy_port(const proxy *p);
/* Replace the rule (copied) and zero the counters (requests read under
 * the old rule no longer count). */
void proxy_set(proxy *p, const proxy_rule *r);
/* Forward everything again (counters zeroed). */
void proxy_pass(proxy *p);
proxy_counts proxy_counts_get(proxy *p);
/* Stop listening, end every connection and wait for their threads. */
void proxy_stop(proxy *p);

#endif /* TESTS_FAULT_REMOTE_PROXY_H */
