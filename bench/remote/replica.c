/* bench/remote/replica.c - remote_sync into a fresh store, then list. */
#include "replica.h"

#include <stdio.h>
#include <string.h>

#include "cryppo.h"
#include "fill.h"
#include "stats.h"
#include "store.h"
#include "sync.h"

/* List items and slots; count the slot values that decrypt to a
 * fill_value() text. */
static int list_all(store *db, const remote_session *s, replica_result *r)
{
    store_item *items = NULL;
    store_slot *slots = NULL;
    size_t ni = 0, ns = 0;
    int rc = -1;

    if (store_item_list(db, &items, &ni) != STORE_OK ||
        store_slot_list(db, NULL, &slots, &ns) != STORE_OK)
        goto out;
    r->items = ni;
    for (size_t i = 0; i < ns; i++) {
        secbuf v = {0};
        if (slots[i].encrypted_value &&
            cryppo_aes_decrypt(s->dek.p, slots[i].encrypted_value, &v) ==
                CRYPPO_OK &&
            v.len >= sizeof(VALUE_PREFIX) - 1 &&
            memcmp(v.p, VALUE_PREFIX, sizeof(VALUE_PREFIX) - 1) == 0)
            r->slots++;
        secbuf_free(&v);
    }
    rc = 0;
out:
    store_item_list_free(items, ni);
    store_slot_list_free(slots, ns);
    return rc;
}

static int sync_and_list(const remote_session *s, const char *path,
                         replica_result *r)
{
    store *db = NULL;
    remote_status st;
    double t0;
    int rc = -1;

    if (store_open(path, &db) != STORE_OK) {
        fprintf(stderr, "store_open %s failed\n", path);
        return -1;
    }
    t0 = stats_now();
    st = remote_sync(s, db);
    r->sync_s = stats_now() - t0;
    if (st != REMOTE_OK) {
        fprintf(stderr, "remote_sync: %s (%s)\n", remote_strerror(st),
                remote_last_error());
        goto out;
    }
    t0 = stats_now();
    rc = list_all(db, s, r);
    r->list_s = stats_now() - t0;
out:
    store_close(db);
    return rc;
}

int replica_bench(const remote_config *cfg, const char *secret,
                  const char *passphrase, const char *path, replica_result *out)
{
    remote_session s = {0};
    double t0 = stats_now();
    remote_status st = remote_login(cfg, secret, passphrase, &s);
    int rc;

    memset(out, 0, sizeof(*out));
    out->login_s = stats_now() - t0;
    if (st != REMOTE_OK) {
        fprintf(stderr, "remote_login: %s\n", remote_strerror(st));
        return -1;
    }
    rc = sync_and_list(&s, path, out);
    remote_session_free(&s);
    return rc;
}
