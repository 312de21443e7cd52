/* bench/remote/sdk.h - the Meeco JS SDK's login (UserService.getAuthData
 * of @meeco/sdk 0.0.13-alpha) on the same account, by running
 * `node sdk-login.js BASE_URL N` with the secret and passphrase in its
 * environment (MEECO_BENCH_SECRET, MEECO_BENCH_PASSPHRASE). */
#ifndef BENCH_REMOTE_SDK_H
#define BENCH_REMOTE_SDK_H

#include "stats.h"

/* Parses the script's "#R sdk_login_ms MEDIAN P90 MIN" line (milliseconds
 * in, seconds out).  0 on success. */
int sdk_bench(const char *script, const char *base_url, const char *secret,
              const char *passphrase, int n, stats *out);

#endif /* BENCH_REMOTE_SDK_H */
