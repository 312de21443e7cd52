/* pkcs11/backend/keypair_meta.c - CKA_ID in a keypair's metadata. */
#include "keypair_meta.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "hex.h"

char *p11_keypair_meta_with_id(const char *meta, const uint8_t *id,
                               size_t len)
{
    char hex[2 * P11_KEYPAIR_ID_MAX + 1];
    if (id == NULL || len == 0 || len > P11_KEYPAIR_ID_MAX)
        return NULL;
    hex_encode(id, len, hex);
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
    if (hex_decode(hex, b, n / 2) != 0) {
        free(b);
        goto out;
    }
    *id = b;
    *len = n / 2;
    rc = 0;
out:
    cJSON_Delete(j);
    return rc;
}
