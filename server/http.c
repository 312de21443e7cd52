/* server/http.c - libmicrohttpd glue: body reading with a size limit,
 * header normalisation, routing, authentication, error envelope. */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "auth.h"
#include "ctx.h"
#include "http_daemon.h"
#include "log.h"
#include "secbuf.h"
#include "util.h"

#define MAX_SEGMENTS 8
#define PATH_BUF     1024

static const srv_route *const route_tables[] = {
    srv_keystore_srp_routes,   srv_keystore_key_routes,
    srv_vault_user_routes,     srv_vault_item_routes,
    srv_vault_template_routes, srv_vault_connection_routes,
    srv_vault_share_routes,    srv_vault_task_routes,
};

/* Per-request state kept by MHD between callbacks. */
struct conn_state {
    char *buf;
    size_t len;
    size_t cap;
    int too_large;
    int64_t start_us;
};

static int64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int srv_value_absent(const char *v)
{
    return !v || !*v || strcmp(v, "undefined") == 0 || strcmp(v, "null") == 0;
}

/* ---- routing ---------------------------------------------------------- */

/* Split path (copied into buf) at '/' into segs; returns the count, or -1
 * when too long / too many segments. */
static int split_path(const char *path, char *buf, size_t buflen,
                      char *segs[MAX_SEGMENTS])
{
    size_t n = strlen(path);
    int count = 0;
    char *save = NULL, *tok;

    if (n >= buflen)
        return -1;
    memcpy(buf, path, n + 1);
    for (tok = strtok_r(buf, "/", &save); tok;
         tok = strtok_r(NULL, "/", &save)) {
        if (count == MAX_SEGMENTS)
            return -1;
        segs[count++] = tok;
    }
    return count;
}

static int match(const char *pattern, char *const segs[], int nseg,
                 const char *params[SRV_MAX_PARAMS])
{
    const char *p = pattern;
    int i = 0, np = 0;

    while (*p == '/') {
        const char *seg = ++p;
        size_t len = strcspn(seg, "/");

        if (i == nseg)
            return 0;
        if (seg[0] == '{') {
            if (np == SRV_MAX_PARAMS)
                return 0;
            params[np++] = segs[i];
        } else if (strlen(segs[i]) != len || memcmp(segs[i], seg, len)) {
            return 0;
        }
        i++;
        p = seg + len;
    }
    return i == nseg;
}

const srv_route *srv_route_find(srv_service service, const char *method,
                                const char *path,
                                const char *params[SRV_MAX_PARAMS], char *buf,
                                size_t buflen, int *path_known)
{
    char *segs[MAX_SEGMENTS];
    int nseg = split_path(path, buf, buflen, segs);

    *path_known = 0;
    if (nseg <= 0)
        return NULL;
    for (size_t t = 0; t < sizeof(route_tables) / sizeof(*route_tables); t++) {
        for (const srv_route *r = route_tables[t]; r->fn; r++) {
            if (r->service != service || !match(r->pattern, segs, nseg, params))
                continue;
            if (strcmp(r->method, method) == 0)
                return r;
            *path_known = 1;
        }
    }
    return NULL;
}

/* ---- responses --------------------------------------------------------- */

void srv_resp_json(srv_resp *rs, unsigned status, cJSON *json)
{
    cJSON_Delete(rs->json);
    rs->status = status;
    rs->json = json;
}

void srv_resp_error(srv_resp *rs, unsigned status, const char *code,
                    const char *fmt, ...)
{
    char msg[512];
    cJSON *root = cJSON_CreateObject(), *errs, *e;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    errs = cJSON_AddArrayToObject(root, "errors");
    e = cJSON_CreateObject();
    cJSON_AddItemToArray(errs, e);
    cJSON_AddStringToObject(e, "error", code);
    cJSON_AddNumberToObject(e, "http_code", status);
    cJSON_AddStringToObject(e, "message", msg);
    cJSON_AddStringToObject(e, "requested_language", "en");
    cJSON_AddStringToObject(e, "message_in_requested_language", msg);
    cJSON_AddObjectToObject(e, "extra_info");
    srv_resp_json(rs, status, root);
}

void srv_resp_db_error(srv_resp *rs, srv_db_status st, const char *what)
{
    if (st == SRV_DB_NOT_FOUND)
        srv_resp_error(rs, 404, "record_not_found", "%s not found", what);
    else if (st == SRV_DB_CONFLICT)
        srv_resp_error(rs, 409, "conflict", "%s already exists", what);
    else
        srv_resp_error(rs, 500, "internal_error", "storage error");
}

/* ---- request accessors -------------------------------------------------- */

const char *srv_req_header(const srv_req *rq, const char *name)
{
    const char *v =
        rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name)
                 : NULL;

    return srv_value_absent(v) ? NULL : v;
}

const char *srv_req_query(const srv_req *rq, const char *name)
{
    const char *v =
        rq->conn
            ? MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name)
            : NULL;

    return srv_value_absent(v) ? NULL : v;
}

struct each_ctx {
    const char *name;
    srv_query_cb cb;
    void *ctx;
};

static enum MHD_Result each_value(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value)
{
    struct each_ctx *e = cls;
    const char *p = value;

    (void)kind;
    if (!key || strcmp(key, e->name) != 0 || srv_value_absent(value))
        return MHD_YES;
    while (*p) {
        size_t len = strcspn(p, ",");

        if (len)
            e->cb(p, len, e->ctx);
        p += len;
        if (*p == ',')
            p++;
    }
    return MHD_YES;
}

void srv_req_query_each(const srv_req *rq, const char *name, srv_query_cb cb,
                        void *ctx)
{
    struct each_ctx e = {name, cb, ctx};
    char alt[80];

    if (!rq->conn)
        return;
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_value, &e);
    /* also "name[]=a&name[]=b" */
    snprintf(alt, sizeof(alt), "%s[]", name);
    e.name = alt;
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_value, &e);
}

const struct srv_config *srv_req_config(const srv_req *rq)
{
    return &rq->srv->cfg;
}

/* ---- dispatch ------------------------------------------------------------ */

static int subscription_ok(srv_ctx *ctx, struct MHD_Connection *conn)
{
    const char *want = ctx->cfg.subscription_key;
    const char *got;

    if (!*want)
        return 1;
    got = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                      "Meeco-Subscription-Key");
    return !srv_value_absent(got) && strlen(got) == strlen(want) &&
           CRYPTO_memcmp(got, want, strlen(want)) == 0;
}

static const char *token_kind(srv_auth auth)
{
    return auth == SRV_AUTH_KEYSTORE ? SRV_TOKEN_KS_SESSION
                                     : SRV_TOKEN_VAULT_SESSION;
}

/* Body → rq->body; 0 or fills rs with a 400. */
static int parse_body(const struct conn_state *cs, srv_req *rq, srv_resp *rs)
{
    const char *end = NULL;

    if (cs->len == 0)
        return 0;
    rq->body = cJSON_ParseWithLengthOpts(cs->buf, cs->len, &end, 0);
    if (!rq->body) {
        srv_resp_error(rs, 400, "invalid_json",
                       "request body is not valid JSON");
        return -1;
    }
    if (!cJSON_IsObject(rq->body)) {
        cJSON_Delete(rq->body);
        rq->body = NULL;
        srv_resp_error(rs, 400, "invalid_json",
                       "request body must be a JSON object");
        return -1;
    }
    return 0;
}

static int authenticate(srv_req *rq, const srv_route *r, srv_resp *rs,
                        char **user_id, char hash[SRV_SHA256_HEX + 1])
{
    const char *token;
    srv_db_status st;

    if (r->auth == SRV_AUTH_NONE)
        return 0;
    token = srv_auth_token_from_header(MHD_lookup_connection_value(
        rq->conn, MHD_HEADER_KIND, "Authorization"));
    if (!token) {
        srv_resp_error(rs, 401, "unauthorized",
                       "an Authorization token is required");
        return -1;
    }
    st =
        srv_auth_check(rq->db, token_kind(r->auth), token, user_id, hash, NULL);
    if (st == SRV_DB_OK) {
        rq->user_id = *user_id;
        rq->token_hash = hash;
        return 0;
    }
    if (st == SRV_DB_NOT_FOUND)
        srv_resp_error(rs, 401, "unauthorized",
                       "the access token is invalid or expired");
    else
        srv_resp_db_error(rs, st, "session");
    return -1;
}

static void run_route(srv_ctx *ctx, srv_req *rq, const srv_route *r,
                      const struct conn_state *cs, srv_resp *rs)
{
    char *user_id = NULL;
    char hash[SRV_SHA256_HEX + 1];

    if (cs->too_large) {
        srv_resp_error(rs, 413, "payload_too_large",
                       "request body larger than %zu bytes", ctx->cfg.max_body);
        return;
    }
    if (parse_body(cs, rq, rs) != 0)
        return;
    rq->db = srv_db_acquire(ctx->db);
    if (authenticate(rq, r, rs, &user_id, hash) == 0)
        r->fn(rq, rs);
    srv_db_release(rq->db);
    rq->db = NULL;
    free(user_id);
    cJSON_Delete(rq->body);
    rq->body = NULL;
}

/* Which service a URL belongs to; *path = the part after the base. */
static int service_of(const srv_ctx *ctx, const char *url, srv_service *svc,
                      const char **path)
{
    size_t kl = strlen(ctx->cfg.keystore_base);
    size_t vl = strlen(ctx->cfg.vault_base);

    if (strncmp(url, ctx->cfg.keystore_base, kl) == 0 && url[kl] == '/') {
        *svc = SRV_KEYSTORE;
        *path = url + kl;
        return 0;
    }
    if (strncmp(url, ctx->cfg.vault_base, vl) == 0 && url[vl] == '/') {
        *svc = SRV_VAULT;
        *path = url + vl;
        return 0;
    }
    return -1;
}

static void peer_text(struct MHD_Connection *conn, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, len, "-");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)len);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)len);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, srv_resp *rs)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    char *text = rs->json ? cJSON_PrintUnformatted(rs->json) : NULL;

    if (rs->json && !text) {
        rs->status = 500;
        text = strdup("{\"errors\":[{\"error\":\"internal_error\","
                      "\"http_code\":500,\"message\":\"out of memory\"}]}");
    }
    resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, text,
                                           MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    if (text)
        MHD_add_response_header(resp, "Content-Type",
                                "application/json; charset=utf-8");
    ret = MHD_queue_response(conn, rs->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result dispatch(srv_ctx *ctx, struct MHD_Connection *conn,
                                const char *url, const char *method,
                                struct conn_state *cs)
{
    srv_req rq;
    srv_resp rs = {500, NULL};
    const srv_route *r = NULL;
    const char *path = NULL;
    char buf[PATH_BUF], peer[64];
    srv_service svc = SRV_VAULT;
    int known = 0;
    enum MHD_Result ret;

    memset(&rq, 0, sizeof(rq));
    rq.srv = ctx;
    rq.conn = conn;
    rq.method = method;
    if (service_of(ctx, url, &svc, &path) == 0)
        r = srv_route_find(svc, method, path, rq.params, buf, sizeof(buf),
                           &known);
    if (!subscription_ok(ctx, conn))
        srv_resp_error(&rs, 401, "invalid_subscription_key",
                       "missing or invalid Meeco-Subscription-Key");
    else if (!r && known)
        srv_resp_error(&rs, 405, "method_not_allowed",
                       "method not allowed on this path");
    else if (!r)
        srv_resp_error(&rs, 404, "route_not_found", "no such endpoint");
    else
        run_route(ctx, &rq, r, cs, &rs);
    ret = send_response(conn, &rs);
    peer_text(conn, peer, sizeof(peer));
    srv_access_log_write(
        ctx->log, peer, method,
        r ? (svc == SRV_KEYSTORE ? ctx->cfg.keystore_base : ctx->cfg.vault_base)
          : NULL,
        r ? r->pattern : NULL, rs.status, now_us() - cs->start_us);
    cJSON_Delete(rs.json);
    return ret;
}

static int append_body(srv_ctx *ctx, struct conn_state *cs, const char *data,
                       size_t len)
{
    if (cs->too_large || cs->len + len > ctx->cfg.max_body) {
        cs->too_large = 1;
        return 0;
    }
    if (cs->len + len + 1 > cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 4096;
        char *p;

        while (cap < cs->len + len + 1)
            cap *= 2;
        p = realloc(cs->buf, cap);
        if (!p)
            return -1;
        cs->buf = p;
        cs->cap = cap;
    }
    memcpy(cs->buf + cs->len, data, len);
    cs->len += len;
    cs->buf[cs->len] = '\0';
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    srv_ctx *ctx = cls;
    struct conn_state *cs = *con_cls;

    (void)version;
    if (!cs) {
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        cs->start_us = now_us();
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_size) {
        if (append_body(ctx, cs, upload_data, *upload_size) != 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    return dispatch(ctx, conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (cs) {
        free(cs->buf);
        free(cs);
        *con_cls = NULL;
    }
}

/* ---- daemon ----------------------------------------------------------------
 */

static int make_addr(const srv_config *cfg, struct sockaddr_storage *ss)
{
    const char *host = cfg->listen_host;
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    if (host[0] == '[') {
        char h[64];
        size_t n = strcspn(host + 1, "]");

        if (n >= sizeof(h))
            return -1;
        memcpy(h, host + 1, n);
        h[n] = '\0';
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(cfg->port);
        return inet_pton(AF_INET6, h, &in6->sin6_addr) == 1 ? 0 : -1;
    }
    in4->sin_family = AF_INET;
    in4->sin_port = htons(cfg->port);
    return inet_pton(AF_INET, host, &in4->sin_addr) == 1 ? 0 : -1;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0) {
        buf = calloc(1, (size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

struct srv_http {
    struct MHD_Daemon *d;
    char *cert;
    char *key;
};

static void http_free(srv_http *h)
{
    if (!h)
        return;
    if (h->key)
        secure_free(h->key, strlen(h->key));
    free(h->cert);
    free(h);
}

srv_http *srv_http_start(srv_ctx *ctx, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    srv_http *h = calloc(1, sizeof(*h));
    int tls = ctx->cfg.tls_cert[0] != '\0';

    if (!h || make_addr(&ctx->cfg, &ss) != 0) {
        snprintf(err, errlen, "invalid listen address '%s'",
                 ctx->cfg.listen_host);
        goto fail;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (tls) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            snprintf(err, errlen, "libmicrohttpd was built without TLS");
            goto fail;
        }
        h->cert = read_file(ctx->cfg.tls_cert);
        h->key = read_file(ctx->cfg.tls_key[0] ? ctx->cfg.tls_key
                                               : ctx->cfg.tls_cert);
        if (!h->cert || !h->key) {
            snprintf(err, errlen, "cannot read the TLS certificate or key");
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, ctx, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(ctx->cfg.threads ? ctx->cfg.threads : 1),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, h->cert,
        MHD_OPTION_HTTPS_MEM_KEY, h->key, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "cannot listen on %s:%u", ctx->cfg.listen_host,
                 ctx->cfg.port);
        goto fail;
    }
    return h;
fail:
    http_free(h);
    return NULL;
}

uint16_t srv_http_port(const srv_http *h)
{
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);

    return di ? di->port : 0;
}

void srv_http_stop(srv_http *h)
{
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d);
    http_free(h);
}
