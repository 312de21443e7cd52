/* remote/http.c - libcurl + cJSON transport for the Meeco APIs. */
#include "http.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "log.h"
#include "secbuf.h"

#define MAX_BODY (16u * 1024 * 1024)

struct remote_http {
    const remote_config *cfg;
    CURL *curl;
};

struct body {
    char *p;
    size_t n;
    int too_big;
};

static _Thread_local char last_error[256];

void remote_error_set(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_error, sizeof(last_error), fmt, ap);
    va_end(ap);
}

const char *remote_last_error(void)
{
    return last_error;
}

const char *remote_json_str(const cJSON *j, const char *path)
{
    char buf[128], *save = NULL, *tok;

    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && j;
         tok = strtok_r(NULL, ".", &save))
        j = cJSON_GetObjectItemCaseSensitive(j, tok);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

remote_status remote_http_new(const remote_config *cfg, remote_http **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    remote_http *h;

    if (!cfg || !out || !cfg->keystore_url || !cfg->vault_url)
        return REMOTE_ERR_ARGS;
    /* Once per process, never cleaned up (the module may be loaded by
     * applications that use libcurl themselves). */
    pthread_once(&once, global_init);
    h = calloc(1, sizeof(*h));
    if (!h)
        return REMOTE_ERR_NOMEM;
    h->cfg = cfg;
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        return REMOTE_ERR_NOMEM;
    }
    *out = h;
    return REMOTE_OK;
}

void remote_http_free(remote_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h);
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct body *b = ctx;
    size_t len = size * nmemb;
    char *p;

    if (b->n + len > MAX_BODY) {
        b->too_big = 1;
        return 0;
    }
    p = realloc(b->p, b->n + len + 1);
    if (!p)
        return 0;
    memcpy(p + b->n, data, len);
    b->p = p;
    b->n += len;
    b->p[b->n] = '\0';
    return len;
}

static remote_status from_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OK:
        return REMOTE_OK;
    case CURLE_OPERATION_TIMEDOUT:
        return REMOTE_ERR_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return REMOTE_ERR_TLS;
    case CURLE_OUT_OF_MEMORY:
        return REMOTE_ERR_NOMEM;
    case CURLE_WRITE_ERROR:
        return REMOTE_ERR_PROTOCOL;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        return REMOTE_ERR_PROTOCOL;
    default:
        return REMOTE_ERR_NETWORK;
    }
}

static remote_status from_http(long code, const char *err_code)
{
    if (code == 401 || code == 403)
        return REMOTE_ERR_AUTH;
    if (code == 404)
        return REMOTE_ERR_NOT_FOUND;
    if (code == 409 || (err_code && strcmp(err_code, "username_taken") == 0))
        return REMOTE_ERR_CONFLICT;
    if (code == 429)
        return REMOTE_ERR_RATE_LIMIT;
    if (code >= 500)
        return REMOTE_ERR_SERVER;
    return code >= 400 ? REMOTE_ERR_REJECTED : REMOTE_ERR_PROTOCOL;
}

/* Error envelope {"errors":[{"error","message"}]} into status + detail. */
static remote_status error_answer(long code, const char *text,
                                  const char *method, const char *path)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    const cJSON *e =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "errors"), 0);
    const char *ec = remote_json_str(e, "error");
    const char *msg = remote_json_str(e, "message");
    remote_status st = from_http(code, ec);

    remote_error_set("%s %s: HTTP %ld %s%s%s", method, path, code, ec ? ec : "",
                     msg ? ": " : "", msg ? msg : "");
    cJSON_Delete(j);
    return st;
}

static struct curl_slist *headers(const remote_config *cfg, const char *token,
                                  int has_body)
{
    struct curl_slist *hl = NULL;
    char line[1024];

    if (has_body)
        hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, "Accept: application/json");
    hl = curl_slist_append(hl, "Expect:");
    if (cfg->subscription_key) {
        snprintf(line, sizeof(line), "Meeco-Subscription-Key: %s",
                 cfg->subscription_key);
        hl = curl_slist_append(hl, line);
    }
    if (token) {
        snprintf(line, sizeof(line), "Authorization: %s", token);
        hl = curl_slist_append(hl, line);
        secure_wipe(line, sizeof(line));
    }
    return hl;
}

/* The list holds the session token: wipe every line before freeing (the
 * copy libcurl makes in its own request buffer is beyond our reach). */
static void headers_free(struct curl_slist *hl)
{
    for (struct curl_slist *l = hl; l != NULL; l = l->next)
        secure_wipe(l->data, strlen(l->data));
    curl_slist_free_all(hl);
}

static void set_options(remote_http *h, const char *method, const char *url,
                        const char *text, struct body *b)
{
    const remote_config *cfg = h->cfg;
    CURL *c = h->curl;

    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout_s);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L);
    if (cfg->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    if (text) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
    }
}

/* One attempt: transport status, HTTP code and body. */
static remote_status attempt(remote_http *h, const char *method,
                             const char *url, const char *token,
                             const char *text, long *code, struct body *b)
{
    struct curl_slist *hl = headers(h->cfg, token, text != NULL);
    CURLcode rc;

    set_options(h, method, url, text, b);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hl);
    rc = curl_easy_perform(h->curl);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    headers_free(hl);
    *code = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, code);
    else
        remote_error_set("%s %s", method, curl_easy_strerror(rc));
    if (b->too_big)
        return REMOTE_ERR_PROTOCOL;
    return from_curl(rc);
}

static int retryable(remote_status st, long code)
{
    return st == REMOTE_ERR_NETWORK || st == REMOTE_ERR_TIMEOUT ||
           (st == REMOTE_OK && (code == 502 || code == 503 || code == 504));
}

static void backoff(unsigned n)
{
    struct timespec ts = {0, 200L * 1000 * 1000 * (1L << n)};

    while (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    nanosleep(&ts, NULL);
}

static remote_status parse_ok(struct body *b, const char *method,
                              const char *path, cJSON **out)
{
    *out = b->n ? cJSON_Parse(b->p) : cJSON_CreateObject();
    if (*out && cJSON_IsObject(*out))
        return REMOTE_OK;
    cJSON_Delete(*out);
    *out = NULL;
    remote_error_set("%s %s: answer is not a JSON object", method, path);
    return REMOTE_ERR_PROTOCOL;
}

remote_status remote_http_call(remote_http *h, remote_api api,
                               const char *method, const char *path,
                               const char *token, const cJSON *body,
                               cJSON **out, long *http_status)
{
    const char *base =
        api == REMOTE_KEYSTORE ? h->cfg->keystore_url : h->cfg->vault_url;
    unsigned tries = strcmp(method, "GET") == 0 ? h->cfg->get_retries + 1 : 1;
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    struct body b = {NULL, 0, 0};
    remote_status st = REMOTE_ERR_NOMEM;
    char url[2048];
    long code = 0;

    *out = NULL;
    if (body && !text)
        goto out;
    snprintf(url, sizeof(url), "%s%s", base, path);
    for (unsigned i = 0; i < tries; i++) {
        if (i)
            backoff(i - 1);
        free(b.p);
        b = (struct body){NULL, 0, 0};
        st = attempt(h, method, url, token, text, &code, &b);
        if (!retryable(st, code))
            break;
        LOGD(LOG_AREA_HTTP, "%s %s: retry %u", method, path, i + 1);
    }
    if (http_status)
        *http_status = code;
    if (st != REMOTE_OK)
        goto out;
    if (code < 200 || code > 299)
        st = error_answer(code, b.p, method, path);
    else
        st = parse_ok(&b, method, path, out);
out:
    if (b.p)
        secure_free(b.p, b.n + 1);
    if (text)
        secure_free(text, strlen(text) + 1);
    return st;
}
