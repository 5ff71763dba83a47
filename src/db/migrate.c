/* migrate.c: apply db/schema/NNN_name.sql in order (see migrate.h).
 *
 * The SQL files are embedded into the binary at build time (gen/embedded.c)
 * so an archive can be created or upgraded anywhere the binary runs. A
 * migration's DDL and its user_version bump commit together, so a crash
 * leaves the catalogue at one version or the next, never between. */
#include "migrate.h"

#include <sodium.h>
#include <stdio.h>

#include "core/err.h"
#include "db.h"
#include "embedded.h"

static const char *const migrations[] = {
	(const char *)schema_001_catalogue_sql,
	(const char *)schema_002_access_sql,
	(const char *)schema_003_preservation_sql,
	(const char *)schema_004_cues_sql,
	(const char *)schema_005_subtitles_sql,
	(const char *)schema_006_api_sql,
	(const char *)schema_007_oai_sql,
	(const char *)schema_008_iiif_auth_sql,
	(const char *)schema_009_rights_sql,
	(const char *)schema_010_uploads_sql,
	(const char *)schema_011_contrib_sql,
	(const char *)schema_012_testimony_sql,
	(const char *)schema_013_labels_sql,
	(const char *)schema_014_browse_sql,
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int migrate_latest(void)
{
	return NMIGRATIONS;
}

int migrate_check(struct db *db, char *errbuf, size_t errlen)
{
	int v = db_schema_version(db);

	if (v == NMIGRATIONS)
		return 0;
	snprintf(errbuf, errlen, v > NMIGRATIONS ?
		 "the catalogue is schema version %d, newer than this program (%d): upgrade cinemateca" :
		 "the catalogue is schema version %d, older than this program (%d): run any writing command (e.g. 'cinemateca init') to upgrade it",
		 v, NMIGRATIONS);
	return ERR_INVALID;
}

/* ensure_secret gives the archive the random secret that signs its
 * screener links, once. */
static int ensure_secret(struct db *db, char *errbuf, size_t errlen)
{
	unsigned char key[32];
	char hex[65];
	sqlite3_stmt *st;
	int rc;

	/* every writable open comes here: look before writing, so that only
	 * the first one takes the write lock */
	st = db_prepare(db, "SELECT 1 FROM setting WHERE key = 'secret'");
	rc = st ? db_step(db, st) : ERR_DB;
	if (st)
		sqlite3_reset(st);
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot read the archive's secret: %s", db->err);
		return rc;
	}
	if (rc == 1)
		return 0;
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sodium_memzero(key, sizeof key);
	st = db_prepare(db, "INSERT OR IGNORE INTO setting (key, value) VALUES ('secret', ?1)");
	if (st)
		db_bind_text(st, 1, hex);
	rc = db_run(db, st);
	sodium_memzero(hex, sizeof hex);
	if (rc)
		snprintf(errbuf, errlen, "cannot store the archive's secret: %s", db->err);
	return rc;
}

/* foreign_keys_broken reports whether the transaction's changes left a
 * row pointing at nothing (PRAGMA foreign_key_check answers a row), with
 * the table in errbuf; -1 when it cannot be asked. */
static int foreign_keys_broken(struct db *db, char *errbuf, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA foreign_key_check");
	int rc = st ? db_step(db, st) : ERR_DB;

	if (rc == 1)
		snprintf(errbuf, errlen, "a row of %s points at nothing in %s",
			 db_text(st, 0), db_text(st, 2));
	if (st)
		sqlite3_reset(st);
	return rc < 0 ? -1 : rc;
}

/* migrate_steps applies the migrations after version v, each in its own
 * transaction that commits only when foreign_key_check finds nothing. */
static int migrate_steps(struct db *db, int v, char *errbuf, size_t errlen)
{
	for (; v < NMIGRATIONS; v++) {
		char bump[48], fkmsg[200];
		int rc, fk;

		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		rc = db_begin(db);
		if (rc == 0)
			rc = db_exec(db, migrations[v]);
		if (rc == 0)
			rc = db_exec(db, bump);
		if (rc == 0 && (fk = foreign_keys_broken(db, fkmsg, sizeof fkmsg)) != 0) {
			if (fk < 0)
				snprintf(errbuf, errlen, "schema migration %d failed: cannot check "
					 "foreign keys: %s", v + 1, db->err);
			else
				snprintf(errbuf, errlen, "schema migration %d failed: %s", v + 1, fkmsg);
			db_rollback(db);
			return ERR_DB;
		}
		if (rc == 0)
			rc = db_commit(db);
		if (rc) {
			snprintf(errbuf, errlen, "schema migration %d failed: %s", v + 1, db->err);
			if (db->depth)
				db_rollback(db);
			return rc;
		}
	}
	return 0;
}

/* Migrations run with foreign keys off: a migration that rebuilds a table
 * (SQLite's way of changing a CHECK) drops the old one, and with foreign
 * keys on that drop would first delete its rows and cascade to every
 * table pointing at it. PRAGMA foreign_keys cannot change inside a
 * transaction, so it is set around the loop, and each migration proves
 * with foreign_key_check that it left every reference whole before it
 * commits. */
int migrate_forward(struct db *db, char *errbuf, size_t errlen)
{
	int v = db_schema_version(db), rc;

	if (v < 0) {
		snprintf(errbuf, errlen, "cannot read the schema version: %s", db->err);
		return ERR_DB;
	}
	if (v > NMIGRATIONS)
		return migrate_check(db, errbuf, errlen);
	if (v < NMIGRATIONS) {
		if (db_exec(db, "PRAGMA foreign_keys = OFF")) {
			snprintf(errbuf, errlen, "cannot prepare the schema migration: %s", db->err);
			return ERR_DB;
		}
		rc = migrate_steps(db, v, errbuf, errlen);
		if (db_exec(db, "PRAGMA foreign_keys = ON") && rc == 0) {
			snprintf(errbuf, errlen, "cannot turn foreign keys back on: %s", db->err);
			rc = ERR_DB;
		}
		if (rc)
			return rc;
	}
	return ensure_secret(db, errbuf, errlen);
}
