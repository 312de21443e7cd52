/* remote/call.h - (internal) one authenticated API call on a fresh HTTP
 * client, so that threads sharing a const remote_session never share a
 * curl handle, and ids checked before they go into a URL path. */
#ifndef REMOTE_CALL_H
#define REMOTE_CALL_H

#include <stddef.h>

#include "http.h"

/* Non-zero when the session carries what authenticated calls need. */
int remote_session_usable(const remote_session *s);

/* Non-zero when id is 1..128 URL-safe characters ([A-Za-z0-9-_.:]). */
int remote_id_ok(const char *id);

/* method base+id (e.g. "/items/" + id) with the token of api; body is
 * not consumed; ans (may be NULL) receives the answer. */
remote_status remote_session_call(const remote_session *s, remote_api api,
                                  const char *method, const char *base,
                                  const char *id, const cJSON *body,
                                  cJSON **ans);

#endif /* REMOTE_CALL_H */
