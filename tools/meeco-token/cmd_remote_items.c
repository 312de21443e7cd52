/* tools/meeco-token/cmd_remote_items.c - `items list|create` of a remote
 * token.  `list` reads the replica (values decrypted offline with the
 * passphrase: PDK -> KEK -> private DEK, all from the replica);
 * `create` writes to the server first, then syncs the replica. */
#include "mt_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cryppo.h"
#include "secbuf.h"
#include "vault.h"
#include "writes.h"

#define KEY_LEN 32

/* ---- list ------------------------------------------------------------- */

static int unwrap(const uint8_t *key, const char *wrapped, secbuf *out)
{
    if (!wrapped || cryppo_aes_decrypt(key, wrapped, out) != CRYPPO_OK ||
        out->len != KEY_LEN) {
        secbuf_free(out);
        return -1;
    }
    return 0;
}

/* The private DEK of the account recorded in the replica, unwrapped with
 * the KEK that the passphrase and the Secret Key unlock. */
static int replica_dek(mt_remote *r, const char *secret, const char *pass,
                       secbuf *dek)
{
    cryppo_secret cs = {0};
    uint8_t pdk[KEY_LEN];
    secbuf kek = {0};
    store_kek k = {0};
    store_dek d = {0};
    store_account acc = {0};
    int rc = -1;

    if (store_account_get(r->db, &acc) != STORE_OK ||
        !acc.private_dek_id || store_kek_get(r->db, &k) != STORE_OK ||
        store_dek_get(r->db, acc.private_dek_id, &d) != STORE_OK) {
        fprintf(stderr, "meeco-token: the replica %s has no keys yet "
                        "(meeco-token login)\n",
                r->db_path);
        goto out;
    }
    if (cryppo_secret_parse(secret, &cs) != CRYPPO_OK ||
        cryppo_secret_derive_pdk(&cs, pass, pdk) != CRYPPO_OK) {
        fprintf(stderr, "meeco-token: the Secret Key is malformed\n");
        goto out;
    }
    rc = unwrap(pdk, k.serialized_key_encryption_key, &kek) == 0 &&
                 unwrap(kek.p, d.serialized_data_encryption_key, dek) == 0
             ? 0
             : -1;
    if (rc != 0)
        fprintf(stderr, "meeco-token: login failed: wrong passphrase or "
                        "Secret Key\n");
out:
    secure_wipe(pdk, sizeof(pdk));
    secbuf_free(&kek);
    cryppo_secret_free(&cs);
    store_kek_clear(&k);
    store_dek_clear(&d);
    store_account_clear(&acc);
    return rc;
}

/* Read the Secret Key and the passphrase, then replica_dek. */
static int unlock(const mt_opts *o, mt_remote *r, secbuf *dek)
{
    char *secret = NULL, *pass = NULL;
    config_error err = {0};
    int rc = -1;

    if (config_token_secret(r->tok, &secret, &err) != CONFIG_OK || !secret) {
        fprintf(stderr, "meeco-token: Secret Key: %s\n",
                secret ? err.message : "no secret_key_file");
        goto out;
    }
    pass = mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE",
                          "passphrase");
    if (pass)
        rc = replica_dek(r, secret, pass, dek);
out:
    mt_secret_free(secret);
    mt_secret_free(pass);
    return rc;
}

static void print_slot(const store_slot *sl, const secbuf *dek)
{
    secbuf v = {0};

    printf("  slot   %s (%s) %s", sl->name, sl->label,
           sl->slot_type_name ? sl->slot_type_name : "");
    if (dek && sl->encrypted_value &&
        cryppo_aes_decrypt(dek->p, sl->encrypted_value, &v) == CRYPPO_OK) {
        fputs(" = ", stdout);
        fwrite(v.p, 1, v.len, stdout);
    } else if (dek && sl->encrypted_value) {
        fputs(" (does not decrypt)", stdout);
    }
    putchar('\n');
    secbuf_free(&v);
}

static int items_list(const mt_opts *o, mt_remote *r)
{
    secbuf dek = {0};
    store_item *it = NULL;
    size_t ni = 0;

    if (mt_remote_replica(r) != 0 ||
        (o->values && unlock(o, r, &dek) != 0))
        return 1;
    if (store_item_list(r->db, &it, &ni) != STORE_OK)
        ni = 0;
    for (size_t i = 0; i < ni; i++) {
        store_slot_filter f = {.item_id = it[i].id};
        store_slot *sl = NULL;
        size_t ns = 0;
        printf("item     %s (%s)\n", it[i].name, it[i].label);
        if (store_slot_list(r->db, &f, &sl, &ns) != STORE_OK)
            ns = 0;
        for (size_t j = 0; j < ns; j++)
            print_slot(&sl[j], o->values ? &dek : NULL);
        store_slot_list_free(sl, ns);
    }
    store_item_list_free(it, ni);
    secbuf_free(&dek);
    return 0;
}

/* ---- create ------------------------------------------------------------ */

/* remote_item_create (new item) or remote_slot_add (one more slot). */
static remote_status server_write(const mt_opts *o, const remote_session *s,
                                  const char *item_id, const char *item,
                                  const char *slot, const char *enc)
{
    remote_slot_in in = {.name = slot,
                         .label = o->slot_label,
                         .slot_type_name = o->type,
                         .encrypted_value = enc};
    cJSON *ans = NULL;
    remote_status st =
        item_id ? remote_slot_add(s, item_id, &in, &ans, NULL)
                : remote_item_create(s, item, o->label, NULL, &in, &ans, NULL);

    cJSON_Delete(ans);
    return st;
}

/* The item's id when it exists in the (just synced) replica; -1 when
 * the slot exists too. */
static int existing(mt_remote *r, const char *item, const char *slot,
                    char **item_id)
{
    store_item it = {0};
    store_slot *sl = NULL;
    size_t n = 0;

    *item_id = NULL;
    if (store_item_get_by_name(r->db, item, &it) != STORE_OK)
        return 0;
    store_slot_filter f = {.item_id = it.id, .name = slot};
    if (store_slot_list(r->db, &f, &sl, &n) != STORE_OK)
        n = 0;
    store_slot_list_free(sl, n);
    *item_id = n == 0 ? strdup(it.id) : NULL;
    store_item_clear(&it);
    if (n == 0)
        return 0;
    fprintf(stderr, "meeco-token: items create: item '%s' already has a "
                    "slot '%s'\n",
            item, slot);
    return -1;
}

static int create_synced(const mt_opts *o, mt_remote *r,
                         const remote_session *s, const char *item,
                         const char *slot)
{
    char *enc = NULL, *item_id = NULL;
    remote_status st;
    int rc = 1;

    if (existing(r, item, slot, &item_id) != 0)
        goto out;
    if (cryppo_aes_encrypt(s->dek.p, (const uint8_t *)o->value,
                           strlen(o->value), &enc) != CRYPPO_OK) {
        fprintf(stderr, "meeco-token: items create: cannot encrypt\n");
        goto out;
    }
    st = server_write(o, s, item_id, item, slot, enc);
    if (st != REMOTE_OK) {
        mt_remote_perror("items create", r, st);
        goto out;
    }
    if (mt_remote_sync(r, s) == 0) {
        printf("created %s/%s on %s\n", item, slot, r->rc.vault_url);
        rc = 0;
    }
out:
    free(enc);
    free(item_id);
    return rc;
}

static int items_create(const mt_opts *o, mt_remote *r)
{
    remote_session s = {0};
    char *item = vault_name_sanitize(o->item);
    char *slot = vault_name_sanitize(o->slot);
    int rc = 1;

    if (!item || !slot || !*item || !*slot) {
        fprintf(stderr, "meeco-token: items create: bad item or slot name\n");
        goto out;
    }
    if (mt_remote_login(o, r, &s) == 0 && mt_remote_sync(r, &s) == 0)
        rc = create_synced(o, r, &s, item, slot);
out:
    remote_session_free(&s);
    free(item);
    free(slot);
    return rc;
}

int mt_cmd_remote_items(const mt_opts *o)
{
    int list = o->n_args == 1 && strcmp(o->args[0], "list") == 0;
    int create = o->n_args == 1 && strcmp(o->args[0], "create") == 0;
    mt_remote r;
    int rc = 1;

    if (!list && (!create || !o->item || !o->slot || !o->value)) {
        fprintf(stderr, "meeco-token: items list [--values] | items create "
                        "--item NAME --slot NAME --value V [--label L]\n");
        return 2;
    }
    if (mt_remote_open(o, &r) == 0)
        rc = list ? items_list(o, &r) : items_create(o, &r);
    mt_remote_close(&r);
    return rc;
}
