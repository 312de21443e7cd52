/* tests/unit_keystore/test_main.c - runs one suite (argv[1]) or all. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "test_keystore.h"

const char *test_fixtures_dir = KS_FIXTURES_DIR;

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    test_srp_register();
    test_account_register();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1) {
        CU_pSuite s = CU_get_suite(argv[1]);
        if (!s) {
            fprintf(stderr, "no suite %s\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(s);
    } else {
        CU_basic_run_tests();
    }
    unsigned int failed =
        CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
