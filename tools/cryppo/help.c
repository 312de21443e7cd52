/* tools/cryppo/help.c - usage texts and usage errors. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cli_help_print(const cli_command *cmd)
{
    fputs(cmd->help, stdout);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "cryppo %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nSee 'cryppo help %s'.\n", cmd->name);
    return CLI_USAGE;
}

int cli_option_error(const cli_command *cmd, char **argv)
{
    const char *arg = argv[optind - 1];

    if (optopt && (strncmp(arg, "--", 2) != 0))
        return cli_usage_error(cmd, "unknown option or missing value: -%c",
                               optopt);
    return cli_usage_error(cmd, "unknown option or missing value: %s", arg);
}
