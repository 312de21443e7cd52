/* server/access_log.h - one line per request:
 *
 *   2026-11-29T02:10:00.123Z 127.0.0.1 POST /vault/items/{id}/shares 201 3.2ms
 *
 * The path is the matched route PATTERN, never the request path, so that
 * tokens in paths (invitation tokens) never reach the log; headers,
 * query strings and bodies are never written.
 */
#ifndef SERVER_ACCESS_LOG_H
#define SERVER_ACCESS_LOG_H

#include <stdint.h>

typedef struct srv_access_log srv_access_log;

/* path: a file (appended), "-" for stderr, "off" or "" for none.
 * Returns NULL on error (errno set); a disabled log is a valid object. */
srv_access_log *srv_access_log_open(const char *path);
void srv_access_log_close(srv_access_log *log);
void srv_access_log_write(srv_access_log *log, const char *peer,
                          const char *method, const char *base,
                          const char *pattern, unsigned status, int64_t usec);

#endif /* SERVER_ACCESS_LOG_H */
