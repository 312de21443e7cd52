/* remote/extras.c - the parts of a snapshot beyond keys, items and
 * slots: item templates (GET /item_templates), connections
 * (GET /connections, keyed by own.id) and shares (GET /incoming_shares
 * and /outgoing_shares), as far as the store has tables for them. */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

/* ---- fetch ----------------------------------------------------------------
 */

remote_status remote_extras_fetch(remote_http *h, const remote_session *s,
                                  remote_snapshot *snap)
{
    const remote_page_sink tpl[] = {{"item_templates", snap->templates},
                                    {"slots", snap->template_slots}};
    const remote_page_sink conn[] = {{"connections", snap->connections}};
    const remote_page_sink shares[] = {{"shares", snap->shares}};
    remote_status st;

    st = remote_pages_fetch(h, s, "/item_templates", tpl, 2);
    if (st == REMOTE_OK)
        st = remote_pages_fetch(h, s, "/connections", conn, 1);
    if (st == REMOTE_OK)
        st = remote_pages_fetch(h, s, "/incoming_shares", shares, 1);
    if (st == REMOTE_OK)
        st = remote_pages_fetch(h, s, "/outgoing_shares", shares, 1);
    return st;
}

/* ---- check ----------------------------------------------------------------
 */

static remote_status bad(const char *what, const char *key)
{
    remote_error_set("%s: bad or missing %s", what, key);
    return REMOTE_ERR_PROTOCOL;
}

static const cJSON *find_by_id(const cJSON *arr, const char *id)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, arr)
    {
        const char *v = remote_json_str(e, "id");

        if (v && strcmp(v, id) == 0)
            return e;
    }
    return NULL;
}

static remote_status check_template(const cJSON *t, const cJSON *slots)
{
    const cJSON *e;

    if (!cJSON_IsObject(t) || !remote_record_id_ok(t, "id"))
        return bad("item template", "id");
    if (!remote_json_str(t, "name"))
        return bad("item template", "name");
    if (!remote_opt_str(t, "label") || !remote_opt_str(t, "description"))
        return bad("item template", "label/description");
    if (!remote_opt_array(t, "slot_ids"))
        return bad("item template", "slot_ids");
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(t, "slot_ids"))
    {
        if (!cJSON_IsString(e) || !find_by_id(slots, e->valuestring))
            return bad("item template", "slot_ids (no such slot)");
    }
    return REMOTE_OK;
}

static remote_status check_template_slot(const cJSON *sl)
{
    if (!cJSON_IsObject(sl) || !remote_record_id_ok(sl, "id") ||
        !remote_json_str(sl, "name"))
        return bad("template slot", "id/name");
    if (!remote_opt_str(sl, "label") || !remote_opt_str(sl, "slot_type_name"))
        return bad("template slot", "label/slot_type_name");
    return REMOTE_OK;
}

static remote_status check_records(const cJSON *arr, const char *key,
                                   const char *what)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, arr)
    {
        if (!cJSON_IsObject(e) || !remote_record_id_ok(e, key))
            return bad(what, key);
    }
    return REMOTE_OK;
}

/* Items carry item_template_id only: add the template's name. */
static void name_templates(remote_snapshot *snap)
{
    cJSON *it;

    cJSON_ArrayForEach(it, snap->items)
    {
        const char *id = remote_json_str(it, "item_template_id");
        const cJSON *t = id ? find_by_id(snap->templates, id) : NULL;

        remote_item_template_name(it, remote_json_str(t, "name"));
    }
}

remote_status remote_extras_check(remote_snapshot *snap)
{
    const cJSON *e;
    remote_status st = REMOTE_OK;

    cJSON_ArrayForEach(e, snap->template_slots)
    {
        if ((st = check_template_slot(e)) != REMOTE_OK)
            return st;
    }
    cJSON_ArrayForEach(e, snap->templates)
    {
        if ((st = check_template(e, snap->template_slots)) != REMOTE_OK)
            return st;
    }
    st = check_records(snap->connections, "own.id", "connection");
    if (st == REMOTE_OK)
        st = check_records(snap->shares, "id", "share");
    if (st == REMOTE_OK)
        st = remote_idset_build(snap->connections, "own.id",
                                &snap->connection_ids);
    if (st == REMOTE_OK)
        st = remote_idset_build(snap->shares, "id", &snap->share_ids);
    if (st == REMOTE_OK)
        name_templates(snap);
    return st;
}

/* ---- apply ----------------------------------------------------------------
 */

/* A template the replica does not have yet (by name) is inserted with
 * its server id; templates are never changed or deleted by a sync. */
static remote_status put_template(store *db, const remote_snapshot *snap,
                                  const cJSON *t)
{
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(t, "slot_ids"), *e;
    size_t n = (size_t)cJSON_GetArraySize(ids), i = 0;
    store_template have, tpl = {0};
    store_status st;

    st = store_template_get_by_name(db, remote_json_str(t, "name"), &have);
    if (st == STORE_OK)
        store_template_clear(&have);
    if (st != STORE_ERR_NOT_FOUND)
        return remote_from_store(st, "template");
    tpl.slots = calloc(n ? n : 1, sizeof(*tpl.slots));
    if (!tpl.slots)
        return REMOTE_ERR_NOMEM;
    cJSON_ArrayForEach(e, ids)
    {
        const cJSON *sl = find_by_id(snap->template_slots, e->valuestring);
        const char *label = remote_json_str(sl, "label");
        const char *type = remote_json_str(sl, "slot_type_name");

        tpl.slots[i].name = remote_json_str(sl, "name");
        tpl.slots[i].label = label ? label : tpl.slots[i].name;
        tpl.slots[i++].slot_type_name = type ? type : "key_value";
    }
    tpl.id = remote_json_str(t, "id");
    tpl.name = remote_json_str(t, "name");
    tpl.label = remote_json_str(t, "label");
    tpl.label = tpl.label ? tpl.label : tpl.name;
    tpl.description = remote_json_str(t, "description");
    tpl.n_slots = i;
    st = store_template_insert(db, &tpl, NULL);
    free(tpl.slots);
    /* same id under another name locally: keep the local one */
    return remote_from_store(st == STORE_ERR_EXISTS ? STORE_OK : st,
                             "template");
}

/* Upsert every record of arr into table and delete the others. */
static remote_status sync_records(store *db, const char *table,
                                  const cJSON *arr, const char *key,
                                  const remote_idset *keep)
{
    char **ids = NULL, *json;
    size_t n = 0;
    const cJSON *e;
    store_status st = store_record_list_ids(db, table, &ids, &n);

    for (size_t i = 0; st == STORE_OK && i < n; i++)
        if (!remote_idset_has(keep, ids[i]))
            st = store_record_delete(db, table, ids[i]);
    store_ids_free(ids, n);
    cJSON_ArrayForEach(e, arr)
    {
        if (st != STORE_OK)
            break;
        json = cJSON_PrintUnformatted(e);
        st = json ? store_record_put(db, table, remote_json_str(e, key), json)
                  : STORE_ERR_NOMEM;
        free(json);
    }
    return remote_from_store(st, table);
}

remote_status remote_extras_apply(const remote_snapshot *snap, store *db)
{
    const cJSON *t;
    remote_status st = REMOTE_OK;

    cJSON_ArrayForEach(t, snap->templates)
    {
        if ((st = put_template(db, snap, t)) != REMOTE_OK)
            return st;
    }
    st = sync_records(db, "connections", snap->connections, "own.id",
                      &snap->connection_ids);
    if (st == REMOTE_OK)
        st = sync_records(db, "shares", snap->shares, "id", &snap->share_ids);
    return st;
}
