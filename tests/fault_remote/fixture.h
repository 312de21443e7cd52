/* tests/fault_remote/fixture.h - what every fault test stands on:
 * meeco-server in this process, the faulty proxy in front of it, one
 * account holding more than a page of items, the module dlopened with a
 * remote token whose URLs point at the proxy, and views of the replica.
 */
#ifndef TESTS_FAULT_REMOTE_FIXTURE_H
#define TESTS_FAULT_REMOTE_FIXTURE_H

#include <pkcs11.h>
#include <stdbool.h>
#include <stddef.h>

#include "proxy.h"

#define FX_PASS "correct horse battery staple"
/* The remote client pages GET /items by 100: two pages. */
#define FX_ITEMS 105

extern CK_FUNCTION_LIST_PTR fx_p11;
extern proxy *fx_proxy;

int fx_suite_init(void);
int fx_suite_clean(void);

/* Write the configuration of token "acct" (replica <dir>/<replica>.sqlite3,
 * no refresher, the given HTTP timeout) and point MEECO_PKCS11_CONF at
 * it; the full replica path goes to path. */
void fx_conf(const char *replica, int timeout_s, char *path, size_t len);
/* The same with a background refresh every refresh_s seconds. */
void fx_conf_refresh(const char *replica, int timeout_s, int refresh_s,
                     char *path, size_t len);

/* C_Initialize and a read/write session on the token. */
CK_SESSION_HANDLE fx_open(void);
CK_RV fx_login(CK_SESSION_HANDLE h);
CK_FLAGS fx_token_flags(void);
/* CKO_DATA objects visible in the session. */
CK_ULONG fx_data_count(CK_SESSION_HANDLE h);
/* The CKO_DATA object labelled label has this value. */
bool fx_value_is(CK_SESSION_HANDLE h, const char *label, const char *value);
/* A private token CKO_DATA object (o may be NULL). */
CK_RV fx_data_create(CK_SESSION_HANDLE h, const char *app, const char *label,
                     const char *value, CK_OBJECT_HANDLE *o);
/* The name and value of the fixture's i-th slot. */
void fx_slot_name(unsigned i, char *name, size_t len);
void fx_slot_value(unsigned i, char *value, size_t len);

/* The replica passes PRAGMA integrity_check; digest gets a SHA-256 over
 * every row of every table (a replica that changed gets another). */
bool fx_replica_digest(const char *path, unsigned char digest[32]);
/* The same without the time of the last sync (a sync that brought
 * nothing new leaves it unchanged). */
bool fx_replica_data_digest(const char *path, unsigned char digest[32]);

/* A login through a forwarding proxy into a fresh replica, then
 * C_Finalize: the replica holds the account (GET /items took more than
 * one page).  Returns the CKO_DATA objects it showed. */
CK_ULONG fx_sync_replica(const char *replica, char *path, size_t len);

#endif /* TESTS_FAULT_REMOTE_FIXTURE_H */
