/* tests/api/test_object.c */
#include "support.h"

int suite_object(void)
{
    return CU_add_suite("object", NULL, NULL) == NULL ? -1 : 0;
}
