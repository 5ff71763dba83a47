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

int migrate_forward(struct db *db, char *errbuf, size_t errlen)
{
	int v = db_schema_version(db);

	if (v < 0) {
		snprintf(errbuf, errlen, "cannot read the schema version: %s", db->err);
		return ERR_DB;
	}
	if (v > NMIGRATIONS)
		return migrate_check(db, errbuf, errlen);
	for (; v < NMIGRATIONS; v++) {
		char bump[48];
		int rc;

		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		rc = db_begin(db);
		if (rc == 0)
			rc = db_exec(db, migrations[v]);
		if (rc == 0)
			rc = db_exec(db, bump);
		if (rc == 0)
			rc = db_commit(db);
		if (rc) {
			snprintf(errbuf, errlen, "schema migration %d failed: %s", v + 1, db->err);
			if (db->depth)
				db_rollback(db);
			return rc;
		}
	}
	return ensure_secret(db, errbuf, errlen);
}
