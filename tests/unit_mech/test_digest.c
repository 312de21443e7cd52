/* tests/unit_mech/test_digest.c - SHA digests: FIPS 180 "abc" vectors,
 * multi-part equals single-part, size rules. */
#include <string.h>

#include "test_suites.h"
#include "test_util.h"

static const struct {
    CK_MECHANISM_TYPE mech;
    const char *abc;
} vectors[] = {
    {CKM_SHA_1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {CKM_SHA256,
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {CKM_SHA384,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"},
    {CKM_SHA512,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

static void test_abc(void)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        CK_MECHANISM m = {vectors[i].mech, NULL, 0};
        uint8_t want[64], out[64];
        size_t len = tu_hex(vectors[i].abc, want, sizeof(want));
        CK_ULONG n = 0;
        mech_op *op = NULL;

        TU_ASSERT_RV(mech_op_init(&op, MECH_DIGEST, &m, NULL), CKR_OK);
        TU_ASSERT_RV(mech_op_oneshot(op, (const uint8_t *)"abc", 3, NULL, &n),
                     CKR_OK);
        CU_ASSERT_EQUAL(n, len);
        n = len - 1;
        TU_ASSERT_RV(mech_op_oneshot(op, (const uint8_t *)"abc", 3, out, &n),
                     CKR_BUFFER_TOO_SMALL);
        n = sizeof(out);
        TU_ASSERT_RV(mech_op_oneshot(op, (const uint8_t *)"abc", 3, out, &n),
                     CKR_OK);
        CU_ASSERT(n == len && memcmp(out, want, len) == 0);
        mech_op_free(op);

        /* multi-part: "a" + "" + "bc" */
        TU_ASSERT_RV(mech_op_init(&op, MECH_DIGEST, &m, NULL), CKR_OK);
        TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"a", 1, NULL, NULL),
                     CKR_OK);
        TU_ASSERT_RV(mech_op_update(op, NULL, 0, NULL, NULL), CKR_OK);
        TU_ASSERT_RV(mech_op_update(op, (const uint8_t *)"bc", 2, NULL, NULL),
                     CKR_OK);
        n = 4;
        TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_BUFFER_TOO_SMALL);
        CU_ASSERT_TRUE(mech_op_active(op));
        n = sizeof(out);
        TU_ASSERT_RV(mech_op_final(op, out, &n), CKR_OK);
        CU_ASSERT(n == len && memcmp(out, want, len) == 0);
        CU_ASSERT_FALSE(mech_op_active(op));
        mech_op_free(op);
    }
}

static void test_digest_params(void)
{
    uint8_t junk[4] = {0};
    CK_MECHANISM m = {CKM_SHA256, junk, sizeof(junk)};
    mech_op *op = NULL;

    TU_ASSERT_RV(mech_op_init(&op, MECH_DIGEST, &m, NULL),
                 CKR_MECHANISM_PARAM_INVALID);
    m.mechanism = CKM_AES_GCM;
    TU_ASSERT_RV(mech_op_init(&op, MECH_DIGEST, &m, NULL),
                 CKR_MECHANISM_INVALID);
    CU_ASSERT_PTR_NULL(op);
}

int suite_digest(void)
{
    static const tu_test tests[] = {
        {"FIPS 180 abc", test_abc},
        {"digest parameters", test_digest_params},
        {NULL, NULL},
    };
    return tu_add_suite("digest", tests, NULL);
}
