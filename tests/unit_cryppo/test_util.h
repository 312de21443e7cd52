/* tests/unit_cryppo/test_util.h - fixtures and helpers for the cryppo tests. */
#ifndef TESTS_UNIT_CRYPPO_TEST_UTIL_H
#define TESTS_UNIT_CRYPPO_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <openssl/types.h>

/* Contents of tests/fixtures/<name> (NUL-terminated), or NULL. */
char *tu_fixture_read(const char *name, size_t *len);
/* Parsed JSON fixture, or NULL (cJSON_Delete when done). */
cJSON *tu_fixture_json(const char *name);
/* The committed RSA-4096 fixture key (PKCS#1), loaded once; not owned. */
EVP_PKEY *tu_rsa_key(void);
/* A second, different RSA-4096 private key (from the compat vectors). */
EVP_PKEY *tu_rsa_other_key(void);
/* Release the cached keys (end of the run). */
void tu_keys_free(void);
/* Lower-case hex to bytes; returns the byte count or -1. */
int tu_hex_decode(const char *hex, uint8_t *out, size_t cap);

/* Suites (one per file); each returns 0 or a CUnit error. */
int suite_encoding_add(void);
int suite_vectors_add(void);
int suite_roundtrip_add(void);
int suite_malformed_add(void);
int suite_chunked_add(void);

#endif /* TESTS_UNIT_CRYPPO_TEST_UTIL_H */
