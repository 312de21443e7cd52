/* server/validate.h - checks on untrusted request JSON.  Each returns 0
 * when the field is acceptable (and sets *out, NULL when absent and not
 * required), or -1 after filling rs with a 400 (missing field, wrong JSON
 * type) or a 422 (value too long, not hex, not a Cryppo string, not an
 * RSA public key).  JSON null counts as absent. */
#ifndef SERVER_VALIDATE_H
#define SERVER_VALIDATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "http.h"

#define SRV_MAX_NAME   256   /* names, labels, usernames, ids */
#define SRV_MAX_TEXT   8192  /* descriptions, terms */
#define SRV_MAX_CRYPPO 65536 /* one serialized Cryppo value */
#define SRV_MAX_PEM    8192

enum srv_need { SRV_OPTIONAL = 0, SRV_REQUIRED = 1 };

int srv_json_object(const cJSON *obj, const char *name, enum srv_need need,
                    const cJSON **out, srv_resp *rs);
int srv_json_array(const cJSON *obj, const char *name, enum srv_need need,
                   size_t max_items, const cJSON **out, srv_resp *rs);
int srv_json_string(const cJSON *obj, const char *name, enum srv_need need,
                    size_t max_len, const char **out, srv_resp *rs);
/* true/false, or the strings "true"/"false"; *out untouched if absent. */
int srv_json_bool(const cJSON *obj, const char *name, int *out, srv_resp *rs);
int srv_json_int(const cJSON *obj, const char *name, long min, long max,
                 long *out, srv_resp *rs);
/* Hex of exactly len digits (len 0: 1..max_len digits). */
int srv_json_hex(const cJSON *obj, const char *name, enum srv_need need,
                 size_t len, const char **out, srv_resp *rs);
/* Any valid Cryppo serialization (cryppo_parse). */
int srv_json_cryppo(const cJSON *obj, const char *name, enum srv_need need,
                    const char **out, srv_resp *rs);
/* An RSA public key PEM that parses. */
int srv_json_public_key(const cJSON *obj, const char *name, enum srv_need need,
                        const char **out, srv_resp *rs);
/* The body itself (rq->body) must be present. */
int srv_body_required(const srv_req *rq, srv_resp *rs);

#endif /* SERVER_VALIDATE_H */
