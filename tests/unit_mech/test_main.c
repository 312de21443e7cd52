/* tests/unit_mech/test_main.c - runs one suite of the mechanism tests
 * (argument: its name) or all of them. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "test_suites.h"
#include "test_util.h"

static const struct {
    const char *name;
    int (*add)(void);
} suites[] = {
    {"table", suite_table},   {"aes", suite_aes},   {"wrap", suite_wrap},
    {"digest", suite_digest}, {"rsa", suite_rsa},   {"ec", suite_ec},
    {"attr", suite_attr},     {"cryppo", suite_cryppo},
};

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    unsigned failed;
    int found = 0;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        if (only && strcmp(only, suites[i].name) != 0)
            continue;
        found = 1;
        if (suites[i].add() != 0) {
            fprintf(stderr, "cannot register suite %s\n", suites[i].name);
            CU_cleanup_registry();
            return 2;
        }
    }
    if (!found) {
        fprintf(stderr, "unknown suite %s\n", only);
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    tu_keys_free();
    return failed ? 1 : 0;
}
