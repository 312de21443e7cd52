/* remote/snapshot.h - (internal) what remote_fetch collected. */
#ifndef REMOTE_SNAPSHOT_H
#define REMOTE_SNAPSHOT_H

#include <cjson/cJSON.h>

#include "http.h"
#include "records.h"
#include "sync.h"

struct remote_snapshot {
    char *username;
    char *dek_id;         /* the session's private DEK id */
    cJSON *kek;           /* key_encryption_key record */
    cJSON *dek;           /* data_encryption_key record (private DEK) */
    cJSON *keypair;       /* the "auth" keypair record */
    cJSON *items, *slots; /* arrays of every item and slot record */
    cJSON *templates, *template_slots; /* GET /item_templates */
    cJSON *connections;                /* GET /connections */
    cJSON *shares; /* GET /incoming_shares + /outgoing_shares */
    /* sorted, borrowed from the arrays */
    remote_idset item_ids, slot_ids, connection_ids, share_ids;
};

/* Where one array member of each page goes. */
typedef struct remote_page_sink {
    const char *member;
    cJSON *dst;
} remote_page_sink;

/* GET base?per_page=N[&next_page_after=C] until there is no cursor,
 * moving each page's member arrays onto their dst (a page without the
 * first sink's array is REMOTE_ERR_PROTOCOL). */
remote_status remote_pages_fetch(remote_http *h, const remote_session *s,
                                 const char *base,
                                 const remote_page_sink *sinks, size_t n);

/* Item templates, connections and shares (extras.c): fetched, checked
 * (ids indexed into the snapshot), applied inside the caller's
 * transaction. */
remote_status remote_extras_fetch(remote_http *h, const remote_session *s,
                                  remote_snapshot *snap);
remote_status remote_extras_check(remote_snapshot *snap);
remote_status remote_extras_apply(const remote_snapshot *snap, store *db);

#endif /* REMOTE_SNAPSHOT_H */
