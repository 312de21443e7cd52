/* tools/meeco-token/util.c - opening the token, reading secrets, login. */
#include "meeco_token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "secbuf.h"

#define SECRET_MAX 1024

static config_status config_load_opts(const mt_opts *o, config **cfg,
                                      char **path, config_error *err)
{
    if (o->config_path) {
        *path = strdup(o->config_path);
        if (access(o->config_path, F_OK) != 0)
            return config_default(cfg); /* init will create it */
        return config_parse_file(o->config_path, cfg, err);
    }
    *path = config_default_path();
    return config_load(NULL, cfg, err);
}

int mt_token_pick(const mt_opts *o, int quiet, config **cfg, char **path,
                  const config_token **tok)
{
    config_error err = {0};
    config_status cst = config_load_opts(o, cfg, path, &err);

    *tok = NULL;
    if (cst != CONFIG_OK) {
        if (!quiet)
            fprintf(stderr, "meeco-token: configuration: %s (line %d): %s\n",
                    config_strerror(cst), err.line, err.message);
        return -1;
    }
    *tok = o->token ? config_token_find(*cfg, o->token) : &(*cfg)->tokens[0];
    if (!*tok) {
        if (!quiet)
            fprintf(stderr, "meeco-token: no token '%s' in %s\n", o->token,
                    (*cfg)->source);
        return -1;
    }
    return 0;
}

int mt_token_open(const mt_opts *o, mt_token *t)
{
    memset(t, 0, sizeof(*t));
    if (mt_token_pick(o, 0, &t->cfg, &t->config_path, &t->tok) != 0)
        return -1;
    if (t->tok->backend != CONFIG_BACKEND_LOCAL) {
        fprintf(stderr,
                "meeco-token: token '%s' is remote: use status, login, "
                "sync or items\n",
                t->tok->name);
        return -1;
    }
    t->db_path = config_token_db_path(t->cfg, t->tok);
    ks_status st =
        t->db_path ? ks_account_open(t->db_path, &t->ks) : KS_ERR_NOMEM;
    if (st != KS_OK) {
        fprintf(stderr, "meeco-token: cannot open %s: %s\n",
                t->db_path ? t->db_path : "?", ks_strerror(st));
        return -1;
    }
    return 0;
}

void mt_token_close(mt_token *t)
{
    ks_account_close(t->ks);
    config_free(t->cfg);
    free(t->db_path);
    free(t->config_path);
    memset(t, 0, sizeof(*t));
}

void mt_secret_free(char *s)
{
    if (s)
        secure_free(s, strlen(s) + 1);
}

static char *chomp_dup(const char *line)
{
    size_t n = strcspn(line, "\r\n");
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, line, n);
        out[n] = '\0';
    }
    return out;
}

static char *read_first_line(FILE *f)
{
    char buf[SECRET_MAX];
    char *line = fgets(buf, sizeof(buf), f) ? chomp_dup(buf) : NULL;
    secure_wipe(buf, sizeof(buf));
    return line;
}

static char *prompt_tty(const char *prompt)
{
    FILE *tty = fopen("/dev/tty", "r+e");
    if (!tty)
        return NULL;
    struct termios old, quiet;
    int fd = fileno(tty), echo_off = tcgetattr(fd, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    fprintf(tty, "%s: ", prompt);
    fflush(tty);
    char *line = read_first_line(tty);
    if (echo_off)
        tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    return line;
}

char *mt_secret_read(const char *file, const char *env, const char *prompt)
{
    char *s = NULL;
    if (file) {
        FILE *f = fopen(file, "re");
        if (!f) {
            fprintf(stderr, "meeco-token: cannot read %s\n", file);
            return NULL;
        }
        s = read_first_line(f);
        fclose(f);
    } else if (env && secure_getenv(env)) {
        s = strdup(secure_getenv(env));
    } else if (prompt && isatty(STDIN_FILENO)) {
        s = prompt_tty(prompt);
    }
    if (!s || !*s) {
        fprintf(stderr, "meeco-token: no %s given (file option or $%s)\n",
                prompt ? prompt : "secret", env ? env : "?");
        mt_secret_free(s);
        return NULL;
    }
    return s;
}

/* Use the Secret Key from the config when the store has none. */
static void use_config_secret(mt_token *t)
{
    store_account acc;
    if (ks_account_info(t->ks, &acc) != KS_OK)
        return;
    int stored = acc.secret_key != NULL;
    store_account_clear(&acc);
    char *secret = NULL;
    config_error err = {0};
    if (stored)
        return;
    if (config_token_secret(t->tok, &secret, &err) != CONFIG_OK)
        fprintf(stderr, "meeco-token: Secret Key: %s\n", err.message);
    else if (secret && ks_account_set_secret(t->ks, secret) != KS_OK)
        fprintf(stderr,
                "meeco-token: the Secret Key in the config is malformed\n");
    mt_secret_free(secret);
}

int mt_login(const mt_opts *o, mt_token *t)
{
    char *pass =
        mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE", "passphrase");
    if (!pass)
        return -1;
    use_config_secret(t);
    ks_status st = ks_account_login(t->ks, KS_USER_USER, pass);
    mt_secret_free(pass);
    if (st != KS_OK) {
        fprintf(stderr, "meeco-token: login failed: %s\n", ks_strerror(st));
        return -1;
    }
    return 0;
}
