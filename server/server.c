/* server/server.c - wires the parts together: database, seed data,
 * access log, HTTP daemon. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "http_daemon.h"
#include "vault_items.h"

struct srv_server {
    struct srv_ctx ctx;
    srv_http *http;
};

static int prepare_db(srv_server *s, char *err, size_t errlen)
{
    srv_dbc *c;
    srv_db_status st;

    c = srv_db_acquire(s->ctx.db);
    st = srv_db_purge_expired(c);
    if (st == SRV_DB_OK && s->ctx.cfg.seed_templates)
        st = srv_templates_seed(c);
    srv_db_release(c);
    if (st != SRV_DB_OK) {
        snprintf(err, errlen, "cannot prepare the database");
        return -1;
    }
    return 0;
}

int srv_server_start(const srv_config *cfg, srv_server **out, char *err,
                     size_t errlen)
{
    srv_server *s = calloc(1, sizeof(*s));
    unsigned nconn;

    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->ctx.cfg = *cfg;
    nconn = cfg->threads ? cfg->threads : 1;
    if (srv_db_open(cfg->db_path, nconn, &s->ctx.db) != SRV_DB_OK) {
        snprintf(err, errlen, "cannot open database %s", cfg->db_path);
        goto fail;
    }
    if (prepare_db(s, err, errlen) != 0)
        goto fail;
    s->ctx.log = srv_access_log_open(cfg->access_log);
    if (!s->ctx.log) {
        snprintf(err, errlen, "cannot open access log %s: %s", cfg->access_log,
                 strerror(errno));
        goto fail;
    }
    s->http = srv_http_start(&s->ctx, err, errlen);
    if (!s->http)
        goto fail;
    *out = s;
    return 0;
fail:
    srv_server_stop(s);
    return -1;
}

uint16_t srv_server_port(const srv_server *s)
{
    return srv_http_port(s->http);
}

void srv_server_stop(srv_server *s)
{
    if (!s)
        return;
    srv_http_stop(s->http);
    srv_access_log_close(s->ctx.log);
    srv_db_close(s->ctx.db);
    free(s);
}
