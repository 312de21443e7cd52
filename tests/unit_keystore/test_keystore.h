/* tests/unit_keystore/test_keystore.h - suites of the keystore tests. */
#ifndef TEST_KEYSTORE_H
#define TEST_KEYSTORE_H

extern const char *test_fixtures_dir;

void test_srp_register(void);
void test_account_register(void);

#endif
