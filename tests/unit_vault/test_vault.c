/* tests/unit_vault/test_vault.c - items and slots: CRUD, values under the
 * private DEK, name rules, last-slot deletion, 10,000 slots, export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <cjson/cJSON.h>

#include "cryppo.h"
#include "vault_export.h"
#include "vault.h"

static char dir[] = "/tmp/vault-test-XXXXXX";
static ks_account *ks;

#define PIN "1234"

static int suite_setup(void)
{
    char db[300];
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof(db), "%s/token.sqlite3", dir);
    if (ks_account_open(db, &ks) != KS_OK)
        return -1;
    if (ks_account_create(ks, "vault test", PIN, "so", NULL, NULL) != KS_OK)
        return -1;
    return ks_account_login(ks, KS_USER_USER, PIN) == KS_OK ? 0 : -1;
}

static int suite_teardown(void)
{
    ks_account_close(ks);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_sanitize(void)
{
    static const char *const cases[][2] = {
        {"Model Make", "model_make"},
        {"a-b.c", "a_b_c"},
        {"ABC123", "abc123"},
        {"été", "__t__"} /* byte-wise */,
        {"x", "x"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = vault_name_sanitize(cases[i][0]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        CU_ASSERT_STRING_EQUAL(out, cases[i][1]);
        free(out);
    }
    CU_ASSERT_PTR_NULL(vault_name_sanitize(""));
    char longname[VAULT_NAME_MAX + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    CU_ASSERT_PTR_NULL(vault_name_sanitize(longname));
}

static void test_items(void)
{
    store_item it, again;
    int created = 0;
    CU_ASSERT_EQUAL_FATAL(
        vault_item_ensure(ks, "My Car", "vehicle", &it, &created), VAULT_OK);
    CU_ASSERT(created);
    CU_ASSERT_STRING_EQUAL(it.name, "my_car");
    CU_ASSERT_STRING_EQUAL(it.label, "My Car");
    CU_ASSERT_STRING_EQUAL(it.item_template_name, "vehicle");
    CU_ASSERT_EQUAL_FATAL(
        vault_item_ensure(ks, "my car", NULL, &again, &created), VAULT_OK);
    CU_ASSERT(!created);
    CU_ASSERT_STRING_EQUAL(again.id, it.id);
    CU_ASSERT_EQUAL(vault_item_create(ks, "MY_CAR", NULL, NULL, NULL),
                    VAULT_ERR_EXISTS);
    CU_ASSERT_EQUAL(vault_item_create(ks, "x", NULL, "no-such-template", NULL),
                    VAULT_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(vault_item_set_label(ks, it.id, "Car"), VAULT_OK);
    store_item_clear(&again);
    CU_ASSERT_EQUAL(vault_item_find(ks, "MY CAR", &again), VAULT_OK);
    CU_ASSERT_STRING_EQUAL(again.label, "Car");
    store_item_clear(&again);
    CU_ASSERT_EQUAL(vault_item_delete(ks, it.id), VAULT_OK);
    CU_ASSERT_EQUAL(vault_item_get(ks, it.id, &again), VAULT_ERR_NOT_FOUND);
    store_item_clear(&it);

    store_template *tpl = NULL;
    store_classification *cls = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(vault_template_list(ks, &tpl, &n), VAULT_OK);
    CU_ASSERT(n >= 3);
    store_template_list_free(tpl, n);
    CU_ASSERT_EQUAL(vault_classification_list(ks, &cls, &n), VAULT_OK);
    CU_ASSERT(n >= 1);
    store_classification_list_free(cls, n);
}

static void test_slots(void)
{
    store_item it;
    store_slot sl, found;
    secbuf v = {0};
    const char *secret = "s3cr3t value ✓";
    CU_ASSERT_EQUAL_FATAL(vault_item_ensure(ks, "Passwords", NULL, &it, NULL),
                          VAULT_OK);
    CU_ASSERT_EQUAL_FATAL(vault_slot_add(ks, it.id, "Web Site", "example.org",
                                         "password", (const uint8_t *)secret,
                                         strlen(secret), &sl),
                          VAULT_OK);
    CU_ASSERT_STRING_EQUAL(sl.name, "web_site");
    CU_ASSERT_STRING_EQUAL(sl.slot_type_name, "password");
    CU_ASSERT_EQUAL(strncmp(sl.encrypted_value, "Aes256Gcm.", 10), 0);
    CU_ASSERT_PTR_NULL(strstr(sl.encrypted_value, "s3cr3t"));
    CU_ASSERT_EQUAL(vault_slot_add(ks, it.id, "web site", NULL, NULL,
                                   (const uint8_t *)"x", 1, NULL),
                    VAULT_ERR_EXISTS);
    CU_ASSERT_EQUAL(vault_slot_add(ks, "no-such-item", "a", NULL, NULL,
                                   (const uint8_t *)"x", 1, NULL),
                    VAULT_ERR_NOT_FOUND);

    /* The value decrypts with the private DEK, exactly as the SDK would. */
    secbuf dek = {0};
    CU_ASSERT_EQUAL_FATAL(ks_private_dek_get(ks, &dek), KS_OK);
    CU_ASSERT_EQUAL(cryppo_aes_decrypt(dek.p, sl.encrypted_value, &v),
                    CRYPPO_OK);
    CU_ASSERT(v.len == strlen(secret) && memcmp(v.p, secret, v.len) == 0);
    secbuf_free(&v);
    secbuf_free(&dek);

    CU_ASSERT_EQUAL(vault_slot_value(ks, sl.id, &v), VAULT_OK);
    CU_ASSERT(v.len == strlen(secret) && memcmp(v.p, secret, v.len) == 0);
    secbuf_free(&v);
    CU_ASSERT_EQUAL(vault_slot_set_value(ks, sl.id, (const uint8_t *)"new", 3),
                    VAULT_OK);
    CU_ASSERT_EQUAL(vault_slot_value(ks, sl.id, &v), VAULT_OK);
    CU_ASSERT(v.len == 3 && memcmp(v.p, "new", 3) == 0);
    secbuf_free(&v);
    CU_ASSERT_EQUAL(vault_slot_set_value(ks, sl.id, NULL, 0), VAULT_OK);
    CU_ASSERT_EQUAL(vault_slot_value(ks, sl.id, &v), VAULT_OK);
    CU_ASSERT_EQUAL(v.len, 0);
    secbuf_free(&v);
    CU_ASSERT_EQUAL(vault_slot_set_label(ks, sl.id, "renamed"), VAULT_OK);
    CU_ASSERT_EQUAL_FATAL(vault_slot_find(ks, it.id, "WEB SITE", &found),
                          VAULT_OK);
    CU_ASSERT_STRING_EQUAL(found.label, "renamed");
    CU_ASSERT_PTR_NULL(found.encrypted_value);
    store_slot_clear(&found);

    /* Without a login values are out of reach, listings are not. */
    ks_account_logout(ks);
    CU_ASSERT_EQUAL(vault_slot_value(ks, sl.id, &v), VAULT_ERR_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(vault_slot_add(ks, it.id, "b", NULL, NULL,
                                   (const uint8_t *)"x", 1, NULL),
                    VAULT_ERR_NOT_LOGGED_IN);
    store_slot *list = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(vault_slot_list(ks, it.id, &list, &n), VAULT_OK);
    CU_ASSERT_EQUAL(n, 1);
    store_slot_list_free(list, n);
    CU_ASSERT_EQUAL_FATAL(ks_account_login(ks, KS_USER_USER, PIN), KS_OK);

    /* Deleting the last slot deletes the item. */
    CU_ASSERT_EQUAL(
        vault_slot_add(ks, it.id, "second", NULL, NULL, NULL, 0, NULL),
        VAULT_OK);
    CU_ASSERT_EQUAL(vault_slot_delete(ks, sl.id), VAULT_OK);
    store_item still;
    CU_ASSERT_EQUAL(vault_item_get(ks, it.id, &still), VAULT_OK);
    store_item_clear(&still);
    CU_ASSERT_EQUAL_FATAL(vault_slot_find(ks, it.id, "second", &found),
                          VAULT_OK);
    CU_ASSERT_EQUAL(vault_slot_delete(ks, found.id), VAULT_OK);
    CU_ASSERT_EQUAL(vault_slot_delete(ks, found.id), VAULT_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(vault_item_get(ks, it.id, &still), VAULT_ERR_NOT_FOUND);
    store_slot_clear(&found);
    store_slot_clear(&sl);
    store_item_clear(&it);
}

#define MANY 10000

static void test_many_slots(void)
{
    store *s = ks_account_store(ks);
    store_item it;
    CU_ASSERT_EQUAL_FATAL(vault_item_ensure(ks, "bulk", NULL, &it, NULL),
                          VAULT_OK);
    CU_ASSERT_EQUAL_FATAL(store_begin(s), STORE_OK);
    int failures = 0;
    for (int i = 0; i < MANY; i++) {
        char name[32], label[32];
        snprintf(name, sizeof(name), "slot_%05d", i);
        snprintf(label, sizeof(label), "label %05d", i);
        if (vault_slot_add(ks, it.id, name, label, NULL, (const uint8_t *)name,
                           strlen(name), NULL) != VAULT_OK)
            failures++;
    }
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_EQUAL_FATAL(store_commit(s), STORE_OK);

    size_t count = 0;
    CU_ASSERT_EQUAL(store_slot_count(s, it.id, &count), STORE_OK);
    CU_ASSERT_EQUAL(count, MANY);
    store_slot *list = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(
        vault_slot_find_by_label(ks, "label 07777", &list, &n), VAULT_OK);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(list[0].name, "slot_07777");
    secbuf v = {0};
    CU_ASSERT_EQUAL(vault_value_decrypt(ks, list[0].encrypted_value, &v),
                    VAULT_OK);
    CU_ASSERT(v.len == 10 && memcmp(v.p, "slot_07777", 10) == 0);
    secbuf_free(&v);
    store_slot_list_free(list, n);
    CU_ASSERT_EQUAL(vault_slot_find_by_label(ks, "label 99999", &list, &n),
                    VAULT_OK);
    CU_ASSERT_EQUAL(n, 0);
    free(list);
    CU_ASSERT_EQUAL(vault_item_delete(ks, it.id), VAULT_OK);
    store_item_clear(&it);
}

static void test_export(void)
{
    store_item it;
    store_slot sl;
    CU_ASSERT_EQUAL_FATAL(vault_item_ensure(ks, "exported", NULL, &it, NULL),
                          VAULT_OK);
    CU_ASSERT_EQUAL_FATAL(
        vault_slot_add(ks, it.id, "k", "K", NULL, (const uint8_t *)"v", 1, &sl),
        VAULT_OK);
    cJSON *j = NULL;
    CU_ASSERT_EQUAL_FATAL(vault_export_json(ks, &j), VAULT_OK);
    const cJSON *user =
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "me"), "user");
    store_account info;
    CU_ASSERT_EQUAL_FATAL(ks_account_info(ks, &info), KS_OK);
    CU_ASSERT_STRING_EQUAL(
        cJSON_GetObjectItem(user, "private_dek_external_id")->valuestring,
        info.private_dek_id);
    store_account_clear(&info);
    const cJSON *items = cJSON_GetObjectItem(j, "items");
    const cJSON *ia = cJSON_GetObjectItem(items, "items");
    const cJSON *sa = cJSON_GetObjectItem(items, "slots");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(ia), 1);
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(sa), 1);
    const cJSON *ids =
        cJSON_GetObjectItem(cJSON_GetArrayItem(ia, 0), "slot_ids");
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(ids, 0)->valuestring, sl.id);
    const cJSON *s0 = cJSON_GetArrayItem(sa, 0);
    CU_ASSERT_STRING_EQUAL(
        cJSON_GetObjectItem(s0, "encrypted_value")->valuestring,
        sl.encrypted_value);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(s0, "item_id")->valuestring,
                           it.id);
    CU_ASSERT(cJSON_IsArray(cJSON_GetObjectItem(
        cJSON_GetObjectItem(j, "item_templates"), "item_templates")));
    cJSON_Delete(j);
    store_slot_clear(&sl);
    store_item_clear(&it);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("vault", suite_setup, suite_teardown);
    CU_add_test(s, "name sanitizing", test_sanitize);
    CU_add_test(s, "items and templates", test_items);
    CU_add_test(s, "slots: values, names, login, last-slot rule", test_slots);
    CU_add_test(s, "10,000 slots in one transaction, lookup by label",
                test_many_slots);
    CU_add_test(s, "Vault-shaped export", test_export);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned int failed =
        CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
