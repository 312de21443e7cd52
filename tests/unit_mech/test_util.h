/* tests/unit_mech/test_util.h - helpers shared by the mechanism tests. */
#ifndef TESTS_UNIT_MECH_TEST_UTIL_H
#define TESTS_UNIT_MECH_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "mech.h"

/* Decode hex into buf (cap bytes); returns the byte count. */
size_t tu_hex(const char *hex, uint8_t *buf, size_t cap);
/* An RSA/EC private key from tests/fixtures/<name> (cached; do not free). */
EVP_PKEY *tu_fixture_key(const char *name);
/* The public half of a key (cached per private key; do not free). */
EVP_PKEY *tu_public_of(EVP_PKEY *priv);
/* Path of a fixture file (static buffer). */
const char *tu_fixture_path(const char *name);
/* Release the cached keys (suite cleanup). */
void tu_keys_free(void);

mech_key tu_aes_key(const uint8_t *bytes, size_t len);
mech_key tu_pkey(CK_KEY_TYPE type, EVP_PKEY *pkey);

/* Init + one single-part call with a buffer of *outlen bytes (out
 * receives at most cap bytes); frees the op when it has ended. */
CK_RV tu_oneshot(enum mech_purpose purpose, CK_MECHANISM_PTR m,
                 const mech_key *key, const uint8_t *in, size_t inlen,
                 uint8_t *out, CK_ULONG *outlen);
/* Init + C_Verify. */
CK_RV tu_verify(CK_MECHANISM_PTR m, const mech_key *key, const uint8_t *data,
                size_t len, const uint8_t *sig, size_t siglen);

/* Register a suite: returns 0 or -1 (CUnit error). */
typedef struct tu_test {
    const char *name;
    void (*fn)(void);
} tu_test;
int tu_add_suite(const char *name, const tu_test *tests,
                 int (*cleanup)(void));

#define TU_ASSERT_RV(expr, want)                                               \
    CU_ASSERT_EQUAL_FATAL((CK_ULONG)(expr), (CK_ULONG)(want))

#endif /* TESTS_UNIT_MECH_TEST_UTIL_H */
