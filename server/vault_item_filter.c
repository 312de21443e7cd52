/* server/vault_item_filter.c - GET /items query filters:
 * template_ids, item_ids (comma-joined or repeated), name, own, owner_id,
 * classification_scheme_name + classification_node_name(s), shared_with.
 * Sets that depend on other records (matching node ids, items shared with
 * a user) are computed once when the filter is parsed. */
#include "vault_items.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "vault_common.h"

struct srv_item_filter {
    cJSON *template_ids;
    cJSON *item_ids;
    cJSON *node_names;
    cJSON *node_ids;   /* resolved from scheme/node names, or NULL */
    cJSON *shared_ids; /* item ids shared with shared_with, or NULL */
    const char *name;
    const char *owner_id;
    int own; /* -1 any */
};

static void add_value(const char *v, size_t len, void *ctx)
{
    cJSON *arr = ctx;
    char *s = strndup(v, len);

    if (s && cJSON_GetArraySize(arr) < 1000)
        cJSON_AddItemToArray(arr, cJSON_CreateString(s));
    free(s);
}

static int in_set(const cJSON *set, const char *v)
{
    const cJSON *e;

    if (!v)
        return 0;
    cJSON_ArrayForEach(e, set)
    {
        if (cJSON_IsString(e) && strcmp(e->valuestring, v) == 0)
            return 1;
    }
    return 0;
}

struct node_walk {
    const char *scheme;
    const cJSON *names;
    cJSON *ids;
};

static int node_step(const srv_doc *d, void *ctx)
{
    struct node_walk *w = ctx;
    cJSON *n = cJSON_Parse(d->body);
    const char *scheme = srv_str(n, "scheme");

    if (n && (!w->scheme || (scheme && !strcmp(scheme, w->scheme))) &&
        (cJSON_GetArraySize(w->names) == 0 ||
         in_set(w->names, srv_str(n, "name"))))
        cJSON_AddItemToArray(w->ids, cJSON_CreateString(d->id));
    cJSON_Delete(n);
    return 0;
}

static void resolve_nodes(srv_req *rq, struct srv_item_filter *f)
{
    struct node_walk w;
    const char *scheme = srv_req_query(rq, "classification_scheme_name");

    if (!scheme && cJSON_GetArraySize(f->node_names) == 0)
        return;
    w.scheme = scheme;
    w.names = f->node_names;
    w.ids = f->node_ids = cJSON_CreateArray();
    (void)srv_doc_list(rq->db, "class_node", SRV_SYSTEM_USER, NULL, 0,
                       node_step, &w);
    (void)srv_doc_list(rq->db, "class_node", rq->user_id, NULL, 0, node_step,
                       &w);
}

struct share_walk {
    const char *recipient;
    cJSON *ids;
};

static int share_step(const srv_doc *d, void *ctx)
{
    struct share_walk *w = ctx;
    cJSON *s = cJSON_Parse(d->body);
    const char *r = srv_str(s, "recipient_id");

    if (r && strcmp(r, w->recipient) == 0)
        cJSON_AddItemToArray(w->ids, cJSON_CreateString(srv_str(s, "item_id")));
    cJSON_Delete(s);
    return 0;
}

struct srv_item_filter *srv_item_filter_parse(srv_req *rq, srv_resp *rs)
{
    struct srv_item_filter *f = calloc(1, sizeof(*f));
    const char *own, *with;

    if (!f) {
        srv_resp_error(rs, 500, "internal_error", "out of memory");
        return NULL;
    }
    f->template_ids = cJSON_CreateArray();
    f->item_ids = cJSON_CreateArray();
    f->node_names = cJSON_CreateArray();
    srv_req_query_each(rq, "template_ids", add_value, f->template_ids);
    srv_req_query_each(rq, "item_ids", add_value, f->item_ids);
    srv_req_query_each(rq, "classification_node_name", add_value,
                       f->node_names);
    srv_req_query_each(rq, "classification_node_names", add_value,
                       f->node_names);
    f->name = srv_req_query(rq, "name");
    f->owner_id = srv_req_query(rq, "owner_id");
    own = srv_req_query(rq, "own");
    f->own = !own ? -1 : strcmp(own, "true") == 0 ? 1 : 0;
    resolve_nodes(rq, f);
    with = srv_req_query(rq, "shared_with");
    if (with) {
        struct share_walk w = {with, cJSON_CreateArray()};

        f->shared_ids = w.ids;
        (void)srv_doc_list(rq->db, "share_out", rq->user_id, NULL, 0,
                           share_step, &w);
    }
    return f;
}

static int any_in_set(const cJSON *values, const cJSON *set)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, values)
    {
        if (cJSON_IsString(e) && in_set(set, e->valuestring))
            return 1;
    }
    return 0;
}

int srv_item_filter_match(const cJSON *item, void *filter)
{
    const struct srv_item_filter *f = filter;
    const char *id = srv_str(item, "id");
    int own = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "own"));

    if (cJSON_GetArraySize(f->template_ids) &&
        !in_set(f->template_ids, srv_str(item, "item_template_id")))
        return 0;
    if (cJSON_GetArraySize(f->item_ids) && !in_set(f->item_ids, id))
        return 0;
    if (f->name &&
        (!srv_str(item, "name") || strcmp(f->name, srv_str(item, "name")) != 0))
        return 0;
    if (f->owner_id && (!srv_str(item, "owner_id") ||
                        strcmp(f->owner_id, srv_str(item, "owner_id"))))
        return 0;
    if (f->own >= 0 && own != f->own)
        return 0;
    if (f->node_ids && !any_in_set(cJSON_GetObjectItemCaseSensitive(
                                       item, "classification_node_ids"),
                                   f->node_ids))
        return 0;
    if (f->shared_ids && !in_set(f->shared_ids, id))
        return 0;
    return 1;
}

void srv_item_filter_free(struct srv_item_filter *f)
{
    if (!f)
        return;
    cJSON_Delete(f->template_ids);
    cJSON_Delete(f->item_ids);
    cJSON_Delete(f->node_names);
    cJSON_Delete(f->node_ids);
    cJSON_Delete(f->shared_ids);
    free(f);
}
