/* api_q.c: the JSON API's own reads (see api_q.h). */
#include "api_q.h"

#include "core/err.h"
#include "db.h"
#include "read_q.h"
#include "readable.h"

/* as read_q.c: the label in ?9 (the reader's language), else the main title */
#define LABEL(r) "(SELECT text FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"
#define RECORD_COLS "r.id, r.type, r.slug, r.date, r.date_end, r.source, " \
	LABEL("r.id") ", r.created, r.updated, r.access, r.embargo_until"

sqlite3_stmt *apq_record(struct db *db, const char *id_or_slug, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " RECORD_COLS " FROM record r "
				      "WHERE (r.id = ?1 OR r.slug = ?1) AND " READABLE("r"));

	if (st) {
		db_bind_text(st, 1, id_or_slug);
		db_bind_text(st, 9, lang);
	}
	return st;
}

sqlite3_stmt *apq_records(struct db *db, const char *type, long long after, int limit,
			  const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " RECORD_COLS ", r.n FROM record r "
				      "WHERE r.n > ?1 AND (?2 IS NULL OR r.type = ?2) AND "
				      READABLE("r") " ORDER BY r.n LIMIT ?3");

	if (st) {
		db_bind_int(st, 1, after);
		db_bind_text(st, 2, type);
		db_bind_int(st, 3, limit);
		db_bind_text(st, 9, lang);
	}
	return st;
}

sqlite3_stmt *apq_changes(struct db *db, long long since, int limit, int with_deleted)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.seq, c.record_id, c.type, c.op, c.at, coalesce(r.slug, t.slug) "
		"FROM change_log c LEFT JOIN record r ON r.id = c.record_id "
		"LEFT JOIN tombstone t ON t.record_id = c.record_id "
		"WHERE c.seq > ?1 AND CASE WHEN r.id IS NULL THEN ?3 ELSE " READABLE("r") " END "
		"ORDER BY c.seq LIMIT ?2");

	if (st) {
		db_bind_int(st, 1, since);
		db_bind_int(st, 2, limit);
		db_bind_int(st, 3, with_deleted);
	}
	return st;
}

sqlite3_stmt *apq_fixity(struct db *db, const char *sha256)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT last_fixity, fixity_ok FROM object "
				      "WHERE sha256 = ?1");

	if (st)
		db_bind_text(st, 1, sha256);
	return st;
}

long long apq_sitemap_count(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM record r WHERE " READABLE("r"));
	long long v;

	if (!st)
		return ERR_DB;
	v = db_step(db, st) == 1 ? sqlite3_column_int64(st, 0) : ERR_DB;
	sqlite3_reset(st);
	return v;
}

sqlite3_stmt *apq_sitemap(struct db *db, long long limit, long long offset)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.type, r.slug, coalesce((SELECT max(c.at) FROM change_log c "
		"WHERE c.record_id = r.id), r.updated) FROM record r WHERE " READABLE("r")
		" ORDER BY r.n LIMIT ?1 OFFSET ?2");

	if (st) {
		db_bind_int(st, 1, limit);
		db_bind_int(st, 2, offset);
	}
	return st;
}

sqlite3_stmt *apq_credits(struct db *db, const char *record_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.role, a.slug, " LABEL("a.id") ", g.kind FROM credit c "
		"JOIN record a ON a.id = c.agent_id LEFT JOIN agent g ON g.id = a.id "
		"WHERE c.record_id = ?1 AND " READABLE("a") " ORDER BY c.ord");

	if (st) {
		db_bind_text(st, 1, record_id);
		db_bind_text(st, 9, lang);
	}
	return st;
}
