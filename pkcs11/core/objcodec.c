/* pkcs11/core/objcodec.c - attribute lists <-> bytes. */
#include "objcodec.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC "P11O\x01"
#define MAGIC_LEN 5
#define HEAD 12 /* type 8 + length 4 */

CK_RV p11_codec_encode(const p11_object *o, uint8_t **out, size_t *len)
{
    size_t total = MAGIC_LEN;
    for (size_t i = 0; i < o->n_attrs; i++)
        total += HEAD + o->attrs[i].len;
    uint8_t *buf = malloc(total), *p = buf;
    if (buf == NULL)
        return CKR_HOST_MEMORY;
    memcpy(p, MAGIC, MAGIC_LEN);
    p += MAGIC_LEN;
    for (size_t i = 0; i < o->n_attrs; i++) {
        const p11_attrval *a = &o->attrs[i];
        for (int b = 7; b >= 0; b--)
            *p++ = (uint8_t)((uint64_t)a->type >> (8 * b));
        for (int b = 3; b >= 0; b--)
            *p++ = (uint8_t)((uint32_t)a->len >> (8 * b));
        if (a->len > 0)
            memcpy(p, a->value, a->len);
        p += a->len;
    }
    *out = buf;
    *len = total;
    return CKR_OK;
}

CK_RV p11_codec_decode(const uint8_t *in, size_t len, p11_object *o)
{
    if (in == NULL || len < MAGIC_LEN || memcmp(in, MAGIC, MAGIC_LEN) != 0)
        return CKR_DEVICE_ERROR;
    size_t pos = MAGIC_LEN;
    while (pos < len) {
        uint64_t type = 0;
        uint32_t n = 0;
        if (len - pos < HEAD)
            return CKR_DEVICE_ERROR;
        for (int b = 0; b < 8; b++)
            type = (type << 8) | in[pos++];
        for (int b = 0; b < 4; b++)
            n = (n << 8) | in[pos++];
        if (len - pos < n)
            return CKR_DEVICE_ERROR;
        CK_RV rv = p11_object_set(o, (CK_ATTRIBUTE_TYPE)type, in + pos, n);
        if (rv != CKR_OK)
            return rv;
        pos += n;
    }
    return CKR_OK;
}
