/* bench/remote/sdk.c - run sdk-login.js and read its result line. */
#include "sdk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sdk_bench(const char *script, const char *base_url, const char *secret,
              const char *passphrase, int n, stats *out)
{
    char cmd[1024], line[512];
    double med = 0, p90 = 0, min = 0;
    int found = 0;
    FILE *p;

    if (strchr(script, '\'') || strchr(base_url, '\''))
        return -1;
    snprintf(cmd, sizeof(cmd), "node '%s' '%s' %d", script, base_url, n);
    if (setenv("MEECO_BENCH_SECRET", secret, 1) != 0 ||
        setenv("MEECO_BENCH_PASSPHRASE", passphrase, 1) != 0)
        return -1;
    fflush(stdout);
    p = popen(cmd, "r");
    while (p && fgets(line, sizeof(line), p)) {
        if (sscanf(line, "#R sdk_login_ms %lf %lf %lf", &med, &p90, &min) == 3)
            found = 1;
        else
            fputs(line, stdout);
    }
    if (!p || pclose(p) != 0 || !found) {
        fprintf(stderr, "%s did not report a login time\n", script);
        found = 0;
    }
    unsetenv("MEECO_BENCH_SECRET");
    unsetenv("MEECO_BENCH_PASSPHRASE");
    out->median = med / 1000;
    out->p90 = p90 / 1000;
    out->min = min / 1000;
    return found ? 0 : -1;
}
