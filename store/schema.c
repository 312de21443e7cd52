/* store/schema.c - the SQL schema of the replica and its migrations.
 *
 * PRAGMA user_version holds the schema version.  Version 1 is the first
 * one; a migration from N to N+1 is one more entry of `migrations`.
 * Table and column names follow the Meeco Keystore/Vault JSON fields so
 * that the remote backend can store server records as they come.
 */
#include "internal.h"

#include <stdio.h>

#include "log.h"

static const char schema_v1[] =
    "CREATE TABLE account ("
    "  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
    "  username TEXT NOT NULL,"
    "  secret_key TEXT,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  so_wrapped_kek TEXT,"
    "  private_dek_id TEXT,"
    "  vault_user_id TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE key_encryption_key ("
    "  id TEXT PRIMARY KEY,"
    "  serialized_key_encryption_key TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE data_encryption_keys ("
    "  id TEXT PRIMARY KEY,"
    "  serialized_data_encryption_key TEXT NOT NULL,"
    "  label TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE keypairs ("
    "  id TEXT PRIMARY KEY,"
    "  public_key TEXT NOT NULL,"
    "  encrypted_serialized_key TEXT NOT NULL,"
    "  metadata TEXT NOT NULL DEFAULT '{}',"
    "  external_identifiers TEXT NOT NULL DEFAULT '[]',"
    "  key_type TEXT NOT NULL DEFAULT 'rsa',"
    "  bits INTEGER NOT NULL DEFAULT 0,"
    "  label TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE classification_nodes ("
    "  id TEXT PRIMARY KEY,"
    "  scheme TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  description TEXT,"
    "  UNIQUE (scheme, name));"
    "CREATE TABLE item_templates ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL,"
    "  description TEXT);"
    "CREATE TABLE template_slots ("
    "  id TEXT PRIMARY KEY,"
    "  template_id TEXT NOT NULL REFERENCES item_templates(id) ON DELETE "
    "CASCADE,"
    "  name TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  slot_type_name TEXT NOT NULL,"
    "  ordinal INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (template_id, name));"
    "CREATE TABLE items ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  description TEXT,"
    "  item_template_id TEXT,"
    "  item_template_name TEXT,"
    "  classification_node_ids TEXT NOT NULL DEFAULT '[]',"
    "  ordinal INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX items_name ON items(name);"
    "CREATE TABLE slots ("
    "  id TEXT PRIMARY KEY,"
    "  item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  description TEXT,"
    "  slot_type_name TEXT NOT NULL DEFAULT 'key_value',"
    "  encrypted_value TEXT,"
    "  encrypted_value_verification_key TEXT,"
    "  value_verification_hash TEXT,"
    "  ordinal INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (item_id, name));"
    "CREATE INDEX slots_label ON slots(label);"
    "CREATE TABLE connections ("
    "  id TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE shares ("
    "  id TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE token_objects ("
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  label TEXT,"
    "  data BLOB,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX token_objects_kind ON token_objects(kind);";

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[] = {schema_v1};
#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

static store_status read_version(store *s, int *version)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_rc(s, rc, "read user_version");
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? STORE_OK : store_rc(s, rc, "read user_version");
}

static store_status migrate_locked(store *s, int from)
{
    char pragma[48];
    for (size_t v = (size_t)from; v < N_MIGRATIONS; v++) {
        int rc = sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return store_rc(s, rc, "schema migration");
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", v + 1);
        rc = sqlite3_exec(s->db, pragma, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return store_rc(s, rc, "set user_version");
    }
    return STORE_OK;
}

store_status store_schema_apply(store *s)
{
    int version = 0;
    store_status st = read_version(s, &version);
    if (st != STORE_OK)
        return st;
    if (version == (int)N_MIGRATIONS)
        return STORE_OK;
    if (version > (int)N_MIGRATIONS) {
        LOGE(LOG_AREA_STORE, "schema version %d is newer than %zu", version,
             N_MIGRATIONS);
        return STORE_ERR_VERSION;
    }
    /* Another process may be creating the schema at the same moment:
     * take the write lock, then look again. */
    st = store_begin(s);
    if (st != STORE_OK)
        return st;
    st = read_version(s, &version);
    if (st == STORE_OK && version > (int)N_MIGRATIONS)
        st = STORE_ERR_VERSION;
    if (st == STORE_OK)
        st = migrate_locked(s, version);
    if (st != STORE_OK) {
        store_rollback(s);
        return st;
    }
    return store_commit(s);
}
