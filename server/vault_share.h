/* server/vault_share.h - share records and the recipients' item copies
 * (vault_share_copy.c), used by vault_share_routes.c.
 *
 * A share is stored twice with the same id: kind "share_out" owned by the
 * sender and "share_in" owned by the recipient.  Internal fields:
 * _source_item_id (the sender's item), _copy_item_id (the recipient's
 * copy). */
#ifndef SERVER_VAULT_SHARE_H
#define SERVER_VAULT_SHARE_H

#include <cjson/cJSON.h>

#include "db.h"

/* Create the recipient's copy of item (the sender's record) for share;
 * values = the request's slot_values.  *copy_id malloc'd. */
srv_db_status srv_share_make_copy(srv_dbc *c, const char *sender_id,
                                  const cJSON *item, const cJSON *share,
                                  const cJSON *values, char **copy_id);
/* Replace the copy's slot ciphertext from slot_values (by original id). */
srv_db_status srv_share_update_copy(srv_dbc *c, const cJSON *share,
                                    const cJSON *values);
/* Delete both share records and the recipient's copy. */
srv_db_status srv_share_remove(srv_dbc *c, const cJSON *share);
/* The sender's share_out records whose source is item_id (array). */
cJSON *srv_share_list_for_item(srv_dbc *c, const char *sender_id,
                               const char *item_id);

#endif /* SERVER_VAULT_SHARE_H */
