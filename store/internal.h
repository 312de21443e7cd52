/* store/internal.h - shared by the .c files of store/ only. */
#ifndef STORE_INTERNAL_H
#define STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

#define STMT_CACHE_SIZE 128 /* > the number of static SQL strings (~55) */

struct store {
    sqlite3 *db;
    char *path;
    int in_tx;
    /* Prepared statements keyed by the address of their (static) SQL. */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE_SIZE];
};

/* Map a SQLite result code to a store_status (and log it). */
store_status store_rc(store *s, int rc, const char *what);

/* A prepared, reset statement for a static SQL string (cached).  NULL on
 * error with *st set.  Call store_stmt_done() when finished with it. */
sqlite3_stmt *store_stmt_get(store *s, const char *sql, store_status *st);
void store_stmt_done(sqlite3_stmt *stmt);

/* Bind helpers: NULL text binds SQL NULL.  Return the SQLite rc. */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *text);

/* Step a statement that returns no rows; maps the result. */
store_status store_stmt_exec(store *s, sqlite3_stmt *stmt, const char *what);
/* Like stmt_exec but STORE_ERR_NOT_FOUND when no row changed. */
store_status store_stmt_exec_changed(store *s, sqlite3_stmt *stmt,
                                     const char *what);

/* Copy column idx as a heap string (NULL for SQL NULL); sets *oom on
 * allocation failure. */
char *store_col_text(sqlite3_stmt *stmt, int idx, int *oom);
char *store_dup(const char *text, int *oom);

/* Run stmt and collect rows into a growing array of elem_size elements,
 * each filled by row(stmt, elem) (which returns 0 or -1 on ENOMEM) and
 * released by clear(elem) on failure. */
typedef int (*row_fn)(sqlite3_stmt *stmt, void *elem);
typedef void (*clear_fn)(void *elem);
store_status store_collect_rows(store *s, sqlite3_stmt *stmt, size_t elem_size,
                                row_fn row, clear_fn clear, void **out,
                                size_t *n);

/* row_fn for a one-column query: column 0 as a heap string. */
int store_text_row(sqlite3_stmt *stmt, void *elem);
/* Run a one-column "SELECT id ..." query into a heap array of heap
 * strings (release with store_ids_free). */
store_status store_list_ids(store *s, const char *sql, char ***ids, size_t *n);

/* Run a one-row query bound to ?1 = id and fill elem with row();
 * STORE_ERR_NOT_FOUND when there is no row. */
store_status store_get_one(store *s, const char *sql, const char *id,
                           row_fn row, void *elem);
/* Run an UPDATE/DELETE bound to ?1 = id (and ?2 = text when the SQL has
 * a second parameter); STORE_ERR_NOT_FOUND when no row changed. */
store_status store_exec_by_id(store *s, const char *sql, const char *id,
                              const char *text, const char *what);

/* Fill id with src or a new UUID; returns the id to use. */
store_status store_pick_id(const char *given, char id[STORE_UUID_LEN + 1]);

/* Schema creation / migration (schema.c). */
store_status store_schema_apply(store *s);

#endif /* STORE_INTERNAL_H */
