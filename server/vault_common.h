/* server/vault_common.h - pieces shared by the vault route files:
 * cursor paging, record listing with a filter, and rendering of items
 * with their slots in the shapes both SDK generations read. */
#ifndef SERVER_VAULT_COMMON_H
#define SERVER_VAULT_COMMON_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "http.h"

#define SRV_PAGE_DEFAULT 200
#define SRV_PAGE_MAX     1000

typedef struct srv_page {
    long per_page;
    int per_page_from_params;
    int64_t after_seq;
    const char *cursor; /* next_page_after as given, or NULL */
} srv_page;

/* per_page (1..1000, default 200) and next_page_after (an id of a record
 * of kind that belongs to the user); 0, or -1 with a 400 in rs. */
int srv_page_parse(srv_req *rq, const char *kind, srv_page *pg, srv_resp *rs);
/* Same, when the listed records may also belong to also_user (system
 * templates and nodes). */
int srv_page_parse2(srv_req *rq, const char *kind, const char *also_user,
                    srv_page *pg, srv_resp *rs);

/* 1 keeps the record. */
typedef int (*srv_filter)(const cJSON *rec, void *ctx);

/* Append up to pg->per_page public copies of the user's records of kind
 * (seq order, after the cursor, passing filter) to arr.  *next_id gets
 * the cursor of the next page (malloc'd) or NULL when there is none. */
srv_db_status srv_list_page(srv_dbc *c, const char *kind, const char *user_id,
                            const srv_page *pg, srv_filter filter, void *fctx,
                            cJSON *arr, char **next_id);
/* Same over the records of two users, merged in seq order. */
srv_db_status srv_list_page2(srv_dbc *c, const char *kind, const char *user_a,
                             const char *user_b, const srv_page *pg,
                             srv_filter filter, void *fctx, cJSON *arr,
                             char **next_id);

/* Adds "meta" (a one-element array: the v-39 CollectionReport plus the
 * v-22 fields and next_page_exists) and "next_page_after" to resp.  Takes
 * ownership of next_id. */
void srv_page_finish(cJSON *resp, const srv_page *pg, int count, char *next_id);

/* Add the empty arrays every item-ish response carries:
 * attachments, thumbnails, associations, associations_to. */
void srv_add_empty_lists(cJSON *resp);

/* Public copy of an item record with slot_ids filled from its slots,
 * whose public copies are appended to slots (may be NULL). */
cJSON *srv_item_render(srv_dbc *c, const char *user_id, const cJSON *item,
                       cJSON *slots);
/* {item, slots, classification_nodes, attachments, thumbnails, ...} */
cJSON *srv_item_response(srv_dbc *c, const char *user_id, const cJSON *item);
/* Append the classification nodes named by ids (system or user's own) to
 * nodes, skipping ids already present. */
void srv_nodes_append(srv_dbc *c, const char *user_id, const cJSON *ids,
                      cJSON *nodes);

/* "My Car" -> "my_car" (lower-case, non-alphanumerics to '_'). */
char *srv_sanitize_name(const char *label);

/* User id of system-owned records (templates, nodes). */
#define SRV_SYSTEM_USER "system"

#endif /* SERVER_VAULT_COMMON_H */
