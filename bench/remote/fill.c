/* bench/remote/fill.c - POST /items with many slots per request. */
#include "fill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cryppo.h"
#include "wire.h"

void fill_value(int item, int slot, char *buf, size_t len)
{
    snprintf(buf, len, VALUE_PREFIX "%03d/%03d", item, slot);
}

static int add_slot(cJSON *arr, const remote_session *s, int item, int slot)
{
    char name[32], value[64], *enc = NULL;
    cJSON *a = cJSON_CreateObject();
    int ok = a != NULL && cJSON_AddItemToArray(arr, a);

    snprintf(name, sizeof(name), "slot_%03d", slot);
    fill_value(item, slot, value, sizeof(value));
    ok = ok && cryppo_aes_encrypt(s->dek.p, (const uint8_t *)value,
                                  strlen(value), &enc) == CRYPPO_OK;
    ok = ok && cJSON_AddStringToObject(a, "name", name) &&
         cJSON_AddStringToObject(a, "slot_type_name", "key_value") &&
         cJSON_AddStringToObject(a, "label", name) &&
         cJSON_AddStringToObject(a, "encrypted_value", enc);
    free(enc);
    return ok ? 0 : -1;
}

/* {"item": {"label": "bench_NNN", "slots_attributes": [...]}} as text. */
static char *item_body(const remote_session *s, int item, int per_item)
{
    char label[32];
    cJSON *b = cJSON_CreateObject();
    cJSON *it = b ? cJSON_AddObjectToObject(b, "item") : NULL;
    cJSON *arr = NULL;
    char *text = NULL;
    int ok;

    snprintf(label, sizeof(label), "bench_%03d", item);
    ok = it && cJSON_AddStringToObject(it, "label", label) &&
         cJSON_AddArrayToObject(it, "classification_nodes_attributes") &&
         (arr = cJSON_AddArrayToObject(it, "slots_attributes")) != NULL;
    for (int j = 0; ok && j < per_item; j++)
        ok = add_slot(arr, s, item, j) == 0;
    if (ok)
        text = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    return text;
}

int fill_slots(const remote_session *s, int items, int per_item)
{
    char url[512];
    wire *w = wire_new();
    int rc = w ? 0 : -1;

    snprintf(url, sizeof(url), "%s/items", s->cfg->vault_url);
    for (int i = 0; rc == 0 && i < items; i++) {
        char *body = item_body(s, i, per_item);
        long code =
            body ? wire_post(w, url, (const char *)s->vault_token.p, body) : 0;
        if (code != 201) {
            fprintf(stderr, "POST /items #%d: HTTP %ld\n", i, code);
            rc = -1;
        }
        free(body);
    }
    wire_free(w);
    return rc;
}
