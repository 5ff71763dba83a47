/* iiif_q.c: the SQL of the IIIF surfaces (see iiif_q.h). */
#include "iiif_q.h"

#include "core/err.h"
#include "db.h"
#include "readable.h"

/* The label of record r in ?9 (the reader's language), else its main title. */
#define LABEL(r) "(SELECT text FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"

/* Record r has a file f the principal may read that a manifest shows: for
 * a work an access copy a browser plays (ingested as such, or made by
 * ffmpeg), for a document a page scan or a PDF's page image. The same
 * choice as the player's (web/player.c) and interop/iiif.c's. */
#define HAS_MANIFEST(r) \
	"EXISTS (SELECT 1 FROM file f WHERE f.record_id = " r ".id AND f.deleted IS NULL AND " \
	FILE_READABLE("f", r) " AND CASE " r ".type " \
	"  WHEN 'work' THEN (f.role = 'access' AND f.derived_from IS NULL " \
	"    AND f.mime IN ('video/mp4', 'video/webm')) OR f.derivative = 'access-mp4' " \
	"  WHEN 'document' THEN (f.role = 'scan' AND f.mime LIKE 'image/%') " \
	"    OR f.derivative = 'page-image' " \
	"  ELSE 0 END)"

#define CUE_READABLE "f.deleted IS NULL AND " FILE_READABLE("f", "r")

sqlite3_stmt *iq_members(struct db *db, const char *collection_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.id, r.type, r.slug, " LABEL("r.id") " AS label FROM record r "
		"WHERE " READABLE("r") " AND (r.type = 'collection' OR "
		"  (r.type IN ('work', 'document') AND " HAS_MANIFEST("r") ")) "
		"AND CASE WHEN ?1 IS NULL THEN NOT EXISTS (SELECT 1 FROM relation l "
		"    JOIN record c ON c.id = l.to_id WHERE l.from_id = r.id AND l.type = 'part_of' "
		"    AND c.type = 'collection' AND " READABLE("c") ") "
		"  ELSE EXISTS (SELECT 1 FROM relation l WHERE l.from_id = r.id "
		"    AND l.type = 'part_of' AND l.to_id = ?1) END "
		"AND r.id IS NOT ?1 "
		"ORDER BY r.type <> 'collection', label COLLATE NOCASE, r.n");

	if (st) {
		db_bind_text(st, 1, collection_id);
		db_bind_text(st, 9, lang);
	}
	return st;
}

int iq_has_manifest(struct db *db, const char *id, const char *type)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT 1 FROM record r WHERE r.id = ?1 AND r.type = ?2 AND " HAS_MANIFEST("r"));
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, type);
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc;
}

sqlite3_stmt *iq_hits(struct db *db, const char *record_id, const char *expr, int limit,
		      int offset)
{
	/* the matches first (MATERIALIZED): highlight() only works on the
	 * full-text query's own rows */
	sqlite3_stmt *st = db_prepare(db,
		"WITH m AS MATERIALIZED ("
		"  SELECT c.id, c.start_ms, c.end_ms, c.lang, "
		"    highlight(cue_search, 0, char(1), char(2)) AS line "
		"  FROM cue_search s CROSS JOIN cue c ON c.id = s.rowid "
		"  CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"  WHERE cue_search MATCH ?1 AND c.record_id = ?2 AND " CUE_READABLE ") "
		"SELECT id, start_ms, end_ms, lang, line FROM m "
		"ORDER BY start_ms, lang, id LIMIT ?3 OFFSET ?4");

	if (st) {
		db_bind_text(st, 1, expr);
		db_bind_text(st, 2, record_id);
		db_bind_int(st, 3, limit);
		db_bind_int(st, 4, offset);
	}
	return st;
}

long long iq_hit_count(struct db *db, const char *record_id, const char *expr)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT count(*) FROM cue_search s CROSS JOIN cue c ON c.id = s.rowid "
		"CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"WHERE cue_search MATCH ?1 AND c.record_id = ?2 AND " CUE_READABLE);
	long long n;
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, expr);
	db_bind_text(st, 2, record_id);
	rc = db_step(db, st);
	n = rc == 1 ? sqlite3_column_int64(st, 0) : rc < 0 ? rc : 0;
	sqlite3_reset(st);
	return n;
}
