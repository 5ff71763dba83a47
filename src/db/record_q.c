/* record_q.c: writes of catalogue records (see record_q.h). */
#include "record_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db.h"

int rq_find_by_id(struct db *db, const char *id, char type_out[16], char slug_out[81])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT type, slug FROM record WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	rc = db_step(db, st);
	if (rc == 1) {
		if (type_out)
			snprintf(type_out, 16, "%s", db_text(st, 0));
		if (slug_out)
			snprintf(slug_out, 81, "%s", db_text(st, 1));
	}
	sqlite3_reset(st);
	return rc;
}

int rq_find_by_slug(struct db *db, const char *slug, char id_out[UUID_STR_LEN + 1],
		    char type_out[16])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, type FROM record WHERE slug = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, slug);
	rc = db_step(db, st);
	if (rc == 1) {
		if (id_out)
			snprintf(id_out, UUID_STR_LEN + 1, "%s", db_text(st, 0));
		if (type_out)
			snprintf(type_out, 16, "%s", db_text(st, 1));
	}
	sqlite3_reset(st);
	return rc;
}

int rq_record_state(struct db *db, const char *id, const char *digest, bool *same,
		    char access_out[16])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT digest IS ?2, access FROM record WHERE id = ?1");
	int rc;

	*same = false;
	access_out[0] = '\0';
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, digest);
	rc = db_step(db, st);
	if (rc == 1) {
		*same = sqlite3_column_int(st, 0) == 1;
		snprintf(access_out, 16, "%s", db_text(st, 1));
	}
	sqlite3_reset(st);
	return rc;
}

int rq_manifestation_work(struct db *db, const char *mid, char work_out[UUID_STR_LEN + 1])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT work_id FROM manifestation WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, mid);
	rc = db_step(db, st);
	if (rc == 1)
		snprintf(work_out, UUID_STR_LEN + 1, "%s", db_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

long long rq_data_version(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA data_version");
	long long v = -1;

	if (st && db_step(db, st) == 1)
		v = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

static const char *const clear_sql[] = {
	"DELETE FROM title WHERE record_id = ?1",
	"DELETE FROM description WHERE record_id = ?1",
	"DELETE FROM credit WHERE record_id = ?1",
	"DELETE FROM record_rights WHERE record_id = ?1",
	"DELETE FROM rights_statement WHERE record_id = ?1",
	"DELETE FROM label WHERE record_id = ?1 AND file_id IS NULL",
	"DELETE FROM relation WHERE from_id = ?1",
	"DELETE FROM manifestation WHERE work_id = ?1",
	"DELETE FROM work WHERE id = ?1",
	"DELETE FROM document WHERE id = ?1",
	"DELETE FROM agent WHERE id = ?1",
	"DELETE FROM place WHERE id = ?1",
};

int rq_put_record(struct db *db, const char *id, const char *type, const char *slug,
		  const char *date, const char *date_end, const char *source,
		  const char *access, const char *embargo_until, const char *digest, bool existed)
{
	char now[21];
	sqlite3_stmt *st;
	int rc;

	db_now(now);
	if (existed) {
		for (size_t i = 0; i < sizeof clear_sql / sizeof clear_sql[0]; i++) {
			st = db_prepare(db, clear_sql[i]);
			if (!st)
				return ERR_DB;
			db_bind_text(st, 1, id);
			if ((rc = db_run(db, st)))
				return rc;
		}
		st = db_prepare(db, "UPDATE record SET type = ?2, slug = ?3, date = ?4, "
				"date_end = ?5, source = ?6, updated = ?7, digest = ?8, access = ?9, "
				"embargo_until = ?10 WHERE id = ?1");
	} else {
		st = db_prepare(db, "INSERT INTO record (id, type, slug, date, date_end, source, "
				"created, updated, digest, access, embargo_until) "
				"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)");
	}
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, type);
	db_bind_text(st, 3, slug);
	db_bind_text(st, 4, date);
	db_bind_text(st, 5, date_end);
	db_bind_text(st, 6, source);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, digest);
	db_bind_text(st, 9, access ? access : "private");
	db_bind_text(st, 10, embargo_until);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "INSERT INTO change_log (record_id, type, op, at) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, type);
	db_bind_text(st, 3, existed ? "update" : "create");
	db_bind_text(st, 4, now);
	return db_run(db, st);
}

int rq_set_access(struct db *db, const char *id, const char *access, const char *embargo_until)
{
	char now[21];
	sqlite3_stmt *st;
	int rc;

	db_now(now);
	/* the import digest no longer describes the record: forget it, so that
	 * importing the earlier JSON again restores the earlier level */
	st = db_prepare(db, "UPDATE record SET access = ?2, embargo_until = ?3, updated = ?4, "
			"digest = NULL WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, access);
	db_bind_text(st, 3, embargo_until);
	db_bind_text(st, 4, now);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "INSERT INTO change_log (record_id, type, op, at) "
			"SELECT id, type, 'update', ?2 FROM record WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	return db_run(db, st);
}

int rq_add_title(struct db *db, const char *id, int ord, const char *text,
		 const char *lang, const char *kind)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO title (record_id, ord, text, lang, kind) "
				      "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, text);
	db_bind_text(st, 4, lang);
	db_bind_text(st, 5, kind ? kind : "main");
	return db_run(db, st);
}

int rq_add_description(struct db *db, const char *id, int ord, const char *text,
		       const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO description (record_id, ord, text, lang) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, text);
	db_bind_text(st, 4, lang);
	return db_run(db, st);
}

int rq_set_rights(struct db *db, const char *id, const char *uri)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO record_rights (record_id, uri) VALUES (?1, ?2)");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, uri);
	return db_run(db, st);
}

int rq_add_rights_statement(struct db *db, const char *id, int ord, const char *text,
			    const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO rights_statement (record_id, ord, text, lang) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, text);
	db_bind_text(st, 4, lang);
	return db_run(db, st);
}

int rq_set_work(struct db *db, const char *id, const char *lang, const char *country,
		long long duration, const char *forms_json)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO work (id, original_language, country, "
				      "duration, forms) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, lang);
	db_bind_text(st, 3, country);
	if (duration >= 0)
		db_bind_int(st, 4, duration);
	db_bind_text(st, 5, forms_json);
	return db_run(db, st);
}

int rq_add_manifestation(struct db *db, const char *mid, const char *work_id, int ord,
			 const char *const f[7])
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO manifestation (id, work_id, ord, kind, "
				      "format, gauge, colour, sound, aspect, notes) "
				      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, mid);
	db_bind_text(st, 2, work_id);
	db_bind_int(st, 3, ord);
	for (int i = 0; i < 7; i++)
		db_bind_text(st, 4 + i, f[i]);
	return db_run(db, st);
}

int rq_set_document(struct db *db, const char *id, const char *doc_type, long long pages,
		    const char *text)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO document (id, doc_type, pages, text) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, doc_type);
	if (pages >= 0)
		db_bind_int(st, 3, pages);
	db_bind_text(st, 4, text);
	return db_run(db, st);
}

int rq_set_agent(struct db *db, const char *id, const char *kind)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO agent (id, kind) VALUES (?1, ?2)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, kind);
	return db_run(db, st);
}

int rq_set_place(struct db *db, const char *id, bool has_coords, double lat, double lon,
		 const char *country)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO place (id, lat, lon, country) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	if (has_coords) {
		sqlite3_bind_double(st, 2, lat);
		sqlite3_bind_double(st, 3, lon);
	}
	db_bind_text(st, 4, country);
	return db_run(db, st);
}

int rq_add_credit(struct db *db, const char *id, int ord, const char *agent_id,
		  const char *role)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO credit (record_id, ord, agent_id, role) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, agent_id);
	db_bind_text(st, 4, role);
	return db_run(db, st);
}

int rq_add_relation(struct db *db, const char *id, int ord, const char *type,
		    const char *to_id)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO relation (from_id, ord, type, to_id) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, type);
	db_bind_text(st, 4, to_id);
	return db_run(db, st);
}

/* The text indexed for the records listed in temp.reindex: titles in every
 * language; names of credited agents and related records (public ones
 * only: a private person's name must not make a public film findable or
 * show in its snippet); descriptions, a document's transcription and
 * manifestation formats. */
static const char reindex_delete_sql[] =
	"DELETE FROM search WHERE rowid IN (SELECT n FROM temp.reindex)";
static const char reindex_insert_sql[] =
	"INSERT INTO search (rowid, title, names, body) "
	"SELECT r.n, "
	" (SELECT group_concat(text, ' ') FROM title WHERE record_id = r.id), "
	" (SELECT group_concat(t.text, ' ') FROM title t WHERE t.record_id IN ("
	"   SELECT agent_id FROM credit WHERE record_id = r.id"
	"   UNION SELECT to_id FROM relation WHERE from_id = r.id)"
	"   AND (SELECT access = 'public' AND ties IS NULL FROM record WHERE id = t.record_id)), "
	" ifnull((SELECT group_concat(text, ' ') FROM description WHERE record_id = r.id), '')"
	"  || ' ' || ifnull((SELECT text FROM document WHERE id = r.id), '')"
	"  || ' ' || ifnull((SELECT group_concat(ifnull(kind, '') || ' ' || ifnull(format, '')"
	"     || ' ' || ifnull(gauge, '') || ' ' || ifnull(notes, ''), ' ')"
	"     FROM manifestation WHERE work_id = r.id), '') "
	"FROM record r WHERE r.n IN (SELECT n FROM temp.reindex)";

static int reindex_listed(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, reindex_delete_sql);
	int rc;

	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, reindex_insert_sql);
	if ((rc = db_run(db, st)))
		return rc;
	return db_exec(db, "DELETE FROM temp.reindex");
}

int rq_reindex(struct db *db, const char *const *ids, int n)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS reindex (n INTEGER PRIMARY KEY)")))
		return rc;
	for (int i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT OR IGNORE INTO temp.reindex (n) "
				"SELECT n FROM record WHERE id = ?1 "
				"UNION SELECT r.n FROM record r JOIN credit c ON c.record_id = r.id "
				"  WHERE c.agent_id = ?1 "
				"UNION SELECT r.n FROM record r JOIN relation l ON l.from_id = r.id "
				"  WHERE l.to_id = ?1");
		if (!st)
			return ERR_DB;
		db_bind_text(st, 1, ids[i]);
		if ((rc = db_run(db, st)))
			return rc;
	}
	return reindex_listed(db);
}

int rq_reindex_new(struct db *db, const char *const *ids, int n)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS reindex (n INTEGER PRIMARY KEY)")))
		return rc;
	for (int i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT OR IGNORE INTO temp.reindex (n) "
				"SELECT n FROM record WHERE id = ?1");
		if (!st)
			return ERR_DB;
		db_bind_text(st, 1, ids[i]);
		if ((rc = db_run(db, st)))
			return rc;
	}
	return reindex_listed(db);
}

int rq_reindex_all(struct db *db)
{
	int rc;

	if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS reindex (n INTEGER PRIMARY KEY)")))
		return rc;
	if ((rc = db_exec(db, "INSERT OR IGNORE INTO temp.reindex SELECT n FROM record")))
		return rc;
	return reindex_listed(db);
}
