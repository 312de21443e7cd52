/* tests/fault_remote: the remote backend when the network or the server
 * fails.  The module (dlopened) talks to meeco-server, in this process,
 * through a proxy that forwards, cuts, delays or garbles (proxy.h). */
#include <CUnit/Basic.h>

#include "fixture.h"
#include "suites.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("fault_remote", fx_suite_init, fx_suite_clean);
    if (s == NULL)
        return 1;
    fault_sync_register(s);
    fault_no_lock_register(s);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() +
                      CU_get_number_of_suites_failed() +
                      CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
