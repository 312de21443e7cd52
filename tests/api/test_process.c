/* tests/api/test_process.c */
#include "support.h"

int suite_process(void)
{
    return CU_add_suite("process", NULL, NULL) == NULL ? -1 : 0;
}
