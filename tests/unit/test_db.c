/* test_db.c: the catalogue connection's failure paths on a real SQLite
 * catalogue, as the fault build found them: a value that cannot be bound
 * must stop its statement instead of storing NULL; a transaction SQLite
 * already rolled back (a full disk) must roll back cleanly and keep the
 * error that caused it. (A catalogue that cannot be read now, not called
 * "not an SQLite database", is tests/faults' first step point.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/err.h"
#include "db/db.h"

static char dir[] = "/tmp/cinemateca-db-XXXXXX";
static char path[300];

/* open_fresh opens a new catalogue at path (removing an old one). */
static struct db *open_fresh(void)
{
	char err[512], side[320];
	struct db *db = NULL;

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	assert_int_equal(db_open(path, DB_CREATE, &db, err, sizeof err), 0);
	return db;
}

/* A text longer than SQLite takes fails to bind; before, the parameter
 * was left NULL and the INSERT stored a setting with a NULL value, or
 * failed on NOT NULL naming the wrong cause. */
static void unbindable_value_stops_the_statement(void **state)
{
	struct db *db = open_fresh();
	sqlite3_stmt *st;
	int rc;

	(void)state;
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, 16);
	st = db_prepare(db, "INSERT INTO setting (key, value) VALUES (?1, ?2)");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, "k"), 0);
	assert_int_not_equal(db_bind_text(st, 2, "a value longer than sixteen bytes"), 0);
	rc = db_run(db, st);
	assert_true(rc < 0);
	assert_non_null(strstr(db->err, "cannot pass a value"));
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, 1000000000);
	st = db_prepare(db, "SELECT count(*) FROM setting WHERE key = 'k'");
	assert_int_equal(db_step(db, st), 1);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_reset(st);
	/* prepared again, the statement runs as usual */
	st = db_prepare(db, "INSERT INTO setting (key, value) VALUES (?1, ?2)");
	assert_int_equal(db_bind_text(st, 1, "k"), 0);
	assert_int_equal(db_bind_text(st, 2, "v"), 0);
	assert_int_equal(db_run(db, st), 0);
	db_close(db);
}

/* A full disk (max_page_count) makes SQLite roll the whole transaction
 * back; db_rollback then has nothing to undo and keeps "database or disk
 * is full" instead of "cannot rollback - no transaction is active". */
static void rollback_after_sqlite_rolled_back(void **state)
{
	struct db *db = open_fresh();
	sqlite3_stmt *st;
	char big[4000], sql[64];
	int rc = 0;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(db_exec(db, "CREATE TABLE t (v TEXT)"), 0);
	st = db_prepare(db, "PRAGMA page_count");
	assert_int_equal(db_step(db, st), 1);
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", sqlite3_column_int(st, 0) + 2);
	sqlite3_reset(st);
	assert_int_equal(db_exec(db, sql), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);	/* nested, as a library call inside a command */
	st = db_prepare(db, "INSERT INTO t (v) VALUES (?1)");
	for (int i = 0; i < 50 && rc == 0; i++) {
		db_bind_text(st, 1, big);
		rc = db_run(db, st);
	}
	assert_true(rc < 0);
	assert_non_null(strstr(db->err, "full"));
	assert_true(sqlite3_get_autocommit(db->h));	/* SQLite rolled it all back */
	assert_int_equal(db_rollback(db), 0);
	assert_non_null(strstr(db->err, "full"));
	assert_int_equal(db->depth, 0);
	/* and the connection is usable again */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_commit(db), 0);
	db_close(db);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/catalog.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unbindable_value_stops_the_statement),
		cmocka_unit_test(rollback_after_sqlite_rolled_back),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
