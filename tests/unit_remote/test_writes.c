/* tests/unit_remote/test_writes.c - remote/writes.h against meeco-server
 * started in this process: every write on success and failure (404,
 * 401, nothing listening), answers applied to a replica, one session
 * shared by two threads.  test_sync.c adds the fetch/apply tests to the
 * same suite (one server, one sign-up). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cryppo.h"
#include "http.h"
#include "remote.h"
#include "store.h"
#include "support.h"
#include "sync.h"
#include "writes.h"

/* A session whose tokens the server does not know. */
static void bad_token_session(remote_session *bad)
{
    *bad = sess;
    memset(&bad->keystore_token, 0, sizeof(secbuf));
    memset(&bad->vault_token, 0, sizeof(secbuf));
    secbuf_dup(&bad->keystore_token, "bogus-keystore-token", 20);
    secbuf_dup(&bad->vault_token, "bogus-vault-token", 17);
}

static void bad_token_free(remote_session *bad)
{
    secbuf_free(&bad->keystore_token);
    secbuf_free(&bad->vault_token);
}

/* ---- items and slots ------------------------------------------------------
 */

static void test_item_create(void)
{
    char *slot_id = NULL, *item_id;
    cJSON *ans = NULL;
    store_slot sl = {0};
    store_item it = {0};
    store *db = NULL;

    item_id = new_item("Token Object 1", "value", "hello", &slot_id, &ans);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(slot_id);
    CU_ASSERT_STRING_EQUAL(remote_json_str(ans, "item.name"), "token_object_1");
    CU_ASSERT_STRING_EQUAL(remote_json_str(ans, "item.label"),
                           "Token Object 1");
    CU_ASSERT_PTR_NOT_NULL(remote_json_str(ans, "item.item_template_id"));
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    CU_ASSERT_EQUAL(store_item_get(db, item_id, &it), STORE_OK);
    CU_ASSERT_STRING_EQUAL(it.name ? it.name : "", "token_object_1");
    CU_ASSERT_EQUAL(store_slot_get(db, slot_id, &sl), STORE_OK);
    CU_ASSERT_STRING_EQUAL(sl.item_id ? sl.item_id : "", item_id);
    CU_ASSERT_STRING_EQUAL(sl.slot_type_name ? sl.slot_type_name : "",
                           "key_value");
    CU_ASSERT_TRUE(decrypts_to(sl.encrypted_value, "hello"));
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK); /* idempotent */
    store_slot_clear(&sl);
    store_item_clear(&it);
    store_close(db);
    cJSON_Delete(ans);
    free(item_id);
    free(slot_id);
}

static void test_item_create_template_and_failures(void)
{
    remote_slot_in in = {"note", "My note", "password", NULL};
    char *slot_id = NULL;
    cJSON *ans = NULL;

    CU_ASSERT_EQUAL(remote_item_create(&sess, "with_template", "With", "note",
                                       &in, &ans, &slot_id),
                    REMOTE_OK);
    /* the template's "note" slot took the type and label sent */
    CU_ASSERT_PTR_NOT_NULL(slot_id);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(ans, "slots")), 1);
    CU_ASSERT_STRING_EQUAL(remote_json_str(ans, "item.label"), "With");
    cJSON_Delete(ans);
    free(slot_id);
    CU_ASSERT_EQUAL(remote_item_create(&sess, "x", NULL, "no_such_template",
                                       &in, &ans, &slot_id),
                    REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ans);
    CU_ASSERT_PTR_NULL(slot_id);
    in.slot_type_name = "no_such_type";
    CU_ASSERT_EQUAL(
        remote_item_create(&sess, "x", NULL, NULL, &in, &ans, &slot_id),
        REMOTE_ERR_REJECTED);
    in.slot_type_name = NULL;
    in.name = NULL;
    CU_ASSERT_EQUAL(
        remote_item_create(&sess, "x", NULL, NULL, &in, &ans, &slot_id),
        REMOTE_ERR_ARGS);
    in.name = "n";
    CU_ASSERT_EQUAL(
        remote_item_create(NULL, "x", NULL, NULL, &in, &ans, &slot_id),
        REMOTE_ERR_ARGS);
    CU_ASSERT_EQUAL(
        remote_item_create(&sess, NULL, NULL, NULL, &in, &ans, &slot_id),
        REMOTE_ERR_ARGS);
}

static void test_slot_add_update(void)
{
    char *first = NULL, *second = NULL, *item_id, *ev = enc("second value");
    remote_slot_in add = {"Second Slot", "Second", NULL, ev}, ch = {0};
    cJSON *ans = NULL;
    store_slot sl = {0};
    size_t n = 0;
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    item_id = new_item("adds", "first", "one", &first, &ans);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(remote_slot_add(&sess, item_id, &add, &ans, &second),
                    REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(second);
    CU_ASSERT_STRING_NOT_EQUAL(first, second);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(store_slot_count(db, item_id, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(store_slot_get(db, second, &sl), STORE_OK);
    CU_ASSERT_STRING_EQUAL(sl.name ? sl.name : "", "second_slot");
    CU_ASSERT_STRING_EQUAL(sl.label ? sl.label : "", "Second");
    CU_ASSERT_TRUE(decrypts_to(sl.encrypted_value, "second value"));
    store_slot_clear(&sl);

    /* label only: the value stays */
    ch.name = "second_slot";
    ch.label = "Renamed";
    CU_ASSERT_EQUAL(remote_slot_update(&sess, item_id, second, &ch, &ans),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(store_slot_get(db, second, &sl), STORE_OK);
    CU_ASSERT_STRING_EQUAL(sl.label ? sl.label : "", "Renamed");
    CU_ASSERT_TRUE(decrypts_to(sl.encrypted_value, "second value"));
    store_slot_clear(&sl);

    /* value only: the label stays */
    free(ev);
    ev = enc("changed");
    add.encrypted_value = ev;
    ch.label = NULL;
    ch.encrypted_value = ev;
    CU_ASSERT_EQUAL(remote_slot_update(&sess, item_id, second, &ch, &ans),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(store_slot_get(db, second, &sl), STORE_OK);
    CU_ASSERT_STRING_EQUAL(sl.label ? sl.label : "", "Renamed");
    CU_ASSERT_TRUE(decrypts_to(sl.encrypted_value, "changed"));
    store_slot_clear(&sl);
    CU_ASSERT_EQUAL(store_slot_count(db, item_id, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 2);

    /* unknown item, unknown slot, unusable ids */
    free(second);
    CU_ASSERT_EQUAL(remote_slot_add(&sess,
                                    "00000000-0000-4000-8000-"
                                    "000000000000",
                                    &add, &ans, &second),
                    REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ans);
    CU_ASSERT_PTR_NULL(second);
    CU_ASSERT_EQUAL(remote_slot_update(&sess, item_id,
                                       "00000000-0000-4000-8000-000000000000",
                                       &ch, &ans),
                    REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_slot_add(&sess, "../me", &add, &ans, NULL),
                    REMOTE_ERR_ARGS);
    ch.name = NULL;
    CU_ASSERT_EQUAL(remote_slot_update(&sess, item_id, first, &ch, &ans),
                    REMOTE_ERR_ARGS);
    store_close(db);
    free(ev);
    free(first);
    free(item_id);
}

static void test_deletes(void)
{
    char *slot_id = NULL, *item_id, *s2 = NULL;
    remote_slot_in add = {"other", NULL, NULL, NULL};
    cJSON *ans = NULL;
    store_slot sl = {0};
    store_item it = {0};
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    item_id = new_item("to delete", "v", "x", &slot_id, &ans);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(remote_slot_add(&sess, item_id, &add, &ans, &s2),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);

    CU_ASSERT_EQUAL(remote_slot_delete(&sess, slot_id), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_delete(db, REMOTE_REC_SLOT, slot_id),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(store_slot_get(db, slot_id, &sl), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_slot_delete(&sess, slot_id), REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_apply_delete(db, REMOTE_REC_SLOT, slot_id),
                    REMOTE_OK); /* already gone is fine */

    CU_ASSERT_EQUAL(remote_item_delete(&sess, item_id), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_delete(db, REMOTE_REC_ITEM, item_id),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(store_item_get(db, item_id, &it), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_slot_get(db, s2, &sl), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_item_delete(&sess, item_id), REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_slot_delete(&sess, s2), REMOTE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_item_delete(&sess, "a/b"), REMOTE_ERR_ARGS);
    CU_ASSERT_EQUAL(remote_apply_delete(db, (remote_record_kind)42, "x"),
                    REMOTE_ERR_ARGS);
    store_close(db);
    free(item_id);
    free(slot_id);
    free(s2);
}

/* A slot deleted on the server disappears from the replica with the
 * next answer about its item. */
static void test_answer_replaces_slots(void)
{
    char *old_slot = NULL, *new_slot = NULL, *item_id;
    remote_slot_in add = {"newer", NULL, NULL, NULL};
    cJSON *ans = NULL;
    store_slot sl = {0};
    store_item it = {0};
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK); /* templates */
    item_id = new_item("replaced", "older", "x", &old_slot, &ans);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(store_item_get(db, item_id, &it), STORE_OK);
    CU_ASSERT_STRING_EQUAL(it.item_template_name ? it.item_template_name : "",
                           "custom");
    store_item_clear(&it);
    CU_ASSERT_EQUAL(remote_slot_delete(&sess, old_slot), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_slot_add(&sess, item_id, &add, &ans, &new_slot),
                    REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
    CU_ASSERT_EQUAL(store_slot_get(db, old_slot, &sl), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_slot_get(db, new_slot, &sl), STORE_OK);
    store_slot_clear(&sl);
    store_close(db);
    free(item_id);
    free(old_slot);
    free(new_slot);
}

/* ---- keystore keys --------------------------------------------------------
 */

static void test_dek(void)
{
    uint8_t raw[32] = {1, 2, 3};
    char *wrapped = NULL, *id = NULL, dek_id[STORE_UUID_LEN + 1];
    store_dek d = {0};
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(
        cryppo_aes_encrypt(sess.kek.p, raw, sizeof(raw), &wrapped), CRYPPO_OK);
    CU_ASSERT_EQUAL(remote_dek_create(&sess, wrapped, &id), REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id);
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    snprintf(dek_id, sizeof(dek_id), "%s", id);
    d.id = dek_id;
    d.serialized_data_encryption_key = wrapped;
    CU_ASSERT_EQUAL(store_dek_put(db, &d), STORE_OK);
    CU_ASSERT_EQUAL(remote_dek_delete(&sess, id), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_delete(db, REMOTE_REC_DEK, id), REMOTE_OK);
    memset(&d, 0, sizeof(d));
    CU_ASSERT_EQUAL(store_dek_get(db, dek_id, &d), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_dek_delete(&sess, id), REMOTE_ERR_NOT_FOUND);
    free(id);
    CU_ASSERT_EQUAL(remote_dek_create(&sess, "not cryppo", &id),
                    REMOTE_ERR_REJECTED);
    CU_ASSERT_PTR_NULL(id);
    CU_ASSERT_EQUAL(remote_dek_create(&sess, NULL, &id), REMOTE_ERR_ARGS);
    store_close(db);
    free(wrapped);
}

static void test_keypair(void)
{
    char *wrapped = NULL, *id = NULL, *id2 = NULL;
    store_keypair k = {0};
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(cryppo_aes_encrypt(sess.kek.p, sess.private_pem.p,
                                             sess.private_pem.len, &wrapped),
                          CRYPPO_OK);
    CU_ASSERT_EQUAL(
        remote_keypair_create(&sess, sess.public_pem, wrapped, NULL, NULL, &id),
        REMOTE_OK);
    CU_ASSERT_EQUAL(remote_keypair_create(&sess, sess.public_pem, wrapped,
                                          "pkcs11-test",
                                          "{\"pkcs11_id\":\"0102\"}", &id2),
                    REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id2);
    /* the metadata is stored on the server as sent */
    {
        char path[200];
        cJSON *ans = NULL;
        remote_http *h = NULL;
        snprintf(path, sizeof(path), "/keypairs/%s", id2);
        CU_ASSERT_EQUAL_FATAL(remote_http_new(sess.cfg, &h), REMOTE_OK);
        CU_ASSERT_EQUAL(remote_http_call(h, REMOTE_KEYSTORE, "GET", path,
                                         (const char *)sess.keystore_token.p,
                                         NULL, &ans, NULL),
                        REMOTE_OK);
        const char *v = remote_json_str(ans, "keypair.metadata.pkcs11_id");
        CU_ASSERT_PTR_NOT_NULL(v);
        if (v)
            CU_ASSERT_STRING_EQUAL(v, "0102");
        cJSON_Delete(ans);
        remote_http_free(h);
    }
    /* metadata must be a JSON object */
    {
        char *bad = NULL;
        CU_ASSERT_EQUAL(remote_keypair_create(&sess, sess.public_pem, wrapped,
                                              NULL, "[1,2]", &bad),
                        REMOTE_ERR_ARGS);
        CU_ASSERT_PTR_NULL(bad);
    }
    CU_ASSERT_STRING_NOT_EQUAL(id, id2);
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    k.id = id2;
    k.public_key = sess.public_pem;
    k.encrypted_serialized_key = wrapped;
    k.key_type = "rsa";
    k.bits = 4096;
    CU_ASSERT_EQUAL(store_keypair_put(db, &k), STORE_OK);
    CU_ASSERT_EQUAL(remote_keypair_delete(&sess, id), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_keypair_delete(&sess, id2), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_apply_delete(db, REMOTE_REC_KEYPAIR, id2),
                    REMOTE_OK);
    memset(&k, 0, sizeof(k));
    CU_ASSERT_EQUAL(store_keypair_get(db, id2, &k), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(remote_keypair_delete(&sess, id), REMOTE_ERR_NOT_FOUND);
    free(id);
    CU_ASSERT_EQUAL(
        remote_keypair_create(&sess, "not a pem", wrapped, NULL, NULL, &id),
        REMOTE_ERR_REJECTED);
    CU_ASSERT_PTR_NULL(id);
    store_close(db);
    free(id2);
    free(wrapped);
}

/* ---- failures common to every call --------------------------------------- */

static void test_bad_token(void)
{
    remote_slot_in in = {"v", NULL, NULL, NULL};
    remote_snapshot *snap = NULL;
    remote_session bad;
    cJSON *ans = NULL;
    char *id = NULL;
    const char *uuid = "00000000-0000-4000-8000-000000000000";

    bad_token_session(&bad);
    CU_ASSERT_EQUAL(remote_item_create(&bad, "x", NULL, NULL, &in, &ans, &id),
                    REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_slot_add(&bad, uuid, &in, &ans, &id),
                    REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_slot_update(&bad, uuid, uuid, &in, &ans),
                    REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_slot_delete(&bad, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_item_delete(&bad, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_dek_create(&bad, "Aes256Gcm.x.y", &id),
                    REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_dek_delete(&bad, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_keypair_create(&bad, sess.public_pem,
                                          "Aes256Gcm.x.y", NULL, NULL, &id),
                    REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_keypair_delete(&bad, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_logout(&bad), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_fetch(&bad, &snap), REMOTE_ERR_AUTH);
    CU_ASSERT_PTR_NULL(snap);
    CU_ASSERT_PTR_NULL(ans);
    CU_ASSERT_PTR_NULL(id);
    CU_ASSERT_PTR_NOT_NULL(strstr(remote_last_error(), "401"));
    bad_token_free(&bad);
}

static void test_server_down(void)
{
    remote_config c = cfg;
    remote_session down = sess;
    remote_slot_in in = {"v", NULL, NULL, NULL};
    remote_snapshot *snap = NULL;
    char ks[128], va[128], *id = NULL;
    unsigned port = fx_closed_port();
    cJSON *ans = NULL;

    snprintf(ks, sizeof(ks), "http://127.0.0.1:%u/keystore", port);
    snprintf(va, sizeof(va), "http://127.0.0.1:%u/vault", port);
    c.keystore_url = ks;
    c.vault_url = va;
    c.get_retries = 0;
    down.cfg = &c;
    CU_ASSERT_EQUAL(remote_item_create(&down, "x", NULL, NULL, &in, &ans, &id),
                    REMOTE_ERR_NETWORK);
    CU_ASSERT_EQUAL(remote_slot_delete(&down, "abc"), REMOTE_ERR_NETWORK);
    CU_ASSERT_EQUAL(remote_dek_create(&down, "Aes256Gcm.x.y", &id),
                    REMOTE_ERR_NETWORK);
    CU_ASSERT_EQUAL(remote_logout(&down), REMOTE_ERR_NETWORK);
    CU_ASSERT_EQUAL(remote_fetch(&down, &snap), REMOTE_ERR_NETWORK);
    CU_ASSERT_PTR_NULL(snap);
    CU_ASSERT_PTR_NULL(ans);
    CU_ASSERT_PTR_NULL(id);
}

static void test_logout(void)
{
    const char *uuid = "00000000-0000-4000-8000-000000000000";
    remote_snapshot *snap = NULL;
    remote_session s;

    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL_FATAL(remote_login(&cfg, secret, PASSPHRASE, &s),
                          REMOTE_OK);
    CU_ASSERT_EQUAL(remote_logout(&s), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_item_delete(&s, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_dek_delete(&s, uuid), REMOTE_ERR_AUTH);
    CU_ASSERT_EQUAL(remote_logout(&s), REMOTE_ERR_AUTH);
    CU_ASSERT_PTR_NOT_NULL(strstr(remote_last_error(), "DELETE /session"));
    /* the other session of the account still works */
    CU_ASSERT_EQUAL(remote_fetch(&sess, &snap), REMOTE_OK);
    remote_snapshot_free(snap);
    remote_session_free(&s);
    CU_ASSERT_EQUAL(remote_logout(NULL), REMOTE_ERR_ARGS);
    CU_ASSERT_EQUAL(remote_logout(&s), REMOTE_ERR_ARGS);
}

/* ---- one session, two threads ----------------------------------------------
 */

#define PER_THREAD 8

struct adder {
    const char *item_id;
    int which;
    int ok;
    char *ids[PER_THREAD];
};

static void *add_slots(void *arg)
{
    struct adder *a = arg;

    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        remote_slot_in in = {name, NULL, NULL, NULL};

        snprintf(name, sizeof(name), "t%d_slot_%d", a->which, i);
        if (remote_slot_add(&sess, a->item_id, &in, NULL, &a->ids[i]) ==
            REMOTE_OK)
            a->ok++;
    }
    return NULL;
}

static void test_two_threads(void)
{
    struct adder a[2] = {{0}, {0}};
    pthread_t t[2];
    char *item_id, *first = NULL;
    store *db = NULL;
    size_t n = 0;

    item_id = new_item("threads", "first", "x", &first, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    for (int i = 0; i < 2; i++) {
        a[i].item_id = item_id;
        a[i].which = i;
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t[i], NULL, add_slots, &a[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CU_ASSERT_EQUAL(a[0].ok, PER_THREAD);
    CU_ASSERT_EQUAL(a[1].ok, PER_THREAD);
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    CU_ASSERT_EQUAL(store_slot_count(db, item_id, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 1 + 2 * PER_THREAD);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < PER_THREAD; k++) {
            store_slot sl = {0};

            CU_ASSERT_EQUAL(store_slot_get(db, a[i].ids[k], &sl), STORE_OK);
            store_slot_clear(&sl);
            free(a[i].ids[k]);
        }
    store_close(db);
    free(item_id);
    free(first);
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("remote writes and sync", support_init, support_clean);
    CU_add_test(s, "item create + apply", test_item_create);
    CU_add_test(s, "item create: template, failures",
                test_item_create_template_and_failures);
    CU_add_test(s, "slot add + update", test_slot_add_update);
    CU_add_test(s, "slot and item delete", test_deletes);
    CU_add_test(s, "answer replaces the item's slots",
                test_answer_replaces_slots);
    CU_add_test(s, "DEK create/delete", test_dek);
    CU_add_test(s, "keypair create/delete", test_keypair);
    CU_add_test(s, "401 with a bad token", test_bad_token);
    CU_add_test(s, "server down", test_server_down);
    CU_add_test(s, "logout", test_logout);
    CU_add_test(s, "two threads, one session", test_two_threads);
    sync_tests_add(s);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
