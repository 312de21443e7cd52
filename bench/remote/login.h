/* bench/remote/login.h - remote_login timed end to end next to its two
 * PBKDF2-SHA256 derivations (PDK and SRP password) timed alone, and its
 * RSA step timed alone. */
#ifndef BENCH_REMOTE_LOGIN_H
#define BENCH_REMOTE_LOGIN_H

#include "remote.h"
#include "stats.h"

typedef struct login_times {
    stats login;  /* remote_login */
    stats derive; /* cryppo_secret_derive_pdk + _derive_srp_password */
    stats ratio;  /* per round: login / (derive + 4 x rtt) */
} login_times;

/* n rounds of (derivations, remote_login), interleaved so that both see
 * the same machine load; one untimed round first.  rtt: the round trip
 * the bound counts four times.  0 on success. */
int login_bench(const remote_config *cfg, const char *secret,
                const char *passphrase, int n, double rtt, login_times *out);

/* n x the vault-session step of a login done alone: parse the identity
 * private key (PEM) and RSA-OAEP-decrypt a token encrypted to it. */
int login_rsa_bench(const remote_session *s, int n, stats *out);

#endif /* BENCH_REMOTE_LOGIN_H */
