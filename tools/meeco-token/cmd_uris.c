/* tools/meeco-token/cmd_uris.c - `uris`: the pkcs11: URI (RFC 7512) of the
 * token and of every object, as the module itself presents them.
 *
 * The URIs come from the module (loaded with dlopen), never recomputed here,
 * so they cannot drift from what pkcs11-tool, p11tool, OpenSSL and ssh see.
 * Private objects are listed when a passphrase is given (--passphrase-file
 * or $MEECO_PASSPHRASE); without one, only public objects. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cryptoki.h"
#include "meeco_token.h"
#include "secbuf.h"

#ifndef MEECO_PKCS11_MODULE_PATH
#define MEECO_PKCS11_MODULE_PATH "libmeeco-pkcs11.so"
#endif

/* RFC 7512 percent-encoding: unreserved characters stay, the rest %XX
 * (all_hex: every byte, as ids are written).  sep precedes the attribute. */
static void put_pct(char sep, const char *attr, const unsigned char *v,
                    size_t len, int all_hex)
{
    printf("%c%s=", sep, attr);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = v[i];
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == '_' || c == '~';
        if (plain && !all_hex)
            putchar(c);
        else
            printf("%%%02X", c);
    }
}

/* Fixed-width, space-padded CK_UTF8CHAR fields: trailing blanks dropped. */
static size_t trimmed(const CK_UTF8CHAR *f, size_t n)
{
    while (n > 0 && f[n - 1] == ' ')
        n--;
    return n;
}

static void print_token_uri(const CK_TOKEN_INFO *ti)
{
    fputs("pkcs11", stdout);
    put_pct(':', "model", ti->model, trimmed(ti->model, sizeof(ti->model)),
            0);
    put_pct(';', "manufacturer", ti->manufacturerID,
            trimmed(ti->manufacturerID, sizeof(ti->manufacturerID)), 0);
    put_pct(';', "serial", ti->serialNumber,
            trimmed(ti->serialNumber, sizeof(ti->serialNumber)), 0);
    put_pct(';', "token", ti->label, trimmed(ti->label, sizeof(ti->label)), 0);
}

static const char *type_name(CK_OBJECT_CLASS c)
{
    switch (c) {
    case CKO_DATA:
        return "data";
    case CKO_CERTIFICATE:
        return "cert";
    case CKO_PUBLIC_KEY:
        return "public";
    case CKO_PRIVATE_KEY:
        return "private";
    case CKO_SECRET_KEY:
        return "secret-key";
    default:
        return NULL;
    }
}

static void print_object(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s,
                         CK_OBJECT_HANDLE h, const CK_TOKEN_INFO *ti)
{
    CK_OBJECT_CLASS cls = 0;
    unsigned char label[256], id[256];
    CK_ATTRIBUTE a[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_LABEL, label, sizeof(label)},
        {CKA_ID, id, sizeof(id)},
    };
    /* CKO_DATA has no CKA_ID: the call then reports that one as
     * unavailable (ulValueLen = -1) and fills the others. */
    CK_RV rv = f->C_GetAttributeValue(s, h, a, 3);
    if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
        rv != CKR_ATTRIBUTE_SENSITIVE)
        return;
    const char *type = type_name(cls);
    if (type == NULL)
        return;
    print_token_uri(ti);
    if (a[2].ulValueLen != CK_UNAVAILABLE_INFORMATION && a[2].ulValueLen > 0)
        put_pct(';', "id", id, a[2].ulValueLen, 1);
    if (a[1].ulValueLen != CK_UNAVAILABLE_INFORMATION && a[1].ulValueLen > 0)
        put_pct(';', "object", label, a[1].ulValueLen, 0);
    printf(";type=%s\n", type);
}

static int list_slot(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, const char *pin)
{
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s;
    if (f->C_GetTokenInfo(slot, &ti) != CKR_OK)
        return 1;
    print_token_uri(&ti);
    putchar('\n');
    if (!(ti.flags & CKF_TOKEN_INITIALIZED))
        return 0;
    if (f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK)
        return 1;
    int rc = 0;
    if (pin != NULL) {
        CK_RV rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin,
                              (CK_ULONG)strlen(pin));
        if (rv != CKR_OK) {
            fprintf(stderr, "meeco-token: login failed (0x%lx)\n",
                    (unsigned long)rv);
            rc = 1;
        }
    }
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0;
    if (rc == 0 && f->C_FindObjectsInit(s, NULL, 0) == CKR_OK) {
        while (f->C_FindObjects(s, h, 64, &n) == CKR_OK && n > 0)
            for (CK_ULONG i = 0; i < n; i++)
                print_object(f, s, h[i], &ti);
        f->C_FindObjectsFinal(s);
    }
    f->C_CloseSession(s);
    return rc;
}

int mt_cmd_uris(const mt_opts *o)
{
    const char *path = o->module ? o->module : MEECO_PKCS11_MODULE_PATH;
    if (o->config_path != NULL)
        setenv("MEECO_PKCS11_CONF", o->config_path, 1);
    char *pin = NULL;
    if (o->passphrase_file != NULL || secure_getenv("MEECO_PASSPHRASE")) {
        pin = mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE", NULL);
        if (pin == NULL)
            return 1;
    }
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CK_C_GetFunctionList get = lib ? (CK_C_GetFunctionList)(void (*)(void))
                                         dlsym(lib, "C_GetFunctionList")
                                   : NULL;
    CK_FUNCTION_LIST_PTR f = NULL;
    int rc = 1;
    if (get == NULL || get(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK) {
        fprintf(stderr, "meeco-token: cannot load the module %s%s%s\n", path,
                lib ? "" : ": ", lib ? "" : dlerror());
        goto out;
    }
    CK_SLOT_ID slots[16];
    CK_ULONG ns = 16;
    if (f->C_GetSlotList(CK_TRUE, slots, &ns) == CKR_OK) {
        rc = 0;
        for (CK_ULONG i = 0; i < ns; i++)
            rc |= list_slot(f, slots[i], pin);
    }
    f->C_Finalize(NULL);
out:
    mt_secret_free(pin);
    if (lib)
        dlclose(lib);
    return rc;
}
