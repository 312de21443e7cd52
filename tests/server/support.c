/* tests/server/support.c - in-process server, libcurl client, sign-up. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include "cryppo.h"
#include "server.h"
#include "srp.h"

#ifndef SERVER_FIXTURES
#define SERVER_FIXTURES "tests/fixtures"
#endif

static srv_server *server;
static char db_dir[256];
static char base_override[256];
static char cainfo[512];
static const char *const *default_headers;
static t_recorder recorder;

void t_set_recorder(t_recorder fn)
{
    recorder = fn;
}

void t_set_target(const char *base, const char *ca, const char *const *headers)
{
    snprintf(base_override, sizeof(base_override), "%s", base ? base : "");
    snprintf(cainfo, sizeof(cainfo), "%s", ca ? ca : "");
    default_headers = headers;
}

void t_server_start(void (*tweak)(srv_config *cfg))
{
    srv_config cfg;
    char err[256];

    snprintf(db_dir, sizeof(db_dir), "/tmp/meeco-server-test-XXXXXX");
    if (!mkdtemp(db_dir))
        abort();
    srv_config_defaults(&cfg);
    cfg.port = 0;
    snprintf(cfg.db_path, sizeof(cfg.db_path), "%s/test.db", db_dir);
    snprintf(cfg.access_log, sizeof(cfg.access_log), "%s/access.log", db_dir);
    cfg.threads = 2;
    if (tweak)
        tweak(&cfg);
    if (srv_server_start(&cfg, &server, err, sizeof(err)) != 0) {
        fprintf(stderr, "server start: %s\n", err);
        abort();
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void t_server_stop(void)
{
    char cmd[300];

    srv_server_stop(server);
    server = NULL;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", db_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", db_dir);
    curl_global_cleanup();
}

unsigned t_port(void)
{
    return srv_server_port(server);
}

struct buf {
    char *p;
    size_t n;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct buf *b = ctx;
    size_t len = size * nmemb;
    char *p = realloc(b->p, b->n + len + 1);

    if (!p)
        return 0;
    memcpy(p + b->n, data, len);
    b->p = p;
    b->n += len;
    b->p[b->n] = '\0';
    return len;
}

t_resp t_request_h(const char *method, const char *path, const char *auth,
                   const char *body, const char *const *headers)
{
    t_resp r = {0, NULL, NULL};
    struct buf b = {NULL, 0};
    struct curl_slist *hl = NULL;
    char url[1024], line[2048];
    CURL *c = curl_easy_init();

    if (base_override[0])
        snprintf(url, sizeof(url), "%s%s", base_override, path);
    else
        snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", t_port(), path);
    if (cainfo[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, cainfo);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        hl = curl_slist_append(hl, "Content-Type: application/json");
    }
    if (auth) {
        snprintf(line, sizeof(line), "Authorization: %s", auth);
        hl = curl_slist_append(hl, line);
    }
    for (size_t i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    for (size_t i = 0; default_headers && default_headers[i]; i++)
        hl = curl_slist_append(hl, default_headers[i]);
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    r.text = b.p;
    if (b.p)
        r.json = cJSON_Parse(b.p);
    if (recorder)
        recorder(method, path, r.status, r.json);
    return r;
}

t_resp t_request(const char *method, const char *path, const char *auth,
                 const char *body)
{
    return t_request_h(method, path, auth, body, NULL);
}

t_resp t_request_json(const char *method, const char *path, const char *auth,
                      cJSON *body)
{
    char *text = cJSON_PrintUnformatted(body);
    t_resp r = t_request(method, path, auth, text);

    free(text);
    cJSON_Delete(body);
    return r;
}

void t_resp_free(t_resp *r)
{
    cJSON_Delete(r->json);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

const cJSON *t_get(const cJSON *j, const char *path)
{
    char buf[256], *save = NULL, *tok;

    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && j;
         tok = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(j))
            j = cJSON_GetArrayItem(j, atoi(tok));
        else
            j = cJSON_GetObjectItemCaseSensitive(j, tok);
    }
    return j;
}

const char *t_str(const cJSON *j, const char *path)
{
    const cJSON *v = t_get(j, path);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *t_error_code(const t_resp *r)
{
    const char *e = t_str(r->json, "errors.0.error");

    return e ? e : "";
}

EVP_PKEY *t_fixture_key(int n)
{
    char path[512], pem[8192];
    EVP_PKEY *k = NULL;
    size_t len;
    FILE *f;

    snprintf(path, sizeof(path), "%s/server-rsa-%d.pem", SERVER_FIXTURES, n);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    len = fread(pem, 1, sizeof(pem) - 1, f);
    fclose(f);
    pem[len] = '\0';
    if (cryppo_rsa_private_from_pem(pem, len, &k) != CRYPPO_OK)
        k = NULL;
    return k;
}

char *t_public_pem(EVP_PKEY *key)
{
    char *pem = NULL;

    if (cryppo_rsa_public_to_pem(key, &pem) != CRYPPO_OK)
        return NULL;
    return pem;
}

char *t_cryppo_string(size_t len)
{
    uint8_t key[32], data[256];
    char *out = NULL;

    if (len > sizeof(data) || cryppo_random(key, sizeof(key)) ||
        cryppo_random(data, len) ||
        cryppo_aes_encrypt(key, data, len, &out) != CRYPPO_OK)
        return NULL;
    return out;
}

static cJSON *obj_str(const char *k1, const char *v1, const char *k2,
                      const char *v2)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, k1, v1);
    if (k2)
        cJSON_AddStringToObject(o, k2, v2);
    return o;
}

int t_keystore_login(t_user *u, const char *password)
{
    srp_client *c = NULL;
    t_resp r;
    cJSON *b;
    int rc = -1;

    if (srp_client_new(u->username, (const uint8_t *)password, strlen(password),
                       NULL, &c) != SRP_OK)
        return -1;
    r = t_request_json(
        "POST", "/keystore/srp/challenges", NULL,
        obj_str("username", u->username, "srp_a", srp_client_public_hex(c)));
    if (r.status != 200 ||
        srp_client_set_challenge(c, t_str(r.json, "challenge.challenge_salt"),
                                 t_str(r.json, "challenge.challenge_b")) !=
            SRP_OK)
        goto out;
    t_resp_free(&r);
    b = obj_str("username", u->username, "srp_a", srp_client_public_hex(c));
    cJSON_AddStringToObject(b, "srp_m", srp_client_proof_hex(c));
    r = t_request_json("POST", "/keystore/srp/session", NULL, b);
    if (r.status == 200 &&
        t_str(r.json, "session.session_authentication_string")) {
        snprintf(u->ks_token, sizeof(u->ks_token), "%s",
                 t_str(r.json, "session.session_authentication_string"));
        rc = 0;
    }
out:
    t_resp_free(&r);
    srp_client_free(c);
    return rc;
}

int t_keystore_signup(t_user *u, const char *username, const char *password)
{
    char *salt = NULL, *verifier = NULL;
    t_resp r;
    cJSON *b;
    int ok;

    snprintf(u->username, sizeof(u->username), "%s", username);
    snprintf(u->password, sizeof(u->password), "%s", password);
    if (srp_verifier_create(username, (const uint8_t *)password,
                            strlen(password), NULL, &salt, &verifier) != SRP_OK)
        return -1;
    b = obj_str("username", username, "srp_salt", salt);
    cJSON_AddStringToObject(b, "srp_verifier", verifier);
    r = t_request_json("POST", "/keystore/srp/users", NULL, b);
    ok = r.status == 201;
    t_resp_free(&r);
    free(salt);
    free(verifier);
    return ok ? t_keystore_login(u, password) : -1;
}

static int decrypt_token(t_user *u, const char *enc)
{
    secbuf pt = {NULL, 0};

    if (!enc || cryppo_rsa_decrypt(u->key, enc, &pt) != CRYPPO_OK ||
        pt.len >= sizeof(u->vault_token)) {
        secbuf_free(&pt);
        return -1;
    }
    memcpy(u->vault_token, pt.p, pt.len);
    u->vault_token[pt.len] = '\0';
    secbuf_free(&pt);
    return 0;
}

int t_vault_login(t_user *u)
{
    t_resp r = t_request_json("POST", "/vault/session", NULL,
                              obj_str("public_key", u->public_pem, NULL, NULL));
    int rc = r.status == 201
                 ? decrypt_token(u, t_str(r.json, "session."
                                                  "encrypted_session_"
                                                  "authentication_string"))
                 : -1;

    t_resp_free(&r);
    return rc;
}

/* Keystore keys + vault account (steps 4-9 of the SDK's create). */
static int create_keys(t_user *u)
{
    char *kek = t_cryppo_string(32), *dek = t_cryppo_string(32);
    char *priv = t_cryppo_string(200), *adm = NULL;
    cJSON *b;
    t_resp r;
    int rc = -1;

    r = t_request("GET", "/keystore/external_admission_tokens", u->ks_token,
                  NULL);
    if (r.status != 200)
        goto out;
    adm = strdup(
        t_str(r.json, "external_admission_token.vault_api_admission_token"));
    t_resp_free(&r);
    r = t_request_json(
        "POST", "/keystore/key_encryption_key", u->ks_token,
        obj_str("serialized_key_encryption_key", kek, NULL, NULL));
    if (r.status != 201)
        goto out;
    t_resp_free(&r);
    b = obj_str("public_key", u->public_pem, "encrypted_serialized_key", priv);
    cJSON_AddItemToObject(b, "external_identifiers",
                          cJSON_CreateStringArray((const char *[]){"auth"}, 1));
    r = t_request_json("POST", "/keystore/keypairs", u->ks_token, b);
    if (r.status != 201)
        goto out;
    snprintf(u->keypair_id, sizeof(u->keypair_id), "%s",
             t_str(r.json, "keypair.id"));
    t_resp_free(&r);
    r = t_request_json(
        "POST", "/vault/me", NULL,
        obj_str("public_key", u->public_pem, "admission_token", adm));
    if (r.status != 201 ||
        decrypt_token(u,
                      t_str(r.json, "encrypted_session_authentication_string")))
        goto out;
    snprintf(u->vault_user_id, sizeof(u->vault_user_id), "%s",
             t_str(r.json, "user.id"));
    t_resp_free(&r);
    r = t_request_json(
        "POST", "/keystore/data_encryption_keys", u->ks_token,
        obj_str("serialized_data_encryption_key", dek, NULL, NULL));
    if (r.status != 201)
        goto out;
    snprintf(u->dek_id, sizeof(u->dek_id), "%s",
             t_str(r.json, "data_encryption_key.id"));
    t_resp_free(&r);
    b = cJSON_CreateObject();
    cJSON_AddItemToObject(
        b, "user", obj_str("private_dek_external_id", u->dek_id, NULL, NULL));
    r = t_request_json("PUT", "/vault/me", u->vault_token, b);
    rc = r.status == 200 ? 0 : -1;
out:
    t_resp_free(&r);
    free(kek);
    free(dek);
    free(priv);
    free(adm);
    return rc;
}

int t_user_create(t_user *u, const char *username, int key_n)
{
    memset(u, 0, sizeof(*u));
    u->key = t_fixture_key(key_n);
    u->public_pem = u->key ? t_public_pem(u->key) : NULL;
    if (!u->public_pem)
        return -1;
    if (t_keystore_signup(u, username, "correct horse battery") != 0)
        return -1;
    return create_keys(u);
}

void t_user_free(t_user *u)
{
    EVP_PKEY_free(u->key);
    free(u->public_pem);
    memset(u, 0, sizeof(*u));
}

char *t_item_create(const t_user *u, const char *label)
{
    char *ev = t_cryppo_string(12), *id = NULL;
    cJSON *b = cJSON_CreateObject(), *item, *slots, *s;
    t_resp r;

    item = cJSON_AddObjectToObject(b, "item");
    cJSON_AddStringToObject(item, "label", label);
    slots = cJSON_AddArrayToObject(item, "slots_attributes");
    s = obj_str("name", "note", "slot_type_name", "key_value");
    cJSON_AddStringToObject(s, "encrypted_value", ev);
    cJSON_AddItemToArray(slots, s);
    r = t_request_json("POST", "/vault/items", u->vault_token, b);
    if (r.status == 201 && t_str(r.json, "item.id"))
        id = strdup(t_str(r.json, "item.id"));
    t_resp_free(&r);
    free(ev);
    return id;
}

void t_expect_401_all(const char *const routes[][2], size_t n,
                      const char *wrong_token)
{
    for (size_t i = 0; i < n; i++) {
        t_resp r = t_request(routes[i][0], routes[i][1], NULL, "{}");
        CU_ASSERT_EQUAL(r.status, 401);
        if (r.status != 401)
            fprintf(stderr, "\n  %s %s -> %ld\n", routes[i][0], routes[i][1],
                    r.status);
        t_resp_free(&r);
        r = t_request(routes[i][0], routes[i][1], wrong_token, "{}");
        CU_ASSERT_EQUAL(r.status, 401);
        t_resp_free(&r);
    }
}
