/* tests/server/test_server_vault.c - meeco-server Vault routes: me,
 * sessions, items and slots, templates, classification nodes, filters
 * and cursor paging, malformed bodies, and cross-user refusal for every
 * per-user route. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "cryppo.h"
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

static char *paged[5];

static int suite_clean(void)
{
    for (int i = 0; i < 5; i++)
        free(paged[i]);
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

static int array_size(const cJSON *j, const char *path)
{
    const cJSON *a = t_get(j, path);

    return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
}

/* ---- me and sessions ------------------------------------------------------
 */

static void test_me(void)
{
    t_resp r = t_request("GET", "/vault/me", alice.vault_token, NULL);

    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "user.id"), alice.vault_user_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "user.private_dek_external_id"),
                           alice.dek_id);
    /* 0.0.13 SDK models map these arrays unconditionally */
    CU_ASSERT_EQUAL(array_size(r.json, "associations"), 0);
    CU_ASSERT_EQUAL(array_size(r.json, "user.association_ids"), 0);
    /* internal fields never leak */
    CU_ASSERT_PTR_NULL(t_get(r.json, "user._public_key"));
    CU_ASSERT_PTR_NULL(t_get(r.json, "user._keystore_user_id"));
    t_resp_free(&r);
    r = t_request("PUT", "/vault/me", alice.vault_token,
                  "{\"user\":{\"full_name\":\"Alice A\"}}");
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "user.full_name"), "Alice A");
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "user.private_dek_external_id"),
                           alice.dek_id);
    t_resp_free(&r);
    expect(t_request("PUT", "/vault/me", alice.vault_token,
                     "{\"user\":{\"full_name\":7}}"),
           400, "invalid_parameter");
    expect(t_request("PUT", "/vault/me", alice.vault_token, "{}"), 400,
           "missing_parameter");
    expect(t_request("GET", "/vault/me", alice.ks_token, NULL), 401,
           "unauthorized");
}

static void test_session(void)
{
    t_user u = alice;
    char old[64];

    snprintf(old, sizeof(old), "%s", alice.vault_token);
    CU_ASSERT_EQUAL_FATAL(t_vault_login(&u), 0);
    CU_ASSERT_STRING_NOT_EQUAL(u.vault_token, old);
    expect(t_request("GET", "/vault/me", u.vault_token, NULL), 200, NULL);
    expect(t_request("DELETE", "/vault/session", u.vault_token, NULL), 204,
           NULL);
    expect(t_request("GET", "/vault/me", u.vault_token, NULL), 401, NULL);
    expect(t_request("GET", "/vault/me", old, NULL), 200, NULL);
    /* an unknown key gets no session */
    {
        EVP_PKEY *k = t_fixture_key(3);
        char *pem = t_public_pem(k);
        cJSON *b = cJSON_CreateObject();

        cJSON_AddStringToObject(b, "public_key", pem);
        expect(t_request_json("POST", "/vault/session", NULL, b), 401,
               "unknown_public_key");
        free(pem);
        EVP_PKEY_free(k);
    }
    expect(t_request("POST", "/vault/session", NULL,
                     "{\"public_key\":\"-----BEGIN PUBLIC KEY-----\"}"),
           422, "invalid_public_key");
}

/* ---- items
 * ------------------------------------------------------------------- */

static cJSON *slot_attr(const char *name, const char *label, const char *ev)
{
    cJSON *s = cJSON_CreateObject();

    cJSON_AddStringToObject(s, "name", name);
    if (label)
        cJSON_AddStringToObject(s, "label", label);
    cJSON_AddStringToObject(s, "slot_type_name", "key_value");
    if (ev)
        cJSON_AddStringToObject(s, "encrypted_value", ev);
    return s;
}

static void test_item_create_from_template(void)
{
    char *ev = t_cryppo_string(10), *ev2 = t_cryppo_string(20);
    cJSON *b = cJSON_CreateObject(), *item, *slots;
    t_resp r;
    int n;

    /* exactly the capture's request shape */
    item = cJSON_AddObjectToObject(b, "item");
    cJSON_AddStringToObject(item, "label", "My Car");
    cJSON_AddArrayToObject(item, "classification_nodes_attributes");
    slots = cJSON_AddArrayToObject(item, "slots_attributes");
    cJSON_AddItemToArray(slots, slot_attr("model_make", "Make", ev));
    cJSON_AddItemToArray(slots, slot_attr("note", "Note", ev2));
    cJSON_AddStringToObject(b, "template_name", "vehicle");
    r = t_request_json("POST", "/vault/items", alice.vault_token, b);
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.name"), "my_car");
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.label"), "My Car");
    CU_ASSERT(cJSON_IsTrue(t_get(r.json, "item.own")));
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.owner_id"), alice.vault_user_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.item_template_label"),
                           "Vehicle");
    /* 3 template slots (model_make filled) + note */
    n = array_size(r.json, "slots");
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(array_size(r.json, "item.slot_ids"), n);
    for (int i = 0; i < n; i++) {
        const cJSON *s = t_get(r.json, "slots");
        const cJSON *si = cJSON_GetArrayItem(s, i);
        const char *name = t_str(si, "name");

        CU_ASSERT_STRING_EQUAL(t_str(si, "item_id"), t_str(r.json, "item.id"));
        if (!strcmp(name, "model_make"))
            CU_ASSERT_STRING_EQUAL(t_str(si, "encrypted_value"), ev);
        if (!strcmp(name, "licence_plate"))
            CU_ASSERT(cJSON_IsNull(t_get(si, "encrypted_value")));
    }
    CU_ASSERT_EQUAL(array_size(r.json, "associations_to"), 0);
    CU_ASSERT_EQUAL(array_size(r.json, "attachments"), 0);
    t_resp_free(&r);
    free(ev);
    free(ev2);
}

static void test_item_crud(void)
{
    char *id = t_item_create(&alice, "Passport copy"), path[128], slot[128];
    char *ev = t_cryppo_string(8), body[2048];
    t_resp r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(id);
    snprintf(path, sizeof(path), "/vault/items/%s", id);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 1);
    snprintf(slot, sizeof(slot), "/vault/slots/%s",
             t_str(r.json, "item.slot_ids.0"));
    t_resp_free(&r);
    /* update: label, replace the note by name, add a slot */
    snprintf(body, sizeof(body),
             "{\"item\":{\"label\":\"Renamed\",\"slots_attributes\":["
             "{\"name\":\"note\",\"encrypted_value\":\"%s\"},"
             "{\"name\":\"extra\",\"label\":\"Extra\","
             "\"slot_type_name\":\"password\",\"encrypted_value\":\"%s\"}]}}",
             ev, ev);
    r = t_request("PUT", path, alice.vault_token, body);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.label"), "Renamed");
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 2);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.0.encrypted_value"), ev);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.1.slot_type_name"), "password");
    t_resp_free(&r);
    /* slot GET and DELETE */
    r = t_request("GET", slot, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slot.name"), "note");
    t_resp_free(&r);
    expect(t_request("DELETE", slot, alice.vault_token, NULL), 204, NULL);
    expect(t_request("GET", slot, alice.vault_token, NULL), 404, NULL);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 1);
    t_resp_free(&r);
    /* _destroy through PUT */
    r = t_request("PUT", path, alice.vault_token,
                  "{\"item\":{\"slots_attributes\":[{\"name\":\"extra\","
                  "\"_destroy\":true}]}}");
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 0);
    t_resp_free(&r);
    expect(t_request("DELETE", path, alice.vault_token, NULL), 204, NULL);
    expect(t_request("GET", path, alice.vault_token, NULL), 404,
           "record_not_found");
    expect(t_request("DELETE", path, alice.vault_token, NULL), 404, NULL);
    free(id);
    free(ev);
}

static void test_item_malformed(void)
{
    const char *tok = alice.vault_token;
    char body[1024], *ev = t_cryppo_string(4);

    expect(t_request("POST", "/vault/items", tok, "{\"item\":{}}"), 400,
           "missing_parameter");
    expect(t_request("POST", "/vault/items", tok, "{\"item\":[]}"), 400,
           "invalid_parameter");
    expect(t_request("POST", "/vault/items", tok,
                     "{\"item\":{\"label\":\"x\",\"slots_attributes\":"
                     "[{\"name\":\"a\",\"encrypted_value\":\"hello\"}]}}"),
           422, "invalid_cryppo_format");
    expect(t_request("POST", "/vault/items", tok,
                     "{\"item\":{\"label\":\"x\",\"slots_attributes\":"
                     "[{\"name\":\"a\",\"value\":\"plain\"}]}}"),
           422, "plaintext_value");
    expect(t_request("POST", "/vault/items", tok,
                     "{\"item\":{\"label\":\"x\",\"slots_attributes\":"
                     "[{\"name\":\"a\",\"slot_type_name\":\"weird\"}]}}"),
           422, "validation_error");
    expect(t_request("POST", "/vault/items", tok,
                     "{\"item\":{\"label\":\"x\",\"slots_attributes\":[7]}}"),
           400, "invalid_parameter");
    expect(t_request("POST", "/vault/items", tok,
                     "{\"item\":{\"label\":\"x\"},\"template_name\":\"nope\"}"),
           404, "record_not_found");
    snprintf(body, sizeof(body),
             "{\"item\":{\"label\":\"x\",\"slots_attributes\":[{\"name\":"
             "\"a\",\"encrypted_value\":\"%s\",\"value_verification_hash\":"
             "\"xyz\"}]}}",
             ev);
    expect(t_request("POST", "/vault/items", tok, body), 422,
           "validation_error");
    free(ev);
}

static void test_body_limit(void)
{
    size_t n = (1u << 20) + 100;
    char *big = malloc(n + 1);

    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    expect(t_request("POST", "/vault/items", alice.vault_token, big), 413,
           "payload_too_large");
    free(big);
}

/* Five items of bob's walked in pages of two. */
static void test_items_paging(void)
{
    char path[256];
    const char *next;
    t_resp r;
    int seen = 0;

    for (int i = 0; i < 5; i++) {
        char label[32];
        snprintf(label, sizeof(label), "Paged %d", i);
        paged[i] = t_item_create(&bob, label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(paged[i]);
    }
    r = t_request("GET", "/vault/items?per_page=2", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 2);
    CU_ASSERT(cJSON_IsTrue(t_get(r.json, "meta.0.next_page_exists")));
    CU_ASSERT_EQUAL((int)t_get(r.json, "meta.0.per_page")->valuedouble, 2);
    while (r.status == 200) {
        seen += array_size(r.json, "items");
        CU_ASSERT_EQUAL(array_size(r.json, "slots"),
                        array_size(r.json, "items"));
        next = t_str(r.json, "next_page_after");
        if (!next)
            break;
        snprintf(path, sizeof(path),
                 "/vault/items?per_page=2&next_page_after=%s", next);
        t_resp_free(&r);
        r = t_request("GET", path, bob.vault_token, NULL);
    }
    CU_ASSERT(cJSON_IsFalse(t_get(r.json, "meta.0.next_page_exists")));
    t_resp_free(&r);
    CU_ASSERT_EQUAL(seen, 5);
}

static void test_items_filters(void)
{
    char path[256];
    t_resp r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(paged[4]);
    snprintf(path, sizeof(path), "/vault/items?item_ids=%s,%s", paged[1],
             paged[3]);
    r = t_request("GET", path, bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 2);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items?item_ids=%s&item_ids=%s",
             paged[0], paged[4]);
    r = t_request("GET", path, bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 2);
    t_resp_free(&r);
    r = t_request("GET", "/vault/items?name=paged_2", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 1);
    t_resp_free(&r);
    r = t_request("GET", "/vault/items?own=false", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 0);
    t_resp_free(&r);
}

static void test_paging_parameters(void)
{
    t_resp r;

    expect(t_request("GET", "/vault/items?per_page=0", bob.vault_token, NULL),
           400, "invalid_parameter");
    expect(t_request("GET", "/vault/items?per_page=abc", bob.vault_token, NULL),
           400, "invalid_parameter");
    expect(
        t_request("GET", "/vault/items?per_page=1001", bob.vault_token, NULL),
        400, "invalid_parameter");
    expect(t_request("GET", "/vault/items?next_page_after=bogus",
                     bob.vault_token, NULL),
           400, "invalid_parameter");
    /* "undefined" query values count as absent (SDK quirk) */
    r = t_request("GET", "/vault/items?next_page_after=undefined",
                  bob.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    t_resp_free(&r);
}

static void test_items_classification(void)
{
    char *ev = t_cryppo_string(4), body[1024];
    t_resp r;

    snprintf(body, sizeof(body),
             "{\"item\":{\"label\":\"Tagged\",\"classification_nodes_"
             "attributes\":[{\"name\":\"important\",\"scheme\":\"tag\"},"
             "{\"name\":\"MyOwnTag\",\"label\":\"My own\"}],"
             "\"slots_attributes\":[{\"name\":\"a\",\"encrypted_value\":"
             "\"%s\"}]}}",
             ev);
    r = t_request("POST", "/vault/items", alice.vault_token, body);
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_EQUAL(array_size(r.json, "item.classification_node_ids"), 2);
    CU_ASSERT_EQUAL(array_size(r.json, "classification_nodes"), 2);
    t_resp_free(&r);
    r = t_request("GET",
                  "/vault/items?classification_scheme_name=tag&"
                  "classification_node_name=myowntag",
                  alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 1);
    t_resp_free(&r);
    /* bob does not see alice's node */
    r = t_request("GET", "/vault/classification_nodes?name=myowntag",
                  bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "classification_nodes"), 0);
    t_resp_free(&r);
    free(ev);
}

/* ---- templates and nodes --------------------------------------------------
 */

static void test_templates(void)
{
    t_resp r =
        t_request("GET", "/vault/item_templates", alice.vault_token, NULL);
    char path[128];
    int n;

    CU_ASSERT_EQUAL_FATAL(r.status, 200);
    n = array_size(r.json, "item_templates");
    CU_ASSERT(n >= 6);
    CU_ASSERT(array_size(r.json, "slots") > 10);
    CU_ASSERT_PTR_NOT_NULL(t_get(r.json, "meta"));
    snprintf(path, sizeof(path), "/vault/item_templates/%s",
             t_str(r.json, "item_templates.1.id"));
    t_resp_free(&r);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"),
                    array_size(r.json, "item_template.slot_ids"));
    t_resp_free(&r);
    r = t_request("GET", "/vault/item_templates?like=pass", alice.vault_token,
                  NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "item_templates"), 2);
    t_resp_free(&r);
    r = t_request("GET", "/vault/item_templates?per_page=2", alice.vault_token,
                  NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "item_templates"), 2);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "next_page_after"));
    snprintf(path, sizeof(path),
             "/vault/item_templates?per_page=100&next_page_after=%s",
             t_str(r.json, "next_page_after"));
    t_resp_free(&r);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "item_templates"), n - 2);
    t_resp_free(&r);
    /* a user template is private to its creator */
    r = t_request("POST", "/vault/item_templates", alice.vault_token,
                  "{\"label\":\"Gym card\",\"slots_attributes\":["
                  "{\"label\":\"Member no\"},{\"name\":\"pin\","
                  "\"slot_type_name\":\"password\"}]}");
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 2);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item_template.name"), "gym_card");
    snprintf(path, sizeof(path), "/vault/item_templates/%s",
             t_str(r.json, "item_template.id"));
    t_resp_free(&r);
    expect(t_request("GET", path, bob.vault_token, NULL), 404, NULL);
    expect(t_request("GET", path, alice.vault_token, NULL), 200, NULL);
    r = t_request("POST", "/vault/items", alice.vault_token,
                  "{\"item\":{\"label\":\"My gym\"},"
                  "\"template_name\":\"gym_card\"}");
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 2);
    t_resp_free(&r);
    expect(t_request("POST", "/vault/items", bob.vault_token,
                     "{\"item\":{\"label\":\"x\"},"
                     "\"template_name\":\"gym_card\"}"),
           404, NULL);
    expect(t_request("POST", "/vault/item_templates", alice.vault_token,
                     "{\"description\":\"no name\"}"),
           422, "validation_error");
}

static void test_classification_nodes(void)
{
    t_resp r = t_request("GET", "/vault/classification_nodes?scheme_name=tag",
                         alice.vault_token, NULL);
    char path[128];

    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT(array_size(r.json, "classification_nodes") >= 4);
    t_resp_free(&r);
    r = t_request("POST", "/vault/classification_nodes", bob.vault_token,
                  "{\"classification_node\":{\"classification_scheme_name\":"
                  "\"tag\",\"name\":\"Hobby\",\"label\":\"Hobby\"}}");
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "classification_node.name"), "hobby");
    snprintf(path, sizeof(path), "/vault/classification_nodes/%s",
             t_str(r.json, "classification_node.id"));
    t_resp_free(&r);
    expect(t_request("GET", path, bob.vault_token, NULL), 200, NULL);
    expect(t_request("GET", path, alice.vault_token, NULL), 404, NULL);
    expect(t_request("POST", "/vault/classification_nodes", bob.vault_token,
                     "{\"classification_node\":{\"classification_scheme_"
                     "name\":\"tag\",\"name\":\"hobby\"}}"),
           422, "validation_error");
    expect(t_request("POST", "/vault/classification_nodes", bob.vault_token,
                     "{\"classification_node\":{\"name\":\"x\"}}"),
           400, "missing_parameter");
    r = t_request("GET", "/vault/classification_nodes?own=true",
                  bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "classification_nodes"), 1);
    t_resp_free(&r);
    /* system and own nodes page together; the cursor may be either kind */
    {
        int seen = 0;
        char next[128] = "";

        do {
            char url[256];

            snprintf(url, sizeof(url),
                     "/vault/classification_nodes?per_page=2%s%s",
                     next[0] ? "&next_page_after=" : "", next);
            r = t_request("GET", url, bob.vault_token, NULL);
            CU_ASSERT_EQUAL(r.status, 200);
            seen += array_size(r.json, "classification_nodes");
            snprintf(next, sizeof(next), "%s",
                     t_str(r.json, "next_page_after")
                         ? t_str(r.json, "next_page_after")
                         : "");
            t_resp_free(&r);
        } while (next[0] && seen < 100);
        CU_ASSERT_EQUAL(seen, 6); /* 5 seeded tags + hobby */
    }
}

/* ---- cross-user
 * --------------------------------------------------------------- */

/* bob's token against every per-user route naming alice's records. */
static void test_cross_user(void)
{
    char *item = t_item_create(&alice, "Secret"), *ev = t_cryppo_string(5);
    char ipath[128], spath[128], body[1024];
    const char *slot;
    t_resp r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(item);
    snprintf(ipath, sizeof(ipath), "/vault/items/%s", item);
    r = t_request("GET", ipath, alice.vault_token, NULL);
    slot = t_str(r.json, "item.slot_ids.0");
    snprintf(spath, sizeof(spath), "/vault/slots/%s", slot ? slot : "x");
    t_resp_free(&r);
    snprintf(body, sizeof(body),
             "{\"item\":{\"label\":\"hacked\",\"slots_attributes\":[{\"name\":"
             "\"note\",\"encrypted_value\":\"%s\"}]}}",
             ev);
    expect(t_request("GET", ipath, bob.vault_token, NULL), 404, NULL);
    expect(t_request("PUT", ipath, bob.vault_token, body), 404, NULL);
    expect(t_request("DELETE", ipath, bob.vault_token, NULL), 404, NULL);
    expect(t_request("GET", spath, bob.vault_token, NULL), 404, NULL);
    expect(t_request("DELETE", spath, bob.vault_token, NULL), 404, NULL);
    /* bob's list never contains alice's items */
    snprintf(body, sizeof(body), "/vault/items?item_ids=%s", item);
    r = t_request("GET", body, bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 0);
    t_resp_free(&r);
    /* a cursor from alice's records is not valid for bob */
    snprintf(body, sizeof(body), "/vault/items?next_page_after=%s", item);
    expect(t_request("GET", body, bob.vault_token, NULL), 400, NULL);
    /* bob's /me is bob */
    r = t_request("GET", "/vault/me", bob.vault_token, NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "user.id"), bob.vault_user_id);
    t_resp_free(&r);
    /* alice's item is untouched */
    r = t_request("GET", ipath, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.label"), "Secret");
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 1);
    t_resp_free(&r);
    free(item);
    free(ev);
}

static void test_version(void)
{
    t_resp r = t_request("GET", "/vault/version", NULL, NULL);

    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "component.api_version"));
    t_resp_free(&r);
    /* paths outside both bases */
    expect(t_request("GET", "/other/version", NULL, NULL), 404,
           "route_not_found");
    expect(t_request("GET", "/vault", NULL, NULL), 404, "route_not_found");
}

static void test_auth_required_everywhere(void)
{
    static const char *const routes[][2] = {
        {"GET", "/vault/me"},
        {"PUT", "/vault/me"},
        {"DELETE", "/vault/session"},
        {"GET", "/vault/items"},
        {"POST", "/vault/items"},
        {"GET", "/vault/items/x"},
        {"PUT", "/vault/items/x"},
        {"DELETE", "/vault/items/x"},
        {"GET", "/vault/slots/x"},
        {"DELETE", "/vault/slots/x"},
        {"GET", "/vault/item_templates"},
        {"POST", "/vault/item_templates"},
        {"GET", "/vault/item_templates/x"},
        {"GET", "/vault/classification_nodes"},
        {"POST", "/vault/classification_nodes"},
        {"GET", "/vault/classification_nodes/x"},
        {"GET", "/vault/invitations"},
        {"POST", "/vault/invitations"},
        {"GET", "/vault/invitations/x"},
        {"DELETE", "/vault/invitations/x"},
        {"GET", "/vault/connections"},
        {"POST", "/vault/connections"},
        {"GET", "/vault/connections/x"},
        {"DELETE", "/vault/connections/x"},
        {"GET", "/vault/items/x/shares"},
        {"POST", "/vault/items/x/shares"},
        {"PUT", "/vault/items/x/shares"},
        {"GET", "/vault/incoming_shares"},
        {"GET", "/vault/incoming_shares/x"},
        {"GET", "/vault/incoming_shares/x/item"},
        {"PUT", "/vault/incoming_shares/x/accept"},
        {"GET", "/vault/outgoing_shares"},
        {"GET", "/vault/outgoing_shares/x"},
        {"DELETE", "/vault/shares/x"},
        {"GET", "/vault/client_task_queue"},
        {"PUT", "/vault/client_task_queue"},
    };

    t_expect_401_all(routes, sizeof(routes) / sizeof(*routes), alice.ks_token);
}

/* ---- concurrency
 * -------------------------------------------------------------- */

#define WRITERS    4
#define PER_WRITER 15

static void *writer(void *arg)
{
    long ok = 0;

    (void)arg;
    for (int i = 0; i < PER_WRITER; i++) {
        char *id = t_item_create(&alice, "Concurrent");
        ok += id != NULL;
        free(id);
    }
    return (void *)ok;
}

/* Parallel writers and readers on the thread pool: every create lands. */
static void test_concurrent_creates(void)
{
    pthread_t th[WRITERS];
    long total = 0;
    t_resp r;

    for (int i = 0; i < WRITERS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, writer, NULL), 0);
    for (int i = 0; i < WRITERS; i++) {
        void *ok = NULL;
        pthread_join(th[i], &ok);
        total += (long)ok;
    }
    CU_ASSERT_EQUAL(total, WRITERS * PER_WRITER);
    r = t_request("GET", "/vault/items?name=concurrent&per_page=1000",
                  alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), WRITERS * PER_WRITER);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), WRITERS * PER_WRITER);
    t_resp_free(&r);
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite("server_vault", suite_init, suite_clean);
    CU_add_test(s, "me", test_me);
    CU_add_test(s, "session", test_session);
    CU_add_test(s, "item from template", test_item_create_from_template);
    CU_add_test(s, "item CRUD and slots", test_item_crud);
    CU_add_test(s, "item malformed bodies", test_item_malformed);
    CU_add_test(s, "body size limit", test_body_limit);
    CU_add_test(s, "items paging", test_items_paging);
    CU_add_test(s, "items filters", test_items_filters);
    CU_add_test(s, "paging parameters", test_paging_parameters);
    CU_add_test(s, "items classification", test_items_classification);
    CU_add_test(s, "templates", test_templates);
    CU_add_test(s, "classification nodes", test_classification_nodes);
    CU_add_test(s, "cross-user refused", test_cross_user);
    CU_add_test(s, "version", test_version);
    CU_add_test(s, "auth required", test_auth_required_everywhere);
    CU_add_test(s, "concurrent creates", test_concurrent_creates);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
