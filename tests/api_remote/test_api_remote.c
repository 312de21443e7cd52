/* tests/api_remote: the module's remote backend against meeco-server.
 *
 * The server runs in this process (ephemeral port, temporary database);
 * an account is made with remote_signup (the SDK's sign-up order); the
 * module is dlopened with a remote token configured for that account.
 * Every write through PKCS#11 is checked on the server by logging in
 * again with the remote client and syncing into a scratch store.
 */
#include <dlfcn.h>
#include <pkcs11.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <sqlite3.h>

#include "cryppo.h"
#include "fixture_server.h"
#include "meeco-pkcs11.h"
#include "remote.h"
#include "secbuf.h"
#include "store.h"
#include "sync.h"
#include "writes.h"

#define PASS "correct horse battery staple"

static fx_server fx; /* the server, its folder and URLs */
static char conf[300], replica[300];
static remote_config rcfg;
static char *secret;
static CK_FUNCTION_LIST_PTR p11;
static void *module;

/* ---- the token configuration ------------------------------------------- */

static void write_conf(int refresh, const char *db)
{
    char secret_path[300];
    snprintf(secret_path, sizeof(secret_path), "%s/acct.secret", fx.dir);
    FILE *f = fopen(secret_path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "%s\n", secret);
    fclose(f);
    chmod(secret_path, 0600);
    f = fopen(conf, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f,
            "[token acct]\nbackend = remote\nlabel = Remote account\n"
            "keystore_url = %s\nvault_url = %s\nsecret_key_file = %s\n"
            "db_path = %s\nrefresh_interval = %d\ntimeout = 5\n",
            fx.keystore_url, fx.vault_url, secret_path, db, refresh);
    fclose(f);
    setenv("MEECO_PKCS11_CONF", conf, 1);
}

static int suite_init(void)
{
    /* the test account's identity key: 2048 bits, fast */
    if (fx_server_start(&fx, "meeco-api-remote", 2) != 0 ||
        fx_signup(&fx, PASS, 2048, &secret, NULL) != 0)
        return -1;
    rcfg = fx.cfg;
    snprintf(conf, sizeof(conf), "%s/meeco-pkcs11.conf", fx.dir);
    snprintf(replica, sizeof(replica), "%s/acct.sqlite3", fx.dir);
    module = dlopen(MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    CK_C_GetFunctionList get =
        module ? (CK_C_GetFunctionList)dlsym(module, "C_GetFunctionList")
               : NULL;
    if (get == NULL || get(&p11) != CKR_OK)
        return -1;
    return 0;
}

static int suite_clean(void)
{
    if (secret)
        secure_free(secret, strlen(secret) + 1);
    /* the module stays loaded (as tests/api does): its OpenSSL library
     * context lives until exit, which LeakSanitizer counts as reachable */
    return fx_cleanup(&fx);
}

/* ---- PKCS#11 helpers --------------------------------------------------- */

static CK_SESSION_HANDLE open_rw(void)
{
    CK_SESSION_HANDLE h = 0;
    CU_ASSERT_EQUAL_FATAL(p11->C_Initialize(NULL), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION |
                                                    CKF_RW_SESSION,
                                             NULL, NULL, &h),
                          CKR_OK);
    return h;
}

static CK_RV login(CK_SESSION_HANDLE h, const char *pin)
{
    return p11->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

static CK_ULONG count_class(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_OBJECT_HANDLE found[64];
    CK_ULONG n = 0;
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(h, t, 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjects(h, found, 64, &n), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(h), CKR_OK);
    return n;
}

static CK_OBJECT_HANDLE find_data(CK_SESSION_HANDLE h, const char *label)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE o = 0;
    CK_ULONG n = 0;
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(h, t, 2), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjects(h, &o, 1, &n), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(h), CKR_OK);
    return n == 1 ? o : 0;
}

/* CKA_VALUE as a C string in buf ("" if unreadable). */
static const char *value_of(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
                            char *buf, size_t len)
{
    CK_ATTRIBUTE a = {CKA_VALUE, buf, len - 1};
    buf[0] = 0;
    if (p11->C_GetAttributeValue(h, o, &a, 1) == CKR_OK)
        buf[a.ulValueLen] = 0;
    return buf;
}

static CK_RV data_create(CK_SESSION_HANDLE h, const char *app,
                         const char *label, const char *value,
                         CK_OBJECT_HANDLE *o)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_TOKEN, &yes, sizeof(yes)},
                        {CKA_PRIVATE, &yes, sizeof(yes)},
                        {CKA_APPLICATION, (void *)app, strlen(app)},
                        {CKA_LABEL, (void *)label, strlen(label)},
                        {CKA_VALUE, (void *)value, strlen(value)}};
    return p11->C_CreateObject(h, t, 6, o);
}

static CK_FLAGS token_flags(void)
{
    CK_TOKEN_INFO ti;
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    return ti.flags;
}

/* ---- the server's view ----------------------------------------------------
 * Log in with the remote client, sync into a scratch store and return the
 * decrypted value of the slot called name (malloc'd), or NULL. */
static char *server_value(const char *name)
{
    remote_session s = {0};
    store *db = NULL;
    store_slot *slots = NULL;
    size_t n = 0;
    char *out = NULL;
    if (remote_login(&rcfg, secret, PASS, &s) != REMOTE_OK ||
        store_open(":memory:", &db) != STORE_OK ||
        remote_sync(&s, db) != REMOTE_OK ||
        store_slot_list(db, NULL, &slots, &n) != STORE_OK)
        goto out;
    for (size_t i = 0; i < n && out == NULL; i++) {
        secbuf v = {0};
        if (strcmp(slots[i].name, name) == 0 && slots[i].encrypted_value &&
            cryppo_aes_decrypt(s.dek.p, slots[i].encrypted_value, &v) ==
                CRYPPO_OK)
            out = strndup((const char *)v.p, v.len);
        secbuf_free(&v);
    }
out:
    store_slot_list_free(slots, n);
    store_close(db);
    remote_session_free(&s);
    return out;
}

static int replica_ok(void)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_open_v2(replica, &db, SQLITE_OPEN_READONLY, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

/* ---- tests -------------------------------------------------------------- */

static void test_login_and_keys(void)
{
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CK_TOKEN_INFO ti;
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT(ti.flags & CKF_TOKEN_INITIALIZED);
    CU_ASSERT(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT_NSTRING_EQUAL(ti.model, "remote", 6);
    CU_ASSERT_NSTRING_EQUAL(ti.label, "Remote account  ", 16);
    CU_ASSERT_EQUAL(login(h, "wrong passphrase"), CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_Login(h, CKU_SO, (CK_UTF8CHAR_PTR) "x", 1),
                    CKR_USER_TYPE_INVALID);
    CU_ASSERT_EQUAL(login(h, PASS), CKR_OK);
    /* The account's KEK and private DEK, and its `auth` keypair. */
    CU_ASSERT_EQUAL(count_class(h, CKO_SECRET_KEY), 2);
    CU_ASSERT_EQUAL(count_class(h, CKO_PRIVATE_KEY), 1);
    CU_ASSERT_EQUAL(count_class(h, CKO_PUBLIC_KEY), 1);
    CU_ASSERT_FALSE(token_flags() & CKF_WRITE_PROTECTED);
    /* A remote account has no SO and no PIN change through PKCS#11. */
    CU_ASSERT_EQUAL(p11->C_SetPIN(h, (CK_UTF8CHAR_PTR)PASS, strlen(PASS),
                                  (CK_UTF8CHAR_PTR) "newpass1", 8),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT(replica_ok());
}

static void test_data_objects_reach_the_server(void)
{
    CK_OBJECT_HANDLE o = 0, o2 = 0;
    char buf[128];
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL(data_create(h, "bank", "pin_code", "1234", &o), CKR_OK);
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "1234");
    /* a second slot in the same item goes through PUT /items/{id} */
    CU_ASSERT_EQUAL(data_create(h, "bank", "iban", "DE44 5001", &o2),
                    CKR_OK);
    char *v = server_value("pin_code");
    CU_ASSERT_PTR_NOT_NULL(v);
    if (v)
        CU_ASSERT_STRING_EQUAL(v, "1234");
    free(v);
    v = server_value("iban");
    CU_ASSERT_PTR_NOT_NULL(v);
    if (v)
        CU_ASSERT_STRING_EQUAL(v, "DE44 5001");
    free(v);
    /* One name per item, as on a local token (the Vault would merge). */
    CU_ASSERT_EQUAL(data_create(h, "bank", "iban", "other", &o2),
                    CKR_TEMPLATE_INCONSISTENT);
    /* Bad names are refused before anything is sent. */
    CU_ASSERT_EQUAL(data_create(h, "bank", "Not A Name", "x", &o2),
                    CKR_ATTRIBUTE_VALUE_INVALID);
    /* change the value */
    CK_ATTRIBUTE nv = {CKA_VALUE, (void *)"4321", 4};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(h, o, &nv, 1), CKR_OK);
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "4321");
    v = server_value("pin_code");
    CU_ASSERT_PTR_NOT_NULL(v);
    if (v)
        CU_ASSERT_STRING_EQUAL(v, "4321");
    free(v);
    /* destroy */
    CU_ASSERT_EQUAL(p11->C_DestroyObject(h, o2), CKR_OK);
    v = server_value("iban");
    CU_ASSERT_PTR_NULL(v);
    free(v);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    /* A fresh replica (another machine) sees the server's state. */
    char other[320];
    snprintf(other, sizeof(other), "%s/other.sqlite3", fx.dir);
    write_conf(0, other);
    h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    o = find_data(h, "pin_code");
    CU_ASSERT_NOT_EQUAL(o, 0);
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "4321");
    CU_ASSERT_EQUAL(find_data(h, "iban"), 0);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT(replica_ok());
}

static void test_generated_key_is_a_server_dek(void)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                        {CKA_TOKEN, &yes, sizeof(yes)},
                        {CKA_LABEL, (void *)"wrapping", 8}};
    CK_OBJECT_HANDLE k = 0;
    uint8_t id[64];
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKey(h, &m, t, 3, &k), CKR_OK);
    CK_ATTRIBUTE a = {CKA_ID, id, sizeof(id)};
    CU_ASSERT_EQUAL_FATAL(p11->C_GetAttributeValue(h, k, &a, 1), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(a.ulValueLen, 16); /* the UUID's 16 bytes */
    char uuid[37];
    snprintf(uuid, sizeof(uuid),
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8],
             id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
    /* The Keystore has a DEK with that id. */
    remote_session s = {0};
    CU_ASSERT_EQUAL_FATAL(remote_login(&rcfg, secret, PASS, &s), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_dek_delete(&s, uuid), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_dek_delete(&s, uuid), REMOTE_ERR_NOT_FOUND);
    remote_session_free(&s);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
}

/* The replica still knows an item the SDK deleted: a new slot for it
 * makes a new item instead of failing. */
static void test_item_deleted_elsewhere(void)
{
    CK_OBJECT_HANDLE o = 0;
    char buf[128];
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(data_create(h, "car", "plate", "AB-12", &o), CKR_OK);
    CK_ATTRIBUTE a = {CKA_MEECO_ITEM_ID, buf, sizeof(buf) - 1};
    CU_ASSERT_EQUAL_FATAL(p11->C_GetAttributeValue(h, o, &a, 1), CKR_OK);
    buf[a.ulValueLen] = 0;
    remote_session s = {0};
    CU_ASSERT_EQUAL_FATAL(remote_login(&rcfg, secret, PASS, &s), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_item_delete(&s, buf), REMOTE_OK);
    remote_session_free(&s);
    CU_ASSERT_EQUAL(data_create(h, "car", "vin", "WVW123", &o), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    char *v = server_value("vin");
    CU_ASSERT_PTR_NOT_NULL(v);
    if (v)
        CU_ASSERT_STRING_EQUAL(v, "WVW123");
    free(v);
    v = server_value("plate"); /* went with the deleted item */
    CU_ASSERT_PTR_NULL(v);
    free(v);
}

/* The 16 CKA_ID bytes of a key as the UUID the Keystore knows. */
static void id_as_uuid(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE k, char uuid[37])
{
    uint8_t id[16] = {0};
    CK_ATTRIBUTE a = {CKA_ID, id, sizeof(id)};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(h, k, &a, 1), CKR_OK);
    snprintf(uuid, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8],
             id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
}

/* C_GenerateKeyPair stores a Keystore keypair; C_DestroyObject removes
 * it from the server. */
static void test_keypair_lives_on_the_server(void)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG bits = 2048;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                          {CKA_TOKEN, &yes, sizeof(yes)},
                          {CKA_LABEL, (void *)"signing", 7}};
    CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                           {CKA_PRIVATE, &yes, sizeof(yes)},
                           {CKA_LABEL, (void *)"signing", 7}};
    CK_OBJECT_HANDLE hpub = 0, hpriv = 0;
    char uuid[37];
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(
        p11->C_GenerateKeyPair(h, &m, pub, 3, priv, 3, &hpub, &hpriv),
        CKR_OK);
    id_as_uuid(h, hpriv, uuid);
    CU_ASSERT_EQUAL(count_class(h, CKO_PRIVATE_KEY), 2);
    /* signs with the new key */
    CK_MECHANISM sm = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t sig[256];
    CK_ULONG slen = sizeof(sig);
    CU_ASSERT_EQUAL(p11->C_SignInit(h, &sm, hpriv), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Sign(h, (CK_BYTE_PTR) "abc", 3, sig, &slen),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(h, hpriv), CKR_OK);
    CU_ASSERT_EQUAL(count_class(h, CKO_PRIVATE_KEY), 1);
    remote_session s = {0};
    CU_ASSERT_EQUAL_FATAL(remote_login(&rcfg, secret, PASS, &s), REMOTE_OK);
    CU_ASSERT_EQUAL(remote_keypair_delete(&s, uuid), REMOTE_ERR_NOT_FOUND);
    remote_session_free(&s);
    /* a CKA_ID chosen by the application is kept (keypair metadata) */
    CK_ATTRIBUTE pub_id[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                             {CKA_TOKEN, &yes, sizeof(yes)},
                             {CKA_ID, (void *)"\x0c\x0d", 2}};
    CK_ATTRIBUTE priv_id[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                              {CKA_PRIVATE, &yes, sizeof(yes)},
                              {CKA_LABEL, (void *)"chosen", 6},
                              {CKA_ID, (void *)"\x0c\x0d", 2}};
    CU_ASSERT_EQUAL_FATAL(p11->C_GenerateKeyPair(h, &m, pub_id, 3, priv_id, 4,
                                                 &hpub, &hpriv),
                          CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE by_id[] = {{CKA_CLASS, &pc, sizeof(pc)},
                            {CKA_ID, (void *)"\x0c\x0d", 2}};
    CK_ULONG n = 0;
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(h, by_id, 2), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjects(h, &hpriv, 1, &n), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjectsFinal(h), CKR_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
}

/* A slot whose value is not under the private DEK (a shared item's slot
 * is under the share DEK) is skipped; the rest of the account is served. */
static void test_foreign_slot_is_skipped(void)
{
    uint8_t other[32];
    char *enc = NULL, buf[64];
    cJSON *ans = NULL;
    remote_session s = {0};
    CU_ASSERT_EQUAL_FATAL(cryppo_random(other, sizeof(other)), CRYPPO_OK);
    CU_ASSERT_EQUAL_FATAL(
        cryppo_aes_encrypt(other, (const uint8_t *)"not ours", 8, &enc),
        CRYPPO_OK);
    CU_ASSERT_EQUAL_FATAL(remote_login(&rcfg, secret, PASS, &s), REMOTE_OK);
    remote_slot_in in = {"shared_note", NULL, NULL, enc};
    CU_ASSERT_EQUAL(
        remote_item_create(&s, "from_a_friend", NULL, NULL, &in, &ans, NULL),
        REMOTE_OK);
    cJSON_Delete(ans);
    remote_session_free(&s);
    free(enc);
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL(find_data(h, "shared_note"), 0);
    CK_OBJECT_HANDLE o = find_data(h, "pin_code");
    CU_ASSERT_NOT_EQUAL(o, 0);
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "4321");
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
}

static void test_offline_login_is_write_protected(void)
{
    CK_OBJECT_HANDLE o = 0;
    char buf[128];
    write_conf(0, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL(data_create(h, "travel", "passport", "X123", &o), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Logout(h), CKR_OK);
    fx_server_stop(&fx);
    /* From the replica: right passphrase in, wrong one out. */
    CU_ASSERT_EQUAL(login(h, "wrong passphrase"), CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT(token_flags() & CKF_WRITE_PROTECTED);
    o = find_data(h, "passport");
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "X123");
    CU_ASSERT_EQUAL(data_create(h, "travel", "visa", "V1", &o),
                    CKR_TOKEN_WRITE_PROTECTED);
    /* The server comes back: the next write logs in again and works. */
    CU_ASSERT_EQUAL_FATAL(fx_server_restart(&fx), 0);
    CU_ASSERT_EQUAL(data_create(h, "travel", "visa", "V1", &o), CKR_OK);
    CU_ASSERT_FALSE(token_flags() & CKF_WRITE_PROTECTED);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    char *v = server_value("visa");
    CU_ASSERT_PTR_NOT_NULL(v);
    free(v);
    CU_ASSERT(replica_ok());
}

static void test_never_synced_and_unreachable(void)
{
    char fresh[320];
    snprintf(fresh, sizeof(fresh), "%s/never.sqlite3", fx.dir);
    write_conf(0, fresh);
    fx_server_stop(&fx);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL(login(h, PASS), CKR_DEVICE_ERROR);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(fx_server_restart(&fx), 0);
}

/* Changes made elsewhere (here: the remote client, as the SDK would)
 * appear without reloading the module, under the same handles. */
static void test_refresh_keeps_handles(void)
{
    CK_OBJECT_HANDLE o = 0;
    char buf[128];
    write_conf(1, replica);
    CK_SESSION_HANDLE h = open_rw();
    CU_ASSERT_EQUAL_FATAL(login(h, PASS), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(data_create(h, "home", "wifi", "old-secret", &o),
                          CKR_OK);
    CK_ATTRIBUTE a = {CKA_MEECO_SLOT_ID, buf, sizeof(buf) - 1};
    CU_ASSERT_EQUAL_FATAL(p11->C_GetAttributeValue(h, o, &a, 1), CKR_OK);
    char *slot_id = strndup(buf, a.ulValueLen);
    /* elsewhere: change the slot's value and add an item */
    remote_session s = {0};
    store *db = NULL;
    store_slot sl = {0};
    char *enc = NULL;
    cJSON *ans = NULL;
    CU_ASSERT_EQUAL_FATAL(remote_login(&rcfg, secret, PASS, &s), REMOTE_OK);
    CU_ASSERT_EQUAL_FATAL(store_open(":memory:", &db), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(remote_sync(&s, db), REMOTE_OK);
    CU_ASSERT_EQUAL_FATAL(store_slot_get(db, slot_id, &sl), STORE_OK);
    CU_ASSERT_EQUAL_FATAL(
        cryppo_aes_encrypt(s.dek.p, (const uint8_t *)"new-secret", 10, &enc),
        CRYPPO_OK);
    remote_slot_in in = {"wifi", NULL, NULL, enc};
    CU_ASSERT_EQUAL(remote_slot_update(&s, sl.item_id, slot_id, &in, &ans),
                    REMOTE_OK);
    cJSON_Delete(ans);
    ans = NULL;
    remote_slot_in added = {"alarm", NULL, NULL, enc};
    CU_ASSERT_EQUAL(remote_item_create(&s, "garage", NULL, NULL, &added,
                                       &ans, NULL),
                    REMOTE_OK);
    cJSON_Delete(ans);
    free(enc);
    store_slot_clear(&sl);
    store_close(db);
    remote_session_free(&s);
    /* the module's refresher (1 s) picks it up */
    CK_OBJECT_HANDLE alarm = 0;
    for (int i = 0; i < 100 && alarm == 0; i++) {
        usleep(100000);
        alarm = find_data(h, "alarm");
    }
    CU_ASSERT_NOT_EQUAL(alarm, 0);
    CU_ASSERT_EQUAL(find_data(h, "wifi"), o);
    CU_ASSERT_STRING_EQUAL(value_of(h, o, buf, sizeof(buf)), "new-secret");
    free(slot_id);
    CU_ASSERT_EQUAL(p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT(replica_ok());
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("api_remote", suite_init, suite_clean);
    CU_add_test(s, "login_and_keys", test_login_and_keys);
    CU_add_test(s, "data_objects_reach_the_server",
                test_data_objects_reach_the_server);
    CU_add_test(s, "generated_key_is_a_server_dek",
                test_generated_key_is_a_server_dek);
    CU_add_test(s, "item_deleted_elsewhere", test_item_deleted_elsewhere);
    CU_add_test(s, "foreign_slot_is_skipped", test_foreign_slot_is_skipped);
    CU_add_test(s, "keypair_lives_on_the_server",
                test_keypair_lives_on_the_server);
    CU_add_test(s, "offline_login_is_write_protected",
                test_offline_login_is_write_protected);
    CU_add_test(s, "never_synced_and_unreachable",
                test_never_synced_and_unreachable);
    CU_add_test(s, "refresh_keeps_handles", test_refresh_keeps_handles);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() +
                      CU_get_number_of_suites_failed() +
                      CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
