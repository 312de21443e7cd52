/* pkcs11/core/hmap.c - chained hash map, FNV-1a, doubling at load 1. */
#include "hmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    void *value;
    uint64_t hash;
    size_t len;
    unsigned char key[];
};

struct p11_hmap {
    struct node **b;
    size_t nb;
    size_t n;
};

static uint64_t fnv1a(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

p11_hmap *p11_hmap_new(void)
{
    p11_hmap *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    m->nb = 64;
    m->b = calloc(m->nb, sizeof(*m->b));
    if (m->b == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

void p11_hmap_free(p11_hmap *m, void (*free_value)(void *))
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->nb; i++) {
        struct node *n = m->b[i];
        while (n != NULL) {
            struct node *next = n->next;
            if (free_value != NULL)
                free_value(n->value);
            free(n);
            n = next;
        }
    }
    free(m->b);
    free(m);
}

static struct node **find(const p11_hmap *m, const void *key, size_t len,
                          uint64_t h)
{
    struct node **pp = &m->b[h & (m->nb - 1)];
    while (*pp != NULL) {
        struct node *n = *pp;
        if (n->hash == h && n->len == len && memcmp(n->key, key, len) == 0)
            return pp;
        pp = &n->next;
    }
    return pp;
}

void *p11_hmap_get(const p11_hmap *m, const void *key, size_t len)
{
    struct node **pp = find(m, key, len, fnv1a(key, len));
    return *pp != NULL ? (*pp)->value : NULL;
}

static void rehash(p11_hmap *m)
{
    size_t nb = m->nb * 2;
    struct node **b = calloc(nb, sizeof(*b));
    if (b == NULL)
        return; /* keep working at a higher load */
    for (size_t i = 0; i < m->nb; i++) {
        struct node *n = m->b[i];
        while (n != NULL) {
            struct node *next = n->next;
            n->next = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
            n = next;
        }
    }
    free(m->b);
    m->b = b;
    m->nb = nb;
}

int p11_hmap_put(p11_hmap *m, const void *key, size_t len, void *value)
{
    uint64_t h = fnv1a(key, len);
    struct node **pp = find(m, key, len, h);
    if (*pp != NULL) {
        (*pp)->value = value;
        return 0;
    }
    struct node *n = malloc(sizeof(*n) + len + 1);
    if (n == NULL)
        return -1;
    n->next = NULL;
    n->value = value;
    n->hash = h;
    n->len = len;
    if (len > 0)
        memcpy(n->key, key, len);
    n->key[len] = 0;
    *pp = n;
    if (++m->n > m->nb)
        rehash(m);
    return 0;
}

void *p11_hmap_remove(p11_hmap *m, const void *key, size_t len)
{
    struct node **pp = find(m, key, len, fnv1a(key, len));
    struct node *n = *pp;
    if (n == NULL)
        return NULL;
    void *value = n->value;
    *pp = n->next;
    free(n);
    m->n--;
    return value;
}
