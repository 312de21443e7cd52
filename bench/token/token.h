/* bench/token/token.h - a PKCS#11 module loaded by dlopen, with a
 * throwaway token initialised, logged in and filled for the benchmark. */
#ifndef BENCH_TOKEN_TOKEN_H
#define BENCH_TOKEN_TOKEN_H

#include <pkcs11.h>

#define BENCH_SO_PIN "bench-so-pin"
#define BENCH_USER_PIN "bench-user-pin"
#define BENCH_LABEL_FMT "bench_%05d" /* [a-z0-9_]: kept as-is by the Vault */

typedef struct token {
    const char *name;           /* column title */
    void *dl;
    CK_FUNCTION_LIST_PTR f;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE aes;       /* AES-256 secret key (session object) */
    CK_OBJECT_HANDLE rsa_pub, rsa_priv; /* RSA-4096 (session objects) */
    CK_OBJECT_HANDLE data;      /* one of the data objects (1 KiB value) */
    CK_BYTE rsa_ct[512];        /* OAEP ciphertext under rsa_pub */
    CK_ULONG rsa_ct_len;
} token;

/* dlopen + C_GetFunctionList + C_Initialize (environment set first). */
int token_load(token *t, const char *name, const char *path);
/* C_InitToken, SO login, C_InitPIN, user login, an R/W session. */
int token_prepare(token *t, const char *label);
/* An AES-256 key and an RSA-4096 pair (and one OAEP ciphertext). */
int token_make_keys(token *t);
/* count data objects labelled bench-00000.. with 1 KiB values. */
int token_make_data(token *t, int count, int on_token);
void token_unload(token *t);

/* A short CK_RV name for error messages. */
const char *token_rv(CK_RV rv);

#endif /* BENCH_TOKEN_TOKEN_H */
