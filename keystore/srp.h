/* keystore/srp.h - SRP exactly as the Meeco SDK runs it (jsrp 0.2.4).
 *
 * meeco-protocol.md section 3.2: RFC 5054 2048-bit group, g = 2, SHA-256,
 * PAD() = big-endian left-padded to 256 bytes, and jsrp's simplified
 * proofs (NOT RFC 5054 / SRP-6a M1):
 *
 *   x  = H(s || H(I || ":" || P))      v = PAD(g^x)     k = H(PAD(N) || PAD(g))
 *   A  = PAD(g^a)                       B = PAD(k*v + g^b)
 *   u  = H(A || B)
 *   S  = PAD((B - k*g^x)^(a + u*x))     (client)
 *   S  = PAD((A * v^u)^b)               (server)
 *   K  = H(S)    M1 = H(A || B || K)    M2 = H(A || M1 || K)
 *
 * I is the UTF-8 username, P the SRP password bytes (for Meeco: the
 * output of cryppo_secret_derive_srp_password, i.e. already UTF-8
 * expanded).  s is the salt (32 bytes, sent as 64 hex chars).  All hex
 * in and out is lower-case; A, B and v are always 512 hex chars.
 *
 * Both sides are here: the client (remote backend login/registration) and
 * the server (meeco-server's /srp/users, /srp/challenges, /srp/session).
 * Secrets (a, b, x, S, K) live in OPENSSL_clear_free'd memory.
 */
#ifndef KEYSTORE_SRP_H
#define KEYSTORE_SRP_H

#include <stddef.h>
#include <stdint.h>

#define SRP_MUST_CHECK __attribute__((warn_unused_result))

#define SRP_SALT_LEN   32  /* bytes; jsrp registers 32 random bytes */
#define SRP_SECRET_LEN 32  /* a and b: 32 random bytes in jsrp */
#define SRP_N_BYTES    256 /* 2048-bit group */
#define SRP_HASH_LEN   32  /* SHA-256 */

typedef enum srp_status {
    SRP_OK = 0,
    SRP_ERR_ARGS, /* NULL, empty username, wrong lengths */
    SRP_ERR_NOMEM,
    SRP_ERR_HEX,        /* a hex string is malformed or too long */
    SRP_ERR_BAD_PUBLIC, /* peer's A or B is 0 mod N (abort) */
    SRP_ERR_PROOF,      /* M1 (server side) or M2 (client side) mismatch:
                           wrong password / wrong Secret Key */
    SRP_ERR_STATE,      /* called out of order (e.g. proof before challenge) */
    SRP_ERR_CRYPTO,     /* unexpected OpenSSL failure */
    SRP_STATUS_COUNT
} srp_status;

const char *srp_strerror(srp_status st);

/* Named intermediate values, for tests and debugging (never log them). */
typedef enum srp_value {
    SRP_VALUE_K_MULT, /* k (64 hex) */
    SRP_VALUE_X,      /* x (64 hex; client only) */
    SRP_VALUE_V,      /* verifier (512 hex) */
    SRP_VALUE_A,      /* A (512 hex) */
    SRP_VALUE_B,      /* B (512 hex) */
    SRP_VALUE_U,      /* u (64 hex) */
    SRP_VALUE_S,      /* premaster S (512 hex) */
    SRP_VALUE_KEY,    /* K = H(S) (64 hex) */
    SRP_VALUE_M1,     /* client proof (64 hex) */
    SRP_VALUE_M2,     /* server proof (64 hex) */
} srp_value;

/* ---- registration (client side) -------------------------------------- */

/* Make the salt and verifier sent to POST /srp/users.  salt: SRP_SALT_LEN
 * bytes or NULL for random.  *salt_hex (64) and *verifier_hex (512) are
 * malloc'd (free). */
SRP_MUST_CHECK srp_status srp_verifier_create(
    const char *username, const uint8_t *password, size_t password_len,
    const uint8_t *salt, char **salt_hex, char **verifier_hex);

/* ---- client ---------------------------------------------------------- */

typedef struct srp_client srp_client;

/* a: SRP_SECRET_LEN bytes or NULL for random (tests pass a fixed a). */
SRP_MUST_CHECK srp_status srp_client_new(const char *username,
                                         const uint8_t *password,
                                         size_t password_len, const uint8_t *a,
                                         srp_client **out);
void srp_client_free(srp_client *c);
/* A as 512 hex chars (srp_a); owned by the client. */
const char *srp_client_public_hex(const srp_client *c);
/* Feed the server's challenge_salt and challenge_b (hex exactly as
 * received; B is hashed as its 256-byte padded value).  Computes x, u,
 * S, K, M1 and the expected M2.  SRP_ERR_BAD_PUBLIC if B mod N == 0. */
SRP_MUST_CHECK srp_status srp_client_set_challenge(srp_client *c,
                                                   const char *salt_hex,
                                                   const char *b_hex);
/* M1 as 64 hex chars (srp_m); NULL before set_challenge. */
const char *srp_client_proof_hex(const srp_client *c);
/* Check the server's M2 (constant time).  SRP_ERR_PROOF on mismatch. */
SRP_MUST_CHECK srp_status srp_client_verify_server(const srp_client *c,
                                                   const char *m2_hex);
/* Session key K (32 bytes). */
SRP_MUST_CHECK srp_status srp_client_session_key(const srp_client *c,
                                                 uint8_t key[SRP_HASH_LEN]);
/* Any intermediate value as malloc'd hex (free); SRP_ERR_STATE if not
 * computed yet. */
SRP_MUST_CHECK srp_status srp_client_value_hex(const srp_client *c,
                                               srp_value which, char **hex);

/* ---- server (meeco-server) ------------------------------------------- */

typedef struct srp_server srp_server;

/* Step 1 (POST /srp/challenges): from the stored salt and verifier.
 * b: SRP_SECRET_LEN bytes or NULL for random.  The server must keep b
 * (srp_server_secret) between the challenge and the session request and
 * rebuild the srp_server with it in step 2. */
SRP_MUST_CHECK srp_status srp_server_new(const char *username,
                                         const char *salt_hex,
                                         const char *verifier_hex,
                                         const uint8_t *b, srp_server **out);
void srp_server_free(srp_server *s);
/* B as 512 hex chars (challenge_b); owned by the server object. */
const char *srp_server_public_hex(const srp_server *s);
/* The secret b (SRP_SECRET_LEN bytes) to persist between requests. */
SRP_MUST_CHECK srp_status srp_server_secret(const srp_server *s,
                                            uint8_t b[SRP_SECRET_LEN]);
/* Step 2 (POST /srp/session): check the client's A and M1.  SRP_OK means
 * the password is right; SRP_ERR_PROOF means wrong password (HTTP 401);
 * SRP_ERR_BAD_PUBLIC if A mod N == 0. */
SRP_MUST_CHECK srp_status srp_server_verify_client(srp_server *s,
                                                   const char *a_hex,
                                                   const char *m1_hex);
/* M2 as 64 hex chars after a successful verify, else NULL. */
const char *srp_server_proof_hex(const srp_server *s);
SRP_MUST_CHECK srp_status srp_server_session_key(const srp_server *s,
                                                 uint8_t key[SRP_HASH_LEN]);
SRP_MUST_CHECK srp_status srp_server_value_hex(const srp_server *s,
                                               srp_value which, char **hex);

#endif /* KEYSTORE_SRP_H */
