/* common/log.h - the one logger: off by default, switched on by environment.
 *
 *   MEECO_PKCS11_DEBUG=level:3,file:/tmp/p11.log,areas:pkcs11,store
 *
 * level 1 = error, 2 = warn, 3 = info, 4 = debug (default 4 when the
 * variable is set without a level).  areas is a comma list of area
 * names (default: all).  Output goes to stderr unless file: is given.
 * A disabled logger costs one branch.  NEVER pass a PIN, key, token or
 * decrypted value to these macros.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

enum log_level { LOG_ERROR = 1, LOG_WARN = 2, LOG_INFO = 3, LOG_DEBUG = 4 };

enum log_area {
    LOG_AREA_COMMON = 1 << 0,
    LOG_AREA_CRYPPO = 1 << 1,
    LOG_AREA_STORE = 1 << 2,
    LOG_AREA_KEYSTORE = 1 << 3,
    LOG_AREA_VAULT = 1 << 4,
    LOG_AREA_PKCS11 = 1 << 5,
    LOG_AREA_HTTP = 1 << 6,
    LOG_AREA_SERVER = 1 << 7,
};

/* Lazily reads the environment once (thread-safe).  Returns non-zero
 * when a message of this area and level would be written. */
int log_enabled(enum log_area area, enum log_level level);

void log_write(enum log_area area, enum log_level level, const char *file,
               int line, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Re-read the environment (tests; after fork). */
void log_reset(void);

#define LOG_AT(area, lvl, ...)                                               \
    do {                                                                     \
        if (log_enabled((area), (lvl)))                                      \
            log_write((area), (lvl), __FILE__, __LINE__, __func__,           \
                      __VA_ARGS__);                                          \
    } while (0)

#define LOGE(area, ...) LOG_AT(area, LOG_ERROR, __VA_ARGS__)
#define LOGW(area, ...) LOG_AT(area, LOG_WARN, __VA_ARGS__)
#define LOGI(area, ...) LOG_AT(area, LOG_INFO, __VA_ARGS__)
#define LOGD(area, ...) LOG_AT(area, LOG_DEBUG, __VA_ARGS__)

#endif /* COMMON_LOG_H */
