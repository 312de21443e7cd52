/* pkcs11/core/objtable.h - every object of the process, by handle, with
 * the indexes that make C_FindObjects fast.
 *
 * The table and the store-key registry live for the whole process (they
 * survive C_Finalize): the token object a store id names keeps the same
 * handle across sessions, logins, re-reads and re-initialization of the
 * library.  Session objects get fresh handles.  Handles of destroyed
 * objects become stale (generation counter, see handle.h).
 *
 * Index: CKA_LABEL -> handles (hash map), so a find by label among 10,000
 * objects touches only the objects with that label.  A find without a
 * label walks the table.
 *
 * All functions need the token lock (or the init guard with no other
 * thread inside the library).
 */
#ifndef PKCS11_CORE_OBJTABLE_H
#define PKCS11_CORE_OBJTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "cryptoki.h"
#include "object.h"

/* Add a session object; the table owns o from now on (even on error). */
CK_RV p11_objects_add_session_locked(p11_object *o, CK_OBJECT_HANDLE *h);
/* Add or replace the token object named o->store_key; it takes the
 * handle that key always had.  The table owns o (even on error). */
CK_RV p11_objects_put_token_locked(p11_object *o, CK_OBJECT_HANDLE *h);
/* The handle a store key has (or had); 0 if never seen. */
CK_OBJECT_HANDLE p11_objects_handle_of_locked(const char *store_key);

p11_object *p11_objects_get_locked(CK_OBJECT_HANDLE h);
/* Free an object for good: the handle becomes stale. */
void p11_objects_destroy_locked(CK_OBJECT_HANDLE h);
/* Call before changing CKA_LABEL of an object, and _reindex after. */
void p11_objects_unindex_locked(p11_object *o);
CK_RV p11_objects_reindex_locked(p11_object *o);

/* Token objects not seen since epoch (private ones only if `priv`,
 * public ones only if `pub`) are unloaded: freed, handle kept reserved. */
void p11_objects_sweep_locked(unsigned epoch, bool pub, bool priv);
/* Unload private token objects (logout). */
void p11_objects_unload_private_locked(void);
/* Free session objects of one session (or of all: owner 0). */
void p11_objects_drop_session_locked(CK_SESSION_HANDLE owner);
/* Free every loaded object (C_Finalize); registry kept. */
void p11_objects_clear_locked(void);

/* Candidates for a find template: fills *h with a malloc'd array. */
CK_RV p11_objects_candidates_locked(const CK_ATTRIBUTE *t, CK_ULONG n,
                                    CK_OBJECT_HANDLE **h, size_t *count);

#endif /* PKCS11_CORE_OBJTABLE_H */
