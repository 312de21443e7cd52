/* tests/api/test_crypto.c */
#include "support.h"

int suite_crypto(void)
{
    return CU_add_suite("crypto", NULL, NULL) == NULL ? -1 : 0;
}
