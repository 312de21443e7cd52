/* server/ctx.h - the state shared by all request handlers of one server
 * (internal to server/).  Read-only after start, except through the
 * thread-safe db pool and access log. */
#ifndef SERVER_CTX_H
#define SERVER_CTX_H

#include "access_log.h"
#include "config.h"
#include "db.h"

struct srv_ctx {
    srv_config cfg;
    srv_db *db;
    srv_access_log *log;
};

#endif /* SERVER_CTX_H */
