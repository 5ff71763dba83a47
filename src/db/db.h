/* db.h: the catalogue connection: open, migrate, prepare, bind, transactions.
 *
 * Every SQL statement in the program lives in db/ as a string literal and is
 * prepared through db_prepare(), which caches statements per connection
 * (keyed by the literal's address). One connection per thread: the server
 * gives each worker its own. */
#ifndef CINEMATECA_DB_H
#define CINEMATECA_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define DB_CACHE_SLOTS 256	/* statements kept per connection: the program has
				 * about 200 literals, so eviction stays rare */
#define DB_APPLICATION_ID 0x43494e45	/* "CINE" in PRAGMA application_id */
#define DB_BUSY_MS 5000		/* how long a statement waits for another writer */

struct principal;

struct db_cached {
	const char *sql;	/* the literal this statement was prepared from */
	sqlite3_stmt *stmt;
};

struct db {
	sqlite3 *h;		/* the SQLite handle */
	int depth;		/* nesting depth of db_begin() */
	char err[256];		/* last error, for messages to people */
	int has_hits;		/* the temporary search tables exist */
	int sq_mode;		/* how sq_fill left its results for sq_page and
				 * sq_facet (search_q.c's enum) */
	const char *sq_expr;	/* sq_fill's FTS5 expression and filters, owned */
	const char *sq_type;	/* by the caller's query, valid until its page */
	const char *sq_decade;	/* is written */
	int busy;		/* the last error was the catalogue being locked by
				 * another writer (SQLITE_BUSY), after the busy wait */
	const struct principal *principal;	/* who reads: may_read() asks the
						 * policy about them (NULL: nobody
						 * logged in) */
	struct db_cached cache[DB_CACHE_SLOTS];	/* open-addressed by sql address */
};

enum db_mode {
	DB_READ,	/* existing catalogue, read-only queries */
	DB_WRITE,	/* existing catalogue, read and write */
	DB_CREATE,	/* make a new catalogue (fails if one exists) */
};

/* db_open opens the catalogue file at path in WAL mode with foreign keys
 * on and a busy timeout, and checks it is a cinemateca catalogue at a
 * schema version this program knows (migrating forward in DB_WRITE and
 * DB_CREATE modes). Returns 0 and sets *out (caller closes with db_close),
 * or a negative ERR_* with a message in errbuf (ERR_NOTFOUND: no file;
 * ERR_INVALID: not ours or from a newer version; ERR_BUSY: locked). */
int db_open(const char *path, enum db_mode mode, struct db **out,
	    char *errbuf, size_t errlen);

/* db_open also registers the SQL function may_read(id, access, embargo, ties),
 * which answers policy_can_read() for db->principal, so that queries
 * filter what the reader may see inside SQLite. */

/* db_close finalizes cached statements and closes; NULL is fine. */
void db_close(struct db *db);

/* db_prepare returns a reset statement for the literal sql with its
 * bindings cleared, owned by the connection's cache (do not finalize), or
 * NULL with db->err set. */
sqlite3_stmt *db_prepare(struct db *db, const char *sql);

/* db_exec runs SQL with no parameters and no rows (pragmas, DDL).
 * Returns 0 or ERR_DB / ERR_BUSY. */
int db_exec(struct db *db, const char *sql);

/* Binding helpers: a NULL text binds SQL NULL. Return 0, or ERR_NOMEM,
 * ERR_TOOBIG or ERR_DB when the value cannot be bound; the statement then
 * also refuses to run (db_step fails with that error) until it is
 * prepared again, so a caller that does not look cannot store NULL in
 * place of the value. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);
int db_bind_int(sqlite3_stmt *st, int i, long long v);

/* db_step steps once: returns 1 for a row, 0 when done, or a negative
 * ERR_* (ERR_BUSY when locked) with db->err set. */
int db_step(struct db *db, sqlite3_stmt *st);

/* db_run steps a statement that returns no rows to completion and resets
 * it. Returns 0 or a negative ERR_* (ERR_DB when st is NULL, as from a
 * failed db_prepare). */
int db_run(struct db *db, sqlite3_stmt *st);

/* db_try_run is db_run without the busy wait: when another connection
 * holds the write lock it returns ERR_BUSY at once. For best-effort
 * writes that a reader must never wait for. */
int db_try_run(struct db *db, sqlite3_stmt *st);

/* db_text returns a column as text, "" for NULL (valid until the next step). */
const char *db_text(sqlite3_stmt *st, int col);

/* db_text_or_null is db_text but NULL for SQL NULL. */
const char *db_text_or_null(sqlite3_stmt *st, int col);

/* db_begin opens a transaction (BEGIN IMMEDIATE at the outermost level, a
 * SAVEPOINT inside); db_commit and db_rollback close the innermost one.
 * Return 0 or a negative ERR_*. db_rollback keeps db->err as it was (the
 * error that made the caller roll back), and after SQLite has rolled the
 * whole transaction back itself (an I/O error, a full disk, no memory) it
 * only closes every level. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* db_read_begin starts a read transaction, so that every query of one
 * page sees the same snapshot and SQLite takes its file locks once per
 * page instead of once per statement; db_read_end ends it. Return 0 or a
 * negative ERR_*. Not for use inside db_begin(). */
int db_read_begin(struct db *db);
int db_read_end(struct db *db);

/* db_optimize lets SQLite refresh its planner statistics after a large
 * change (PRAGMA optimize); errors are ignored, it is only advice. */
void db_optimize(struct db *db);

/* db_schema_version returns the catalogue's schema version. */
int db_schema_version(struct db *db);

/* db_now writes the current UTC time as YYYY-MM-DDTHH:MM:SSZ into out. */
void db_now(char out[21]);

#endif
