/* server/vault_connection_routes.c - invitations and connections (6.5). */
#include "http.h"

const srv_route srv_vault_connection_routes[] = {
    {0, NULL, NULL, 0, NULL},
};
