/* server/http.h - the HTTP side of meeco-server: libmicrohttpd glue, the
 * routing table, request/response helpers and Meeco's error envelope.
 *
 * Route handlers are plain functions over a parsed request:
 *
 *   static void item_get(srv_req *rq, srv_resp *rs);
 *
 * The dispatcher has already checked the subscription key, resolved the
 * Authorization token to rq->user_id (for routes that need it), read the
 * JSON body (size-limited) into rq->body, and acquired a database
 * connection (rq->db).  A handler fills rs with srv_resp_json() or
 * srv_resp_error().  Header and query values that are empty, "undefined"
 * or "null" are treated as absent everywhere (meeco-protocol.md 8.1).
 */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "db.h"

typedef enum srv_service { SRV_KEYSTORE = 0, SRV_VAULT = 1 } srv_service;

typedef enum srv_auth {
    SRV_AUTH_NONE = 0, /* subscription key only */
    SRV_AUTH_KEYSTORE, /* keystore session token */
    SRV_AUTH_VAULT,    /* vault session token */
} srv_auth;

#define SRV_MAX_PARAMS 3

typedef struct srv_ctx srv_ctx;

typedef struct srv_req {
    srv_ctx *srv;
    void *conn; /* struct MHD_Connection *; NULL when a
                   handler is driven directly (fuzzer) */
    const char *method;
    const char *params[SRV_MAX_PARAMS]; /* {name} captures, in order */
    cJSON *body;                        /* JSON object or NULL (no body) */
    const char *user_id;                /* authenticated user, or NULL */
    const char *token_hash;             /* SHA-256 hex of the presented token */
    srv_dbc *db;
} srv_req;

typedef struct srv_resp {
    unsigned status;
    cJSON *json; /* NULL = empty body */
} srv_resp;

typedef void (*srv_handler)(srv_req *rq, srv_resp *rs);

typedef struct srv_route {
    srv_service service;
    const char *method;
    const char *pattern; /* "/items/{id}/shares" */
    srv_auth auth;
    srv_handler fn;
} srv_route;

/* Route tables, one per file of routes (NULL-fn terminated). */
extern const srv_route srv_keystore_srp_routes[];
extern const srv_route srv_keystore_key_routes[];
extern const srv_route srv_vault_user_routes[];
extern const srv_route srv_vault_item_routes[];
extern const srv_route srv_vault_template_routes[];
extern const srv_route srv_vault_connection_routes[];
extern const srv_route srv_vault_share_routes[];
extern const srv_route srv_vault_task_routes[];

/* Find the route for (service, method, path) and fill params.  Returns
 * NULL when none; *path_known is set when the path exists with another
 * method (405). */
const srv_route *srv_route_find(srv_service service, const char *method,
                                const char *path,
                                const char *params[SRV_MAX_PARAMS], char *buf,
                                size_t buflen, int *path_known);

/* Takes ownership of json. */
void srv_resp_json(srv_resp *rs, unsigned status, cJSON *json);
/* {"errors":[{"error": code, "http_code", "message", ...}]} */
void srv_resp_error(srv_resp *rs, unsigned status, const char *code,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 500 for a failed database call, 404 for SRV_DB_NOT_FOUND. */
void srv_resp_db_error(srv_resp *rs, srv_db_status st, const char *what);

/* Normalised request header / query value, or NULL. */
const char *srv_req_header(const srv_req *rq, const char *name);
const char *srv_req_query(const srv_req *rq, const char *name);
/* Calls cb for every value of a (possibly repeated) query key, and for
 * every comma-separated part of each value. */
typedef void (*srv_query_cb)(const char *value, size_t len, void *ctx);
void srv_req_query_each(const srv_req *rq, const char *name, srv_query_cb cb,
                        void *ctx);

/* The configuration the server runs with (read-only). */
const struct srv_config *srv_req_config(const srv_req *rq);

/* 1 when v is NULL, "", "undefined" or "null". */
int srv_value_absent(const char *v);

#endif /* SERVER_HTTP_H */
