/* tests/server/test_server_keystore.c - meeco-server Keystore routes:
 * SRP sign-up and login (jsrp variant), sessions, admission tokens, KEK,
 * DEKs, keypairs; auth failures, malformed bodies, cross-user refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "srp.h"
#include "support.h"

static t_user alice, bob;

static int suite_init(void)
{
    t_server_start(NULL);
    if (t_user_create(&alice, "alice", 1) != 0 ||
        t_user_create(&bob, "bob", 2) != 0)
        return -1;
    return 0;
}

static int suite_clean(void)
{
    t_user_free(&alice);
    t_user_free(&bob);
    t_server_stop();
    return 0;
}

static void expect(t_resp r, long status, const char *code)
{
    CU_ASSERT_EQUAL(r.status, status);
    if (r.status != status)
        fprintf(stderr, "\n  got %ld %s\n", r.status, r.text ? r.text : "");
    if (code)
        CU_ASSERT_STRING_EQUAL(t_error_code(&r), code);
    t_resp_free(&r);
}

static void test_signup_and_login(void)
{
    t_user u;

    memset(&u, 0, sizeof(u));
    CU_ASSERT_EQUAL(t_keystore_signup(&u, "carol", "pw-carol"), 0);
    CU_ASSERT_EQUAL(strlen(u.ks_token), 24);
    /* a second login gives a different token */
    {
        char first[64];
        snprintf(first, sizeof(first), "%s", u.ks_token);
        CU_ASSERT_EQUAL(t_keystore_login(&u, "pw-carol"), 0);
        CU_ASSERT_STRING_NOT_EQUAL(first, u.ks_token);
    }
    expect(t_request("GET", "/keystore/session", u.ks_token, NULL), 200, NULL);
}

static void test_wrong_password_401(void)
{
    t_user u;

    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "alice");
    CU_ASSERT_EQUAL(t_keystore_login(&u, "not the password"), -1);
    CU_ASSERT_EQUAL(u.ks_token[0], '\0');
    /* unknown user: challenge answered, login refused */
    snprintf(u.username, sizeof(u.username), "nobody-here");
    CU_ASSERT_EQUAL(t_keystore_login(&u, "x"), -1);
}

static void test_session_proof_details(void)
{
    srp_client *c = NULL;
    t_resp r;
    char body[2048];

    CU_ASSERT_FATAL(srp_client_new("alice",
                                   (const uint8_t *)"correct horse battery", 21,
                                   NULL, &c) == SRP_OK);
    snprintf(body, sizeof(body), "{\"username\":\"alice\",\"srp_a\":\"%s\"}",
             srp_client_public_hex(c));
    r = t_request("POST", "/keystore/srp/challenges", NULL, body);
    CU_ASSERT_EQUAL(r.status, 200);
    /* challenge_b is always padded to 512 hex digits */
    CU_ASSERT_EQUAL(strlen(t_str(r.json, "challenge.challenge_b")), 512);
    CU_ASSERT_FATAL(srp_client_set_challenge(
                        c, t_str(r.json, "challenge.challenge_salt"),
                        t_str(r.json, "challenge.challenge_b")) == SRP_OK);
    t_resp_free(&r);
    /* a wrong M1 is refused and burns the challenge ... */
    snprintf(body, sizeof(body),
             "{\"username\":\"alice\",\"srp_a\":\"%s\",\"srp_m\":\"%064d\"}",
             srp_client_public_hex(c), 0);
    expect(t_request("POST", "/keystore/srp/session", NULL, body), 401,
           "login_failed");
    /* ... so the right M1 afterwards is refused too (no replay) */
    snprintf(body, sizeof(body),
             "{\"username\":\"alice\",\"srp_a\":\"%s\",\"srp_m\":\"%s\"}",
             srp_client_public_hex(c), srp_client_proof_hex(c));
    expect(t_request("POST", "/keystore/srp/session", NULL, body), 401,
           "login_failed");
    srp_client_free(c);
}

/* Start a login for alice: challenge answered, proof computed. */
static srp_client *start_login(void)
{
    srp_client *c = NULL;
    char body[1024];
    t_resp r;

    if (srp_client_new("alice", (const uint8_t *)"correct horse battery", 21,
                       NULL, &c) != SRP_OK)
        return NULL;
    snprintf(body, sizeof(body), "{\"username\":\"alice\",\"srp_a\":\"%s\"}",
             srp_client_public_hex(c));
    r = t_request("POST", "/keystore/srp/challenges", NULL, body);
    if (r.status != 200 ||
        srp_client_set_challenge(c, t_str(r.json, "challenge.challenge_salt"),
                                 t_str(r.json, "challenge.challenge_b")) !=
            SRP_OK) {
        srp_client_free(c);
        c = NULL;
    }
    t_resp_free(&r);
    return c;
}

static long finish_login(const srp_client *c)
{
    char body[1024];
    t_resp r;
    long status;

    snprintf(body, sizeof(body),
             "{\"username\":\"alice\",\"srp_a\":\"%s\",\"srp_m\":\"%s\"}",
             srp_client_public_hex(c), srp_client_proof_hex(c));
    r = t_request("POST", "/keystore/srp/session", NULL, body);
    status = r.status;
    t_resp_free(&r);
    return status;
}

/* Only the newest 8 pending logins of a user are kept. */
static void test_pending_login_cap(void)
{
    srp_client *c[10];

    for (int i = 0; i < 10; i++) {
        c[i] = start_login();
        CU_ASSERT_PTR_NOT_NULL_FATAL(c[i]);
    }
    CU_ASSERT_EQUAL(finish_login(c[0]), 401); /* evicted */
    CU_ASSERT_EQUAL(finish_login(c[1]), 401); /* evicted */
    CU_ASSERT_EQUAL(finish_login(c[9]), 200);
    CU_ASSERT_EQUAL(finish_login(c[2]), 200);
    for (int i = 0; i < 10; i++)
        srp_client_free(c[i]);
}

/* Status of /srp/session for a full login attempt. */
static long login_status(const char *user, const char *password)
{
    srp_client *c = NULL;
    char body[2048];
    long status = -1;
    t_resp r;

    if (srp_client_new(user, (const uint8_t *)password, strlen(password), NULL,
                       &c) != SRP_OK)
        return -1;
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"srp_a\":\"%s\"}", user,
             srp_client_public_hex(c));
    r = t_request("POST", "/keystore/srp/challenges", NULL, body);
    if (r.status == 200 &&
        srp_client_set_challenge(c, t_str(r.json, "challenge.challenge_salt"),
                                 t_str(r.json, "challenge.challenge_b")) ==
            SRP_OK) {
        t_resp_free(&r);
        snprintf(body, sizeof(body),
                 "{\"username\":\"%s\",\"srp_a\":\"%s\",\"srp_m\":\"%s\"}",
                 user, srp_client_public_hex(c), srp_client_proof_hex(c));
        r = t_request("POST", "/keystore/srp/session", NULL, body);
        status = r.status;
    }
    t_resp_free(&r);
    srp_client_free(c);
    return status;
}

/* 10 failures in 15 minutes lock the account's logins (429). */
static void test_login_throttle(void)
{
    t_user u;

    memset(&u, 0, sizeof(u));
    CU_ASSERT_FATAL(t_keystore_signup(&u, "mallory", "right") == 0);
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(login_status("mallory", "guess"), 401);
    CU_ASSERT_EQUAL(login_status("mallory", "guess"), 429);
    CU_ASSERT_EQUAL(login_status("mallory", "right"), 429);
    /* other users are not affected */
    CU_ASSERT_EQUAL(login_status("alice", "correct horse battery"), 200);
}

static void test_username_taken(void)
{
    char *salt = NULL, *ver = NULL;
    char body[2048];

    CU_ASSERT_FATAL(srp_verifier_create("alice", (const uint8_t *)"x", 1, NULL,
                                        &salt, &ver) == SRP_OK);
    snprintf(body, sizeof(body),
             "{\"username\":\"alice\",\"srp_salt\":\"%s\","
             "\"srp_verifier\":\"%s\"}",
             salt, ver);
    expect(t_request("POST", "/keystore/srp/users", NULL, body), 400,
           "username_taken");
    free(salt);
    free(ver);
}

#define HEX64  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX512 HEX64 HEX64 HEX64 HEX64 HEX64 HEX64 HEX64 HEX64

static void test_srp_malformed(void)
{
    expect(t_request("POST", "/keystore/srp/users", NULL, "{"), 400,
           "invalid_json");
    expect(t_request("POST", "/keystore/srp/users", NULL, "[1]"), 400,
           "invalid_json");
    expect(t_request("POST", "/keystore/srp/users", NULL, NULL), 400,
           "missing_body");
    expect(t_request("POST", "/keystore/srp/users", NULL,
                     "{\"username\":\"x\",\"srp_salt\":\"ab\"}"),
           400, "missing_parameter");
    expect(t_request("POST", "/keystore/srp/users", NULL,
                     "{\"username\":5,\"srp_salt\":\"ab\","
                     "\"srp_verifier\":\"00\"}"),
           400, "invalid_parameter");
    expect(t_request("POST", "/keystore/srp/users", NULL,
                     "{\"username\":\"x\",\"srp_salt\":\"ab\","
                     "\"srp_verifier\":\"00\"}"),
           422, "validation_error");
    expect(t_request("POST", "/keystore/srp/users", NULL,
                     "{\"username\":\"has.dot\",\"srp_salt\":\"ab\","
                     "\"srp_verifier\":\"" HEX512 "\"}"),
           422, "validation_error");
    expect(t_request("POST", "/keystore/srp/users", NULL,
                     "{\"username\":\"odd\",\"srp_salt\":\"abc\","
                     "\"srp_verifier\":\"" HEX512 "\"}"),
           422, "validation_error");
    expect(t_request("POST", "/keystore/srp/challenges", NULL,
                     "{\"username\":\"alice\",\"srp_a\":\"zz\"}"),
           422, "validation_error");
    expect(t_request("POST", "/keystore/srp/session", NULL,
                     "{\"username\":\"alice\"}"),
           400, "missing_parameter");
}

static void test_username_suggestion(void)
{
    t_resp r = t_request("POST", "/keystore/srp/username", NULL, "{}");

    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "username"));
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "expires_at"));
    t_resp_free(&r);
}

static void test_auth_header_forms(void)
{
    char bearer[128];

    snprintf(bearer, sizeof(bearer), "Bearer %s", alice.ks_token);
    expect(
        t_request("GET", "/keystore/key_encryption_key", alice.ks_token, NULL),
        200, NULL);
    expect(t_request("GET", "/keystore/key_encryption_key", bearer, NULL), 200,
           NULL);
    expect(t_request("GET", "/keystore/key_encryption_key", NULL, NULL), 401,
           "unauthorized");
    expect(t_request("GET", "/keystore/key_encryption_key", "undefined", NULL),
           401, "unauthorized");
    expect(t_request("GET", "/keystore/key_encryption_key", "null", NULL), 401,
           "unauthorized");
    expect(t_request("GET", "/keystore/key_encryption_key",
                     "AAAAAAAAAAAAAAAAAAAAAAAA", NULL),
           401, "unauthorized");
    /* a vault token is not a keystore token */
    expect(t_request("GET", "/keystore/key_encryption_key", alice.vault_token,
                     NULL),
           401, "unauthorized");
}

static void test_logout(void)
{
    t_user u;

    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "alice");
    CU_ASSERT_FATAL(t_keystore_login(&u, "correct horse battery") == 0);
    expect(t_request("GET", "/keystore/session", u.ks_token, NULL), 200, NULL);
    expect(t_request("DELETE", "/keystore/session", u.ks_token, NULL), 204,
           NULL);
    expect(t_request("GET", "/keystore/session", u.ks_token, NULL), 401, NULL);
    /* alice's other session is unaffected */
    expect(t_request("GET", "/keystore/session", alice.ks_token, NULL), 200,
           NULL);
}

static void test_kek(void)
{
    t_resp r =
        t_request("GET", "/keystore/key_encryption_key", alice.ks_token, NULL);
    char *kek = t_cryppo_string(32), body[1024], id[64];

    CU_ASSERT_EQUAL(r.status, 200);
    snprintf(id, sizeof(id), "%s",
             t_str(r.json, "key_encryption_key.id")
                 ? t_str(r.json, "key_encryption_key.id")
                 : "");
    t_resp_free(&r);
    /* re-wrapping keeps the id */
    snprintf(body, sizeof(body), "{\"serialized_key_encryption_key\":\"%s\"}",
             kek);
    r = t_request("POST", "/keystore/key_encryption_key", alice.ks_token, body);
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "key_encryption_key.id"), id);
    t_resp_free(&r);
    r = t_request("GET", "/keystore/key_encryption_key", alice.ks_token, NULL);
    CU_ASSERT_STRING_EQUAL(
        t_str(r.json, "key_encryption_key.serialized_key_encryption_key"), kek);
    t_resp_free(&r);
    /* not Cryppo */
    expect(t_request("POST", "/keystore/key_encryption_key", alice.ks_token,
                     "{\"serialized_key_encryption_key\":\"plain key\"}"),
           422, "invalid_cryppo_format");
    expect(t_request("POST", "/keystore/key_encryption_key", alice.ks_token,
                     "{\"serialized_key_encryption_key\":\"Aes256Gcm.AA==."
                     "QUAAAAAA\"}"),
           422, "invalid_cryppo_format");
    free(kek);
}

static void test_kek_missing_404(void)
{
    t_user u;

    memset(&u, 0, sizeof(u));
    CU_ASSERT_FATAL(t_keystore_signup(&u, "dave", "pw") == 0);
    expect(t_request("GET", "/keystore/key_encryption_key", u.ks_token, NULL),
           404, "record_not_found");
}

static void test_dek(void)
{
    char path[128];
    t_resp r;

    snprintf(path, sizeof(path), "/keystore/data_encryption_keys/%s",
             alice.dek_id);
    r = t_request("GET", path, alice.ks_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "data_encryption_key.id"),
                           alice.dek_id);
    CU_ASSERT_PTR_NOT_NULL(
        t_str(r.json, "data_encryption_key.serialized_data_encryption_key"));
    t_resp_free(&r);
    expect(t_request("GET", "/keystore/data_encryption_keys/nope",
                     alice.ks_token, NULL),
           404, NULL);
    expect(t_request("POST", "/keystore/data_encryption_keys", alice.ks_token,
                     "{\"serialized_data_encryption_key\":42}"),
           400, "invalid_parameter");
}

static void test_keypairs(void)
{
    char path[128];
    t_resp r;

    snprintf(path, sizeof(path), "/keystore/keypairs/%s", alice.keypair_id);
    r = t_request("GET", path, alice.ks_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "keypair.external_identifiers.0"),
                           "auth");
    CU_ASSERT_PTR_NOT_NULL(t_get(r.json, "keypair.metadata"));
    t_resp_free(&r);
    r = t_request("GET", "/keystore/keypairs/external_id/auth", alice.ks_token,
                  NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "keypair.id"), alice.keypair_id);
    t_resp_free(&r);
    expect(t_request("GET", "/keystore/keypairs/external_id/other",
                     alice.ks_token, NULL),
           404, NULL);
    /* PATCH external identifiers */
    r = t_request("PATCH", path, alice.ks_token,
                  "{\"external_identifiers\":[\"auth\",\"extra\"]}");
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "keypair.external_identifiers.1"),
                           "extra");
    t_resp_free(&r);
    expect(t_request("GET", "/keystore/keypairs/external_id/extra",
                     alice.ks_token, NULL),
           200, NULL);
    /* malformed */
    expect(t_request("POST", "/keystore/keypairs", alice.ks_token,
                     "{\"public_key\":\"not a pem\","
                     "\"encrypted_serialized_key\":\"x\"}"),
           422, "invalid_public_key");
    expect(t_request("PATCH", path, alice.ks_token,
                     "{\"external_identifiers\":[1]}"),
           422, "validation_error");
}

static void test_keypair_delete(void)
{
    char *enc = t_cryppo_string(64), path[128];
    cJSON *b = cJSON_CreateObject();
    t_resp r;

    cJSON_AddStringToObject(b, "public_key", bob.public_pem);
    cJSON_AddStringToObject(b, "encrypted_serialized_key", enc);
    r = t_request_json("POST", "/keystore/keypairs", bob.ks_token, b);
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    snprintf(path, sizeof(path), "/keystore/keypairs/%s",
             t_str(r.json, "keypair.id"));
    CU_ASSERT_EQUAL(
        cJSON_GetArraySize(t_get(r.json, "keypair.external_identifiers")), 0);
    t_resp_free(&r);
    expect(t_request("DELETE", path, alice.ks_token, NULL), 404, NULL);
    expect(t_request("DELETE", path, bob.ks_token, NULL), 204, NULL);
    expect(t_request("GET", path, bob.ks_token, NULL), 404, NULL);
    free(enc);
}

/* Every per-user keystore route with bob's token on alice's records. */
static void test_cross_user(void)
{
    char dek[128], kp[128];
    const char *kek_before;
    t_resp r;

    snprintf(dek, sizeof(dek), "/keystore/data_encryption_keys/%s",
             alice.dek_id);
    snprintf(kp, sizeof(kp), "/keystore/keypairs/%s", alice.keypair_id);
    expect(t_request("GET", dek, bob.ks_token, NULL), 404, NULL);
    expect(t_request("DELETE", dek, bob.ks_token, NULL), 404, NULL);
    expect(t_request("GET", kp, bob.ks_token, NULL), 404, NULL);
    expect(t_request("PATCH", kp, bob.ks_token,
                     "{\"external_identifiers\":[\"stolen\"]}"),
           404, NULL);
    expect(t_request("DELETE", kp, bob.ks_token, NULL), 404, NULL);
    /* bob's KEK and auth keypair are his own */
    r = t_request("GET", "/keystore/keypairs/external_id/auth", bob.ks_token,
                  NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "keypair.id"), bob.keypair_id);
    t_resp_free(&r);
    r = t_request("GET", "/keystore/key_encryption_key", alice.ks_token, NULL);
    kek_before = t_str(r.json, "key_encryption_key.id");
    CU_ASSERT_PTR_NOT_NULL(kek_before);
    {
        t_resp rb = t_request("GET", "/keystore/key_encryption_key",
                              bob.ks_token, NULL);
        CU_ASSERT_STRING_NOT_EQUAL(t_str(rb.json, "key_encryption_key.id"),
                                   kek_before);
        t_resp_free(&rb);
    }
    t_resp_free(&r);
    /* alice's records are intact */
    expect(t_request("GET", dek, alice.ks_token, NULL), 200, NULL);
    expect(t_request("GET", kp, alice.ks_token, NULL), 200, NULL);
}

static void test_admission_token_single_use(void)
{
    t_resp r = t_request("GET", "/keystore/external_admission_tokens",
                         alice.ks_token, NULL);
    EVP_PKEY *k4 = t_fixture_key(4), *k3 = t_fixture_key(3);
    char *pem4 = t_public_pem(k4), *pem3 = t_public_pem(k3), *text;
    cJSON *b = cJSON_CreateObject();

    CU_ASSERT_EQUAL_FATAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "external_admission_token."
                                         "passphrase_store_admission_token"));
    cJSON_AddStringToObject(b, "public_key", pem4);
    cJSON_AddStringToObject(b, "admission_token",
                            t_str(r.json, "external_admission_token."
                                          "vault_api_admission_token"));
    t_resp_free(&r);
    text = cJSON_PrintUnformatted(b);
    expect(t_request("POST", "/vault/me", NULL, text), 201, NULL);
    /* the same key cannot register twice */
    expect(t_request("POST", "/vault/me", NULL, text), 400, "public_key_taken");
    free(text);
    /* a used admission token cannot make a second account */
    cJSON_ReplaceItemInObject(b, "public_key", cJSON_CreateString(pem3));
    text = cJSON_PrintUnformatted(b);
    expect(t_request("POST", "/vault/me", NULL, text), 401,
           "invalid_admission_token");
    free(text);
    cJSON_ReplaceItemInObject(b, "admission_token",
                              cJSON_CreateString("made-up"));
    expect(t_request_json("POST", "/vault/me", NULL, b), 401,
           "invalid_admission_token");
    EVP_PKEY_free(k4);
    EVP_PKEY_free(k3);
    free(pem4);
    free(pem3);
}

static void test_dek_delete(void)
{
    char *ser = t_cryppo_string(32), body[512], path[128];
    t_resp r;

    snprintf(body, sizeof(body), "{\"serialized_data_encryption_key\":\"%s\"}",
             ser);
    r = t_request("POST", "/keystore/data_encryption_keys", bob.ks_token, body);
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    snprintf(path, sizeof(path), "/keystore/data_encryption_keys/%s",
             t_str(r.json, "data_encryption_key.id"));
    t_resp_free(&r);
    expect(t_request("DELETE", path, bob.ks_token, NULL), 204, NULL);
    expect(t_request("GET", path, bob.ks_token, NULL), 404, NULL);
    free(ser);
}

static void test_passphrase_artefact(void)
{
    char *der = t_cryppo_string(16), body[1024];
    t_resp r;

    expect(t_request("GET", "/keystore/passphrase_derivation_artefact",
                     alice.ks_token, NULL),
           404, NULL);
    snprintf(body, sizeof(body),
             "{\"derivation_artefacts\":\"%s\","
             "\"verification_artefacts\":\"eyJ0b2tlbiI6IngifQ\"}",
             der);
    expect(t_request("POST", "/keystore/passphrase_derivation_artefact",
                     alice.ks_token, body),
           201, NULL);
    r = t_request("GET", "/keystore/passphrase_derivation_artefact",
                  alice.ks_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(
        t_str(r.json, "passphrase_derivation_artefact.derivation_artefacts"),
        der);
    t_resp_free(&r);
    /* replacing keeps one */
    expect(t_request("POST", "/keystore/passphrase_derivation_artefact",
                     alice.ks_token, body),
           201, NULL);
    expect(t_request("GET", "/keystore/passphrase_derivation_artefact",
                     bob.ks_token, NULL),
           404, NULL);
    expect(t_request("POST", "/keystore/passphrase_derivation_artefact",
                     alice.ks_token,
                     "{\"derivation_artefacts\":\"x\","
                     "\"verification_artefacts\":\"y\"}"),
           422, "invalid_cryppo_format");
    free(der);
}

static void test_auth_required_everywhere(void)
{
    static const char *const routes[][2] = {
        {"GET", "/keystore/session"},
        {"DELETE", "/keystore/session"},
        {"GET", "/keystore/external_admission_tokens"},
        {"GET", "/keystore/key_encryption_key"},
        {"POST", "/keystore/key_encryption_key"},
        {"POST", "/keystore/data_encryption_keys"},
        {"GET", "/keystore/data_encryption_keys/x"},
        {"DELETE", "/keystore/data_encryption_keys/x"},
        {"POST", "/keystore/keypairs"},
        {"GET", "/keystore/keypairs/x"},
        {"PATCH", "/keystore/keypairs/x"},
        {"DELETE", "/keystore/keypairs/x"},
        {"GET", "/keystore/keypairs/external_id/auth"},
        {"GET", "/keystore/passphrase_derivation_artefact"},
        {"POST", "/keystore/passphrase_derivation_artefact"},
    };

    t_expect_401_all(routes, sizeof(routes) / sizeof(*routes),
                     alice.vault_token);
}

static void test_version(void)
{
    t_resp r = t_request("GET", "/keystore/version", NULL, NULL);

    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "component.api_version"));
    t_resp_free(&r);
    expect(t_request("GET", "/keystore/nope", NULL, NULL), 404,
           "route_not_found");
    expect(t_request("PUT", "/keystore/version", NULL, NULL), 405,
           "method_not_allowed");
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite("server_keystore", suite_init, suite_clean);
    CU_add_test(s, "sign-up and login", test_signup_and_login);
    CU_add_test(s, "wrong password 401", test_wrong_password_401);
    CU_add_test(s, "SRP proof: padding, no replay", test_session_proof_details);
    CU_add_test(s, "pending logins capped", test_pending_login_cap);
    CU_add_test(s, "failed-login throttle", test_login_throttle);
    CU_add_test(s, "username_taken", test_username_taken);
    CU_add_test(s, "SRP malformed bodies", test_srp_malformed);
    CU_add_test(s, "username suggestion", test_username_suggestion);
    CU_add_test(s, "Authorization forms", test_auth_header_forms);
    CU_add_test(s, "logout", test_logout);
    CU_add_test(s, "KEK", test_kek);
    CU_add_test(s, "KEK missing 404", test_kek_missing_404);
    CU_add_test(s, "DEKs", test_dek);
    CU_add_test(s, "keypairs", test_keypairs);
    CU_add_test(s, "keypair delete", test_keypair_delete);
    CU_add_test(s, "cross-user refused", test_cross_user);
    CU_add_test(s, "admission token", test_admission_token_single_use);
    CU_add_test(s, "DEK delete", test_dek_delete);
    CU_add_test(s, "passphrase derivation artefact", test_passphrase_artefact);
    CU_add_test(s, "auth required", test_auth_required_everywhere);
    CU_add_test(s, "version, 404, 405", test_version);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
