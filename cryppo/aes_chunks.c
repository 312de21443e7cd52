/* cryppo/aes_chunks.c - decrypting large Aes256Gcm values on two cores.
 *
 * AES-GCM must run over the data in order; base64 need not (every 4
 * characters are 3 bytes on their own).  From CRYPPO_CHUNKED_MIN bytes on
 * (and only when built with CRYPPO_CHUNKED_THREADS) the data part is cut
 * into chunks of CHUNK_CHARS characters.  The calling thread opens chunk
 * i with GCM, in place in the plaintext buffer, while a helper thread
 * created for this call decodes chunks i+1 .. i+SLOTS into that buffer.
 *
 * Codec chunks are taken in order from one atomic counter by whichever
 * thread is free; the caller decodes one itself whenever it would
 * otherwise wait.  So the helper only ever saves time: if it starts late,
 * or cannot be created, the caller does every chunk, with the same
 * result.  The caller waits for the helper only while the helper is
 * inside a chunk (it reads the text and writes the plaintext buffer
 * then); a helper that has not started yet, or is between chunks, is
 * left to exit on its own (detached; it then touches nothing but its own
 * job, freed by whichever of the two threads lets go last).  On a busy
 * machine, where the helper may not get a core for milliseconds, a call
 * therefore never waits that long for it.
 *
 * Encryption has no such path: handing each sealed chunk to the other
 * core cost as much as encoding it (base64 runs at memcpy speed), and
 * every variant measured slower than one thread (docs/PERFORMANCE.md).
 *
 * The helper uses no OpenSSL and blocks all signals; the plaintext it
 * decodes into (still ciphertext then) is the caller's secbuf.
 */
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES CRYPPO_CHUNK_BYTES
#define CHUNK_CHARS (CHUNK_BYTES / 3 * 4)
/* Chunks the helper may decode ahead of GCM. */
#define SLOTS 4
#define HELPER_STACK (128 * 1024)
/* Busy-wait rounds before giving the core away once. */
#define SPINS_BEFORE_YIELD 2048

typedef struct chunk_job {
    size_t n; /* chunks */
    /* text in, bytes (then plaintext) to dst */
    const char *b64;
    size_t b64_len;
    uint8_t *dst;
    size_t dst_len;
    /* written by the caller */
    alignas(64) atomic_size_t limit; /* chunks below may be decoded */
    atomic_int stop;                 /* caller is done: touch nothing */
    /* written by both */
    alignas(64) atomic_size_t next; /* next chunk to decode */
    atomic_size_t done[SLOTS]; /* chunk j finished: done[j % SLOTS] == j+1 */
    atomic_int failed;         /* some chunk was refused */
    atomic_int refs;           /* caller and helper */
    /* written by the helper */
    alignas(64) atomic_int busy; /* inside a chunk (or about to be) */
} chunk_job;

/* Helpers that have not returned yet (see wait_helpers_gone). */
static atomic_int live_helpers;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static void relax(unsigned *spins)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (++*spins % SPINS_BEFORE_YIELD == 0)
        sched_yield();
}

static void job_release(chunk_job *job)
{
    if (atomic_fetch_sub(&job->refs, 1) == 1)
        free(job);
}

/* Decode chunk j into its place in dst; 0 if its text is refused. */
static int decode_chunk(const chunk_job *job, size_t j)
{
    size_t off = j * CHUNK_CHARS, got;
    size_t len = min_size(CHUNK_CHARS, job->b64_len - off);
    size_t want = min_size(CHUNK_BYTES, job->dst_len - j * CHUNK_BYTES);

    /* '=' only at the very end of the whole text */
    if (j + 1 < job->n && job->b64[off + len - 1] == '=')
        return 0;
    return cryppo_b64_decode_raw(job->b64 + off, len, CRYPPO_B64_URL,
                                 job->dst + j * CHUNK_BYTES,
                                 &got) == CRYPPO_OK &&
           got == want;
}

/* 1 if chunk j may be decoded now. */
static int may_take(chunk_job *job, size_t j)
{
    return j < job->n &&
           j < atomic_load_explicit(&job->limit, memory_order_acquire);
}

/* Decode the next chunk if one is allowed; 1 if there was work. */
static int take_one(chunk_job *job)
{
    size_t j = atomic_load_explicit(&job->next, memory_order_relaxed);

    if (!may_take(job, j))
        return 0;
    if (!atomic_compare_exchange_weak(&job->next, &j, j + 1))
        return 1; /* the other thread took it: look again */
    if (!decode_chunk(job, j))
        atomic_store(&job->failed, 1);
    atomic_store_explicit(&job->done[j % SLOTS], j + 1, memory_order_release);
    return 1;
}

/* Caller: wait (working meanwhile) until chunk w has been decoded;
 * 0 if any chunk was refused. */
static int wait_done(chunk_job *job, size_t w)
{
    unsigned spins = 0;

    while (atomic_load_explicit(&job->done[w % SLOTS],
                                memory_order_acquire) != w + 1)
        if (!take_one(job))
            relax(&spins);
    return !atomic_load(&job->failed);
}

static void *helper_main(void *arg)
{
    chunk_job *job = arg;
    unsigned spins = 0;
    size_t j;

    while ((j = atomic_load_explicit(&job->next, memory_order_relaxed)) <
           job->n) {
        if (!may_take(job, j)) {
            if (atomic_load_explicit(&job->stop, memory_order_relaxed))
                break;
            relax(&spins);
            continue;
        }
        /* busy before stop is read, stop before busy (sequentially
         * consistent both): either the caller sees us inside, or we see
         * that it has gone and must not touch its buffers. */
        atomic_store(&job->busy, 1);
        if (atomic_load(&job->stop)) {
            atomic_store(&job->busy, 0);
            break;
        }
        (void)take_one(job);
        atomic_store(&job->busy, 0);
    }
    job_release(job);
    /* the last thing this thread does in our code (wait_helpers_gone) */
    atomic_fetch_sub(&live_helpers, 1);
    return NULL;
}

static void forget_helpers(void)
{
    atomic_store(&live_helpers, 0); /* a forked child has none */
}

static void register_atfork(void)
{
    (void)pthread_atfork(NULL, NULL, forget_helpers);
}

/* Start a detached helper with every signal blocked; 0 if it could not
 * start (the caller then does all chunks itself). */
static int helper_start(chunk_job *job)
{
    sigset_t all, old;
    pthread_attr_t attr;
    pthread_t t;
    int ok;

    (void)pthread_once(&fork_once, register_atfork);
    if (pthread_attr_init(&attr) != 0)
        return 0;
    (void)pthread_attr_setstacksize(&attr, HELPER_STACK);
    (void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigfillset(&all);
    atomic_fetch_add(&job->refs, 1);
    atomic_fetch_add(&live_helpers, 1);
    ok = pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
    if (ok) {
        ok = pthread_create(&t, &attr, helper_main, job) == 0;
        (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!ok) {
        atomic_fetch_sub(&job->refs, 1);
        atomic_fetch_sub(&live_helpers, 1);
    }
    pthread_attr_destroy(&attr);
    return ok;
}

/* Caller: let the helper go once it is outside every chunk. */
static void helper_stop(chunk_job *job)
{
    unsigned spins = 0;

    atomic_store(&job->stop, 1);
    while (atomic_load(&job->busy))
        relax(&spins);
    job_release(job);
}

/* At exit or when the module is unloaded: no helper may still be running
 * our code (they are short-lived: each exits as soon as it runs). */
__attribute__((destructor)) static void wait_helpers_gone(void)
{
    unsigned spins = 0;

    while (atomic_load(&live_helpers) > 0)
        relax(&spins);
}

static chunk_job *job_new(size_t n)
{
    /* sizeof is a multiple of the 64-byte alignment of its members */
    chunk_job *job = aligned_alloc(alignof(chunk_job), sizeof(*job));

    if (!job)
        return NULL;
    memset(job, 0, sizeof(*job));
    job->n = n;
    atomic_init(&job->limit, 0);
    atomic_init(&job->stop, 0);
    atomic_init(&job->next, 0);
    for (int s = 0; s < SLOTS; s++)
        atomic_init(&job->done[s], 0);
    atomic_init(&job->failed, 0);
    atomic_init(&job->refs, 1);
    atomic_init(&job->busy, 0);
    return job;
}

static cryppo_status open_chunks(EVP_CIPHER_CTX *ctx, chunk_job *job)
{
    for (size_t i = 0; i < job->n; i++) {
        size_t len = min_size(CHUNK_BYTES, job->dst_len - i * CHUNK_BYTES);
        uint8_t *p = job->dst + i * CHUNK_BYTES;
        int m;
        if (!wait_done(job, i))
            return CRYPPO_ERR_BASE64;
        if (len && !EVP_DecryptUpdate(ctx, p, &m, p, (int)len))
            return CRYPPO_ERR_DECRYPT;
        atomic_store_explicit(&job->limit, i + 1 + SLOTS,
                              memory_order_release);
    }
    return CRYPPO_OK;
}

cryppo_status cryppo_gcm_open_chunked(EVP_CIPHER_CTX *ctx, const char *b64,
                                      size_t b64_len, uint8_t *dst,
                                      size_t dst_len)
{
    chunk_job *job = job_new((b64_len + CHUNK_CHARS - 1) / CHUNK_CHARS);
    cryppo_status st;

    if (!job)
        return CRYPPO_ERR_NOMEM;
    job->b64 = b64;
    job->b64_len = b64_len;
    job->dst = dst;
    job->dst_len = dst_len;
    atomic_store(&job->limit, SLOTS);
    (void)helper_start(job);
    st = open_chunks(ctx, job);
    helper_stop(job);
    return st;
}
