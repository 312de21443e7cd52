/* tests/fault_remote/suites.h - the fault tests, registered by main.c
 * into one suite that shares the fixture (fixture.h). */
#ifndef TESTS_FAULT_REMOTE_SUITES_H
#define TESTS_FAULT_REMOTE_SUITES_H

#include <CUnit/CUnit.h>

/* A server that dies, stalls or talks nonsense during a sync or a write
 * (test_sync_faults.c). */
void fault_sync_register(CU_pSuite s);
/* No lock held across a network call (test_no_lock.c). */
void fault_no_lock_register(CU_pSuite s);

#endif /* TESTS_FAULT_REMOTE_SUITES_H */
