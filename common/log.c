/* common/log.c - lazily configured, thread-safe debug logger. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static volatile int log_configured;
static int log_max_level;        /* 0 = off */
static unsigned log_areas;
static FILE *log_file;

static const struct {
    const char *name;
    enum log_area area;
} area_names[] = {
    {"common", LOG_AREA_COMMON},     {"cryppo", LOG_AREA_CRYPPO},
    {"store", LOG_AREA_STORE},       {"keystore", LOG_AREA_KEYSTORE},
    {"vault", LOG_AREA_VAULT},       {"pkcs11", LOG_AREA_PKCS11},
    {"http", LOG_AREA_HTTP},         {"server", LOG_AREA_SERVER},
};

static unsigned parse_areas(const char *list)
{
    unsigned mask = 0;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, "+;|", &save); t;
         t = strtok_r(NULL, "+;|", &save)) {
        for (size_t i = 0; i < sizeof(area_names) / sizeof(area_names[0]); i++)
            if (strcmp(t, area_names[i].name) == 0)
                mask |= area_names[i].area;
    }
    return mask ? mask : ~0u;
}

/* Format: level:N,file:PATH,areas:a+b+c  (areas separated by '+' or ';'
 * or '|', because ',' separates the options).  A bare number is a level. */
static void configure_locked(void)
{
    const char *env = secure_getenv("MEECO_PKCS11_DEBUG");
    log_max_level = 0;
    log_areas = ~0u;
    if (log_file && log_file != stderr)
        fclose(log_file);
    log_file = NULL;
    if (env && *env) {
        char buf[512];
        log_max_level = LOG_DEBUG;
        snprintf(buf, sizeof(buf), "%s", env);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
             t = strtok_r(NULL, ",", &save)) {
            if (strncmp(t, "level:", 6) == 0)
                log_max_level = atoi(t + 6);
            else if (strncmp(t, "file:", 5) == 0)
                log_file = fopen(t + 5, "ae");
            else if (strncmp(t, "areas:", 6) == 0)
                log_areas = parse_areas(t + 6);
            else if (t[0] >= '0' && t[0] <= '9')
                log_max_level = atoi(t);
        }
    }
    if (log_max_level > 0 && !log_file)
        log_file = stderr;
    log_configured = 1;
}

int log_enabled(enum log_area area, enum log_level level)
{
    if (!log_configured) {
        pthread_mutex_lock(&log_mutex);
        if (!log_configured)
            configure_locked();
        pthread_mutex_unlock(&log_mutex);
    }
    return log_max_level >= (int)level && (log_areas & (unsigned)area);
}

void log_reset(void)
{
    pthread_mutex_lock(&log_mutex);
    configure_locked();
    pthread_mutex_unlock(&log_mutex);
}

void log_write(enum log_area area, enum log_level level, const char *file,
               int line, const char *func, const char *fmt, ...)
{
    static const char *lvl[] = {"?", "ERROR", "WARN", "INFO", "DEBUG"};
    const char *aname = "?";
    char msg[1024];
    struct timeval tv;
    struct tm tm;
    va_list ap;

    for (size_t i = 0; i < sizeof(area_names) / sizeof(area_names[0]); i++)
        if (area_names[i].area == area)
            aname = area_names[i].name;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    pthread_mutex_lock(&log_mutex);
    if (log_file) {
        fprintf(log_file,
                "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ meeco[%s] %s %s:%d %s: %s\n",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, (long)tv.tv_usec, aname,
                lvl[level <= LOG_DEBUG ? level : 0], file, line, func, msg);
        fflush(log_file);
    }
    pthread_mutex_unlock(&log_mutex);
}
