/* bench/remote/module.c - login, find and read through PKCS#11. */
#include "module.h"

#include <dlfcn.h>
#include <pkcs11.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fill.h"
#include "stats.h"

#define BATCH 512

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return -1;
    chmod(path, 0600);
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

/* [token bench] with backend = remote; sets MEECO_PKCS11_CONF. */
static int write_conf(const module_run *run)
{
    char secret_path[512], conf_path[512], db[512], text[2048];

    snprintf(secret_path, sizeof(secret_path), "%s/bench.secret", run->dir);
    snprintf(conf_path, sizeof(conf_path), "%s/meeco-pkcs11.conf", run->dir);
    snprintf(db, sizeof(db), "%s/module-replica.sqlite3", run->dir);
    snprintf(text, sizeof(text), "%s\n", run->secret);
    if (write_text(secret_path, text) != 0)
        return -1;
    snprintf(text, sizeof(text),
             "[token bench]\nbackend = remote\nlabel = Remote bench\n"
             "keystore_url = %s\nvault_url = %s\nsecret_key_file = %s\n"
             "db_path = %s\nrefresh_interval = 0\ntimeout = 60\n",
             run->keystore_url, run->vault_url, secret_path, db);
    if (write_text(conf_path, text) != 0)
        return -1;
    return setenv("MEECO_PKCS11_CONF", conf_path, 1);
}

static CK_RV open_session(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE *h)
{
    CK_SLOT_ID slot;
    CK_ULONG n = 1;
    CK_RV rv = f->C_Initialize(NULL);

    if (rv == CKR_OK)
        rv = f->C_GetSlotList(CK_TRUE, &slot, &n);
    if (rv == CKR_OK && n == 0)
        rv = CKR_TOKEN_NOT_PRESENT;
    if (rv == CKR_OK)
        rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, h);
    return rv;
}

/* Every CKO_DATA handle into *found (malloc'd). */
static CK_RV find_data(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h,
                       CK_OBJECT_HANDLE **found, size_t *n)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_ULONG got = 0;
    size_t cap = 0;
    CK_RV rv = f->C_FindObjectsInit(h, t, 1);

    *found = NULL;
    *n = 0;
    do {
        if (rv == CKR_OK && *n + BATCH > cap) {
            CK_OBJECT_HANDLE *p =
                realloc(*found, (cap + 4 * BATCH) * sizeof(*p));
            if (!p)
                rv = CKR_HOST_MEMORY;
            else {
                *found = p;
                cap += 4 * BATCH;
            }
        }
        if (rv == CKR_OK)
            rv = f->C_FindObjects(h, *found + *n, BATCH, &got);
        if (rv == CKR_OK)
            *n += got;
    } while (rv == CKR_OK && got == BATCH);
    if (f->C_FindObjectsFinal(h) != CKR_OK && rv == CKR_OK)
        rv = CKR_GENERAL_ERROR;
    return rv;
}

static size_t read_values(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h,
                          const CK_OBJECT_HANDLE *o, size_t n)
{
    CK_BYTE buf[4096];
    size_t ok = 0;

    for (size_t i = 0; i < n; i++) {
        CK_ATTRIBUTE a = {CKA_VALUE, buf, sizeof(buf)};
        if (f->C_GetAttributeValue(h, o[i], &a, 1) == CKR_OK &&
            a.ulValueLen >= sizeof(VALUE_PREFIX) - 1 &&
            a.ulValueLen != CK_UNAVAILABLE_INFORMATION &&
            memcmp(buf, VALUE_PREFIX, sizeof(VALUE_PREFIX) - 1) == 0)
            ok++;
    }
    return ok;
}

static int run_steps(CK_FUNCTION_LIST_PTR f, const module_run *run,
                     module_result *r)
{
    CK_SESSION_HANDLE h = 0;
    CK_OBJECT_HANDLE *found = NULL;
    double t0;
    CK_RV rv = open_session(f, &h);

    if (rv == CKR_OK) {
        t0 = stats_now();
        rv = f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)run->passphrase,
                        strlen(run->passphrase));
        r->login_s = stats_now() - t0;
    }
    if (rv == CKR_OK) {
        t0 = stats_now();
        rv = find_data(f, h, &found, &r->objects);
        r->find_s = stats_now() - t0;
    }
    if (rv == CKR_OK) {
        t0 = stats_now();
        r->values = read_values(f, h, found, r->objects);
        r->values_s = stats_now() - t0;
    }
    if (rv != CKR_OK)
        fprintf(stderr, "module: CK_RV 0x%lx\n", (unsigned long)rv);
    free(found);
    f->C_Finalize(NULL);
    return rv == CKR_OK ? 0 : -1;
}

int module_bench(const module_run *run, module_result *out)
{
    CK_FUNCTION_LIST_PTR f = NULL;
    CK_C_GetFunctionList get;
    void *dl;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (write_conf(run) != 0)
        return -1;
    dl = dlopen(run->path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return -1;
    }
    get = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList");
    if (get && get(&f) == CKR_OK)
        rc = run_steps(f, run, out);
    dlclose(dl);
    return rc;
}
