/* tests/unit_keystore/test_srp.c - jsrp SRP against the Meeco vector
 * (tests/fixtures/account-srp-vector.json, made with jsrp 0.2.4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>

#include "srp.h"
#include "test_keystore.h"

static cJSON *vector;

static const char *vec(const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(vector, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    CU_ASSERT_FATAL(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        CU_ASSERT_FATAL(sscanf(hex + 2 * i, "%2x", &b) == 1);
        out[i] = (uint8_t)b;
    }
    return n;
}

/* The SDK hands jsrp a "binary string": each byte becomes a Latin-1 code
 * point, UTF-8 encoded (protocol doc section 2.2). */
static size_t utf8_expand(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] < 0x80) {
            out[o++] = in[i];
        } else {
            out[o++] = (uint8_t)(0xc0 | (in[i] >> 6));
            out[o++] = (uint8_t)(0x80 | (in[i] & 0x3f));
        }
    }
    return o;
}

static size_t vector_password(uint8_t pw[64])
{
    uint8_t raw[32];
    size_t n = unhex(vec("srp_password_hex_before_utf8"), raw, sizeof(raw));
    return utf8_expand(raw, n, pw);
}

static void expect_client(const srp_client *c, srp_value which,
                          const char *expected)
{
    char *hex = NULL;
    CU_ASSERT_EQUAL_FATAL(srp_client_value_hex(c, which, &hex), SRP_OK);
    CU_ASSERT_STRING_EQUAL(hex, expected);
    free(hex);
}

static void expect_server(const srp_server *s, srp_value which,
                          const char *expected)
{
    char *hex = NULL;
    CU_ASSERT_EQUAL_FATAL(srp_server_value_hex(s, which, &hex), SRP_OK);
    CU_ASSERT_STRING_EQUAL(hex, expected);
    free(hex);
}

static void test_vector(void)
{
    uint8_t pw[64], salt[32], a[32], b[32];
    size_t pw_len = vector_password(pw);
    unhex(vec("salt"), salt, sizeof(salt));
    unhex(vec("a"), a, sizeof(a));
    unhex(vec("b"), b, sizeof(b));
    const char *user = vec("username");

    char *salt_hex = NULL, *v_hex = NULL;
    CU_ASSERT_EQUAL_FATAL(
        srp_verifier_create(user, pw, pw_len, salt, &salt_hex, &v_hex), SRP_OK);
    CU_ASSERT_STRING_EQUAL(salt_hex, vec("salt"));
    CU_ASSERT_STRING_EQUAL(v_hex, vec("v"));

    srp_server *sv = NULL;
    srp_client *cl = NULL;
    CU_ASSERT_EQUAL_FATAL(srp_server_new(user, salt_hex, v_hex, b, &sv),
                          SRP_OK);
    CU_ASSERT_STRING_EQUAL(srp_server_public_hex(sv), vec("B"));
    CU_ASSERT_EQUAL_FATAL(srp_client_new(user, pw, pw_len, a, &cl), SRP_OK);
    CU_ASSERT_STRING_EQUAL(srp_client_public_hex(cl), vec("A"));
    CU_ASSERT_PTR_NULL(srp_client_proof_hex(cl));

    CU_ASSERT_EQUAL_FATAL(
        srp_client_set_challenge(cl, salt_hex, srp_server_public_hex(sv)),
        SRP_OK);
    expect_client(
        cl, SRP_VALUE_K_MULT,
        "05b9e8ef059c6b32ea59fc1d322d37f04aa30bae5aa9003b8321e21ddb04e300");
    expect_client(
        cl, SRP_VALUE_X,
        "d979d4ea9747a82bcbf30010b690b932a1c6b37dfe243639ef0aa134cea73c9f");
    expect_client(cl, SRP_VALUE_V, vec("v"));
    expect_client(cl, SRP_VALUE_KEY, vec("K"));
    expect_client(cl, SRP_VALUE_M1, vec("M1"));
    expect_client(cl, SRP_VALUE_M2, vec("M2"));
    CU_ASSERT_STRING_EQUAL(srp_client_proof_hex(cl), vec("M1"));

    CU_ASSERT_PTR_NULL(srp_server_proof_hex(sv));
    CU_ASSERT_EQUAL(srp_server_verify_client(sv, vec("A"), vec("M1")), SRP_OK);
    CU_ASSERT_STRING_EQUAL(srp_server_proof_hex(sv), vec("M2"));
    expect_server(sv, SRP_VALUE_KEY, vec("K"));
    char *client_s = NULL;
    CU_ASSERT_EQUAL(srp_client_value_hex(cl, SRP_VALUE_S, &client_s), SRP_OK);
    expect_server(sv, SRP_VALUE_S, client_s ? client_s : "");
    free(client_s);
    CU_ASSERT_EQUAL(srp_client_verify_server(cl, srp_server_proof_hex(sv)),
                    SRP_OK);

    uint8_t k1[SRP_HASH_LEN], k2[SRP_HASH_LEN], sb[SRP_SECRET_LEN];
    CU_ASSERT_EQUAL(srp_client_session_key(cl, k1), SRP_OK);
    CU_ASSERT_EQUAL(srp_server_session_key(sv, k2), SRP_OK);
    CU_ASSERT_EQUAL(memcmp(k1, k2, sizeof(k1)), 0);
    CU_ASSERT_EQUAL(srp_server_secret(sv, sb), SRP_OK);
    CU_ASSERT_EQUAL(memcmp(sb, b, sizeof(b)), 0);

    srp_client_free(cl);
    srp_server_free(sv);
    free(salt_hex);
    free(v_hex);
}

static void test_wrong_password(void)
{
    uint8_t pw[64];
    size_t pw_len = vector_password(pw);
    const char *user = vec("username");
    char *salt_hex = NULL, *v_hex = NULL;
    CU_ASSERT_EQUAL_FATAL(
        srp_verifier_create(user, pw, pw_len, NULL, &salt_hex, &v_hex), SRP_OK);
    CU_ASSERT_EQUAL(strlen(salt_hex), 64);
    CU_ASSERT_EQUAL(strlen(v_hex), 512);

    srp_server *sv = NULL;
    srp_client *cl = NULL;
    pw[0] ^= 1;
    CU_ASSERT_EQUAL_FATAL(srp_server_new(user, salt_hex, v_hex, NULL, &sv),
                          SRP_OK);
    CU_ASSERT_EQUAL_FATAL(srp_client_new(user, pw, pw_len, NULL, &cl), SRP_OK);
    CU_ASSERT_EQUAL_FATAL(
        srp_client_set_challenge(cl, salt_hex, srp_server_public_hex(sv)),
        SRP_OK);
    CU_ASSERT_EQUAL(srp_server_verify_client(sv, srp_client_public_hex(cl),
                                             srp_client_proof_hex(cl)),
                    SRP_ERR_PROOF);
    CU_ASSERT_PTR_NULL(srp_server_proof_hex(sv));
    CU_ASSERT_EQUAL(srp_client_verify_server(cl, vec("M2")), SRP_ERR_PROOF);
    srp_client_free(cl);
    srp_server_free(sv);

    /* Right password, random a and b: both sides agree. */
    pw[0] ^= 1;
    CU_ASSERT_EQUAL_FATAL(srp_server_new(user, salt_hex, v_hex, NULL, &sv),
                          SRP_OK);
    CU_ASSERT_EQUAL_FATAL(srp_client_new(user, pw, pw_len, NULL, &cl), SRP_OK);
    CU_ASSERT_EQUAL_FATAL(
        srp_client_set_challenge(cl, salt_hex, srp_server_public_hex(sv)),
        SRP_OK);
    CU_ASSERT_EQUAL(srp_server_verify_client(sv, srp_client_public_hex(cl),
                                             srp_client_proof_hex(cl)),
                    SRP_OK);
    CU_ASSERT_EQUAL(srp_client_verify_server(cl, srp_server_proof_hex(sv)),
                    SRP_OK);
    srp_client_free(cl);
    srp_server_free(sv);
    free(salt_hex);
    free(v_hex);
}

static void test_bad_public(void)
{
    uint8_t pw[64];
    size_t pw_len = vector_password(pw);
    srp_server *sv = NULL;
    srp_client *cl = NULL;
    CU_ASSERT_EQUAL_FATAL(srp_server_new("u", vec("salt"), vec("v"), NULL, &sv),
                          SRP_OK);
    CU_ASSERT_EQUAL(srp_server_verify_client(sv, "00", vec("M1")),
                    SRP_ERR_BAD_PUBLIC);
    CU_ASSERT_EQUAL(srp_server_verify_client(sv, "zz", vec("M1")), SRP_ERR_HEX);
    CU_ASSERT_EQUAL_FATAL(srp_client_new("u", pw, pw_len, NULL, &cl), SRP_OK);
    CU_ASSERT_EQUAL(srp_client_set_challenge(cl, vec("salt"), "0000"),
                    SRP_ERR_BAD_PUBLIC);
    char *hex = NULL;
    CU_ASSERT_EQUAL(srp_client_value_hex(cl, SRP_VALUE_M1, &hex),
                    SRP_ERR_STATE);
    srp_client *none = NULL;
    CU_ASSERT_EQUAL(srp_client_new("", pw, pw_len, NULL, &none), SRP_ERR_ARGS);
    CU_ASSERT_PTR_NULL(none);
    srp_client_free(cl);
    srp_server_free(sv);
}

static int srp_setup(void)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/account-srp-vector.json",
             test_fixtures_dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    vector = cJSON_Parse(buf);
    return vector ? 0 : -1;
}

static int srp_teardown(void)
{
    cJSON_Delete(vector);
    return 0;
}

void test_srp_register(void)
{
    CU_pSuite s = CU_add_suite("srp", srp_setup, srp_teardown);
    CU_add_test(s, "jsrp vector: k x v A B K M1 M2", test_vector);
    CU_add_test(s, "wrong password, random exchange", test_wrong_password);
    CU_add_test(s, "zero public values, bad hex, order", test_bad_public);
}
