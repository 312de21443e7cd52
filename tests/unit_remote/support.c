/* tests/unit_remote/support.c - what the remote write and sync tests
 * share: meeco-server in this process with one signed-up account, and
 * helpers to encrypt, create items and list a replica. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cryppo.h"
#include "http.h"
#include "writes.h"

static fx_server fx;
const char *srv_db = fx.db_path;
remote_config cfg;
remote_session sess; /* logged in by support_init */
char *secret;        /* its Secret Key */

int support_init(void)
{
    if (fx_server_start(&fx, "meeco-writes-test", 4) != 0)
        return -1;
    cfg = fx.cfg;
    return fx_signup(&fx, PASSPHRASE, 0, &secret, &sess);
}

int support_clean(void)
{
    remote_session_free(&sess);
    if (secret)
        secure_free(secret, strlen(secret) + 1);
    return fx_cleanup(&fx);
}

/* ---- helpers ------------------------------------------------------------ */

char *enc(const char *value)
{
    char *out = NULL;

    if (cryppo_aes_encrypt(sess.dek.p, (const uint8_t *)value, strlen(value),
                           &out) != CRYPPO_OK)
        return NULL;
    return out;
}

int decrypts_to(const char *ev, const char *want)
{
    secbuf pt = {NULL, 0};
    int ok = ev && cryppo_aes_decrypt(sess.dek.p, ev, &pt) == CRYPPO_OK &&
             strcmp((const char *)pt.p, want) == 0;

    secbuf_free(&pt);
    return ok;
}

/* A new item holding one slot; returns the item id (free). */
char *new_item(const char *name, const char *slot, const char *value,
               char **slot_id, cJSON **answer)
{
    char *ev = enc(value), *item_id = NULL;
    remote_slot_in in = {slot, NULL, NULL, ev};
    cJSON *ans = NULL;

    if (remote_item_create(&sess, name, NULL, NULL, &in, &ans, slot_id) ==
        REMOTE_OK)
        item_id = strdup(remote_json_str(ans, "item.id"));
    free(ev);
    if (answer)
        *answer = ans;
    else
        cJSON_Delete(ans);
    return item_id;
}

/* Everything a replica holds, as text, for before/after comparisons. */
char *listing(store *db)
{
    store_item *it = NULL;
    store_slot *sl = NULL;
    store_dek *dk = NULL;
    store_keypair *kp = NULL;
    store_object *ob = NULL;
    store_account a = {0};
    size_t ni = 0, ns = 0, nd = 0, nk = 0, no = 0, len = 0;
    char *out = NULL;
    FILE *f = open_memstream(&out, &len);

#define S(x) ((x) ? (x) : "(null)")
    if (store_item_list(db, &it, &ni) == STORE_OK)
        for (size_t i = 0; i < ni; i++)
            fprintf(f, "item %s %s %s %s %d %s\n", it[i].id, it[i].name,
                    it[i].label, S(it[i].item_template_id), it[i].ordinal,
                    S(it[i].updated_at));
    if (store_slot_list(db, NULL, &sl, &ns) == STORE_OK)
        for (size_t i = 0; i < ns; i++)
            fprintf(f, "slot %s %s %s %s %s %s %d\n", sl[i].id, sl[i].item_id,
                    sl[i].name, sl[i].label, S(sl[i].encrypted_value),
                    S(sl[i].updated_at), sl[i].ordinal);
    if (store_dek_list(db, &dk, &nd) == STORE_OK)
        for (size_t i = 0; i < nd; i++)
            fprintf(f, "dek %s %s\n", dk[i].id,
                    dk[i].serialized_data_encryption_key);
    if (store_keypair_list(db, &kp, &nk) == STORE_OK)
        for (size_t i = 0; i < nk; i++)
            fprintf(f, "keypair %s %s\n", kp[i].id,
                    kp[i].encrypted_serialized_key);
    if (store_object_list(db, NULL, &ob, &no) == STORE_OK)
        for (size_t i = 0; i < no; i++)
            fprintf(f, "object %s %s\n", ob[i].id, ob[i].kind);
    if (store_account_get(db, &a) == STORE_OK)
        fprintf(f, "account %s %s %s\n", a.username, S(a.private_dek_id),
                S(a.secret_key));
#undef S
    fclose(f);
    store_item_list_free(it, ni);
    store_slot_list_free(sl, ns);
    store_dek_list_free(dk, nd);
    store_keypair_list_free(kp, nk);
    store_object_list_free(ob, no);
    store_account_clear(&a);
    return out;
}

char *replica_path(const char *name)
{
    static char path[400];

    snprintf(path, sizeof(path), "%s/%s", fx.dir, name);
    return path;
}

/* POST/GET path as user u; *out (may be NULL) the answer. */
remote_status vault_call(const remote_session *u, const char *method,
                         const char *path, cJSON *body, cJSON **out)
{
    remote_http *h = NULL;
    cJSON *ans = NULL;
    remote_status st = remote_http_new(&cfg, &h);

    if (st == REMOTE_OK)
        st = remote_http_call(h, REMOTE_VAULT, method, path,
                              (const char *)u->vault_token.p, body, &ans, NULL);
    remote_http_free(h);
    cJSON_Delete(body);
    if (out)
        *out = ans;
    else
        cJSON_Delete(ans);
    return st;
}
