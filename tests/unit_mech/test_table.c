/* tests/unit_mech/test_table.c - the mechanism table: C_GetMechanismList
 * size semantics, C_GetMechanismInfo, lookups. */
#include <string.h>

#include "test_suites.h"
#include "test_util.h"

static void test_list_size_query(void)
{
    CK_MECHANISM_TYPE list[64];
    CK_ULONG n = 0, small = 2;

    TU_ASSERT_RV(mech_list(NULL, &n), CKR_OK);
    CU_ASSERT_FATAL(n > 20 && n <= 64);
    TU_ASSERT_RV(mech_list(list, &small), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(small, n);
    small = 64;
    TU_ASSERT_RV(mech_list(list, &small), CKR_OK);
    CU_ASSERT_EQUAL(small, n);
    TU_ASSERT_RV(mech_list(list, NULL), CKR_ARGUMENTS_BAD);
}

static void test_list_matches_lookup(void)
{
    CK_MECHANISM_TYPE list[64];
    CK_ULONG n = 64;
    int seen_gcm = 0, seen_vendor = 0;

    TU_ASSERT_RV(mech_list(list, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        const mech_row *row = mech_lookup(list[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(row);
        CU_ASSERT_EQUAL(row->type, list[i]);
        CU_ASSERT_STRING_EQUAL(mech_name(list[i]), row->name);
        CU_ASSERT(row->min_key <= row->max_key);
        seen_gcm |= list[i] == CKM_AES_GCM;
        seen_vendor |= list[i] == CKM_MEECO_CRYPPO_RSA;
        for (CK_ULONG j = 0; j < i; j++)
            CU_ASSERT_NOT_EQUAL(list[i], list[j]);
    }
    CU_ASSERT(seen_gcm && seen_vendor);
}

static void test_info(void)
{
    CK_MECHANISM_INFO info;

    TU_ASSERT_RV(mech_get_info(CKM_AES_GCM, &info), CKR_OK);
    CU_ASSERT_EQUAL(info.ulMinKeySize, 16);
    CU_ASSERT_EQUAL(info.ulMaxKeySize, 32);
    CU_ASSERT_EQUAL(info.flags, CKF_ENCRYPT | CKF_DECRYPT);
    TU_ASSERT_RV(mech_get_info(CKM_RSA_PKCS_OAEP, &info), CKR_OK);
    CU_ASSERT(info.flags & CKF_WRAP);
    CU_ASSERT(info.flags & CKF_UNWRAP);
    CU_ASSERT_FALSE(info.flags & CKF_SIGN);
    TU_ASSERT_RV(mech_get_info(CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    CU_ASSERT_EQUAL(info.flags, CKF_GENERATE_KEY_PAIR);
    TU_ASSERT_RV(mech_get_info(CKM_SHA256, &info), CKR_OK);
    CU_ASSERT_EQUAL(info.flags, CKF_DIGEST);
    TU_ASSERT_RV(mech_get_info(CKM_MEECO_CRYPPO_AES_GCM, &info), CKR_OK);
    CU_ASSERT_EQUAL(info.ulMinKeySize, 32);
    TU_ASSERT_RV(mech_get_info(CKM_DES3_CBC, &info), CKR_MECHANISM_INVALID);
    TU_ASSERT_RV(mech_get_info(CKM_AES_GCM, NULL), CKR_ARGUMENTS_BAD);
}

static void test_both_kwp_numbers(void)
{
    CU_ASSERT_PTR_NOT_NULL(mech_lookup(0x210A));
    CU_ASSERT_PTR_NOT_NULL(mech_lookup(0x210B));
    CU_ASSERT_PTR_NULL(mech_lookup(CKM_VENDOR_DEFINED));
    CU_ASSERT_STRING_EQUAL(mech_name(CKM_VENDOR_DEFINED), "CKM_?");
}

static void test_init_rejects(void)
{
    uint8_t k[32] = {0};
    mech_key key = tu_aes_key(k, sizeof(k));
    CK_MECHANISM m = {CKM_SHA256, NULL, 0};
    CK_MECHANISM bad = {CKM_DES3_CBC, NULL, 0};
    mech_op *op = NULL;

    /* digest mechanism asked to encrypt */
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &key),
                 CKR_MECHANISM_INVALID);
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &bad, &key),
                 CKR_MECHANISM_INVALID);
    TU_ASSERT_RV(mech_op_init(&op, MECH_WRAP, &m, &key), CKR_ARGUMENTS_BAD);
    TU_ASSERT_RV(mech_op_init(NULL, MECH_DIGEST, &m, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_PTR_NULL(op);
}

int suite_table(void)
{
    static const tu_test tests[] = {
        {"list size query", test_list_size_query},
        {"list matches lookup", test_list_matches_lookup},
        {"mechanism info", test_info},
        {"both KWP numbers", test_both_kwp_numbers},
        {"init rejects", test_init_rejects},
        {NULL, NULL},
    };
    return tu_add_suite("table", tests, NULL);
}
