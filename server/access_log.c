/* server/access_log.c - thread-safe access log without secrets. */
#include "access_log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct srv_access_log {
    FILE *f;
    int owned;
    pthread_mutex_t lock;
};

srv_access_log *srv_access_log_open(const char *path)
{
    srv_access_log *log = calloc(1, sizeof(*log));

    if (!log)
        return NULL;
    pthread_mutex_init(&log->lock, NULL);
    if (!path || !*path || strcmp(path, "off") == 0)
        return log;
    if (strcmp(path, "-") == 0) {
        log->f = stderr;
        return log;
    }
    log->f = fopen(path, "a");
    if (!log->f) {
        srv_access_log_close(log);
        return NULL;
    }
    log->owned = 1;
    return log;
}

void srv_access_log_close(srv_access_log *log)
{
    if (!log)
        return;
    if (log->owned)
        fclose(log->f);
    pthread_mutex_destroy(&log->lock);
    free(log);
}

void srv_access_log_write(srv_access_log *log, const char *peer,
                          const char *method, const char *base,
                          const char *pattern, unsigned status, int64_t usec)
{
    char when[SRV_TIME_LEN + 1];

    if (!log || !log->f)
        return;
    srv_time_iso(srv_now_ms(), when);
    pthread_mutex_lock(&log->lock);
    fprintf(log->f, "%s %s %s %s%s %u %lld.%01lldms\n", when, peer ? peer : "-",
            method, base ? base : "", pattern ? pattern : "(unmatched)", status,
            (long long)(usec / 1000), (long long)((usec % 1000) / 100));
    fflush(log->f);
    pthread_mutex_unlock(&log->lock);
}
