/* tests/server/test_server_capture.c - response shapes against the
 * captured traffic of the current Meeco SDK (shared/docs/api/capture-
 * {login,share}.jsonl): the test runs the same flow (sign-up, login,
 * item, connection, share) and checks, for every captured request, that
 * meeco-server answers the same route with the same status and with
 * every field the captured response had (recursively; first elements of
 * arrays).  The one documented difference, "meta" being an array, is
 * skipped (docs/SERVER.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "http.h"
#include "support.h"

#ifndef CAPTURE_DIR
#error CAPTURE_DIR must name shared/docs/api
#endif

#define MAX_SEEN 64

static struct seen {
    char key[160];
    long status;
    cJSON *json;
    size_t size;
} seen[MAX_SEEN];
static int nseen;

/* "POST /vault/items/{id}/shares" for a request path (query dropped). */
static int route_key(const char *method, const char *path, char *key,
                     size_t len)
{
    const char *params[SRV_MAX_PARAMS];
    char buf[512], clean[512];
    srv_service svc;
    const srv_route *r;
    const char *rest;
    int known;

    snprintf(clean, sizeof(clean), "%s", path);
    clean[strcspn(clean, "?")] = '\0';
    if (!strncmp(clean, "/keystore/", 10)) {
        svc = SRV_KEYSTORE;
        rest = clean + 9;
    } else if (!strncmp(clean, "/vault/", 7)) {
        svc = SRV_VAULT;
        rest = clean + 6;
    } else {
        return -1;
    }
    r = srv_route_find(svc, method, rest, params, buf, sizeof(buf), &known);
    if (!r)
        return -1;
    snprintf(key, len, "%s %s%s", method,
             svc == SRV_KEYSTORE ? "/keystore" : "/vault", r->pattern);
    return 0;
}

static void record(const char *method, const char *path, long status,
                   const cJSON *json)
{
    char key[160], *text;
    size_t size;
    int i;

    if (route_key(method, path, key, sizeof(key)) != 0)
        return;
    snprintf(key + strlen(key), sizeof(key) - strlen(key), " %ld", status);
    text = json ? cJSON_PrintUnformatted(json) : NULL;
    size = text ? strlen(text) : 0;
    free(text);
    for (i = 0; i < nseen && strcmp(seen[i].key, key); i++)
        ;
    if (i == MAX_SEEN)
        return;
    if (i == nseen) {
        nseen++;
        snprintf(seen[i].key, sizeof(seen[i].key), "%s", key);
    } else if (size <= seen[i].size) {
        return; /* keep the richest answer */
    }
    cJSON_Delete(seen[i].json);
    seen[i].json = json ? cJSON_Duplicate(json, 1) : NULL;
    seen[i].status = status;
    seen[i].size = size;
}

static const struct seen *lookup(const char *key)
{
    for (int i = 0; i < nseen; i++)
        if (!strcmp(seen[i].key, key))
            return &seen[i];
    return NULL;
}

/* Fields of want missing from got, appended to out. */
static void missing(const cJSON *want, const cJSON *got, const char *prefix,
                    char *out, size_t outlen)
{
    const cJSON *w;
    char path[256];

    if (cJSON_IsArray(want) && cJSON_GetArraySize(want) > 0 &&
        cJSON_IsArray(got) && cJSON_GetArraySize(got) > 0) {
        snprintf(path, sizeof(path), "%s.0", prefix);
        missing(cJSON_GetArrayItem(want, 0), cJSON_GetArrayItem(got, 0), path,
                out, outlen);
        return;
    }
    if (!cJSON_IsObject(want))
        return;
    cJSON_ArrayForEach(w, want)
    {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, w->string);

        if (!strcmp(w->string, "meta"))
            continue;
        snprintf(path, sizeof(path), "%s.%s", prefix, w->string);
        if (!g) {
            size_t n = strlen(out);
            snprintf(out + n, outlen - n, " %s", path);
            continue;
        }
        missing(w, g, path, out, outlen);
    }
}

/* ---- the flow ------------------------------------------------------------ */

static t_user alice, bob;

static char *keypair(const t_user *u, const char *pem)
{
    char *enc = t_cryppo_string(100), *id = NULL;
    cJSON *b = cJSON_CreateObject();
    t_resp r;

    cJSON_AddStringToObject(b, "encrypted_serialized_key", enc);
    cJSON_AddStringToObject(b, "public_key", pem);
    cJSON_AddObjectToObject(b, "metadata");
    cJSON_AddArrayToObject(b, "external_identifiers");
    r = t_request_json("POST", "/keystore/keypairs", u->ks_token, b);
    if (r.status == 201)
        id = strdup(t_str(r.json, "keypair.id"));
    t_resp_free(&r);
    free(enc);
    return id;
}

static void login_flow(t_user *u)
{
    char path[256];
    t_resp r;

    CU_ASSERT_EQUAL(t_keystore_login(u, "wrong password"), -1); /* 401 */
    CU_ASSERT_EQUAL(t_keystore_login(u, "correct horse battery"), 0);
    r = t_request("GET", "/keystore/key_encryption_key", u->ks_token, NULL);
    t_resp_free(&r);
    r = t_request("GET", "/keystore/keypairs/external_id/auth", u->ks_token,
                  NULL);
    t_resp_free(&r);
    CU_ASSERT_EQUAL(t_vault_login(u), 0);
    r = t_request("GET", "/vault/me", u->vault_token, NULL);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/keystore/data_encryption_keys/%s",
             u->dek_id);
    r = t_request("GET", path, u->ks_token, NULL);
    t_resp_free(&r);
}

static char *item_create(void)
{
    char *ev = t_cryppo_string(10), body[1024], *id = NULL;
    t_resp r;

    snprintf(body, sizeof(body),
             "{\"item\":{\"label\":\"My Car\",\"classification_nodes_"
             "attributes\":[],\"slots_attributes\":[{\"name\":\"model_make\","
             "\"slot_type_name\":\"key_value\",\"encrypted_value\":\"%s\","
             "\"label\":\"Make\"}]},\"template_name\":\"vehicle\"}",
             ev);
    r = t_request("POST", "/vault/items", alice.vault_token, body);
    if (r.status == 201)
        id = strdup(t_str(r.json, "item.id"));
    t_resp_free(&r);
    free(ev);
    return id;
}

static char *connect_flow(EVP_PKEY *ka, EVP_PKEY *kb, char **bob_kp)
{
    char *pa = t_public_pem(ka), *pb = t_public_pem(kb);
    char *kpa = keypair(&alice, pa), *name = t_cryppo_string(4);
    char body[8192], *esc_a, *esc_b, *conn = NULL;
    t_resp r;
    cJSON *s;

    *bob_kp = keypair(&bob, pb);
    r = t_request("GET", "/vault/connections", alice.vault_token, NULL);
    t_resp_free(&r);
    s = cJSON_CreateString(pa);
    esc_a = cJSON_PrintUnformatted(s);
    cJSON_Delete(s);
    s = cJSON_CreateString(pb);
    esc_b = cJSON_PrintUnformatted(s);
    cJSON_Delete(s);
    snprintf(body, sizeof(body),
             "{\"public_key\":{\"keypair_external_id\":\"%s\",\"public_key\":"
             "%s},\"invitation\":{\"encrypted_recipient_name\":\"%s\","
             "\"multistep_workflow\":\"false\"}}",
             kpa, esc_a, name);
    r = t_request("POST", "/vault/invitations", alice.vault_token, body);
    snprintf(body, sizeof(body),
             "{\"public_key\":{\"keypair_external_id\":\"%s\",\"public_key\":"
             "%s},\"connection\":{\"encrypted_recipient_name\":\"%s\","
             "\"invitation_token\":\"%s\"}}",
             *bob_kp, esc_b, name, t_str(r.json, "invitation.token"));
    t_resp_free(&r);
    r = t_request("POST", "/vault/connections", bob.vault_token, body);
    if (r.status == 201)
        conn = strdup(t_str(r.json, "connection.the_other_user.id"));
    t_resp_free(&r);
    r = t_request("GET", "/vault/connections", alice.vault_token, NULL);
    t_resp_free(&r);
    free(pa);
    free(pb);
    free(kpa);
    free(name);
    free(esc_a);
    free(esc_b);
    return conn;
}

static void share_flow(const char *item, const char *conn, EVP_PKEY *kb,
                       const char *bob_kp)
{
    char path[256], *pb = t_public_pem(kb), *dek = NULL;
    char *ct = t_cryppo_string(9);
    uint8_t k[32] = {0};
    cJSON *b, *s, *v;
    t_resp r;

    snprintf(path, sizeof(path), "/vault/connections/%s", conn);
    r = t_request("GET", path, alice.vault_token, NULL);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items/%s", item);
    r = t_request("GET", path, alice.vault_token, NULL);
    b = cJSON_CreateObject();
    s = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(b, "shares"), s);
    cJSON_AddStringToObject(s, "recipient_id", bob.vault_user_id);
    cJSON_AddStringToObject(s, "public_key", pb);
    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(kb, k, 32, &dek), CRYPPO_OK);
    cJSON_AddStringToObject(s, "encrypted_dek", dek);
    cJSON_AddStringToObject(s, "keypair_external_id", bob_kp);
    v = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(s, "slot_values"), v);
    cJSON_AddStringToObject(v, "slot_id", t_str(r.json, "item.slot_ids.0"));
    cJSON_AddStringToObject(v, "encrypted_value", ct);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items/%s/shares", item);
    r = t_request_json("POST", path, alice.vault_token, b);
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s/item",
             t_str(r.json, "shares.0.id") ? t_str(r.json, "shares.0.id") : "x");
    t_resp_free(&r);
    r = t_request("GET", path, bob.vault_token, NULL);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/keystore/keypairs/%s", bob_kp);
    r = t_request("GET", path, bob.ks_token, NULL);
    t_resp_free(&r);
    free(pb);
    free(dek);
    free(ct);
}

static void run_flow(void)
{
    EVP_PKEY *ka = t_fixture_key(3), *kb = t_fixture_key(4);
    char *item, *conn, *bob_kp = NULL;
    t_resp r;

    r = t_request("POST", "/keystore/srp/username", NULL, "{}");
    t_resp_free(&r);
    CU_ASSERT_FATAL(t_user_create(&alice, "alice", 1) == 0);
    CU_ASSERT_FATAL(t_user_create(&bob, "bob", 2) == 0);
    login_flow(&alice);
    item = item_create();
    conn = connect_flow(ka, kb, &bob_kp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(item);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conn);
    share_flow(item, conn, kb, bob_kp);
    free(item);
    free(conn);
    free(bob_kp);
    EVP_PKEY_free(ka);
    EVP_PKEY_free(kb);
}

/* ---- comparison
 * -------------------------------------------------------------- */

static int compare_line(const char *line)
{
    cJSON *c = cJSON_Parse(line);
    const char *method = t_str(c, "method"), *path = t_str(c, "path");
    const cJSON *status = cJSON_GetObjectItem(c, "status");
    const struct seen *s;
    char key[160], miss[2048] = "";
    int checked = 0;

    if (!method || !path) {
        cJSON_Delete(c);
        return 0;
    }
    CU_ASSERT_EQUAL_FATAL(route_key(method, path, key, sizeof(key)), 0);
    snprintf(key + strlen(key), sizeof(key) - strlen(key), " %d",
             (int)status->valuedouble);
    s = lookup(key);
    CU_ASSERT_PTR_NOT_NULL(s);
    if (s) {
        missing(cJSON_GetObjectItem(c, "response"), s->json, "", miss,
                sizeof(miss));
        CU_ASSERT_STRING_EQUAL(miss, "");
        if (miss[0])
            fprintf(stderr, "\n  %s: missing:%s\n", key, miss);
        checked = 1;
    } else {
        fprintf(stderr, "\n  %s: not exercised\n", key);
    }
    cJSON_Delete(c);
    return checked ? 1 : -1;
}

static void compare_file(const char *name, int min_checked)
{
    char path[512], *line = NULL;
    size_t cap = 0;
    int checked = 0, total = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", CAPTURE_DIR, name);
    f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (getline(&line, &cap, f) > 0) {
        int rc = compare_line(line);
        checked += rc == 1;
        total += rc != 0;
    }
    free(line);
    fclose(f);
    /* every captured request was exercised */
    CU_ASSERT_EQUAL(checked, total);
    CU_ASSERT(total >= min_checked);
}

static void test_login_capture(void)
{
    compare_file("capture-login.jsonl", 19);
}

static void test_share_capture(void)
{
    compare_file("capture-share.jsonl", 33);
}

static int suite_init(void)
{
    t_server_start(NULL);
    t_set_recorder(record);
    return 0;
}

static int suite_clean(void)
{
    t_set_recorder(NULL);
    for (int i = 0; i < nseen; i++)
        cJSON_Delete(seen[i].json);
    t_user_free(&alice);
    t_user_free(&bob);
    t_server_stop();
    return 0;
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite("server_capture", suite_init, suite_clean);
    CU_add_test(s, "run the captured flow", run_flow);
    CU_add_test(s, "capture-login.jsonl shapes", test_login_capture);
    CU_add_test(s, "capture-share.jsonl shapes", test_share_capture);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
