/* tools/cryppo/cmd_secret.c - Meeco Secret Keys (not in the Node CLI).
 *
 *   cryppo secret -u USERNAME        print a new "1.<username>.<readable>"
 *   cryppo secret -s SECRET          print the PDK (url-safe base64) and
 *                                    the SRP password (hex of its bytes)
 *
 * The passphrase comes from --passphrase, --passphrase-file or the
 * CRYPPO_PASSPHRASE variable; the secret from -s or --secret-file.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SECRET_FILE = 256, OPT_PASSPHRASE, OPT_PASSPHRASE_FILE };

typedef struct secret_opts {
    const char *username;
    char *secret;
    const char *secret_file;
    char *passphrase;
    const char *passphrase_file;
} secret_opts;

/* Returns 0, -1 after --help, or CLI_USAGE. */
static int opts_parse(const cli_command *self, int argc, char **argv,
                      secret_opts *o)
{
    static const struct option table[] = {
        {"username", required_argument, NULL, 'u'},
        {"secret", required_argument, NULL, 's'},
        {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
        {"passphrase", required_argument, NULL, OPT_PASSPHRASE},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "u:s:h", table, NULL)) != -1) {
        switch (c) {
        case 'h':
            cli_help_print(self);
            return -1;
        case 'u':
            o->username = optarg;
            break;
        case 's':
            o->secret = optarg;
            break;
        case OPT_SECRET_FILE:
            o->secret_file = optarg;
            break;
        case OPT_PASSPHRASE:
            o->passphrase = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            o->passphrase_file = optarg;
            break;
        default:
            return cli_option_error(self, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!!o->username + !!o->secret + !!o->secret_file != 1)
        return cli_usage_error(self, "give one of -u/--username (generate) "
                                     "or -s/--secret (derive)");
    return 0;
}

static int generate(const char *username)
{
    char *secret = NULL;
    cryppo_status st = cryppo_secret_generate(username, &secret);
    int rc;

    if (st != CRYPPO_OK)
        return cli_cryppo_error("secret", st);
    rc = cli_stdout_line(secret, strlen(secret)) == 0 ? CLI_OK : CLI_FAIL;
    secure_free(secret, strlen(secret));
    return rc;
}

static int secret_text_get(secret_opts *o, secbuf *text)
{
    if (o->secret)
        return cli_secret_take(o->secret, text);
    if (cli_input_read(o->secret_file, text) != 0)
        return -1;
    cli_trim_end(text);
    return 0;
}

static int derived_print(const uint8_t pdk[32], const secbuf *srp)
{
    static const char hex[] = "0123456789abcdef";
    secbuf line = {NULL, 0};
    char *pdk_text = NULL;
    cryppo_status st = cryppo_b64url_encode(pdk, 32, &pdk_text);
    int rc = CLI_FAIL;

    if (st != CRYPPO_OK)
        return cli_cryppo_error("secret", st);
    if (secbuf_alloc(&line, 14 + srp->len * 2) != 0)
        goto out;
    memcpy(line.p, "srp_password: ", 14);
    for (size_t i = 0; i < srp->len; i++) {
        line.p[14 + 2 * i] = (uint8_t)hex[srp->p[i] >> 4];
        line.p[15 + 2 * i] = (uint8_t)hex[srp->p[i] & 15];
    }
    if (fputs("pdk: ", stdout) != EOF &&
        cli_stdout_line(pdk_text, strlen(pdk_text)) == 0 &&
        cli_stdout_line(line.p, line.len) == 0)
        rc = CLI_OK;
out:
    secure_free(pdk_text, strlen(pdk_text));
    secbuf_free(&line);
    return rc;
}

static int derive(secret_opts *o)
{
    secbuf text = {NULL, 0}, pass = {NULL, 0}, srp = {NULL, 0};
    cryppo_secret secret = {0};
    uint8_t pdk[32];
    cryppo_status st;
    int found, rc = CLI_FAIL;

    if (secret_text_get(o, &text) != 0)
        goto out;
    found = cli_passphrase_get(o->passphrase, o->passphrase_file, &pass);
    if (found <= 0) {
        if (found == 0)
            rc = cli_usage_error(&cli_cmd_secret,
                                 "a passphrase is required "
                                 "(--passphrase, --passphrase-file or "
                                 "CRYPPO_PASSPHRASE)");
        goto out;
    }
    st = cryppo_secret_parse((const char *)text.p, &secret);
    if (st == CRYPPO_OK)
        st = cryppo_secret_derive_pdk(&secret, (const char *)pass.p, pdk);
    if (st == CRYPPO_OK)
        st = cryppo_secret_derive_srp_password(&secret, (const char *)pass.p,
                                               &srp);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("secret", st);
        goto out;
    }
    rc = derived_print(pdk, &srp);
out:
    secure_wipe(pdk, sizeof(pdk));
    cryppo_secret_free(&secret);
    secbuf_free(&srp);
    secbuf_free(&pass);
    secbuf_free(&text);
    return rc;
}

static int secret_run(const cli_command *self, int argc, char **argv)
{
    secret_opts o = {0};
    int rc = opts_parse(self, argc, argv, &o);

    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    if (o.username)
        return generate(o.username);
    return derive(&o);
}

const cli_command cli_cmd_secret = {
    "secret",
    "generate a Meeco Secret Key, or derive its PDK and SRP password",
    "Meeco Secret Keys (version 1).  Not in the Node CLI.\n\n"
    "USAGE\n"
    "  $ cryppo secret -u USERNAME\n"
    "  $ cryppo secret -s SECRET [--passphrase P | --passphrase-file F]\n\n"
    "OPTIONS\n"
    "  -u, --username=USERNAME  print a new secret key for USERNAME\n"
    "  -s, --secret=SECRET      derive from this secret key and print\n"
    "                             pdk: <PDK, url-safe base64>\n"
    "                             srp_password: <SRP password bytes, hex>\n"
    "  --secret-file=FILE       read the secret key from FILE\n"
    "  --passphrase=P           the account passphrase\n"
    "  --passphrase-file=FILE   read the passphrase from FILE\n"
    "  CRYPPO_PASSPHRASE        passphrase when neither flag is given\n",
    secret_run,
};
