/* tests/unit_store/test_store.c - the SQLite replica: file mode, schema
 * version, records, persistence, two processes writing at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <sqlite3.h>

#include "store.h"

static char dir[] = "/tmp/store-test-XXXXXX";
static char db[300];

static int suite_setup(void)
{
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof(db), "%s/sub/dir/token.sqlite3", dir);
    return 0;
}

static int suite_teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static store *open_db(void)
{
    store *s = NULL;
    CU_ASSERT_EQUAL_FATAL(store_open(db, &s), STORE_OK);
    return s;
}

static void test_open_creates_private_file(void)
{
    mode_t old = umask(0);
    store *s = open_db();
    umask(old);
    struct stat sb;
    CU_ASSERT_EQUAL_FATAL(stat(db, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
    CU_ASSERT_STRING_EQUAL(store_path(s), db);
    CU_ASSERT_EQUAL(store_integrity_check(s), STORE_OK);
    store_close(s);

    /* Schema version and WAL, seen from plain SQLite. */
    sqlite3 *raw = NULL;
    sqlite3_stmt *q = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(db, &raw), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &q, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_step(q), SQLITE_ROW);
    CU_ASSERT_EQUAL(sqlite3_column_int(q, 0), STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    CU_ASSERT_EQUAL(
        sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &q, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_step(q), SQLITE_ROW);
    CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(raw);
}

static void test_newer_schema_refused(void)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/future.sqlite3", dir);
    sqlite3 *raw = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &raw), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(raw);
    store *s = NULL;
    CU_ASSERT_EQUAL(store_open(path, &s), STORE_ERR_VERSION);
    CU_ASSERT_PTR_NULL(s);

    snprintf(path, sizeof(path), "%s/garbage.sqlite3", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database ", f);
    fclose(f);
    CU_ASSERT_EQUAL(store_open(path, &s), STORE_ERR_CORRUPT);
    CU_ASSERT_EQUAL(store_open("/proc/nope/x.sqlite3", &s), STORE_ERR_IO);
    CU_ASSERT_EQUAL(store_open(NULL, &s), STORE_ERR_ARGS);
}

static void test_uuid(void)
{
    char a[STORE_UUID_LEN + 1], b[STORE_UUID_LEN + 1];
    CU_ASSERT_EQUAL(store_uuid_v4(a), STORE_OK);
    CU_ASSERT_EQUAL(store_uuid_v4(b), STORE_OK);
    CU_ASSERT_EQUAL(strlen(a), 36);
    CU_ASSERT_EQUAL(a[14], '4');
    CU_ASSERT(strchr("89ab", a[19]) != NULL);
    CU_ASSERT_EQUAL(a[8], '-');
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
}

static void test_account_meta_kek(void)
{
    store *s = open_db();
    store_account acc;
    CU_ASSERT_EQUAL(store_account_get(s, &acc), STORE_ERR_NOT_FOUND);
    store_account in = {.username = "u1",
                        .secret_key = "1.u1.abc",
                        .label = "T",
                        .so_wrapped_kek = "x.y.z.Pbkdf2Hmac.w"};
    CU_ASSERT_EQUAL(store_account_put(s, &in), STORE_OK);
    in.label = "T2";
    CU_ASSERT_EQUAL(store_account_put(s, &in), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(store_account_get(s, &acc), STORE_OK);
    CU_ASSERT_STRING_EQUAL(acc.label, "T2");
    CU_ASSERT_STRING_EQUAL(acc.secret_key, "1.u1.abc");
    CU_ASSERT_PTR_NULL(acc.private_dek_id);
    CU_ASSERT_PTR_NOT_NULL(acc.created_at);
    store_account_clear(&acc);

    char *v = NULL;
    CU_ASSERT_EQUAL(store_meta_get(s, "k", &v), STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_meta_set(s, "k", "1"), STORE_OK);
    CU_ASSERT_EQUAL(store_meta_set(s, "k", "2"), STORE_OK);
    CU_ASSERT_EQUAL(store_meta_get(s, "k", &v), STORE_OK);
    CU_ASSERT_STRING_EQUAL(v, "2");
    free(v);
    CU_ASSERT_EQUAL(store_meta_delete(s, "k"), STORE_OK);
    CU_ASSERT_EQUAL(store_meta_delete(s, "k"), STORE_ERR_NOT_FOUND);

    store_kek k;
    CU_ASSERT_EQUAL(store_kek_get(s, &k), STORE_ERR_NOT_FOUND);
    store_kek kin = {.serialized_key_encryption_key = "Aes256Gcm.a.b"};
    CU_ASSERT_EQUAL(store_kek_put(s, &kin), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(store_kek_get(s, &k), STORE_OK);
    char *id = strdup(k.id);
    store_kek_clear(&k);
    kin.id = id;
    kin.serialized_key_encryption_key = "Aes256Gcm.c.d";
    CU_ASSERT_EQUAL(store_kek_put(s, &kin), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(store_kek_get(s, &k), STORE_OK);
    CU_ASSERT_STRING_EQUAL(k.id, id);
    CU_ASSERT_STRING_EQUAL(k.serialized_key_encryption_key, "Aes256Gcm.c.d");
    store_kek_clear(&k);
    free(id);
    store_close(s);
}

static void test_keys(void)
{
    store *s = open_db();
    char id[STORE_UUID_LEN + 1];
    store_dek d = {.serialized_data_encryption_key = "Aes256Gcm.d.e",
                   .label = "L"};
    CU_ASSERT_EQUAL(store_dek_insert(s, &d, id), STORE_OK);
    d.id = id;
    CU_ASSERT_EQUAL(store_dek_insert(s, &d, NULL), STORE_ERR_EXISTS);
    CU_ASSERT_EQUAL(store_dek_set_label(s, id, "L2"), STORE_OK);
    store_dek got;
    CU_ASSERT_EQUAL_FATAL(store_dek_get(s, id, &got), STORE_OK);
    CU_ASSERT_STRING_EQUAL(got.label, "L2");
    store_dek_clear(&got);

    store_keypair kp = {.public_key = "PUB",
                        .encrypted_serialized_key = "ENC",
                        .external_identifiers = "[\"auth\",\"x\"]",
                        .bits = 4096};
    CU_ASSERT_EQUAL(store_keypair_insert(s, &kp, id), STORE_OK);
    store_keypair k2;
    CU_ASSERT_EQUAL_FATAL(store_keypair_get_by_external_id(s, "x", &k2),
                          STORE_OK);
    CU_ASSERT_STRING_EQUAL(k2.id, id);
    CU_ASSERT_STRING_EQUAL(k2.metadata, "{}");
    CU_ASSERT_STRING_EQUAL(k2.key_type, "rsa");
    CU_ASSERT_EQUAL(k2.bits, 4096);
    store_keypair_clear(&k2);
    CU_ASSERT_EQUAL(store_keypair_get_by_external_id(s, "aut", &k2),
                    STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_keypair_delete(s, id), STORE_OK);
    CU_ASSERT_EQUAL(store_keypair_delete(s, id), STORE_ERR_NOT_FOUND);
    store_close(s);
}

static void test_items_slots(void)
{
    store *s = open_db();
    char item[STORE_UUID_LEN + 1], slot[STORE_UUID_LEN + 1];
    store_item it = {.name = "car", .label = "My car"};
    CU_ASSERT_EQUAL_FATAL(store_item_insert(s, &it, item), STORE_OK);
    store_slot sl = {.item_id = item,
                     .name = "make",
                     .label = "Make",
                     .encrypted_value = "Aes256Gcm.x.y"};
    CU_ASSERT_EQUAL(store_slot_insert(s, &sl, slot), STORE_OK);
    CU_ASSERT_EQUAL(store_slot_insert(s, &sl, NULL), STORE_ERR_EXISTS);
    sl.item_id = "no-such-item";
    sl.name = "other";
    CU_ASSERT_EQUAL(store_slot_insert(s, &sl, NULL), STORE_ERR_EXISTS); /* FK */
    size_t n = 0;
    CU_ASSERT_EQUAL(store_slot_count(s, item, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(store_slot_set_value(s, slot, NULL), STORE_OK);
    CU_ASSERT_EQUAL(store_slot_set_label(s, slot, "Brand"), STORE_OK);
    store_slot *list = NULL;
    store_slot_filter f = {.label = "Brand"};
    CU_ASSERT_EQUAL_FATAL(store_slot_list(s, &f, &list, &n), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_PTR_NULL(list[0].encrypted_value);
    CU_ASSERT_STRING_EQUAL(list[0].slot_type_name, "key_value");
    store_slot_list_free(list, n);
    f = (store_slot_filter){.item_id = item, .name = "make"};
    CU_ASSERT_EQUAL(store_slot_list(s, &f, &list, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 1);
    store_slot_list_free(list, n);
    store_item got;
    CU_ASSERT_EQUAL_FATAL(store_item_get_by_name(s, "car", &got), STORE_OK);
    CU_ASSERT_STRING_EQUAL(got.classification_node_ids, "[]");
    store_item_clear(&got);
    CU_ASSERT_EQUAL(store_item_delete(s, item), STORE_OK);
    CU_ASSERT_EQUAL(store_slot_get(s, slot, &sl),
                    STORE_ERR_NOT_FOUND); /* cascade */
    store_close(s);
}

/* The remote backend writes server records with their ids: put inserts
 * or updates in place. */
static void test_put_upserts(void)
{
    store *s = open_db();
    const char *item_id = "aaaaaaaa-0000-4000-8000-000000000001";
    const char *slot_id = "aaaaaaaa-0000-4000-8000-000000000002";
    store_item it = {.id = item_id, .name = "srv", .label = "Server item"};
    CU_ASSERT_EQUAL(store_item_put(s, &it), STORE_OK);
    it.label = "Renamed on server";
    CU_ASSERT_EQUAL(store_item_put(s, &it), STORE_OK);
    store_slot sl = {.id = slot_id,
                     .item_id = item_id,
                     .name = "a",
                     .label = "A",
                     .encrypted_value = "v1"};
    CU_ASSERT_EQUAL(store_slot_put(s, &sl), STORE_OK);
    sl.encrypted_value = "v2";
    CU_ASSERT_EQUAL(store_slot_put(s, &sl), STORE_OK);
    store_slot got;
    CU_ASSERT_EQUAL_FATAL(store_slot_get(s, slot_id, &got), STORE_OK);
    CU_ASSERT_STRING_EQUAL(got.encrypted_value, "v2");
    store_slot_clear(&got);
    store_item gi;
    CU_ASSERT_EQUAL_FATAL(store_item_get(s, item_id, &gi), STORE_OK);
    CU_ASSERT_STRING_EQUAL(gi.label, "Renamed on server");
    store_item_clear(&gi);
    size_t n = 0;
    CU_ASSERT_EQUAL(store_slot_count(s, item_id, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 1);

    store_dek d = {.id = "aaaaaaaa-0000-4000-8000-000000000003",
                   .serialized_data_encryption_key = "w1"};
    CU_ASSERT_EQUAL(store_dek_put(s, &d), STORE_OK);
    d.serialized_data_encryption_key = "w2";
    CU_ASSERT_EQUAL(store_dek_put(s, &d), STORE_OK);
    store_dek gd;
    CU_ASSERT_EQUAL_FATAL(store_dek_get(s, d.id, &gd), STORE_OK);
    CU_ASSERT_STRING_EQUAL(gd.serialized_data_encryption_key, "w2");
    store_dek_clear(&gd);
    store_keypair kp = {.id = "aaaaaaaa-0000-4000-8000-000000000004",
                        .public_key = "P",
                        .encrypted_serialized_key = "E1"};
    CU_ASSERT_EQUAL(store_keypair_put(s, &kp), STORE_OK);
    kp.encrypted_serialized_key = "E2";
    CU_ASSERT_EQUAL(store_keypair_put(s, &kp), STORE_OK);
    store_keypair gk;
    CU_ASSERT_EQUAL_FATAL(store_keypair_get(s, kp.id, &gk), STORE_OK);
    CU_ASSERT_STRING_EQUAL(gk.encrypted_serialized_key, "E2");
    store_keypair_clear(&gk);
    kp.id = NULL;
    CU_ASSERT_EQUAL(store_keypair_put(s, &kp), STORE_ERR_ARGS);
    CU_ASSERT_EQUAL(store_item_delete(s, item_id), STORE_OK);
    store_close(s);
}

/* The "SELECT id" lists behind a sync: every id, in insertion order. */
static void test_id_lists(void)
{
    store *s = open_db();
    char item[STORE_UUID_LEN + 1], slot[STORE_UUID_LEN + 1];
    store_item it = {.name = "car", .label = "My car"};
    CU_ASSERT_EQUAL_FATAL(store_item_insert(s, &it, item), STORE_OK);
    store_slot sl = {.item_id = item, .name = "make", .label = "Make"};
    CU_ASSERT_EQUAL_FATAL(store_slot_insert(s, &sl, slot), STORE_OK);
    CU_ASSERT_EQUAL(store_record_put(s, "shares", "s1", "{}"), STORE_OK);
    CU_ASSERT_EQUAL(store_record_put(s, "shares", "s2", "{}"), STORE_OK);

    char **ids = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(store_item_list_ids(s, &ids, &n), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(ids[0], item);
    store_ids_free(ids, n);
    CU_ASSERT_EQUAL_FATAL(store_slot_list_ids(s, &ids, &n), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(ids[0], slot);
    store_ids_free(ids, n);
    CU_ASSERT_EQUAL_FATAL(store_record_list_ids(s, "shares", &ids, &n),
                          STORE_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(ids[0], "s1");
    CU_ASSERT_STRING_EQUAL(ids[1], "s2");
    store_ids_free(ids, n);
    CU_ASSERT_EQUAL(store_record_list_ids(s, "connections", &ids, &n),
                    STORE_OK);
    CU_ASSERT_EQUAL(n, 0);
    store_ids_free(ids, n);
    CU_ASSERT_EQUAL(store_record_list_ids(s, "items", &ids, &n),
                    STORE_ERR_ARGS);
    CU_ASSERT_EQUAL(store_item_list_ids(NULL, &ids, &n), STORE_ERR_ARGS);
    store_close(s);
}

static void test_catalog_objects(void)
{
    store *s = open_db();
    store_template_slot ts[2] = {{"a", "A", "key_value"}, {"b", NULL, NULL}};
    store_template t = {
        .name = "tpl", .label = "Tpl", .slots = ts, .n_slots = 2};
    CU_ASSERT_EQUAL(store_template_insert(s, &t, NULL), STORE_OK);
    CU_ASSERT_EQUAL(store_template_insert(s, &t, NULL), STORE_ERR_EXISTS);
    store_template got;
    CU_ASSERT_EQUAL_FATAL(store_template_get_by_name(s, "tpl", &got), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(got.n_slots, 2);
    CU_ASSERT_STRING_EQUAL(got.slots[1].label, "b");
    CU_ASSERT_STRING_EQUAL(got.slots[1].slot_type_name, "key_value");
    store_template_clear(&got);

    char *json = NULL;
    CU_ASSERT_EQUAL(store_record_put(s, "connections", "c1", "{\"a\":1}"),
                    STORE_OK);
    CU_ASSERT_EQUAL(store_record_put(s, "connections", "c1", "{\"a\":2}"),
                    STORE_OK);
    CU_ASSERT_EQUAL(store_record_get(s, "connections", "c1", &json), STORE_OK);
    CU_ASSERT_STRING_EQUAL(json, "{\"a\":2}");
    free(json);
    CU_ASSERT_EQUAL(store_record_get(s, "shares", "c1", &json),
                    STORE_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(store_record_put(s, "items", "c1", "{}"), STORE_ERR_ARGS);

    char id[STORE_UUID_LEN + 1];
    uint8_t blob[3] = {0, 1, 2};
    store_object o = {
        .kind = "certificate", .label = "c", .data = blob, .data_len = 3};
    CU_ASSERT_EQUAL(store_object_insert(s, &o, id), STORE_OK);
    CU_ASSERT_EQUAL(store_object_update(s, id, "c2", blob, 2), STORE_OK);
    store_object *objs = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(store_object_list(s, "certificate", &objs, &n),
                          STORE_OK);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(objs[0].data_len, 2);
    CU_ASSERT_STRING_EQUAL(objs[0].label, "c2");
    store_object_list_free(objs, n);

    CU_ASSERT_EQUAL(store_begin(s), STORE_OK);
    CU_ASSERT_EQUAL(store_wipe_account(s), STORE_OK);
    CU_ASSERT_EQUAL(store_commit(s), STORE_OK);
    CU_ASSERT_EQUAL(store_object_list(s, NULL, &objs, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 0);
    free(objs);
    store_template *tl = NULL;
    CU_ASSERT_EQUAL(store_template_list(s, &tl, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, 1); /* templates survive a wipe */
    store_template_list_free(tl, n);
    store_close(s);
}

static void test_transactions_and_persistence(void)
{
    store *s = open_db();
    store_dek d = {.serialized_data_encryption_key = "rolled-back"};
    CU_ASSERT_EQUAL(store_begin(s), STORE_OK);
    CU_ASSERT_EQUAL(store_begin(s), STORE_ERR_ARGS);
    CU_ASSERT(store_in_transaction(s));
    CU_ASSERT_EQUAL(store_dek_insert(s, &d, NULL), STORE_OK);
    store_rollback(s);
    d.serialized_data_encryption_key = "kept";
    d.id = "11111111-2222-4333-8444-555555555555";
    CU_ASSERT_EQUAL(store_dek_insert(s, &d, NULL), STORE_OK);
    store_close(s);

    s = open_db();
    store_dek *list = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(store_dek_list(s, &list, &n), STORE_OK);
    size_t kept = 0, rolled = 0;
    for (size_t i = 0; i < n; i++) {
        kept += strcmp(list[i].serialized_data_encryption_key, "kept") == 0;
        rolled +=
            strcmp(list[i].serialized_data_encryption_key, "rolled-back") == 0;
    }
    CU_ASSERT_EQUAL(kept, 1);
    CU_ASSERT_EQUAL(rolled, 0);
    store_dek_list_free(list, n);
    CU_ASSERT_EQUAL(store_integrity_check(s), STORE_OK);
    store_close(s);
}

#define ROWS_PER_WRITER 150

/* Child: its own connection, one row per transaction, tagged. */
static int writer(const char *tag)
{
    store *s = NULL;
    if (store_open(db, &s) != STORE_OK)
        return 1;
    int failures = 0;
    for (int i = 0; i < ROWS_PER_WRITER; i++) {
        char value[64];
        snprintf(value, sizeof(value), "%s-%d", tag, i);
        store_dek d = {.serialized_data_encryption_key = value};
        if (store_begin(s) != STORE_OK ||
            store_dek_insert(s, &d, NULL) != STORE_OK ||
            store_commit(s) != STORE_OK)
            failures++;
    }
    store_close(s);
    return failures ? 1 : 0;
}

static void test_two_processes(void)
{
    pid_t pids[2];
    const char *tags[2] = {"writer-a", "writer-b"};
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        CU_ASSERT_FATAL(pids[i] >= 0);
        if (pids[i] == 0)
            _exit(writer(tags[i]));
    }
    for (int i = 0; i < 2; i++) {
        int status = 0;
        CU_ASSERT_EQUAL(waitpid(pids[i], &status, 0), pids[i]);
        CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    store *s = open_db();
    store_dek *list = NULL;
    size_t n = 0, count[2] = {0, 0};
    CU_ASSERT_EQUAL_FATAL(store_dek_list(s, &list, &n), STORE_OK);
    for (size_t i = 0; i < n; i++)
        for (int t = 0; t < 2; t++)
            if (strncmp(list[i].serialized_data_encryption_key, tags[t],
                        strlen(tags[t])) == 0)
                count[t]++;
    CU_ASSERT_EQUAL(count[0], ROWS_PER_WRITER);
    CU_ASSERT_EQUAL(count[1], ROWS_PER_WRITER);
    store_dek_list_free(list, n);
    CU_ASSERT_EQUAL(store_integrity_check(s), STORE_OK);
    store_close(s);
}

/* Several processes creating the same new database at once: one creates
 * the file and the schema, the others wait and find it. */
static void test_concurrent_first_open(void)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/fresh/new.sqlite3", dir);
    enum { N_CHILDREN = 4 };
    pid_t pids[N_CHILDREN];
    for (int i = 0; i < N_CHILDREN; i++) {
        pids[i] = fork();
        CU_ASSERT_FATAL(pids[i] >= 0);
        if (pids[i] == 0) {
            store *s = NULL;
            char value[32];
            snprintf(value, sizeof(value), "child-%d", i);
            store_dek d = {.serialized_data_encryption_key = value};
            int rc = store_open(path, &s) == STORE_OK &&
                             store_dek_insert(s, &d, NULL) == STORE_OK
                         ? 0
                         : 1;
            store_close(s);
            _exit(rc);
        }
    }
    for (int i = 0; i < N_CHILDREN; i++) {
        int status = 0;
        CU_ASSERT_EQUAL(waitpid(pids[i], &status, 0), pids[i]);
        CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    store *s = NULL;
    CU_ASSERT_EQUAL_FATAL(store_open(path, &s), STORE_OK);
    store_dek *list = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(store_dek_list(s, &list, &n), STORE_OK);
    CU_ASSERT_EQUAL(n, N_CHILDREN);
    store_dek_list_free(list, n);
    CU_ASSERT_EQUAL(store_integrity_check(s), STORE_OK);
    store_close(s);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("store", suite_setup, suite_teardown);
    CU_add_test(s, "open: 0600, WAL, user_version",
                test_open_creates_private_file);
    CU_add_test(s, "newer schema, garbage file, bad path",
                test_newer_schema_refused);
    CU_add_test(s, "uuid v4", test_uuid);
    CU_add_test(s, "account, meta, kek", test_account_meta_kek);
    CU_add_test(s, "deks and keypairs", test_keys);
    CU_add_test(s, "items and slots", test_items_slots);
    CU_add_test(s, "put = insert or update by id", test_put_upserts);
    CU_add_test(s, "id lists", test_id_lists);
    CU_add_test(s, "templates, records, objects, wipe", test_catalog_objects);
    CU_add_test(s, "transactions and persistence",
                test_transactions_and_persistence);
    CU_add_test(s, "two processes writing at once", test_two_processes);
    CU_add_test(s, "processes creating one database at once",
                test_concurrent_first_open);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned int failed =
        CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
