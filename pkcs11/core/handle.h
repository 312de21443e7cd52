/* pkcs11/core/handle.h - handle tables: handles are indices, not pointers.
 *
 * A handle packs a table index and a generation counter:
 *
 *   bits  0..23  index + 1        (so 0 is never a valid handle)
 *   bits 24..30  generation 1..127 (bumped each time a slot is freed)
 *
 * so a stale handle (closed session, destroyed object) is detected instead
 * of silently naming whatever reused its slot, and every handle fits in a
 * positive 32-bit integer for tools that print them as int.
 *
 * An entry is FREE, RESERVED (the handle belongs to a token object that is
 * not loaded right now: stable object handles survive logout, re-reads and
 * C_Finalize) or LIVE (ptr set).  Tables are not locked: callers hold the
 * token lock (see lock.h).
 */
#ifndef PKCS11_CORE_HANDLE_H
#define PKCS11_CORE_HANDLE_H

#include <stddef.h>

#include "cryptoki.h"

typedef struct p11_htable p11_htable;

p11_htable *p11_htable_new(void);
/* Frees the table only; the caller owns what the pointers point to. */
void p11_htable_free(p11_htable *t);

/* New LIVE entry. */
CK_RV p11_htable_add(p11_htable *t, void *ptr, CK_ULONG *handle);
/* New RESERVED entry (no pointer yet). */
CK_RV p11_htable_reserve(p11_htable *t, CK_ULONG *handle);
/* Make a RESERVED or LIVE entry LIVE with ptr.  CKR_OBJECT_HANDLE_INVALID
 * when the handle is stale or FREE. */
CK_RV p11_htable_set(p11_htable *t, CK_ULONG handle, void *ptr);
/* The LIVE pointer, or NULL (FREE, RESERVED, stale, out of range). */
void *p11_htable_get(const p11_htable *t, CK_ULONG handle);
/* LIVE -> RESERVED (keeps the handle for later). */
void p11_htable_unset(p11_htable *t, CK_ULONG handle);
/* Any -> FREE, generation bumped.  Returns the old pointer (may be NULL). */
void *p11_htable_remove(p11_htable *t, CK_ULONG handle);

/* Iteration over LIVE entries: for (i = 0; i < cap; i++) at(t, i). */
size_t p11_htable_capacity(const p11_htable *t);
void *p11_htable_at(const p11_htable *t, size_t i);
size_t p11_htable_count(const p11_htable *t);

#endif /* PKCS11_CORE_HANDLE_H */
