/* common/secbuf.h - one type for secret bytes (keys, PINs, plaintext).
 *
 * A secbuf owns heap memory that is always wiped with OPENSSL_cleanse
 * before it is released.  Use it for anything that must not outlive its
 * use: derived keys, decrypted values, passphrases.
 */
#ifndef COMMON_SECBUF_H
#define COMMON_SECBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct secbuf {
    uint8_t *p;   /* NUL-terminated for convenience (p[len] == 0) */
    size_t len;
} secbuf;

/* Allocate len zeroed bytes (+1 hidden NUL).  Returns 0, or -1 on ENOMEM. */
int secbuf_alloc(secbuf *b, size_t len);
/* Copy len bytes from src into a new buffer.  Returns 0 or -1. */
int secbuf_dup(secbuf *b, const void *src, size_t len);
/* Wipe and free; leaves {NULL, 0}.  Safe on an empty secbuf. */
void secbuf_free(secbuf *b);
/* Wipe arbitrary memory (thin wrapper over OPENSSL_cleanse). */
void secure_wipe(void *p, size_t len);
/* Wipe then free memory of known length (OPENSSL_clear_free). */
void secure_free(void *p, size_t len);

#endif /* COMMON_SECBUF_H */
