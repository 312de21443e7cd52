/* pkcs11/core/hmap.h - a small hash map from byte strings to pointers.
 *
 * Used for the object indexes (label -> objects, store key -> handle).
 * Keys are copied; values are owned by the caller.  Not locked: callers
 * hold the token lock.
 */
#ifndef PKCS11_CORE_HMAP_H
#define PKCS11_CORE_HMAP_H

#include <stddef.h>

typedef struct p11_hmap p11_hmap;

p11_hmap *p11_hmap_new(void);
/* Frees the map and its keys; calls free_value on each value if not NULL. */
void p11_hmap_free(p11_hmap *m, void (*free_value)(void *));

/* The value for key, or NULL. */
void *p11_hmap_get(const p11_hmap *m, const void *key, size_t len);
/* Insert or replace.  Returns 0, or -1 on ENOMEM. */
int p11_hmap_put(p11_hmap *m, const void *key, size_t len, void *value);
/* Remove; returns the old value (or NULL). */
void *p11_hmap_remove(p11_hmap *m, const void *key, size_t len);

#endif /* PKCS11_CORE_HMAP_H */
