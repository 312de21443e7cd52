/* remote/vault_api.h - typed Vault API calls used by sign-up and login
 * (meeco-protocol.md sections 3.5 and 6.1). */
#ifndef REMOTE_VAULT_API_H
#define REMOTE_VAULT_API_H

#include "http.h"

/* POST /me: *enc_token is the Rsa4096 string of the vault token. */
remote_status remote_vault_user_create(remote_http *h, const char *public_pem,
                                       const char *admission, char **enc_token);
/* POST /session for an existing user. */
remote_status remote_vault_session_new(remote_http *h, const char *public_pem,
                                       char **enc_token);
/* GET /me -> user.private_dek_external_id. */
remote_status remote_vault_me_dek_id(remote_http *h, const char *tok,
                                     char **dek_id);
/* PUT /me {user:{private_dek_external_id}}. */
remote_status remote_vault_me_set_dek_id(remote_http *h, const char *tok,
                                         const char *dek_id);
/* POST /items with a label and one key_value slot holding a Cryppo
 * string; *id is the new item's id. */
remote_status remote_vault_item_create(remote_http *h, const char *tok,
                                       const char *label, const char *slot_name,
                                       const char *encrypted_value, char **id);

#endif /* REMOTE_VAULT_API_H */
