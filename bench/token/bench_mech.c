/* bench/token/bench_mech.c - the mechanism layer alone (pkcs11/mech, no
 * session, no object lookup) against raw OpenSSL, to separate the cost
 * of mech_op_* from the module's entry path in bench-token.
 *
 *   bench-mech [seconds-per-case]
 *
 * One operation: mech_op_init + mech_op_oneshot + mech_op_free, against
 * the reused-context raw loop of raw.c (AES-256-GCM) and a per-operation
 * EVP_PKEY_CTX (RSA-4096 OAEP decrypt).
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "cases.h"
#include "mech.h"

static uint8_t in[1u << 20], out[(1u << 20) + 64];
static uint8_t key[32] = {9}, iv[12] = {1};
static EVP_PKEY *rsa;
static uint8_t ct[512];

static int mech_gcm(void *arg)
{
    size_t len = *(size_t *)arg;
    CK_GCM_PARAMS_V3 p = {iv, sizeof(iv), 96, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof(p)};
    mech_key k = {CKK_AES, key, sizeof(key), NULL};
    CK_ULONG n = len + 16;
    mech_op *op = NULL;
    CK_RV rv = mech_op_init(&op, MECH_ENCRYPT, &m, &k);

    if (rv == CKR_OK)
        rv = mech_op_oneshot(op, in, len, out, &n);
    mech_op_free(op);
    return rv == CKR_OK ? 0 : -1;
}

static int mech_oaep(void *arg)
{
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA_1, CKG_MGF1_SHA1, 0, NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    mech_key k = {CKK_RSA, NULL, 0, rsa};
    CK_ULONG n = 512;
    mech_op *op = NULL;
    CK_RV rv = mech_op_init(&op, MECH_DECRYPT, &m, &k);

    (void)arg;
    if (rv == CKR_OK)
        rv = mech_op_oneshot(op, ct, sizeof(ct), out, &n);
    mech_op_free(op);
    return rv == CKR_OK && n == 32 ? 0 : -1;
}

static int setup(void)
{
    CK_RSA_PKCS_OAEP_PARAMS p = {CKM_SHA_1, CKG_MGF1_SHA1, 0, NULL, 0};
    CK_MECHANISM gen = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    mech_keypair_params kp = {4096, NULL, 0, NULL, 0};
    mech_key k;
    CK_ULONG n = sizeof(ct);
    mech_op *op = NULL;
    CK_RV rv = mech_generate_keypair(&gen, &kp, &rsa);

    k = (mech_key){CKK_RSA, NULL, 0, rsa};
    if (rv == CKR_OK)
        rv = mech_op_init(&op, MECH_ENCRYPT, &m, &k);
    if (rv == CKR_OK)
        rv = mech_op_oneshot(op, in, 32, ct, &n);
    mech_op_free(op);
    return rv == CKR_OK ? 0 : -1;
}

static void row(const char *name, case_fn mine, case_fn raw, size_t len,
                double seconds)
{
    double rm = case_rate(mine, &len, seconds);
    double rr = case_rate(raw, &len, seconds);

    printf("| %s | %.0f | %.0f | %.2f |\n", name, rr, rm,
           rr > 0 && rm > 0 ? rm / rr : 0.0);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;

    if (seconds <= 0 || raw_setup() != 0 || setup() != 0) {
        fprintf(stderr, "usage: %s [seconds-per-case] (setup failed?)\n",
                argv[0]);
        return 1;
    }
    printf("| operation | raw OpenSSL op/s | pkcs11/mech op/s | mech / raw |\n"
           "|---|---:|---:|---:|\n");
    row("AES-256-GCM encrypt, 64 B", mech_gcm, raw_gcm_encrypt, 64, seconds);
    row("AES-256-GCM encrypt, 4 KiB", mech_gcm, raw_gcm_encrypt, 4096,
        seconds);
    row("AES-256-GCM encrypt, 1 MiB", mech_gcm, raw_gcm_encrypt, 1u << 20,
        seconds);
    row("RSA-4096 OAEP decrypt", mech_oaep, raw_rsa_oaep_decrypt, 0, seconds);
    EVP_PKEY_free(rsa);
    raw_teardown();
    return 0;
}
