/* server/keystore_srp_routes.c - Keystore registration and login with the
 * jsrp SRP variant (meeco-protocol.md 3.3, 3.4), and keystore sessions.
 *
 *   POST /srp/username        a fresh username suggestion
 *   POST /srp/users           {username, srp_salt, srp_verifier}
 *   POST /srp/challenges      {username, srp_a} -> b kept server-side
 *   POST /srp/session         {username, srp_a, srp_m} -> token or 401
 *   GET|DELETE /session       validity / logout
 *
 * The per-login secret b is stored (hex, 5 minutes, single use) keyed by
 * SHA-256(username "\n" A).  Unknown usernames get a challenge with a
 * salt derived from the name, so that usernames cannot be probed.
 */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "hex.h"
#include "records.h"
#include "secbuf.h"
#include "srp.h"
#include "util.h"
#include "validate.h"

#define CHALLENGE_TTL_MS (5 * 60 * 1000)
#define MAX_USERNAME     128

static int username_ok(const char *u)
{
    size_t n = strlen(u);

    if (n == 0 || n > MAX_USERNAME)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (u[i] == '.' || isspace((unsigned char)u[i]) ||
            iscntrl((unsigned char)u[i]))
            return 0;
    return 1;
}

/* The pair must be usable for a login later (computes B once). */
static int verifier_usable(const char *username, const char *salt,
                           const char *verifier)
{
    srp_server *srv = NULL;
    int ok = srp_server_new(username, salt, verifier, NULL, &srv) == SRP_OK;

    srp_server_free(srv);
    return ok;
}

static void srp_username(srv_req *rq, srv_resp *rs)
{
    char name[21], exp[SRV_TIME_LEN + 1];
    cJSON *o;

    (void)rq;
    if (srv_token_new(name, 20) != 0) {
        srv_resp_error(rs, 500, "internal_error", "no randomness");
        return;
    }
    srv_time_iso(srv_now_ms() + 3600 * 1000, exp);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "username", name);
    cJSON_AddStringToObject(o, "expires_at", exp);
    srv_resp_json(rs, 200, o);
}

static void srp_users_create(srv_req *rq, srv_resp *rs)
{
    const char *username, *salt, *verifier;
    cJSON *user, *out;
    srv_db_status st;

    if (srv_body_required(rq, rs) ||
        srv_json_string(rq->body, "username", SRV_REQUIRED, MAX_USERNAME,
                        &username, rs) ||
        srv_json_hex(rq->body, "srp_salt", SRV_REQUIRED, 0, &salt, rs) ||
        srv_json_hex(rq->body, "srp_verifier", SRV_REQUIRED, 512, &verifier,
                     rs))
        return;
    if (!username_ok(username) || strlen(salt) > 256 || strlen(salt) % 2 != 0 ||
        !verifier_usable(username, salt, verifier)) {
        srv_resp_error(rs, 422, "validation_error",
                       "invalid username, salt or verifier");
        return;
    }
    user = cJSON_CreateObject();
    srv_set_new_id(user);
    cJSON_AddStringToObject(user, "username", username);
    cJSON_AddStringToObject(user, "srp_salt", salt);
    cJSON_AddStringToObject(user, "srp_verifier", verifier);
    srv_set_now(user, "created_at");
    st = srv_rec_insert(rq->db, "ks_user", srv_str(user, "id"), NULL, username,
                        user);
    if (st == SRV_DB_CONFLICT) {
        srv_resp_error(rs, 400, "username_taken",
                       "this username is already registered");
    } else if (st != SRV_DB_OK) {
        srv_resp_db_error(rs, st, "user");
    } else {
        out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "id", srv_str(user, "id"));
        cJSON_AddStringToObject(out, "username", username);
        srv_resp_json(rs, 201, srv_wrap("user", out));
    }
    cJSON_Delete(user);
}

static void challenge_key(const char *username, const char *a_hex,
                          char key[SRV_SHA256_HEX + 1])
{
    size_t ul = strlen(username), al = strlen(a_hex);
    char *buf = malloc(ul + al + 2);

    if (!buf) {
        key[0] = '\0';
        return;
    }
    memcpy(buf, username, ul);
    buf[ul] = '\n';
    for (size_t i = 0; i < al; i++)
        buf[ul + 1 + i] = (char)tolower((unsigned char)a_hex[i]);
    srv_sha256_hex(buf, ul + al + 1, key);
    free(buf);
}

static int hex_bytes(const char *hex, uint8_t *out, size_t n)
{
    return srv_is_hex(hex, 2 * n) ? hex_decode(hex, out, n) : -1;
}

/* The stored salt and verifier, or a fake pair for unknown users. */
static int load_verifier(srv_req *rq, const char *username, char **user_id,
                         char **salt, char **verifier)
{
    srv_db_status st;
    cJSON *u = srv_rec_find(rq->db, "ks_user", NULL, username, NULL, &st);
    char fake[SRV_SHA256_HEX + 1], buf[160];

    if (u) {
        *user_id = strdup(srv_str(u, "id"));
        *salt = strdup(srv_str(u, "srp_salt"));
        *verifier = strdup(srv_str(u, "srp_verifier"));
        cJSON_Delete(u);
        return (*user_id && *salt && *verifier) ? 0 : -1;
    }
    if (st != SRV_DB_NOT_FOUND)
        return -1;
    snprintf(buf, sizeof(buf), "meeco-server unknown user salt\n%s", username);
    srv_sha256_hex(buf, strlen(buf), fake);
    *user_id = strdup("");
    *salt = strdup(fake);
    *verifier = malloc(513);
    if (*verifier) {
        memset(*verifier, '0', 511);
        (*verifier)[511] = '1';
        (*verifier)[512] = '\0';
    }
    return (*user_id && *salt && *verifier) ? 0 : -1;
}

static void send_challenge(srv_req *rq, srv_resp *rs, const char *username,
                           const char *a_hex)
{
    char *user_id = NULL, *salt = NULL, *verifier = NULL;
    char key[SRV_SHA256_HEX + 1], b_hex[2 * SRP_SECRET_LEN + 1];
    uint8_t b[SRP_SECRET_LEN];
    srp_server *srv = NULL;
    cJSON *ch;

    if (load_verifier(rq, username, &user_id, &salt, &verifier) != 0 ||
        srp_server_new(username, salt, verifier, NULL, &srv) != SRP_OK ||
        srp_server_secret(srv, b) != SRP_OK) {
        srv_resp_error(rs, 500, "internal_error", "cannot start SRP");
        goto out;
    }
    hex_encode(b, sizeof(b), b_hex);
    challenge_key(username, a_hex, key);
    /* unknown users get a challenge but nothing is stored: their login
     * fails anyway, and junk names cannot fill the table */
    if (*user_id && srv_challenge_put(
                        rq->db, key, user_id, b_hex, srp_server_public_hex(srv),
                        srv_now_ms() + CHALLENGE_TTL_MS) != SRV_DB_OK) {
        srv_resp_error(rs, 500, "internal_error", "storage error");
        goto out;
    }
    ch = cJSON_CreateObject();
    cJSON_AddStringToObject(ch, "challenge_salt", salt);
    cJSON_AddStringToObject(ch, "challenge_b", srp_server_public_hex(srv));
    srv_resp_json(rs, 200, srv_wrap("challenge", ch));
out:
    secure_wipe(b, sizeof(b));
    secure_wipe(b_hex, sizeof(b_hex));
    srp_server_free(srv);
    free(user_id);
    free(salt);
    free(verifier);
}

static void srp_challenges(srv_req *rq, srv_resp *rs)
{
    const char *username, *a_hex;

    if (srv_body_required(rq, rs) ||
        srv_json_string(rq->body, "username", SRV_REQUIRED, MAX_USERNAME,
                        &username, rs) ||
        srv_json_hex(rq->body, "srp_a", SRV_REQUIRED, 512, &a_hex, rs))
        return;
    send_challenge(rq, rs, username, a_hex);
}

/* Check A and M1 against the stored challenge: 0 = proof accepted. */
static int check_proof(srv_req *rq, const char *username, const char *a_hex,
                       const char *m_hex, char **user_id)
{
    char key[SRV_SHA256_HEX + 1];
    char *b_hex = NULL, *big_b = NULL, *salt = NULL, *verifier = NULL;
    char *uid2 = NULL;
    uint8_t b[SRP_SECRET_LEN];
    srp_server *srv = NULL;
    int rc = -1;

    challenge_key(username, a_hex, key);
    if (srv_challenge_take(rq->db, key, user_id, &b_hex, &big_b) != SRV_DB_OK ||
        !**user_id || hex_bytes(b_hex, b, sizeof(b)) != 0)
        goto out;
    if (load_verifier(rq, username, &uid2, &salt, &verifier) != 0 ||
        strcmp(uid2, *user_id) != 0)
        goto out;
    if (srp_server_new(username, salt, verifier, b, &srv) != SRP_OK ||
        strcmp(srp_server_public_hex(srv), big_b) != 0)
        goto out;
    if (srp_server_verify_client(srv, a_hex, m_hex) == SRP_OK)
        rc = 0;
out:
    secure_wipe(b, sizeof(b));
    if (b_hex)
        secure_free(b_hex, strlen(b_hex));
    srp_server_free(srv);
    free(big_b);
    free(salt);
    free(verifier);
    free(uid2);
    return rc;
}

static cJSON *session_json(const char *id, const char *token,
                           const char *username, int64_t from, int64_t till)
{
    char tf[SRV_TIME_LEN + 1], tt[SRV_TIME_LEN + 1];
    cJSON *s = cJSON_CreateObject();

    srv_time_iso(from, tf);
    srv_time_iso(till, tt);
    cJSON_AddStringToObject(s, "id", id);
    cJSON_AddStringToObject(s, "session_authentication_string", token);
    cJSON_AddStringToObject(s, "valid_from", tf);
    cJSON_AddStringToObject(s, "valid_till", tt);
    cJSON_AddStringToObject(s, "username", username);
    return s;
}

/* Keystore user id of username (malloc'd) or NULL. */
static char *user_id_of(srv_req *rq, const char *username)
{
    srv_db_status st;
    cJSON *u = srv_rec_find(rq->db, "ks_user", NULL, username, NULL, &st);
    char *id = u && srv_str(u, "id") ? strdup(srv_str(u, "id")) : NULL;

    cJSON_Delete(u);
    return id;
}

/* More than login_attempts failures in the window for user id (NULL for
 * an unknown user: never blocked; 0 = no limit). */
static int login_blocked(srv_req *rq, const char *id)
{
    unsigned limit = srv_req_config(rq)->login_attempts;
    long n = 0;

    if (limit == 0 || !id)
        return 0;
    if (srv_auth_failure_count(rq->db, id, &n) != SRV_DB_OK)
        n = 0;
    return n >= (long)limit;
}

static void srp_session(srv_req *rq, srv_resp *rs)
{
    const char *username, *a_hex, *m_hex;
    char *user_id = NULL, *known_id = NULL;
    char token[SRV_TOKEN_LEN + 1], sid[SRV_ID_LEN + 1];
    long valid_for = (long)srv_req_config(rq)->session_ttl;
    int64_t now = srv_now_ms();

    if (srv_body_required(rq, rs) ||
        srv_json_string(rq->body, "username", SRV_REQUIRED, MAX_USERNAME,
                        &username, rs) ||
        srv_json_hex(rq->body, "srp_a", SRV_REQUIRED, 512, &a_hex, rs) ||
        srv_json_hex(rq->body, "srp_m", SRV_REQUIRED, 64, &m_hex, rs) ||
        srv_json_int(rq->body, "valid_for", 60, 30L * 86400, &valid_for, rs))
        return;
    (void)srv_db_purge_expired(rq->db);  /* once per login is plenty */
    known_id = user_id_of(rq, username); /* one lookup for block and note */
    if (login_blocked(rq, known_id)) {
        srv_resp_error(rs, 429, "too_many_attempts",
                       "too many failed logins; try again later");
    } else if (check_proof(rq, username, a_hex, m_hex, &user_id) != 0) {
        if (known_id)
            (void)srv_auth_failure_note(rq->db, known_id);
        srv_resp_error(rs, 401, "login_failed",
                       "SRP proof rejected: wrong username, password or "
                       "secret, or no pending challenge");
    } else if (srv_id_new(sid) != 0 ||
               srv_auth_issue(rq->db, SRV_TOKEN_KS_SESSION, user_id, sid,
                              (int64_t)valid_for * 1000, token) != SRV_DB_OK) {
        srv_resp_error(rs, 500, "internal_error", "cannot create session");
    } else {
        srv_resp_json(
            rs, 200,
            srv_wrap("session", session_json(sid, token, username, now,
                                             now + valid_for * 1000)));
        secure_wipe(token, sizeof(token));
    }
    free(known_id);
    free(user_id);
}

static void session_get(srv_req *rq, srv_resp *rs)
{
    char till[SRV_TIME_LEN + 1];
    int64_t expires = 0;
    cJSON *o;

    if (srv_token_get(rq->db, rq->token_hash, SRV_TOKEN_KS_SESSION, NULL, NULL,
                      &expires) != SRV_DB_OK) {
        srv_resp_error(rs, 401, "unauthorized", "session expired");
        return;
    }
    srv_time_iso(expires, till);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "valid_till", till);
    srv_resp_json(rs, 200, o);
}

static void session_delete(srv_req *rq, srv_resp *rs)
{
    srv_db_status st = srv_token_delete(rq->db, rq->token_hash);

    if (st != SRV_DB_OK)
        srv_resp_db_error(rs, st, "session");
    else
        srv_resp_json(rs, 204, NULL);
}

const srv_route srv_keystore_srp_routes[] = {
    {SRV_KEYSTORE, "POST", "/srp/username", SRV_AUTH_NONE, srp_username},
    {SRV_KEYSTORE, "POST", "/srp/users", SRV_AUTH_NONE, srp_users_create},
    {SRV_KEYSTORE, "POST", "/srp/challenges", SRV_AUTH_NONE, srp_challenges},
    {SRV_KEYSTORE, "POST", "/srp/session", SRV_AUTH_NONE, srp_session},
    {SRV_KEYSTORE, "GET", "/session", SRV_AUTH_KEYSTORE, session_get},
    {SRV_KEYSTORE, "DELETE", "/session", SRV_AUTH_KEYSTORE, session_delete},
    {0, NULL, NULL, 0, NULL},
};
