/* pkcs11/cryptoki.h - the PKCS#11 3.0 types for the module.
 *
 * The OASIS-layout headers come from libnss3-dev (/usr/include/nss, which
 * pulls prtypes.h from /usr/include/nspr); the vendor constants from
 * include/meeco-pkcs11.h.  Every file under pkcs11/ includes this header
 * rather than <pkcs11.h> directly, so the choice of header lives here.
 */
#ifndef PKCS11_CRYPTOKI_H
#define PKCS11_CRYPTOKI_H

#include <pkcs11.h>

#include "meeco-pkcs11.h"

/* Exported entry points (everything else is hidden). */
#define P11_EXPORT __attribute__((visibility("default")))

#endif /* PKCS11_CRYPTOKI_H */
