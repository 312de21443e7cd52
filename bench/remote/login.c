/* bench/remote/login.c - login and derivation timings. */
#include "login.h"

#include <stdio.h>
#include <stdlib.h>

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

int login_bench(const remote_config *cfg, const char *secret,
                const char *passphrase, int n, stats *out)
{
    double *v = calloc((size_t)n, sizeof(*v)), warm;
    int rc = v ? login_once(cfg, secret, passphrase, &warm) : -1;

    for (int i = 0; rc == 0 && i < n; i++)
        rc = login_once(cfg, secret, passphrase, &v[i]);
    if (rc == 0)
        *out = stats_of(v, (size_t)n);
    free(v);
    return rc;
}

static int derive_once(const cryppo_secret *cs, const char *passphrase,
                       double *secs)
{
    uint8_t pdk[32];
    secbuf pw = {0};
    double t0 = stats_now();
    int ok = cryppo_secret_derive_pdk(cs, passphrase, pdk) == CRYPPO_OK &&
             cryppo_secret_derive_srp_password(cs, passphrase, &pw) ==
                 CRYPPO_OK;

    *secs = stats_now() - t0;
    secure_wipe(pdk, sizeof(pdk));
    secbuf_free(&pw);
    return ok ? 0 : -1;
}

int login_derive_bench(const char *secret, const char *passphrase, int n,
                       stats *out)
{
    cryppo_secret cs = {0};
    double *v = calloc((size_t)n, sizeof(*v)), warm;
    int rc = v && cryppo_secret_parse(secret, &cs) == CRYPPO_OK ? 0 : -1;

    if (rc == 0)
        rc = derive_once(&cs, passphrase, &warm);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = derive_once(&cs, passphrase, &v[i]);
    if (rc == 0)
        *out = stats_of(v, (size_t)n);
    cryppo_secret_free(&cs);
    free(v);
    return rc;
}
