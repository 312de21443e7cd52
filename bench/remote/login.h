/* bench/remote/login.h - remote_login timed end to end, and its two
 * PBKDF2-SHA256 derivations (PDK and SRP password) and its RSA step
 * timed alone. */
#ifndef BENCH_REMOTE_LOGIN_H
#define BENCH_REMOTE_LOGIN_H

#include "remote.h"
#include "stats.h"

/* n remote_login calls (one untimed first).  0 on success. */
int login_bench(const remote_config *cfg, const char *secret,
                const char *passphrase, int n, stats *out);

/* n x (cryppo_secret_derive_pdk + cryppo_secret_derive_srp_password). */
int login_derive_bench(const char *secret, const char *passphrase, int n,
                       stats *out);

/* n x the vault-session step of a login done alone: parse the identity
 * private key (PEM) and RSA-OAEP-decrypt a token encrypted to it. */
int login_rsa_bench(const remote_session *s, int n, stats *out);

#endif /* BENCH_REMOTE_LOGIN_H */
