/* tools/meeco-token/main.c - `meeco-token`: create and inspect Meeco
 * tokens outside PKCS#11: local accounts, and remote ones (an account on
 * a Meeco server with a local replica). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "meeco_token.h"
#include "mt_remote.h"

static const char usage[] =
    "usage: meeco-token [--config FILE] [--token NAME] COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  init     create a local Meeco account on the token; prints the Secret "
    "Key\n"
    "           once and stores it in the config file (mode 0600)\n"
    "           --label L  [--username U]  [--force (re-initialize)]\n"
    "           passphrase: --passphrase-file F | $MEECO_PASSPHRASE | prompt\n"
    "           SO PIN:     --so-pin-file F | $MEECO_SO_PIN | the passphrase\n"
    "  status   token state, label, username, object counts; remote "
    "tokens:\n"
    "           server URLs and whether they answer, replica, last sync\n"
    "  list     keys, keypairs, items and slots with their ids\n"
    "  export   stored ciphertext as Meeco Keystore + Vault JSON [--output F]\n"
    "  items add --item NAME --slot NAME (--value V | --value-file F)\n"
    "            [--slot-label L] [--type key_value|password|...]\n"
    "  items get --item NAME --slot NAME      print a decrypted slot value\n"
    "  items list [--values]   (remote) items and slots of the replica;\n"
    "           --values decrypts them (needs the passphrase)\n"
    "  items create --item NAME --slot NAME --value V [--label L]\n"
    "           [--slot-label L] [--type T]   (remote) on the server, then "
    "sync\n"
    "  passwd   change the passphrase (--new-passphrase-file F |\n"
    "           $MEECO_NEW_PASSPHRASE)\n"
    "  uris     the pkcs11: URI (RFC 7512) of every token and object, as the\n"
    "           module presents them [--module PATH]; private objects too\n"
    "           with --passphrase-file F | $MEECO_PASSPHRASE\n"
    "\n"
    "remote tokens (a Meeco account on a server, replicated locally):\n"
    "  signup   create a Meeco account on a server, as the Meeco SDK does;\n"
    "           writes [token NAME] (backend = remote) into the config file\n"
    "           and the Secret Key to <data_dir>/NAME.secret (mode 0600),\n"
    "           then logs in and syncs the replica\n"
    "           --token NAME (--server http://host:port |\n"
    "           --keystore-url URL --vault-url URL) [--subscription-key K]\n"
    "           [--ca-file F] [--label L] [--show-secret]\n"
    "           passphrase: --passphrase-file F | $MEECO_PASSPHRASE | prompt\n"
    "  login    check the passphrase against the server and sync the "
    "replica\n"
    "  sync     same as login, and say what changed\n"
    "\n"
    "The config file is --config (or --conf), else $MEECO_PKCS11_CONF, else\n"
    "$XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf.\n";

typedef struct option_def {
    const char *name;
    size_t offset; /* of a const char * in mt_opts */
} option_def;

#define OPT(field) offsetof(mt_opts, field)

static const option_def options[] = {
    {"--config", OPT(config_path)},
    {"--conf", OPT(config_path)},
    {"--token", OPT(token)},
    {"--label", OPT(label)},
    {"--username", OPT(username)},
    {"--passphrase-file", OPT(passphrase_file)},
    {"--so-pin-file", OPT(so_pin_file)},
    {"--new-passphrase-file", OPT(new_passphrase_file)},
    {"--item", OPT(item)},
    {"--slot", OPT(slot)},
    {"--slot-label", OPT(slot_label)},
    {"--type", OPT(type)},
    {"--value", OPT(value)},
    {"--value-file", OPT(value_file)},
    {"--output", OPT(output)},
    {"--module", OPT(module)},
    {"--keystore-url", OPT(keystore_url)},
    {"--vault-url", OPT(vault_url)},
    {"--server", OPT(server)},
    {"--subscription-key", OPT(subscription_key)},
    {"--ca-file", OPT(ca_file)},
};

/* Options without a value. */
static int parse_flag(const char *a, mt_opts *o)
{
    if (strcmp(a, "--force") == 0)
        o->force = 1;
    else if (strcmp(a, "--show-secret") == 0)
        o->show_secret = 1;
    else if (strcmp(a, "--values") == 0)
        o->values = 1;
    else
        return 0;
    return 1;
}

static int parse_args(int argc, char **argv, mt_opts *o, const char **cmd)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (parse_flag(a, o))
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return -1;
        if (strncmp(a, "--", 2) == 0) {
            size_t k = 0;
            while (k < sizeof(options) / sizeof(options[0]) &&
                   strcmp(options[k].name, a) != 0)
                k++;
            if (k == sizeof(options) / sizeof(options[0]) || i + 1 >= argc) {
                fprintf(stderr,
                        "meeco-token: unknown option or missing value: %s\n",
                        a);
                return -1;
            }
            *(const char **)((char *)o + options[k].offset) = argv[++i];
        } else if (!*cmd) {
            *cmd = a;
        } else if (o->n_args < 4) {
            o->args[o->n_args++] = a;
        } else {
            fprintf(stderr, "meeco-token: too many arguments\n");
            return -1;
        }
    }
    return *cmd ? 0 : -1;
}

int main(int argc, char **argv)
{
    mt_opts o = {0};
    const char *cmd = NULL;
    if (parse_args(argc, argv, &o, &cmd) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    static const struct {
        const char *name;
        int (*run)(const mt_opts *);
    } commands[] = {
        {"init", mt_cmd_init},   {"status", mt_cmd_status},
        {"list", mt_cmd_list},   {"export", mt_cmd_export},
        {"items", mt_cmd_items}, {"passwd", mt_cmd_passwd},
        {"uris", mt_cmd_uris},   {"signup", mt_cmd_signup},
        {"login", mt_cmd_login}, {"sync", mt_cmd_sync},
    };
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, cmd) == 0)
            return commands[i].run(&o);
    fprintf(stderr, "meeco-token: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
