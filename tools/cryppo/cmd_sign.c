/* tools/cryppo/cmd_sign.c - sign and verify.
 *
 *   cryppo sign DESTINATION FILE -p PRIVATE.pem
 *   cryppo verify DESTINATION FILE -P PUBLIC.pem
 *
 * DESTINATION comes first, as in the Node CLI's usage line and code (its
 * README examples have the order reversed).
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

typedef struct sign_opts {
    const char *key_file;
    const char *destination;
    const char *file;
} sign_opts;

/* Returns 0, -1 after --help, or CLI_USAGE. */
static int opts_parse(const cli_command *self, int argc, char **argv,
                      int verify, sign_opts *o)
{
    static const struct option sign_table[] = {
        {"privateKeyFile", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const struct option verify_table[] = {
        {"publicKeyFile", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, key_opt = verify ? 'P' : 'p';

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, verify ? "P:h" : "p:h",
                            verify ? verify_table : sign_table, NULL)) != -1) {
        if (c == 'h') {
            cli_help_print(self);
            return -1;
        }
        if (c != key_opt)
            return cli_option_error(self, argv);
        o->key_file = optarg;
    }
    if (argc - optind != 2)
        return cli_usage_error(self, "expected DESTINATION and FILE");
    o->destination = argv[optind];
    o->file = argv[optind + 1];
    if (!o->key_file)
        return cli_usage_error(self, verify
                                         ? "-P/--publicKeyFile is required"
                                         : "-p/--privateKeyFile is required");
    return 0;
}

static int sign_run(const cli_command *self, int argc, char **argv)
{
    sign_opts o = {0};
    EVP_PKEY *key = NULL;
    secbuf data = {NULL, 0};
    char *serialized = NULL;
    cryppo_status st;
    int rc = opts_parse(self, argc, argv, 0, &o);

    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    rc = CLI_FAIL;
    if (cli_private_key_load(o.key_file, &key) != 0 ||
        cli_input_read(o.file, &data) != 0)
        goto out;
    st = cryppo_sign(key, data.p, data.len, &serialized);
    if (st != CRYPPO_OK) {
        if (st == CRYPPO_ERR_TOO_LARGE)
            cli_error("sign: %s holds %zu bytes; at most %d can be signed",
                      o.file, data.len, CRYPPO_SIGN_MAX_DATA);
        else
            cli_cryppo_error("sign", st);
        goto out;
    }
    if (cli_output_write(o.destination, serialized, strlen(serialized), 0644))
        goto out;
    puts("Signed contents written");
    rc = CLI_OK;
out:
    free(serialized);
    secbuf_free(&data);
    EVP_PKEY_free(key);
    return rc;
}

const cli_command cli_cmd_sign = {
    "sign",
    "sign a file's contents with a private key",
    "Sign the bytes of FILE (RSASSA-PKCS1-v1_5, SHA-256) and write\n"
    "Sign.Rsa4096.<signature>.<data> to DESTINATION.\n\n"
    "USAGE\n  $ cryppo sign DESTINATION FILE -p PRIVATE_KEY_FILE\n\n"
    "ARGUMENTS\n"
    "  DESTINATION  file to write the signed contents to\n"
    "  FILE         file whose contents are signed (at most 512 bytes)\n\n"
    "OPTIONS\n"
    "  -p, --privateKeyFile=privateKeyFile  (required) private key PEM file\n",
    sign_run,
};

static int verify_run(const cli_command *self, int argc, char **argv)
{
    sign_opts o = {0};
    EVP_PKEY *key = NULL;
    secbuf in = {NULL, 0}, data = {NULL, 0};
    cryppo_status st;
    int rc = opts_parse(self, argc, argv, 1, &o);

    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    rc = CLI_FAIL;
    if (cli_public_key_load(o.key_file, &key) != 0 ||
        cli_input_read(o.file, &in) != 0)
        goto out;
    cli_trim_end(&in);
    if (memchr(in.p, '\0', in.len) != NULL) {
        cli_error("verify: %s is not a serialized signature", o.file);
        goto out;
    }
    st = cryppo_verify(key, (const char *)in.p, &data);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("verify", st);
        goto out;
    }
    if (cli_output_write(o.destination, data.p, data.len, 0644) != 0)
        goto out;
    puts("Verified contents written");
    rc = CLI_OK;
out:
    secbuf_free(&data);
    secbuf_free(&in);
    EVP_PKEY_free(key);
    return rc;
}

const cli_command cli_cmd_verify = {
    "verify",
    "verify a signed file with a public key",
    "Verify a file written by `cryppo sign` and write the signed data to\n"
    "DESTINATION.  Exits non-zero (and writes nothing) if it does not\n"
    "verify.\n\n"
    "USAGE\n  $ cryppo verify DESTINATION FILE -P PUBLIC_KEY_FILE\n\n"
    "ARGUMENTS\n"
    "  DESTINATION  file to write the verified data to\n"
    "  FILE         file holding Sign.Rsa4096.<signature>.<data>\n\n"
    "OPTIONS\n"
    "  -P, --publicKeyFile=publicKeyFile  (required) public key PEM file\n",
    verify_run,
};
