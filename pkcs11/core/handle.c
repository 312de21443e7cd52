/* pkcs11/core/handle.c - index + generation handle tables. */
#include "handle.h"

#include <stdint.h>
#include <stdlib.h>

#define INDEX_BITS 24
#define INDEX_MASK ((1UL << INDEX_BITS) - 1)
#define GEN_MAX    127U
#define MAX_ENTRIES (INDEX_MASK - 1)

enum entry_state { ENTRY_FREE, ENTRY_RESERVED, ENTRY_LIVE };

struct entry {
    void *ptr;
    uint8_t gen;
    uint8_t state;
    uint32_t next_free; /* index + 1 of the next free entry, 0 = none */
};

struct p11_htable {
    struct entry *e;
    size_t cap;
    size_t live;
    uint32_t free_head; /* index + 1, 0 = none */
};

p11_htable *p11_htable_new(void)
{
    return calloc(1, sizeof(p11_htable));
}

void p11_htable_free(p11_htable *t)
{
    if (t == NULL)
        return;
    free(t->e);
    free(t);
}

static CK_ULONG make_handle(size_t index, uint8_t gen)
{
    return ((CK_ULONG)gen << INDEX_BITS) | (CK_ULONG)(index + 1);
}

/* The entry a handle names, or NULL if out of range or stale. */
static struct entry *lookup(const p11_htable *t, CK_ULONG handle)
{
    size_t index = (size_t)(handle & INDEX_MASK);
    CK_ULONG gen = handle >> INDEX_BITS;

    if (index == 0 || index > t->cap || gen == 0 || gen > GEN_MAX)
        return NULL;
    struct entry *e = &t->e[index - 1];
    if (e->gen != gen || e->state == ENTRY_FREE)
        return NULL;
    return e;
}

static int grow(p11_htable *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 64;
    if (ncap > MAX_ENTRIES)
        ncap = MAX_ENTRIES;
    if (ncap <= t->cap)
        return -1;
    struct entry *ne = realloc(t->e, ncap * sizeof(*ne));
    if (ne == NULL)
        return -1;
    for (size_t i = ncap; i > t->cap; i--) {
        ne[i - 1] = (struct entry){.gen = 1, .state = ENTRY_FREE,
                                   .next_free = t->free_head};
        t->free_head = (uint32_t)i;
    }
    t->e = ne;
    t->cap = ncap;
    return 0;
}

static CK_RV take(p11_htable *t, void *ptr, uint8_t state, CK_ULONG *handle)
{
    if (t->free_head == 0 && grow(t) != 0)
        return CKR_HOST_MEMORY;
    size_t index = t->free_head - 1;
    struct entry *e = &t->e[index];
    t->free_head = e->next_free;
    e->next_free = 0;
    e->ptr = ptr;
    e->state = state;
    if (state == ENTRY_LIVE)
        t->live++;
    *handle = make_handle(index, e->gen);
    return CKR_OK;
}

CK_RV p11_htable_add(p11_htable *t, void *ptr, CK_ULONG *handle)
{
    return take(t, ptr, ENTRY_LIVE, handle);
}

CK_RV p11_htable_reserve(p11_htable *t, CK_ULONG *handle)
{
    return take(t, NULL, ENTRY_RESERVED, handle);
}

CK_RV p11_htable_set(p11_htable *t, CK_ULONG handle, void *ptr)
{
    struct entry *e = lookup(t, handle);
    if (e == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (e->state != ENTRY_LIVE)
        t->live++;
    e->ptr = ptr;
    e->state = ENTRY_LIVE;
    return CKR_OK;
}

void *p11_htable_get(const p11_htable *t, CK_ULONG handle)
{
    struct entry *e = lookup(t, handle);
    return (e != NULL && e->state == ENTRY_LIVE) ? e->ptr : NULL;
}

void p11_htable_unset(p11_htable *t, CK_ULONG handle)
{
    struct entry *e = lookup(t, handle);
    if (e == NULL || e->state != ENTRY_LIVE)
        return;
    e->ptr = NULL;
    e->state = ENTRY_RESERVED;
    t->live--;
}

void *p11_htable_remove(p11_htable *t, CK_ULONG handle)
{
    struct entry *e = lookup(t, handle);
    if (e == NULL)
        return NULL;
    void *ptr = e->ptr;
    if (e->state == ENTRY_LIVE)
        t->live--;
    e->ptr = NULL;
    e->state = ENTRY_FREE;
    e->gen = (uint8_t)(e->gen >= GEN_MAX ? 1 : e->gen + 1);
    e->next_free = t->free_head;
    t->free_head = (uint32_t)((handle & INDEX_MASK));
    return ptr;
}

size_t p11_htable_capacity(const p11_htable *t)
{
    return t->cap;
}

void *p11_htable_at(const p11_htable *t, size_t i)
{
    if (i >= t->cap || t->e[i].state != ENTRY_LIVE)
        return NULL;
    return t->e[i].ptr;
}

size_t p11_htable_count(const p11_htable *t)
{
    return t->live;
}
