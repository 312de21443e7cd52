/* tests/unit_cryppo/test_util.c - fixtures and helpers for the cryppo tests. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cryppo.h"

static EVP_PKEY *rsa_key;
static EVP_PKEY *rsa_other;

char *tu_fixture_read(const char *name, size_t *len)
{
    char path[1024];
    char *buf = NULL;
    long size;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", CRYPPO_FIXTURES_DIR, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
        if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        } else {
            buf[size] = '\0';
            if (len)
                *len = (size_t)size;
        }
    }
    fclose(f);
    return buf;
}

cJSON *tu_fixture_json(const char *name)
{
    char *text = tu_fixture_read(name, NULL);
    cJSON *json = text ? cJSON_Parse(text) : NULL;

    free(text);
    return json;
}

EVP_PKEY *tu_rsa_key(void)
{
    size_t len = 0;
    char *pem;

    if (rsa_key)
        return rsa_key;
    pem = tu_fixture_read("cryppo-rsa4096-pkcs1.pem", &len);
    if (pem && cryppo_rsa_private_from_pem(pem, len, &rsa_key) != CRYPPO_OK)
        rsa_key = NULL;
    free(pem);
    return rsa_key;
}

EVP_PKEY *tu_rsa_other_key(void)
{
    cJSON *root, *cases, *c;

    if (rsa_other)
        return rsa_other;
    root = tu_fixture_json("cryppo-compat.json");
    cases = cJSON_GetObjectItem(root, "encryption_with_key");
    cJSON_ArrayForEach(c, cases) {
        const char *strategy =
            cJSON_GetStringValue(cJSON_GetObjectItem(c, "encryption_strategy"));
        const char *pem = cJSON_GetStringValue(cJSON_GetObjectItem(c, "key"));
        if (!strategy || !pem || strcmp(strategy, "Rsa4096") != 0)
            continue;
        if (cryppo_rsa_private_from_pem(pem, strlen(pem), &rsa_other) !=
            CRYPPO_OK)
            rsa_other = NULL;
        break;
    }
    cJSON_Delete(root);
    return rsa_other;
}

void tu_keys_free(void)
{
    EVP_PKEY_free(rsa_key);
    EVP_PKEY_free(rsa_other);
    rsa_key = rsa_other = NULL;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int tu_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);

    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t k = 0; k < n / 2; k++) {
        int hi = hex_value(hex[2 * k]), lo = hex_value(hex[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[k] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(n / 2);
}
