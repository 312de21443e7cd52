/* tests/unit_remote/test_writes.c - remote/writes.h and the fetch/apply
 * split of remote/sync.h against meeco-server started in this process:
 * every write on success and failure (404, 401, nothing listening),
 * answers applied to a replica, deletion sync, bad server data leaving
 * the replica as it was, one session shared by two threads, paging. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "cryppo.h"
#include "http.h"
#include "remote.h"
#include "server.h"
#include "store.h"
#include "sync.h"
#include "writes.h"

#define PASSPHRASE "writes test passphrase"

static srv_server *server;
static char db_dir[256], srv_db[300];
static char ks_url[128], vault_url[128];
static remote_config cfg;
static remote_session sess; /* logged in by suite_init */
static char *secret;        /* its Secret Key */

static int suite_init(void)
{
    srv_config sc;
    char err[256];

    snprintf(db_dir, sizeof(db_dir), "/tmp/meeco-writes-test-XXXXXX");
    if (!mkdtemp(db_dir))
        return -1;
    srv_config_defaults(&sc);
    sc.port = 0;
    sc.threads = 4;
    snprintf(srv_db, sizeof(srv_db), "%s/server.db", db_dir);
    snprintf(sc.db_path, sizeof(sc.db_path), "%s", srv_db);
    snprintf(sc.access_log, sizeof(sc.access_log), "off");
    if (srv_server_start(&sc, &server, err, sizeof(err)) != 0) {
        fprintf(stderr, "server start: %s\n", err);
        return -1;
    }
    snprintf(ks_url, sizeof(ks_url), "http://127.0.0.1:%u/keystore",
             srv_server_port(server));
    snprintf(vault_url, sizeof(vault_url), "http://127.0.0.1:%u/vault",
             srv_server_port(server));
    remote_config_defaults(&cfg);
    cfg.keystore_url = ks_url;
    cfg.vault_url = vault_url;
    return remote_signup(&cfg, PASSPHRASE, &secret, &sess) == REMOTE_OK ? 0
                                                                        : -1;
}

static int suite_clean(void)
{
    char cmd[300];

    remote_session_free(&sess);
    if (secret)
        secure_free(secret, strlen(secret) + 1);
    srv_server_stop(server);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", db_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------ */

static char *enc(const char *value)
{
    char *out = NULL;

    if (cryppo_aes_encrypt(sess.dek.p, (const uint8_t *)value, strlen(value),
                           &out) != CRYPPO_OK)
        return NULL;
    return out;
}

static int decrypts_to(const char *ev, const char *want)
{
    secbuf pt = {NULL, 0};
    int ok = ev && cryppo_aes_decrypt(sess.dek.p, ev, &pt) == CRYPPO_OK &&
             strcmp((const char *)pt.p, want) == 0;

    secbuf_free(&pt);
    return ok;
}

/* A new item holding one slot; returns the item id (free). */
static char *new_item(const char *name, const char *slot, const char *value,
                      char **slot_id, cJSON **answer)
{
    char *ev = enc(value), *item_id = NULL;
    remote_slot_in in = {slot, NULL, NULL, ev};
    cJSON *ans = NULL;

    if (remote_item_create(&sess, name, NULL, NULL, &in, &ans, slot_id) ==
        REMOTE_OK)
        item_id = strdup(remote_json_str(ans, "item.id"));
    free(ev);
    if (answer)
        *answer = ans;
    else
        cJSON_Delete(ans);
    return item_id;
}

/* Everything a replica holds, as text, for before/after comparisons. */
static char *listing(store *db)
{
    store_item *it = NULL;
    store_slot *sl = NULL;
    store_dek *dk = NULL;
    store_keypair *kp = NULL;
    store_object *ob = NULL;
    store_account a = {0};
    size_t ni = 0, ns = 0, nd = 0, nk = 0, no = 0, len = 0;
    char *out = NULL;
    FILE *f = open_memstream(&out, &len);

#define S(x) ((x) ? (x) : "(null)")
    if (store_item_list(db, &it, &ni) == STORE_OK)
        for (size_t i = 0; i < ni; i++)
            fprintf(f, "item %s %s %s %s %d %s\n", it[i].id, it[i].name,
                    it[i].label, S(it[i].item_template_id), it[i].ordinal,
                    S(it[i].updated_at));
    if (store_slot_list(db, NULL, &sl, &ns) == STORE_OK)
        for (size_t i = 0; i < ns; i++)
            fprintf(f, "slot %s %s %s %s %s %s %d\n", sl[i].id, sl[i].item_id,
                    sl[i].name, sl[i].label, S(sl[i].encrypted_value),
                    S(sl[i].updated_at), sl[i].ordinal);
    if (store_dek_list(db, &dk, &nd) == STORE_OK)
        for (size_t i = 0; i < nd; i++)
            fprintf(f, "dek %s %s\n", dk[i].id,
                    dk[i].serialized_data_encryption_key);
    if (store_keypair_list(db, &kp, &nk) == STORE_OK)
        for (size_t i = 0; i < nk; i++)
            fprintf(f, "keypair %s %s\n", kp[i].id,
                    kp[i].encrypted_serialized_key);
    if (store_object_list(db, NULL, &ob, &no) == STORE_OK)
        for (size_t i = 0; i < no; i++)
            fprintf(f, "object %s %s\n", ob[i].id, ob[i].kind);
    if (store_account_get(db, &a) == STORE_OK)
        fprintf(f, "account %s %s %s\n", a.username, S(a.private_dek_id),
                S(a.secret_key));
#undef S
    fclose(f);
    store_item_list_free(it, ni);
    store_slot_list_free(sl, ns);
    store_dek_list_free(dk, nd);
    store_keypair_list_free(kp, nk);
    store_object_list_free(ob, no);
    store_account_clear(&a);
    return out;
}

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

/* A port nothing listens on. */
static unsigned closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port = 0;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
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
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    item_id = new_item("replaced", "older", "x", &old_slot, &ans);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    cJSON_Delete(ans);
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
        remote_keypair_create(&sess, sess.public_pem, wrapped, NULL, &id),
        REMOTE_OK);
    CU_ASSERT_EQUAL(remote_keypair_create(&sess, sess.public_pem, wrapped,
                                          "pkcs11-test", &id2),
                    REMOTE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id2);
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
        remote_keypair_create(&sess, "not a pem", wrapped, NULL, &id),
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
                                          "Aes256Gcm.x.y", NULL, &id),
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
    unsigned port = closed_port();
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

/* ---- fetch / apply ------------------------------------------------------- */

static char *replica_path(const char *name)
{
    static char path[400];

    snprintf(path, sizeof(path), "%s/%s", db_dir, name);
    return path;
}

static void test_deletion_sync(void)
{
    char *gone = NULL, *kept = NULL, *gone_slot = NULL, *kept_slot = NULL;
    char obj_id[STORE_UUID_LEN + 1];
    store_account acct = {0};
    remote_snapshot *snap = NULL;
    store_object ob = {0};
    store_slot sl = {0};
    store_item it = {0};
    store *db = NULL;

    gone = new_item("sync gone", "v", "gone", &gone_slot, NULL);
    kept = new_item("sync kept", "v", "kept", &kept_slot, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gone);
    CU_ASSERT_PTR_NOT_NULL_FATAL(kept);
    CU_ASSERT_EQUAL_FATAL(store_open(replica_path("deletion.sqlite3"), &db),
                          STORE_OK);
    /* an account row with a secret the sync must not touch */
    CU_ASSERT_EQUAL(
        store_account_put(db, &(store_account){.username = "someone",
                                               .secret_key = "1.keep.me",
                                               .label = "my token"}),
        STORE_OK);
    ob.kind = "certificate";
    ob.label = "cert";
    ob.data = (const uint8_t *)"der";
    ob.data_len = 3;
    CU_ASSERT_EQUAL(store_object_insert(db, &ob, obj_id), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(remote_fetch(&sess, &snap), REMOTE_OK);
    CU_ASSERT_TRUE(remote_snapshot_items(snap) >= 2);
    CU_ASSERT_TRUE(remote_snapshot_slots(snap) >= 2);
    CU_ASSERT_EQUAL(remote_snapshot_apply(snap, db), REMOTE_OK);
    remote_snapshot_free(snap);
    CU_ASSERT_EQUAL(store_item_get(db, gone, &it), STORE_OK);
    store_item_clear(&it);

    /* deleted on the server through the API (not through the replica) */
    CU_ASSERT_EQUAL(remote_item_delete(&sess, gone), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_slot_delete(&sess, kept_slot), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    CU_ASSERT_EQUAL(store_item_get(db, gone, &it), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_slot_get(db, gone_slot, &sl), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_slot_get(db, kept_slot, &sl), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_item_get(db, kept, &it), STORE_OK);
    store_item_clear(&it);
    CU_ASSERT_EQUAL(store_object_get(db, obj_id, &ob), STORE_OK);
    store_object_clear(&ob);
    CU_ASSERT_EQUAL(store_account_get(db, &acct), STORE_OK);
    CU_ASSERT_STRING_EQUAL(acct.username ? acct.username : "", sess.username);
    CU_ASSERT_STRING_EQUAL(acct.private_dek_id ? acct.private_dek_id : "",
                           sess.dek_id);
    CU_ASSERT_STRING_EQUAL(acct.secret_key ? acct.secret_key : "", "1.keep.me");
    CU_ASSERT_STRING_EQUAL(acct.label ? acct.label : "", "my token");
    CU_ASSERT_PTR_NULL(acct.so_wrapped_kek);
    store_account_clear(&acct);
    CU_ASSERT_EQUAL(store_integrity_check(db), STORE_OK);
    store_close(db);
    free(gone);
    free(kept);
    free(gone_slot);
    free(kept_slot);
}

/* A fresh replica gets an account row without a secret. */
static void test_account_row(void)
{
    store_account acct = {0};
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    CU_ASSERT_EQUAL(store_account_get(db, &acct), STORE_OK);
    CU_ASSERT_STRING_EQUAL(acct.username ? acct.username : "", sess.username);
    CU_ASSERT_STRING_EQUAL(acct.private_dek_id ? acct.private_dek_id : "",
                           sess.dek_id);
    CU_ASSERT_PTR_NULL(acct.secret_key);
    CU_ASSERT_PTR_NULL(acct.so_wrapped_kek);
    store_account_clear(&acct);
    CU_ASSERT_EQUAL(remote_snapshot_apply(NULL, db), REMOTE_ERR_ARGS);
    CU_ASSERT_EQUAL(remote_sync(NULL, db), REMOTE_ERR_ARGS);
    store_close(db);
}

/* Change one slot record in meeco-server's own database (the API refuses
 * such values, a broken or hostile server would not). */
static int tamper_slot(const char *slot_id, const char *path,
                       const char *json_value)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int ok;

    ok = sqlite3_open(srv_db, &db) == SQLITE_OK &&
         sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
         sqlite3_prepare_v2(db,
                            "UPDATE docs SET body = json_set(body, ?1,"
                            " json(?2)) WHERE kind = 'slot' AND id = ?3",
                            -1, &q, NULL) == SQLITE_OK &&
         sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text(q, 2, json_value, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text(q, 3, slot_id, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_step(q) == SQLITE_DONE && sqlite3_changes(db) == 1;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return ok;
}

static void test_bad_server_data(void)
{
    char *item_id, *slot_id = NULL, *before, *before0, *after, *after2;
    char gone[64];
    char *good = enc("fine");
    char good_json[1024];
    remote_snapshot *snap = NULL;
    store *db = NULL;

    item_id = new_item("tampered", "v", "fine", &slot_id, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_EQUAL_FATAL(store_open(replica_path("bad.sqlite3"), &db),
                          STORE_OK);
    CU_ASSERT_EQUAL_FATAL(remote_sync(&sess, db), REMOTE_OK);
    /* the server deletes an item: a later good sync would remove it */
    CU_ASSERT_EQUAL(remote_item_delete(&sess, item_id), REMOTE_OK);
    snprintf(gone, sizeof(gone), "%s", item_id);
    free(item_id);
    free(slot_id);
    item_id = new_item("tampered 2", "v", "fine", &slot_id, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(before0 = listing(db), gone));
    free(before0);
    before = listing(db);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);

    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.encrypted_value",
                                     "\"Aes256Gcm.not-base64!.x\""));
    CU_ASSERT_EQUAL(remote_fetch(&sess, &snap), REMOTE_ERR_PROTOCOL);
    CU_ASSERT_PTR_NULL(snap);
    CU_ASSERT_PTR_NOT_NULL(strstr(remote_last_error(), "encrypted_value"));
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_ERR_PROTOCOL);
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.encrypted_value", "42"));
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_ERR_PROTOCOL);
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.label", "[1]"));
    snprintf(good_json, sizeof(good_json), "\"%s\"", good);
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.encrypted_value", good_json));
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_ERR_PROTOCOL);
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.label", "\"ok\""));
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.id", "null"));
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_ERR_PROTOCOL);

    after = listing(db);
    CU_ASSERT_STRING_EQUAL(before, after);
    CU_ASSERT_EQUAL(store_integrity_check(db), STORE_OK);
    CU_ASSERT_FALSE(store_in_transaction(db));

    /* repaired: the sync goes through and drops the deleted item */
    snprintf(good_json, sizeof(good_json), "\"%s\"", slot_id);
    CU_ASSERT_TRUE_FATAL(tamper_slot(slot_id, "$.id", good_json));
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    after2 = listing(db);
    CU_ASSERT_PTR_NOT_NULL(strstr(after2, slot_id));
    CU_ASSERT_PTR_NULL(strstr(after2, gone));
    free(after2);
    store_close(db);
    free(before);
    free(after);
    free(good);
    free(item_id);
    free(slot_id);
}

/* {item, slots: [slot]} with one slot field replaced by value (JSON). */
static cJSON *answer_with(const char *slot_field, const char *value)
{
    cJSON *ans = cJSON_Parse(
        "{\"item\":{\"id\":\"i-1\",\"name\":\"n\",\"label\":\"L\"},"
        "\"slots\":[{\"id\":\"s-1\",\"item_id\":\"i-1\",\"name\":\"v\","
        "\"label\":\"v\"}]}");
    cJSON *slot = cJSON_GetArrayItem(cJSON_GetObjectItem(ans, "slots"), 0);

    cJSON_DeleteItemFromObjectCaseSensitive(slot, slot_field);
    cJSON_AddItemToObject(slot, slot_field, cJSON_Parse(value));
    return ans;
}

static void test_apply_items_bad(void)
{
    static const char *const bad[][2] = {
        {"encrypted_value", "\"plain text\""},
        {"encrypted_value", "\"Aes256Gcm.AAAA.QUFB\""},
        {"encrypted_value", "7"},
        {"item_id", "\"i-2\""},
        {"id", "null"},
        {"name", "null"},
        {"ordinal", "\"first\""},
        {"encrypted_value_verification_key", "\"nope\""},
    };
    char *before, *after, *ev = enc("v");
    char quoted[512];
    cJSON *ans;
    store *db = NULL;

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    before = listing(db);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ans = answer_with(bad[i][0], bad[i][1]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ans);
        CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_ERR_PROTOCOL);
        cJSON_Delete(ans);
    }
    ans = cJSON_Parse("{\"items\":{},\"slots\":[]}");
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_ERR_PROTOCOL);
    cJSON_Delete(ans);
    ans = cJSON_Parse("{\"items\":[{\"id\":\"a\",\"name\":\"a\",\"label\":"
                      "\"a\"},{\"id\":\"a\",\"name\":\"b\",\"label\":\"b\"}]"
                      "}");
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_ERR_PROTOCOL);
    cJSON_Delete(ans);
    after = listing(db);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(after);
    CU_ASSERT_EQUAL(store_integrity_check(db), STORE_OK);

    /* a good one, inside the caller's transaction, rolled back by it */
    snprintf(quoted, sizeof(quoted), "\"%s\"", ev);
    ans = answer_with("encrypted_value", quoted);
    CU_ASSERT_EQUAL_FATAL(store_begin(db), STORE_OK);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    CU_ASSERT_TRUE(store_in_transaction(db));
    store_rollback(db);
    after = listing(db);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(after);
    CU_ASSERT_EQUAL(remote_apply_items(db, ans), REMOTE_OK);
    after = listing(db);
    CU_ASSERT_PTR_NOT_NULL(strstr(after, "slot s-1 i-1 v v Aes256Gcm."));
    free(after);
    CU_ASSERT_EQUAL(remote_apply_items(NULL, ans), REMOTE_ERR_ARGS);
    cJSON_Delete(ans);
    free(before);
    free(ev);
    store_close(db);
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

/* ---- paging
 * ------------------------------------------------------------------ */

/* n_items items of n_slots slots each, one POST /items per item. */
static remote_status bulk_items(int n_items, int n_slots, const char *prefix)
{
    char *ev = enc("bulk value");
    remote_http *h = NULL;
    remote_status st = remote_http_new(&cfg, &h);

    for (int i = 0; st == REMOTE_OK && i < n_items; i++) {
        cJSON *b = cJSON_CreateObject(), *ans = NULL;
        cJSON *it = cJSON_AddObjectToObject(b, "item");
        cJSON *arr;
        char label[64];

        snprintf(label, sizeof(label), "%s %d", prefix, i);
        cJSON_AddStringToObject(it, "label", label);
        arr = cJSON_AddArrayToObject(it, "slots_attributes");
        for (int k = 0; k < n_slots; k++) {
            cJSON *sl = cJSON_CreateObject();
            char name[32];

            snprintf(name, sizeof(name), "s%d", k);
            cJSON_AddStringToObject(sl, "name", name);
            cJSON_AddStringToObject(sl, "slot_type_name", "key_value");
            cJSON_AddStringToObject(sl, "encrypted_value", ev);
            cJSON_AddItemToArray(arr, sl);
        }
        st = remote_http_call(h, REMOTE_VAULT, "POST", "/items",
                              (const char *)sess.vault_token.p, b, &ans, NULL);
        cJSON_Delete(b);
        cJSON_Delete(ans);
    }
    remote_http_free(h);
    free(ev);
    return st;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_paging(void)
{
    /* MEECO_REMOTE_BULK_SLOTS=10000 [MEECO_REMOTE_BULK_PER_ITEM=1]
     * measures a large account (times printed, not asserted) */
    const char *env = getenv("MEECO_REMOTE_BULK_SLOTS");
    const char *per = getenv("MEECO_REMOTE_BULK_PER_ITEM");
    int total = env ? atoi(env) : 1050, per_item = per ? atoi(per) : 50;
    remote_config c = cfg;
    remote_session paged = sess;
    remote_snapshot *snap = NULL;
    size_t before_items, before_slots, n_items = 0, n_slots = 0;
    store_item *it = NULL;
    store_slot *sl = NULL;
    store *db = NULL;
    double t0, t1, t2;

    CU_ASSERT_EQUAL_FATAL(remote_fetch(&sess, &snap), REMOTE_OK);
    before_items = remote_snapshot_items(snap);
    before_slots = remote_snapshot_slots(snap);
    remote_snapshot_free(snap);
    snap = NULL;
    if (per_item < 1 || per_item > 200)
        per_item = 50;
    if (total < per_item)
        total = per_item;
    CU_ASSERT_EQUAL_FATAL(bulk_items(total / per_item, per_item, "Bulk"),
                          REMOTE_OK);
    c.page_size = env ? 100 : 7;
    paged.cfg = &c;
    CU_ASSERT_EQUAL_FATAL(store_open(replica_path("paged.sqlite3"), &db),
                          STORE_OK);
    t0 = now_s();
    CU_ASSERT_EQUAL_FATAL(remote_fetch(&paged, &snap), REMOTE_OK);
    t1 = now_s();
    CU_ASSERT_EQUAL(remote_snapshot_apply(snap, db), REMOTE_OK);
    t2 = now_s();
    CU_ASSERT_EQUAL(remote_snapshot_items(snap),
                    before_items + (size_t)(total / per_item));
    CU_ASSERT_EQUAL(remote_snapshot_slots(snap),
                    before_slots + (size_t)(total / per_item * per_item));
    if (env)
        printf("\n  %zu items, %zu slots: fetch %.3f s, apply %.3f s\n",
               remote_snapshot_items(snap), remote_snapshot_slots(snap),
               t1 - t0, t2 - t1);
    CU_ASSERT_EQUAL(store_item_list(db, &it, &n_items), STORE_OK);
    CU_ASSERT_EQUAL(store_slot_list(db, NULL, &sl, &n_slots), STORE_OK);
    CU_ASSERT_EQUAL(n_items, remote_snapshot_items(snap));
    CU_ASSERT_EQUAL(n_slots, remote_snapshot_slots(snap));
    store_item_list_free(it, n_items);
    store_slot_list_free(sl, n_slots);
    remote_snapshot_free(snap);
    store_close(db);
}

/* ---- templates, connections, shares ----------------------------------- */

/* POST/GET path as user u; *out (may be NULL) the answer. */
static remote_status vault_call(const remote_session *u, const char *method,
                                const char *path, cJSON *body, cJSON **out)
{
    remote_http *h = NULL;
    cJSON *ans = NULL;
    remote_status st = remote_http_new(&cfg, &h);

    if (st == REMOTE_OK)
        st = remote_http_call(h, REMOTE_VAULT, method, path,
                              (const char *)u->vault_token.p, body, &ans, NULL);
    remote_http_free(h);
    cJSON_Delete(body);
    if (out)
        *out = ans;
    else
        cJSON_Delete(ans);
    return st;
}

static cJSON *peer_key(const char *ext, const char *pem)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *pk = cJSON_AddObjectToObject(b, "public_key");

    cJSON_AddStringToObject(pk, "keypair_external_id", ext);
    cJSON_AddStringToObject(pk, "public_key", pem);
    return b;
}

/* alice (sess) invites bob, bob accepts: alice's connection id. */
static char *connect_to(const remote_session *bob)
{
    cJSON *b = peer_key("kp-inviter", sess.public_pem), *ans = NULL;
    char *name = enc("bob"), *tok = NULL, *conn = NULL;

    cJSON_AddStringToObject(cJSON_AddObjectToObject(b, "invitation"),
                            "encrypted_recipient_name", name);
    if (vault_call(&sess, "POST", "/invitations", b, &ans) == REMOTE_OK &&
        remote_json_str(ans, "invitation.token"))
        tok = strdup(remote_json_str(ans, "invitation.token"));
    cJSON_Delete(ans);
    ans = NULL;
    b = peer_key("kp-invitee", bob->public_pem);
    cJSON *c = cJSON_AddObjectToObject(b, "connection");
    cJSON_AddStringToObject(c, "encrypted_recipient_name", name);
    cJSON_AddStringToObject(c, "invitation_token", tok ? tok : "none");
    if (vault_call(bob, "POST", "/connections", b, &ans) == REMOTE_OK &&
        remote_json_str(ans, "connection.the_other_user.id"))
        conn = strdup(remote_json_str(ans, "connection.the_other_user.id"));
    cJSON_Delete(ans);
    free(name);
    free(tok);
    return conn;
}

/* alice shares item_id (one slot) with bob: the share id. */
static char *share_with(const remote_session *bob, const char *item_id,
                        const char *slot_id)
{
    cJSON *b = cJSON_CreateObject(), *arr, *sh, *vals, *v, *ans = NULL;
    char path[128], *enc_dek = NULL, *value = enc("shared"), *id = NULL;
    uint8_t dek[32] = {9, 8, 7};
    EVP_PKEY *pub = NULL;

    CU_ASSERT_EQUAL(cryppo_rsa_public_from_pem(bob->public_pem,
                                               strlen(bob->public_pem), &pub),
                    CRYPPO_OK);
    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(pub, dek, 32, &enc_dek), CRYPPO_OK);
    EVP_PKEY_free(pub);
    CU_ASSERT_EQUAL(vault_call(bob, "GET", "/me", NULL, &ans), REMOTE_OK);
    arr = cJSON_AddArrayToObject(b, "shares");
    sh = cJSON_CreateObject();
    cJSON_AddItemToArray(arr, sh);
    cJSON_AddStringToObject(sh, "recipient_id",
                            remote_json_str(ans, "user.id")
                                ? remote_json_str(ans, "user.id")
                                : "none");
    cJSON_Delete(ans);
    ans = NULL;
    cJSON_AddStringToObject(sh, "public_key", bob->public_pem);
    cJSON_AddStringToObject(sh, "keypair_external_id", "kp-invitee");
    cJSON_AddStringToObject(sh, "encrypted_dek", enc_dek ? enc_dek : "x");
    vals = cJSON_AddArrayToObject(sh, "slot_values");
    v = cJSON_CreateObject();
    cJSON_AddItemToArray(vals, v);
    cJSON_AddStringToObject(v, "slot_id", slot_id);
    cJSON_AddStringToObject(v, "encrypted_value", value);
    cJSON_AddStringToObject(v, "encrypted_value_verification_key", value);
    cJSON_AddStringToObject(v, "value_verification_hash",
                            "16c21eff7755714c39971469160558288ff48b7cca15ea28"
                            "7e60aab9796d2a4c");
    snprintf(path, sizeof(path), "/items/%s/shares", item_id);
    if (vault_call(&sess, "POST", path, b, &ans) == REMOTE_OK) {
        const char *sid = remote_json_str(
            cJSON_GetArrayItem(cJSON_GetObjectItem(ans, "shares"), 0), "id");

        id = sid ? strdup(sid) : NULL;
    }
    cJSON_Delete(ans);
    free(enc_dek);
    free(value);
    return id;
}

static int has_record(store *db, const char *table, const char *id)
{
    char *json = NULL;
    int found = store_record_get(db, table, id, &json) == STORE_OK;

    free(json);
    return found;
}

static void test_templates_connections_shares(void)
{
    char *conn, *share, *item_id, *slot_id = NULL, *bob_secret = NULL;
    char path[128];
    remote_session bob;
    store_template t = {0};
    store_item *items = NULL;
    size_t n = 0, shared = 0;
    store *db = NULL, *bdb = NULL;

    memset(&bob, 0, sizeof(bob));
    CU_ASSERT_EQUAL_FATAL(
        remote_signup(&cfg, "bob's passphrase", &bob_secret, &bob), REMOTE_OK);
    conn = connect_to(&bob);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conn);
    item_id = new_item("to share", "v", "x", &slot_id, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
    share = share_with(&bob, item_id, slot_id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(share);

    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    CU_ASSERT_TRUE(has_record(db, "connections", conn));
    CU_ASSERT_TRUE(has_record(db, "shares", share));
    CU_ASSERT_EQUAL(store_template_get_by_name(db, "vehicle", &t), STORE_OK);
    CU_ASSERT_EQUAL(t.n_slots, 3);
    store_template_clear(&t);

    /* bob's replica: the incoming share and the item copy */
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &bdb), STORE_OK);
    CU_ASSERT_EQUAL(remote_sync(&bob, bdb), REMOTE_OK);
    CU_ASSERT_EQUAL(store_item_list(bdb, &items, &n), STORE_OK);
    for (size_t i = 0; i < n; i++)
        shared += strcmp(items[i].name, "to_share") == 0;
    CU_ASSERT_EQUAL(shared, 1);
    store_item_list_free(items, n);

    /* deleted on the server: gone from the replica after the next sync */
    snprintf(path, sizeof(path), "/shares/%s", share);
    CU_ASSERT_EQUAL(vault_call(&sess, "DELETE", path, NULL, NULL), REMOTE_OK);
    snprintf(path, sizeof(path), "/connections/%s", conn);
    CU_ASSERT_EQUAL(vault_call(&sess, "DELETE", path, NULL, NULL), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_sync(&sess, db), REMOTE_OK);
    CU_ASSERT_FALSE(has_record(db, "connections", conn));
    CU_ASSERT_FALSE(has_record(db, "shares", share));
    CU_ASSERT_EQUAL(store_template_get_by_name(db, "vehicle", &t), STORE_OK);
    store_template_clear(&t);
    CU_ASSERT_EQUAL(store_integrity_check(db), STORE_OK);

    store_close(db);
    store_close(bdb);
    remote_session_free(&bob);
    secure_free(bob_secret, strlen(bob_secret) + 1);
    free(conn);
    free(share);
    free(item_id);
    free(slot_id);
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("remote writes", suite_init, suite_clean);
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
    CU_add_test(s, "deletion sync", test_deletion_sync);
    CU_add_test(s, "account row", test_account_row);
    CU_add_test(s, "bad server data", test_bad_server_data);
    CU_add_test(s, "bad answers to apply", test_apply_items_bad);
    CU_add_test(s, "two threads, one session", test_two_threads);
    CU_add_test(s, "templates, connections, shares",
                test_templates_connections_shares);
    CU_add_test(s, "paging", test_paging);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
