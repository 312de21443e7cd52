/* tests/unit_mech/test_util.c - helpers shared by the mechanism tests. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cryppo.h"
#include "mech_attr.h"

#define KEY_CACHE 8

static struct {
    char name[64];
    EVP_PKEY *priv;
    EVP_PKEY *pub;
} cache[KEY_CACHE];

size_t tu_hex(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    unsigned v;

    while (hex[0] && hex[1] && n < cap && sscanf(hex, "%2x", &v) == 1) {
        buf[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

const char *tu_fixture_path(const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", MECH_FIXTURES_DIR, name);
    return path;
}

EVP_PKEY *tu_fixture_key(const char *name)
{
    FILE *f;
    int i;

    for (i = 0; i < KEY_CACHE && cache[i].priv; i++)
        if (strcmp(cache[i].name, name) == 0)
            return cache[i].priv;
    if (i == KEY_CACHE)
        return NULL;
    f = fopen(tu_fixture_path(name), "r");
    if (!f)
        return NULL;
    cache[i].priv = PEM_read_PrivateKey_ex(f, NULL, NULL, NULL,
                                           cryppo_libctx(), NULL);
    fclose(f);
    snprintf(cache[i].name, sizeof(cache[i].name), "%s", name);
    return cache[i].priv;
}

EVP_PKEY *tu_public_of(EVP_PKEY *priv)
{
    for (int i = 0; i < KEY_CACHE && cache[i].priv; i++) {
        if (cache[i].priv != priv)
            continue;
        if (!cache[i].pub && mech_attr_public_dup(priv, &cache[i].pub) != CKR_OK)
            return NULL;
        return cache[i].pub;
    }
    return NULL;
}

void tu_keys_free(void)
{
    for (int i = 0; i < KEY_CACHE; i++) {
        EVP_PKEY_free(cache[i].priv);
        EVP_PKEY_free(cache[i].pub);
        memset(&cache[i], 0, sizeof(cache[i]));
    }
}

mech_key tu_aes_key(const uint8_t *bytes, size_t len)
{
    return (mech_key){CKK_AES, bytes, len, NULL};
}

mech_key tu_pkey(CK_KEY_TYPE type, EVP_PKEY *pkey)
{
    return (mech_key){type, NULL, 0, pkey};
}

CK_RV tu_oneshot(enum mech_purpose purpose, CK_MECHANISM_PTR m,
                 const mech_key *key, const uint8_t *in, size_t inlen,
                 uint8_t *out, CK_ULONG *outlen)
{
    mech_op *op = NULL;
    CK_RV rv = mech_op_init(&op, purpose, m, key);

    if (rv != CKR_OK)
        return rv;
    rv = mech_op_oneshot(op, in, inlen, out, outlen);
    mech_op_free(op);
    return rv;
}

CK_RV tu_verify(CK_MECHANISM_PTR m, const mech_key *key, const uint8_t *data,
                size_t len, const uint8_t *sig, size_t siglen)
{
    mech_op *op = NULL;
    CK_RV rv = mech_op_init(&op, MECH_VERIFY, m, key);

    if (rv != CKR_OK)
        return rv;
    rv = mech_op_verify(op, data, len, sig, siglen);
    CU_ASSERT_FALSE(mech_op_active(op));
    mech_op_free(op);
    return rv;
}

int tu_add_suite(const char *name, const tu_test *tests, int (*cleanup)(void))
{
    CU_pSuite s = CU_add_suite(name, NULL, cleanup);

    if (!s)
        return -1;
    for (; tests->name; tests++)
        if (!CU_add_test(s, tests->name, tests->fn))
            return -1;
    return 0;
}
