/* bench/cryppo/bench_cryppo.c - how fast is Cryppo, next to its limit?
 *
 * For 100 B, 4 KiB and 1 MiB values: cryppo_aes_encrypt (encrypt and
 * serialize) and cryppo_aes_decrypt (parse and decrypt) against raw
 * OpenSSL EVP AES-256-GCM on the same sizes (a pre-fetched cipher, one
 * reused context, a random IV per operation, AAD "none", no base64).
 * Then PBKDF2-HMAC-SHA256 with 100000 iterations (the Meeco Secret Key
 * derivations), through cryppo and through raw OpenSSL.
 *
 *   bench-cryppo [SECONDS_PER_CASE]       default 1.0
 *   bench-cryppo [SECONDS_PER_CASE] --sibling
 *       how much the second CPU adds: raw EVP at 1 MiB on CPU 0 alone,
 *       then while CPU 1 spins and while CPU 1 runs base64 (the work a
 *       helper thread would take over)
 *
 * Prints a table, then machine-readable lines starting with "#R" (used by
 * bench/run-cryppo.sh to put the Node numbers next to ours).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cryppo.h"

#define PBKDF2_ITERATIONS 100000

typedef struct fixture {
    uint8_t key[CRYPPO_AES_KEY_LEN];
    uint8_t *pt;
    uint8_t *ct;
    uint8_t *out;
    size_t len;
    char *serialized;
    char *b64;
    uint8_t iv[CRYPPO_GCM_IV_LEN];
    uint8_t tag[CRYPPO_GCM_TAG_LEN];
    EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *ctx;
} fixture;

typedef int (*op_fn)(fixture *f);

typedef struct result {
    double ops_per_s;
    double mb_per_s;
} result;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usleep_seconds(double seconds)
{
    struct timespec ts = {(time_t)seconds,
                          (long)((seconds - (double)(time_t)seconds) * 1e9)};

    nanosleep(&ts, NULL);
}

/* Run op until `seconds` have passed (at least 3 times). */
static int measure(op_fn op, fixture *f, double seconds, result *r)
{
    double start = now(), elapsed;
    long n = 0;

    do {
        for (int i = 0; i < 8; i++, n++)
            if (op(f) != 0)
                return -1;
        elapsed = now() - start;
    } while (elapsed < seconds || n < 3);
    r->ops_per_s = (double)n / elapsed;
    r->mb_per_s = r->ops_per_s * (double)f->len / 1e6;
    return 0;
}

/* ---- the four operations ---------------------------------------------- */

static int op_cryppo_encrypt(fixture *f)
{
    char *s = NULL;

    if (cryppo_aes_encrypt(f->key, f->pt, f->len, &s) != CRYPPO_OK)
        return -1;
    free(s);
    return 0;
}

static int op_cryppo_decrypt(fixture *f)
{
    secbuf pt = {NULL, 0};
    int rc = cryppo_aes_decrypt(f->key, f->serialized, &pt) == CRYPPO_OK &&
                     pt.len == f->len
                 ? 0
                 : -1;

    secbuf_free(&pt);
    return rc;
}

static int op_evp_encrypt(fixture *f)
{
    int n, fin;

    if (RAND_bytes(f->iv, sizeof(f->iv)) != 1 ||
        !EVP_EncryptInit_ex(f->ctx, f->cipher, NULL, f->key, f->iv) ||
        !EVP_EncryptUpdate(f->ctx, NULL, &n, (const uint8_t *)"none", 4) ||
        !EVP_EncryptUpdate(f->ctx, f->ct, &n, f->pt, (int)f->len) ||
        !EVP_EncryptFinal_ex(f->ctx, f->ct + n, &fin) ||
        !EVP_CIPHER_CTX_ctrl(f->ctx, EVP_CTRL_GCM_GET_TAG, 16, f->tag))
        return -1;
    return 0;
}

static int op_evp_decrypt(fixture *f)
{
    int n, fin;

    if (!EVP_DecryptInit_ex(f->ctx, f->cipher, NULL, f->key, f->iv) ||
        !EVP_DecryptUpdate(f->ctx, NULL, &n, (const uint8_t *)"none", 4) ||
        !EVP_DecryptUpdate(f->ctx, f->out, &n, f->ct, (int)f->len) ||
        !EVP_CIPHER_CTX_ctrl(f->ctx, EVP_CTRL_GCM_SET_TAG, 16, f->tag) ||
        EVP_DecryptFinal_ex(f->ctx, f->out + n, &fin) <= 0)
        return -1;
    return 0;
}

/* ---- fixtures ----------------------------------------------------------- */

static int fixture_init(fixture *f, size_t len)
{
    memset(f, 0, sizeof(*f));
    f->len = len;
    f->pt = malloc(len);
    f->ct = malloc(len + 16);
    f->out = malloc(len + 16);
    f->cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    f->ctx = EVP_CIPHER_CTX_new();
    if (!f->pt || !f->ct || !f->out || !f->cipher || !f->ctx ||
        RAND_bytes(f->key, sizeof(f->key)) != 1 ||
        RAND_bytes(f->pt, (int)len) != 1 ||
        cryppo_aes_encrypt(f->key, f->pt, len, &f->serialized) != CRYPPO_OK ||
        op_evp_encrypt(f) != 0)
        return -1;
    return 0;
}

static void fixture_free(fixture *f)
{
    free(f->pt);
    free(f->ct);
    free(f->out);
    free(f->serialized);
    EVP_CIPHER_free(f->cipher);
    EVP_CIPHER_CTX_free(f->ctx);
    OPENSSL_cleanse(f->key, sizeof(f->key));
}

/* ---- report ------------------------------------------------------------- */

static const char *size_label(size_t len, char buf[32])
{
    if (len >= 1048576)
        snprintf(buf, 32, "%zu MiB", len / 1048576);
    else if (len >= 1024)
        snprintf(buf, 32, "%zu KiB", len / 1024);
    else
        snprintf(buf, 32, "%zu B", len);
    return buf;
}

static int bench_size(size_t len, double seconds)
{
    static const char *const names[] = {"encrypt+serialize", "parse+decrypt"};
    static const op_fn ours[] = {op_cryppo_encrypt, op_cryppo_decrypt};
    static const op_fn raw[] = {op_evp_encrypt, op_evp_decrypt};
    fixture f;
    result r, e;
    char lbl[32];
    int rc = -1;

    if (fixture_init(&f, len) != 0)
        goto out;
    for (int i = 0; i < 2; i++) {
        if (measure(ours[i], &f, seconds, &r) != 0 ||
            measure(raw[i], &f, seconds, &e) != 0)
            goto out;
        printf("%-8s %-18s %12.0f %10.1f %12.0f %10.1f %8.1f%%\n",
               size_label(len, lbl), names[i], r.ops_per_s, r.mb_per_s,
               e.ops_per_s, e.mb_per_s, 100.0 * r.ops_per_s / e.ops_per_s);
        printf("#R\tc\t%s\t%zu\t%.1f\t%.3f\t%.1f\t%.3f\n",
               i ? "decrypt" : "encrypt", len, r.ops_per_s, r.mb_per_s,
               e.ops_per_s, e.mb_per_s);
    }
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "bench-cryppo: %zu-byte case failed\n", len);
    fixture_free(&f);
    return rc;
}

static int op_b64_encode(fixture *f)
{
    char *s = NULL;

    if (cryppo_b64url_encode(f->pt, f->len, &s) != CRYPPO_OK)
        return -1;
    free(s);
    return 0;
}

static int op_b64_decode(fixture *f)
{
    secbuf b = {NULL, 0};
    int rc = cryppo_b64url_decode(f->b64, strlen(f->b64), &b) == CRYPPO_OK &&
                     b.len == f->len
                 ? 0
                 : -1;

    secbuf_free(&b);
    return rc;
}

static int op_wipe(fixture *f)
{
    OPENSSL_cleanse(f->out, f->len);
    return 0;
}

/* What secbuf_free costs the caller of cryppo_aes_decrypt (the plaintext
 * is wiped before it is freed; raw EVP's loop wipes nothing). */
static int bench_wipe(size_t len, double seconds)
{
    fixture f;
    result r;
    int rc = -1;

    if (fixture_init(&f, len) != 0 || measure(op_wipe, &f, seconds, &r) != 0)
        goto out;
    printf("wiping the decrypted %zu bytes (secbuf_free): %.1f us\n", len,
           1e6 / r.ops_per_s);
    printf("#R\tc\twipe\t%zu\t%.1f\t%.3f\t0\t0\n", len, r.ops_per_s,
           r.mb_per_s);
    rc = 0;
out:
    fixture_free(&f);
    return rc;
}

/* The encoding alone: what a Cryppo string must cost on top of EVP. */
static int bench_base64(size_t len, double seconds)
{
    fixture f;
    result enc, dec;
    int rc = -1;

    if (fixture_init(&f, len) != 0 ||
        cryppo_b64url_encode(f.pt, len, &f.b64) != CRYPPO_OK ||
        measure(op_b64_encode, &f, seconds, &enc) != 0 ||
        measure(op_b64_decode, &f, seconds, &dec) != 0)
        goto out;
    printf("\nbase64url alone at %zu bytes: encode %.1f MB/s, decode %.1f "
           "MB/s (of plaintext)\n",
           len, enc.mb_per_s, dec.mb_per_s);
    printf("#R\tc\tb64encode\t%zu\t%.1f\t%.3f\t0\t0\n", len, enc.ops_per_s,
           enc.mb_per_s);
    printf("#R\tc\tb64decode\t%zu\t%.1f\t%.3f\t0\t0\n", len, dec.ops_per_s,
           dec.mb_per_s);
    rc = 0;
out:
    free(f.b64);
    fixture_free(&f);
    return rc;
}

static int bench_pbkdf2(void)
{
    static const char pass[] = "correct horse battery staple";
    static const char salt[] = "52Y2w7NXvFk4zUsVGXaq3ai8xBVNV8FX7aME2Vpz2tH";
    uint8_t out[32];
    double t0, ours, raw;
    const int rounds = 5;

    t0 = now();
    for (int i = 0; i < rounds; i++)
        if (cryppo_pbkdf2_sha256((const uint8_t *)pass, strlen(pass),
                                 (const uint8_t *)salt, strlen(salt),
                                 PBKDF2_ITERATIONS, out, 32) != CRYPPO_OK)
            return -1;
    ours = (now() - t0) / rounds;
    t0 = now();
    for (int i = 0; i < rounds; i++)
        if (PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), (const uint8_t *)salt,
                              (int)strlen(salt), PBKDF2_ITERATIONS,
                              EVP_sha256(), 32, out) != 1)
            return -1;
    raw = (now() - t0) / rounds;
    printf("\nPBKDF2-HMAC-SHA256, %d iterations, 32 bytes: cryppo %.1f ms, "
           "raw OpenSSL %.1f ms\n",
           PBKDF2_ITERATIONS, ours * 1e3, raw * 1e3);
    printf("#R\tc\tpbkdf2\t%d\t%.3f\t0\t%.3f\t0\n", PBKDF2_ITERATIONS,
           1.0 / ours, 1.0 / raw);
    OPENSSL_cleanse(out, sizeof(out));
    return 0;
}

/* ---- the second CPU ---------------------------------------------------- */

typedef struct sibling {
    fixture *f;
    int encode;         /* 0: spin with pause, 1: base64url-encode f->pt */
    atomic_int stop;
    double mb_per_s;    /* encode: what it managed */
} sibling;

static int pin(pthread_t t, int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(t, sizeof(set), &set);
}

static void *sibling_main(void *arg)
{
    sibling *sb = arg;
    double start = now();
    long n = 0;

    while (!atomic_load_explicit(&sb->stop, memory_order_relaxed)) {
        if (sb->encode) {
            if (op_b64_encode(sb->f) != 0)
                break;
            n++;
        } else {
            for (int i = 0; i < 1000; i++) {
#if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
#endif
            }
        }
    }
    sb->mb_per_s = (double)n * (double)sb->f->len / 1e6 / (now() - start);
    return NULL;
}

/* Run raw EVP encryption on CPU 0 for `seconds` with the sibling (if
 * any) busy on CPU 1. */
static int evp_next_to(fixture *f, sibling *sb, double seconds, result *r)
{
    pthread_t t;
    int rc;

    if (!sb)
        return measure(op_evp_encrypt, f, seconds, r);
    atomic_init(&sb->stop, 0);
    if (pthread_create(&t, NULL, sibling_main, sb) != 0)
        return -1;
    (void)pin(t, 1);
    rc = measure(op_evp_encrypt, f, seconds, r);
    atomic_store(&sb->stop, 1);
    pthread_join(t, NULL);
    return rc;
}

static int bench_sibling(double seconds)
{
    fixture f;
    sibling spin = {.encode = 0}, enc = {.encode = 1}, alone = {.encode = 1};
    result a, b, c;
    pthread_t t;
    int rc = -1;

    if (fixture_init(&f, 1048576) != 0 || pin(pthread_self(), 0) != 0)
        goto out;
    spin.f = enc.f = alone.f = &f;
    atomic_init(&alone.stop, 0);
    if (pthread_create(&t, NULL, sibling_main, &alone) != 0)
        goto out;
    (void)pin(t, 1);
    usleep_seconds(seconds);
    atomic_store(&alone.stop, 1);
    pthread_join(t, NULL);
    if (evp_next_to(&f, NULL, seconds, &a) != 0 ||
        evp_next_to(&f, &spin, seconds, &b) != 0 ||
        evp_next_to(&f, &enc, seconds, &c) != 0)
        goto out;
    printf("raw EVP AES-256-GCM encrypt, 1 MiB, on CPU 0:\n"
           "  CPU 1 idle               %8.0f MB/s\n"
           "  CPU 1 spinning (pause)   %8.0f MB/s  (%.0f %%)\n"
           "  CPU 1 encoding base64    %8.0f MB/s  (%.0f %%)\n"
           "base64url encode on CPU 1: %.0f MB/s with CPU 0 idle, %.0f MB/s "
           "next to EVP (%.0f %%)\n"
           "work done by both CPUs together: %.2f of one CPU alone\n",
           a.mb_per_s, b.mb_per_s, 100 * b.mb_per_s / a.mb_per_s, c.mb_per_s,
           100 * c.mb_per_s / a.mb_per_s, alone.mb_per_s, enc.mb_per_s,
           100 * enc.mb_per_s / alone.mb_per_s,
           c.mb_per_s / a.mb_per_s + enc.mb_per_s / alone.mb_per_s);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "bench-cryppo: --sibling needs 2 CPUs\n");
    fixture_free(&f);
    return rc;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {100, 4096, 1048576};
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;

    if (seconds <= 0)
        seconds = 1.0;
    if (argc > 2 && strcmp(argv[2], "--sibling") == 0)
        return bench_sibling(seconds) == 0 ? 0 : 1;
    printf("Cryppo AES-256-GCM vs raw EVP (%s), %.1f s per case\n\n",
           OpenSSL_version(OPENSSL_VERSION), seconds);
    printf("%-8s %-18s %12s %10s %12s %10s %9s\n", "size", "operation",
           "cryppo op/s", "MB/s", "EVP op/s", "EVP MB/s", "of EVP");
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        if (bench_size(sizes[i], seconds) != 0)
            return 1;
    if (bench_base64(1048576, seconds) != 0 ||
        bench_wipe(1048576, seconds) != 0)
        return 1;
    return bench_pbkdf2() == 0 ? 0 : 1;
}
