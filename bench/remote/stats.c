/* bench/remote/stats.c - clock and order statistics. */
#include "stats.h"

#include <stdlib.h>
#include <time.h>

double stats_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

stats stats_of(double *v, size_t n)
{
    stats s = {0, 0, 0};
    size_t i90;

    if (n == 0)
        return s;
    qsort(v, n, sizeof(*v), by_value);
    s.min = v[0];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    /* nearest rank: the smallest value with >= 90 % at or below it */
    i90 = (9 * n + 9) / 10;
    s.p90 = v[i90 > 0 ? i90 - 1 : 0];
    return s;
}
