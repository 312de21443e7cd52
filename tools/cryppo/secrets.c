/* tools/cryppo/secrets.c - getting keys and passphrases into secbufs. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define PASSPHRASE_ENV "CRYPPO_PASSPHRASE"

int cli_secret_take(char *arg, secbuf *out)
{
    size_t len = strlen(arg);

    if (secbuf_dup(out, arg, len) != 0) {
        cli_error("out of memory");
        return -1;
    }
    secure_wipe(arg, len);
    return 0;
}

/* Strip one trailing line ending, as `echo pass > file` leaves one. */
static void strip_newline(secbuf *b)
{
    if (b->len > 0 && b->p[b->len - 1] == '\n')
        b->p[--b->len] = '\0';
    if (b->len > 0 && b->p[b->len - 1] == '\r')
        b->p[--b->len] = '\0';
}

static int passphrase_check(secbuf *out)
{
    if (memchr(out->p, '\0', out->len) != NULL) {
        cli_error("the passphrase contains a NUL byte");
        secbuf_free(out);
        return -1;
    }
    return 1;
}

int cli_passphrase_get(char *arg, const char *file, secbuf *out)
{
    const char *env;

    if (arg) {
        if (cli_secret_take(arg, out) != 0)
            return -1;
        return passphrase_check(out);
    }
    if (file) {
        if (cli_input_read(file, out) != 0)
            return -1;
        strip_newline(out);
        return passphrase_check(out);
    }
    env = secure_getenv(PASSPHRASE_ENV);
    if (!env)
        return 0;
    if (secbuf_dup(out, env, strlen(env)) != 0) {
        cli_error("out of memory");
        return -1;
    }
    return 1;
}

int cli_aes_key_decode(const secbuf *text, uint8_t key[CRYPPO_AES_KEY_LEN])
{
    secbuf raw = {NULL, 0};
    cryppo_status st;
    int rc = -1;

    st = cryppo_b64url_decode((const char *)text->p, text->len, &raw);
    if (st != CRYPPO_OK) {
        cli_cryppo_error("key", st);
        goto out;
    }
    if (raw.len == 16 || raw.len == 24) {
        cli_error("key: %zu-bit AES keys (Aes%zuGcm) are not supported; "
                  "use a 256-bit key (cryppo genkey)",
                  raw.len * 8, raw.len * 8);
        goto out;
    }
    if (raw.len != CRYPPO_AES_KEY_LEN) {
        cli_error("key: expected 32 bytes of url-safe base64, got %zu bytes",
                  raw.len);
        goto out;
    }
    memcpy(key, raw.p, CRYPPO_AES_KEY_LEN);
    rc = 0;
out:
    secbuf_free(&raw);
    return rc;
}

int cli_private_key_load(const char *path, EVP_PKEY **out)
{
    secbuf pem = {NULL, 0};
    cryppo_status st;

    if (cli_input_read(path, &pem) != 0)
        return -1;
    st = cryppo_rsa_private_from_pem((const char *)pem.p, pem.len, out);
    secbuf_free(&pem);
    if (st != CRYPPO_OK) {
        cli_error("private key %s: %s", path, cryppo_strerror(st));
        return -1;
    }
    return 0;
}

int cli_public_key_load(const char *path, EVP_PKEY **out)
{
    secbuf pem = {NULL, 0};
    cryppo_status st;

    if (cli_input_read(path, &pem) != 0)
        return -1;
    st = cryppo_rsa_public_from_pem((const char *)pem.p, pem.len, out);
    secbuf_free(&pem);
    if (st != CRYPPO_OK) {
        cli_error("public key %s: %s", path, cryppo_strerror(st));
        return -1;
    }
    return 0;
}
