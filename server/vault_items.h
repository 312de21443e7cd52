/* server/vault_items.h - functions the vault route files share: item and
 * slot records, templates and classification nodes, the item-list
 * filter and the share hooks. */
#ifndef SERVER_VAULT_ITEMS_H
#define SERVER_VAULT_ITEMS_H

#include <cjson/cJSON.h>

#include "http.h"

/* vault_item_routes.c */
cJSON *srv_item_new(const char *owner_id, const char *label, const char *name);
/* All slot records of an item (array, seq order). */
cJSON *srv_item_slots_load(srv_dbc *c, const char *user_id,
                           const char *item_id);

/* vault_template_routes.c */
/* Template record by name: the user's own first, then the system's. */
cJSON *srv_template_find(srv_dbc *c, const char *user_id, const char *name);
/* Its slot records (array). */
cJSON *srv_template_slots(srv_dbc *c, const cJSON *tpl);
/* classification_nodes_attributes -> array of node ids, creating user
 * nodes for unknown {name, scheme}; NULL with rs filled on error. */
cJSON *srv_nodes_resolve(srv_dbc *c, const char *user_id, const cJSON *attrs,
                         srv_resp *rs);
/* Insert the default templates and nodes once (idempotent). */
srv_db_status srv_templates_seed(srv_dbc *c);

/* vault_item_filter.c: the query filters of GET /items. */
struct srv_item_filter;
struct srv_item_filter *srv_item_filter_parse(srv_req *rq, srv_resp *rs);
int srv_item_filter_match(const cJSON *item, void *filter);
void srv_item_filter_free(struct srv_item_filter *f);

/* vault_connection_routes.c: the user's connection record whose other
 * side is peer_id, or NULL. */
cJSON *srv_connection_with(srv_dbc *c, const char *user_id,
                           const char *peer_id);

/* vault_share_routes.c: an owned item was deleted: remove its shares and
 * the recipients' copies. */
srv_db_status srv_shares_item_deleted(srv_dbc *c, const char *user_id,
                                      const char *item_id);

/* vault_task_routes.c: queue an update_item_shares task when an item
 * with outgoing shares changed. */
srv_db_status srv_tasks_item_changed(srv_dbc *c, const char *user_id,
                                     const char *item_id);

#endif /* SERVER_VAULT_ITEMS_H */
