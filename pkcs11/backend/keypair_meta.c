/* pkcs11/backend/keypair_meta.c - CKA_ID in a keypair's metadata. */
#include "keypair_meta.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *p11_keypair_meta_with_id(const char *meta, const uint8_t *id,
                               size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char hex[2 * P11_KEYPAIR_ID_MAX + 1];
    if (id == NULL || len == 0 || len > P11_KEYPAIR_ID_MAX)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = digits[id[i] >> 4];
        hex[2 * i + 1] = digits[id[i] & 15];
    }
    hex[2 * len] = 0;
    cJSON *j = cJSON_Parse(meta != NULL ? meta : "{}");
    char *out = NULL;
    if (cJSON_IsObject(j)) {
        cJSON_DeleteItemFromObjectCaseSensitive(j, P11_KEYPAIR_META_ID);
        if (cJSON_AddStringToObject(j, P11_KEYPAIR_META_ID, hex) != NULL)
            out = cJSON_PrintUnformatted(j);
    }
    cJSON_Delete(j);
    return out;
}

int p11_keypair_meta_id(const char *meta, uint8_t **id, size_t *len)
{
    cJSON *j = meta != NULL ? cJSON_Parse(meta) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, P11_KEYPAIR_META_ID);
    const char *hex = cJSON_IsString(v) ? v->valuestring : NULL;
    size_t n = hex != NULL ? strlen(hex) : 0;
    int rc = -1;
    *id = NULL;
    *len = 0;
    if (n == 0 || n % 2 != 0 || n / 2 > P11_KEYPAIR_ID_MAX)
        goto out;
    uint8_t *b = malloc(n / 2);
    if (b == NULL)
        goto out;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            goto out;
        }
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    *id = b;
    *len = n / 2;
    rc = 0;
out:
    cJSON_Delete(j);
    return rc;
}
