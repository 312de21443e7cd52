/* server/vault_task_routes.c - the client task queue (6.1):
 *
 *   GET /client_task_queue (state (repeatable), work_type, target_id,
 *                           paging)
 *   PUT /client_task_queue {client_tasks:[{id, state, report}]}
 *
 * The server cannot re-encrypt anything, so when an owner changes an
 * item that has outgoing shares it queues an "update_item_shares" task
 * for that owner; the client then sends new ciphertext with
 * PUT /items/{id}/shares and marks the task done.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "validate.h"
#include "vault_common.h"
#include "vault_items.h"
#include "vault_share.h"

static const char *const task_states[] = {"todo", "in_progress", "done",
                                          "failed", NULL};

static int state_ok(const char *s)
{
    for (size_t i = 0; task_states[i]; i++)
        if (!strcmp(task_states[i], s))
            return 1;
    return 0;
}

srv_db_status srv_tasks_item_changed(srv_dbc *c, const char *user_id,
                                     const char *item_id)
{
    cJSON *shares = srv_share_list_for_item(c, user_id, item_id), *t;
    srv_db_status st = SRV_DB_OK;

    if (cJSON_GetArraySize(shares) > 0) {
        t = cJSON_CreateObject();
        srv_set_new_id(t);
        cJSON_AddStringToObject(t, "state", "todo");
        cJSON_AddStringToObject(t, "work_type", "update_item_shares");
        cJSON_AddStringToObject(t, "target_id", item_id);
        cJSON_AddObjectToObject(t, "additional_options");
        srv_set_now(t, "last_state_transition_at");
        cJSON_AddNullToObject(t, "report");
        srv_set_now(t, "created_at");
        st = srv_rec_insert(c, "client_task", user_id, NULL, item_id, t);
        cJSON_Delete(t);
    }
    cJSON_Delete(shares);
    return st;
}

struct task_filter {
    cJSON *states;
    const char *work_type;
    const char *target_id;
};

static void add_state(const char *v, size_t len, void *ctx)
{
    char *s = strndup(v, len);

    if (s)
        cJSON_AddItemToArray(ctx, cJSON_CreateString(s));
    free(s);
}

static int task_match(const cJSON *t, void *ctx)
{
    const struct task_filter *f = ctx;
    const char *state = srv_str(t, "state");
    const cJSON *e;
    int ok = cJSON_GetArraySize(f->states) == 0;

    cJSON_ArrayForEach(e, f->states)
    {
        if (state && !strcmp(e->valuestring, state))
            ok = 1;
    }
    if (f->work_type && strcmp(f->work_type, srv_str(t, "work_type")))
        return 0;
    if (f->target_id && strcmp(f->target_id, srv_str(t, "target_id")))
        return 0;
    return ok;
}

static void task_list(srv_req *rq, srv_resp *rs)
{
    struct task_filter f = {cJSON_CreateArray(), srv_req_query(rq, "work_type"),
                            srv_req_query(rq, "target_id")};
    cJSON *resp, *arr;
    char *next = NULL;
    srv_page pg;
    srv_db_status st;

    srv_req_query_each(rq, "state", add_state, f.states);
    if (srv_page_parse(rq, "client_task", &pg, rs) != 0) {
        cJSON_Delete(f.states);
        return;
    }
    resp = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(resp, "client_tasks");
    st = srv_list_page(rq->db, "client_task", rq->user_id, &pg, task_match, &f,
                       arr, &next);
    cJSON_Delete(f.states);
    if (st != SRV_DB_OK) {
        free(next);
        cJSON_Delete(resp);
        srv_resp_db_error(rs, st, "client tasks");
        return;
    }
    srv_page_finish(resp, &pg, cJSON_GetArraySize(arr), next);
    srv_resp_json(rs, 200, resp);
}

static int update_one(srv_req *rq, const cJSON *in, cJSON *out, srv_resp *rs)
{
    const char *id, *state;
    const cJSON *report;
    srv_db_status st;
    cJSON *t;

    if (!cJSON_IsObject(in) ||
        srv_json_string(in, "id", SRV_REQUIRED, SRV_MAX_NAME, &id, rs) ||
        srv_json_string(in, "state", SRV_REQUIRED, 32, &state, rs))
        return -1;
    if (!state_ok(state)) {
        srv_resp_error(rs, 422, "validation_error", "unknown state '%s'",
                       state);
        return -1;
    }
    t = srv_rec_load(rq->db, "client_task", rq->user_id, id, &st);
    if (!t) {
        srv_resp_db_error(rs, st, "client task");
        return -1;
    }
    report = cJSON_GetObjectItemCaseSensitive(in, "report");
    srv_set_str(t, "state", state);
    if (report)
        srv_set_copy(t, "report", report);
    srv_set_now(t, "last_state_transition_at");
    st = srv_rec_save(rq->db, "client_task", rq->user_id, t);
    if (st != SRV_DB_OK) {
        cJSON_Delete(t);
        srv_resp_db_error(rs, st, "client task");
        return -1;
    }
    cJSON_AddItemToArray(out, t);
    return 0;
}

static void task_update(srv_req *rq, srv_resp *rs)
{
    const cJSON *list, *e;
    cJSON *out;

    if (srv_body_required(rq, rs) ||
        srv_json_array(rq->body, "client_tasks", SRV_REQUIRED, 500, &list, rs))
        return;
    out = cJSON_CreateArray();
    cJSON_ArrayForEach(e, list)
    {
        if (update_one(rq, e, out, rs) != 0) {
            cJSON_Delete(out);
            return;
        }
    }
    srv_resp_json(rs, 200, srv_wrap("client_tasks", out));
}

const srv_route srv_vault_task_routes[] = {
    {SRV_VAULT, "GET", "/client_task_queue", SRV_AUTH_VAULT, task_list},
    {SRV_VAULT, "PUT", "/client_task_queue", SRV_AUTH_VAULT, task_update},
    {0, NULL, NULL, 0, NULL},
};
