/* server/records.h - JSON records on top of the document table (db.h):
 * every record is a cJSON object whose "id" field is its document id. */
#ifndef SERVER_RECORDS_H
#define SERVER_RECORDS_H

#include <cjson/cJSON.h>

#include "db.h"

/* Load and parse one record of user_id; NULL with *st set otherwise. */
cJSON *srv_rec_load(srv_dbc *c, const char *kind, const char *user_id,
                    const char *id, srv_db_status *st);
/* Same, by ext key (user_id NULL: any user; *owner receives the owning
 * user id when owner is not NULL, malloc'd). */
cJSON *srv_rec_find(srv_dbc *c, const char *kind, const char *user_id,
                    const char *ext, char **owner, srv_db_status *st);
srv_db_status srv_rec_insert(srv_dbc *c, const char *kind, const char *user_id,
                             const char *parent, const char *ext,
                             const cJSON *rec);
srv_db_status srv_rec_save(srv_dbc *c, const char *kind, const char *user_id,
                           const cJSON *rec);

/* Small builders. */
cJSON *srv_wrap(const char *key, cJSON *inner);          /* {key: inner} */
const char *srv_str(const cJSON *obj, const char *name); /* or NULL */
/* Replace (or add) obj[name] with a string / null when v is NULL. */
void srv_set_str(cJSON *obj, const char *name, const char *v);
void srv_set_item(cJSON *obj, const char *name, cJSON *item);
/* obj[name] = copy of src (or null when src is NULL). */
void srv_set_copy(cJSON *obj, const char *name, const cJSON *src);
/* Add the current time as ISO-8601 to obj[name]. */
void srv_set_now(cJSON *obj, const char *name);
/* A fresh UUID as obj["id"]; returns the id text inside obj. */
const char *srv_set_new_id(cJSON *obj);

/* A copy of rec without its internal fields (names starting with '_'). */
cJSON *srv_rec_public(const cJSON *rec);

#endif /* SERVER_RECORDS_H */
