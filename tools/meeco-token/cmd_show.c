/* tools/meeco-token/cmd_show.c - `status`, `list` and `export`. */
#include "meeco_token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_export.h"
#include "mt_remote.h"
#include "vault_export.h"

static const char *state_name(ks_state s)
{
    switch (s) {
    case KS_STATE_EMPTY:
        return "uninitialized";
    case KS_STATE_NO_USER_PIN:
        return "initialized, passphrase (user PIN) not set";
    default:
        return "ready";
    }
}

/* Counts of each kind of record (0 when a listing fails). */
static void count_objects(mt_token *t, size_t *nd, size_t *nk, size_t *ni,
                          size_t *ns)
{
    store_dek *d = NULL;
    store_keypair *k = NULL;
    store_item *it = NULL;
    store_slot *sl = NULL;
    if (ks_dek_list(t->ks, &d, nd) != KS_OK)
        *nd = 0;
    if (ks_keypair_list(t->ks, &k, nk) != KS_OK)
        *nk = 0;
    if (vault_item_list(t->ks, &it, ni) != VAULT_OK)
        *ni = 0;
    if (vault_slot_list(t->ks, NULL, &sl, ns) != VAULT_OK)
        *ns = 0;
    store_dek_list_free(d, *nd);
    store_keypair_list_free(k, *nk);
    store_item_list_free(it, *ni);
    store_slot_list_free(sl, *ns);
}

int mt_cmd_status(const mt_opts *o)
{
    mt_token t;
    if (mt_token_is_remote(o))
        return mt_cmd_remote_status(o);
    if (mt_token_open(o, &t) != 0) {
        mt_token_close(&t);
        return 1;
    }
    ks_state state = KS_STATE_EMPTY;
    ks_status st = ks_account_state(t.ks, &state);
    printf("token:     %s\ndatabase:  %s\nconfig:    %s\nstate:     %s\n",
           t.tok->name, t.db_path, t.cfg->source,
           st == KS_OK ? state_name(state) : "?");
    store_account acc;
    if (state != KS_STATE_EMPTY && ks_account_info(t.ks, &acc) == KS_OK) {
        size_t nd = 0, nk = 0, ni = 0, ns = 0;
        count_objects(&t, &nd, &nk, &ni, &ns);
        printf("label:     %s\nusername:  %s\ncreated:   %s\n"
               "objects:   %zu DEKs, %zu keypairs, %zu items, %zu slots\n",
               acc.label, acc.username, acc.created_at, nd, nk, ni, ns);
        store_account_clear(&acc);
    }
    mt_token_close(&t);
    return st == KS_OK ? 0 : 1;
}

static void list_keys(mt_token *t)
{
    char *kek = NULL;
    if (ks_kek_id(t->ks, &kek) == KS_OK)
        printf("kek      %s\n", kek);
    free(kek);
    store_dek *d = NULL;
    size_t n = 0;
    if (ks_dek_list(t->ks, &d, &n) == KS_OK)
        for (size_t i = 0; i < n; i++)
            printf("dek      %s  %s\n", d[i].id, d[i].label ? d[i].label : "");
    store_dek_list_free(d, n);
    store_keypair *k = NULL;
    if (ks_keypair_list(t->ks, &k, &n) == KS_OK)
        for (size_t i = 0; i < n; i++)
            printf("keypair  %s  %s-%d %s %s\n", k[i].id, k[i].key_type,
                   k[i].bits, k[i].external_identifiers,
                   k[i].label ? k[i].label : "");
    store_keypair_list_free(k, n);
}

static void list_items(mt_token *t)
{
    store_item *it = NULL;
    size_t ni = 0;
    if (vault_item_list(t->ks, &it, &ni) != VAULT_OK)
        return;
    for (size_t i = 0; i < ni; i++) {
        printf("item     %s  %s (%s)\n", it[i].id, it[i].name, it[i].label);
        store_slot *sl = NULL;
        size_t ns = 0;
        if (vault_slot_list(t->ks, it[i].id, &sl, &ns) == VAULT_OK)
            for (size_t j = 0; j < ns; j++)
                printf("  slot   %s  %s (%s) %s\n", sl[j].id, sl[j].name,
                       sl[j].label, sl[j].slot_type_name);
        store_slot_list_free(sl, ns);
    }
    store_item_list_free(it, ni);
}

int mt_cmd_list(const mt_opts *o)
{
    mt_token t;
    if (mt_token_open(o, &t) != 0) {
        mt_token_close(&t);
        return 1;
    }
    list_keys(&t);
    list_items(&t);
    mt_token_close(&t);
    return 0;
}

static int write_json(const mt_opts *o, const char *text)
{
    FILE *f = o->output ? fopen(o->output, "we") : stdout;
    if (!f) {
        fprintf(stderr, "meeco-token: cannot write %s\n", o->output);
        return 1;
    }
    int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (o->output)
        ok = fclose(f) == 0 && ok;
    return ok ? 0 : 1;
}

int mt_cmd_export(const mt_opts *o)
{
    mt_token t;
    if (mt_token_open(o, &t) != 0) {
        mt_token_close(&t);
        return 1;
    }
    cJSON *root = cJSON_CreateObject(), *ks = NULL, *vault = NULL;
    ks_status st = ks_export_json(t.ks, &ks);
    vault_status vst = st == KS_OK ? vault_export_json(t.ks, &vault) : VAULT_OK;
    int rc = 1;
    if (st != KS_OK || vst != VAULT_OK || !root) {
        fprintf(stderr, "meeco-token: export: %s\n",
                st != KS_OK ? ks_strerror(st) : vault_strerror(vst));
        cJSON_Delete(ks);
        cJSON_Delete(vault);
    } else {
        cJSON_AddStringToObject(root, "format", "meeco-token-export-1");
        cJSON_AddItemToObject(root, "keystore", ks);
        cJSON_AddItemToObject(root, "vault", vault);
        char *text = cJSON_Print(root);
        rc = text ? write_json(o, text) : 1;
        free(text);
    }
    cJSON_Delete(root);
    mt_token_close(&t);
    return rc;
}
