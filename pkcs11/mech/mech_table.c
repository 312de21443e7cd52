/* pkcs11/mech/mech_table.c - the mechanism table: one row per mechanism.
 *
 * PKCS#11 3.0 (CK_MECHANISM_INFO): ulMinKeySize/ulMaxKeySize are in bytes
 * for AES and in bits for RSA and EC; flags say what C_* functions the
 * mechanism may be used with.  Adding a mechanism = one row + a handler.
 */
#include "mech.h"

#include <string.h>

#include "mech_internal.h"

#define ENC_DEC (MECH_ENCRYPT | MECH_DECRYPT)
#define SIGN_VER (MECH_SIGN | MECH_VERIFY)
#define WRAP_UNWRAP (MECH_WRAP | MECH_UNWRAP)
#define F_ENC_DEC (CKF_ENCRYPT | CKF_DECRYPT)
#define F_SIGN_VER (CKF_SIGN | CKF_VERIFY)
#define F_WRAP (CKF_WRAP | CKF_UNWRAP)
#define F_EC (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS)
#define RSA_MIN 1024
#define RSA_MAX 8192

#define ROW(t, lo, hi, fl, kt, pu, mp, ops) {t, #t, lo, hi, fl, kt, pu, mp, ops}

/* type, min, max, CKF flags, key type, purposes, multi-part, handler */
static const mech_row rows[] = {
    /* AES (key sizes in bytes) */
    ROW(CKM_AES_KEY_GEN, 16, 32, CKF_GENERATE, CKK_AES, MECH_GENERATE, 0, NULL),
    ROW(CKM_AES_GCM, 16, 32, F_ENC_DEC, CKK_AES, ENC_DEC, 1, &mech_aes_gcm_ops),
    ROW(CKM_AES_CBC, 16, 32, F_ENC_DEC, CKK_AES, ENC_DEC, 1, &mech_aes_cbc_ops),
    ROW(CKM_AES_CBC_PAD, 16, 32, F_ENC_DEC | F_WRAP, CKK_AES,
        ENC_DEC | WRAP_UNWRAP, 1, &mech_aes_cbc_ops),
    ROW(CKM_AES_KEY_WRAP, 16, 32, F_ENC_DEC | F_WRAP, CKK_AES,
        ENC_DEC | WRAP_UNWRAP, 0, &mech_aes_kw_ops),
    ROW(CKM_AES_KEY_WRAP_PAD, 16, 32, F_ENC_DEC | F_WRAP, CKK_AES,
        ENC_DEC | WRAP_UNWRAP, 0, &mech_aes_kw_ops),
    ROW(CKM_AES_KEY_WRAP_KWP, 16, 32, F_ENC_DEC | F_WRAP, CKK_AES,
        ENC_DEC | WRAP_UNWRAP, 0, &mech_aes_kw_ops),

    /* RSA (key sizes in bits) */
    ROW(CKM_RSA_PKCS_KEY_PAIR_GEN, RSA_MIN, RSA_MAX, CKF_GENERATE_KEY_PAIR,
        CKK_RSA, MECH_GENERATE_KEY_PAIR, 0, NULL),
    ROW(CKM_RSA_PKCS, RSA_MIN, RSA_MAX, F_ENC_DEC | F_SIGN_VER | F_WRAP,
        CKK_RSA, ENC_DEC | SIGN_VER | WRAP_UNWRAP, 0, &mech_rsa_ops),
    ROW(CKM_RSA_PKCS_OAEP, RSA_MIN, RSA_MAX, F_ENC_DEC | F_WRAP, CKK_RSA,
        ENC_DEC | WRAP_UNWRAP, 0, &mech_rsa_ops),
    ROW(CKM_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER, 0,
        &mech_rsa_ops),
    ROW(CKM_SHA1_RSA_PKCS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER, 1,
        &mech_rsa_ops),
    ROW(CKM_SHA224_RSA_PKCS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER,
        1, &mech_rsa_ops),
    ROW(CKM_SHA256_RSA_PKCS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER,
        1, &mech_rsa_ops),
    ROW(CKM_SHA384_RSA_PKCS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER,
        1, &mech_rsa_ops),
    ROW(CKM_SHA512_RSA_PKCS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER,
        1, &mech_rsa_ops),
    ROW(CKM_SHA1_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA,
        SIGN_VER, 1, &mech_rsa_ops),
    ROW(CKM_SHA224_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA,
        SIGN_VER, 1, &mech_rsa_ops),
    ROW(CKM_SHA256_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA,
        SIGN_VER, 1, &mech_rsa_ops),
    ROW(CKM_SHA384_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA,
        SIGN_VER, 1, &mech_rsa_ops),
    ROW(CKM_SHA512_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, F_SIGN_VER, CKK_RSA,
        SIGN_VER, 1, &mech_rsa_ops),

    /* EC (key sizes in bits: P-256 and P-384) */
    ROW(CKM_EC_KEY_PAIR_GEN, 256, 384, CKF_GENERATE_KEY_PAIR | F_EC, CKK_EC,
        MECH_GENERATE_KEY_PAIR, 0, NULL),
    ROW(CKM_ECDSA, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 0,
        &mech_ec_ops),
    ROW(CKM_ECDSA_SHA1, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 1,
        &mech_ec_ops),
    ROW(CKM_ECDSA_SHA224, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 1,
        &mech_ec_ops),
    ROW(CKM_ECDSA_SHA256, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 1,
        &mech_ec_ops),
    ROW(CKM_ECDSA_SHA384, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 1,
        &mech_ec_ops),
    ROW(CKM_ECDSA_SHA512, 256, 384, F_SIGN_VER | F_EC, CKK_EC, SIGN_VER, 1,
        &mech_ec_ops),

    /* digests */
    ROW(CKM_SHA_1, 0, 0, CKF_DIGEST, MECH_NO_KEY, MECH_DIGEST, 1,
        &mech_digest_ops),
    ROW(CKM_SHA224, 0, 0, CKF_DIGEST, MECH_NO_KEY, MECH_DIGEST, 1,
        &mech_digest_ops),
    ROW(CKM_SHA256, 0, 0, CKF_DIGEST, MECH_NO_KEY, MECH_DIGEST, 1,
        &mech_digest_ops),
    ROW(CKM_SHA384, 0, 0, CKF_DIGEST, MECH_NO_KEY, MECH_DIGEST, 1,
        &mech_digest_ops),
    ROW(CKM_SHA512, 0, 0, CKF_DIGEST, MECH_NO_KEY, MECH_DIGEST, 1,
        &mech_digest_ops),

    /* Meeco Cryppo (include/meeco-pkcs11.h) */
    ROW(CKM_MEECO_CRYPPO_AES_GCM, 32, 32, F_ENC_DEC, CKK_AES, ENC_DEC, 0,
        &mech_cryppo_aes_ops),
    ROW(CKM_MEECO_CRYPPO_RSA, 2048, RSA_MAX, F_ENC_DEC | F_WRAP, CKK_RSA,
        ENC_DEC | WRAP_UNWRAP, 0, &mech_cryppo_rsa_ops),
    ROW(CKM_MEECO_CRYPPO_SIGN, 2048, RSA_MAX, F_SIGN_VER, CKK_RSA, SIGN_VER, 0,
        &mech_cryppo_sign_ops),
};

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

CK_RV mech_list(CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
    if (!count)
        return CKR_ARGUMENTS_BAD;
    if (!list) {
        *count = ROW_COUNT;
        return CKR_OK;
    }
    if (*count < ROW_COUNT) {
        *count = ROW_COUNT;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < ROW_COUNT; i++)
        list[i] = rows[i].type;
    *count = ROW_COUNT;
    return CKR_OK;
}

const mech_row *mech_lookup(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < ROW_COUNT; i++)
        if (rows[i].type == type)
            return &rows[i];
    return NULL;
}

CK_RV mech_get_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
    const mech_row *row = mech_lookup(type);

    if (!info)
        return CKR_ARGUMENTS_BAD;
    if (!row)
        return CKR_MECHANISM_INVALID;
    memset(info, 0, sizeof(*info));
    info->ulMinKeySize = row->min_key;
    info->ulMaxKeySize = row->max_key;
    info->flags = row->flags;
    return CKR_OK;
}

const char *mech_name(CK_MECHANISM_TYPE type)
{
    const mech_row *row = mech_lookup(type);

    return row ? row->name : "CKM_?";
}
