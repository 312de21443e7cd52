/* common/secbuf.c - secret buffers that are wiped on release. */
#include "secbuf.h"

#include <string.h>

#include <openssl/crypto.h>

int secbuf_alloc(secbuf *b, size_t len)
{
    b->p = OPENSSL_zalloc(len + 1);
    b->len = b->p ? len : 0;
    return b->p ? 0 : -1;
}

int secbuf_dup(secbuf *b, const void *src, size_t len)
{
    if (secbuf_alloc(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->p, src, len);
    return 0;
}

void secbuf_free(secbuf *b)
{
    if (b->p)
        OPENSSL_clear_free(b->p, b->len + 1);
    b->p = NULL;
    b->len = 0;
}

void secure_wipe(void *p, size_t len)
{
    if (p && len)
        OPENSSL_cleanse(p, len);
}

void secure_free(void *p, size_t len)
{
    if (p)
        OPENSSL_clear_free(p, len);
}
