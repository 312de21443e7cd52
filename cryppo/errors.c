/* cryppo/errors.c - names and messages of cryppo_status values. */
#include "internal.h"

static const struct {
    const char *name;
    const char *message;
} status_table[CRYPPO_STATUS_COUNT] = {
    [CRYPPO_OK] = {"CRYPPO_OK", "success"},
    [CRYPPO_ERR_ARGS] = {"CRYPPO_ERR_ARGS", "invalid argument"},
    [CRYPPO_ERR_NOMEM] = {"CRYPPO_ERR_NOMEM", "out of memory"},
    [CRYPPO_ERR_BASE64] = {"CRYPPO_ERR_BASE64", "bad base64 in a part"},
    [CRYPPO_ERR_BASE58] = {"CRYPPO_ERR_BASE58",
                           "character outside the base58 alphabet"},
    [CRYPPO_ERR_FORMAT] = {"CRYPPO_ERR_FORMAT",
                           "wrong number of parts or an empty part"},
    [CRYPPO_ERR_UNKNOWN_STRATEGY] = {"CRYPPO_ERR_UNKNOWN_STRATEGY",
                                     "encryption strategy not supported"},
    [CRYPPO_ERR_UNKNOWN_KDF] = {"CRYPPO_ERR_UNKNOWN_KDF",
                                "key derivation strategy not supported"},
    [CRYPPO_ERR_ARTEFACTS] = {"CRYPPO_ERR_ARTEFACTS",
                              "artefacts are not valid BSON or YAML"},
    [CRYPPO_ERR_ARTEFACT_VERSION] = {"CRYPPO_ERR_ARTEFACT_VERSION",
                                     "unknown artefact version byte"},
    [CRYPPO_ERR_IV] = {"CRYPPO_ERR_IV", "iv missing or not 12 bytes"},
    [CRYPPO_ERR_TAG] = {"CRYPPO_ERR_TAG",
                        "authentication tag missing or not 16 bytes"},
    [CRYPPO_ERR_KDF_PARAMS] = {"CRYPPO_ERR_KDF_PARAMS",
                               "salt, iterations or length missing or "
                               "out of range"},
    [CRYPPO_ERR_TOO_LARGE] = {"CRYPPO_ERR_TOO_LARGE",
                              "input longer than the format allows"},
    [CRYPPO_ERR_DECRYPT] = {"CRYPPO_ERR_DECRYPT",
                            "decryption failed (wrong key or tampered data)"},
    [CRYPPO_ERR_KEY] = {"CRYPPO_ERR_KEY", "unusable key or unreadable PEM"},
    [CRYPPO_ERR_KEY_TYPE] = {"CRYPPO_ERR_KEY_TYPE",
                             "key is of the wrong kind"},
    [CRYPPO_ERR_SIGNATURE] = {"CRYPPO_ERR_SIGNATURE",
                              "signature does not verify"},
    [CRYPPO_ERR_SECRET_FORMAT] = {"CRYPPO_ERR_SECRET_FORMAT",
                                  "malformed Meeco secret key"},
    [CRYPPO_ERR_CRYPTO] = {"CRYPPO_ERR_CRYPTO",
                           "unexpected OpenSSL failure"},
};

static int status_valid(cryppo_status st)
{
    return (int)st >= 0 && st < CRYPPO_STATUS_COUNT;
}

const char *cryppo_strerror(cryppo_status st)
{
    return status_valid(st) ? status_table[st].message : "unknown status";
}

const char *cryppo_status_name(cryppo_status st)
{
    return status_valid(st) ? status_table[st].name : "CRYPPO_STATUS_UNKNOWN";
}
