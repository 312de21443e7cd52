/* tools/meeco-token/meeco_token.h - shared by the meeco-token sources. */
#ifndef MEECO_TOKEN_H
#define MEECO_TOKEN_H

#include "config.h"
#include "keystore.h"

/* Command line options (all optional; each command checks its own). */
typedef struct mt_opts {
    const char *config_path;         /* --config */
    const char *token;               /* --token */
    const char *label;               /* --label */
    const char *username;            /* --username */
    const char *passphrase_file;     /* --passphrase-file */
    const char *so_pin_file;         /* --so-pin-file */
    const char *new_passphrase_file; /* --new-passphrase-file */
    const char *item;                /* --item */
    const char *slot;                /* --slot */
    const char *slot_label;          /* --slot-label */
    const char *type;                /* --type */
    const char *value;               /* --value */
    const char *value_file;          /* --value-file */
    const char *output;              /* --output */
    const char *module;              /* --module (uris) */
    const char *keystore_url;        /* --keystore-url (signup) */
    const char *vault_url;           /* --vault-url (signup) */
    const char *server;              /* --server http://host:port (signup) */
    const char *subscription_key;    /* --subscription-key (signup) */
    const char *ca_file;             /* --ca-file (signup) */
    int force;                       /* --force */
    int show_secret;                 /* --show-secret (signup) */
    int values;                      /* --values (items list) */
    const char *args[4];             /* positional words after the command */
    int n_args;
} mt_opts;

/* The token being worked on. */
typedef struct mt_token {
    config *cfg;
    const config_token *tok;
    char *db_path;
    char *config_path; /* file init writes to */
    ks_account *ks;
} mt_token;

/* Load the config file of the options (--config/--conf, else the default
 * path; the built-in default when an explicit file does not exist yet)
 * into *cfg and its path into *path (the caller frees both, even on
 * failure), and pick the --token section, else the first.  0, or -1
 * after printing why unless quiet. */
int mt_token_pick(const mt_opts *o, int quiet, config **cfg, char **path,
                  const config_token **tok);

/* Load the config, pick the token, open its store.  Prints errors. */
int mt_token_open(const mt_opts *o, mt_token *t);
void mt_token_close(mt_token *t);

/* Read a secret: from file (first line), else environment variable env,
 * else prompt on the terminal.  Returns a malloc'd string (secure_free)
 * or NULL (message printed). */
char *mt_secret_read(const char *file, const char *env, const char *prompt);
void mt_secret_free(char *s);

/* Log in as the user with the passphrase (file / MEECO_PASSPHRASE). */
int mt_login(const mt_opts *o, mt_token *t);

int mt_cmd_init(const mt_opts *o);
int mt_cmd_status(const mt_opts *o);
int mt_cmd_list(const mt_opts *o);
int mt_cmd_export(const mt_opts *o);
int mt_cmd_items(const mt_opts *o);
int mt_cmd_passwd(const mt_opts *o);
int mt_cmd_uris(const mt_opts *o);

#endif /* MEECO_TOKEN_H */
