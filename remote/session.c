/* remote/session.c - sign-up and login exactly as the Meeco SDK's
 * UserService.create and getAuthData (meeco-protocol.md 4.2, 4.3). */
#include "remote.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"
#include "keystore_api.h"
#include "vault_api.h"

#define KEY_LEN 32
#define AUTH_EXTERNAL_ID                                                       \
    "auth" /* UserService.VAULT_PAIR_EXTERNAL_IDENTIFIER                       \
            */

static const char *const messages[REMOTE_STATUS_COUNT] = {
    [REMOTE_OK] = "success",
    [REMOTE_ERR_ARGS] = "invalid arguments or configuration",
    [REMOTE_ERR_NOMEM] = "out of memory",
    [REMOTE_ERR_NETWORK] = "cannot reach the server",
    [REMOTE_ERR_TIMEOUT] = "the server did not answer in time",
    [REMOTE_ERR_TLS] = "TLS handshake or certificate verification failed",
    [REMOTE_ERR_PROTOCOL] = "the server's answer is not what the API defines",
    [REMOTE_ERR_LOGIN] = "login refused: wrong passphrase or secret key",
    [REMOTE_ERR_AUTH] = "not authorized (session expired or revoked)",
    [REMOTE_ERR_NOT_FOUND] = "not found",
    [REMOTE_ERR_CONFLICT] = "already exists",
    [REMOTE_ERR_REJECTED] = "request rejected by the server",
    [REMOTE_ERR_RATE_LIMIT] = "too many requests",
    [REMOTE_ERR_SERVER] = "server error",
    [REMOTE_ERR_CRYPTO] = "a key or token does not decrypt",
};

const char *remote_strerror(remote_status st)
{
    if ((unsigned)st >= REMOTE_STATUS_COUNT || !messages[st])
        return "unknown status";
    return messages[st];
}

void remote_config_defaults(remote_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->connect_timeout_s = 5;
    cfg->timeout_s = 30;
    cfg->get_retries = 2;
    cfg->rsa_bits = 4096;
    cfg->page_size = 100;
}

void remote_config_from_token(remote_config *cfg, const config_token *t)
{
    remote_config_defaults(cfg);
    cfg->keystore_url = t->keystore_url;
    cfg->vault_url = t->vault_url;
    cfg->subscription_key = t->subscription_key;
    cfg->ca_file = t->ca_file;
    if (t->timeout > 0)
        cfg->timeout_s = t->timeout;
    if (cfg->connect_timeout_s > cfg->timeout_s)
        cfg->connect_timeout_s = cfg->timeout_s;
}

void remote_session_free(remote_session *s)
{
    if (!s)
        return;
    free(s->username);
    secbuf_free(&s->keystore_token);
    secbuf_free(&s->vault_token);
    secbuf_free(&s->kek);
    secbuf_free(&s->dek);
    free(s->dek_id);
    free(s->keypair_id);
    secbuf_free(&s->private_pem);
    free(s->public_pem);
    memset(s, 0, sizeof(*s));
}

/* What both flows derive from (secret, passphrase). */
typedef struct derived {
    cryppo_secret secret;
    uint8_t pdk[KEY_LEN];
    secbuf srp_password;
} derived;

/* The PDK half of derive(), run on a second thread. */
typedef struct pdk_job {
    const cryppo_secret *secret;
    const char *passphrase;
    uint8_t *pdk;
    cryppo_status st;
} pdk_job;

static void *pdk_thread(void *arg)
{
    pdk_job *j = arg;
    j->st = cryppo_secret_derive_pdk(j->secret, j->passphrase, j->pdk);
    return NULL;
}

/* Two PBKDF2-SHA256 100000 derivations from one secret: the PDK and the
 * SRP password.  They are independent, so the PDK runs on a second
 * thread while this one derives the SRP password: a login costs one
 * derivation's time instead of two on a machine with two cores (the
 * same work, sequential when no thread can be started). */
static remote_status derive(const char *secret, const char *passphrase,
                            derived *d)
{
    pthread_t t;
    memset(d, 0, sizeof(*d));
    if (cryppo_secret_parse(secret, &d->secret) != CRYPPO_OK) {
        remote_error_set("malformed secret key");
        return REMOTE_ERR_ARGS;
    }
    pdk_job job = {&d->secret, passphrase, d->pdk, CRYPPO_OK};
    bool threaded = pthread_create(&t, NULL, pdk_thread, &job) == 0;
    cryppo_status srp =
        cryppo_secret_derive_srp_password(&d->secret, passphrase,
                                          &d->srp_password);
    if (threaded)
        pthread_join(t, NULL);
    else
        pdk_thread(&job);
    return srp == CRYPPO_OK && job.st == CRYPPO_OK ? REMOTE_OK
                                                   : REMOTE_ERR_CRYPTO;
}

static void derived_free(derived *d)
{
    cryppo_secret_free(&d->secret);
    secure_wipe(d->pdk, sizeof(d->pdk));
    secbuf_free(&d->srp_password);
}

static remote_status srp_login(remote_http *h, derived *d, remote_session *s)
{
    s->username = strdup(d->secret.username);
    if (!s->username)
        return REMOTE_ERR_NOMEM;
    return remote_ks_srp_login(h, s->username, d->srp_password.p,
                               d->srp_password.len, &s->keystore_token);
}

/* Aes256Gcm(key, data) into *out. */
static remote_status wrap(const uint8_t key[KEY_LEN], const void *data,
                          size_t len, char **out)
{
    return cryppo_aes_encrypt(key, data, len, out) == CRYPPO_OK
               ? REMOTE_OK
               : REMOTE_ERR_CRYPTO;
}

static remote_status unwrap(const uint8_t key[KEY_LEN], const char *wrapped,
                            size_t want_len, secbuf *out)
{
    if (cryppo_aes_decrypt(key, wrapped, out) != CRYPPO_OK ||
        (want_len && out->len != want_len)) {
        secbuf_free(out);
        remote_error_set("a wrapped key does not decrypt");
        return REMOTE_ERR_CRYPTO;
    }
    return REMOTE_OK;
}

static remote_status random_key(secbuf *k)
{
    if (secbuf_alloc(k, KEY_LEN) != 0)
        return REMOTE_ERR_NOMEM;
    return cryppo_random(k->p, KEY_LEN) == CRYPPO_OK ? REMOTE_OK
                                                     : REMOTE_ERR_CRYPTO;
}

/* Decrypt the vault's Rsa4096 token with the identity private key. */
static remote_status vault_token(remote_session *s, const char *enc)
{
    EVP_PKEY *key = NULL;
    remote_status st = REMOTE_ERR_CRYPTO;

    if (cryppo_rsa_private_from_pem((const char *)s->private_pem.p,
                                    s->private_pem.len, &key) != CRYPPO_OK)
        goto out;
    if (cryppo_rsa_decrypt(key, enc, &s->vault_token) == CRYPPO_OK)
        st = REMOTE_OK;
    else
        remote_error_set("the vault session token does not decrypt");
out:
    EVP_PKEY_free(key);
    return st;
}

static char *dup_secret_text(const char *text)
{
    return text ? strdup(text) : NULL;
}

#define TRY(expr)                                                              \
    do {                                                                       \
        st = (expr);                                                           \
        if (st != REMOTE_OK)                                                   \
            goto out;                                                          \
    } while (0)

/* ---- sign-up ---------------------------------------------------------- */

/* Steps 5-6: KEK wrapped with the PDK; identity keypair wrapped with KEK. */
static remote_status create_kek_and_keypair(remote_http *h, derived *d,
                                            remote_session *s)
{
    const char *tok = (const char *)s->keystore_token.p;
    char *wrapped = NULL;
    EVP_PKEY *key = NULL;
    remote_status st;

    TRY(random_key(&s->kek));
    TRY(wrap(d->pdk, s->kek.p, s->kek.len, &wrapped));
    TRY(remote_ks_kek_create(h, tok, wrapped));
    free(wrapped);
    wrapped = NULL;
    st = REMOTE_ERR_CRYPTO;
    if (cryppo_rsa_generate((int)s->cfg->rsa_bits, &key) != CRYPPO_OK ||
        cryppo_rsa_private_to_pem(key, &s->private_pem) != CRYPPO_OK ||
        cryppo_rsa_public_to_pem(key, &s->public_pem) != CRYPPO_OK)
        goto out;
    TRY(wrap(s->kek.p, s->private_pem.p, s->private_pem.len, &wrapped));
    TRY(remote_ks_keypair_create(h, tok, s->public_pem, wrapped,
                                 AUTH_EXTERNAL_ID, &s->keypair_id));
out:
    free(wrapped);
    EVP_PKEY_free(key);
    return st;
}

/* Steps 7-9: vault user, DEK wrapped with KEK, DEK id on the user. */
static remote_status create_vault_user(remote_http *h, const char *admission,
                                       remote_session *s)
{
    const char *ktok = (const char *)s->keystore_token.p;
    char *enc = NULL, *wrapped = NULL;
    remote_status st;

    TRY(remote_vault_user_create(h, s->public_pem, admission, &enc));
    TRY(vault_token(s, enc));
    TRY(random_key(&s->dek));
    TRY(wrap(s->kek.p, s->dek.p, s->dek.len, &wrapped));
    TRY(remote_ks_dek_create(h, ktok, wrapped, &s->dek_id));
    TRY(remote_vault_me_set_dek_id(h, (const char *)s->vault_token.p,
                                   s->dek_id));
out:
    free(enc);
    free(wrapped);
    return st;
}

static remote_status signup_steps(remote_http *h, const remote_config *cfg,
                                  const char *passphrase, char **secret,
                                  remote_session *s)
{
    char *username = NULL, *admission = NULL;
    derived d;
    remote_status st;

    memset(&d, 0, sizeof(d));
    s->cfg = cfg;
    TRY(remote_ks_username_new(h, &username));
    if (cryppo_secret_generate(username, secret) != CRYPPO_OK) {
        st = REMOTE_ERR_CRYPTO;
        goto out;
    }
    TRY(derive(*secret, passphrase, &d));
    TRY(remote_ks_srp_register(h, username, d.srp_password.p,
                               d.srp_password.len));
    TRY(srp_login(h, &d, s));
    TRY(remote_ks_admission_get(h, (const char *)s->keystore_token.p,
                                &admission));
    TRY(create_kek_and_keypair(h, &d, s));
    TRY(create_vault_user(h, admission, s));
out:
    derived_free(&d);
    free(username);
    free(admission);
    return st;
}

remote_status remote_signup(const remote_config *cfg, const char *passphrase,
                            char **secret_out, remote_session *session)
{
    remote_session s;
    remote_http *h = NULL;
    char *secret = NULL;
    remote_status st;

    memset(&s, 0, sizeof(s));
    if (!cfg || !passphrase || !secret_out)
        return REMOTE_ERR_ARGS;
    *secret_out = NULL;
    TRY(remote_http_new(cfg, &h));
    TRY(signup_steps(h, cfg, passphrase, &secret, &s));
    *secret_out = secret;
    secret = NULL;
    if (session) {
        *session = s;
        memset(&s, 0, sizeof(s));
    }
out:
    if (secret)
        secure_free(secret, strlen(secret) + 1);
    remote_session_free(&s);
    remote_http_free(h);
    return st;
}

/* ---- login ------------------------------------------------------------ */

/* GET /keypairs/external_id/auth, private PEM unwrapped with the KEK. */
static remote_status fetch_keypair(remote_http *h, remote_session *s)
{
    cJSON *kp = NULL;
    remote_status st;

    TRY(remote_ks_keypair_by_external(h, (const char *)s->keystore_token.p,
                                      AUTH_EXTERNAL_ID, &kp));
    TRY(unwrap(s->kek.p, remote_json_str(kp, "encrypted_serialized_key"), 0,
               &s->private_pem));
    s->public_pem = dup_secret_text(remote_json_str(kp, "public_key"));
    s->keypair_id = dup_secret_text(remote_json_str(kp, "id"));
    if (!s->public_pem || !s->keypair_id)
        st = REMOTE_ERR_NOMEM;
out:
    cJSON_Delete(kp);
    return st;
}

static remote_status login_steps(remote_http *h, derived *d, remote_session *s)
{
    char *wrapped = NULL, *enc = NULL;
    const char *ktok;
    remote_status st;

    TRY(srp_login(h, d, s));
    ktok = (const char *)s->keystore_token.p;
    TRY(remote_ks_kek_get(h, ktok, &wrapped));
    TRY(unwrap(d->pdk, wrapped, KEY_LEN, &s->kek));
    TRY(fetch_keypair(h, s));
    TRY(remote_vault_session_new(h, s->public_pem, &enc));
    TRY(vault_token(s, enc));
    TRY(remote_vault_me_dek_id(h, (const char *)s->vault_token.p, &s->dek_id));
    free(wrapped);
    wrapped = NULL;
    TRY(remote_ks_dek_get(h, ktok, s->dek_id, &wrapped));
    TRY(unwrap(s->kek.p, wrapped, KEY_LEN, &s->dek));
out:
    free(wrapped);
    free(enc);
    return st;
}

remote_status remote_login(const remote_config *cfg, const char *secret,
                           const char *passphrase, remote_session *session)
{
    remote_session s;
    remote_http *h = NULL;
    derived d;
    remote_status st;

    memset(&s, 0, sizeof(s));
    memset(&d, 0, sizeof(d));
    if (!cfg || !secret || !passphrase || !session)
        return REMOTE_ERR_ARGS;
    s.cfg = cfg;
    TRY(remote_http_new(cfg, &h));
    TRY(derive(secret, passphrase, &d));
    TRY(login_steps(h, &d, &s));
    *session = s;
    memset(&s, 0, sizeof(s));
out:
    derived_free(&d);
    remote_session_free(&s);
    remote_http_free(h);
    return st;
}
