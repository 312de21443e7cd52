/* tools/cryppo/main.c - the `cryppo` command line: dispatch to a command.
 *
 * Same commands and flags as Meeco's Node cryppo-cli 2.1.0, so scripts
 * written for it run unchanged; see `cryppo help` for the additions.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#ifndef CRYPPO_CLI_VERSION
#define CRYPPO_CLI_VERSION "0.0.0"
#endif

static const cli_command *const commands[] = {
    &cli_cmd_decrypt, &cli_cmd_encrypt, &cli_cmd_genkey, &cli_cmd_genkeypair,
    &cli_cmd_secret,  &cli_cmd_sign,    &cli_cmd_verify,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const cli_command *command_find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void overview_print(FILE *f)
{
    fputs("Encryption and decryption in Meeco's Cryppo format\n\n"
          "VERSION\n  cryppo/" CRYPPO_CLI_VERSION
          " (C; compatible with @meeco/cryppo-cli 2.1.0)\n\n"
          "USAGE\n  $ cryppo [COMMAND]\n\nCOMMANDS\n",
          f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help        display help for cryppo\n\n"
          "Run 'cryppo help COMMAND' for the flags of a command.\n",
          f);
}

static int version_print(void)
{
    printf("cryppo/%s (C) %s\n", CRYPPO_CLI_VERSION,
           OpenSSL_version(OPENSSL_VERSION));
    return CLI_OK;
}

static int help_run(int argc, char **argv)
{
    const cli_command *cmd;

    if (argc < 2) {
        overview_print(stdout);
        return CLI_OK;
    }
    cmd = command_find(argv[1]);
    if (!cmd) {
        fprintf(stderr, "cryppo: unknown command '%s'\n", argv[1]);
        overview_print(stderr);
        return CLI_USAGE;
    }
    cli_help_print(cmd);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    const cli_command *cmd;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        overview_print(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return version_print();
    if (strcmp(argv[1], "help") == 0)
        return help_run(argc - 1, argv + 1);
    cmd = command_find(argv[1]);
    if (!cmd) {
        fprintf(stderr, "cryppo: unknown command '%s'\n", argv[1]);
        overview_print(stderr);
        return CLI_USAGE;
    }
    return cmd->run(cmd, argc - 1, argv + 1);
}
