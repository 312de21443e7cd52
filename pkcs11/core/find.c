/* pkcs11/core/find.c - C_FindObjectsInit / C_FindObjects / Final.
 *
 * The result set is fixed at init (base spec 5.7: objects created after
 * C_FindObjectsInit need not be found).  Candidates come from the label
 * index when the template has CKA_LABEL, else from the whole table.
 */
#include "objops.h"

#include <stdlib.h>

#include "attr.h"
#include "objtable.h"

CK_RV p11_find_init_locked(p11_session *s, CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
    CK_OBJECT_HANDLE *cand = NULL;
    size_t count = 0, kept = 0;
    if (t == NULL && n > 0)
        return CKR_ARGUMENTS_BAD;
    if (s->finding)
        return CKR_OPERATION_ACTIVE;
    p11_tmpl_log("find", t, n);
    CK_RV rv = p11_token_refresh_locked(s->token);
    if (rv != CKR_OK)
        return rv;
    rv = p11_objects_candidates_locked(t, n, &cand, &count);
    if (rv != CKR_OK)
        return rv;
    for (size_t i = 0; i < count; i++) {
        p11_object *o = p11_objects_get_locked(cand[i]);
        if (o != NULL && p11_object_is_visible(s, o) &&
            p11_object_match(o, t, n))
            cand[kept++] = cand[i];
    }
    s->found = cand;
    s->n_found = kept;
    s->pos = 0;
    s->finding = true;
    return CKR_OK;
}

CK_RV p11_find_next_locked(p11_session *s, CK_OBJECT_HANDLE_PTR out,
                           CK_ULONG max, CK_ULONG_PTR count)
{
    if (out == NULL || count == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!s->finding)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_ULONG n = 0;
    while (n < max && s->pos < s->n_found) {
        CK_OBJECT_HANDLE h = s->found[s->pos++];
        p11_object *o = p11_objects_get_locked(h);
        if (o != NULL && p11_object_is_visible(s, o))
            out[n++] = h;
    }
    *count = n;
    return CKR_OK;
}

CK_RV p11_find_final_locked(p11_session *s)
{
    if (!s->finding)
        return CKR_OPERATION_NOT_INITIALIZED;
    p11_session_end_find(s);
    return CKR_OK;
}
