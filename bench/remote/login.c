/* bench/remote/login.c - login and derivation timings. */
#include "login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"

static int login_once(const remote_config *cfg, const char *secret,
                      const char *passphrase, double *secs)
{
    remote_session s = {0};
    double t0 = stats_now();
    remote_status st = remote_login(cfg, secret, passphrase, &s);

    *secs = stats_now() - t0;
    remote_session_free(&s);
    if (st != REMOTE_OK) {
        fprintf(stderr, "remote_login: %s (%s)\n", remote_strerror(st),
                remote_last_error());
        return -1;
    }
    return 0;
}

static int derive_once(const cryppo_secret *cs, const char *passphrase,
                       double *secs)
{
    uint8_t pdk[32];
    secbuf pw = {0};
    double t0 = stats_now();
    int ok =
        cryppo_secret_derive_pdk(cs, passphrase, pdk) == CRYPPO_OK &&
        cryppo_secret_derive_srp_password(cs, passphrase, &pw) == CRYPPO_OK;

    *secs = stats_now() - t0;
    secure_wipe(pdk, sizeof(pdk));
    secbuf_free(&pw);
    return ok ? 0 : -1;
}

/* One round: derivations, then a login. */
static int round_once(const remote_config *cfg, const cryppo_secret *cs,
                      const char *secret, const char *passphrase, double t[2])
{
    if (derive_once(cs, passphrase, &t[0]) != 0)
        return -1;
    return login_once(cfg, secret, passphrase, &t[1]);
}

int login_bench(const remote_config *cfg, const char *secret,
                const char *passphrase, int n, double rtt, login_times *out)
{
    cryppo_secret cs = {0};
    double *v = calloc(3 * (size_t)n, sizeof(*v)), warm[2], t[2];
    int rc = v && cryppo_secret_parse(secret, &cs) == CRYPPO_OK ? 0 : -1;

    if (rc == 0)
        rc = round_once(cfg, &cs, secret, passphrase, warm);
    for (int i = 0; rc == 0 && i < n; i++) {
        rc = round_once(cfg, &cs, secret, passphrase, t);
        v[i] = t[1];
        v[n + i] = t[0];
        v[2 * n + i] = t[1] / (t[0] + 4 * rtt);
    }
    if (rc == 0) {
        out->login = stats_of(v, (size_t)n);
        out->derive = stats_of(v + n, (size_t)n);
        out->ratio = stats_of(v + 2 * n, (size_t)n);
    }
    cryppo_secret_free(&cs);
    free(v);
    return rc;
}

static int rsa_once(const remote_session *s, const char *enc, double *secs)
{
    EVP_PKEY *key = NULL;
    secbuf pt = {0};
    double t0 = stats_now();
    int ok =
        cryppo_rsa_private_from_pem((const char *)s->private_pem.p,
                                    s->private_pem.len, &key) == CRYPPO_OK &&
        cryppo_rsa_decrypt(key, enc, &pt) == CRYPPO_OK;

    *secs = stats_now() - t0;
    EVP_PKEY_free(key);
    secbuf_free(&pt);
    return ok ? 0 : -1;
}

int login_rsa_bench(const remote_session *s, int n, stats *out)
{
    static const uint8_t token[32] = {1, 2, 3};
    EVP_PKEY *pub = NULL;
    char *enc = NULL;
    double *v = calloc((size_t)n, sizeof(*v)), warm;
    int rc = -1;

    if (!v ||
        cryppo_rsa_public_from_pem(s->public_pem, strlen(s->public_pem),
                                   &pub) != CRYPPO_OK ||
        cryppo_rsa_encrypt(pub, token, sizeof(token), &enc) != CRYPPO_OK)
        goto out;
    rc = rsa_once(s, enc, &warm);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = rsa_once(s, enc, &v[i]);
    if (rc == 0)
        *out = stats_of(v, (size_t)n);
out:
    EVP_PKEY_free(pub);
    free(enc);
    free(v);
    return rc;
}
