/* server/vault_common.c - paging and item rendering for the vault. */
#include "vault_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

int srv_page_parse(srv_req *rq, const char *kind, srv_page *pg, srv_resp *rs)
{
    return srv_page_parse2(rq, kind, NULL, pg, rs);
}

int srv_page_parse2(srv_req *rq, const char *kind, const char *also_user,
                    srv_page *pg, srv_resp *rs)
{
    const char *pp = srv_req_query(rq, "per_page");
    srv_doc d;

    memset(pg, 0, sizeof(*pg));
    pg->per_page = SRV_PAGE_DEFAULT;
    if (pp) {
        char *end = NULL;
        long n = strtol(pp, &end, 10);

        if (*end != '\0' || n < 1 || n > SRV_PAGE_MAX) {
            srv_resp_error(rs, 400, "invalid_parameter",
                           "per_page must be between 1 and %d", SRV_PAGE_MAX);
            return -1;
        }
        pg->per_page = n;
        pg->per_page_from_params = 1;
    }
    pg->cursor = srv_req_query(rq, "next_page_after");
    if (!pg->cursor)
        return 0;
    if (srv_doc_get(rq->db, kind, rq->user_id, pg->cursor, &d) != SRV_DB_OK &&
        (!also_user ||
         srv_doc_get(rq->db, kind, also_user, pg->cursor, &d) != SRV_DB_OK)) {
        srv_resp_error(rs, 400, "invalid_parameter",
                       "next_page_after is not a valid cursor");
        return -1;
    }
    pg->after_seq = d.seq;
    srv_doc_clear(&d);
    return 0;
}

struct page_walk {
    const srv_page *pg;
    srv_filter filter;
    void *fctx;
    cJSON *arr;
    long count;
    char *last_id;
    int more;
};

static int page_step(const srv_doc *d, void *ctx)
{
    struct page_walk *w = ctx;
    cJSON *rec = cJSON_Parse(d->body);

    if (!rec)
        return 0;
    if (w->filter && !w->filter(rec, w->fctx)) {
        cJSON_Delete(rec);
        return 0;
    }
    if (w->count == w->pg->per_page) {
        w->more = 1;
        cJSON_Delete(rec);
        return 1;
    }
    cJSON_AddItemToArray(w->arr, srv_rec_public(rec));
    cJSON_Delete(rec);
    free(w->last_id);
    w->last_id = strdup(d->id);
    w->count++;
    return 0;
}

srv_db_status srv_list_page(srv_dbc *c, const char *kind, const char *user_id,
                            const srv_page *pg, srv_filter filter, void *fctx,
                            cJSON *arr, char **next_id)
{
    struct page_walk w = {pg, filter, fctx, arr, 0, NULL, 0};
    srv_db_status st =
        srv_doc_list(c, kind, user_id, NULL, pg->after_seq, page_step, &w);

    *next_id = NULL;
    if (st == SRV_DB_OK && w.more)
        *next_id = w.last_id;
    else
        free(w.last_id);
    return st;
}

struct merge_walk {
    srv_filter filter;
    void *fctx;
    cJSON *recs; /* [{"seq": n, "id": id, "rec": {...}}] */
};

static int merge_step(const srv_doc *d, void *ctx)
{
    struct merge_walk *w = ctx;
    cJSON *rec = cJSON_Parse(d->body), *e;

    if (!rec || (w->filter && !w->filter(rec, w->fctx))) {
        cJSON_Delete(rec);
        return 0;
    }
    e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "seq", (double)d->seq);
    cJSON_AddStringToObject(e, "id", d->id);
    cJSON_AddItemToObject(e, "rec", rec);
    cJSON_AddItemToArray(w->recs, e);
    return 0;
}

static double seq_of(const cJSON *e)
{
    return cJSON_GetObjectItemCaseSensitive(e, "seq")->valuedouble;
}

/* The entry of recs with the smallest seq above after (NULL if none). */
static cJSON *next_entry(cJSON *recs, double after)
{
    cJSON *e, *best = NULL;

    cJSON_ArrayForEach(e, recs)
    {
        if (seq_of(e) > after && (!best || seq_of(e) < seq_of(best)))
            best = e;
    }
    return best;
}

srv_db_status srv_list_page2(srv_dbc *c, const char *kind, const char *user_a,
                             const char *user_b, const srv_page *pg,
                             srv_filter filter, void *fctx, cJSON *arr,
                             char **next_id)
{
    struct merge_walk w = {filter, fctx, cJSON_CreateArray()};
    srv_db_status st;
    double after = (double)pg->after_seq;
    cJSON *e = NULL, *last = NULL;
    long n = 0;

    *next_id = NULL;
    st = srv_doc_list(c, kind, user_a, NULL, pg->after_seq, merge_step, &w);
    if (st == SRV_DB_OK)
        st = srv_doc_list(c, kind, user_b, NULL, pg->after_seq, merge_step, &w);
    while (st == SRV_DB_OK && (e = next_entry(w.recs, after)) != NULL) {
        if (n == pg->per_page) {
            *next_id = strdup(srv_str(last, "id"));
            break;
        }
        cJSON_AddItemToArray(
            arr, srv_rec_public(cJSON_GetObjectItemCaseSensitive(e, "rec")));
        after = seq_of(e);
        last = e;
        n++;
    }
    cJSON_Delete(w.recs);
    return st;
}

void srv_page_finish(cJSON *resp, const srv_page *pg, int count, char *next_id)
{
    /* An array holding one CollectionReport: the 0.0.13 SDK calls
     * meta.some(x => x.next_page_exists), the current SDK reads
     * next_page_after (docs/SERVER.md, "meta"). */
    cJSON *arr = cJSON_AddArrayToObject(resp, "meta");
    cJSON *m = cJSON_CreateObject();

    cJSON_AddItemToArray(arr, m);

    cJSON_AddNullToObject(m, "order_by");
    cJSON_AddNullToObject(m, "order");
    cJSON_AddNullToObject(m, "order_from_params");
    cJSON_AddNumberToObject(m, "per_page", (double)pg->per_page);
    cJSON_AddBoolToObject(m, "per_page_from_params", pg->per_page_from_params);
    srv_set_str(m, "current_cursor", pg->cursor);
    cJSON_AddNumberToObject(m, "records_count", count);
    cJSON_AddNullToObject(m, "page");
    cJSON_AddNullToObject(m, "page_count");
    cJSON_AddBoolToObject(m, "next_page_exists", next_id != NULL);
    cJSON_AddNullToObject(m, "pages");       /* v-22 */
    cJSON_AddNullToObject(m, "total_count"); /* v-22 */
    srv_set_str(resp, "next_page_after", next_id);
    free(next_id);
}

void srv_add_empty_lists(cJSON *resp)
{
    static const char *const names[] = {"attachments", "thumbnails",
                                        "associations", "associations_to"};

    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (!cJSON_GetObjectItemCaseSensitive(resp, names[i]))
            cJSON_AddArrayToObject(resp, names[i]);
}

struct slot_walk {
    cJSON *ids;
    cJSON *slots;
};

static int slot_step(const srv_doc *d, void *ctx)
{
    struct slot_walk *w = ctx;
    cJSON *rec;

    cJSON_AddItemToArray(w->ids, cJSON_CreateString(d->id));
    if (!w->slots)
        return 0;
    rec = cJSON_Parse(d->body);
    if (rec)
        cJSON_AddItemToArray(w->slots, srv_rec_public(rec));
    cJSON_Delete(rec);
    return 0;
}

cJSON *srv_item_render(srv_dbc *c, const char *user_id, const cJSON *item,
                       cJSON *slots)
{
    cJSON *out = srv_rec_public(item);
    struct slot_walk w = {cJSON_CreateArray(), slots};

    (void)srv_doc_list(c, "slot", user_id, srv_str(item, "id"), 0, slot_step,
                       &w);
    srv_set_item(out, "slot_ids", w.ids);
    return out;
}

static int has_id(const cJSON *arr, const char *id)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, arr)
    {
        const char *x = srv_str(e, "id");
        if (x && strcmp(x, id) == 0)
            return 1;
    }
    return 0;
}

void srv_nodes_append(srv_dbc *c, const char *user_id, const cJSON *ids,
                      cJSON *nodes)
{
    const cJSON *e;
    srv_db_status st;

    cJSON_ArrayForEach(e, ids)
    {
        cJSON *n;

        if (!cJSON_IsString(e) || has_id(nodes, e->valuestring))
            continue;
        n = srv_rec_load(c, "class_node", SRV_SYSTEM_USER, e->valuestring, &st);
        if (!n)
            n = srv_rec_load(c, "class_node", user_id, e->valuestring, &st);
        if (n) {
            cJSON_AddItemToArray(nodes, srv_rec_public(n));
            cJSON_Delete(n);
        }
    }
}

cJSON *srv_item_response(srv_dbc *c, const char *user_id, const cJSON *item)
{
    cJSON *resp = cJSON_CreateObject();
    cJSON *slots = cJSON_CreateArray();
    cJSON *nodes = cJSON_CreateArray();

    cJSON_AddItemToObject(resp, "item",
                          srv_item_render(c, user_id, item, slots));
    cJSON_AddItemToObject(resp, "slots", slots);
    srv_nodes_append(
        c, user_id,
        cJSON_GetObjectItemCaseSensitive(item, "classification_node_ids"),
        nodes);
    cJSON_AddItemToObject(resp, "classification_nodes", nodes);
    srv_add_empty_lists(resp);
    return resp;
}

char *srv_sanitize_name(const char *label)
{
    size_t n = strlen(label);
    char *out = malloc(n + 1);

    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)label[i];
        out[i] = isalnum(ch) ? (char)tolower(ch) : '_';
    }
    out[n] = '\0';
    return out;
}
