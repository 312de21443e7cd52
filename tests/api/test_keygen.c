/* tests/api/test_keygen.c */
#include "support.h"

int suite_keygen(void)
{
    return CU_add_suite("keygen", NULL, NULL) == NULL ? -1 : 0;
}
