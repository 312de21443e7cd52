/* tests/unit_keystore/test_account.c - account creation, login, PINs,
 * SO reset, re-initialization, keys and the Keystore-shaped export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "ks_export.h"
#include "keystore.h"
#include "test_keystore.h"

static char dir[] = "/tmp/ks-test-XXXXXX";
static char db[300];
static ks_account *ks;

#define SO_PIN "so-secret-1"
#define PIN    "correct horse battery stäple"

static int account_setup(void)
{
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof(db), "%s/token.sqlite3", dir);
    return ks_account_open(db, &ks) == KS_OK ? 0 : -1;
}

static int account_teardown(void)
{
    ks_account_close(ks);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static ks_state state_of(void)
{
    ks_state st = KS_STATE_READY;
    CU_ASSERT_EQUAL(ks_account_state(ks, &st), KS_OK);
    return st;
}

static void test_empty_token(void)
{
    CU_ASSERT_EQUAL(state_of(), KS_STATE_EMPTY);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, PIN),
                    KS_ERR_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_SO, SO_PIN),
                    KS_ERR_NOT_INITIALIZED);
    secbuf k = {0};
    CU_ASSERT_EQUAL(ks_kek_get(ks, &k), KS_ERR_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(ks_account_init_token(ks, "L", "", NULL), KS_ERR_ARGS);
}

static void test_init_token_and_pin(void)
{
    CU_ASSERT_EQUAL_FATAL(ks_account_init_token(ks, "My token", SO_PIN, NULL),
                          KS_OK);
    CU_ASSERT_EQUAL(state_of(), KS_STATE_NO_USER_PIN);
    CU_ASSERT_EQUAL(ks_account_user(ks), KS_USER_NONE);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, PIN),
                    KS_ERR_PIN_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(ks_account_init_pin(ks, PIN), KS_ERR_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_SO, "wrong"),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_SO, SO_PIN), KS_OK);
    CU_ASSERT_EQUAL(ks_account_user(ks), KS_USER_SO);
    CU_ASSERT_EQUAL_FATAL(ks_account_init_pin(ks, PIN), KS_OK);
    CU_ASSERT_EQUAL(state_of(), KS_STATE_READY);
    ks_account_logout(ks);

    store_account info;
    CU_ASSERT_EQUAL_FATAL(ks_account_info(ks, &info), KS_OK);
    CU_ASSERT_STRING_EQUAL(info.label, "My token");
    CU_ASSERT_EQUAL(strncmp(info.username, "local-", 6), 0);
    CU_ASSERT_PTR_NOT_NULL(info.secret_key);
    CU_ASSERT_PTR_NOT_NULL(info.private_dek_id);
    cryppo_secret parsed;
    CU_ASSERT_EQUAL(cryppo_secret_parse(info.secret_key, &parsed), CRYPPO_OK);
    CU_ASSERT_STRING_EQUAL(parsed.username, info.username);
    cryppo_secret_free(&parsed);
    store_account_clear(&info);
}

/* The stored key_encryption_key is exactly Aes256Gcm(PDK, KEK) with the
 * SDK's PDK = PBKDF2-SHA256(passphrase, secret key text, 100000, 32). */
static void test_login_and_meeco_pdk(void)
{
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, "wrong"),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(ks_account_user(ks), KS_USER_NONE);
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_USER, PIN), KS_OK);
    secbuf kek = {0}, direct = {0};
    CU_ASSERT_EQUAL_FATAL(ks_kek_get(ks, &kek), KS_OK);
    CU_ASSERT_EQUAL(kek.len, 32);

    store_account info;
    store_kek rec;
    CU_ASSERT_EQUAL_FATAL(ks_account_info(ks, &info), KS_OK);
    CU_ASSERT_EQUAL_FATAL(store_kek_get(ks_account_store(ks), &rec), STORE_OK);
    cryppo_secret parsed;
    uint8_t pdk[32];
    CU_ASSERT_EQUAL_FATAL(cryppo_secret_parse(info.secret_key, &parsed),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_pbkdf2_sha256((const uint8_t *)PIN, strlen(PIN),
                                         (const uint8_t *)parsed.key,
                                         strlen(parsed.key), 100000, pdk, 32),
                    CRYPPO_OK);
    CU_ASSERT_EQUAL(
        strncmp(rec.serialized_key_encryption_key, "Aes256Gcm.", 10), 0);
    CU_ASSERT_EQUAL(
        cryppo_aes_decrypt(pdk, rec.serialized_key_encryption_key, &direct),
        CRYPPO_OK);
    CU_ASSERT_EQUAL(direct.len, 32);
    CU_ASSERT(direct.len == kek.len && memcmp(direct.p, kek.p, 32) == 0);
    char *kek_id = NULL;
    CU_ASSERT_EQUAL(ks_kek_id(ks, &kek_id), KS_OK);
    CU_ASSERT_STRING_EQUAL(kek_id, rec.id);
    free(kek_id);
    cryppo_secret_free(&parsed);
    store_kek_clear(&rec);
    store_account_clear(&info);
    secbuf_free(&kek);
    secbuf_free(&direct);
}

static void test_auth_keypair_and_dek(void)
{
    store_keypair kp;
    CU_ASSERT_EQUAL_FATAL(ks_keypair_get_by_external_id(ks, "auth", &kp),
                          KS_OK);
    CU_ASSERT_EQUAL(strncmp(kp.public_key, "-----BEGIN PUBLIC KEY-----", 26),
                    0);
    CU_ASSERT_EQUAL(kp.bits, 4096);
    secbuf pem = {0};
    CU_ASSERT_EQUAL_FATAL(ks_keypair_private_pem(ks, kp.id, &pem), KS_OK);
    CU_ASSERT_EQUAL(
        strncmp((char *)pem.p, "-----BEGIN RSA PRIVATE KEY-----", 31), 0);
    EVP_PKEY *priv = NULL, *pub = NULL;
    CU_ASSERT_EQUAL_FATAL(ks_keypair_private_key(ks, kp.id, &priv), KS_OK);
    CU_ASSERT_EQUAL_FATAL(
        cryppo_rsa_public_from_pem(kp.public_key, strlen(kp.public_key), &pub),
        CRYPPO_OK);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(priv, pub), 1);
    CU_ASSERT_EQUAL(ks_keypair_delete(ks, kp.id), KS_ERR_ARGS);
    EVP_PKEY_free(priv);
    EVP_PKEY_free(pub);
    secbuf_free(&pem);
    store_keypair_clear(&kp);

    secbuf dek = {0};
    CU_ASSERT_EQUAL(ks_private_dek_get(ks, &dek), KS_OK);
    CU_ASSERT_EQUAL(dek.len, 32);
    secbuf_free(&dek);
}

static void test_deks(void)
{
    store_dek d, *list = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(ks_dek_create(ks, "extra", &d), KS_OK);
    CU_ASSERT_EQUAL(strlen(d.id), 36);
    CU_ASSERT_STRING_EQUAL(d.label, "extra");
    CU_ASSERT_EQUAL(ks_dek_list(ks, &list, &n), KS_OK);
    CU_ASSERT_EQUAL(n, 2);
    secbuf k = {0};
    CU_ASSERT_EQUAL(ks_dek_unwrap(ks, d.id, &k), KS_OK);
    CU_ASSERT_EQUAL(k.len, 32);
    secbuf_free(&k);
    CU_ASSERT_EQUAL(ks_dek_delete(ks, d.id), KS_OK);
    CU_ASSERT_EQUAL(ks_dek_delete(ks, d.id), KS_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(ks_dek_unwrap(ks, d.id, &k), KS_ERR_NOT_FOUND);
    store_account info;
    CU_ASSERT_EQUAL_FATAL(ks_account_info(ks, &info), KS_OK);
    CU_ASSERT_EQUAL(ks_dek_delete(ks, info.private_dek_id), KS_ERR_ARGS);
    store_account_clear(&info);
    store_dek_list_free(list, n);
    store_dek_clear(&d);

    uint8_t raw[32] = {1, 2, 3};
    CU_ASSERT_EQUAL(ks_dek_import(ks, raw, NULL, &d), KS_OK);
    CU_ASSERT_EQUAL(ks_dek_unwrap(ks, d.id, &k), KS_OK);
    CU_ASSERT(k.len == 32 && memcmp(k.p, raw, 32) == 0);
    secbuf_free(&k);
    CU_ASSERT_EQUAL(ks_dek_delete(ks, d.id), KS_OK);
    store_dek_clear(&d);
}

static void test_keypair_create(void)
{
    store_keypair kp, found;
    CU_ASSERT_EQUAL(ks_keypair_create(ks, 1024, NULL, NULL, &kp),
                    KS_ERR_UNSUPPORTED);
    CU_ASSERT_EQUAL_FATAL(
        ks_keypair_create(ks, 2048, "conn", "[\"conn-1\"]", &kp), KS_OK);
    CU_ASSERT_EQUAL(kp.bits, 2048);
    CU_ASSERT_STRING_EQUAL(kp.metadata, "{}");
    CU_ASSERT_EQUAL(ks_keypair_get_by_external_id(ks, "conn-1", &found), KS_OK);
    CU_ASSERT_STRING_EQUAL(found.id, kp.id);
    store_keypair_clear(&found);
    CU_ASSERT_EQUAL(ks_keypair_delete(ks, kp.id), KS_OK);
    CU_ASSERT_EQUAL(ks_keypair_get(ks, kp.id, &found), KS_ERR_NOT_FOUND);
    store_keypair_clear(&kp);
}

static void test_set_pin(void)
{
    secbuf before = {0}, after = {0};
    CU_ASSERT_EQUAL_FATAL(ks_kek_get(ks, &before), KS_OK);
    CU_ASSERT_EQUAL(ks_account_set_pin(ks, "wrong", "new-pin"),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(ks_account_set_pin(ks, PIN, "new-pin"), KS_OK);
    ks_account_logout(ks);
    CU_ASSERT_EQUAL(ks_account_set_pin(ks, PIN, "x"), KS_ERR_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, PIN),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_USER, "new-pin"), KS_OK);
    CU_ASSERT_EQUAL_FATAL(ks_kek_get(ks, &after), KS_OK);
    CU_ASSERT(before.len == 32 && after.len == 32 &&
              memcmp(before.p, after.p, 32) == 0);
    /* SO PIN change keeps the user PIN working. */
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_SO, SO_PIN), KS_OK);
    CU_ASSERT_EQUAL_FATAL(ks_account_set_pin(ks, SO_PIN, "so-2"), KS_OK);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_SO, SO_PIN),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_SO, "so-2"), KS_OK);
    CU_ASSERT_EQUAL(ks_account_set_pin(ks, "so-2", SO_PIN), KS_OK);
    ks_account_logout(ks);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, "new-pin"), KS_OK);
    secbuf_free(&before);
    secbuf_free(&after);
}

/* A forgotten passphrase: the SO sets a new one (C_InitPIN). */
static void test_so_reset(void)
{
    ks_account_logout(ks);
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_SO, SO_PIN), KS_OK);
    CU_ASSERT_EQUAL_FATAL(ks_account_init_pin(ks, PIN), KS_OK);
    ks_account_logout(ks);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, "new-pin"),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, PIN), KS_OK);
    CU_ASSERT_EQUAL(ks_account_init_pin(ks, "x"), KS_ERR_WRONG_USER);
}

static void test_export(void)
{
    cJSON *j = NULL;
    CU_ASSERT_EQUAL_FATAL(ks_export_json(ks, &j), KS_OK);
    const cJSON *kek = cJSON_GetObjectItem(j, "key_encryption_key");
    const cJSON *ser =
        cJSON_GetObjectItem(kek, "serialized_key_encryption_key");
    CU_ASSERT(cJSON_IsString(ser) &&
              strncmp(ser->valuestring, "Aes256Gcm.", 10) == 0);
    CU_ASSERT_EQUAL(
        cJSON_GetArraySize(cJSON_GetObjectItem(j, "data_encryption_keys")), 1);
    const cJSON *kps = cJSON_GetObjectItem(j, "keypairs");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(kps), 1);
    const cJSON *ext =
        cJSON_GetObjectItem(cJSON_GetArrayItem(kps, 0), "external_identifiers");
    CU_ASSERT(cJSON_IsArray(ext) && cJSON_GetArraySize(ext) == 1 &&
              strcmp(cJSON_GetArrayItem(ext, 0)->valuestring, "auth") == 0);
    CU_ASSERT(cJSON_IsObject(
        cJSON_GetObjectItem(cJSON_GetArrayItem(kps, 0), "metadata")));
    cJSON_Delete(j);
}

static void test_persistence(void)
{
    ks_account_close(ks);
    ks = NULL;
    CU_ASSERT_EQUAL_FATAL(ks_account_open(db, &ks), KS_OK);
    CU_ASSERT_EQUAL(state_of(), KS_STATE_READY);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_USER, PIN), KS_OK);
}

static void test_reinit(void)
{
    secbuf old = {0}, fresh = {0};
    CU_ASSERT_EQUAL_FATAL(ks_kek_get(ks, &old), KS_OK);
    CU_ASSERT_EQUAL(ks_account_init_token(ks, "L2", "wrong", NULL),
                    KS_ERR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(state_of(), KS_STATE_READY);
    CU_ASSERT_EQUAL_FATAL(ks_account_init_token(ks, "L2", SO_PIN, "alice"),
                          KS_OK);
    CU_ASSERT_EQUAL(state_of(), KS_STATE_NO_USER_PIN);
    CU_ASSERT_EQUAL(ks_account_user(ks), KS_USER_NONE);
    store_keypair *kps = NULL;
    store_dek *deks = NULL;
    size_t nk = 0, nd = 0;
    CU_ASSERT_EQUAL(ks_keypair_list(ks, &kps, &nk), KS_OK);
    CU_ASSERT_EQUAL(ks_dek_list(ks, &deks, &nd), KS_OK);
    CU_ASSERT_EQUAL(nk, 1);
    CU_ASSERT_EQUAL(nd, 1);
    store_keypair_list_free(kps, nk);
    store_dek_list_free(deks, nd);
    CU_ASSERT_EQUAL(ks_account_login(ks, KS_USER_SO, SO_PIN), KS_OK);
    CU_ASSERT_EQUAL_FATAL(ks_kek_get(ks, &fresh), KS_OK);
    CU_ASSERT(memcmp(old.p, fresh.p, 32) != 0);
    store_account info;
    CU_ASSERT_EQUAL(ks_account_info(ks, &info), KS_OK);
    CU_ASSERT_STRING_EQUAL(info.username, "alice");
    CU_ASSERT_STRING_EQUAL(info.label, "L2");
    store_account_clear(&info);
    CU_ASSERT_EQUAL(store_integrity_check(ks_account_store(ks)), STORE_OK);
    secbuf_free(&old);
    secbuf_free(&fresh);
}

static void test_create_one_shot(void)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/second.sqlite3", dir);
    ks_account *b = NULL;
    char *secret = NULL;
    CU_ASSERT_EQUAL_FATAL(ks_account_open(path, &b), KS_OK);
    CU_ASSERT_EQUAL_FATAL(ks_account_create(b, "B", PIN, SO_PIN, NULL, &secret),
                          KS_OK);
    CU_ASSERT_EQUAL(strncmp(secret, "1.local-", 8), 0);
    CU_ASSERT_EQUAL(ks_account_user(b), KS_USER_NONE);
    CU_ASSERT_EQUAL(ks_account_set_secret(b, "garbage"), KS_ERR_SECRET);
    CU_ASSERT_EQUAL(ks_account_set_secret(b, secret), KS_OK);
    CU_ASSERT_EQUAL(ks_account_login(b, KS_USER_USER, PIN), KS_OK);
    /* A stale configured Secret Key does not override the stored one. */
    CU_ASSERT_EQUAL(ks_account_set_secret(b, "1.someone.2Vpz2tH"), KS_OK);
    CU_ASSERT_EQUAL(ks_account_login(b, KS_USER_USER, PIN), KS_OK);
    secure_free(secret, strlen(secret));
    ks_account_close(b);
}

void test_account_register(void)
{
    CU_pSuite s = CU_add_suite("account", account_setup, account_teardown);
    CU_add_test(s, "empty token", test_empty_token);
    CU_add_test(s, "init token + init PIN", test_init_token_and_pin);
    CU_add_test(s, "login, Meeco PDK wraps the KEK", test_login_and_meeco_pdk);
    CU_add_test(s, "auth keypair and private DEK", test_auth_keypair_and_dek);
    CU_add_test(s, "DEK create/list/delete/import", test_deks);
    CU_add_test(s, "keypair create/delete", test_keypair_create);
    CU_add_test(s, "set PIN (user and SO)", test_set_pin);
    CU_add_test(s, "SO reset of the passphrase", test_so_reset);
    CU_add_test(s, "Keystore-shaped export", test_export);
    CU_add_test(s, "persistence across close/open", test_persistence);
    CU_add_test(s, "re-initialization", test_reinit);
    CU_add_test(s, "one-shot create", test_create_one_shot);
}
