/* tests/unit_cryppo/test_main.c - CUnit runner for the cryppo suites.
 *
 *   test_cryppo            run every suite
 *   test_cryppo SUITE      run one suite (how ctest registers them)
 */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

int main(int argc, char **argv)
{
    unsigned failed;
    CU_pSuite suite = NULL;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (suite_encoding_add() || suite_vectors_add() ||
        suite_roundtrip_add() || suite_malformed_add() ||
        suite_chunked_add()) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1) {
        suite = CU_get_suite(argv[1]);
        if (!suite) {
            fprintf(stderr, "no suite named %s\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(suite);
    } else {
        CU_basic_run_tests();
    }
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    tu_keys_free();
    return failed ? 1 : 0;
}
