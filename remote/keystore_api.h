/* remote/keystore_api.h - typed Keystore API calls used by sign-up and
 * login (meeco-protocol.md section 5).  Strings returned through char **
 * are malloc'd (free); wrapped keys are Cryppo strings. */
#ifndef REMOTE_KEYSTORE_API_H
#define REMOTE_KEYSTORE_API_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

/* Call and duplicate the string at a dotted path of the answer. */
remote_status remote_api_call_str(remote_http *h, remote_api api,
                                  const char *method, const char *path,
                                  const char *token, cJSON *body,
                                  const char *field, char **out);

remote_status remote_ks_username_new(remote_http *h, char **username);
remote_status remote_ks_srp_register(remote_http *h, const char *username,
                                     const uint8_t *pw, size_t pw_len);
/* Challenge + session; a refused proof (HTTP 401) is REMOTE_ERR_LOGIN. */
remote_status remote_ks_srp_login(remote_http *h, const char *username,
                                  const uint8_t *pw, size_t pw_len,
                                  secbuf *token);
remote_status remote_ks_admission_get(remote_http *h, const char *tok,
                                      char **vault_admission);
remote_status remote_ks_kek_create(remote_http *h, const char *tok,
                                   const char *wrapped);
remote_status remote_ks_kek_get(remote_http *h, const char *tok,
                                char **wrapped);
remote_status remote_ks_keypair_create(remote_http *h, const char *tok,
                                       const char *public_pem,
                                       const char *wrapped_private,
                                       const char *external_id, char **id);
remote_status remote_ks_keypair_by_external(remote_http *h, const char *tok,
                                            const char *external_id,
                                            cJSON **keypair);
remote_status remote_ks_dek_create(remote_http *h, const char *tok,
                                   const char *wrapped, char **id);
remote_status remote_ks_dek_get(remote_http *h, const char *tok, const char *id,
                                char **wrapped);

#endif /* REMOTE_KEYSTORE_API_H */
