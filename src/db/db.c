/* db.c: catalogue connection, statement cache and transactions (see db.h). */
#include "db.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "access/policy.h"
#include "core/err.h"
#include "migrate.h"

static int fail(struct db *db, int rc)
{
	snprintf(db->err, sizeof db->err, "%s", sqlite3_errmsg(db->h));
	db->busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	return db->busy ? ERR_BUSY : ERR_DB;
}

/* A value that cannot be bound (no memory, or longer than SQLite takes)
 * leaves its parameter NULL, and most callers bind without looking at the
 * result: the statement would then run and store NULL, or fail on a
 * constraint that names the wrong cause. The failure is kept here (per
 * thread, as connections are) and db_step refuses to run the statement. */
static _Thread_local sqlite3_stmt *bind_failed;	/* the statement, or NULL */
static _Thread_local int bind_failed_rc;		/* SQLite's result code */

static int bind_result(sqlite3_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	bind_failed = st;
	bind_failed_rc = rc;
	return rc == SQLITE_NOMEM ? ERR_NOMEM : rc == SQLITE_TOOBIG ? ERR_TOOBIG : ERR_DB;
}

/* forget_stmt drops a kept binding failure of a statement that is reset
 * or finalized. */
static void forget_stmt(sqlite3_stmt *st)
{
	if (bind_failed == st)
		bind_failed = NULL;
}

int db_exec(struct db *db, const char *sql)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(db, rc);
}

/* pragma_int returns what a PRAGMA answers, or -1 with db->err set when
 * it cannot be read. */
static int pragma_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int v = -1;

	if (!st)
		return -1;
	if (db_step(db, st) == 1)
		v = sqlite3_column_int(st, 0);
	else if (!db->err[0])
		snprintf(db->err, sizeof db->err, "it answered nothing");
	sqlite3_reset(st);
	return v;
}

int db_schema_version(struct db *db)
{
	return pragma_int(db, "PRAGMA user_version");
}

/* may_read(id, access, embargo_until, ties): the policy, callable from SQL. */
static void sql_may_read(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(ctx);
	struct principal nobody;
	const struct principal *p = db->principal;

	(void)argc;
	if (!p) {
		policy_anonymous(&nobody);
		p = &nobody;
	}
	sqlite3_result_int(ctx, policy_can_read(p, (const char *)sqlite3_value_text(argv[0]),
						(const char *)sqlite3_value_text(argv[1]),
						(const char *)sqlite3_value_text(argv[2]),
						(const char *)sqlite3_value_text(argv[3])));
}

static const struct principal *asker(struct db *db, struct principal *nobody)
{
	if (db->principal)
		return db->principal;
	policy_anonymous(nobody);
	return nobody;
}

/* may_read_contrib(state, consent, author, steward): policy_can_read_contrib
 * for a contribution whose records the query checks itself. */
static void sql_may_read_contrib(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct principal nobody;
	const struct principal *p = asker(sqlite3_user_data(ctx), &nobody);

	(void)argc;
	sqlite3_result_int(ctx, policy_can_read_contrib(p, true,
		(const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
		sqlite3_value_int64(argv[2]), sqlite3_value_int(argv[3]) != 0));
}

/* may_moderate(steward): policy_can_moderate. */
static void sql_may_moderate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct principal nobody;
	const struct principal *p = asker(sqlite3_user_data(ctx), &nobody);

	(void)argc;
	sqlite3_result_int(ctx, policy_can_moderate(p, sqlite3_value_int(argv[0]) != 0));
}

/* keeper_id(): the asker's account when it is a keeper, else 0 (STEWARD). */
static void sql_keeper_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct principal nobody;
	const struct principal *p = asker(sqlite3_user_data(ctx), &nobody);

	(void)argc;
	(void)argv;
	sqlite3_result_int64(ctx, p->role == ROLE_KEEPER ? p->user_id : 0);
}

/* SQLite's process-wide settings, before its first use. Its memory
 * statistics take one global mutex on every allocation, which every
 * server worker then waits for (a search page allocates thousands of
 * times); nothing here reads them. Each connection belongs to one thread
 * (SQLITE_OPEN_NOMUTEX), so multi-thread mode is enough. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* explain says why a catalogue could not be opened or read, when SQLite's
 * own words ("unable to open database file", or a read that fails and
 * looks like a foreign file) would send an operator the wrong way: a
 * read-only file system, a permission, or really not a database. Each has
 * its own message, for only the last calls for a backup. */
static void explain(struct db *db, const char *path, enum db_mode mode, char *out, size_t n)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct statvfs vfs;
	int code = db->h ? sqlite3_extended_errcode(db->h) & 0xff : SQLITE_CANTOPEN;

	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) ? (int)(slash - path) : 1, path);
	else
		snprintf(dir, sizeof dir, ".");
	if (code == SQLITE_NOTADB) {
		snprintf(out, n, "%s is not a cinemateca catalogue: not an SQLite database at all "
			 "(SQLite does not know its first bytes); if this was the catalogue, it is "
			 "damaged: restore it from a backup", path);
	} else if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		snprintf(out, n, "cannot open %s: %s is on a read-only file system, and SQLite must "
			 "create catalog.db-wal and catalog.db-shm beside the catalogue even to read "
			 "it; mount it read-write (no sign of damage: do not restore a "
			 "backup over it)", path, dir);
	} else if (access(path, R_OK) != 0 && errno == EACCES) {
		snprintf(out, n, "cannot open %s: permission denied reading it; run as the "
			 "archive's owner or give this account read access (no sign of damage: do not "
			 "restore a backup over it)", path);
	} else if (mode != DB_READ && access(path, W_OK) != 0 && (errno == EACCES || errno == EROFS)) {
		snprintf(out, n, "cannot open %s for writing: permission denied; run as the "
			 "archive's owner or give this account write access (no sign of damage: do not "
			 "restore a backup over it)", path);
	} else if (access(dir, W_OK | X_OK) != 0 && errno == EACCES) {
		snprintf(out, n, "cannot open %s: permission denied creating files in %s, where "
			 "SQLite keeps catalog.db-wal and catalog.db-shm; run as the archive's owner "
			 "or give this account write access to the folder (no sign of damage: do not "
			 "restore a backup over it)", path, dir);
	} else {
		snprintf(out, n, "cannot open %s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : "out of memory");
	}
}

static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_initialize();
}

int db_open(const char *path, enum db_mode mode, struct db **out,
	    char *errbuf, size_t errlen)
{
	struct db *db;
	struct stat sb;
	int flags, rc, err = ERR_DB;

	*out = NULL;
	pthread_once(&configured, configure);
	if (mode == DB_CREATE && stat(path, &sb) == 0) {
		snprintf(errbuf, errlen, "%s already exists", path);
		return ERR_EXISTS;
	}
	if (mode != DB_CREATE && stat(path, &sb) != 0) {
		if (errno == EACCES) {
			snprintf(errbuf, errlen, "cannot open %s: permission denied on a folder on the "
				 "way to it; run as the archive's owner", path);
			return ERR_IO;
		}
		snprintf(errbuf, errlen, "%s does not exist", path);
		return ERR_NOTFOUND;
	}
	db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(errbuf, errlen, "out of memory");
		return ERR_NOMEM;
	}
	flags = SQLITE_OPEN_NOMUTEX | (mode == DB_READ ? SQLITE_OPEN_READONLY :
		SQLITE_OPEN_READWRITE | (mode == DB_CREATE ? SQLITE_OPEN_CREATE : 0));
	rc = sqlite3_open_v2(path, &db->h, flags, NULL);
	if (rc != SQLITE_OK) {
		explain(db, path, mode, errbuf, errlen);
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	if (sqlite3_create_function_v2(db->h, "may_read", 4, SQLITE_UTF8 | SQLITE_DIRECTONLY, db,
				       sql_may_read, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, sqlite3_errmsg(db->h));
		goto fail;
	}
	if (sqlite3_create_function_v2(db->h, "may_read_contrib", 4, SQLITE_UTF8 | SQLITE_DIRECTONLY,
				       db, sql_may_read_contrib, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db->h, "may_moderate", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, db,
				       sql_may_moderate, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db->h, "keeper_id", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, db,
				       sql_keeper_id, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, sqlite3_errmsg(db->h));
		goto fail;
	}
	if (mode != DB_CREATE) {
		int app = pragma_int(db, "PRAGMA application_id");
		if (app < 0) {
			/* the first read failed: say why, which is seldom a foreign file */
			explain(db, path, mode, errbuf, errlen);
			err = (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_NOTADB ? ERR_INVALID :
			      (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_BUSY ? ERR_BUSY : ERR_IO;
			goto fail;
		}
		if (app != DB_APPLICATION_ID) {
			snprintf(errbuf, errlen, "%s is an SQLite database, but not a cinemateca "
				 "catalogue", path);
			err = ERR_INVALID;
			goto fail;
		}
	}
	if (mode != DB_READ && db_exec(db, "PRAGMA journal_mode = WAL") != 0) {
		int code = sqlite3_extended_errcode(db->h) & 0xff;
		if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
			explain(db, path, mode, errbuf, errlen);
		else
			snprintf(errbuf, errlen, "cannot use %s: %s", path, db->err);
		err = strstr(db->err, "locked") ? ERR_BUSY : ERR_DB;
		goto fail;
	}
	/* temp_store: the search hit table lives in memory, never a file */
	if (db_exec(db, "PRAGMA foreign_keys = ON") ||
	    db_exec(db, "PRAGMA synchronous = NORMAL") ||
	    db_exec(db, "PRAGMA temp_store = MEMORY")) {
		snprintf(errbuf, errlen, "cannot configure %s: %s", path, db->err);
		goto fail;
	}
	if (mode == DB_CREATE) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d", DB_APPLICATION_ID);
		if (db_exec(db, sql)) {
			snprintf(errbuf, errlen, "cannot initialise %s: %s", path, db->err);
			goto fail;
		}
	}
	rc = mode == DB_READ ? migrate_check(db, errbuf, errlen) :
			       migrate_forward(db, errbuf, errlen);
	if (rc) {
		err = rc;
		goto fail;
	}
	*out = db;
	return 0;
fail:
	db_close(db);
	return err;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < DB_CACHE_SLOTS; i++) {
		forget_stmt(db->cache[i].stmt);
		sqlite3_finalize(db->cache[i].stmt);
	}
	sqlite3_close(db->h);
	free(db);
}

sqlite3_stmt *db_prepare(struct db *db, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % DB_CACHE_SLOTS;
	struct db_cached *slot = NULL;
	sqlite3_stmt *st;

	for (size_t i = 0; i < DB_CACHE_SLOTS; i++) {
		struct db_cached *c = &db->cache[(h + i) % DB_CACHE_SLOTS];
		if (c->sql == sql) {
			forget_stmt(c->stmt);
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
		if (!c->sql) {
			slot = c;
			break;
		}
	}
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", sqlite3_errmsg(db->h));
		return NULL;
	}
	if (!slot) {
		/* cache full: evict the first statement, from the home slot on,
		 * that no caller is stepping through (one in use, between a
		 * step that gave a row and its reset, must stay alive: evicting
		 * it freed a statement a page was still reading) */
		for (size_t i = 0; i < DB_CACHE_SLOTS && !slot; i++) {
			struct db_cached *c = &db->cache[(h + i) % DB_CACHE_SLOTS];
			if (!sqlite3_stmt_busy(c->stmt))
				slot = c;
		}
		if (!slot) {
			sqlite3_finalize(st);
			snprintf(db->err, sizeof db->err, "more than %d statements in use at once",
				 DB_CACHE_SLOTS);
			return NULL;
		}
		forget_stmt(slot->stmt);
		sqlite3_finalize(slot->stmt);
	}
	slot->sql = sql;
	slot->stmt = st;
	return st;
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(st, i);
	return bind_result(st, rc);
}

int db_bind_int(sqlite3_stmt *st, int i, long long v)
{
	return bind_result(st, sqlite3_bind_int64(st, i, v));
}

int db_step(struct db *db, sqlite3_stmt *st)
{
	int rc;

	if (st && st == bind_failed) {
		bind_failed = NULL;
		snprintf(db->err, sizeof db->err, "cannot pass a value to the catalogue: %s",
			 sqlite3_errstr(bind_failed_rc));
		sqlite3_reset(st);
		return bind_failed_rc == SQLITE_NOMEM ? ERR_NOMEM : ERR_DB;
	}
	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	rc = fail(db, rc);
	sqlite3_reset(st);
	return rc;
}

const char *db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

const char *db_text_or_null(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

int db_begin(struct db *db)
{
	int rc = db_exec(db, db->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested");

	if (rc == 0)
		db->depth++;
	return rc;
}

int db_commit(struct db *db)
{
	int rc;

	if (db->depth == 0)
		return ERR_INVALID;
	rc = db_exec(db, db->depth == 1 ? "COMMIT" : "RELEASE nested");
	if (rc == 0)
		db->depth--;
	return rc;
}

int db_rollback(struct db *db)
{
	char cause[sizeof db->err];
	int rc;

	if (db->depth == 0)
		return ERR_INVALID;
	/* after an I/O error, a full disk or no memory SQLite may have rolled
	 * the whole transaction back itself: nothing is left to undo, and a
	 * ROLLBACK would only replace the error worth reporting with "no
	 * transaction is active" */
	if (sqlite3_get_autocommit(db->h)) {
		db->depth = 0;
		return 0;
	}
	memcpy(cause, db->err, sizeof cause);
	if (db->depth == 1) {
		rc = db_exec(db, "ROLLBACK");
	} else {
		rc = db_exec(db, "ROLLBACK TO nested");
		if (rc == 0)
			rc = db_exec(db, "RELEASE nested");
	}
	db->depth--;
	/* the caller reports why it rolled back, not how the rollback went */
	memcpy(db->err, cause, sizeof cause);
	return rc;
}

int db_run(struct db *db, sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int db_try_run(struct db *db, sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return ERR_DB;
	sqlite3_busy_timeout(db->h, 0);
	rc = db_run(db, st);
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	return rc;
}

static int run_cached(struct db *db, const char *sql)
{
	return db_run(db, db_prepare(db, sql));
}

int db_read_begin(struct db *db)
{
	return run_cached(db, "BEGIN DEFERRED");
}

int db_read_end(struct db *db)
{
	/* A statement a page stepped once and left would keep the snapshot
	 * open past COMMIT: reset them all (cheap: a few dozen slots). */
	for (int i = 0; i < DB_CACHE_SLOTS; i++)
		if (db->cache[i].stmt)
			sqlite3_reset(db->cache[i].stmt);
	/* a read transaction has nothing to write: COMMIT only releases it */
	return sqlite3_get_autocommit(db->h) ? 0 : run_cached(db, "COMMIT");
}

void db_optimize(struct db *db)
{
	db_exec(db, "PRAGMA optimize");
}

void db_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
