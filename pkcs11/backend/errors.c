/* pkcs11/backend/errors.c - lower-layer statuses -> CK_RV (tables). */
#include "errors.h"

#include "log.h"

static const CK_RV ks_map[KS_STATUS_COUNT] = {
    [KS_OK] = CKR_OK,
    [KS_ERR_ARGS] = CKR_ARGUMENTS_BAD,
    [KS_ERR_NOMEM] = CKR_HOST_MEMORY,
    [KS_ERR_STORE] = CKR_DEVICE_ERROR,
    [KS_ERR_BUSY] = CKR_DEVICE_ERROR,
    [KS_ERR_CRYPTO] = CKR_FUNCTION_FAILED,
    [KS_ERR_NOT_INITIALIZED] = CKR_TOKEN_NOT_RECOGNIZED,
    [KS_ERR_PIN_NOT_INITIALIZED] = CKR_USER_PIN_NOT_INITIALIZED,
    [KS_ERR_PIN_INCORRECT] = CKR_PIN_INCORRECT,
    [KS_ERR_NOT_LOGGED_IN] = CKR_USER_NOT_LOGGED_IN,
    [KS_ERR_WRONG_USER] = CKR_USER_TYPE_INVALID,
    [KS_ERR_NOT_FOUND] = CKR_OBJECT_HANDLE_INVALID,
    [KS_ERR_CORRUPT] = CKR_DEVICE_ERROR,
    [KS_ERR_SECRET] = CKR_DEVICE_ERROR,
    [KS_ERR_UNSUPPORTED] = CKR_KEY_SIZE_RANGE,
};

static const CK_RV vault_map[VAULT_STATUS_COUNT] = {
    [VAULT_OK] = CKR_OK,
    [VAULT_ERR_ARGS] = CKR_ATTRIBUTE_VALUE_INVALID,
    [VAULT_ERR_NOMEM] = CKR_HOST_MEMORY,
    [VAULT_ERR_STORE] = CKR_DEVICE_ERROR,
    [VAULT_ERR_BUSY] = CKR_DEVICE_ERROR,
    [VAULT_ERR_NOT_FOUND] = CKR_OBJECT_HANDLE_INVALID,
    [VAULT_ERR_EXISTS] = CKR_TEMPLATE_INCONSISTENT,
    [VAULT_ERR_NOT_LOGGED_IN] = CKR_USER_NOT_LOGGED_IN,
    [VAULT_ERR_NOT_INITIALIZED] = CKR_TOKEN_NOT_RECOGNIZED,
    [VAULT_ERR_CRYPTO] = CKR_FUNCTION_FAILED,
    [VAULT_ERR_CORRUPT] = CKR_DEVICE_ERROR,
};

static const CK_RV store_map[STORE_STATUS_COUNT] = {
    [STORE_OK] = CKR_OK,
    [STORE_ERR_ARGS] = CKR_ARGUMENTS_BAD,
    [STORE_ERR_NOMEM] = CKR_HOST_MEMORY,
    [STORE_ERR_IO] = CKR_DEVICE_ERROR,
    [STORE_ERR_NOT_FOUND] = CKR_OBJECT_HANDLE_INVALID,
    [STORE_ERR_EXISTS] = CKR_TEMPLATE_INCONSISTENT,
    [STORE_ERR_BUSY] = CKR_DEVICE_ERROR,
    [STORE_ERR_CORRUPT] = CKR_DEVICE_ERROR,
    [STORE_ERR_VERSION] = CKR_DEVICE_ERROR,
    [STORE_ERR_DB] = CKR_DEVICE_ERROR,
};

static const CK_RV config_map[CONFIG_STATUS_COUNT] = {
    [CONFIG_OK] = CKR_OK,
    [CONFIG_ERR_ARGS] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_NOMEM] = CKR_HOST_MEMORY,
    [CONFIG_ERR_IO] = CKR_DEVICE_ERROR,
    [CONFIG_ERR_SYNTAX] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_UNKNOWN_KEY] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_BAD_VALUE] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_DUPLICATE] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_MISSING] = CKR_ARGUMENTS_BAD,
    [CONFIG_ERR_NO_HOME] = CKR_DEVICE_ERROR,
};

static const CK_RV remote_map[REMOTE_STATUS_COUNT] = {
    [REMOTE_ERR_LOGIN] = CKR_PIN_INCORRECT,
    [REMOTE_ERR_NOMEM] = CKR_HOST_MEMORY,
    [REMOTE_ERR_NOT_FOUND] = CKR_OBJECT_HANDLE_INVALID, /* gone on the server */
};

#define MAP(table, count, st)                                                \
    (((unsigned)(st) < (unsigned)(count) && (st) != 0 && table[(st)] != 0)   \
         ? table[(st)]                                                       \
         : ((st) == 0 ? CKR_OK : CKR_GENERAL_ERROR))

CK_RV p11_rv_from_ks(ks_status st)
{
    if (st != KS_OK)
        LOGD(LOG_AREA_PKCS11, "keystore: %s", ks_strerror(st));
    return MAP(ks_map, KS_STATUS_COUNT, st);
}

CK_RV p11_rv_from_vault(vault_status st)
{
    if (st != VAULT_OK)
        LOGD(LOG_AREA_PKCS11, "vault: %s", vault_strerror(st));
    return MAP(vault_map, VAULT_STATUS_COUNT, st);
}

CK_RV p11_rv_from_store(store_status st)
{
    if (st != STORE_OK)
        LOGD(LOG_AREA_PKCS11, "store: %s", store_strerror(st));
    return MAP(store_map, STORE_STATUS_COUNT, st);
}

CK_RV p11_rv_from_remote(remote_status st)
{
    if (st == REMOTE_OK)
        return CKR_OK;
    LOGD(LOG_AREA_PKCS11, "remote: %s", remote_strerror(st));
    CK_RV rv = (unsigned)st < REMOTE_STATUS_COUNT ? remote_map[st] : 0;
    return rv != 0 ? rv : CKR_DEVICE_ERROR;
}

CK_RV p11_rv_from_config(config_status st)
{
    if (st != CONFIG_OK)
        LOGD(LOG_AREA_PKCS11, "config: %s", config_strerror(st));
    return MAP(config_map, CONFIG_STATUS_COUNT, st);
}
