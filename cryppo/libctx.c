/* cryppo/libctx.c - the private OpenSSL library context and randomness.
 *
 * Everything cryppo does goes through one OSSL_LIB_CTX with only the
 * "default" provider loaded, so a process whose default context routes
 * to a PKCS#11 provider (possibly our own module) never recurses into
 * itself.  Algorithms used on hot paths are fetched once here; fetched
 * objects are immutable and shared by all threads.  The context lives
 * until the process exits.
 */
#include "internal.h"

#include <pthread.h>

#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

static pthread_once_t algs_once = PTHREAD_ONCE_INIT;
static cryppo_algs algs;
static int algs_ok;

static void algs_init(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();

    if (!ctx)
        return;
    if (!OSSL_PROVIDER_load(ctx, "default"))
        goto fail;
    algs.aes256gcm = EVP_CIPHER_fetch(ctx, "AES-256-GCM", NULL);
    algs.pbkdf2 = EVP_KDF_fetch(ctx, "PBKDF2", NULL);
    if (!algs.aes256gcm || !algs.pbkdf2)
        goto fail;
    algs.libctx = ctx;
    algs_ok = 1;
    return;
fail:
    EVP_CIPHER_free(algs.aes256gcm);
    EVP_KDF_free(algs.pbkdf2);
    algs.aes256gcm = NULL;
    algs.pbkdf2 = NULL;
    OSSL_LIB_CTX_free(ctx);
    cryppo_ossl_clear();
}

const cryppo_algs *cryppo_algs_get(void)
{
    if (pthread_once(&algs_once, algs_init) != 0)
        return NULL;
    return algs_ok ? &algs : NULL;
}

OSSL_LIB_CTX *cryppo_libctx(void)
{
    const cryppo_algs *a = cryppo_algs_get();

    return a ? a->libctx : NULL;
}

void cryppo_ossl_clear(void)
{
    ERR_clear_error();
}

cryppo_status cryppo_random(uint8_t *out, size_t len)
{
    OSSL_LIB_CTX *ctx;

    if (!out && len)
        return CRYPPO_ERR_ARGS;
    if (!len)
        return CRYPPO_OK;
    ctx = cryppo_libctx();
    if (!ctx)
        return CRYPPO_ERR_CRYPTO;
    if (RAND_bytes_ex(ctx, out, len, 0) != 1) {
        cryppo_ossl_clear();
        return CRYPPO_ERR_CRYPTO;
    }
    return CRYPPO_OK;
}
