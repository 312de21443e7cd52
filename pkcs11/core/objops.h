/* pkcs11/core/objops.h - the object functions of a session (base spec
 * 5.7): create, copy, destroy, read, change, size, and the visibility
 * rule they share.
 *
 * Visibility: an object is reachable from a session of the same token;
 * private objects only while the user is logged in.  Token objects go to
 * and come from the backend (the Meeco account); session objects live in
 * memory only and die with their session.
 */
#ifndef PKCS11_CORE_OBJOPS_H
#define PKCS11_CORE_OBJOPS_H

#include <stdbool.h>

#include "cryptoki.h"
#include "object.h"
#include "session.h"

/* The object if the session may see it, else NULL. */
p11_object *p11_object_visible_locked(p11_session *s, CK_OBJECT_HANDLE h);
bool p11_object_is_visible(const p11_session *s, const p11_object *o);

/* Who may create/destroy/modify an object of this kind in this session:
 * CKR_SESSION_READ_ONLY for token objects in an R/O session,
 * CKR_USER_NOT_LOGGED_IN for private objects without a user login. */
CK_RV p11_object_may_write(const p11_session *s, CK_BBOOL token,
                           CK_BBOOL priv);

/* Store a freshly built object: a token object goes to the backend (and
 * comes back as the account's object), a session object to memory.  The
 * function owns o.  *h receives the handle. */
CK_RV p11_object_store_locked(p11_session *s, p11_object *o,
                              CK_OBJECT_HANDLE *h);

CK_RV p11_object_create_locked(p11_session *s, CK_ATTRIBUTE_PTR t,
                               CK_ULONG n, CK_OBJECT_HANDLE_PTR h);
CK_RV p11_object_copy_locked(p11_session *s, CK_OBJECT_HANDLE src,
                             CK_ATTRIBUTE_PTR t, CK_ULONG n,
                             CK_OBJECT_HANDLE_PTR h);
CK_RV p11_object_destroy_locked(p11_session *s, CK_OBJECT_HANDLE h);
CK_RV p11_object_get_attrs_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                  CK_ATTRIBUTE_PTR t, CK_ULONG n);
CK_RV p11_object_set_attrs_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                  CK_ATTRIBUTE_PTR t, CK_ULONG n);
CK_RV p11_object_get_size_locked(p11_session *s, CK_OBJECT_HANDLE h,
                                 CK_ULONG_PTR size);

/* C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal. */
CK_RV p11_find_init_locked(p11_session *s, CK_ATTRIBUTE_PTR t, CK_ULONG n);
CK_RV p11_find_next_locked(p11_session *s, CK_OBJECT_HANDLE_PTR out,
                           CK_ULONG max, CK_ULONG_PTR count);
CK_RV p11_find_final_locked(p11_session *s);

#endif /* PKCS11_CORE_OBJOPS_H */
