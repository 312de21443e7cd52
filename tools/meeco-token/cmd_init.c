/* tools/meeco-token/cmd_init.c - `meeco-token init`: a new local account. */
#include "meeco_token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vault.h"

static int refuse_reinit(const mt_opts *o, mt_token *t)
{
    ks_state state;
    ks_status st = ks_account_state(t->ks, &state);
    if (st != KS_OK) {
        fprintf(stderr, "meeco-token: %s\n", ks_strerror(st));
        return -1;
    }
    if (state != KS_STATE_EMPTY && !o->force) {
        fprintf(stderr,
                "meeco-token: token '%s' is already initialized (%s);\n"
                "  --force re-initializes it (erases everything; needs the SO "
                "PIN)\n",
                t->tok->name, t->db_path);
        return -1;
    }
    return 0;
}

/* Record the Secret Key (and label) in the token's config file. */
static int save_config(const mt_opts *o, mt_token *t, const char *secret)
{
    config_error err = {0};
    if (!t->config_path) {
        fprintf(
            stderr,
            "meeco-token: no config file location (set HOME or --config)\n");
        return -1;
    }
    config_status st = config_file_set(t->config_path, t->tok->name,
                                       "secret_key", secret, &err);
    if (st == CONFIG_OK && o->label)
        st = config_file_set(t->config_path, t->tok->name, "label", o->label,
                             &err);
    if (st != CONFIG_OK) {
        fprintf(stderr, "meeco-token: cannot update %s: %s: %s\n",
                t->config_path, config_strerror(st), err.message);
        return -1;
    }
    fprintf(stderr, "meeco-token: Secret Key saved in %s (mode 0600)\n",
            t->config_path);
    return 0;
}

static int create(const mt_opts *o, mt_token *t, const char *pass,
                  const char *so_pin)
{
    char *secret = NULL;
    const char *label = o->label ? o->label : t->tok->label;
    ks_status st =
        ks_account_create(t->ks, label, pass, so_pin, o->username, &secret);
    if (st != KS_OK) {
        fprintf(stderr, "meeco-token: init failed: %s\n", ks_strerror(st));
        return 1;
    }
    vault_status vst = vault_seed_defaults(ks_account_store(t->ks));
    if (vst != VAULT_OK)
        fprintf(stderr, "meeco-token: templates: %s\n", vault_strerror(vst));
    fprintf(stderr,
            "meeco-token: token '%s' initialized in %s\n"
            "Your Secret Key (shown once; keep a copy somewhere safe):\n",
            t->tok->name, t->db_path);
    printf("%s\n", secret);
    fflush(stdout);
    int rc = save_config(o, t, secret) == 0 ? 0 : 1;
    mt_secret_free(secret);
    return rc;
}

int mt_cmd_init(const mt_opts *o)
{
    mt_token t;
    if (mt_token_open(o, &t) != 0 || refuse_reinit(o, &t) != 0) {
        mt_token_close(&t);
        return 1;
    }
    char *pass =
        mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE", "passphrase");
    char *so_pin = NULL;
    int rc = 1;
    if (!pass)
        goto out;
    if (o->so_pin_file || secure_getenv("MEECO_SO_PIN"))
        so_pin = mt_secret_read(o->so_pin_file, "MEECO_SO_PIN", "SO PIN");
    else
        fprintf(stderr, "meeco-token: no SO PIN given: the passphrase is also "
                        "the SO PIN\n");
    if ((o->so_pin_file || secure_getenv("MEECO_SO_PIN")) && !so_pin)
        goto out;
    rc = create(o, &t, pass, so_pin ? so_pin : pass);
out:
    mt_secret_free(pass);
    mt_secret_free(so_pin);
    mt_token_close(&t);
    return rc;
}
