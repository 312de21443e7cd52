/* tests/server/test_server_share.c - meeco-server connections and shares:
 * invitation -> connection (both sides), sharing creates the recipient's
 * copy (own:false, original_id, share_id), acceptance, owner updates via
 * client tasks and PUT /items/{id}/shares, deletion cascades, on-sharing
 * permission, and cross-user refusal on every route. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "support.h"

static t_user alice, bob, eve;
static EVP_PKEY *alice_conn_key, *bob_conn_key;
static char *alice_conn_pem, *bob_conn_pem;
static char alice_conn[64], bob_conn[64];
static char *item_id, *slot_id, share_id[64], copy_id[64];

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

static int suite_init(void)
{
    t_server_start(NULL);
    if (t_user_create(&alice, "alice", 1) || t_user_create(&bob, "bob", 2) ||
        t_user_create(&eve, "eve", 3))
        return -1;
    alice_conn_key = t_fixture_key(4);
    bob_conn_key = t_fixture_key(3);
    alice_conn_pem = t_public_pem(alice_conn_key);
    bob_conn_pem = t_public_pem(bob_conn_key);
    item_id = t_item_create(&alice, "Shared car");
    return alice_conn_pem && bob_conn_pem && item_id ? 0 : -1;
}

static int suite_clean(void)
{
    t_user_free(&alice);
    t_user_free(&bob);
    t_user_free(&eve);
    EVP_PKEY_free(alice_conn_key);
    EVP_PKEY_free(bob_conn_key);
    free(alice_conn_pem);
    free(bob_conn_pem);
    free(item_id);
    free(slot_id);
    t_server_stop();
    return 0;
}

static cJSON *peer_key(const char *kp_id, const char *pem)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *pk = cJSON_AddObjectToObject(b, "public_key");

    cJSON_AddStringToObject(pk, "keypair_external_id", kp_id);
    cJSON_AddStringToObject(pk, "public_key", pem);
    return b;
}

static char *invite(const t_user *u, const char *pem)
{
    cJSON *b = peer_key("kp-inviter", pem), *inv;
    char *name = t_cryppo_string(9), *tok = NULL;
    t_resp r;

    inv = cJSON_AddObjectToObject(b, "invitation");
    cJSON_AddStringToObject(inv, "encrypted_recipient_name", name);
    cJSON_AddStringToObject(inv, "multistep_workflow", "false");
    r = t_request_json("POST", "/vault/invitations", u->vault_token, b);
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "invitation.state"), "new");
    if (t_str(r.json, "invitation.token"))
        tok = strdup(t_str(r.json, "invitation.token"));
    t_resp_free(&r);
    free(name);
    return tok;
}

static t_resp accept(const t_user *u, const char *pem, const char *token)
{
    cJSON *b = peer_key("kp-invitee", pem), *c;
    char *name = t_cryppo_string(5);

    c = cJSON_AddObjectToObject(b, "connection");
    cJSON_AddStringToObject(c, "encrypted_recipient_name", name);
    cJSON_AddStringToObject(c, "invitation_token", token);
    free(name);
    return t_request_json("POST", "/vault/connections", u->vault_token, b);
}

static void test_connect(void)
{
    char *tok = invite(&alice, alice_conn_pem), *own_tok;
    t_resp r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
    /* you cannot accept your own invitation */
    own_tok = invite(&eve, alice_conn_pem);
    expect(accept(&eve, bob_conn_pem, own_tok), 400, "own_invitation");
    r = accept(&bob, bob_conn_pem, tok);
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    CU_ASSERT(cJSON_IsFalse(t_get(r.json, "connection_existed_already")));
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "connection.own.user_id"),
                           bob.vault_user_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "connection.the_other_user.user_id"),
                           alice.vault_user_id);
    CU_ASSERT_STRING_EQUAL(
        t_str(r.json, "connection.the_other_user.user_public_key"),
        alice_conn_pem);
    snprintf(bob_conn, sizeof(bob_conn), "%s",
             t_str(r.json, "connection.own.id"));
    snprintf(alice_conn, sizeof(alice_conn), "%s",
             t_str(r.json, "connection.the_other_user.id"));
    t_resp_free(&r);
    /* the token is spent */
    expect(accept(&eve, bob_conn_pem, tok), 404, "invitation_not_found");
    /* alice's side mirrors bob's (the SDK pairs them by public key) */
    r = t_request("GET", "/vault/connections", alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "connections"), 1);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "connections.0.own.id"), alice_conn);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "connections.0.own.user_public_key"),
                           alice_conn_pem);
    CU_ASSERT_STRING_EQUAL(
        t_str(r.json, "connections.0.the_other_user.user_public_key"),
        bob_conn_pem);
    CU_ASSERT_PTR_NOT_NULL(t_get(r.json, "meta"));
    t_resp_free(&r);
    r = t_request("GET", "/vault/invitations", alice.vault_token, NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "invitations.0.state"), "accepted");
    t_resp_free(&r);
    expect(t_request("POST", "/vault/connections", bob.vault_token,
                     "{\"connection\":{\"invitation_token\":\"x\"}}"),
           400, "missing_parameter");
    expect(t_request("POST", "/vault/invitations", alice.vault_token,
                     "{\"public_key\":{\"keypair_external_id\":\"k\","
                     "\"public_key\":\"nope\"}}"),
           422, "invalid_public_key");
    expect(t_request("POST", "/vault/invitations", alice.vault_token,
                     "{\"public_key\":\"flat\"}"),
           400, "invalid_parameter");
    free(tok);
    free(own_tok);
}

static cJSON *share_body(const char *recipient, const char *value_ct,
                         const char *terms)
{
    cJSON *b = cJSON_CreateObject(), *arr, *s, *vals, *v;
    uint8_t dek[32] = {1, 2, 3};
    char *enc = NULL;

    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(bob_conn_key, dek, 32, &enc), CRYPPO_OK);
    arr = cJSON_AddArrayToObject(b, "shares");
    s = cJSON_CreateObject();
    cJSON_AddItemToArray(arr, s);
    cJSON_AddStringToObject(s, "recipient_id", recipient);
    cJSON_AddStringToObject(s, "public_key", bob_conn_pem);
    cJSON_AddStringToObject(s, "keypair_external_id", "kp-invitee");
    cJSON_AddStringToObject(s, "encrypted_dek", enc);
    if (terms)
        cJSON_AddStringToObject(s, "terms", terms);
    vals = cJSON_AddArrayToObject(s, "slot_values");
    v = cJSON_CreateObject();
    cJSON_AddItemToArray(vals, v);
    cJSON_AddStringToObject(v, "slot_id", slot_id);
    cJSON_AddStringToObject(v, "encrypted_value", value_ct);
    cJSON_AddStringToObject(v, "encrypted_value_verification_key", value_ct);
    cJSON_AddStringToObject(v, "value_verification_hash",
                            "16c21eff7755714c39971469160558288ff48b7cca15ea28"
                            "7e60aab9796d2a4c");
    free(enc);
    return b;
}

static void test_share_creates_copy(void)
{
    char path[256], *ct = t_cryppo_string(11);
    t_resp r;
    secbuf dek = {NULL, 0};

    snprintf(path, sizeof(path), "/vault/items/%s", item_id);
    r = t_request("GET", path, alice.vault_token, NULL);
    slot_id = strdup(t_str(r.json, "item.slot_ids.0"));
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    r = t_request_json("POST", path, alice.vault_token,
                       share_body(bob.vault_user_id, ct, NULL));
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.item_id"), item_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.sender_id"),
                           alice.vault_user_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.owner_id"),
                           alice.vault_user_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.acceptance_required"),
                           "acceptance_not_required");
    CU_ASSERT(cJSON_IsFalse(t_get(r.json, "shares.0.onsharing_permitted")));
    CU_ASSERT_PTR_NULL(t_get(r.json, "shares.0._copy_item_id"));
    snprintf(share_id, sizeof(share_id), "%s", t_str(r.json, "shares.0.id"));
    t_resp_free(&r);
    /* bob's copy */
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s/item", share_id);
    r = t_request("GET", path, bob.vault_token, NULL);
    CU_ASSERT_EQUAL_FATAL(r.status, 200);
    CU_ASSERT(cJSON_IsFalse(t_get(r.json, "item.own")));
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.original_id"), item_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.share_id"), share_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "item.owner_id"), alice.vault_user_id);
    CU_ASSERT_STRING_NOT_EQUAL(t_str(r.json, "item.id"), item_id);
    CU_ASSERT_EQUAL(array_size(r.json, "slots"), 1);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.0.encrypted_value"), ct);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.0.original_id"), slot_id);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.0.share_id"), share_id);
    CU_ASSERT(cJSON_IsFalse(t_get(r.json, "slots.0.own")));
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "slots.0.value_verification_hash"));
    CU_ASSERT(cJSON_IsNull(t_get(r.json, "item_shared_via_another_share_id")));
    /* bob can unwrap the share DEK with his connection key */
    CU_ASSERT_EQUAL(cryppo_rsa_decrypt(bob_conn_key,
                                       t_str(r.json, "share.encrypted_dek"),
                                       &dek),
                    CRYPPO_OK);
    CU_ASSERT_EQUAL(dek.len, 32);
    secbuf_free(&dek);
    snprintf(copy_id, sizeof(copy_id), "%s", t_str(r.json, "item.id"));
    t_resp_free(&r);
    /* the copy is in bob's item list, and only with own!=true */
    r = t_request("GET", "/vault/items", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 1);
    t_resp_free(&r);
    r = t_request("GET", "/vault/items?own=true", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 0);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items?shared_with=%s",
             bob.vault_user_id);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 1);
    t_resp_free(&r);
    free(ct);
}

static void test_share_lists(void)
{
    char path[256];
    t_resp r =
        t_request("GET", "/vault/incoming_shares", bob.vault_token, NULL);

    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 1);
    t_resp_free(&r);
    r = t_request("GET", "/vault/outgoing_shares", alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 1);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/outgoing_shares?item_ids=%s", item_id);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 1);
    t_resp_free(&r);
    r = t_request("GET", "/vault/outgoing_shares?item_ids=other",
                  alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 0);
    t_resp_free(&r);
    r = t_request("GET", "/vault/outgoing_shares", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 0);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.id"), share_id);
    CU_ASSERT_PTR_NOT_NULL(t_str(r.json, "shares.0.public_key"));
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s", share_id);
    expect(t_request("GET", path, bob.vault_token, NULL), 200, NULL);
    snprintf(path, sizeof(path), "/vault/outgoing_shares/%s", share_id);
    expect(t_request("GET", path, alice.vault_token, NULL), 200, NULL);
}

static void test_share_rules(void)
{
    char path[256], *ct = t_cryppo_string(3);
    cJSON *b;

    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    /* only to connections */
    expect(t_request_json("POST", path, alice.vault_token,
                          share_body(eve.vault_user_id, ct, NULL)),
           403, "not_connected");
    /* the copy is read-only and cannot be shared on */
    snprintf(path, sizeof(path), "/vault/items/%s", copy_id);
    expect(t_request("PUT", path, bob.vault_token,
                     "{\"item\":{\"label\":\"mine now\"}}"),
           403, "forbidden");
    snprintf(path, sizeof(path), "/vault/items/%s/shares", copy_id);
    b = share_body(alice.vault_user_id, ct, NULL);
    cJSON_DeleteItemFromObject(
        cJSON_GetArrayItem(cJSON_GetObjectItem(b, "shares"), 0), "slot_values");
    expect(t_request_json("POST", path, bob.vault_token, b), 403,
           "onsharing_not_permitted");
    /* malformed */
    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    expect(t_request("POST", path, alice.vault_token, "{\"shares\":[{}]}"), 400,
           "missing_parameter");
    b = share_body(bob.vault_user_id, "not cryppo", NULL);
    expect(t_request_json("POST", path, alice.vault_token, b), 422,
           "invalid_cryppo_format");
    b = share_body(bob.vault_user_id, ct, NULL);
    cJSON_ReplaceItemInObject(
        cJSON_GetArrayItem(
            cJSON_GetObjectItem(
                cJSON_GetArrayItem(cJSON_GetObjectItem(b, "shares"), 0),
                "slot_values"),
            0),
        "slot_id", cJSON_CreateString("not-a-slot-of-this-item"));
    expect(t_request_json("POST", path, alice.vault_token, b), 422,
           "validation_error");
    free(ct);
}

static void test_terms_and_accept(void)
{
    char path[256], *ct = t_cryppo_string(3), sid[64];
    t_resp r;

    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    r = t_request_json("POST", path, alice.vault_token,
                       share_body(bob.vault_user_id, ct, "be nice"));
    CU_ASSERT_EQUAL_FATAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.acceptance_required"),
                           "acceptance_required");
    snprintf(sid, sizeof(sid), "%s", t_str(r.json, "shares.0.id"));
    t_resp_free(&r);
    r = t_request("GET",
                  "/vault/incoming_shares?acceptance_required="
                  "acceptance_required",
                  bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "shares"), 1);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s/accept", sid);
    expect(t_request("PUT", path, alice.vault_token, NULL), 404, NULL);
    r = t_request("PUT", path, bob.vault_token, NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "share.acceptance_required"),
                           "accepted");
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/outgoing_shares/%s", sid);
    r = t_request("GET", path, alice.vault_token, NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "share.acceptance_required"),
                           "accepted");
    t_resp_free(&r);
    /* the recipient removes it: the copy goes too */
    snprintf(path, sizeof(path), "/vault/shares/%s", sid);
    expect(t_request("DELETE", path, bob.vault_token, NULL), 204, NULL);
    expect(t_request("DELETE", path, alice.vault_token, NULL), 404, NULL);
    r = t_request("GET", "/vault/items", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 1);
    t_resp_free(&r);
    free(ct);
}

static void test_owner_update_flow(void)
{
    char path[256], body[2048], task[64];
    char *ct = t_cryppo_string(7), *ct2 = t_cryppo_string(8), *dek = NULL;
    uint8_t k[32] = {9};
    t_resp r;

    snprintf(path, sizeof(path), "/vault/items/%s", item_id);
    snprintf(body, sizeof(body),
             "{\"item\":{\"slots_attributes\":[{\"id\":\"%s\","
             "\"encrypted_value\":\"%s\"}]}}",
             slot_id, ct);
    expect(t_request("PUT", path, alice.vault_token, body), 200, NULL);
    r = t_request("GET", "/vault/client_task_queue?state=todo&state=failed",
                  alice.vault_token, NULL);
    CU_ASSERT_EQUAL_FATAL(array_size(r.json, "client_tasks"), 1);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "client_tasks.0.work_type"),
                           "update_item_shares");
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "client_tasks.0.target_id"), item_id);
    snprintf(task, sizeof(task), "%s", t_str(r.json, "client_tasks.0.id"));
    t_resp_free(&r);
    r = t_request("GET", "/vault/client_task_queue", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "client_tasks"), 0);
    t_resp_free(&r);
    /* the owner re-encrypts for the share */
    CU_ASSERT_EQUAL(cryppo_rsa_encrypt(bob_conn_key, k, 32, &dek), CRYPPO_OK);
    snprintf(path, sizeof(path), "/vault/items/%s/shares", item_id);
    snprintf(body, sizeof(body),
             "{\"share_deks\":[{\"share_id\":\"%s\",\"dek\":\"%s\"}],"
             "\"slot_values\":[{\"share_id\":\"%s\",\"slot_id\":\"%s\","
             "\"encrypted_value\":\"%s\"}],\"client_tasks\":[]}",
             share_id, dek, share_id, slot_id, ct2);
    r = t_request("PUT", path, alice.vault_token, body);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "shares.0.encrypted_dek"), dek);
    t_resp_free(&r);
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s/item", share_id);
    r = t_request("GET", path, bob.vault_token, NULL);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "slots.0.encrypted_value"), ct2);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "share.encrypted_dek"), dek);
    t_resp_free(&r);
    snprintf(body, sizeof(body),
             "{\"client_tasks\":[{\"id\":\"%s\",\"state\":\"done\"}]}", task);
    expect(t_request("PUT", "/vault/client_task_queue", bob.vault_token, body),
           404, NULL);
    r = t_request("PUT", "/vault/client_task_queue", alice.vault_token, body);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(t_str(r.json, "client_tasks.0.state"), "done");
    t_resp_free(&r);
    expect(t_request("PUT", "/vault/client_task_queue", alice.vault_token,
                     "{\"client_tasks\":[{\"id\":\"x\",\"state\":\"odd\"}]}"),
           422, "validation_error");
    r = t_request("GET", "/vault/client_task_queue?state=todo",
                  alice.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "client_tasks"), 0);
    t_resp_free(&r);
    free(ct);
    free(ct2);
    free(dek);
}

/* eve (not connected) against every share/connection route. */
static void test_cross_user(void)
{
    char p[256];
    const char *tok = eve.vault_token;

    snprintf(p, sizeof(p), "/vault/incoming_shares/%s", share_id);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/incoming_shares/%s/item", share_id);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/incoming_shares/%s/accept", share_id);
    expect(t_request("PUT", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/outgoing_shares/%s", share_id);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/shares/%s", share_id);
    expect(t_request("DELETE", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/items/%s/shares", item_id);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    expect(t_request("POST", p, tok, "{\"shares\":[]}"), 404, NULL);
    snprintf(p, sizeof(p), "/vault/items/%s", copy_id);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    snprintf(p, sizeof(p), "/vault/connections/%s", alice_conn);
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    expect(t_request("DELETE", p, tok, NULL), 404, NULL);
    {
        t_resp r =
            t_request("GET", "/vault/invitations", alice.vault_token, NULL);
        snprintf(p, sizeof(p), "/vault/invitations/%s",
                 t_str(r.json, "invitations.0.id"));
        t_resp_free(&r);
    }
    expect(t_request("GET", p, tok, NULL), 404, NULL);
    expect(t_request("DELETE", p, tok, NULL), 404, NULL);
    expect(t_request("GET", p, alice.vault_token, NULL), 200, NULL);
    /* alice can withdraw an invitation of hers */
    {
        char *itok = invite(&alice, alice_conn_pem);
        t_resp r =
            t_request("GET", "/vault/invitations", alice.vault_token, NULL);
        const cJSON *last = cJSON_GetArrayItem(
            t_get(r.json, "invitations"),
            cJSON_GetArraySize(t_get(r.json, "invitations")) - 1);

        CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(last, "token")));
        snprintf(p, sizeof(p), "/vault/invitations/%s", t_str(last, "id"));
        t_resp_free(&r);
        expect(t_request("DELETE", p, alice.vault_token, NULL), 204, NULL);
        expect(t_request("GET", p, alice.vault_token, NULL), 404, NULL);
        expect(accept(&eve, bob_conn_pem, itok), 404, "invitation_not_found");
        free(itok);
    }
    /* eve's lists are empty */
    {
        t_resp r = t_request("GET", "/vault/incoming_shares", tok, NULL);
        CU_ASSERT_EQUAL(array_size(r.json, "shares"), 0);
        t_resp_free(&r);
        r = t_request("GET", "/vault/connections", tok, NULL);
        CU_ASSERT_EQUAL(array_size(r.json, "connections"), 0);
        t_resp_free(&r);
    }
    /* and bob still has his share */
    snprintf(p, sizeof(p), "/vault/incoming_shares/%s/item", share_id);
    expect(t_request("GET", p, bob.vault_token, NULL), 200, NULL);
}

static void test_item_delete_cascades(void)
{
    char path[256];
    t_resp r;

    snprintf(path, sizeof(path), "/vault/items/%s", item_id);
    expect(t_request("DELETE", path, alice.vault_token, NULL), 204, NULL);
    snprintf(path, sizeof(path), "/vault/incoming_shares/%s", share_id);
    expect(t_request("GET", path, bob.vault_token, NULL), 404, NULL);
    r = t_request("GET", "/vault/items", bob.vault_token, NULL);
    CU_ASSERT_EQUAL(array_size(r.json, "items"), 0);
    t_resp_free(&r);
    /* deleting the connection removes both sides */
    snprintf(path, sizeof(path), "/vault/connections/%s", bob_conn);
    expect(t_request("DELETE", path, bob.vault_token, NULL), 204, NULL);
    snprintf(path, sizeof(path), "/vault/connections/%s", alice_conn);
    expect(t_request("GET", path, alice.vault_token, NULL), 404, NULL);
}

int main(void)
{
    CU_pSuite s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite("server_share", suite_init, suite_clean);
    CU_add_test(s, "invitation and connection", test_connect);
    CU_add_test(s, "share creates the recipient's copy",
                test_share_creates_copy);
    CU_add_test(s, "incoming and outgoing lists", test_share_lists);
    CU_add_test(s, "share rules and malformed", test_share_rules);
    CU_add_test(s, "terms, accept, recipient delete", test_terms_and_accept);
    CU_add_test(s, "owner update via client task", test_owner_update_flow);
    CU_add_test(s, "cross-user refused", test_cross_user);
    CU_add_test(s, "item delete cascades", test_item_delete_cascades);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
