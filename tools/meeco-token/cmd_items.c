/* tools/meeco-token/cmd_items.c - `items add|get` and `passwd`. */
#include "meeco_token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_remote.h"
#include "vault.h"

#define VALUE_MAX (1024 * 1024)

/* The value from --value or --value-file (whole file, binary). */
static int read_value(const mt_opts *o, secbuf *v)
{
    if (o->value)
        return secbuf_dup(v, o->value, strlen(o->value));
    if (!o->value_file) {
        fprintf(stderr, "meeco-token: give --value or --value-file\n");
        return -1;
    }
    FILE *f = fopen(o->value_file, "rbe");
    if (!f || secbuf_alloc(v, VALUE_MAX + 1) != 0) {
        fprintf(stderr, "meeco-token: cannot read %s\n", o->value_file);
        if (f)
            fclose(f);
        return -1;
    }
    size_t n = fread(v->p, 1, VALUE_MAX + 1, f);
    fclose(f);
    if (n > VALUE_MAX) {
        fprintf(stderr, "meeco-token: %s is larger than 1 MiB\n",
                o->value_file);
        secbuf_free(v);
        return -1;
    }
    v->len = n;
    return 0;
}

static int items_add(const mt_opts *o, mt_token *t)
{
    secbuf v = {0};
    store_item it = {0};
    store_slot sl = {0};
    if (read_value(o, &v) != 0)
        return 1;
    vault_status st = vault_item_ensure(t->ks, o->item, NULL, &it, NULL);
    if (st == VAULT_OK)
        st = vault_slot_add(t->ks, it.id, o->slot, o->slot_label, o->type, v.p,
                            v.len, &sl);
    secbuf_free(&v);
    if (st == VAULT_OK)
        printf("%s\n", sl.id);
    else
        fprintf(stderr, "meeco-token: items add: %s\n", vault_strerror(st));
    store_item_clear(&it);
    store_slot_clear(&sl);
    return st == VAULT_OK ? 0 : 1;
}

static int items_get(const mt_opts *o, mt_token *t)
{
    store_item it = {0};
    store_slot sl = {0};
    secbuf v = {0};
    vault_status st = vault_item_find(t->ks, o->item, &it);
    if (st == VAULT_OK)
        st = vault_slot_find(t->ks, it.id, o->slot, &sl);
    if (st == VAULT_OK)
        st = vault_slot_value(t->ks, sl.id, &v);
    if (st == VAULT_OK)
        fwrite(v.p, 1, v.len, stdout);
    else
        fprintf(stderr, "meeco-token: items get: %s\n", vault_strerror(st));
    secbuf_free(&v);
    store_item_clear(&it);
    store_slot_clear(&sl);
    return st == VAULT_OK ? 0 : 1;
}

int mt_cmd_items(const mt_opts *o)
{
    if (mt_token_is_remote(o))
        return mt_cmd_remote_items(o);
    int add = o->n_args == 1 && strcmp(o->args[0], "add") == 0;
    int get = o->n_args == 1 && strcmp(o->args[0], "get") == 0;
    if ((!add && !get) || !o->item || !o->slot) {
        fprintf(stderr,
                "meeco-token: items add|get --item NAME --slot NAME ...\n");
        return 2;
    }
    mt_token t;
    int rc = 1;
    if (mt_token_open(o, &t) == 0 && mt_login(o, &t) == 0)
        rc = add ? items_add(o, &t) : items_get(o, &t);
    mt_token_close(&t);
    return rc;
}

int mt_cmd_passwd(const mt_opts *o)
{
    mt_token t;
    char *old = NULL, *fresh = NULL;
    int rc = 1;
    if (mt_token_open(o, &t) != 0)
        goto out;
    old = mt_secret_read(o->passphrase_file, "MEECO_PASSPHRASE",
                         "current passphrase");
    fresh = old ? mt_secret_read(o->new_passphrase_file, "MEECO_NEW_PASSPHRASE",
                                 "new passphrase")
                : NULL;
    if (!fresh)
        goto out;
    ks_status st = ks_account_login(t.ks, KS_USER_USER, old);
    if (st == KS_OK)
        st = ks_account_set_pin(t.ks, old, fresh);
    if (st != KS_OK)
        fprintf(stderr, "meeco-token: passwd: %s\n", ks_strerror(st));
    else
        fprintf(stderr, "meeco-token: passphrase changed\n");
    rc = st == KS_OK ? 0 : 1;
out:
    mt_secret_free(old);
    mt_secret_free(fresh);
    mt_token_close(&t);
    return rc;
}
