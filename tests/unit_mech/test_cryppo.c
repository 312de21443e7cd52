/* tests/unit_mech/test_cryppo.c - the Meeco vendor mechanisms: every
 * Aes256Gcm / Rsa4096 / signature compat vector through the mechanisms,
 * and round trips with the cryppo library in both directions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cryppo.h"
#include "test_suites.h"
#include "test_util.h"

#define RSA4096 "mech-rsa4096.pem"

static cJSON *load_vectors(void)
{
    FILE *f = fopen(MECH_COMPAT_JSON, "rb");
    cJSON *json = NULL;
    char *text;
    long len;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    text = malloc((size_t)len + 1);
    if (text && fread(text, 1, (size_t)len, f) == (size_t)len) {
        text[len] = '\0';
        json = cJSON_Parse(text);
    }
    free(text);
    fclose(f);
    return json;
}

static const char *str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Decrypt one encryption_with_key vector through its mechanism. */
static int decrypt_vector(const cJSON *v, int *rsa)
{
    const char *strategy = str(v, "encryption_strategy");
    const char *key = str(v, "key"), *ser = str(v, "serialized");
    const char *want = str(v, "expected_decryption_result");
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_AES_GCM, NULL, 0};
    size_t len = ser ? strlen(ser) : 0;
    uint8_t *out = malloc(len + 1);
    CK_ULONG n = len;
    EVP_PKEY *pkey = NULL;
    secbuf raw = {0};
    mech_key mk;
    int ok = 0;

    if (!strategy || !key || !want || !out)
        goto out;
    *rsa = strcmp(strategy, "Rsa4096") == 0;
    if (*rsa) {
        m.mechanism = CKM_MEECO_CRYPPO_RSA;
        if (cryppo_rsa_private_from_pem(key, strlen(key), &pkey) != CRYPPO_OK)
            goto out;
        mk = tu_pkey(CKK_RSA, pkey);
    } else {
        if (cryppo_b64url_decode(key, strlen(key), &raw) != CRYPPO_OK)
            goto out;
        mk = tu_aes_key(raw.p, raw.len);
    }
    ok = tu_oneshot(MECH_DECRYPT, &m, &mk, (const uint8_t *)ser, len, out,
                    &n) == CKR_OK &&
         n == strlen(want) && memcmp(out, want, n) == 0;
out:
    EVP_PKEY_free(pkey);
    secbuf_free(&raw);
    free(out);
    return ok;
}

static void test_compat_decrypt(void)
{
    cJSON *json = load_vectors();
    const cJSON *v;
    int aes = 0, rsa = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(json, "encryption_with_key"))
    {
        int is_rsa = 0;
        int ok = decrypt_vector(v, &is_rsa);
        CU_ASSERT(ok);
        if (!ok)
            fprintf(stderr, "vector failed: %.60s\n", str(v, "serialized"));
        is_rsa ? rsa++ : aes++;
    }
    cJSON_Delete(json);
    CU_ASSERT(aes >= 60 && rsa >= 60);
}

static void test_compat_signatures(void)
{
    cJSON *json = load_vectors();
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_SIGN, NULL, 0};
    const cJSON *v;
    int count = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(json, "signatures"))
    {
        const char *pem = str(v, "public_pem");
        const char *sig = str(v, "serialized_signature");
        EVP_PKEY *pub = NULL;
        secbuf data = {0};
        mech_key mk;

        CU_ASSERT_FATAL(pem && sig);
        CU_ASSERT_FATAL(cryppo_rsa_public_from_pem(pem, strlen(pem), &pub) ==
                        CRYPPO_OK);
        CU_ASSERT_FATAL(cryppo_verify(pub, sig, &data) == CRYPPO_OK);
        mk = tu_pkey(CKK_RSA, pub);
        TU_ASSERT_RV(tu_verify(&m, &mk, data.p, data.len,
                               (const uint8_t *)sig, strlen(sig)), CKR_OK);
        if (data.len > 0) {
            data.p[0] ^= 1; /* different data, same signature */
            TU_ASSERT_RV(tu_verify(&m, &mk, data.p, data.len,
                                   (const uint8_t *)sig, strlen(sig)),
                         CKR_SIGNATURE_INVALID);
        }
        secbuf_free(&data);
        EVP_PKEY_free(pub);
        count++;
    }
    cJSON_Delete(json);
    CU_ASSERT(count >= 30);
}

static void test_aes_roundtrip(void)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_AES_GCM, NULL, 0};
    uint8_t k[32] = {0}, pt[100], out[400], again[400];
    mech_key key = tu_aes_key(k, 32), k16 = tu_aes_key(k, 16);
    CK_ULONG n = 0, exact;
    mech_op *op = NULL;
    secbuf back = {0};
    char *s = NULL;

    RAND_bytes(k, sizeof(k));
    RAND_bytes(pt, sizeof(pt));
    /* size query (a bound), then a short buffer: computed once, cached */
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &key), CKR_OK);
    TU_ASSERT_RV(mech_op_oneshot(op, pt, sizeof(pt), NULL, &n), CKR_OK);
    CU_ASSERT(n >= 150 && n <= sizeof(out));
    n = 10;
    TU_ASSERT_RV(mech_op_oneshot(op, pt, sizeof(pt), out, &n),
                 CKR_BUFFER_TOO_SMALL);
    exact = n;
    n = exact - 1;
    TU_ASSERT_RV(mech_op_oneshot(op, pt, sizeof(pt), again, &n),
                 CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, exact);
    TU_ASSERT_RV(mech_op_oneshot(op, pt, sizeof(pt), out, &n), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(n, exact);
    CU_ASSERT_FALSE(mech_op_active(op));
    mech_op_free(op);
    CU_ASSERT(memcmp(out, "Aes256Gcm.", 10) == 0);
    out[n] = '\0';
    CU_ASSERT_FATAL(cryppo_aes_decrypt(k, (char *)out, &back) == CRYPPO_OK);
    CU_ASSERT(back.len == sizeof(pt) && memcmp(back.p, pt, back.len) == 0);
    secbuf_free(&back);

    /* cryppo encrypts, the mechanism decrypts; tampering is caught */
    CU_ASSERT_FATAL(cryppo_aes_encrypt(k, pt, sizeof(pt), &s) == CRYPPO_OK);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, (uint8_t *)s, strlen(s),
                            out, &n), CKR_OK);
    CU_ASSERT(n == sizeof(pt) && memcmp(out, pt, n) == 0);
    s[12] = s[12] == 'A' ? 'B' : 'A';
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, (uint8_t *)s, strlen(s),
                            out, &n), CKR_ENCRYPTED_DATA_INVALID);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &key, (uint8_t *)"Aes256Gcm.x",
                            11, out, &n), CKR_ENCRYPTED_DATA_INVALID);
    free(s);
    op = NULL;
    TU_ASSERT_RV(mech_op_init(&op, MECH_ENCRYPT, &m, &k16), CKR_KEY_SIZE_RANGE);
    CU_ASSERT_PTR_NULL(op);
}

static void test_rsa_wrap(void)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_RSA, NULL, 0};
    EVP_PKEY *priv = tu_fixture_key(RSA4096);
    mech_key prv, pub;
    uint8_t dek[32], big[471], out[1024];
    CK_ULONG n = 0;
    secbuf back = {0};
    char *s = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
    prv = tu_pkey(CKK_RSA, priv);
    pub = tu_pkey(CKK_RSA, tu_public_of(priv));
    RAND_bytes(dek, sizeof(dek));
    RAND_bytes(big, sizeof(big));
    TU_ASSERT_RV(mech_wrap(&m, &pub, dek, 32, NULL, &n), CKR_OK);
    CU_ASSERT_FATAL(n < sizeof(out));
    TU_ASSERT_RV(mech_wrap(&m, &pub, dek, 32, out, &n), CKR_OK);
    out[n] = '\0';
    CU_ASSERT(strncmp((char *)out, "Rsa4096.", 8) == 0);
    CU_ASSERT(strcmp((char *)out + n - 9, ".QQUAAAAA") == 0);
    CU_ASSERT_FATAL(cryppo_rsa_decrypt(priv, (char *)out, &back) == CRYPPO_OK);
    CU_ASSERT(back.len == 32 && memcmp(back.p, dek, 32) == 0);
    secbuf_free(&back);

    CU_ASSERT_FATAL(cryppo_rsa_encrypt(priv, dek, 32, &s) == CRYPPO_OK);
    TU_ASSERT_RV(mech_unwrap(&m, &prv, (uint8_t *)s, strlen(s), &back), CKR_OK);
    CU_ASSERT(back.len == 32 && memcmp(back.p, dek, 32) == 0);
    secbuf_free(&back);
    s[20] = s[20] == 'A' ? 'B' : 'A';
    TU_ASSERT_RV(mech_unwrap(&m, &prv, (uint8_t *)s, strlen(s), &back),
                 CKR_WRAPPED_KEY_INVALID);
    free(s);

    /* encrypt/decrypt up to 470 bytes */
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, big, 471, out, &n),
                 CKR_DATA_LEN_RANGE);
    n = sizeof(out);
    TU_ASSERT_RV(tu_oneshot(MECH_ENCRYPT, &m, &pub, big, 470, out, &n),
                 CKR_OK);
    TU_ASSERT_RV(tu_oneshot(MECH_DECRYPT, &m, &prv, out, n, out, &n), CKR_OK);
    CU_ASSERT(n == 470 && memcmp(out, big, 470) == 0);
}

static void test_sign(void)
{
    CK_MECHANISM m = {CKM_MEECO_CRYPPO_SIGN, NULL, 0};
    EVP_PKEY *priv = tu_fixture_key(RSA4096);
    uint8_t data[513], out[2048];
    mech_key prv = tu_pkey(CKK_RSA, priv);
    CK_ULONG n = sizeof(out);
    secbuf signed_data = {0};
    mech_key pub;

    CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
    pub = tu_pkey(CKK_RSA, tu_public_of(priv));
    RAND_bytes(data, sizeof(data));
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &prv, data, 513, out, &n),
                 CKR_DATA_LEN_RANGE);
    n = sizeof(out) - 1;
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &prv, data, 512, out, &n), CKR_OK);
    out[n] = '\0';
    CU_ASSERT(strncmp((char *)out, "Sign.Rsa4096.", 13) == 0);
    CU_ASSERT_FATAL(cryppo_verify(tu_public_of(priv), (char *)out,
                                  &signed_data) == CRYPPO_OK);
    CU_ASSERT(signed_data.len == 512 &&
              memcmp(signed_data.p, data, 512) == 0);
    secbuf_free(&signed_data);
    TU_ASSERT_RV(tu_verify(&m, &pub, data, 512, out, n), CKR_OK);
    TU_ASSERT_RV(tu_verify(&m, &pub, data, 511, out, n), CKR_SIGNATURE_INVALID);
    TU_ASSERT_RV(tu_verify(&m, &pub, data, 512, out, n - 3),
                 CKR_SIGNATURE_INVALID);
    TU_ASSERT_RV(tu_verify(&m, &pub, data, 512, (const uint8_t *)"x", 1),
                 CKR_SIGNATURE_INVALID);
    TU_ASSERT_RV(tu_oneshot(MECH_SIGN, &m, &pub, data, 5, out, &n),
                 CKR_KEY_TYPE_INCONSISTENT);
}

int suite_cryppo(void)
{
    static const tu_test tests[] = {
        {"compat vectors decrypt", test_compat_decrypt},
        {"compat signatures verify", test_compat_signatures},
        {"Aes256Gcm round trips", test_aes_roundtrip},
        {"Rsa4096 wrap and encrypt", test_rsa_wrap},
        {"Sign.Rsa4096", test_sign},
        {NULL, NULL},
    };
    return tu_add_suite("cryppo", tests, NULL);
}
