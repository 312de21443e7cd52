/* tools/meeco-token/cmd_remote.c - `login`, `sync` and `status` of a
 * remote token. */
#include "mt_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"

/* Log in (verifies the passphrase against the server) and sync; the
 * counts before and after go to *before / *after. */
static int login_sync(const mt_opts *o, mt_remote *r, mt_counts *before,
                      mt_counts *after, char **username)
{
    remote_session s = {0};
    int rc = -1;

    if (mt_remote_login(o, r, &s) != 0)
        return -1;
    if (mt_remote_replica(r) == 0) {
        mt_replica_counts(r->db, before);
        rc = mt_remote_sync(r, &s);
        mt_replica_counts(r->db, after);
    }
    *username = rc == 0 ? strdup(s.username) : NULL;
    remote_session_free(&s);
    return rc;
}

int mt_cmd_login(const mt_opts *o)
{
    mt_remote r;
    mt_counts before, after;
    char *username = NULL;
    int rc = 1;

    if (mt_remote_open(o, &r) == 0 &&
        login_sync(o, &r, &before, &after, &username) == 0) {
        printf("logged in as %s at %s\nreplica:   %s\n", username,
               r.rc.keystore_url, r.db_path);
        mt_counts_print("objects:   ", &after);
        rc = 0;
    }
    free(username);
    mt_remote_close(&r);
    return rc;
}

static void print_change(const char *what, size_t before, size_t after)
{
    printf("%-10s %zu -> %zu", what, before, after);
    if (after > before)
        printf(" (+%zu)", after - before);
    else if (after < before)
        printf(" (-%zu)", before - after);
    putchar('\n');
}

int mt_cmd_sync(const mt_opts *o)
{
    mt_remote r;
    mt_counts b, a;
    char *username = NULL;
    int rc = 1;

    if (mt_remote_open(o, &r) == 0 &&
        login_sync(o, &r, &b, &a, &username) == 0) {
        printf("synced %s from %s into %s\n", username, r.rc.vault_url,
               r.db_path);
        print_change("items:", b.items, a.items);
        print_change("slots:", b.slots, a.slots);
        print_change("keys:", b.keks + b.deks + b.keypairs,
                     a.keks + a.deks + a.keypairs);
        if (memcmp(&a, &b, sizeof(a)) == 0)
            printf("no new records\n");
        rc = 0;
    }
    free(username);
    mt_remote_close(&r);
    return rc;
}

/* GET <keystore>/version needs no session: "reachable (api 10.0.0)". */
static void print_reachable(mt_remote *r)
{
    remote_http *h = NULL;
    cJSON *ans = NULL;
    remote_status st;

    r->rc.get_retries = 0;
    st = remote_http_new(&r->rc, &h);
    if (st == REMOTE_OK)
        st = remote_http_call(h, REMOTE_KEYSTORE, "GET", "/version", NULL,
                              NULL, &ans, NULL);
    if (st == REMOTE_OK) {
        const char *v = remote_json_str(ans, "component.api_version");
        printf("server:    reachable%s%s%s\n", v ? " (keystore api " : "",
               v ? v : "", v ? ")" : "");
    } else {
        printf("server:    unreachable: %s (%s)\n", remote_strerror(st),
               remote_last_error());
    }
    cJSON_Delete(ans);
    remote_http_free(h);
}

/* Replica facts; the file is not created when it does not exist. */
static void print_replica(mt_remote *r)
{
    char *last = NULL;
    store_account acc;
    mt_counts c;

    if (access(r->db_path, F_OK) != 0) {
        printf("replica:   %s (not synced yet: meeco-token login)\n",
               r->db_path);
        return;
    }
    printf("replica:   %s\n", r->db_path);
    if (mt_remote_replica(r) != 0)
        return;
    if (store_meta_get(r->db, MT_META_LAST_SYNC, &last) != STORE_OK)
        last = NULL;
    printf("last sync: %s\n", last ? last : "never");
    free(last);
    if (store_account_get(r->db, &acc) == STORE_OK) {
        printf("username:  %s\n", acc.username);
        store_account_clear(&acc);
    }
    mt_replica_counts(r->db, &c);
    mt_counts_print("objects:   ", &c);
}

int mt_cmd_remote_status(const mt_opts *o)
{
    mt_remote r;

    if (mt_remote_open(o, &r) != 0) {
        mt_remote_close(&r);
        return 1;
    }
    printf("token:     %s\nlabel:     %s\nbackend:   remote\nconfig:    %s\n"
           "keystore:  %s\nvault:     %s\n",
           r.tok->name, r.tok->label, r.cfg->source, r.rc.keystore_url,
           r.rc.vault_url);
    print_reachable(&r);
    print_replica(&r);
    printf("write-protected: %s\n", r.tok->read_only ? "yes" : "no");
    mt_remote_close(&r);
    return 0;
}
