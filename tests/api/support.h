/* tests/api/support.h - drive libmeeco-pkcs11.so the way applications do:
 * dlopen, C_GetFunctionList / C_GetInterface, a throwaway token.
 *
 * Every test runs against a temporary XDG_DATA_HOME and a config file
 * named by MEECO_PKCS11_CONF; nothing touches the real home.  An
 * initialized token (SO PIN, user PIN, the account's KEK, DEK and `auth`
 * RSA keypair) is made once per process and copied for each test that
 * asks for a fresh one, so RSA-4096 generation happens once.
 */
#ifndef TESTS_API_SUPPORT_H
#define TESTS_API_SUPPORT_H

#include <pkcs11.h>

#include <CUnit/CUnit.h>

#include "meeco-pkcs11.h"

#define SO_PIN "so-pin-1234"
#define USER_PIN "user-pin-5678"
#define TOKEN_LABEL "apitoken"

extern CK_FUNCTION_LIST_PTR p11;       /* from C_GetFunctionList (2.40) */
extern CK_FUNCTION_LIST_3_0_PTR p11v3; /* from C_GetInterface (3.0) */

/* Load the module and make the template token; 0 on success. */
int support_setup(void);
void support_teardown(void);

/* A new data folder holding a copy of the initialized token (or an empty
 * one when initialized is 0), pointed to by MEECO_PKCS11_CONF. */
void token_fresh(int initialized);
/* The current data folder (for a second process / re-init). */
const char *token_dir(void);

/* C_Initialize(NULL) and C_Finalize, asserting CKR_OK. */
void lib_init(void);
void lib_fini(void);
/* lib_init + open a session (rw or not) + optional user login. */
CK_SESSION_HANDLE session_open(int rw, int login);

/* Object helpers. */
CK_OBJECT_HANDLE data_create(CK_SESSION_HANDLE s, int token, const char *app,
                             const char *label, const char *value);
/* Number of objects the template finds (and the first one in *first). */
CK_ULONG find_count(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n,
                    CK_OBJECT_HANDLE *first);
CK_OBJECT_HANDLE find_one(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                          const char *label);
CK_OBJECT_HANDLE aes_generate(CK_SESSION_HANDLE s, int token,
                              const char *label, CK_ULONG len);

/* Suites, one per file. */
int suite_general(void);
int suite_slot(void);
int suite_session(void);
int suite_object(void);
int suite_find(void);
int suite_crypto(void);
int suite_keygen(void);
int suite_process(void);

#define ADD(suite, fn) CU_add_test(suite, #fn, fn)

#endif /* TESTS_API_SUPPORT_H */
