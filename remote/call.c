/* remote/call.c - one authenticated call per HTTP client. */
#include "call.h"

#include <stdio.h>
#include <string.h>

int remote_session_usable(const remote_session *s)
{
    return s && s->cfg && s->keystore_token.p && s->vault_token.p;
}

int remote_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;

    return n > 0 && n <= 128 &&
           strspn(id, "abcdefghijklmnopqrstuvwxyz"
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789-_.:") == n;
}

remote_status remote_session_call(const remote_session *s, remote_api api,
                                  const char *method, const char *base,
                                  const char *id, const cJSON *body,
                                  cJSON **ans)
{
    const secbuf *tok;
    remote_http *h = NULL;
    cJSON *tmp = NULL;
    char path[256];
    remote_status st;

    if (ans)
        *ans = NULL;
    if (!remote_session_usable(s) || (id && !remote_id_ok(id)))
        return REMOTE_ERR_ARGS;
    snprintf(path, sizeof(path), "%s%s", base, id ? id : "");
    st = remote_http_new(s->cfg, &h);
    if (st != REMOTE_OK)
        return st;
    tok = api == REMOTE_VAULT ? &s->vault_token : &s->keystore_token;
    st = remote_http_call(h, api, method, path, (const char *)tok->p, body,
                          &tmp, NULL);
    remote_http_free(h);
    if (ans)
        *ans = tmp;
    else
        cJSON_Delete(tmp);
    return st;
}
