/* tests/unit_store/test_config.c - the token configuration parser: valid
 * files, a table of malformed ones (status + line), defaults from the
 * environment, and editing a file in place with mode 0600. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "config.h"

static char dir[] = "/tmp/config-test-XXXXXX";

static int suite_setup(void)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int suite_teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_valid(void)
{
    const char *text =
        "# comment\n"
        "; also a comment\n"
        "data_dir = /var/lib/meeco\n"
        "\n"
        "[token personal]\n"
        "label = \"My \\\"personal\\\" token\"   # trailing comment\n"
        "secret_key = 1.local-x.abc-def\n"
        "read_only = yes\n"
        "\n"
        "[ token  work ]\n"
        "backend = remote\n"
        "keystore_url = https://ks.example/keystore\n"
        "vault_url = http://127.0.0.1:8080/vault ; comment\n"
        "refresh_interval = 60\n"
        "db_path = /tmp/w.db\n";
    config *c = NULL;
    config_error err;
    CU_ASSERT_EQUAL_FATAL(config_parse_string(text, "t", &c, &err), CONFIG_OK);
    CU_ASSERT_STRING_EQUAL(c->data_dir, "/var/lib/meeco");
    CU_ASSERT_EQUAL_FATAL(c->n_tokens, 2);
    const config_token *p = config_token_find(c, "personal");
    const config_token *w = config_token_find(c, "work");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_STRING_EQUAL(p->label, "My \"personal\" token");
    CU_ASSERT_STRING_EQUAL(p->secret_key, "1.local-x.abc-def");
    CU_ASSERT_EQUAL(p->backend, CONFIG_BACKEND_LOCAL);
    CU_ASSERT(p->read_only);
    CU_ASSERT_EQUAL(p->refresh_interval, 300);
    CU_ASSERT_EQUAL(w->backend, CONFIG_BACKEND_REMOTE);
    CU_ASSERT_STRING_EQUAL(w->label, "work");
    CU_ASSERT_STRING_EQUAL(w->vault_url, "http://127.0.0.1:8080/vault");
    CU_ASSERT_EQUAL(w->refresh_interval, 60);
    CU_ASSERT_EQUAL(w->timeout, 30);
    char *db = config_token_db_path(c, p);
    CU_ASSERT_STRING_EQUAL(db, "/var/lib/meeco/personal.sqlite3");
    free(db);
    db = config_token_db_path(c, w);
    CU_ASSERT_STRING_EQUAL(db, "/tmp/w.db");
    free(db);
    CU_ASSERT_PTR_NULL(config_token_find(c, "nope"));
    config_free(c);
}

typedef struct bad_case {
    const char *text;
    config_status status;
    int line;
} bad_case;

static const bad_case bad_cases[] = {
    {"[token a]\nfoo = 1\n", CONFIG_ERR_UNKNOWN_KEY, 2},
    {"label = x\n", CONFIG_ERR_UNKNOWN_KEY, 1}, /* token key at top */
    {"[token a]\nbackend = cloud\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nread_only = maybe\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nrefresh_interval = -5\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nrefresh_interval = 12x\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nrefresh_interval = 99999999999\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nkeystore_url = ftp://x\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\ndb_path = relative/path\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nlabel =\n", CONFIG_ERR_BAD_VALUE, 2},
    {"[token a]\nlabel = x\nlabel = y\n", CONFIG_ERR_DUPLICATE, 3},
    {"[token a]\n[token b]\n\n[token a]\n", CONFIG_ERR_DUPLICATE, 4},
    {"[token a]\njust some words\n", CONFIG_ERR_SYNTAX, 2},
    {"[token a\n", CONFIG_ERR_SYNTAX, 1},
    {"[slot a]\n", CONFIG_ERR_SYNTAX, 1},
    {"[token]\n", CONFIG_ERR_SYNTAX, 1},
    {"[token a/b]\n", CONFIG_ERR_SYNTAX, 1},
    {"[token a]\nlabel = \"unterminated\n", CONFIG_ERR_SYNTAX, 2},
    {"[token a]\nlabel = \"x\" junk\n", CONFIG_ERR_SYNTAX, 2},
    {"[token a]\nlabel = \"bad \\q escape\"\n", CONFIG_ERR_SYNTAX, 2},
    {"[token a]\nbad key = 1\n", CONFIG_ERR_SYNTAX, 2},
    {"[token a]\nbackend = remote\nvault_url = https://v\n", CONFIG_ERR_MISSING,
     1},
    {"[token a]\nsecret_key = s\nsecret_key_file = /f\n", CONFIG_ERR_DUPLICATE,
     1},
};

static void test_malformed_table(void)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        config *c = (config *)1;
        config_error err;
        config_status st =
            config_parse_string(bad_cases[i].text, "t", &c, &err);
        if (st != bad_cases[i].status || err.line != bad_cases[i].line)
            fprintf(stderr, "case %zu: got %s line %d (%s)\n", i,
                    config_strerror(st), err.line, err.message);
        CU_ASSERT_EQUAL(st, bad_cases[i].status);
        CU_ASSERT_EQUAL(err.line, bad_cases[i].line);
        CU_ASSERT(err.message[0] != '\0');
        CU_ASSERT_PTR_NULL(c);
    }
}

static void test_defaults_and_env(void)
{
    char xdg[400], conf[400], *dd;
    snprintf(xdg, sizeof(xdg), "%s/data", dir);
    setenv("XDG_DATA_HOME", xdg, 1);
    unsetenv("MEECO_PKCS11_CONF");
    snprintf(conf, sizeof(conf), "%s/cfghome", dir);
    setenv("XDG_CONFIG_HOME", conf, 1);

    config *c = NULL;
    config_error err;
    CU_ASSERT_EQUAL_FATAL(config_load(NULL, &c, &err), CONFIG_OK);
    CU_ASSERT_EQUAL(c->n_tokens, 1);
    CU_ASSERT_STRING_EQUAL(c->tokens[0].name, CONFIG_DEFAULT_TOKEN);
    char *db = config_token_db_path(c, &c->tokens[0]);
    char expect[600];
    snprintf(expect, sizeof(expect), "%s/meeco-pkcs11/default.sqlite3", xdg);
    CU_ASSERT_STRING_EQUAL(db, expect);
    free(db);
    config_free(c);

    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/someone", 1);
    dd = config_default_data_dir();
    CU_ASSERT_STRING_EQUAL(dd, "/home/someone/.local/share/meeco-pkcs11");
    free(dd);

    /* pReserved: text or path. */
    CU_ASSERT_EQUAL(config_load("[token r]\nlabel = R\n", &c, &err), CONFIG_OK);
    CU_ASSERT_STRING_EQUAL(c->tokens[0].label, "R");
    config_free(c);
    CU_ASSERT_EQUAL(
        config_load("[token one]\\nlabel = One Line\\n[token two]", &c, &err),
        CONFIG_OK);
    CU_ASSERT_EQUAL(c->n_tokens, 2);
    CU_ASSERT_STRING_EQUAL(c->tokens[0].label, "One Line");
    config_free(c);
    CU_ASSERT_EQUAL(config_load("/nonexistent/file.conf", &c, &err),
                    CONFIG_ERR_IO);

    /* $MEECO_PKCS11_CONF must exist when set. */
    setenv("MEECO_PKCS11_CONF", "/nonexistent/x.conf", 1);
    CU_ASSERT_EQUAL(config_load(NULL, &c, &err), CONFIG_ERR_IO);
    char *path = config_default_path();
    CU_ASSERT_STRING_EQUAL(path, "/nonexistent/x.conf");
    free(path);
    unsetenv("MEECO_PKCS11_CONF");
    path = config_default_path();
    snprintf(expect, sizeof(expect), "%s/meeco-pkcs11/meeco-pkcs11.conf", conf);
    CU_ASSERT_STRING_EQUAL(path, expect);
    free(path);

    /* ~/ in paths. */
    CU_ASSERT_EQUAL(
        config_parse_string("[token a]\ndata_dir = ~/t\n", NULL, &c, &err),
        CONFIG_OK);
    CU_ASSERT_STRING_EQUAL(c->tokens[0].data_dir, "/home/someone/t");
    config_free(c);
}

static void test_file_set(void)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/cfg/sub/meeco.conf", dir);
    config_error err;
    CU_ASSERT_EQUAL_FATAL(
        config_file_set(path, "default", "secret_key", "1.u.abc", &err),
        CONFIG_OK);
    struct stat sb;
    CU_ASSERT_EQUAL_FATAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
    CU_ASSERT_EQUAL(
        config_file_set(path, "default", "label", "My token #1", &err),
        CONFIG_OK);
    CU_ASSERT_EQUAL(
        config_file_set(path, "default", "secret_key", "1.u.def", &err),
        CONFIG_OK);
    CU_ASSERT_EQUAL(config_file_set(path, "other", "label", "O", &err),
                    CONFIG_OK);
    CU_ASSERT_EQUAL(config_file_set(path, "other", "nokey", "O", &err),
                    CONFIG_ERR_UNKNOWN_KEY);
    CU_ASSERT_EQUAL(
        config_file_set(path, "other", "read_only", "perhaps", &err),
        CONFIG_ERR_BAD_VALUE);
    config *c = NULL;
    CU_ASSERT_EQUAL_FATAL(config_parse_file(path, &c, &err), CONFIG_OK);
    CU_ASSERT_EQUAL(c->n_tokens, 2);
    const config_token *t = config_token_find(c, "default");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t->secret_key, "1.u.def");
    CU_ASSERT_STRING_EQUAL(t->label, "My token #1");
    CU_ASSERT_STRING_EQUAL(config_token_find(c, "other")->label, "O");
    config_free(c);

    /* Comments survive an edit. */
    FILE *f = fopen(path, "a");
    fputs("# keep me\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(config_file_set(path, "default", "read_only", "true", &err),
                    CONFIG_OK);
    char buf[2048] = {0};
    f = fopen(path, "r");
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "# keep me"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "read_only = true"));
}

static void test_token_secret(void)
{
    char path[400], text[600];
    snprintf(path, sizeof(path), "%s/secret.txt", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("1.user.abc-def\nignored\n", f);
    fclose(f);
    chmod(path, 0644);
    snprintf(text, sizeof(text),
             "[token a]\nsecret_key_file = %s\n[token b]\n"
             "secret_key = 1.b.x\n[token c]\n",
             path);
    config *c = NULL;
    config_error err;
    char *secret = NULL;
    CU_ASSERT_EQUAL_FATAL(config_parse_string(text, NULL, &c, &err), CONFIG_OK);
    CU_ASSERT_EQUAL(config_token_secret(&c->tokens[0], &secret, &err),
                    CONFIG_ERR_BAD_VALUE);
    chmod(path, 0600);
    CU_ASSERT_EQUAL(config_token_secret(&c->tokens[0], &secret, &err),
                    CONFIG_OK);
    CU_ASSERT_STRING_EQUAL(secret, "1.user.abc-def");
    free(secret);
    CU_ASSERT_EQUAL(config_token_secret(&c->tokens[1], &secret, &err),
                    CONFIG_OK);
    CU_ASSERT_STRING_EQUAL(secret, "1.b.x");
    free(secret);
    CU_ASSERT_EQUAL(config_token_secret(&c->tokens[2], &secret, &err),
                    CONFIG_OK);
    CU_ASSERT_PTR_NULL(secret);
    config_free(c);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("config", suite_setup, suite_teardown);
    CU_add_test(s, "valid file", test_valid);
    CU_add_test(s, "malformed configs (table)", test_malformed_table);
    CU_add_test(s, "defaults, environment, pReserved", test_defaults_and_env);
    CU_add_test(s, "config_file_set keeps lines, mode 0600", test_file_set);
    CU_add_test(s, "secret_key / secret_key_file", test_token_secret);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned int failed =
        CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
