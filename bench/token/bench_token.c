/* bench/token/bench_token.c - libmeeco-pkcs11.so next to SoftHSM2 and raw
 * OpenSSL, in one process, on throwaway tokens.
 *
 *   bench-token [seconds-per-case] [--objects N] [--session-objects]
 *               [--module PATH] [--softhsm PATH]
 *
 * Prints a Markdown table (operations per second and ratios).  Not a
 * ctest test: run it by hand (bench/token/README in docs/PERFORMANCE.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "token.h"

#ifndef MEECO_MODULE_PATH
#define MEECO_MODULE_PATH "libmeeco-pkcs11.so"
#endif
#define SOFTHSM_PATH "/usr/lib/softhsm/libsofthsm2.so"

typedef struct options {
    double seconds;
    int objects;
    int on_token;
    const char *module;
    const char *softhsm;
} options;

typedef struct row {
    const char *name;
    case_fn tok;
    case_fn raw;
    size_t len;
} row;

static const row rows[] = {
    {"AES-256-GCM encrypt, 64 B", case_gcm_encrypt, raw_gcm_encrypt, 64},
    {"AES-256-GCM encrypt, 4 KiB", case_gcm_encrypt, raw_gcm_encrypt, 4096},
    {"AES-256-GCM encrypt, 1 MiB", case_gcm_encrypt, raw_gcm_encrypt,
     1u << 20},
    {"RSA-4096 OAEP decrypt", case_rsa_oaep_decrypt, raw_rsa_oaep_decrypt, 0},
    {"RSA-4096 sign (SHA256_RSA_PKCS)", case_rsa_sign, raw_rsa_sign, 0},
    {"C_FindObjects by label", case_find_by_label, NULL, 0},
    {"C_GetAttributeValue CKA_LABEL", case_get_label, NULL, 0},
    {"C_GetAttributeValue CKA_VALUE (1 KiB)", case_get_value, NULL, 0},
    {"C_OpenSession + C_CloseSession", case_session, NULL, 0},
    {"C_Logout + C_Login", case_login, NULL, 0},
};

static char root[256];
static int made_root;

static int parse(int argc, char **argv, options *o)
{
    *o = (options){1.0, 10000, 1, MEECO_MODULE_PATH, SOFTHSM_PATH};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--objects") == 0 && i + 1 < argc)
            o->objects = atoi(argv[++i]);
        else if (strcmp(argv[i], "--session-objects") == 0)
            o->on_token = 0;
        else if (strcmp(argv[i], "--module") == 0 && i + 1 < argc)
            o->module = argv[++i];
        else if (strcmp(argv[i], "--softhsm") == 0 && i + 1 < argc)
            o->softhsm = argv[++i];
        else if (atof(argv[i]) > 0)
            o->seconds = atof(argv[i]);
        else
            return -1;
    }
    return o->objects >= 2 ? 0 : -1;
}

/* Throwaway folders and configuration for both modules. */
static int environment(void)
{
    char path[1024];
    FILE *f;

    snprintf(root, sizeof(root), "%s/bench-token.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return -1;
    made_root = 1;
    snprintf(path, sizeof(path), "mkdir -p %s/meeco %s/softhsm/tokens %s/xdg",
             root, root, root);
    if (system(path) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/xdg", root);
    setenv("XDG_DATA_HOME", path, 1);
    setenv("XDG_CONFIG_HOME", path, 1);
    snprintf(path, sizeof(path), "%s/meeco.conf", root);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "data_dir = %s/meeco\n[token bench]\nbackend = local\n", root);
    fclose(f);
    setenv("MEECO_PKCS11_CONF", path, 1);
    snprintf(path, sizeof(path), "%s/softhsm2.conf", root);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "directories.tokendir = %s/softhsm/tokens\n"
               "objectstore.backend = file\nlog.level = ERROR\n", root);
    fclose(f);
    setenv("SOFTHSM2_CONF", path, 1);
    return 0;
}

static void cleanup(void)
{
    char cmd[300];

    if (!made_root)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
}

static int setup_token(token *t, const char *name, const char *path,
                       const options *o)
{
    double start = case_now();

    if (token_load(t, name, path) != 0 || token_prepare(t, "bench") != 0 ||
        token_make_keys(t) != 0)
        return -1;
    fprintf(stderr, "%s: token and keys ready in %.1f s\n", name,
            case_now() - start);
    start = case_now();
    if (token_make_data(t, o->objects, o->on_token) != 0)
        return -1;
    fprintf(stderr, "%s: %d %s data objects created in %.1f s (%.0f/s)\n",
            name, o->objects, o->on_token ? "token" : "session",
            case_now() - start, o->objects / (case_now() - start));
    return 0;
}

static void print_rate(double r)
{
    if (r < 0)
        printf(" n/a |");
    else if (r >= 100)
        printf(" %.0f |", r);
    else
        printf(" %.2f |", r);
}

static void print_ratio(double a, double b)
{
    if (a > 0 && b > 0)
        printf(" %.2f |", a / b);
    else
        printf(" |");
}

static int run_rows(token *meeco, token *hsm, const options *o)
{
    printf("| operation | raw OpenSSL op/s | meeco op/s | SoftHSM2 op/s |"
           " meeco / raw | meeco / SoftHSM2 |\n|---|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tok_arg am = {meeco, rows[i].len, o->objects};
        tok_arg ah = {hsm, rows[i].len, o->objects};
        size_t len = rows[i].len;
        double raw = rows[i].raw ? case_rate(rows[i].raw, &len, o->seconds) : -1;
        double rm = case_rate(rows[i].tok, &am, o->seconds);
        double rh = case_rate(rows[i].tok, &ah, o->seconds);

        if (rm < 0)
            return -1;
        printf("| %s", rows[i].name);
        if (rows[i].tok == case_find_by_label)
            printf(" (%d %s objects)", o->objects,
                   o->on_token ? "token" : "session");
        printf(" |");
        print_rate(raw);
        print_rate(rm);
        print_rate(rh);
        print_ratio(rm, raw);
        print_ratio(rm, rh);
        printf("\n");
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    token meeco, hsm;
    int rc = 1;

    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: %s [seconds-per-case] [--objects N] "
                        "[--session-objects] [--module PATH] [--softhsm PATH]\n",
                argv[0]);
        return 2;
    }
    if (environment() != 0) {
        fprintf(stderr, "cannot prepare %s\n", root);
        goto out;
    }
    if (raw_setup() != 0 || setup_token(&meeco, "meeco", o.module, &o) != 0 ||
        setup_token(&hsm, "softhsm2", o.softhsm, &o) != 0)
        goto out;
    rc = run_rows(&meeco, &hsm, &o) == 0 ? 0 : 1;
    token_unload(&meeco);
    token_unload(&hsm);
out:
    raw_teardown();
    cleanup();
    return rc;
}
