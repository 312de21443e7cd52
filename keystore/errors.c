/* keystore/errors.c - ks_status messages and mappings. */
#include "keystore.h"

#include "cryppo.h"
#include "internal.h"

static const char *const messages[KS_STATUS_COUNT] = {
    [KS_OK] = "success",
    [KS_ERR_ARGS] = "invalid argument",
    [KS_ERR_NOMEM] = "out of memory",
    [KS_ERR_STORE] = "token database error",
    [KS_ERR_BUSY] = "token database is locked by another process",
    [KS_ERR_CRYPTO] = "cryptographic operation failed",
    [KS_ERR_NOT_INITIALIZED] = "token is not initialized",
    [KS_ERR_PIN_NOT_INITIALIZED] = "user PIN (passphrase) is not initialized",
    [KS_ERR_PIN_INCORRECT] = "PIN incorrect",
    [KS_ERR_NOT_LOGGED_IN] = "not logged in",
    [KS_ERR_WRONG_USER] = "operation not allowed for the logged-in user",
    [KS_ERR_NOT_FOUND] = "no such key",
    [KS_ERR_CORRUPT] = "stored key material does not decrypt",
    [KS_ERR_SECRET] = "Secret Key missing or malformed",
    [KS_ERR_UNSUPPORTED] = "key type or size not supported",
};

const char *ks_strerror(ks_status st)
{
    if ((unsigned)st >= KS_STATUS_COUNT)
        return "unknown keystore status";
    return messages[st];
}

ks_status ks_status_from_store(store_status st)
{
    switch (st) {
    case STORE_OK:
        return KS_OK;
    case STORE_ERR_ARGS:
        return KS_ERR_ARGS;
    case STORE_ERR_NOMEM:
        return KS_ERR_NOMEM;
    case STORE_ERR_NOT_FOUND:
        return KS_ERR_NOT_FOUND;
    case STORE_ERR_BUSY:
        return KS_ERR_BUSY;
    default:
        return KS_ERR_STORE;
    }
}

ks_status ks_from_cryppo(int cryppo_st)
{
    switch ((cryppo_status)cryppo_st) {
    case CRYPPO_OK:
        return KS_OK;
    case CRYPPO_ERR_NOMEM:
        return KS_ERR_NOMEM;
    case CRYPPO_ERR_ARGS:
        return KS_ERR_ARGS;
    case CRYPPO_ERR_SECRET_FORMAT:
        return KS_ERR_SECRET;
    default:
        return KS_ERR_CRYPTO;
    }
}

ks_status ks_from_cryppo_unwrap(int cryppo_st, ks_status wrong_key_status)
{
    switch ((cryppo_status)cryppo_st) {
    case CRYPPO_OK:
        return KS_OK;
    case CRYPPO_ERR_NOMEM:
        return KS_ERR_NOMEM;
    case CRYPPO_ERR_DECRYPT:
        return wrong_key_status;
    default:
        return KS_ERR_CORRUPT;
    }
}
