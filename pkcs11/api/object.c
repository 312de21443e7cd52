/* pkcs11/api/object.c - object management (base spec 5.7). */
#include "objops.h"
#include "prologue.h"

CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate,
                     CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phObject)
{
    P11_CALL_SESSION(hSession, p11_object_create_locked(sess, pTemplate,
                                                        ulCount, phObject));
}

CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                   CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                   CK_OBJECT_HANDLE_PTR phNewObject)
{
    P11_CALL_SESSION(hSession, p11_object_copy_locked(sess, hObject, pTemplate,
                                                      ulCount, phNewObject));
}

CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject)
{
    P11_CALL_SESSION(hSession, p11_object_destroy_locked(sess, hObject));
}

CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                      CK_ULONG_PTR pulSize)
{
    P11_CALL_SESSION(hSession,
                     p11_object_get_size_locked(sess, hObject, pulSize));
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession,
                          CK_OBJECT_HANDLE hObject,
                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    P11_CALL_SESSION(hSession, p11_object_get_attrs_locked(
                                   sess, hObject, pTemplate, ulCount));
}

CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession,
                          CK_OBJECT_HANDLE hObject,
                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    P11_CALL_SESSION(hSession, p11_object_set_attrs_locked(
                                   sess, hObject, pTemplate, ulCount));
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession,
                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    P11_CALL_SESSION(hSession, p11_find_init_locked(sess, pTemplate, ulCount));
}

CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,
                    CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount)
{
    P11_CALL_SESSION(hSession, p11_find_next_locked(sess, phObject,
                                                    ulMaxObjectCount,
                                                    pulObjectCount));
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
    P11_CALL_SESSION(hSession, p11_find_final_locked(sess));
}
