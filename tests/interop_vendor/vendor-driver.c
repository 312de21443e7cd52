/* tests/interop_vendor/vendor-driver.c - drives the module's Meeco vendor
 * mechanisms for run.sh, which checks the results with @meeco/cryppo.
 *
 *   vendor-driver MODULE PIN encrypt TEXT      -> prints C_Encrypt(DEK,
 *       CKM_MEECO_CRYPPO_AES_GCM, TEXT), an "Aes256Gcm..." string
 *   vendor-driver MODULE PIN wrap              -> prints C_WrapKey(auth public
 *       key, DEK, CKM_MEECO_CRYPPO_RSA), an "Rsa4096..." string
 *   vendor-driver MODULE PIN unwrap RSA AES    -> C_UnwrapKey(auth private
 *       key, RSA) into a session AES key, prints C_Decrypt(that key, AES)
 *
 * Exits 0 on success, 1 (with the CK_RV on stderr) on any failure. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkcs11.h>

#include "meeco-pkcs11.h"

#define OUT_MAX 8192

static CK_FUNCTION_LIST_PTR p11;

static int failed(const char *what, CK_RV rv)
{
    fprintf(stderr, "vendor-driver: %s: CK_RV 0x%08lx\n", what,
            (unsigned long)rv);
    return 1;
}

static int load(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "vendor-driver: dlopen %s: %s\n", path, dlerror());
        return 1;
    }
    CK_C_GetFunctionList get = NULL;
    *(void **)&get = dlsym(h, "C_GetFunctionList");
    if (get == NULL || get(&p11) != CKR_OK)
        return failed("C_GetFunctionList", CKR_GENERAL_ERROR);
    CK_RV rv = p11->C_Initialize(NULL);
    return rv == CKR_OK ? 0 : failed("C_Initialize", rv);
}

static int open_login(const char *pin, CK_SESSION_HANDLE *s)
{
    CK_SLOT_ID slots[8];
    CK_ULONG n = 8;
    CK_RV rv = p11->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK || n == 0)
        return failed("C_GetSlotList (no token?)", rv);
    rv = p11->C_OpenSession(slots[0], CKF_SERIAL_SESSION | CKF_RW_SESSION,
                            NULL, NULL, s);
    if (rv != CKR_OK)
        return failed("C_OpenSession", rv);
    rv = p11->C_Login(*s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
    return rv == CKR_OK ? 0 : failed("C_Login", rv);
}

/* The one object of class cls labelled label. */
static int find_one(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                    const char *label, CK_OBJECT_HANDLE *h)
{
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    CK_RV rv = p11->C_FindObjectsInit(s, t, 2);
    if (rv == CKR_OK)
        rv = p11->C_FindObjects(s, found, 2, &n);
    p11->C_FindObjectsFinal(s);
    if (rv != CKR_OK || n != 1) {
        fprintf(stderr, "vendor-driver: %lu objects labelled '%s'\n",
                (unsigned long)n, label);
        return 1;
    }
    *h = found[0];
    return 0;
}

static int print_result(const CK_BYTE *out, CK_ULONG len)
{
    fwrite(out, 1, len, stdout);
    putchar('\n');
    return 0;
}

static int do_encrypt(CK_SESSION_HANDLE s, const char *text)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_AES_GCM, NULL, 0};
    CK_OBJECT_HANDLE dek;
    static CK_BYTE out[OUT_MAX];
    CK_ULONG len = sizeof(out);
    if (find_one(s, CKO_SECRET_KEY, "Meeco private DEK", &dek))
        return 1;
    CK_RV rv = p11->C_EncryptInit(s, &m, dek);
    if (rv == CKR_OK)
        rv = p11->C_Encrypt(s, (CK_BYTE_PTR)text, strlen(text), out, &len);
    return rv == CKR_OK ? print_result(out, len) : failed("C_Encrypt", rv);
}

static int do_wrap(CK_SESSION_HANDLE s)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_RSA, NULL, 0};
    CK_OBJECT_HANDLE dek, pub;
    static CK_BYTE out[OUT_MAX];
    CK_ULONG len = sizeof(out);
    if (find_one(s, CKO_SECRET_KEY, "Meeco private DEK", &dek) ||
        find_one(s, CKO_PUBLIC_KEY, "Meeco auth keypair", &pub))
        return 1;
    CK_RV rv = p11->C_WrapKey(s, &m, pub, dek, out, &len);
    return rv == CKR_OK ? print_result(out, len) : failed("C_WrapKey", rv);
}

static int do_unwrap(CK_SESSION_HANDLE s, const char *rsa, const char *aes)
{
    CK_MECHANISM rm = {CKM_MEECO_CRYPPO_RSA, NULL, 0};
    CK_MECHANISM am = {CKM_MEECO_CRYPPO_AES_GCM, NULL, 0};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_KEY_TYPE, &type, sizeof(type)},
                        {CKA_DECRYPT, &yes, sizeof(yes)},
                        {CKA_TOKEN, &no, sizeof(no)}};
    CK_OBJECT_HANDLE priv, key;
    static CK_BYTE out[OUT_MAX];
    CK_ULONG len = sizeof(out);
    if (find_one(s, CKO_PRIVATE_KEY, "Meeco auth keypair", &priv))
        return 1;
    CK_RV rv = p11->C_UnwrapKey(s, &rm, priv, (CK_BYTE_PTR)rsa, strlen(rsa),
                                t, 4, &key);
    if (rv != CKR_OK)
        return failed("C_UnwrapKey", rv);
    rv = p11->C_DecryptInit(s, &am, key);
    if (rv == CKR_OK)
        rv = p11->C_Decrypt(s, (CK_BYTE_PTR)aes, strlen(aes), out, &len);
    return rv == CKR_OK ? print_result(out, len) : failed("C_Decrypt", rv);
}

static int run(int argc, char **argv, CK_SESSION_HANDLE s)
{
    const char *cmd = argv[3];
    if (strcmp(cmd, "encrypt") == 0 && argc == 5)
        return do_encrypt(s, argv[4]);
    if (strcmp(cmd, "wrap") == 0 && argc == 4)
        return do_wrap(s);
    if (strcmp(cmd, "unwrap") == 0 && argc == 6)
        return do_unwrap(s, argv[4], argv[5]);
    fprintf(stderr, "vendor-driver: bad command '%s'\n", cmd);
    return 2;
}

int main(int argc, char **argv)
{
    CK_SESSION_HANDLE s = 0;
    int rc = 2;
    if (argc < 4) {
        fprintf(stderr, "usage: vendor-driver MODULE PIN "
                        "encrypt TEXT | wrap | unwrap RSA AES\n");
        return 2;
    }
    if (load(argv[1]))
        return 1;
    rc = open_login(argv[2], &s);
    if (rc == 0)
        rc = run(argc, argv, s);
    p11->C_Finalize(NULL);
    return rc;
}
