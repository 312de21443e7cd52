/* server/records.c - JSON records over the document table. */
#include "records.h"

#include <stdlib.h>

#include "util.h"

cJSON *srv_rec_load(srv_dbc *c, const char *kind, const char *user_id,
                    const char *id, srv_db_status *st)
{
    srv_doc d;
    cJSON *rec = NULL;

    *st = id ? srv_doc_get(c, kind, user_id, id, &d) : SRV_DB_NOT_FOUND;
    if (*st != SRV_DB_OK)
        return NULL;
    rec = cJSON_Parse(d.body);
    srv_doc_clear(&d);
    if (!rec)
        *st = SRV_DB_ERROR;
    return rec;
}

cJSON *srv_rec_find(srv_dbc *c, const char *kind, const char *user_id,
                    const char *ext, char **owner, srv_db_status *st)
{
    srv_doc d;
    cJSON *rec;

    *st = srv_doc_find_ext(c, kind, user_id, ext, &d);
    if (*st != SRV_DB_OK)
        return NULL;
    rec = cJSON_Parse(d.body);
    if (owner) {
        *owner = d.user_id;
        d.user_id = NULL;
    }
    srv_doc_clear(&d);
    if (!rec) {
        *st = SRV_DB_ERROR;
        if (owner) {
            free(*owner);
            *owner = NULL;
        }
    }
    return rec;
}

srv_db_status srv_rec_insert(srv_dbc *c, const char *kind, const char *user_id,
                             const char *parent, const char *ext,
                             const cJSON *rec)
{
    char *text = cJSON_PrintUnformatted(rec);
    srv_db_status st;

    if (!text)
        return SRV_DB_ERROR;
    st =
        srv_doc_insert(c, kind, srv_str(rec, "id"), user_id, parent, ext, text);
    free(text);
    return st;
}

srv_db_status srv_rec_save(srv_dbc *c, const char *kind, const char *user_id,
                           const cJSON *rec)
{
    char *text = cJSON_PrintUnformatted(rec);
    srv_db_status st;

    if (!text)
        return SRV_DB_ERROR;
    st = srv_doc_update(c, kind, user_id, srv_str(rec, "id"), text);
    free(text);
    return st;
}

cJSON *srv_wrap(const char *key, cJSON *inner)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddItemToObject(o, key, inner ? inner : cJSON_CreateNull());
    return o;
}

const char *srv_str(const cJSON *obj, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsString(f) ? f->valuestring : NULL;
}

void srv_set_item(cJSON *obj, const char *name, cJSON *item)
{
    if (!item)
        item = cJSON_CreateNull();
    if (cJSON_GetObjectItemCaseSensitive(obj, name))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, name, item);
    else
        cJSON_AddItemToObject(obj, name, item);
}

void srv_set_str(cJSON *obj, const char *name, const char *v)
{
    srv_set_item(obj, name, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void srv_set_copy(cJSON *obj, const char *name, const cJSON *src)
{
    srv_set_item(obj, name, src ? cJSON_Duplicate(src, 1) : NULL);
}

void srv_set_now(cJSON *obj, const char *name)
{
    char now[SRV_TIME_LEN + 1];

    srv_time_iso(srv_now_ms(), now);
    srv_set_str(obj, name, now);
}

const char *srv_set_new_id(cJSON *obj)
{
    char id[SRV_ID_LEN + 1];

    if (srv_id_new(id) != 0)
        return NULL;
    srv_set_str(obj, "id", id);
    return srv_str(obj, "id");
}

cJSON *srv_rec_public(const cJSON *rec)
{
    cJSON *copy = cJSON_Duplicate(rec, 1), *f = copy ? copy->child : NULL;

    while (f) {
        cJSON *next = f->next;

        if (f->string && f->string[0] == '_')
            cJSON_Delete(cJSON_DetachItemViaPointer(copy, f));
        f = next;
    }
    return copy;
}
