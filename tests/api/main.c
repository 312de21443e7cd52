/* tests/api/main.c - runs one suite (argv[1]) or all of them. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "support.h"

static const struct {
    const char *name;
    int (*add)(void);
} suites[] = {
    {"general", suite_general}, {"slot", suite_slot},
    {"session", suite_session}, {"object", suite_object},
    {"find", suite_find},       {"crypto", suite_crypto},
    {"keygen", suite_keygen},   {"process", suite_process},
};

int main(int argc, char **argv)
{
    int found = 0;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        if (argc > 1 && strcmp(argv[1], suites[i].name) != 0)
            continue;
        found = 1;
        if (suites[i].add() != 0) {
            fprintf(stderr, "cannot add suite %s\n", suites[i].name);
            return 2;
        }
    }
    if (!found) {
        fprintf(stderr, "unknown suite %s\n", argv[1]);
        CU_cleanup_registry();
        return 2;
    }
    if (support_setup() != 0) {
        fprintf(stderr, "cannot load the module or make a token\n");
        support_teardown();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() +
                      CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    support_teardown();
    return failed != 0;
}
