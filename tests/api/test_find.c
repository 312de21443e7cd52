/* tests/api/test_find.c */
#include "support.h"

int suite_find(void)
{
    return CU_add_suite("find", NULL, NULL) == NULL ? -1 : 0;
}
