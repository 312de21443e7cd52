/* tools/cryppo/cli.h - pieces shared by the commands of the cryppo CLI.
 *
 * Each command lives in a cmd_*.c file and exports one cli_command.  A
 * command returns CLI_OK, CLI_FAIL (the operation failed: bad key, wrong
 * passphrase, unreadable file ...) or CLI_USAGE (bad or missing flags).
 * Anything secret (keys, passphrases, plaintext) is held in secbufs.
 */
#ifndef TOOLS_CRYPPO_CLI_H
#define TOOLS_CRYPPO_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "cryppo.h"
#include "secbuf.h"

enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line for the command list */
    const char *help;    /* full text for `cryppo help NAME` */
    int (*run)(const struct cli_command *self, int argc, char **argv);
} cli_command;

extern const cli_command cli_cmd_genkey;
extern const cli_command cli_cmd_genkeypair;
extern const cli_command cli_cmd_encrypt;
extern const cli_command cli_cmd_decrypt;
extern const cli_command cli_cmd_sign;
extern const cli_command cli_cmd_verify;
extern const cli_command cli_cmd_secret;

/* ---- help.c --------------------------------------------------------- */
void cli_help_print(const cli_command *cmd);
/* "cryppo NAME: <message>" and a pointer to the help; returns CLI_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Report an option getopt_long rejected; returns CLI_USAGE. */
int cli_option_error(const cli_command *cmd, char **argv);

/* ---- io.c ----------------------------------------------------------- */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "cryppo: <what>: <cryppo_strerror>"; returns CLI_FAIL. */
int cli_cryppo_error(const char *what, cryppo_status st);
/* Whole file ("-" = stdin) into a secbuf, binary-safe.  0 or -1
 * (message already printed). */
int cli_input_read(const char *path, secbuf *out);
/* Write bytes to path ("-" = stdout), creating it with mode.  0 or -1. */
int cli_output_write(const char *path, const void *p, size_t len,
                     unsigned mode);
/* Bytes then a newline on stdout (what the Node CLI's log() does). */
int cli_stdout_line(const void *p, size_t len);
/* Drop trailing whitespace (a serialized string read from a file). */
void cli_trim_end(secbuf *b);

/* ---- secrets.c ------------------------------------------------------ */
/* Copy a secret given on the command line and wipe argv's copy so that it
 * does not linger in /proc/PID/cmdline.  0 or -1. */
int cli_secret_take(char *arg, secbuf *out);
/* Passphrase from --passphrase (arg), --passphrase-file (file) or the
 * CRYPPO_PASSPHRASE variable, in that order.  Returns 1 when found, 0
 * when none was given, -1 on error (printed). */
int cli_passphrase_get(char *arg, const char *file, secbuf *out);
/* A base64url AES key (-k) into 32 bytes; 128/192-bit keys are refused
 * with a clear message.  0 or -1 (printed). */
int cli_aes_key_decode(const secbuf *text, uint8_t key[CRYPPO_AES_KEY_LEN]);
/* PEM files into keys.  0 or -1 (printed). */
int cli_private_key_load(const char *path, EVP_PKEY **out);
int cli_public_key_load(const char *path, EVP_PKEY **out);

#endif /* TOOLS_CRYPPO_CLI_H */
