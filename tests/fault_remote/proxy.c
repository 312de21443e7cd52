/* tests/fault_remote/proxy.c - the faulty network (see proxy.h): one
 * thread per client connection, one request per connection. */
#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define MAX_MESSAGE (8u << 20) /* a request or an answer */
#define IO_LIMIT_MS 60000      /* a stalled peer is dropped after this */
#define TICK_MS     10

struct proxy {
    int listen_fd;
    uint16_t port, upstream;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t idle;
    bool stop;
    unsigned active; /* connection threads alive */
    proxy_rule rule;
    char match[128];
    proxy_counts counts;
    unsigned gen; /* of the rule: counts of an older rule are dropped */
};

typedef struct conn {
    proxy *p;
    int fd;
} conn;

typedef struct msg {
    char *p;
    size_t n, cap;
} msg;

/* ---- small pieces -------------------------------------------------------- */

static bool stopping(proxy *p)
{
    pthread_mutex_lock(&p->mu);
    bool s = p->stop;
    pthread_mutex_unlock(&p->mu);
    return s;
}

/* Count for the rule of generation gen, if it is still the rule. */
static void count(proxy *p, unsigned gen, unsigned *field)
{
    pthread_mutex_lock(&p->mu);
    if (p->gen == gen)
        (*field)++;
    pthread_mutex_unlock(&p->mu);
}

static int msg_add(msg *m, const char *data, size_t len)
{
    if (m->n + len + 1 > MAX_MESSAGE)
        return -1;
    if (m->n + len + 1 > m->cap) {
        size_t cap = (m->n + len + 1) * 2;
        char *q = realloc(m->p, cap);
        if (q == NULL)
            return -1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
    m->p[m->n] = 0;
    return 0;
}

static void msg_free(msg *m)
{
    free(m->p);
    *m = (msg){0};
}

/* Length of the head (through the blank line), 0 while incomplete. */
static size_t head_len(const msg *m)
{
    const char *e = m->n ? strstr(m->p, "\r\n\r\n") : NULL;
    return e != NULL ? (size_t)(e - m->p) + 4 : 0;
}

/* Content-Length of a complete head, -1 when absent. */
static long content_length(const msg *m, size_t head)
{
    const char *line = m->p;
    while (line != NULL && line < m->p + head) {
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            return strtol(line + 15, NULL, 10);
        line = strstr(line, "\r\n");
        line = line != NULL ? line + 2 : NULL;
    }
    return -1;
}

/* A whole message: head, then Content-Length bytes (a request without
 * one has no body; an answer without one ends at EOF). */
static bool complete(const msg *m, bool request)
{
    size_t head = head_len(m);
    if (head == 0)
        return false;
    long len = content_length(m, head);
    if (len < 0)
        return request;
    return m->n >= head + (size_t)len;
}

/* Read from fd until the message is complete or the peer closes:
 * 1 complete, 0 closed (m holds what came), -1 error, stop or stall. */
static int read_message(proxy *p, int fd, msg *m, bool request)
{
    char buf[16384];
    for (int waited = 0; waited < IO_LIMIT_MS && !stopping(p);) {
        struct pollfd pf = {fd, POLLIN, 0};
        int r = poll(&pf, 1, 100);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r <= 0) {
            waited += 100;
            continue;
        }
        ssize_t got = recv(fd, buf, sizeof(buf), 0);
        if (got < 0)
            return errno == EINTR ? 0 : -1;
        if (got == 0)
            return 0;
        if (msg_add(m, buf, (size_t)got) != 0)
            return -1;
        if (complete(m, request))
            return 1;
    }
    return -1;
}

static int send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t put = send(fd, data, len, MSG_NOSIGNAL);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return -1;
        data += put;
        len -= (size_t)put;
    }
    return 0;
}

/* The client closed its end (a timeout gave up on us). */
static bool client_gone(int fd)
{
    char c;
    struct pollfd pf = {fd, POLLIN, 0};
    if (poll(&pf, 1, 0) <= 0)
        return false;
    return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0 ||
           (pf.revents & (POLLHUP | POLLERR)) != 0;
}

/* Sleep ms; false when the client left or the proxy stops meanwhile. */
static bool delay(proxy *p, int fd, unsigned ms)
{
    struct timespec tick = {0, TICK_MS * 1000000L};
    for (unsigned t = 0; t < ms; t += TICK_MS) {
        if (stopping(p) || client_gone(fd))
            return false;
        nanosleep(&tick, NULL);
    }
    return !client_gone(fd);
}

/* ---- answers made up here ------------------------------------------------ */

static const char wrong_types[] =
    "{\"items\":\"none\",\"slots\":7,\"next_page_after\":[1],"
    "\"meta\":\"x\",\"item\":[],\"slot\":false,"
    "\"key_encryption_key\":12,\"data_encryption_key\":\"k\","
    "\"keypair\":[],\"keypairs\":{},\"username\":42,\"salt\":[],"
    "\"srp_salt\":1,\"srp_b\":{},\"session_authentication_string\":true,"
    "\"challenge\":null,\"token\":[1],\"id\":{}}";

static int answer_made_up(int fd, proxy_mode mode)
{
    char out[1024];
    if (mode == PROXY_BAD_HTTP)
        return send_all(fd, "HTTP/1.1 2", 10);
    if (mode == PROXY_TRUNCATED) {
        snprintf(out, sizeof(out),
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: 4096\r\nConnection: close\r\n\r\n"
                 "{\"items\":[{\"id\":\"");
        return send_all(fd, out, strlen(out));
    }
    const char *body = mode == PROXY_WRONG_TYPES
                           ? wrong_types
                           : "<html><body>502 Bad Gateway</body></html>";
    snprintf(out, sizeof(out),
             "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             mode == PROXY_WRONG_TYPES ? "application/json" : "text/html",
             strlen(body), body);
    return send_all(fd, out, strlen(out));
}

/* ---- the server's answers ------------------------------------------------ */

static int connect_upstream(uint16_t port)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons(port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Send req (with "Connection: close" after its request line) to the
 * server and read the whole answer into ans. */
static int forward(proxy *p, const msg *req, msg *ans)
{
    static const char hdr[] = "Connection: close\r\n";
    const char *eol = strstr(req->p, "\r\n");
    int rc = -1, fd = connect_upstream(p->upstream);
    if (fd < 0 || eol == NULL)
        goto out;
    size_t first = (size_t)(eol - req->p) + 2;
    if (send_all(fd, req->p, first) != 0 ||
        send_all(fd, hdr, sizeof(hdr) - 1) != 0 ||
        send_all(fd, req->p + first, req->n - first) != 0)
        goto out;
    rc = read_message(p, fd, ans, false) >= 0 && head_len(ans) > 0 ? 0 : -1;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Every slot's encrypted_value made a non-Cryppo string; ans rebuilt. */
static int spoil_slots(msg *ans)
{
    size_t head = head_len(ans);
    cJSON *j = strncmp(ans->p, "HTTP/1.1 200", 12) == 0
                   ? cJSON_Parse(ans->p + head)
                   : NULL;
    cJSON *e, *slots = cJSON_GetObjectItemCaseSensitive(j, "slots");
    char *body = NULL, out[256];
    int rc = -1;
    cJSON_ArrayForEach(e, slots)
    {
        cJSON_DeleteItemFromObjectCaseSensitive(e, "encrypted_value");
        cJSON_AddStringToObject(e, "encrypted_value", "not-a-cryppo-string");
    }
    body = j != NULL ? cJSON_PrintUnformatted(j) : NULL;
    if (body == NULL)
        goto out;
    snprintf(out, sizeof(out),
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
             strlen(body));
    ans->n = 0;
    rc = msg_add(ans, out, strlen(out)) || msg_add(ans, body, strlen(body));
out:
    free(body);
    cJSON_Delete(j);
    return rc;
}

/* ---- one connection ------------------------------------------------------ */

static proxy_rule rule_for(proxy *p, const msg *req, bool *hit, unsigned *gen)
{
    const char *eol = strstr(req->p, "\r\n");
    pthread_mutex_lock(&p->mu);
    proxy_rule r = p->rule;
    *gen = p->gen;
    const char *m = r.match != NULL ? p->match : NULL;
    *hit = m == NULL || (eol != NULL && memmem(req->p, (size_t)(eol - req->p),
                                               m, strlen(m)) != NULL);
    p->counts.requests++;
    if (*hit)
        p->counts.matched++;
    pthread_mutex_unlock(&p->mu);
    return r;
}

static void serve(proxy *p, int fd)
{
    msg req = {0}, ans = {0};
    bool hit = false;
    unsigned gen = 0;
    if (read_message(p, fd, &req, true) != 1)
        goto out;
    proxy_rule r = rule_for(p, &req, &hit, &gen);
    proxy_mode mode = hit ? r.mode : PROXY_FORWARD;
    if (hit && r.delay_ms > 0 && !delay(p, fd, r.delay_ms)) {
        count(p, gen, &p->counts.abandoned);
        goto out;
    }
    bool made_up = mode == PROXY_NOT_JSON || mode == PROXY_TRUNCATED ||
                   mode == PROXY_BAD_HTTP || mode == PROXY_WRONG_TYPES;
    if (made_up) {
        count(p, gen, &p->counts.answered);
        (void)answer_made_up(fd, mode);
        goto out;
    }
    if (forward(p, &req, &ans) != 0)
        goto out; /* the client sees the connection close */
    if (mode == PROXY_BAD_SLOT && spoil_slots(&ans) != 0)
        goto out;
    size_t len = ans.n;
    if (mode == PROXY_CUT) /* never the whole answer */
        len = r.cut_after < ans.n ? r.cut_after : ans.n - 1;
    if (hit)
        count(p, gen, &p->counts.answered);
    (void)send_all(fd, ans.p, len);
out:
    msg_free(&req);
    msg_free(&ans);
}

static void *conn_main(void *arg)
{
    conn *c = arg;
    proxy *p = c->p;
    serve(p, c->fd);
    shutdown(c->fd, SHUT_RDWR);
    close(c->fd);
    free(c);
    pthread_mutex_lock(&p->mu);
    p->active--;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void spawn(proxy *p, int fd)
{
    pthread_t t;
    pthread_attr_t at;
    conn *c = malloc(sizeof(*c));
    if (c == NULL) {
        close(fd);
        return;
    }
    *c = (conn){p, fd};
    pthread_mutex_lock(&p->mu);
    p->active++;
    pthread_mutex_unlock(&p->mu);
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, conn_main, c) != 0) {
        close(fd);
        free(c);
        pthread_mutex_lock(&p->mu);
        p->active--;
        pthread_mutex_unlock(&p->mu);
    }
    pthread_attr_destroy(&at);
}

static void *listen_main(void *arg)
{
    proxy *p = arg;
    while (!stopping(p)) {
        struct pollfd pf = {p->listen_fd, POLLIN, 0};
        if (poll(&pf, 1, 50) <= 0)
            continue;
        int fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            spawn(p, fd);
    }
    return NULL;
}

/* ---- public -------------------------------------------------------------- */

static int listen_any(uint16_t *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

int proxy_start(uint16_t upstream_port, proxy **out)
{
    proxy *p = calloc(1, sizeof(*p));
    *out = NULL;
    if (p == NULL)
        return -1;
    p->upstream = upstream_port;
    p->listen_fd = listen_any(&p->port);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->idle, NULL);
    if (p->listen_fd < 0 ||
        pthread_create(&p->thread, NULL, listen_main, p) != 0) {
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        pthread_cond_destroy(&p->idle);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

uint16_t proxy_port(const proxy *p)
{
    return p->port;
}

void proxy_set(proxy *p, const proxy_rule *r)
{
    pthread_mutex_lock(&p->mu);
    p->rule = *r;
    snprintf(p->match, sizeof(p->match), "%s", r->match ? r->match : "");
    p->counts = (proxy_counts){0};
    p->gen++;
    pthread_mutex_unlock(&p->mu);
}

void proxy_pass(proxy *p)
{
    proxy_set(p, &(proxy_rule){.mode = PROXY_FORWARD});
}

proxy_counts proxy_counts_get(proxy *p)
{
    pthread_mutex_lock(&p->mu);
    proxy_counts c = p->counts;
    pthread_mutex_unlock(&p->mu);
    return c;
}

void proxy_stop(proxy *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    pthread_mutex_lock(&p->mu);
    while (p->active > 0)
        pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
