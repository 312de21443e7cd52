/* pkcs11/backend/errors.h - the ONE place where the statuses of the
 * lower layers become CK_RV.  Database trouble is CKR_DEVICE_ERROR, a
 * wrong PIN CKR_PIN_INCORRECT, never CKR_GENERAL_ERROR for a known case.
 */
#ifndef PKCS11_BACKEND_ERRORS_H
#define PKCS11_BACKEND_ERRORS_H

#include "config.h"
#include "cryptoki.h"
#include "keystore.h"
#include "remote.h"
#include "vault.h"

CK_RV p11_rv_from_ks(ks_status st);
CK_RV p11_rv_from_vault(vault_status st);
CK_RV p11_rv_from_store(store_status st);
CK_RV p11_rv_from_config(config_status st);
/* A wrong passphrase is CKR_PIN_INCORRECT, a record gone on the server
 * CKR_OBJECT_HANDLE_INVALID, any other server trouble CKR_DEVICE_ERROR. */
CK_RV p11_rv_from_remote(remote_status st);

#endif /* PKCS11_BACKEND_ERRORS_H */
