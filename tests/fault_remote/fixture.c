/* tests/fault_remote/fixture.c - server, proxy, account, module and
 * replica views for the fault tests (see fixture.h). */
#include "fixture.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <CUnit/Basic.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "cryppo.h"
#include "fixture_server.h"
#include "remote.h"
#include "secbuf.h"
#include "writes.h"

CK_FUNCTION_LIST_PTR fx_p11;
proxy *fx_proxy;

static fx_server server; /* meeco-server and the temporary folder */
static char conf[300], secret_path[300];
static char *secret;

/* ---- the account --------------------------------------------------------- */

void fx_slot_name(unsigned i, char *name, size_t len)
{
    snprintf(name, len, "slot_%03u", i);
}

void fx_slot_value(unsigned i, char *value, size_t len)
{
    snprintf(value, len, "value %03u", i);
}

/* FX_ITEMS items of one slot each, written straight to the server. */
static int fill_account(const remote_config *rc)
{
    remote_session s = {0};
    int rc_out = -1;
    if (remote_login(rc, secret, FX_PASS, &s) != REMOTE_OK)
        goto out;
    for (unsigned i = 0; i < FX_ITEMS; i++) {
        char item[32], name[32], value[32], *enc = NULL;
        cJSON *ans = NULL;
        snprintf(item, sizeof(item), "item_%03u", i);
        fx_slot_name(i, name, sizeof(name));
        fx_slot_value(i, value, sizeof(value));
        if (cryppo_aes_encrypt(s.dek.p, (const uint8_t *)value, strlen(value),
                               &enc) != CRYPPO_OK)
            goto out;
        remote_slot_in in = {name, NULL, NULL, enc};
        remote_status st =
            remote_item_create(&s, item, NULL, NULL, &in, &ans, NULL);
        cJSON_Delete(ans);
        free(enc);
        if (st != REMOTE_OK)
            goto out;
    }
    rc_out = 0;
out:
    if (rc_out != 0)
        fprintf(stderr, "fill account: %s\n", remote_last_error());
    remote_session_free(&s);
    return rc_out;
}

static int make_account(void)
{
    /* the account's identity key: 2048 bits, fast */
    if (fx_signup(&server, FX_PASS, 2048, &secret, NULL) != 0)
        return -1;
    FILE *f = fopen(secret_path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%s\n", secret);
    fclose(f);
    chmod(secret_path, 0600);
    return fill_account(&server.cfg);
}

static int load_module(void)
{
    /* never unloaded (as in tests/api): LeakSanitizer then sees the
     * module's OpenSSL library context as reachable */
    void *m = dlopen(MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    CK_C_GetFunctionList get =
        m ? (CK_C_GetFunctionList)dlsym(m, "C_GetFunctionList") : NULL;
    return get != NULL && get(&fx_p11) == CKR_OK ? 0 : -1;
}

int fx_suite_init(void)
{
    if (fx_server_start(&server, "meeco-fault-remote", 4) != 0)
        return -1;
    snprintf(conf, sizeof(conf), "%s/meeco-pkcs11.conf", server.dir);
    snprintf(secret_path, sizeof(secret_path), "%s/acct.secret", server.dir);
    if (make_account() != 0 || proxy_start(server.port, &fx_proxy) != 0)
        return -1;
    return load_module();
}

int fx_suite_clean(void)
{
    proxy_stop(fx_proxy);
    fx_proxy = NULL;
    if (secret != NULL)
        secure_free(secret, strlen(secret) + 1);
    secret = NULL;
    return fx_cleanup(&server);
}

void fx_conf(const char *replica, int timeout_s, char *path, size_t len)
{
    fx_conf_refresh(replica, timeout_s, 0, path, len);
}

void fx_conf_refresh(const char *replica, int timeout_s, int refresh_s,
                     char *path, size_t len)
{
    uint16_t port = proxy_port(fx_proxy);
    snprintf(path, len, "%s/%s.sqlite3", server.dir, replica);
    FILE *f = fopen(conf, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f,
            "[token acct]\nbackend = remote\nlabel = Remote account\n"
            "keystore_url = http://127.0.0.1:%u/keystore\n"
            "vault_url = http://127.0.0.1:%u/vault\n"
            "secret_key_file = %s\ndb_path = %s\n"
            "refresh_interval = %d\ntimeout = %d\n",
            port, port, secret_path, path, refresh_s, timeout_s);
    fclose(f);
    setenv("MEECO_PKCS11_CONF", conf, 1);
}

/* ---- PKCS#11 ------------------------------------------------------------- */

CK_SESSION_HANDLE fx_open(void)
{
    CK_SESSION_HANDLE h = 0;
    CU_ASSERT_EQUAL_FATAL(fx_p11->C_Initialize(NULL), CKR_OK);
    CU_ASSERT_EQUAL_FATAL(
        fx_p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                              NULL, &h),
        CKR_OK);
    return h;
}

CK_RV fx_login(CK_SESSION_HANDLE h)
{
    return fx_p11->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)FX_PASS,
                           strlen(FX_PASS));
}

CK_FLAGS fx_token_flags(void)
{
    CK_TOKEN_INFO ti;
    CU_ASSERT_EQUAL(fx_p11->C_GetTokenInfo(0, &ti), CKR_OK);
    return ti.flags;
}

CK_ULONG fx_data_count(CK_SESSION_HANDLE h)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_OBJECT_HANDLE found[32];
    CK_ULONG n = 0, total = 0;
    CU_ASSERT_EQUAL(fx_p11->C_FindObjectsInit(h, t, 1), CKR_OK);
    do {
        CU_ASSERT_EQUAL(fx_p11->C_FindObjects(h, found, 32, &n), CKR_OK);
        total += n;
    } while (n > 0);
    CU_ASSERT_EQUAL(fx_p11->C_FindObjectsFinal(h), CKR_OK);
    return total;
}

bool fx_value_is(CK_SESSION_HANDLE h, const char *label, const char *value)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE o = 0;
    CK_ULONG n = 0;
    char buf[256];
    CK_ATTRIBUTE a = {CKA_VALUE, buf, sizeof(buf)};
    CU_ASSERT_EQUAL(fx_p11->C_FindObjectsInit(h, t, 2), CKR_OK);
    CU_ASSERT_EQUAL(fx_p11->C_FindObjects(h, &o, 1, &n), CKR_OK);
    CU_ASSERT_EQUAL(fx_p11->C_FindObjectsFinal(h), CKR_OK);
    if (n != 1 || fx_p11->C_GetAttributeValue(h, o, &a, 1) != CKR_OK)
        return false;
    return a.ulValueLen == strlen(value) &&
           memcmp(buf, value, a.ulValueLen) == 0;
}

CK_RV fx_data_create(CK_SESSION_HANDLE h, const char *app, const char *label,
                     const char *value, CK_OBJECT_HANDLE *o)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    CK_OBJECT_HANDLE ignored = 0;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_TOKEN, &yes, sizeof(yes)},
                        {CKA_PRIVATE, &yes, sizeof(yes)},
                        {CKA_APPLICATION, (void *)app, strlen(app)},
                        {CKA_LABEL, (void *)label, strlen(label)},
                        {CKA_VALUE, (void *)value, strlen(value)}};
    return fx_p11->C_CreateObject(h, t, 6, o != NULL ? o : &ignored);
}

CK_ULONG fx_sync_replica(const char *replica, char *path, size_t len)
{
    /* forwards all; counts the requests for a second page */
    proxy_set(fx_proxy,
              &(proxy_rule){.mode = PROXY_FORWARD, .match = "next_page_after"});
    fx_conf(replica, 5, path, len);
    CK_SESSION_HANDLE h = fx_open();
    CU_ASSERT_EQUAL(fx_login(h), CKR_OK);
    CK_ULONG n = fx_data_count(h);
    CU_ASSERT(n >= FX_ITEMS);
    CU_ASSERT_EQUAL(fx_p11->C_Finalize(NULL), CKR_OK);
    CU_ASSERT(proxy_counts_get(fx_proxy).matched > 0);
    proxy_pass(fx_proxy);
    return n;
}

/* ---- the replica --------------------------------------------------------- */

static bool integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

/* Every row of table t (but the sync time when skip_sync_time), in the
 * order of all its columns, into md. */
static bool digest_table(sqlite3 *db, const char *t, bool skip_sync_time,
                         EVP_MD_CTX *md)
{
    char sql[512];
    sqlite3_stmt *st = NULL;
    const char *where = skip_sync_time && strcmp(t, "meta") == 0
                            ? " WHERE key <> 'last_sync'"
                            : "";
    snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", t);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int cols = sqlite3_column_count(st);
    sqlite3_finalize(st);
    size_t off = (size_t)snprintf(
        sql, sizeof(sql), "SELECT * FROM \"%s\"%s ORDER BY 1", t, where);
    for (int c = 2; c <= cols && off < sizeof(sql); c++)
        off += (size_t)snprintf(sql + off, sizeof(sql) - off, ",%d", c);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    EVP_DigestUpdate(md, t, strlen(t) + 1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < cols; c++) {
            int type = sqlite3_column_type(st, c);
            const void *v = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            EVP_DigestUpdate(md, &type, sizeof(type));
            EVP_DigestUpdate(md, &n, sizeof(n));
            if (n > 0)
                EVP_DigestUpdate(md, v, (size_t)n);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static bool digest(const char *path, bool skip_sync_time, unsigned char out[32])
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok =
        md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 10000) == SQLITE_OK && integrity_ok(db) &&
        sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE "
                           "type = 'table' ORDER BY name",
                           -1, &st, NULL) == SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW)
        ok = digest_table(db, (const char *)sqlite3_column_text(st, 0),
                          skip_sync_time, md);
    ok = ok && EVP_DigestFinal_ex(md, out, NULL) == 1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    EVP_MD_CTX_free(md);
    return ok;
}

bool fx_replica_digest(const char *path, unsigned char out[32])
{
    return digest(path, false, out);
}

bool fx_replica_data_digest(const char *path, unsigned char out[32])
{
    return digest(path, true, out);
}
