/* tools/cryppo/cmd_crypt.c - encrypt and decrypt.
 *
 * The Node CLI takes the value on the command line (-v / -s) and a key
 * (-k), a public key (-P, encrypt) or a private key (-p, decrypt).  We add
 * binary-safe input (-v - / -s - for stdin, --in FILE), binary-safe output
 * (--out FILE, --out - for raw stdout) and passphrase encryption
 * (--passphrase, --passphrase-file or CRYPPO_PASSPHRASE: Pbkdf2Hmac 5-part
 * strings).  Without --out the result is printed followed by a newline, as
 * the Node CLI does.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

enum {
    OPT_IN = 256,
    OPT_OUT,
    OPT_KEY_FILE,
    OPT_PASSPHRASE,
    OPT_PASSPHRASE_FILE,
};

typedef struct crypt_opts {
    char *value;          /* -v (encrypt) / -s (decrypt); "-" = stdin */
    const char *in;       /* --in FILE */
    const char *out;      /* --out FILE */
    char *key;            /* -k */
    const char *key_file; /* --key-file */
    const char *rsa_file; /* -P (encrypt) / -p (decrypt) */
    char *passphrase;     /* --passphrase */
    const char *passphrase_file;
} crypt_opts;

typedef enum crypt_mode { MODE_KEY, MODE_RSA, MODE_PASSPHRASE } crypt_mode;

typedef struct crypt_material {
    crypt_mode mode;
    uint8_t key[CRYPPO_AES_KEY_LEN];
    EVP_PKEY *rsa;
    secbuf passphrase;
} crypt_material;

static const struct option encrypt_opts[] = {
    {"value", required_argument, NULL, 'v'},
    {"key", required_argument, NULL, 'k'},
    {"publicKeyFile", required_argument, NULL, 'P'},
    {"in", required_argument, NULL, OPT_IN},
    {"out", required_argument, NULL, OPT_OUT},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"passphrase", required_argument, NULL, OPT_PASSPHRASE},
    {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option decrypt_opts[] = {
    {"serialized", required_argument, NULL, 's'},
    {"key", required_argument, NULL, 'k'},
    {"privateKeyFile", required_argument, NULL, 'p'},
    {"in", required_argument, NULL, OPT_IN},
    {"out", required_argument, NULL, OPT_OUT},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"passphrase", required_argument, NULL, OPT_PASSPHRASE},
    {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Returns 0, -1 after --help, or CLI_USAGE. */
static int opts_parse(const cli_command *self, int argc, char **argv,
                      int decrypt, crypt_opts *o)
{
    const struct option *table = decrypt ? decrypt_opts : encrypt_opts;
    const char *shorts = decrypt ? "s:k:p:h" : "v:k:P:h";
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, table, NULL)) != -1) {
        switch (c) {
        case 'h':
            cli_help_print(self);
            return -1;
        case 'v': /* fall through */
        case 's':
            o->value = optarg;
            break;
        case 'k':
            o->key = optarg;
            break;
        case 'P': /* fall through */
        case 'p':
            o->rsa_file = optarg;
            break;
        case OPT_IN:
            o->in = optarg;
            break;
        case OPT_OUT:
            o->out = optarg;
            break;
        case OPT_KEY_FILE:
            o->key_file = optarg;
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
    if (!o->value == !o->in)
        return cli_usage_error(
            self, decrypt ? "give the value with one of -s/--serialized or --in"
                          : "give the value with one of -v/--value or --in");
    return 0;
}

static int input_get(crypt_opts *o, secbuf *in)
{
    if (o->in)
        return cli_input_read(o->in, in);
    if (strcmp(o->value, "-") == 0)
        return cli_input_read("-", in);
    return cli_secret_take(o->value, in);
}

static int key_load(crypt_opts *o, uint8_t key[CRYPPO_AES_KEY_LEN])
{
    secbuf text = {NULL, 0};
    int rc;

    if (o->key)
        rc = cli_secret_take(o->key, &text);
    else
        rc = cli_input_read(o->key_file, &text);
    if (rc == 0) {
        cli_trim_end(&text);
        rc = cli_aes_key_decode(&text, key);
    }
    secbuf_free(&text);
    return rc;
}

/* Pick exactly one of key / RSA key / passphrase and load it. */
static int material_load(const cli_command *self, crypt_opts *o, int decrypt,
                         crypt_material *m)
{
    int have_key = o->key || o->key_file;
    int have_pass = o->passphrase || o->passphrase_file;
    int found;

    if (have_key + !!o->rsa_file + have_pass > 1 || (o->key && o->key_file))
        return cli_usage_error(self,
                               "give only one key: -k/--key, %s or "
                               "--passphrase",
                               decrypt ? "-p/--privateKeyFile"
                                       : "-P/--publicKeyFile");
    if (have_key) {
        m->mode = MODE_KEY;
        return key_load(o, m->key) == 0 ? CLI_OK : CLI_FAIL;
    }
    if (o->rsa_file) {
        m->mode = MODE_RSA;
        return (decrypt ? cli_private_key_load(o->rsa_file, &m->rsa)
                        : cli_public_key_load(o->rsa_file, &m->rsa)) == 0
                   ? CLI_OK
                   : CLI_FAIL;
    }
    m->mode = MODE_PASSPHRASE;
    found =
        cli_passphrase_get(o->passphrase, o->passphrase_file, &m->passphrase);
    if (found < 0)
        return CLI_FAIL;
    if (found == 0)
        return cli_usage_error(self,
                               "a key is required: -k/--key, %s or "
                               "--passphrase",
                               decrypt ? "-p/--privateKeyFile"
                                       : "-P/--publicKeyFile");
    return CLI_OK;
}

static void material_free(crypt_material *m)
{
    secure_wipe(m->key, sizeof(m->key));
    EVP_PKEY_free(m->rsa);
    m->rsa = NULL;
    secbuf_free(&m->passphrase);
}

/* Shared front half: options, key material, input.  Returns CLI_OK or
 * the exit code (-1 from --help becomes CLI_OK with *done set). */
static int crypt_prepare(const cli_command *self, int argc, char **argv,
                         int decrypt, crypt_opts *o, crypt_material *m,
                         secbuf *in, int *done)
{
    int rc = opts_parse(self, argc, argv, decrypt, o);

    *done = rc != 0;
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    rc = material_load(self, o, decrypt, m);
    *done = rc != CLI_OK;
    if (rc != CLI_OK)
        return rc;
    *done = input_get(o, in) != 0;
    return *done ? CLI_FAIL : CLI_OK;
}

/* ---- encrypt -------------------------------------------------------- */

static cryppo_status encrypt_value(const crypt_material *m, const secbuf *in,
                                   char **serialized)
{
    switch (m->mode) {
    case MODE_KEY:
        return cryppo_aes_encrypt(m->key, in->p, in->len, serialized);
    case MODE_RSA:
        return cryppo_rsa_encrypt(m->rsa, in->p, in->len, serialized);
    case MODE_PASSPHRASE:
        return cryppo_passphrase_encrypt((const char *)m->passphrase.p, in->p,
                                         in->len, serialized);
    }
    return CRYPPO_ERR_ARGS;
}

static int encrypt_run(const cli_command *self, int argc, char **argv)
{
    crypt_opts o = {0};
    crypt_material m = {0};
    secbuf in = {NULL, 0};
    char *serialized = NULL;
    cryppo_status st;
    int done, rc;

    rc = crypt_prepare(self, argc, argv, 0, &o, &m, &in, &done);
    if (done)
        goto out;
    rc = CLI_FAIL;
    st = encrypt_value(&m, &in, &serialized);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("encrypt", st);
        goto out;
    }
    if (o.out ? cli_output_write(o.out, serialized, strlen(serialized), 0644)
              : cli_stdout_line(serialized, strlen(serialized)))
        goto out;
    rc = CLI_OK;
out:
    free(serialized);
    secbuf_free(&in);
    material_free(&m);
    return rc;
}

const cli_command cli_cmd_encrypt = {
    "encrypt",
    "encrypt a value with a key, a public key or a passphrase",
    "Encrypt a value and print its serialized form (Aes256Gcm.…, Rsa4096.…\n"
    "or, with a passphrase, Aes256Gcm.….Pbkdf2Hmac.…).\n\n"
    "USAGE\n  $ cryppo encrypt -v VALUE (-k KEY | -P FILE | --passphrase P)\n\n"
    "OPTIONS\n"
    "  -P, --publicKeyFile=publicKeyFile  public key PEM file (RSA-OAEP)\n"
    "  -k, --key=key                      AES-256 key (url-safe base64)\n"
    "  -v, --value=value                  value to encrypt ('-' = stdin)\n\n"
    "ADDITIONS (not in the Node CLI)\n"
    "  --in=FILE                 read the value from FILE (binary-safe)\n"
    "  --out=FILE                write the result to FILE ('-' = stdout,\n"
    "                            no newline)\n"
    "  --key-file=FILE           read the AES key from FILE\n"
    "  --passphrase=PASSPHRASE   derive the key with PBKDF2 (Pbkdf2Hmac)\n"
    "  --passphrase-file=FILE    read the passphrase from FILE\n"
    "  CRYPPO_PASSPHRASE         passphrase when no key flag is given\n",
    encrypt_run,
};

/* ---- decrypt -------------------------------------------------------- */

static int unsupported_aes(const secbuf *in)
{
    static const char *const names[] = {"Aes128Gcm.", "Aes192Gcm."};

    for (size_t i = 0; i < 2; i++) {
        if (in->len >= 10 && memcmp(in->p, names[i], 10) == 0) {
            cli_error("decrypt: %.9s (%.3s-bit AES) is not supported; only "
                      "Aes256Gcm",
                      names[i], names[i] + 3);
            return 1;
        }
    }
    return 0;
}

static cryppo_status decrypt_value(const crypt_material *m, const secbuf *in,
                                   secbuf *pt)
{
    const char *s = (const char *)in->p;

    switch (m->mode) {
    case MODE_KEY:
        return cryppo_aes_decrypt(m->key, s, pt);
    case MODE_RSA:
        return cryppo_rsa_decrypt(m->rsa, s, pt);
    case MODE_PASSPHRASE:
        return cryppo_passphrase_decrypt((const char *)m->passphrase.p, s, pt);
    }
    return CRYPPO_ERR_ARGS;
}

static int decrypt_run(const cli_command *self, int argc, char **argv)
{
    crypt_opts o = {0};
    crypt_material m = {0};
    secbuf in = {NULL, 0}, pt = {NULL, 0};
    cryppo_status st;
    int done, rc;

    rc = crypt_prepare(self, argc, argv, 1, &o, &m, &in, &done);
    if (done)
        goto out;
    rc = CLI_FAIL;
    cli_trim_end(&in);
    if (memchr(in.p, '\0', in.len) != NULL) {
        cli_error("decrypt: the serialized value contains a NUL byte");
        goto out;
    }
    if (unsupported_aes(&in))
        goto out;
    st = decrypt_value(&m, &in, &pt);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("decrypt", st);
        goto out;
    }
    if (o.out ? cli_output_write(o.out, pt.p, pt.len, 0600)
              : cli_stdout_line(pt.p, pt.len))
        goto out;
    rc = CLI_OK;
out:
    secbuf_free(&pt);
    secbuf_free(&in);
    material_free(&m);
    return rc;
}

const cli_command cli_cmd_decrypt = {
    "decrypt",
    "decrypt a serialized value with a key, a private key or a passphrase",
    "Decrypt a serialized value and print the plaintext.\n\n"
    "USAGE\n  $ cryppo decrypt -s SERIALIZED (-k KEY | -p FILE | "
    "--passphrase P)\n\n"
    "OPTIONS\n"
    "  -k, --key=key                        AES-256 key (url-safe base64)\n"
    "  -p, --privateKeyFile=privateKeyFile  private key PEM file\n"
    "  -s, --serialized=serialized          serialized value ('-' = stdin)\n\n"
    "ADDITIONS (not in the Node CLI)\n"
    "  --in=FILE                 read the serialized value from FILE\n"
    "  --out=FILE                write the plaintext to FILE, binary-safe\n"
    "                            ('-' = stdout, no newline); mode 0600\n"
    "  --key-file=FILE           read the AES key from FILE\n"
    "  --passphrase=PASSPHRASE   decrypt a Pbkdf2Hmac (5-part) value\n"
    "  --passphrase-file=FILE    read the passphrase from FILE\n"
    "  CRYPPO_PASSPHRASE         passphrase when no key flag is given\n",
    decrypt_run,
};
