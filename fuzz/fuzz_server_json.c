/* fuzz/fuzz_server_json.c - libFuzzer target for meeco-server's request
 * body handling: every route that parses a JSON body is driven directly
 * (no HTTP) against an in-memory database.
 *
 * Input: byte 0 picks the route, the rest is the request body.  Bodies
 * that are not JSON objects are dropped, as http.c answers them with 400
 * before any handler runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "ctx.h"
#include "db.h"
#include "http.h"
#include "records.h"
#include "vault_items.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_USER "fuzz-user"

static struct srv_ctx ctx;
static srv_dbc *dbc;
static char item_path[128], item_shares_path[128];

static const struct {
    srv_service service;
    const char *method;
    const char *path;
} targets[] = {
    {SRV_KEYSTORE, "POST", "/srp/users"},
    {SRV_KEYSTORE, "POST", "/srp/challenges"},
    {SRV_KEYSTORE, "POST", "/srp/session"},
    {SRV_KEYSTORE, "POST", "/key_encryption_key"},
    {SRV_KEYSTORE, "POST", "/data_encryption_keys"},
    {SRV_KEYSTORE, "POST", "/keypairs"},
    {SRV_KEYSTORE, "POST", "/passphrase_derivation_artefact"},
    {SRV_VAULT, "POST", "/me"},
    {SRV_VAULT, "PUT", "/me"},
    {SRV_VAULT, "POST", "/session"},
    {SRV_VAULT, "POST", "/items"},
    {SRV_VAULT, "PUT", item_path},
    {SRV_VAULT, "POST", "/item_templates"},
    {SRV_VAULT, "POST", "/classification_nodes"},
    {SRV_VAULT, "POST", "/invitations"},
    {SRV_VAULT, "POST", "/connections"},
    {SRV_VAULT, "POST", item_shares_path},
    {SRV_VAULT, "PUT", item_shares_path},
    {SRV_VAULT, "PUT", "/client_task_queue"},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    cJSON *item;

    (void)argc;
    (void)argv;
    srv_config_defaults(&ctx.cfg);
    if (srv_db_open(":memory:", 1, &ctx.db) != SRV_DB_OK)
        abort();
    dbc = srv_db_acquire(ctx.db);
    if (srv_templates_seed(dbc) != SRV_DB_OK)
        abort();
    item = srv_item_new(FUZZ_USER, "Fuzzed", "fuzzed");
    if (srv_rec_insert(dbc, "item", FUZZ_USER, NULL, NULL, item) != SRV_DB_OK)
        abort();
    snprintf(item_path, sizeof(item_path), "/items/%s", srv_str(item, "id"));
    snprintf(item_shares_path, sizeof(item_shares_path), "/items/%s/shares",
             srv_str(item, "id"));
    cJSON_Delete(item);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char hash[] = "00000000000000000000000000000000"
                               "00000000000000000000000000000000";
    const srv_route *r;
    srv_req rq;
    srv_resp rs = {500, NULL};
    char buf[256];
    int known = 0;
    size_t t;

    if (size < 1)
        return 0;
    t = data[0] % (sizeof(targets) / sizeof(targets[0]));
    memset(&rq, 0, sizeof(rq));
    rq.body = cJSON_ParseWithLength((const char *)data + 1, size - 1);
    if (!cJSON_IsObject(rq.body)) {
        cJSON_Delete(rq.body);
        return 0;
    }
    r = srv_route_find(targets[t].service, targets[t].method, targets[t].path,
                       rq.params, buf, sizeof(buf), &known);
    if (!r)
        abort();
    rq.srv = &ctx;
    rq.method = targets[t].method;
    rq.user_id = FUZZ_USER;
    rq.token_hash = hash;
    rq.db = dbc;
    r->fn(&rq, &rs);
    if (rs.status < 200 || rs.status > 599)
        abort();
    cJSON_Delete(rs.json);
    cJSON_Delete(rq.body);
    return 0;
}
