/* vault/internal.h - shared by the .c files of vault/ only. */
#ifndef VAULT_INTERNAL_H
#define VAULT_INTERNAL_H

#include "vault.h"

/* Run fn(a, ctx) inside a write transaction unless one is already open
 * on the account's store (then it just runs). */
typedef vault_status (*vault_tx_fn)(ks_account *a, void *ctx);
vault_status vault_in_tx(ks_account *a, vault_tx_fn fn, void *ctx);

#endif /* VAULT_INTERNAL_H */
