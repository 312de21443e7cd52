/* server/auth.c - issue, resolve and revoke hashed access tokens. */
#include "auth.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secbuf.h"

const char *srv_auth_token_from_header(const char *v)
{
    if (!v)
        return NULL;
    if (strncasecmp(v, "Bearer ", 7) == 0)
        v += 7;
    while (*v == ' ')
        v++;
    if (!*v || strcmp(v, "undefined") == 0 || strcmp(v, "null") == 0)
        return NULL;
    return v;
}

srv_db_status srv_auth_issue(srv_dbc *c, const char *kind, const char *user_id,
                             const char *id, int64_t ttl_ms,
                             char token[SRV_TOKEN_LEN + 1])
{
    char hash[SRV_SHA256_HEX + 1];
    srv_db_status st;

    if (srv_token_new(token, SRV_TOKEN_LEN) != 0)
        return SRV_DB_ERROR;
    srv_sha256_hex(token, SRV_TOKEN_LEN, hash);
    st = srv_token_put(c, hash, kind, user_id, id, srv_now_ms() + ttl_ms);
    if (st != SRV_DB_OK)
        secure_wipe(token, SRV_TOKEN_LEN);
    return st;
}

srv_db_status srv_auth_check(srv_dbc *c, const char *kind, const char *token,
                             char **user_id, char hash[SRV_SHA256_HEX + 1],
                             int64_t *expires_ms)
{
    if (!token || strlen(token) > 512)
        return SRV_DB_NOT_FOUND;
    srv_sha256_hex(token, strlen(token), hash);
    return srv_token_get(c, hash, kind, user_id, NULL, expires_ms);
}

srv_db_status srv_auth_consume(srv_dbc *c, const char *kind, const char *token,
                               char **user_id)
{
    char hash[SRV_SHA256_HEX + 1];
    srv_db_status st = srv_auth_check(c, kind, token, user_id, hash, NULL);

    if (st == SRV_DB_OK)
        st = srv_token_delete(c, hash);
    if (st != SRV_DB_OK) {
        free(*user_id);
        *user_id = NULL;
    }
    return st;
}

srv_db_status srv_auth_failure_note(srv_dbc *c, const char *user_id)
{
    char token[SRV_TOKEN_LEN + 1];

    return srv_auth_issue(c, SRV_TOKEN_LOGIN_FAILURE, user_id, NULL,
                          SRV_LOGIN_WINDOW_MS, token);
}

srv_db_status srv_auth_failure_count(srv_dbc *c, const char *user_id,
                                     long *count)
{
    return srv_token_count(c, SRV_TOKEN_LOGIN_FAILURE, user_id, count);
}
