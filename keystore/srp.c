/* keystore/srp.c - jsrp-compatible SRP (client and server) over BIGNUM.
 *
 * The intermediate values are kept as the exact byte strings that go
 * into the hashes, so that the code reads like the formulas in srp.h.
 */
#include "srp.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hex.h"

/* RFC 5054 appendix A, 2048-bit group, generator 2. */
static const char group_n_hex[] =
    "AC6BDB41324A9A9BF166DE5E1389582FAF72B6651987EE07FC3192943DB56050"
    "A37329CBB4A099ED8193E0757767A13DD52312AB4B03310DCD7F48A9DA04FD50"
    "E8083969EDB767B0CF6095179A163AB3661A05FBD5FAAAE82918A9962F0B93B8"
    "55F97993EC975EEAA80D740ADBF4FF747359D041D5C33EA71D281E446B14773B"
    "CA97B43A23FB801676BD207A436C6481F1D2B9078717461A5B9D32E688F87748"
    "544523B524B0D57D5EA77A2775D2ECFA032CFBDBF52FB3786160279004E57AE6"
    "AF874E7303CE53299CCC041C7BC308D82A5698F3A8D0C38271AE35F8E9DBFBB6"
    "94B5C803D89F7AE435DE236D525F54759B65E372FCD68EF20FA7111F9E4AFF73";

#define N SRP_N_BYTES
#define H SRP_HASH_LEN

/* One side of an exchange.  Byte strings as hashed; *_len for the
 * peer's public value, which is hashed exactly as received. */
typedef struct srp_ctx {
    char *username;
    uint8_t *password;
    size_t password_len;
    uint8_t secret[SRP_SECRET_LEN]; /* a (client) or b (server) */
    uint8_t salt[64];
    size_t salt_len;
    uint8_t k[H], x[H], u[H], key[H], m1[H], m2[H];
    uint8_t v[N], a_pub[N], b_pub[N], s[N];
    size_t a_len, b_len;
    int have_x, have_v, have_session;
    char a_hex[2 * N + 1], b_hex[2 * N + 1], m1_hex[2 * H + 1],
        m2_hex[2 * H + 1];
} srp_ctx;

struct srp_client {
    srp_ctx c;
};

struct srp_server {
    srp_ctx c;
};

static const char *const messages[SRP_STATUS_COUNT] = {
    [SRP_OK] = "success",
    [SRP_ERR_ARGS] = "invalid argument",
    [SRP_ERR_NOMEM] = "out of memory",
    [SRP_ERR_HEX] = "malformed hex value",
    [SRP_ERR_BAD_PUBLIC] = "peer public value is zero modulo N",
    [SRP_ERR_PROOF] = "SRP proof mismatch (wrong password)",
    [SRP_ERR_STATE] = "SRP step called out of order",
    [SRP_ERR_CRYPTO] = "SRP computation failed",
};

const char *srp_strerror(srp_status st)
{
    if ((unsigned)st >= SRP_STATUS_COUNT)
        return "unknown SRP status";
    return messages[st];
}

/* ---- small helpers -------------------------------------------------- */

/* Decode hex into out (at most cap bytes); odd length gets a leading 0. */
static srp_status from_hex(const char *hex, uint8_t *out, size_t cap,
                           size_t *len)
{
    size_t n = hex ? strlen(hex) : 0;
    if (n == 0 || (n + 1) / 2 > cap)
        return SRP_ERR_HEX;
    size_t odd = n % 2, bytes = (n + 1) / 2;
    for (size_t i = 0; i < bytes; i++) {
        int hi = (i == 0 && odd) ? 0 : hex_digit(hex[2 * i - odd]);
        int lo = hex_digit(hex[2 * i + 1 - odd]);
        if (hi < 0 || lo < 0)
            return SRP_ERR_HEX;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = bytes;
    return SRP_OK;
}

/* SHA-256 over up to three byte strings. */
static srp_status hash3(const uint8_t *p1, size_t l1, const uint8_t *p2,
                        size_t l2, const uint8_t *p3, size_t l3, uint8_t out[H])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int outlen = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, p1, l1) &&
             (!l2 || EVP_DigestUpdate(md, p2, l2)) &&
             (!l3 || EVP_DigestUpdate(md, p3, l3)) &&
             EVP_DigestFinal_ex(md, out, &outlen);
    EVP_MD_CTX_free(md);
    return ok ? SRP_OK : SRP_ERR_CRYPTO;
}

/* Big-endian left-padded to N bytes. */
static int pad(const BIGNUM *bn, uint8_t out[N])
{
    return BN_bn2binpad(bn, out, N) == N;
}

static BIGNUM *bin(const uint8_t *p, size_t len)
{
    return BN_bin2bn(p, (int)len, NULL);
}

/* ---- shared setup --------------------------------------------------- */

static BIGNUM *group_n(void)
{
    BIGNUM *n = NULL;
    if (!BN_hex2bn(&n, group_n_hex))
        return NULL;
    return n;
}

/* k = H(PAD(N) || PAD(g)) */
static srp_status compute_k(const BIGNUM *n, uint8_t k[H])
{
    uint8_t pn[N], pg[N] = {0};
    pg[N - 1] = 2;
    if (!pad(n, pn))
        return SRP_ERR_CRYPTO;
    return hash3(pn, N, pg, N, NULL, 0, k);
}

/* x = H(s || H(I || ":" || P)) */
static srp_status compute_x(const char *user, const uint8_t *pw, size_t pw_len,
                            const uint8_t *salt, size_t salt_len, uint8_t x[H])
{
    uint8_t inner[H];
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int outlen = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, user, strlen(user)) &&
             EVP_DigestUpdate(md, ":", 1) &&
             (!pw_len || EVP_DigestUpdate(md, pw, pw_len)) &&
             EVP_DigestFinal_ex(md, inner, &outlen);
    EVP_MD_CTX_free(md);
    srp_status st =
        ok ? hash3(salt, salt_len, inner, H, NULL, 0, x) : SRP_ERR_CRYPTO;
    OPENSSL_cleanse(inner, sizeof(inner));
    return st;
}

/* out = PAD(g^e mod N) */
static srp_status g_pow(const uint8_t *e, size_t e_len, uint8_t out[N])
{
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *n = group_n(), *g = BN_new(), *be = bin(e, e_len), *r = BN_new();
    if (be)
        BN_set_flags(be, BN_FLG_CONSTTIME); /* a, b and x are secret */
    int ok = bctx && n && g && be && r && BN_set_word(g, 2) &&
             BN_mod_exp(r, g, be, n, bctx) && pad(r, out);
    BN_clear_free(be);
    BN_clear_free(r);
    BN_free(g);
    BN_free(n);
    BN_CTX_free(bctx);
    return ok ? SRP_OK : SRP_ERR_CRYPTO;
}

/* Is the value (bytes) 0 mod N? */
static int zero_mod_n(const uint8_t *p, size_t len)
{
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *n = group_n(), *v = bin(p, len), *r = BN_new();
    int zero = !(bctx && n && v && r && BN_mod(r, v, n, bctx)) || BN_is_zero(r);
    BN_free(r);
    BN_free(v);
    BN_free(n);
    BN_CTX_free(bctx);
    return zero;
}

static srp_status ctx_init(srp_ctx *c, const char *username,
                           const uint8_t *password, size_t password_len,
                           const uint8_t *secret)
{
    if (!username || !*username)
        return SRP_ERR_ARGS;
    c->username = strdup(username);
    if (!c->username)
        return SRP_ERR_NOMEM;
    if (password_len) {
        c->password = OPENSSL_memdup(password, password_len);
        if (!c->password)
            return SRP_ERR_NOMEM;
        c->password_len = password_len;
    }
    if (secret)
        memcpy(c->secret, secret, SRP_SECRET_LEN);
    else if (RAND_bytes(c->secret, SRP_SECRET_LEN) != 1)
        return SRP_ERR_CRYPTO;
    BIGNUM *n = group_n();
    srp_status st = n ? compute_k(n, c->k) : SRP_ERR_NOMEM;
    BN_free(n);
    return st;
}

static void ctx_free(srp_ctx *c)
{
    free(c->username);
    OPENSSL_clear_free(c->password, c->password_len);
    OPENSSL_clear_free(c, sizeof(*c));
}

/* K = H(PAD(S)), M1 = H(A || B || K), M2 = H(A || M1 || K) */
static srp_status compute_proofs(srp_ctx *c)
{
    srp_status st = hash3(c->s, N, NULL, 0, NULL, 0, c->key);
    if (st == SRP_OK)
        st = hash3(c->a_pub, c->a_len, c->b_pub, c->b_len, c->key, H, c->m1);
    if (st == SRP_OK)
        st = hash3(c->a_pub, c->a_len, c->m1, H, c->key, H, c->m2);
    if (st == SRP_OK) {
        hex_encode(c->m1, H, c->m1_hex);
        hex_encode(c->m2, H, c->m2_hex);
        c->have_session = 1;
    }
    return st;
}

static srp_status value_hex(const srp_ctx *c, srp_value which, char **hex)
{
    const uint8_t *p = NULL;
    size_t len = H;
    int ready = c->have_session;
    switch (which) {
    case SRP_VALUE_K_MULT:
        p = c->k;
        ready = 1;
        break;
    case SRP_VALUE_X:
        p = c->x;
        ready = c->have_x;
        break;
    case SRP_VALUE_V:
        p = c->v;
        len = N;
        ready = c->have_v;
        break;
    case SRP_VALUE_A:
        p = c->a_pub;
        len = c->a_len;
        ready = c->a_len > 0;
        break;
    case SRP_VALUE_B:
        p = c->b_pub;
        len = c->b_len;
        ready = c->b_len > 0;
        break;
    case SRP_VALUE_U:
        p = c->u;
        break;
    case SRP_VALUE_S:
        p = c->s;
        len = N;
        break;
    case SRP_VALUE_KEY:
        p = c->key;
        break;
    case SRP_VALUE_M1:
        p = c->m1;
        break;
    case SRP_VALUE_M2:
        p = c->m2;
        break;
    default:
        return SRP_ERR_ARGS;
    }
    if (!ready)
        return SRP_ERR_STATE;
    *hex = malloc(2 * len + 1);
    if (!*hex)
        return SRP_ERR_NOMEM;
    hex_encode(p, len, *hex);
    return SRP_OK;
}

/* ---- registration --------------------------------------------------- */

srp_status srp_verifier_create(const char *username, const uint8_t *password,
                               size_t password_len, const uint8_t *salt,
                               char **salt_hex, char **verifier_hex)
{
    if (!username || !*username || (!password && password_len) || !salt_hex ||
        !verifier_hex)
        return SRP_ERR_ARGS;
    uint8_t s[SRP_SALT_LEN], x[H], v[N];
    if (salt)
        memcpy(s, salt, sizeof(s));
    else if (RAND_bytes(s, sizeof(s)) != 1)
        return SRP_ERR_CRYPTO;
    srp_status st =
        compute_x(username, password, password_len, s, sizeof(s), x);
    if (st == SRP_OK)
        st = g_pow(x, H, v);
    OPENSSL_cleanse(x, sizeof(x));
    if (st != SRP_OK)
        return st;
    *salt_hex = malloc(2 * sizeof(s) + 1);
    *verifier_hex = malloc(2 * N + 1);
    if (!*salt_hex || !*verifier_hex) {
        free(*salt_hex);
        free(*verifier_hex);
        *salt_hex = *verifier_hex = NULL;
        return SRP_ERR_NOMEM;
    }
    hex_encode(s, sizeof(s), *salt_hex);
    hex_encode(v, N, *verifier_hex);
    return SRP_OK;
}

/* ---- client --------------------------------------------------------- */

srp_status srp_client_new(const char *username, const uint8_t *password,
                          size_t password_len, const uint8_t *a,
                          srp_client **out)
{
    if (!out || (!password && password_len))
        return SRP_ERR_ARGS;
    *out = NULL;
    srp_client *cl = OPENSSL_zalloc(sizeof(*cl));
    if (!cl)
        return SRP_ERR_NOMEM;
    srp_ctx *c = &cl->c;
    srp_status st = ctx_init(c, username, password, password_len, a);
    if (st == SRP_OK)
        st = g_pow(c->secret, SRP_SECRET_LEN, c->a_pub);
    if (st != SRP_OK) {
        ctx_free(c);
        return st;
    }
    c->a_len = N;
    hex_encode(c->a_pub, N, c->a_hex);
    *out = cl;
    return SRP_OK;
}

void srp_client_free(srp_client *cl)
{
    if (cl)
        ctx_free(&cl->c);
}

const char *srp_client_public_hex(const srp_client *cl)
{
    return cl ? cl->c.a_hex : NULL;
}

/* S = PAD((B - k * g^x) ^ (a + u * x) mod N) */
static srp_status client_premaster(srp_ctx *c)
{
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *n = group_n(), *g = BN_new(), *k = bin(c->k, H), *x = bin(c->x, H);
    BIGNUM *b = bin(c->b_pub, c->b_len), *a = bin(c->secret, SRP_SECRET_LEN);
    BIGNUM *u = bin(c->u, H), *t = BN_new(), *base = BN_new(), *e = BN_new();
    if (x)
        BN_set_flags(x, BN_FLG_CONSTTIME);
    int ok = bctx && n && g && k && x && b && a && u && t && base && e &&
             BN_set_word(g, 2) && BN_mod_exp(t, g, x, n, bctx) &&
             BN_mod_mul(t, k, t, n, bctx) && BN_mod_sub(base, b, t, n, bctx) &&
             BN_mul(e, u, x, bctx) && BN_add(e, e, a);
    if (ok)
        BN_set_flags(e, BN_FLG_CONSTTIME); /* a + u*x is secret */
    ok = ok && BN_mod_exp(t, base, e, n, bctx) && pad(t, c->s);
    BN_clear_free(x);
    BN_clear_free(a);
    BN_clear_free(t);
    BN_clear_free(base);
    BN_clear_free(e);
    BN_free(n);
    BN_free(g);
    BN_free(k);
    BN_free(b);
    BN_free(u);
    BN_CTX_free(bctx);
    return ok ? SRP_OK : SRP_ERR_CRYPTO;
}

srp_status srp_client_set_challenge(srp_client *cl, const char *salt_hex,
                                    const char *b_hex)
{
    if (!cl || !salt_hex || !b_hex)
        return SRP_ERR_ARGS;
    srp_ctx *c = &cl->c;
    srp_status st = from_hex(salt_hex, c->salt, sizeof(c->salt), &c->salt_len);
    if (st == SRP_OK)
        st = from_hex(b_hex, c->b_pub, N, &c->b_len);
    if (st != SRP_OK)
        return st;
    if (zero_mod_n(c->b_pub, c->b_len))
        return SRP_ERR_BAD_PUBLIC;
    st = compute_x(c->username, c->password, c->password_len, c->salt,
                   c->salt_len, c->x);
    c->have_x = st == SRP_OK;
    if (st == SRP_OK)
        st = g_pow(c->x, H, c->v);
    c->have_v = st == SRP_OK;
    if (st == SRP_OK)
        st = hash3(c->a_pub, c->a_len, c->b_pub, c->b_len, NULL, 0, c->u);
    if (st == SRP_OK)
        st = client_premaster(c);
    if (st == SRP_OK)
        st = compute_proofs(c);
    hex_encode(c->b_pub, c->b_len, c->b_hex);
    return st;
}

const char *srp_client_proof_hex(const srp_client *cl)
{
    return cl && cl->c.have_session ? cl->c.m1_hex : NULL;
}

srp_status srp_client_verify_server(const srp_client *cl, const char *m2_hex)
{
    if (!cl || !m2_hex)
        return SRP_ERR_ARGS;
    if (!cl->c.have_session)
        return SRP_ERR_STATE;
    uint8_t m2[H];
    size_t len = 0;
    if (from_hex(m2_hex, m2, sizeof(m2), &len) != SRP_OK || len != H)
        return SRP_ERR_PROOF;
    return CRYPTO_memcmp(m2, cl->c.m2, H) == 0 ? SRP_OK : SRP_ERR_PROOF;
}

srp_status srp_client_session_key(const srp_client *cl, uint8_t key[H])
{
    if (!cl || !key)
        return SRP_ERR_ARGS;
    if (!cl->c.have_session)
        return SRP_ERR_STATE;
    memcpy(key, cl->c.key, H);
    return SRP_OK;
}

srp_status srp_client_value_hex(const srp_client *cl, srp_value which,
                                char **hex)
{
    if (!cl || !hex)
        return SRP_ERR_ARGS;
    return value_hex(&cl->c, which, hex);
}

/* ---- server --------------------------------------------------------- */

/* B = PAD((k * v + g^b) mod N) */
static srp_status server_public(srp_ctx *c)
{
    uint8_t gb[N];
    srp_status st = g_pow(c->secret, SRP_SECRET_LEN, gb);
    if (st != SRP_OK)
        return st;
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *n = group_n(), *k = bin(c->k, H), *v = bin(c->v, N);
    BIGNUM *g_b = bin(gb, N), *r = BN_new();
    int ok = bctx && n && k && v && g_b && r && BN_mod_mul(r, k, v, n, bctx) &&
             BN_mod_add(r, r, g_b, n, bctx) && pad(r, c->b_pub);
    BN_clear_free(g_b);
    BN_free(r);
    BN_free(n);
    BN_free(k);
    BN_free(v);
    BN_CTX_free(bctx);
    OPENSSL_cleanse(gb, sizeof(gb));
    return ok ? SRP_OK : SRP_ERR_CRYPTO;
}

srp_status srp_server_new(const char *username, const char *salt_hex,
                          const char *verifier_hex, const uint8_t *b,
                          srp_server **out)
{
    if (!out || !salt_hex || !verifier_hex)
        return SRP_ERR_ARGS;
    *out = NULL;
    srp_server *sv = OPENSSL_zalloc(sizeof(*sv));
    if (!sv)
        return SRP_ERR_NOMEM;
    srp_ctx *c = &sv->c;
    uint8_t vraw[N];
    size_t vlen = 0;
    srp_status st = ctx_init(c, username, NULL, 0, b);
    if (st == SRP_OK)
        st = from_hex(salt_hex, c->salt, sizeof(c->salt), &c->salt_len);
    if (st == SRP_OK)
        st = from_hex(verifier_hex, vraw, N, &vlen);
    if (st == SRP_OK) {
        memset(c->v, 0, N);
        memcpy(c->v + (N - vlen), vraw, vlen);
        c->have_v = 1;
        st = server_public(c);
    }
    if (st != SRP_OK) {
        ctx_free(c);
        return st;
    }
    c->b_len = N;
    hex_encode(c->b_pub, N, c->b_hex);
    *out = sv;
    return SRP_OK;
}

void srp_server_free(srp_server *sv)
{
    if (sv)
        ctx_free(&sv->c);
}

const char *srp_server_public_hex(const srp_server *sv)
{
    return sv ? sv->c.b_hex : NULL;
}

srp_status srp_server_secret(const srp_server *sv, uint8_t b[SRP_SECRET_LEN])
{
    if (!sv || !b)
        return SRP_ERR_ARGS;
    memcpy(b, sv->c.secret, SRP_SECRET_LEN);
    return SRP_OK;
}

/* S = PAD((A * v^u)^b mod N) */
static srp_status server_premaster(srp_ctx *c)
{
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *n = group_n(), *a = bin(c->a_pub, c->a_len), *v = bin(c->v, N);
    BIGNUM *u = bin(c->u, H), *b = bin(c->secret, SRP_SECRET_LEN),
           *t = BN_new();
    if (b)
        BN_set_flags(b, BN_FLG_CONSTTIME);
    int ok = bctx && n && a && v && u && b && t &&
             BN_mod_exp(t, v, u, n, bctx) && BN_mod_mul(t, a, t, n, bctx) &&
             BN_mod_exp(t, t, b, n, bctx) && pad(t, c->s);
    BN_clear_free(b);
    BN_clear_free(t);
    BN_free(n);
    BN_free(a);
    BN_free(v);
    BN_free(u);
    BN_CTX_free(bctx);
    return ok ? SRP_OK : SRP_ERR_CRYPTO;
}

srp_status srp_server_verify_client(srp_server *sv, const char *a_hex,
                                    const char *m1_hex)
{
    if (!sv || !a_hex || !m1_hex)
        return SRP_ERR_ARGS;
    srp_ctx *c = &sv->c;
    c->have_session = 0;
    srp_status st = from_hex(a_hex, c->a_pub, N, &c->a_len);
    if (st != SRP_OK)
        return st;
    if (zero_mod_n(c->a_pub, c->a_len))
        return SRP_ERR_BAD_PUBLIC;
    st = hash3(c->a_pub, c->a_len, c->b_pub, c->b_len, NULL, 0, c->u);
    if (st == SRP_OK)
        st = server_premaster(c);
    if (st == SRP_OK)
        st = compute_proofs(c);
    if (st != SRP_OK)
        return st;
    hex_encode(c->a_pub, c->a_len, c->a_hex);
    uint8_t m1[H];
    size_t len = 0;
    if (from_hex(m1_hex, m1, sizeof(m1), &len) != SRP_OK || len != H ||
        CRYPTO_memcmp(m1, c->m1, H) != 0) {
        c->have_session = 0;
        return SRP_ERR_PROOF;
    }
    return SRP_OK;
}

const char *srp_server_proof_hex(const srp_server *sv)
{
    return sv && sv->c.have_session ? sv->c.m2_hex : NULL;
}

srp_status srp_server_session_key(const srp_server *sv, uint8_t key[H])
{
    if (!sv || !key)
        return SRP_ERR_ARGS;
    if (!sv->c.have_session)
        return SRP_ERR_STATE;
    memcpy(key, sv->c.key, H);
    return SRP_OK;
}

srp_status srp_server_value_hex(const srp_server *sv, srp_value which,
                                char **hex)
{
    if (!sv || !hex)
        return SRP_ERR_ARGS;
    return value_hex(&sv->c, which, hex);
}
