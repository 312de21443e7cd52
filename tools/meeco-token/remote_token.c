/* tools/meeco-token/remote_token.c - a remote token: its settings, login
 * against the server and the replica store. */
#include "mt_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

int mt_token_is_remote(const mt_opts *o)
{
    config *cfg = NULL;
    char *path = NULL;
    const config_token *t;
    int remote = mt_token_pick(o, 1, &cfg, &path, &t) == 0 &&
                 t->backend == CONFIG_BACKEND_REMOTE;

    config_free(cfg);
    free(path);
    return remote;
}

int mt_remote_open(const mt_opts *o, mt_remote *r)
{
    memset(r, 0, sizeof(*r));
    if (mt_token_pick(o, 0, &r->cfg, &r->config_path, &r->tok) != 0)
        return -1;
    if (r->tok->backend != CONFIG_BACKEND_REMOTE) {
        fprintf(stderr,
                "meeco-token: token '%s' is local (login and sync need a "
                "remote token; see `meeco-token signup`)\n",
                r->tok->name);
        return -1;
    }
    r->db_path = config_token_db_path(r->cfg, r->tok);
    if (!r->db_path) {
        fprintf(stderr, "meeco-token: out of memory\n");
        return -1;
    }
    remote_config_from_token(&r->rc, r->tok);
    return 0;
}

int mt_remote_replica(mt_remote *r)
{
    store_status st;

    if (r->db)
        return 0;
    st = store_open(r->db_path, &r->db);
    if (st != STORE_OK) {
        fprintf(stderr, "meeco-token: cannot open the replica %s: %s\n",
                r->db_path, store_strerror(st));
        return -1;
    }
    return 0;
}

void mt_remote_close(mt_remote *r)
{
    store_close(r->db);
    config_free(r->cfg);
    free(r->db_path);
    free(r->config_path);
    memset(r, 0, sizeof(*r));
}

void mt_remote_perror(const char *what, const mt_remote *r, remote_status st)
{
    const char *detail = remote_last_error();
    int unreachable = st == REMOTE_ERR_NETWORK || st == REMOTE_ERR_TIMEOUT ||
                      st == REMOTE_ERR_TLS;

    if (st == REMOTE_ERR_LOGIN)
        fprintf(stderr, "meeco-token: %s failed: %s\n", what,
                remote_strerror(st));
    else if (unreachable)
        fprintf(stderr, "meeco-token: %s: %s at %s (%s)\n", what,
                remote_strerror(st), r->rc.keystore_url, detail);
    else
        fprintf(stderr, "meeco-token: %s: %s%s%s%s\n", what,
                remote_strerror(st), *detail ? " (" : "", detail,
                *detail ? ")" : "");
}

int mt_remote_login_with(mt_remote *r, const char *passphrase,
                         remote_session *s)
{
    char *secret = NULL;
    config_error err = {0};
    remote_status st;

    if (config_token_secret(r->tok, &secret, &err) != CONFIG_OK) {
        fprintf(stderr, "meeco-token: Secret Key: %s\n", err.message);
        return -1;
    }
    if (!secret) {
        fprintf(stderr,
                "meeco-token: token '%s' has no secret_key_file in %s\n",
                r->tok->name, r->cfg->source);
        return -1;
    }
    st = remote_login(&r->rc, secret, passphrase, s);
    mt_secret_free(secret);
    if (st != REMOTE_OK) {
        mt_remote_perror("login", r, st);
        remote_session_free(s);
        return -1;
    }
    return 0;
}

int mt_remote_login(const mt_opts *o, mt_remote *r, remote_session *s)
{
    char *pass =
        mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE", "passphrase");
    int rc;

    if (!pass)
        return -1;
    rc = mt_remote_login_with(r, pass, s);
    mt_secret_free(pass);
    return rc;
}

int mt_remote_sync(mt_remote *r, const remote_session *s)
{
    char now[21];
    remote_status rst;
    store_status st;

    if (mt_remote_replica(r) != 0)
        return -1;
    rst = remote_sync(s, r->db);
    if (rst != REMOTE_OK) {
        mt_remote_perror("sync", r, rst);
        return -1;
    }
    store_now(now);
    st = store_meta_set(r->db, MT_META_LAST_SYNC, now);
    if (st != STORE_OK) {
        fprintf(stderr, "meeco-token: replica %s: %s\n", r->db_path,
                store_strerror(st));
        return -1;
    }
    return 0;
}

void mt_replica_counts(store *db, mt_counts *c)
{
    store_kek k;
    store_dek *d = NULL;
    store_keypair *kp = NULL;
    store_item *it = NULL;
    store_slot *sl = NULL;

    memset(c, 0, sizeof(*c));
    if (store_kek_get(db, &k) == STORE_OK) {
        c->keks = 1;
        store_kek_clear(&k);
    }
    if (store_dek_list(db, &d, &c->deks) != STORE_OK)
        c->deks = 0;
    if (store_keypair_list(db, &kp, &c->keypairs) != STORE_OK)
        c->keypairs = 0;
    if (store_item_list(db, &it, &c->items) != STORE_OK)
        c->items = 0;
    if (store_slot_list(db, NULL, &sl, &c->slots) != STORE_OK)
        c->slots = 0;
    store_dek_list_free(d, c->deks);
    store_keypair_list_free(kp, c->keypairs);
    store_item_list_free(it, c->items);
    store_slot_list_free(sl, c->slots);
}

void mt_counts_print(const char *prefix, const mt_counts *c)
{
    printf("%s%zu items, %zu slots, %zu keys (%zu KEK, %zu DEKs, "
           "%zu keypairs)\n",
           prefix, c->items, c->slots, c->keks + c->deks + c->keypairs,
           c->keks, c->deks, c->keypairs);
}
