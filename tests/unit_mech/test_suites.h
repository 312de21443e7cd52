/* tests/unit_mech/test_suites.h - one registration function per file. */
#ifndef TESTS_UNIT_MECH_TEST_SUITES_H
#define TESTS_UNIT_MECH_TEST_SUITES_H

int suite_table(void);
int suite_aes(void);
int suite_wrap(void);
int suite_digest(void);
int suite_rsa(void);
int suite_ec(void);
int suite_attr(void);
int suite_cryppo(void);

#endif /* TESTS_UNIT_MECH_TEST_SUITES_H */
