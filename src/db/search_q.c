/* search_q.c: search SQL (see search_q.h). */
#include "search_q.h"

#include <string.h>

#include "core/err.h"
#include "db.h"
#include "readable.h"

#define LABEL(r) "(SELECT text FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"

/* The policy, asked about the file f holding cue lines of record r. */
#define CUE_READABLE FILE_READABLE("f", "r")

/* Facet filters on record r; ?2 type, ?3 decade, ?4 place, ?5 agent,
 * ?6 collection (slugs). A filter names a record t, and the policy is
 * asked about t too: a slug the principal may not read filters exactly
 * as a slug that does not exist (nothing found, no facet counted), so a
 * filter cannot confirm that a private person, place or collection
 * exists nor list what is linked to it. */
#define FILTERS \
	" " READABLE("r") " AND (?2 IS NULL OR r.type = ?2)" \
	" AND (?3 IS NULL OR substr(r.date, 1, 3) || '0' = ?3)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM relation l JOIN record t ON t.id = l.to_id" \
	"   WHERE l.from_id = r.id AND t.slug = ?4 AND t.type = 'place' AND " READABLE("t") "))" \
	" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM credit c JOIN record t ON t.id = c.agent_id" \
	"   WHERE c.record_id = r.id AND t.slug = ?5 AND " READABLE("t") ")" \
	"   OR EXISTS (SELECT 1 FROM relation l JOIN record t ON t.id = l.to_id" \
	"   WHERE l.from_id = r.id AND t.slug = ?5 AND t.type = 'agent' AND " READABLE("t") "))" \
	" AND (?6 IS NULL OR EXISTS (SELECT 1 FROM relation l JOIN record t ON t.id = l.to_id" \
	"   WHERE l.from_id = r.id AND l.type = 'part_of' AND t.slug = ?6 AND " READABLE("t") "))"

static const char fill_match_sql[] =
	"INSERT INTO temp.hits (n, score, snip) "
	"SELECT s.rowid, bm25(search, 10.0, 4.0, 1.0) * CASE r.type WHEN 'work' THEN 2.0 "
	"  WHEN 'document' THEN 1.5 ELSE 1.0 END, "
	"  snippet(search, -1, char(1), char(2), '…', 16) "
	"FROM search s JOIN record r ON r.n = s.rowid "
	"WHERE search MATCH ?1 AND" FILTERS;
/* Records whose readable subtitle or transcript lines match, that the
 * record text did not already find (those keep their own rank). A cue is
 * readable as its file is: the file's level when set, else its record's. */
static const char fill_cues_sql[] =
	"INSERT OR IGNORE INTO temp.hits (n, score, snip) "
	"SELECT r.n, min(s.rank) * CASE r.type WHEN 'work' THEN 2.0 "
	"  WHEN 'document' THEN 1.5 ELSE 1.0 END, NULL "
	"FROM cue_search s CROSS JOIN cue c ON c.id = s.rowid "
	"CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
	"WHERE cue_search MATCH ?1 AND f.deleted IS NULL "
	"AND " CUE_READABLE " AND" FILTERS " GROUP BY r.n";
/* Records whose published contributions the principal may read match,
 * that neither their text nor their lines already found. */
static const char fill_contrib_sql[] =
	"INSERT OR IGNORE INTO temp.hits (n, score, snip) "
	"SELECT r.n, min(s.rank) * CASE r.type WHEN 'work' THEN 2.0 "
	"  WHEN 'document' THEN 1.5 ELSE 1.0 END, NULL "
	"FROM contribution_search s CROSS JOIN contribution c ON c.n = s.rowid "
	"CROSS JOIN record r ON r.id = c.record_id "
	"WHERE contribution_search MATCH ?1 AND c.state = 'published' "
	"AND " CONTRIB_READABLE("c", "r") " AND" FILTERS " GROUP BY r.n";
static const char fill_all_sql[] =
	"INSERT INTO temp.hits (n, score, snip) SELECT r.n, NULL, NULL FROM record r WHERE" FILTERS;

/* fill runs one of the INSERT INTO temp.hits statements with the
 * expression (?1, unless NULL) and the filters; returns the rows it added
 * or a negative ERR_*. */
static int fill(struct db *db, const char *sql, const char *expr, const char *type,
		const char *decade, const char *place, const char *agent, const char *collection)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return ERR_DB;
	if (expr)
		db_bind_text(st, 1, expr);
	db_bind_text(st, 2, type);
	db_bind_text(st, 3, decade);
	db_bind_text(st, 4, place);
	db_bind_text(st, 5, agent);
	db_bind_text(st, 6, collection);
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc < 0 ? rc : sqlite3_changes(db->h);
}

int sq_fill(struct db *db, const char *expr, const char *type, const char *decade,
	    const char *place, const char *agent, const char *collection)
{
	int rc, n;

	if (!db->has_hits) {
		if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS hits "
				  "(n INTEGER PRIMARY KEY, score REAL, snip TEXT)")))
			return rc;
		db->has_hits = 1;
	}
	if ((rc = db_run(db, db_prepare(db, "DELETE FROM temp.hits"))))
		return rc;
	if (expr && !*expr)
		return 0;	/* nothing to look for: no hits */
	n = fill(db, expr ? fill_match_sql : fill_all_sql, expr, type, decade, place, agent,
		 collection);
	if (n == ERR_DB && expr && strstr(db->err, "fts5"))
		return 0;	/* a query FTS5 cannot parse finds nothing */
	if (n < 0 || !expr)
		return n;
	/* the records found only by what is said in them come after, then
	 * those found only by the community's notes on them */
	rc = fill(db, fill_cues_sql, expr, type, decade, place, agent, collection);
	if (rc < 0)
		return rc;
	n += rc;
	rc = fill(db, fill_contrib_sql, expr, type, decade, place, agent, collection);
	return rc < 0 ? rc : n + rc;
}

sqlite3_stmt *sq_contribs(struct db *db, const char *expr, const char *record_id, int limit)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.id, c.kind, c.start_ms, c.lang, "
		"  snippet(contribution_search, 0, char(1), char(2), '…', 24) "
		"FROM contribution_search s CROSS JOIN contribution c ON c.n = s.rowid "
		"CROSS JOIN record r ON r.id = c.record_id "
		"WHERE contribution_search MATCH ?1 AND c.record_id = ?2 AND c.state = 'published' "
		"AND " CONTRIB_READABLE("c", "r") " ORDER BY s.rank, c.n LIMIT ?3");

	if (st) {
		db_bind_text(st, 1, expr);
		db_bind_text(st, 2, record_id);
		db_bind_int(st, 3, limit);
	}
	return st;
}

sqlite3_stmt *sq_cues(struct db *db, const char *expr, const char *record_id, const char *lang,
		      int limit)
{
	/* One line per moment (a film subtitled in three languages says the
	 * same thing three times), in the reader's language when it matched
	 * there; the best moments; then in the order they are said. The
	 * matches are made first (MATERIALIZED), as snippet() and rank only
	 * work on the full-text query's own rows. */
	sqlite3_stmt *st = db_prepare(db,
		"WITH m AS MATERIALIZED ("
		"  SELECT c.start_ms, c.lang, snippet(cue_search, 0, char(1), char(2), '…', 24) AS line, "
		"    (c.lang IS NOT ?4) * 1000.0 + rank AS pref "
		"  FROM cue_search s CROSS JOIN cue c ON c.id = s.rowid "
		"  CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"  WHERE cue_search MATCH ?1 AND c.record_id = ?2 AND f.deleted IS NULL "
		"  AND " CUE_READABLE "), "
		"best AS (SELECT start_ms, lang, line, min(pref) AS p FROM m GROUP BY start_ms "
		"  ORDER BY p, start_ms LIMIT ?3) "
		"SELECT start_ms, lang, line FROM best ORDER BY start_ms");

	if (st) {
		db_bind_text(st, 1, expr);
		db_bind_text(st, 2, record_id);
		db_bind_int(st, 3, limit);
		db_bind_text(st, 4, lang);
	}
	return st;
}

sqlite3_stmt *sq_page(struct db *db, const char *lang, int limit, int offset)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.id, r.type, r.slug, r.date, r.date_end, r.source, " LABEL("r.id") " AS label, "
		"  r.created, r.updated, r.access, r.embargo_until, "
		"  (SELECT lang FROM title WHERE record_id = r.id ORDER BY lang IS ?9 DESC, ord LIMIT 1), h.snip "
		"FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"ORDER BY h.score, label COLLATE NOCASE, r.n LIMIT ?1 OFFSET ?2");
	if (st) {
		db_bind_int(st, 1, limit);
		db_bind_int(st, 2, offset);
		db_bind_text(st, 9, lang);
	}
	return st;
}

/* Facets are counted over the hits, so every join starts from them
 * (CROSS JOIN fixes that order: the hits are few, the catalogue large). */
static const char *const facet_sql[SQ_NFACETS] = {
	[SQ_FACET_TYPE] =
		"SELECT r.type, r.type, count(*) FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"WHERE ?9 IS ?9 GROUP BY r.type ORDER BY 3 DESC, 1",
	[SQ_FACET_DECADE] =
		"SELECT substr(r.date, 1, 3) || '0' AS d, substr(r.date, 1, 3) || '0', count(*) "
		"FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"WHERE r.date IS NOT NULL AND ?9 IS ?9 GROUP BY d ORDER BY d",
	[SQ_FACET_PLACE] =
		"SELECT t.slug, " LABEL("t.id") ", count(DISTINCT h.n) "
		"FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"CROSS JOIN relation l ON l.from_id = r.id CROSS JOIN record t ON t.id = l.to_id "
		"WHERE t.type = 'place' AND " READABLE("t") " GROUP BY t.id ORDER BY 3 DESC, 2 COLLATE NOCASE LIMIT 12",
	[SQ_FACET_AGENT] =
		"SELECT t.slug, " LABEL("t.id") ", count(DISTINCT x.n) FROM ("
		"  SELECT h.n AS n, c.agent_id AS aid FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"    CROSS JOIN credit c ON c.record_id = r.id "
		"  UNION ALL SELECT h.n, l.to_id FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"    CROSS JOIN relation l ON l.from_id = r.id) x "
		"CROSS JOIN record t ON t.id = x.aid "
		"WHERE t.type = 'agent' AND " READABLE("t") " GROUP BY t.id ORDER BY 3 DESC, 2 COLLATE NOCASE LIMIT 12",
	[SQ_FACET_COLLECTION] =
		"SELECT t.slug, " LABEL("t.id") ", count(DISTINCT h.n) "
		"FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
		"CROSS JOIN relation l ON l.from_id = r.id AND l.type = 'part_of' "
		"CROSS JOIN record t ON t.id = l.to_id "
		"WHERE " READABLE("t") " GROUP BY t.id ORDER BY 3 DESC, 2 COLLATE NOCASE LIMIT 12",
};

sqlite3_stmt *sq_facet(struct db *db, enum sq_facet which, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, facet_sql[which]);

	if (st)
		db_bind_text(st, 9, lang);
	return st;
}
