/* server/vault_share_routes.c - shares (6.6). */
#include "http.h"

#include "vault_items.h"

srv_db_status srv_shares_item_deleted(srv_dbc *c, const char *user_id,
                                      const char *item_id)
{
    (void)c;
    (void)user_id;
    (void)item_id;
    return SRV_DB_OK;
}

const srv_route srv_vault_share_routes[] = {
    {0, NULL, NULL, 0, NULL},
};
