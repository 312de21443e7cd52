/* remote/http.h - JSON over HTTP(S) with libcurl for the remote client:
 * one easy handle per client, timeouts, TLS verification, bounded
 * retries for GET, raw-token Authorization and Meeco-Subscription-Key,
 * and the Meeco error envelope mapped onto remote_status. */
#ifndef REMOTE_HTTP_H
#define REMOTE_HTTP_H

#include <cjson/cJSON.h>

#include "remote.h"

typedef struct remote_http remote_http;

typedef enum remote_api { REMOTE_KEYSTORE, REMOTE_VAULT } remote_api;

remote_status remote_http_new(const remote_config *cfg, remote_http **out);
void remote_http_free(remote_http *h);

/* method path (under the API base) with an optional raw token and an
 * optional JSON body (not consumed).  On 2xx *out gets the parsed body
 * (an empty object for an empty body); on failure *out is NULL and the
 * status says why.  *http_status (may be NULL) receives the HTTP code. */
remote_status remote_http_call(remote_http *h, remote_api api,
                               const char *method, const char *path,
                               const char *token, const cJSON *body,
                               cJSON **out, long *http_status);

/* Record a failure detail for remote_last_error (printf style). */
void remote_error_set(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* JSON string at a dotted path ("session.session_authentication_string"),
 * or NULL. */
const char *remote_json_str(const cJSON *j, const char *path);

#endif /* REMOTE_HTTP_H */
