/* pkcs11/mech/mech_alg.c - OpenSSL algorithms, fetched once from the
 * private library context and kept for the life of the process. */
#include "mech_internal.h"

#include <pthread.h>

#include <openssl/evp.h>

#include "cryppo.h"

static const char *const md_names[MD_COUNT] = {
    [MD_SHA1] = "SHA1",     [MD_SHA224] = "SHA224", [MD_SHA256] = "SHA256",
    [MD_SHA384] = "SHA384", [MD_SHA512] = "SHA512",
};

static const char *const cipher_names[CIPH_COUNT] = {
    [CIPH_AES128_GCM] = "AES-128-GCM",
    [CIPH_AES192_GCM] = "AES-192-GCM",
    [CIPH_AES256_GCM] = "AES-256-GCM",
    [CIPH_AES128_CBC] = "AES-128-CBC",
    [CIPH_AES192_CBC] = "AES-192-CBC",
    [CIPH_AES256_CBC] = "AES-256-CBC",
    [CIPH_AES128_KW] = "AES-128-WRAP",
    [CIPH_AES192_KW] = "AES-192-WRAP",
    [CIPH_AES256_KW] = "AES-256-WRAP",
    [CIPH_AES128_KWP] = "AES-128-WRAP-PAD",
    [CIPH_AES192_KWP] = "AES-192-WRAP-PAD",
    [CIPH_AES256_KWP] = "AES-256-WRAP-PAD",
};

static pthread_once_t fetched = PTHREAD_ONCE_INIT;
static EVP_MD *mds[MD_COUNT];
static EVP_CIPHER *ciphers[CIPH_COUNT];

/* Fetched once; kept until process exit (OpenSSL frees the library
 * context at exit, the handful of references here are harmless). */
static void fetch_all(void)
{
    OSSL_LIB_CTX *ctx = cryppo_libctx();

    for (int i = 0; i < MD_COUNT; i++)
        mds[i] = EVP_MD_fetch(ctx, md_names[i], NULL);
    for (int i = 0; i < CIPH_COUNT; i++)
        ciphers[i] = EVP_CIPHER_fetch(ctx, cipher_names[i], NULL);
}

/* ---- spare cipher contexts ------------------------------------------
 * Re-keying a used EVP_CIPHER_CTX of the same cipher is cheaper than
 * EVP_CIPHER_CTX_new + free (no provider context allocation, no wipe of
 * it), which is most of the per-message cost of a short AES-GCM
 * encryption.  A few finished contexts are kept here; they still hold the
 * key schedule of their last message until reused or released by
 * mech_release_cache() (C_Finalize), which frees (and so wipes) them.
 * take/give only ever try the lock: under contention, or in a child
 * forked while another thread held it, they simply allocate / free. */
#define SPARE_MAX 8

static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static EVP_CIPHER_CTX *spares[SPARE_MAX];
static int spare_count;

EVP_CIPHER_CTX *mech_alg_ctx_take(void)
{
    EVP_CIPHER_CTX *c = NULL;

    if (pthread_mutex_trylock(&spare_lock) == 0) {
        if (spare_count > 0)
            c = spares[--spare_count];
        pthread_mutex_unlock(&spare_lock);
    }
    return c ? c : EVP_CIPHER_CTX_new();
}

void mech_alg_ctx_give(EVP_CIPHER_CTX *c)
{
    if (!c)
        return;
    if (pthread_mutex_trylock(&spare_lock) == 0) {
        if (spare_count < SPARE_MAX) {
            spares[spare_count++] = c;
            c = NULL;
        }
        pthread_mutex_unlock(&spare_lock);
    }
    EVP_CIPHER_CTX_free(c);
}

void mech_release_cache(void)
{
    pthread_mutex_lock(&spare_lock);
    while (spare_count > 0)
        EVP_CIPHER_CTX_free(spares[--spare_count]);
    pthread_mutex_unlock(&spare_lock);
}

OSSL_LIB_CTX *mech_alg_libctx(void)
{
    return cryppo_libctx();
}

const EVP_MD *mech_alg_md(enum mech_md md)
{
    if (md >= MD_COUNT)
        return NULL;
    pthread_once(&fetched, fetch_all);
    return mds[md];
}

const EVP_CIPHER *mech_alg_cipher(enum mech_cipher c)
{
    if (c >= CIPH_COUNT)
        return NULL;
    pthread_once(&fetched, fetch_all);
    return ciphers[c];
}

const EVP_CIPHER *mech_alg_aes(enum mech_cipher family_128, size_t keylen)
{
    switch (keylen) {
    case 16:
        return mech_alg_cipher(family_128);
    case 24:
        return mech_alg_cipher(family_128 + 1);
    case 32:
        return mech_alg_cipher(family_128 + 2);
    default:
        return NULL;
    }
}

enum mech_md mech_alg_md_from_ckm(CK_MECHANISM_TYPE hash)
{
    switch (hash) {
    case CKM_SHA_1:
        return MD_SHA1;
    case CKM_SHA224:
        return MD_SHA224;
    case CKM_SHA256:
        return MD_SHA256;
    case CKM_SHA384:
        return MD_SHA384;
    case CKM_SHA512:
        return MD_SHA512;
    default:
        return MD_COUNT;
    }
}

enum mech_md mech_alg_md_from_mgf(CK_RSA_PKCS_MGF_TYPE mgf)
{
    switch (mgf) {
    case CKG_MGF1_SHA1:
        return MD_SHA1;
    case CKG_MGF1_SHA224:
        return MD_SHA224;
    case CKG_MGF1_SHA256:
        return MD_SHA256;
    case CKG_MGF1_SHA384:
        return MD_SHA384;
    case CKG_MGF1_SHA512:
        return MD_SHA512;
    default:
        return MD_COUNT;
    }
}

size_t mech_alg_md_size(enum mech_md md)
{
    static const size_t sizes[MD_COUNT] = {20, 28, 32, 48, 64};

    return md < MD_COUNT ? sizes[md] : 0;
}
