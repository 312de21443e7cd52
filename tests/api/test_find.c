/* tests/api/test_find.c - C_FindObjectsInit / C_FindObjects / Final:
 * argument and state errors, chunks, templates, 10,000 objects. */
#include <stdio.h>
#include <string.h>

#include "support.h"

static void find_states(void)
{
    CK_OBJECT_HANDLE h[4];
    CK_ULONG n = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 0);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 4, &n),
                    CKR_OPERATION_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(s, NULL, 2), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(s, NULL, 0), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(s, NULL, 0), CKR_OPERATION_ACTIVE);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, NULL, 4, &n), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 4, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 4, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 1); /* the public key only */
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 4, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 4, &n),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

static void find_chunks_and_templates(void)
{
    char label[16];
    CK_OBJECT_HANDLE made[20], got[20];
    CK_ULONG n = 0, total = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    for (int i = 0; i < 20; i++) {
        snprintf(label, sizeof(label), "obj%02d", i);
        made[i] = data_create(s, i % 2, i < 10 ? "even" : "odd", label, "v");
    }
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CU_ASSERT_EQUAL_FATAL(p11->C_FindObjectsInit(s, t, 1), CKR_OK);
    do {
        CU_ASSERT_EQUAL(p11->C_FindObjects(s, got + total, 1, &n), CKR_OK);
        CU_ASSERT(n <= 1);
        total += n;
    } while (n > 0 && total < 20);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(s), CKR_OK);
    CU_ASSERT_EQUAL(total, 20);
    for (int i = 0; i < 20; i++) {
        int seen = 0;
        for (CK_ULONG j = 0; j < total; j++)
            seen += got[j] == made[i];
        CU_ASSERT_EQUAL(seen, 1);
    }
    CK_BBOOL tok = CK_TRUE;
    CK_ATTRIBUTE t2[] = {{CKA_CLASS, &cls, sizeof(cls)},
                         {CKA_TOKEN, &tok, 1},
                         {CKA_APPLICATION, (void *)"even", 4}};
    CU_ASSERT_EQUAL(find_count(s, t2, 3, NULL), 5);
    CK_ATTRIBUTE t3[] = {{CKA_LABEL, (void *)"obj07", 5}};
    CK_OBJECT_HANDLE h = 0;
    CU_ASSERT_EQUAL(find_count(s, t3, 1, &h), 1);
    CU_ASSERT_EQUAL(h, made[7]);
    CK_ATTRIBUTE none[] = {{CKA_LABEL, (void *)"nope", 4}};
    CU_ASSERT_EQUAL(find_count(s, none, 1, NULL), 0);
    /* an attribute the objects do not have matches nothing */
    CK_ATTRIBUTE mod[] = {{CKA_CLASS, &cls, sizeof(cls)},
                          {CKA_MODULUS, (void *)"x", 1}};
    CU_ASSERT_EQUAL(find_count(s, mod, 2, NULL), 0);
    /* a sensitive value is never matched */
    CK_OBJECT_CLASS sk = CKO_SECRET_KEY;
    CK_BYTE zero[32] = {0};
    CK_ATTRIBUTE sv[] = {{CKA_CLASS, &sk, sizeof(sk)},
                         {CKA_VALUE, zero, sizeof(zero)}};
    CU_ASSERT_EQUAL(find_count(s, sv, 2, NULL), 0);
    lib_fini();
}

/* 10,000 session data objects, 300 token ones: a label finds exactly its
 * object (through the label index). */
static void find_among_many(void)
{
    char label[32];
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE want = 0, want_tok = 0;
    for (int i = 0; i < 10000; i++) {
        snprintf(label, sizeof(label), "many-%05d", i);
        CK_OBJECT_HANDLE h = data_create(s, 0, "bulk", label, "v");
        if (i == 4321)
            want = h;
    }
    for (int i = 0; i < 300; i++) {
        snprintf(label, sizeof(label), "tok_%05d", i);
        CK_OBJECT_HANDLE h = data_create(s, 1, "bulk", label, "v");
        if (i == 123)
            want_tok = h;
    }
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, (void *)"many-04321", 10}};
    CK_OBJECT_HANDLE h = 0;
    CU_ASSERT_EQUAL(find_count(s, t, 2, &h), 1);
    CU_ASSERT_EQUAL(h, want);
    lib_fini();
    s = session_open(0, 1);
    CK_ATTRIBUTE t2[] = {{CKA_LABEL, (void *)"tok_00123", 9}};
    CU_ASSERT_EQUAL(find_count(s, t2, 1, &h), 1);
    CU_ASSERT_EQUAL(h, want_tok);
    CK_ATTRIBUTE t3[] = {{CKA_APPLICATION, (void *)"bulk", 4}};
    CU_ASSERT_EQUAL(find_count(s, t3, 1, NULL), 300);
    lib_fini();
}

int suite_find(void)
{
    CU_pSuite s = CU_add_suite("find", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, find_states);
    ADD(s, find_chunks_and_templates);
    ADD(s, find_among_many);
    return 0;
}
