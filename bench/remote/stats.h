/* bench/remote/stats.h - a monotonic clock and the median / 90th
 * percentile of a run of timings. */
#ifndef BENCH_REMOTE_STATS_H
#define BENCH_REMOTE_STATS_H

#include <stddef.h>

/* Seconds on CLOCK_MONOTONIC. */
double stats_now(void);

typedef struct stats {
    double median;
    double p90;
    double min;
} stats;

/* Sorts v in place (n >= 1). */
stats stats_of(double *v, size_t n);

#endif /* BENCH_REMOTE_STATS_H */
