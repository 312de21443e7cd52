/* bench/remote/wire.c - libcurl without the remote client's layers. */
#include "wire.h"

#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

struct wire {
    CURL *c;
};

static size_t discard(char *data, size_t size, size_t nmemb, void *ctx)
{
    (void)data;
    (void)ctx;
    return size * nmemb;
}

static long get_once(CURL *c, const char *url)
{
    long code = 0;

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(c) != CURLE_OK)
        return 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

/* One timed GET; a fresh handle when shared is NULL. */
static int timed_get(CURL *shared, const char *url, double *secs)
{
    CURL *c = shared ? shared : curl_easy_init();
    double t0 = stats_now();
    long code = c ? get_once(c, url) : 0;

    *secs = stats_now() - t0;
    if (!shared && c)
        curl_easy_cleanup(c);
    if (code != 200) {
        fprintf(stderr, "GET %s: HTTP %ld\n", url, code);
        return -1;
    }
    return 0;
}

int wire_rtt(const char *url, int n, int fresh, stats *out)
{
    double *v = calloc((size_t)n, sizeof(*v)), warm;
    CURL *shared = fresh ? NULL : curl_easy_init();
    int rc = v && (fresh || shared) ? 0 : -1;

    /* one untimed call: connection (kept-alive case) and server caches */
    if (rc == 0)
        rc = timed_get(shared, url, &warm);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = timed_get(shared, url, &v[i]);
    if (rc == 0)
        *out = stats_of(v, (size_t)n);
    if (shared)
        curl_easy_cleanup(shared);
    free(v);
    return rc;
}

wire *wire_new(void)
{
    wire *w = calloc(1, sizeof(*w));

    if (w && !(w->c = curl_easy_init())) {
        free(w);
        w = NULL;
    }
    return w;
}

void wire_free(wire *w)
{
    if (!w)
        return;
    curl_easy_cleanup(w->c);
    free(w);
}

long wire_post(wire *w, const char *url, const char *token, const char *body)
{
    struct curl_slist *hl = NULL;
    char auth[2048];
    long code = 0;

    snprintf(auth, sizeof(auth), "Authorization: %s", token);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, "Expect:");
    hl = curl_slist_append(hl, auth);
    curl_easy_reset(w->c);
    curl_easy_setopt(w->c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(w->c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(w->c, CURLOPT_TIMEOUT, 60L);
    code = get_once(w->c, url);
    curl_slist_free_all(hl);
    return code;
}
