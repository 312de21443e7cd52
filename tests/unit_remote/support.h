/* tests/unit_remote/support.h - shared by test_writes.c and
 * test_sync.c (see support.c). */
#ifndef TESTS_UNIT_REMOTE_SUPPORT_H
#define TESTS_UNIT_REMOTE_SUPPORT_H

#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>

#include "fixture_server.h"
#include "remote.h"
#include "store.h"

#define PASSPHRASE "writes test passphrase"

extern const char *srv_db;  /* the server's database */
extern remote_config cfg;   /* points at the in-process server */
extern remote_session sess; /* the signed-up account */
extern char *secret;        /* its Secret Key */

/* CUnit suite init/clean: start the server and sign up / stop it. */
int support_init(void);
int support_clean(void);

/* Aes256Gcm(session DEK, value), malloc'd; NULL on failure. */
char *enc(const char *value);
/* Non-zero when ev decrypts with the session DEK to want. */
int decrypts_to(const char *ev, const char *want);
/* remote_item_create with one slot: the item id (free); *slot_id and
 * *answer (may be NULL) as remote_item_create gives them. */
char *new_item(const char *name, const char *slot, const char *value,
               char **slot_id, cJSON **answer);
/* Everything a replica holds, as text (free). */
char *listing(store *db);
/* <the temporary folder>/name (static buffer). */
char *replica_path(const char *name);
/* A vault call as user u (body consumed); *out (may be NULL) the answer. */
remote_status vault_call(const remote_session *u, const char *method,
                         const char *path, cJSON *body, cJSON **out);

/* test_sync.c registers its tests here. */
void sync_tests_add(CU_pSuite s);

#endif /* TESTS_UNIT_REMOTE_SUPPORT_H */
