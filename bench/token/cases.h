/* bench/token/cases.h - the timed operations: through a PKCS#11 module
 * and through raw OpenSSL (the limit). */
#ifndef BENCH_TOKEN_CASES_H
#define BENCH_TOKEN_CASES_H

#include <stddef.h>

#include "token.h"

/* One measured operation: returns 0, or -1 on an error (printed). */
typedef int (*case_fn)(void *arg);

/* Seconds on the monotonic clock. */
double case_now(void);

/* Operations per second of fn over at least seconds (>= 3 runs);
 * -1 on error. */
double case_rate(case_fn fn, void *arg, double seconds);

/* Per-case argument for the module cases. */
typedef struct tok_arg {
    token *t;
    size_t len;     /* AES-GCM plaintext size */
    int count;      /* number of data objects (the found label is half-way) */
} tok_arg;

int case_gcm_encrypt(void *arg);
int case_rsa_oaep_decrypt(void *arg);
int case_rsa_sign(void *arg);
int case_find_by_label(void *arg);
int case_get_label(void *arg);
int case_get_value(void *arg);
int case_session(void *arg);
int case_login(void *arg);

/* Raw OpenSSL (raw.c). */
int raw_setup(void);
void raw_teardown(void);
int raw_gcm_encrypt(void *arg); /* arg: size_t * plaintext size */
int raw_rsa_oaep_decrypt(void *arg);
int raw_rsa_sign(void *arg);

#endif /* BENCH_TOKEN_CASES_H */
