/* bench/remote/module.h - the same account through libmeeco-pkcs11.so:
 * a remote token configured for it (docs: remote-config contract, fresh
 * replica file), then
 *   C_Login (remote login + fetch + apply into the empty replica),
 *   C_FindObjects of every CKO_DATA,
 *   C_GetAttributeValue(CKA_VALUE) of each (decrypts the slot value). */
#ifndef BENCH_REMOTE_MODULE_H
#define BENCH_REMOTE_MODULE_H

#include <stddef.h>

typedef struct module_run {
    const char *path; /* the module (.so) */
    const char *dir;  /* where conf, secret and replica go */
    const char *keystore_url;
    const char *vault_url;
    const char *secret;
    const char *passphrase;
} module_run;

typedef struct module_result {
    double login_s;
    double find_s;
    double values_s;
    size_t objects; /* CKO_DATA found */
    size_t values;  /* CKA_VALUEs read that are fill_value() texts */
} module_result;

/* 0 on success. */
int module_bench(const module_run *run, module_result *out);

#endif /* BENCH_REMOTE_MODULE_H */
