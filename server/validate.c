/* server/validate.c - typed access to request JSON fields. */
#include "validate.h"

#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "util.h"

static const cJSON *field(const cJSON *obj, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, name);

    return (f && !cJSON_IsNull(f)) ? f : NULL;
}

static int missing(const char *name, enum srv_need need, srv_resp *rs)
{
    if (need == SRV_OPTIONAL)
        return 0;
    srv_resp_error(rs, 400, "missing_parameter", "'%s' is required", name);
    return -1;
}

static int wrong_type(const char *name, const char *type, srv_resp *rs)
{
    srv_resp_error(rs, 400, "invalid_parameter", "'%s' must be %s", name, type);
    return -1;
}

int srv_body_required(const srv_req *rq, srv_resp *rs)
{
    if (rq->body)
        return 0;
    srv_resp_error(rs, 400, "missing_body", "a JSON request body is required");
    return -1;
}

int srv_json_object(const cJSON *obj, const char *name, enum srv_need need,
                    const cJSON **out, srv_resp *rs)
{
    const cJSON *f = field(obj, name);

    *out = NULL;
    if (!f)
        return missing(name, need, rs);
    if (!cJSON_IsObject(f))
        return wrong_type(name, "an object", rs);
    *out = f;
    return 0;
}

int srv_json_array(const cJSON *obj, const char *name, enum srv_need need,
                   size_t max_items, const cJSON **out, srv_resp *rs)
{
    const cJSON *f = field(obj, name);

    *out = NULL;
    if (!f)
        return missing(name, need, rs);
    if (!cJSON_IsArray(f))
        return wrong_type(name, "an array", rs);
    if ((size_t)cJSON_GetArraySize(f) > max_items) {
        srv_resp_error(rs, 422, "validation_error",
                       "'%s' has more than %zu entries", name, max_items);
        return -1;
    }
    *out = f;
    return 0;
}

int srv_json_string(const cJSON *obj, const char *name, enum srv_need need,
                    size_t max_len, const char **out, srv_resp *rs)
{
    const cJSON *f = field(obj, name);

    *out = NULL;
    if (!f)
        return missing(name, need, rs);
    if (!cJSON_IsString(f))
        return wrong_type(name, "a string", rs);
    if (strlen(f->valuestring) > max_len) {
        srv_resp_error(rs, 422, "validation_error",
                       "'%s' is longer than %zu characters", name, max_len);
        return -1;
    }
    if (need == SRV_REQUIRED && f->valuestring[0] == '\0') {
        srv_resp_error(rs, 422, "validation_error", "'%s' must not be empty",
                       name);
        return -1;
    }
    *out = f->valuestring;
    return 0;
}

int srv_json_bool(const cJSON *obj, const char *name, int *out, srv_resp *rs)
{
    const cJSON *f = field(obj, name);

    if (!f)
        return 0;
    if (cJSON_IsBool(f)) {
        *out = cJSON_IsTrue(f);
        return 0;
    }
    if (cJSON_IsString(f) &&
        (!strcmp(f->valuestring, "true") || !strcmp(f->valuestring, "false"))) {
        *out = strcmp(f->valuestring, "true") == 0;
        return 0;
    }
    return wrong_type(name, "a boolean", rs);
}

int srv_json_int(const cJSON *obj, const char *name, long min, long max,
                 long *out, srv_resp *rs)
{
    const cJSON *f = field(obj, name);
    double v;

    if (!f)
        return 0;
    if (!cJSON_IsNumber(f))
        return wrong_type(name, "an integer", rs);
    v = f->valuedouble;
    /* compare as doubles first: casting an out-of-range double is UB */
    if (v < (double)min || v > (double)max) {
        srv_resp_error(rs, 422, "validation_error",
                       "'%s' must be between %ld and %ld", name, min, max);
        return -1;
    }
    if (v != (double)(long)v)
        return wrong_type(name, "an integer", rs);
    *out = (long)v;
    return 0;
}

int srv_json_hex(const cJSON *obj, const char *name, enum srv_need need,
                 size_t len, const char **out, srv_resp *rs)
{
    const char *s;

    if (srv_json_string(obj, name, need, len ? len : 1024, &s, rs) != 0)
        return -1;
    *out = s;
    if (!s)
        return 0;
    if (!srv_is_hex(s, len ? len : strlen(s)) || !*s) {
        srv_resp_error(rs, 422, "validation_error",
                       len ? "'%s' must be %zu hex digits"
                           : "'%s' must be hex digits",
                       name, len);
        *out = NULL;
        return -1;
    }
    return 0;
}

int srv_json_cryppo(const cJSON *obj, const char *name, enum srv_need need,
                    const char **out, srv_resp *rs)
{
    cryppo_parsed parsed;
    cryppo_status st;
    const char *s;

    if (srv_json_string(obj, name, need, SRV_MAX_CRYPPO, &s, rs) != 0)
        return -1;
    *out = NULL;
    if (!s)
        return 0;
    memset(&parsed, 0, sizeof(parsed));
    st = cryppo_parse(s, strlen(s), &parsed);
    cryppo_parsed_free(&parsed);
    if (st != CRYPPO_OK) {
        srv_resp_error(rs, 422, "invalid_cryppo_format",
                       "'%s' is not a valid Cryppo serialization (%s)", name,
                       cryppo_strerror(st));
        return -1;
    }
    *out = s;
    return 0;
}

int srv_json_public_key(const cJSON *obj, const char *name, enum srv_need need,
                        const char **out, srv_resp *rs)
{
    EVP_PKEY *key = NULL;
    const char *s;

    if (srv_json_string(obj, name, need, SRV_MAX_PEM, &s, rs) != 0)
        return -1;
    *out = NULL;
    if (!s)
        return 0;
    if (cryppo_rsa_public_from_pem(s, strlen(s), &key) != CRYPPO_OK) {
        srv_resp_error(rs, 422, "invalid_public_key",
                       "'%s' is not an RSA public key in PEM form", name);
        return -1;
    }
    EVP_PKEY_free(key);
    *out = s;
    return 0;
}
