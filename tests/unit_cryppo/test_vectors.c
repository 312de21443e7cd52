/* tests/unit_cryppo/test_vectors.c - every case of cryppo-compat.json
 * (cryppo-js 2.0.2 / Ruby / Elixir output, BSON and legacy YAML) and the
 * Meeco secret-key vector. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "cryppo.h"

static const char *str_item(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
}

static cJSON *section(cJSON *root, const char *name, int expected)
{
    cJSON *arr = cJSON_GetObjectItem(root, name);

    CU_ASSERT_EQUAL(cJSON_GetArraySize(arr), expected);
    return arr;
}

static int same_text(const secbuf *pt, const char *expected)
{
    return pt->len == strlen(expected) &&
           memcmp(pt->p, expected, pt->len) == 0;
}

/* Parse succeeds, with the right kind and legacy flag. */
static int parses_as(const char *serialized, cryppo_kind kind, int legacy)
{
    cryppo_parsed p;
    int ok = cryppo_parse(serialized, strlen(serialized), &p) == CRYPPO_OK &&
             p.kind == kind && p.legacy_yaml == legacy;

    cryppo_parsed_free(&p);
    return ok;
}

static int decrypt_with_key(const cJSON *c)
{
    const char *strategy = str_item(c, "encryption_strategy");
    const char *key = str_item(c, "key"), *ser = str_item(c, "serialized");
    const char *expected = str_item(c, "expected_decryption_result");
    int legacy = strcmp(str_item(c, "format"), "legacy") == 0;
    secbuf k = {NULL, 0}, pt = {NULL, 0};
    EVP_PKEY *priv = NULL;
    cryppo_status st = CRYPPO_ERR_ARGS;
    int rsa = strcmp(strategy, "Rsa4096") == 0;

    if (rsa && cryppo_rsa_private_from_pem(key, strlen(key), &priv) ==
                   CRYPPO_OK)
        st = cryppo_rsa_decrypt(priv, ser, &pt);
    else if (!rsa && cryppo_b64url_decode(key, strlen(key), &k) == CRYPPO_OK &&
             k.len == CRYPPO_AES_KEY_LEN)
        st = cryppo_aes_decrypt(k.p, ser, &pt);
    if (st != CRYPPO_OK)
        fprintf(stderr, "\n  %s %s: %s\n", strategy, legacy ? "yaml" : "bson",
                cryppo_status_name(st));
    st = st == CRYPPO_OK && same_text(&pt, expected) &&
                 parses_as(ser, rsa ? CRYPPO_KIND_RSA : CRYPPO_KIND_AES256GCM,
                           legacy)
             ? CRYPPO_OK
             : CRYPPO_ERR_DECRYPT;
    EVP_PKEY_free(priv);
    secbuf_free(&k);
    secbuf_free(&pt);
    return st == CRYPPO_OK;
}

static void test_compat_with_key(void)
{
    cJSON *root = tu_fixture_json("cryppo-compat.json"), *c;
    int passed = 0, aes = 0, rsa = 0, yaml = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON_ArrayForEach(c, section(root, "encryption_with_key", 126)) {
        int ok = decrypt_with_key(c);
        passed += ok;
        aes += ok && strcmp(str_item(c, "encryption_strategy"), "Aes256Gcm") == 0;
        rsa += ok && strcmp(str_item(c, "encryption_strategy"), "Rsa4096") == 0;
        yaml += ok && strcmp(str_item(c, "format"), "legacy") == 0;
    }
    printf(" [%d/126: %d AES, %d RSA, %d legacy YAML] ", passed, aes, rsa,
           yaml);
    CU_ASSERT_EQUAL(passed, 126);
    CU_ASSERT_EQUAL(aes, 64);
    CU_ASSERT_EQUAL(rsa, 62);
    CU_ASSERT_EQUAL(yaml, 63);
    cJSON_Delete(root);
}

static void test_compat_derived(void)
{
    cJSON *root = tu_fixture_json("cryppo-compat.json"), *c;
    int passed = 0, yaml = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON_ArrayForEach(c, section(root, "encryption_with_derived_key", 64)) {
        const char *ser = str_item(c, "serialized");
        int legacy = strcmp(str_item(c, "format"), "legacy") == 0;
        secbuf pt = {NULL, 0};
        cryppo_status st =
            cryppo_passphrase_decrypt(str_item(c, "passphrase"), ser, &pt);
        int ok = st == CRYPPO_OK &&
                 same_text(&pt, str_item(c, "expected_decryption_result")) &&
                 parses_as(ser, CRYPPO_KIND_AES256GCM_PBKDF2, legacy);
        if (!ok)
            fprintf(stderr, "\n  derived: %s\n", cryppo_status_name(st));
        passed += ok;
        yaml += ok && legacy;
        secbuf_free(&pt);
    }
    printf(" [%d/64: %d legacy YAML] ", passed, yaml);
    CU_ASSERT_EQUAL(passed, 64);
    CU_ASSERT_EQUAL(yaml, 32);
    cJSON_Delete(root);
}

static int signature_ok(const cJSON *c)
{
    const char *pem = str_item(c, "public_pem");
    const char *ser = str_item(c, "serialized_signature");
    EVP_PKEY *pub = NULL;
    secbuf data = {NULL, 0};
    cryppo_parsed p;
    char *again = NULL;
    int ok = 0;

    if (cryppo_rsa_public_from_pem(pem, strlen(pem), &pub) != CRYPPO_OK ||
        cryppo_verify(pub, ser, &data) != CRYPPO_OK)
        goto out;
    if (cryppo_parse(ser, strlen(ser), &p) != CRYPPO_OK)
        goto out;
    ok = p.kind == CRYPPO_KIND_SIGNATURE && p.rsa_bits == 4096 &&
         p.signed_data.len == data.len &&
         memcmp(p.signed_data.p, data.p, data.len) == 0 &&
         cryppo_serialize(&p, &again) == CRYPPO_OK && strcmp(again, ser) == 0;
    cryppo_parsed_free(&p);
out:
    free(again);
    secbuf_free(&data);
    EVP_PKEY_free(pub);
    return ok;
}

static void test_compat_signatures(void)
{
    cJSON *root = tu_fixture_json("cryppo-compat.json"), *c;
    int passed = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON_ArrayForEach(c, section(root, "signatures", 32))
        passed += signature_ok(c);
    printf(" [%d/32 verified, re-serialized byte-exact] ", passed);
    CU_ASSERT_EQUAL(passed, 32);
    cJSON_Delete(root);
}

/* Wrong key material must fail on a real vector too (no false accepts). */
static void test_compat_wrong_secret(void)
{
    cJSON *root = tu_fixture_json("cryppo-compat.json");
    cJSON *c = cJSON_GetArrayItem(
        cJSON_GetObjectItem(root, "encryption_with_derived_key"), 0);
    secbuf pt = {NULL, 0};

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(cryppo_passphrase_decrypt("not the passphrase",
                                              str_item(c, "serialized"), &pt),
                    CRYPPO_ERR_DECRYPT);
    CU_ASSERT_PTR_NULL(pt.p);
    cJSON_Delete(root);
}

static void test_secret_vector(void)
{
    cJSON *root = tu_fixture_json("meeco-secret-vector.json");
    cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "vectors"), 0);
    uint8_t pdk[32], srp[64], random_bytes[32];
    secbuf expected_pdk = {NULL, 0}, srp_pw = {NULL, 0};
    cryppo_secret s;
    char *b58 = NULL;
    int srp_len;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL_FATAL(cryppo_secret_parse(str_item(v, "secret"), &s),
                          CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(s.version, "1");
    CU_ASSERT_STRING_EQUAL(s.username, str_item(v, "username"));
    CU_ASSERT_STRING_EQUAL(s.key, str_item(v, "secret_key_hyphen_free"));
    CU_ASSERT_EQUAL(tu_hex_decode(str_item(v, "random_bytes_hex"),
                                  random_bytes, sizeof(random_bytes)),
                    32);
    CU_ASSERT_EQUAL(cryppo_base58_encode(random_bytes, 32, &b58), CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(b58, s.key);
    CU_ASSERT_EQUAL_FATAL(
        cryppo_secret_derive_pdk(&s, str_item(v, "passphrase"), pdk),
        CRYPPO_OK);
    CU_ASSERT_EQUAL_FATAL(
        cryppo_b64url_decode(str_item(v, "passphrase_derived_key_b64url"), 44,
                             &expected_pdk),
        CRYPPO_OK);
    CU_ASSERT(expected_pdk.len == 32 && memcmp(pdk, expected_pdk.p, 32) == 0);
    CU_ASSERT_EQUAL_FATAL(cryppo_secret_derive_srp_password(
                              &s, str_item(v, "passphrase"), &srp_pw),
                          CRYPPO_OK);
    srp_len = tu_hex_decode(str_item(v, "srp_password_bytes_hex"), srp,
                            sizeof(srp));
    CU_ASSERT(srp_len > 32 && srp_pw.len == (size_t)srp_len &&
              memcmp(srp_pw.p, srp, (size_t)srp_len) == 0);
    free(b58);
    secbuf_free(&expected_pdk);
    secbuf_free(&srp_pw);
    cryppo_secret_free(&s);
    cJSON_Delete(root);
}

int suite_vectors_add(void)
{
    CU_pSuite s = CU_add_suite("vectors", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "compat encryption_with_key (126)",
                     test_compat_with_key) ||
        !CU_add_test(s, "compat encryption_with_derived_key (64)",
                     test_compat_derived) ||
        !CU_add_test(s, "compat signatures (32)", test_compat_signatures) ||
        !CU_add_test(s, "compat value, wrong passphrase",
                     test_compat_wrong_secret) ||
        !CU_add_test(s, "secret key v1 vector", test_secret_vector))
        return CU_get_error();
    return 0;
}
