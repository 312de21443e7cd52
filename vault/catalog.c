/* vault/catalog.c - item templates and classification nodes, with the
 * small default set every local token starts with. */
#include "vault.h"

#include "internal.h"

typedef struct default_template {
    const char *name;
    const char *label;
    const char *description;
    /* name, label, slot type; NULL-terminated */
    const char *slots[6][3];
} default_template;

static const default_template default_templates[] = {
    {"custom", "Custom", "An item with slots of your choice", {{NULL}}},
    {"pkcs11_data",
     "PKCS#11 data",
     "Data objects created through PKCS#11",
     {{NULL}}},
    {"password",
     "Password",
     "A website login",
     {{"username", "Username", "key_value"},
      {"password", "Password", "password"},
      {"website", "Website", "url"},
      {NULL}}},
    {"note",
     "Secure note",
     "Free text",
     {{"note", "Note", "key_value"}, {NULL}}},
    {"vehicle",
     "Vehicle",
     "A car or motorbike",
     {{"model_make", "Make", "key_value"},
      {"model", "Model", "key_value"},
      {"licence_plate", "Licence plate", "key_value"},
      {NULL}}},
};

static const char *const default_tags[][2] = {
    {"pkcs11", "PKCS#11"},
    {"personal", "Personal"},
    {"work", "Work"},
};

#define N_TEMPLATES (sizeof(default_templates) / sizeof(default_templates[0]))
#define N_TAGS      (sizeof(default_tags) / sizeof(default_tags[0]))

static store_status seed_template(store *s, const default_template *d)
{
    store_template_slot slots[6];
    size_t n = 0;
    while (n < 6 && d->slots[n][0]) {
        slots[n].name = (char *)d->slots[n][0];
        slots[n].label = (char *)d->slots[n][1];
        slots[n].slot_type_name = (char *)d->slots[n][2];
        n++;
    }
    store_template t = {.name = (char *)d->name,
                        .label = (char *)d->label,
                        .description = (char *)d->description,
                        .slots = slots,
                        .n_slots = n};
    return store_template_insert(s, &t, NULL);
}

static store_status seed_locked(store *s)
{
    store_template *list = NULL;
    size_t n = 0;
    store_status st = store_template_list(s, &list, &n);
    store_template_list_free(list, n);
    if (st != STORE_OK || n > 0)
        return st; /* already seeded */
    for (size_t i = 0; st == STORE_OK && i < N_TEMPLATES; i++)
        st = seed_template(s, &default_templates[i]);
    for (size_t i = 0; st == STORE_OK && i < N_TAGS; i++) {
        store_classification c = {.scheme = (char *)"tag",
                                  .name = (char *)default_tags[i][0],
                                  .label = (char *)default_tags[i][1]};
        st = store_classification_insert(s, &c, NULL);
    }
    return st;
}

vault_status vault_seed_defaults(store *s)
{
    if (!s)
        return VAULT_ERR_ARGS;
    if (store_in_transaction(s))
        return vault_status_from_store(seed_locked(s));
    store_template *list = NULL;
    size_t n = 0;
    store_status st = store_template_list(s, &list, &n);
    store_template_list_free(list, n);
    if (st != STORE_OK || n > 0)
        return vault_status_from_store(st);
    st = store_begin(s);
    if (st == STORE_OK) {
        st = seed_locked(s);
        st = st == STORE_OK ? store_commit(s) : (store_rollback(s), st);
    }
    return vault_status_from_store(st);
}

vault_status vault_template_list(ks_account *a, store_template **out, size_t *n)
{
    if (!a || !out || !n)
        return VAULT_ERR_ARGS;
    vault_status st = vault_seed_defaults(ks_account_store(a));
    if (st != VAULT_OK)
        return st;
    return vault_status_from_store(
        store_template_list(ks_account_store(a), out, n));
}

vault_status vault_classification_list(ks_account *a,
                                       store_classification **out, size_t *n)
{
    if (!a || !out || !n)
        return VAULT_ERR_ARGS;
    vault_status st = vault_seed_defaults(ks_account_store(a));
    if (st != VAULT_OK)
        return st;
    return vault_status_from_store(
        store_classification_list(ks_account_store(a), out, n));
}
