/* server/util.h - small helpers shared by the server's parts: random ids
 * and tokens, SHA-256 hex digests, ISO-8601 timestamps. */
#ifndef SERVER_UTIL_H
#define SERVER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define SRV_ID_LEN     36 /* UUID v4 text, without NUL */
#define SRV_SHA256_HEX 64
#define SRV_TOKEN_LEN  24 /* access tokens: 24 chars of [A-Za-z0-9] */
#define SRV_TIME_LEN   24 /* "2026-11-28T18:05:04.148Z" */

/* Random UUID v4 ("1b4e28ba-2fa1-41d2-883f-0016d3cca427").  0 or -1. */
int srv_id_new(char out[SRV_ID_LEN + 1]);
/* len random characters of [A-Za-z0-9] + NUL (out has len + 1 bytes). */
int srv_token_new(char *out, size_t len);
/* Lowercase hex SHA-256 of len bytes. */
void srv_sha256_hex(const void *data, size_t len, char out[SRV_SHA256_HEX + 1]);
/* Milliseconds since the epoch (wall clock). */
int64_t srv_now_ms(void);
/* ISO-8601 UTC with milliseconds for ms since the epoch. */
void srv_time_iso(int64_t ms, char out[SRV_TIME_LEN + 1]);
/* Parse ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff]Z"; 0 on success. */
int srv_time_parse(const char *iso, int64_t *ms);
/* 1 when s is exactly len lowercase-or-uppercase hex digits. */
int srv_is_hex(const char *s, size_t len);

#endif /* SERVER_UTIL_H */
