/* tools/cryppo/cmd_keys.c - genkey and genkeypair. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* ---- genkey --------------------------------------------------------- */

static int genkey_run(const cli_command *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"length", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint8_t key[CRYPPO_AES_KEY_LEN];
    char *text = NULL, *end;
    long bits = 256;
    cryppo_status st;
    int c, rc = CLI_FAIL;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help_print(self);
            return CLI_OK;
        }
        if (c != 'l')
            return cli_option_error(self, argv);
        bits = strtol(optarg, &end, 10);
        if (*end != '\0')
            bits = -1;
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (bits != 128 && bits != 192 && bits != 256)
        return cli_usage_error(self, "--length must be 128, 192 or 256");

    st = cryppo_random(key, (size_t)bits / 8);
    if (st == CRYPPO_OK)
        st = cryppo_b64url_encode(key, (size_t)bits / 8, &text);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("genkey", st);
        goto out;
    }
    if (cli_stdout_line(text, strlen(text)) == 0)
        rc = CLI_OK;
out:
    secure_wipe(key, sizeof(key));
    if (text)
        secure_free(text, strlen(text));
    return rc;
}

const cli_command cli_cmd_genkey = {
    "genkey",
    "generate a new AES key (url-safe base64)",
    "Generate a random AES key and print it as padded url-safe base64.\n\n"
    "USAGE\n  $ cryppo genkey [-l 128|192|256]\n\n"
    "OPTIONS\n"
    "  -l, --length=length  [default: 256] key length in bits\n\n"
    "Only 256-bit keys (Aes256Gcm) can be used by `cryppo encrypt`.\n",
    genkey_run,
};

/* ---- genkeypair ----------------------------------------------------- */

typedef struct keypair_opts {
    const char *private_out;
    const char *public_out;
    int bits;
} keypair_opts;

static int keypair_opts_parse(const cli_command *self, int argc, char **argv,
                              keypair_opts *o)
{
    static const struct option opts[] = {
        {"privateKeyOut", required_argument, NULL, 'p'},
        {"publicKeyOut", required_argument, NULL, 'P'},
        {"bits", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    long bits;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "p:P:b:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            cli_help_print(self);
            return -1;
        case 'p':
            o->private_out = optarg;
            break;
        case 'P':
            o->public_out = optarg;
            break;
        case 'b':
            bits = strtol(optarg, &end, 10);
            o->bits =
                (*end == '\0' && bits > 0 && bits <= 16384) ? (int)bits : -1;
            break;
        default:
            return cli_option_error(self, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!o->private_out || !o->public_out)
        return cli_usage_error(self, "-p/--privateKeyOut and "
                                     "-P/--publicKeyOut are required");
    if (o->bits < 2048 || o->bits > 8192)
        return cli_usage_error(self, "--bits must be 2048..8192");
    return 0;
}

static int genkeypair_run(const cli_command *self, int argc, char **argv)
{
    keypair_opts o = {NULL, NULL, 4096};
    EVP_PKEY *key = NULL;
    secbuf priv = {NULL, 0};
    char *pub = NULL;
    cryppo_status st;
    int rc;

    rc = keypair_opts_parse(self, argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    rc = CLI_FAIL;
    st = cryppo_rsa_generate(o.bits, &key);
    if (st == CRYPPO_OK)
        st = cryppo_rsa_private_to_pem(key, &priv);
    if (st == CRYPPO_OK)
        st = cryppo_rsa_public_to_pem(key, &pub);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("genkeypair", st);
        goto out;
    }
    if (cli_output_write(o.private_out, priv.p, priv.len, 0600) != 0 ||
        cli_output_write(o.public_out, pub, strlen(pub), 0644) != 0)
        goto out;
    rc = CLI_OK;
out:
    EVP_PKEY_free(key);
    secbuf_free(&priv);
    free(pub);
    return rc;
}

const cli_command cli_cmd_genkeypair = {
    "genkeypair",
    "generate a new RSA key pair (PEM files)",
    "Generate an RSA key pair and write it as PEM files (private key PKCS#1\n"
    "\"RSA PRIVATE KEY\", mode 0600; public key SPKI \"PUBLIC KEY\").\n\n"
    "USAGE\n  $ cryppo genkeypair -p FILE -P FILE [-b BITS]\n\n"
    "OPTIONS\n"
    "  -P, --publicKeyOut=publicKeyOut    (required) public key file\n"
    "  -b, --bits=bits                    [default: 4096] key size\n"
    "  -p, --privateKeyOut=privateKeyOut  (required) private key file\n",
    genkeypair_run,
};
