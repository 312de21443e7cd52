/* vault/errors.c - vault_status messages and mappings, name sanitizing. */
#include "vault.h"

#include <stdlib.h>
#include <string.h>

static const char *const messages[VAULT_STATUS_COUNT] = {
    [VAULT_OK] = "success",
    [VAULT_ERR_ARGS] = "invalid argument",
    [VAULT_ERR_NOMEM] = "out of memory",
    [VAULT_ERR_STORE] = "token database error",
    [VAULT_ERR_BUSY] = "token database is locked by another process",
    [VAULT_ERR_NOT_FOUND] = "no such item or slot",
    [VAULT_ERR_EXISTS] = "a slot with this name already exists in the item",
    [VAULT_ERR_NOT_LOGGED_IN] = "not logged in",
    [VAULT_ERR_NOT_INITIALIZED] = "token is not initialized",
    [VAULT_ERR_CRYPTO] = "encryption failed",
    [VAULT_ERR_CORRUPT] = "stored value does not decrypt",
};

const char *vault_strerror(vault_status st)
{
    if ((unsigned)st >= VAULT_STATUS_COUNT)
        return "unknown vault status";
    return messages[st];
}

vault_status vault_status_from_store(store_status st)
{
    switch (st) {
    case STORE_OK:
        return VAULT_OK;
    case STORE_ERR_ARGS:
        return VAULT_ERR_ARGS;
    case STORE_ERR_NOMEM:
        return VAULT_ERR_NOMEM;
    case STORE_ERR_NOT_FOUND:
        return VAULT_ERR_NOT_FOUND;
    case STORE_ERR_EXISTS:
        return VAULT_ERR_EXISTS;
    case STORE_ERR_BUSY:
        return VAULT_ERR_BUSY;
    default:
        return VAULT_ERR_STORE;
    }
}

vault_status vault_status_from_ks(ks_status st)
{
    switch (st) {
    case KS_OK:
        return VAULT_OK;
    case KS_ERR_ARGS:
        return VAULT_ERR_ARGS;
    case KS_ERR_NOMEM:
        return VAULT_ERR_NOMEM;
    case KS_ERR_BUSY:
        return VAULT_ERR_BUSY;
    case KS_ERR_NOT_FOUND:
        return VAULT_ERR_NOT_FOUND;
    case KS_ERR_NOT_LOGGED_IN:
        return VAULT_ERR_NOT_LOGGED_IN;
    case KS_ERR_NOT_INITIALIZED:
    case KS_ERR_PIN_NOT_INITIALIZED:
        return VAULT_ERR_NOT_INITIALIZED;
    case KS_ERR_CORRUPT:
        return VAULT_ERR_CORRUPT;
    case KS_ERR_CRYPTO:
        return VAULT_ERR_CRYPTO;
    default:
        return VAULT_ERR_STORE;
    }
}

char *vault_name_sanitize(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > VAULT_NAME_MAX)
        return NULL;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[i] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
    }
    out[len] = '\0';
    return out;
}
