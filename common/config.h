/* common/config.h - the token configuration file.
 *
 *   # comment (also ';')
 *   data_dir = /var/lib/meeco-pkcs11       # global keys before any section
 *
 *   [token personal]
 *   backend  = local                       # local | remote
 *   label    = Personal
 *   secret_key = 1.local-....              # written by `meeco-token init`
 *
 *   [token work]
 *   backend  = remote
 *   keystore_url = https://sandbox.meeco.me/keystore
 *   vault_url    = https://sandbox.meeco.me/vault
 *   subscription_key = ...
 *
 * key = value lines; values may be "double quoted" (then \" \\ \n
 * escapes); trailing comments after unquoted values need a space before
 * '#'.  Every key is checked against a typed table {name, type, default}
 * (docs/STORE.md lists it): unknown keys, values of the wrong type,
 * duplicate keys, duplicate token names and keys outside their section
 * are errors that carry the line number.
 *
 * Where the configuration comes from (config_load):
 *   1. the C_Initialize pReserved string, when not NULL: a config text
 *      if it contains '=' or '[' (lines separated by newlines, or by a
 *      literal backslash-n when the text has no real newline, for
 *      p11-kit's one-line x-init-reserved), otherwise a file path;
 *   2. else the file named by $MEECO_PKCS11_CONF (secure_getenv);
 *   3. else $XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf (default
 *      ~/.config/...) when that file exists;
 *   4. else the built-in default: one local token named "default" stored
 *      under $XDG_DATA_HOME/meeco-pkcs11 (default ~/.local/share/...).
 *
 * A token's database is db_path if set, else <data_dir>/<name>.sqlite3,
 * where data_dir defaults to the global data_dir, else the XDG folder.
 */
#ifndef COMMON_CONFIG_H
#define COMMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_DEFAULT_TOKEN "default"
#define CONFIG_FILE_NAME     "meeco-pkcs11.conf"
#define CONFIG_APP_DIR       "meeco-pkcs11"
#define CONFIG_MAX_TOKENS    32

typedef enum config_status {
    CONFIG_OK = 0,
    CONFIG_ERR_ARGS,
    CONFIG_ERR_NOMEM,
    CONFIG_ERR_IO,          /* file cannot be read / written */
    CONFIG_ERR_SYNTAX,      /* not "key = value", bad section, bad quoting */
    CONFIG_ERR_UNKNOWN_KEY, /* key not in the table (or wrong section) */
    CONFIG_ERR_BAD_VALUE,   /* value does not fit the key's type */
    CONFIG_ERR_DUPLICATE,   /* key given twice, or two tokens with one name */
    CONFIG_ERR_MISSING,     /* required key absent (remote without URLs) */
    CONFIG_ERR_NO_HOME,     /* neither XDG_* nor HOME set */
    CONFIG_STATUS_COUNT
} config_status;

const char *config_strerror(config_status st);

/* Where parsing stopped: line number (1-based, 0 = not line related) and
 * a message naming the key/value. */
typedef struct config_error {
    int line;
    char message[256];
} config_error;

typedef enum config_backend {
    CONFIG_BACKEND_LOCAL = 0,
    CONFIG_BACKEND_REMOTE,
} config_backend;

typedef struct config_token {
    char *name;             /* section name, [A-Za-z0-9_.-]+ */
    config_backend backend; /* backend (default local) */
    char *label;            /* token label (default: name) */
    char *data_dir;         /* folder of the database (see above) */
    char *db_path;          /* explicit database file (overrides data_dir) */
    char *secret_key;       /* Meeco Secret Key (mode-0600 files only!) */
    char *secret_key_file;  /* file holding the Secret Key */
    char *keystore_url;     /* remote: Keystore base URL */
    char *vault_url;        /* remote: Vault base URL */
    char *subscription_key; /* remote: Meeco-Subscription-Key */
    char *ca_file;          /* remote: CA bundle for TLS */
    int refresh_interval;   /* remote: seconds between syncs (default 300) */
    int timeout;            /* remote: HTTP timeout seconds (default 30) */
    bool read_only;         /* expose the token write-protected */
} config_token;

typedef struct config {
    char *source;   /* file path, "<string>" or "<default>" */
    char *data_dir; /* global data_dir (resolved default) */
    config_token *tokens;
    size_t n_tokens;
} config;

/* Parse a file.  *out is NULL on error; err (may be NULL) says where. */
config_status config_parse_file(const char *path, config **out,
                                config_error *err);
/* Parse text; origin names it in messages (may be NULL). */
config_status config_parse_string(const char *text, const char *origin,
                                  config **out, config_error *err);
/* The built-in default: one local token "default" in the XDG data dir. */
config_status config_default(config **out);
/* Resolve per the order above.  reserved = C_Initialize pReserved or NULL. */
config_status config_load(const char *reserved, config **out,
                          config_error *err);
void config_free(config *c);

/* Token by name, or NULL. */
const config_token *config_token_find(const config *c, const char *name);
/* The token's database path (malloc'd; creates nothing). */
char *config_token_db_path(const config *c, const config_token *t);

/* The token's Secret Key: secret_key, else the first line of
 * secret_key_file (which must not be readable by group/others).
 * *secret is NULL (and CONFIG_OK) when neither is set; otherwise a
 * malloc'd string to release with secure_free(p, strlen(p) + 1). */
config_status config_token_secret(const config_token *t, char **secret,
                                  config_error *err);

/* $XDG_DATA_HOME/meeco-pkcs11 or ~/.local/share/meeco-pkcs11 (malloc'd). */
char *config_default_data_dir(void);
/* The file config_load would read from the environment ($MEECO_PKCS11_CONF
 * or the XDG config file), whether it exists or not (malloc'd). */
char *config_default_path(void);

/* Set key = value in section [token NAME] of the file at path, keeping
 * every other line; creates the file (and its folder, 0700) and the
 * section when missing.  The file is rewritten atomically with mode
 * 0600 (it may hold a Secret Key).  The key must be in the table and the
 * value valid for it. */
config_status config_file_set(const char *path, const char *token,
                              const char *key, const char *value,
                              config_error *err);

#endif /* COMMON_CONFIG_H */
