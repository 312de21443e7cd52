/* bench/token/raw.c - the same operations through raw OpenSSL 3, the
 * limit a module can approach: a pre-fetched EVP_CIPHER and one reused
 * EVP_CIPHER_CTX (re-keyed per message), a per-operation EVP_PKEY_CTX /
 * EVP_MD_CTX for RSA as any application would use. */
#include "cases.h"

#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#define MAX_LEN (1u << 20)

static EVP_CIPHER *gcm;
static EVP_CIPHER_CTX *cctx;
static EVP_PKEY *rsa;
static unsigned char key[32] = {9}, iv[12] = {1};
static unsigned char in[MAX_LEN], out[MAX_LEN + 64];
static unsigned char ct[512];
static size_t ct_len;

static int encrypt_once(void)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(rsa, NULL);
    int ok = c && EVP_PKEY_encrypt_init(c) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0;

    ct_len = sizeof(ct);
    ok = ok && EVP_PKEY_encrypt(c, ct, &ct_len, in, 32) > 0;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

int raw_setup(void)
{
    gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    cctx = EVP_CIPHER_CTX_new();
    rsa = EVP_RSA_gen(4096);
    if (!gcm || !cctx || !rsa || encrypt_once() != 0) {
        fprintf(stderr, "raw OpenSSL setup failed\n");
        return -1;
    }
    return 0;
}

void raw_teardown(void)
{
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(gcm);
    EVP_PKEY_free(rsa);
}

int raw_gcm_encrypt(void *arg)
{
    size_t len = *(size_t *)arg;
    int n = 0, f = 0;

    if (!EVP_EncryptInit_ex2(cctx, gcm, key, iv, NULL) ||
        !EVP_EncryptUpdate(cctx, out, &n, in, (int)len) ||
        !EVP_EncryptFinal_ex(cctx, out + n, &f) ||
        EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_GCM_GET_TAG, 16, out + len) <= 0)
        return -1;
    return 0;
}

int raw_rsa_oaep_decrypt(void *arg)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(rsa, NULL);
    size_t n = sizeof(out);
    int ok = c && EVP_PKEY_decrypt_init(c) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_decrypt(c, out, &n, ct, ct_len) > 0 && n == 32;

    (void)arg;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

int raw_rsa_sign(void *arg)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t n = sizeof(out);
    int ok = c && EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, rsa) > 0 &&
             EVP_DigestSign(c, out, &n, in, 64) > 0 && n == 512;

    (void)arg;
    EVP_MD_CTX_free(c);
    return ok ? 0 : -1;
}
