/* search_q.c: search SQL (see search_q.h).
 *
 * At a million records a search cannot materialise every hit: a word in
 * most records matched 900,000 of them, each ranked, given a snippet and
 * asked about by the policy, then sorted and counted into five facets
 * (21 s a page). So:
 *
 * - a query's candidates are at most SQ_HITS_MAX rows (every page a
 *   visitor may ask for: SEARCH_PAGE_MAX pages of SEARCH_PER_PAGE). When
 *   more match, the records matched by a title come first, newest first,
 *   then those matched elsewhere; they are ranked among themselves, the
 *   facets are counted over them (the page says so) and the total is
 *   estimated by counting the readable matches in evenly spread stretches
 *   of the catalogue (sq_fill's *estimated). Fewer: every match, ranked
 *   and counted exactly, as before, with the records found only by their
 *   subtitle lines or by the community's published notes on them.
 * - snippets are made for the rows of the page only;
 * - browsing without a query walks the record_label index (010_browse)
 *   in title order, asking the policy about each row it passes;
 * - the counts and facets of a browse, and the candidates of a query
 *   whose candidates were capped, are kept in a cache shared by the
 *   principals who read exactly the same records: no grant, no screener,
 *   the same role and the same day (embargoes end by the day), keyed too
 *   by the change log's last position, so any change to a record (its
 *   level included) starts afresh. A principal with grants is never
 *   served from it. A capped query never looks at subtitle lines (whose
 *   files' levels the change log does not follow), so what the cache
 *   holds depends on records alone.
 *
 * Every query still asks may_read() inside SQL: the fast paths change
 * what is looked at, never who may see it. */
#include "search_q.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/policy.h"
#include "core/err.h"
#include "db.h"
#include "read_q.h"
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

#define BOOST " * CASE r.type WHEN 'work' THEN 2.0 WHEN 'document' THEN 1.5 ELSE 1.0 END"

/* Records whose own text matches, newest first, at most ?7 of them. */
static const char fill_match_sql[] =
	"INSERT OR IGNORE INTO temp.hits (n, score) "
	"SELECT s.rowid, bm25(search, 10.0, 4.0, 1.0)" BOOST " "
	"FROM search s CROSS JOIN record r ON r.n = s.rowid "
	"WHERE search MATCH ?1 AND" FILTERS " ORDER BY s.rowid DESC LIMIT ?7";
/* Records whose readable subtitle or transcript lines match, that the
 * record text did not already find (those keep their own rank). A cue is
 * readable as its file is: the file's level when set, else its record's.
 * The most recent ?8 matching lines are looked at (*capped says when
 * there were more). */
static const char fill_cues_sql[] =
	"INSERT OR IGNORE INTO temp.hits (n, score) "
	"SELECT r.n, min(s.rank)" BOOST " "
	"FROM (SELECT rowid, rank FROM cue_search WHERE cue_search MATCH ?1 "
	"  ORDER BY rowid DESC LIMIT ?8) s CROSS JOIN cue c ON c.id = s.rowid "
	"CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
	"WHERE f.deleted IS NULL AND " CUE_READABLE " AND" FILTERS " GROUP BY r.n LIMIT ?7";
/* Records whose published contributions the principal may read match,
 * that neither their text nor their lines already found, at most ?7. */
static const char fill_contrib_sql[] =
	"INSERT OR IGNORE INTO temp.hits (n, score) "
	"SELECT r.n, min(s.rank)" BOOST " "
	"FROM contribution_search s CROSS JOIN contribution c ON c.n = s.rowid "
	"CROSS JOIN record r ON r.id = c.record_id "
	"WHERE contribution_search MATCH ?1 AND c.state = 'published' "
	"AND " CONTRIB_READABLE("c", "r") " AND" FILTERS " GROUP BY r.n LIMIT ?7";
static const char fill_all_sql[] =
	"INSERT INTO temp.hits (n, score) SELECT r.n, NULL FROM record r WHERE" FILTERS;
/* A stretch of the catalogue for the estimate: the readable matches
 * from record ?7 on, before ?8, at most SQ_SAMPLE of them. */
#define SQ_SAMPLE 200
static const char sample_sql[] =
	"SELECT count(*), max(n) FROM (SELECT s.rowid AS n "
	"FROM search s CROSS JOIN record r ON r.n = s.rowid "
	"WHERE search MATCH ?1 AND s.rowid >= ?7 AND s.rowid < ?8 AND" FILTERS
	" ORDER BY s.rowid LIMIT 200)";

enum sq_mode {
	SQ_HITS,	/* temp.hits holds every candidate; facets from it */
	SQ_PAGE,	/* temp.hits holds the page's rows only (from the cache) */
	SQ_BROWSE,	/* no query: pages from the record_label index */
};

/* ---- the shared cache --------------------------------------------------- */

#define CACHE_SLOTS 64
#define CACHE_KEY_MAX 2400

struct facet_row {
	int which;			/* enum sq_facet */
	char *value, *label;
	int count;
};

struct cache_entry {
	char key[CACHE_KEY_MAX];	/* "" when free */
	unsigned long long used;	/* for replacing the least recently used */
	int total, estimated, capped;
	struct facet_row *rows;		/* the facets, in order, per facet */
	int nrows;
	long long *hits;		/* a query's candidates in page order */
	int nhits;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry cache[CACHE_SLOTS];
static unsigned long long cache_clock;

static void entry_clear(struct cache_entry *e)
{
	for (int i = 0; i < e->nrows; i++) {
		free(e->rows[i].value);
		free(e->rows[i].label);
	}
	free(e->rows);
	free(e->hits);
	memset(e, 0, sizeof *e);
}

/* cache_key writes the key of this search for db->principal, or returns
 * 0 when the principal's reading is their own (grants, a screener) or
 * the key does not fit. */
static int cache_key(struct db *db, char *key, const char *kind, const char *expr,
		     const char *type, const char *decade, const char *lang, int *ok)
{
	const struct principal *p = db->principal;
	sqlite3_stmt *st;
	long long seq = -1;
	int role, n;

	*ok = 0;
	if (!p || p->ngrants > 0 || p->screener_record[0])
		return 0;
	role = p->role == ROLE_ADMIN ? ROLE_ARCHIVIST : (int)p->role;
	st = db_prepare(db, "SELECT coalesce(max(seq), 0) FROM change_log");
	if (!st)
		return ERR_DB;
	if (db_step(db, st) == 1)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (seq < 0)
		return ERR_DB;
	n = snprintf(key, CACHE_KEY_MAX, "%s|%d|%s|%lld|%s|%s|%s|%s", kind, role, p->today, seq,
		     lang ? lang : "", type ? type : "", decade ? decade : "", expr ? expr : "");
	*ok = n > 0 && n < CACHE_KEY_MAX;
	return 0;
}

/* cache_find copies what the cache holds for key: the total, the facet
 * rows into temp.facets, and the candidates of page page (1-based) into
 * temp.hits (when hits). Returns 1 (found), 0 or a negative ERR_*. */
static int facets_store(struct db *db, const struct facet_row *rows, int nrows);
static int cache_find(struct db *db, const char *key, int page, int per_page, bool hits,
		      int *total, int *estimated, int *capped)
{
	struct cache_entry copy = {0};
	int found = 0, rc = 0;

	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cache_entry *e = &cache[i];
		if (!e->key[0] || strcmp(e->key, key) != 0)
			continue;
		e->used = ++cache_clock;
		found = 1;
		copy.total = e->total;
		copy.estimated = e->estimated;
		copy.capped = e->capped;
		copy.nrows = e->nrows;
		copy.rows = calloc((size_t)(e->nrows ? e->nrows : 1), sizeof *copy.rows);
		for (int k = 0; copy.rows && k < e->nrows; k++) {
			copy.rows[k].which = e->rows[k].which;
			copy.rows[k].count = e->rows[k].count;
			copy.rows[k].value = strdup(e->rows[k].value);
			copy.rows[k].label = strdup(e->rows[k].label);
			if (!copy.rows[k].value || !copy.rows[k].label)
				rc = ERR_NOMEM;
		}
		if (!copy.rows)
			rc = ERR_NOMEM;
		if (hits && rc == 0) {
			int from = (page - 1) * per_page, n = e->nhits - from;
			if (n > per_page)
				n = per_page;
			if (n < 0)
				n = 0;
			copy.hits = malloc((size_t)(n ? n : 1) * sizeof *copy.hits);
			if (!copy.hits)
				rc = ERR_NOMEM;
			else if (n)
				memcpy(copy.hits, e->hits + from, (size_t)n * sizeof *copy.hits);
			copy.nhits = n;
		}
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	if (found && rc == 0)
		rc = facets_store(db, copy.rows, copy.nrows);
	for (int k = 0; found && rc == 0 && k < copy.nhits; k++) {
		sqlite3_stmt *st = db_prepare(db, "INSERT INTO temp.hits (n, score) VALUES (?1, ?2)");
		if (!st) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_int64(st, 1, copy.hits[k]);
		sqlite3_bind_double(st, 2, k);
		rc = db_run(db, st);
	}
	*total = copy.total;
	*estimated = copy.estimated;
	*capped = copy.capped;
	entry_clear(&copy);
	return rc ? rc : found;
}

/* cache_put keeps a copy of an entry's values under key (its rows and
 * hits are taken over: the caller must not free them). Out of memory, it
 * keeps nothing: the cache only saves time. */
static void cache_put(const char *key, struct cache_entry *v)
{
	struct cache_entry *slot = &cache[0];

	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].key[0] && strcmp(cache[i].key, key) == 0) {
			slot = &cache[i];
			break;
		}
		if (cache[i].used < slot->used)
			slot = &cache[i];
	}
	entry_clear(slot);
	*slot = *v;
	snprintf(slot->key, sizeof slot->key, "%s", key);
	slot->used = ++cache_clock;
	pthread_mutex_unlock(&cache_lock);
	memset(v, 0, sizeof *v);
}

/* ---- facets ------------------------------------------------------------- */

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

/* facets_store puts facet rows in temp.facets, which sq_facet then reads. */
static int facets_store(struct db *db, const struct facet_row *rows, int nrows)
{
	int rc = db_run(db, db_prepare(db, "DELETE FROM temp.facets"));

	for (int i = 0; rc == 0 && i < nrows; i++) {
		sqlite3_stmt *st = db_prepare(db, "INSERT INTO temp.facets (which, ord, value, label, "
					      "count) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!st)
			return ERR_DB;
		db_bind_int(st, 1, rows[i].which);
		db_bind_int(st, 2, i);
		db_bind_text(st, 3, rows[i].value);
		db_bind_text(st, 4, rows[i].label);
		db_bind_int(st, 5, rows[i].count);
		rc = db_run(db, st);
	}
	return rc;
}

/* facets_count counts every facet over temp.hits into e->rows (and
 * temp.facets). Returns 0 or a negative ERR_*. */
static int facets_count(struct db *db, const char *lang, struct cache_entry *e)
{
	int rc = 0, cap = 0;

	for (int f = 0; f < SQ_NFACETS && rc == 0; f++) {
		sqlite3_stmt *st = db_prepare(db, facet_sql[f]);
		if (!st)
			return ERR_DB;
		db_bind_text(st, 9, lang);
		while ((rc = db_step(db, st)) == 1) {
			struct facet_row *r;
			if (e->nrows == cap) {
				cap = cap ? cap * 2 : 32;
				r = realloc(e->rows, (size_t)cap * sizeof *r);
				if (!r) {
					rc = ERR_NOMEM;
					break;
				}
				e->rows = r;
			}
			r = &e->rows[e->nrows];
			r->which = f;
			r->count = sqlite3_column_int(st, 2);
			r->value = strdup(db_text(st, 0));
			r->label = strdup(db_text(st, 1));
			e->nrows++;
			if (!r->value || !r->label) {
				rc = ERR_NOMEM;
				break;
			}
		}
		sqlite3_reset(st);
	}
	if (rc < 0)
		return rc;
	return facets_store(db, e->rows, e->nrows);
}

sqlite3_stmt *sq_facet(struct db *db, enum sq_facet which, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value, label, count FROM temp.facets "
				      "WHERE which = ?1 AND ?9 IS ?9 ORDER BY ord");

	if (st) {
		db_bind_int(st, 1, which);
		db_bind_text(st, 9, lang);
	}
	return st;
}

/* ---- filling ------------------------------------------------------------ */

/* fill runs one of the fill statements with the expression (?1, unless
 * NULL), the filters and the limits; returns the rows it added or a
 * negative ERR_*. */
static int fill(struct db *db, const char *sql, const char *expr, const char *type,
		const char *decade, const char *place, const char *agent, const char *collection,
		int limit)
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
	if (sql != fill_all_sql)
		db_bind_int(st, 7, limit);
	if (sql == fill_cues_sql)
		db_bind_int(st, 8, SQ_CUES_MAX);
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc < 0 ? rc : sqlite3_changes(db->h);
}

/* estimate counts the readable records whose text matches in SQ_STRATA
 * evenly spread stretches of the record numbers, up to SQ_SAMPLE in
 * each, and scales each stretch's density to its share of the whole.
 * Returns the estimate (at least floor) or a negative ERR_*. */
#define SQ_STRATA 16
static int estimate(struct db *db, const char *expr, const char *type, const char *decade,
		    const char *place, const char *agent, const char *collection, int floor)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(max(n), 0) FROM record");
	long long top = 0;
	double sum = 0;

	if (!st)
		return ERR_DB;
	if (db_step(db, st) == 1)
		top = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (int j = 0; j < SQ_STRATA; j++) {
		long long lo = 1 + top * j / SQ_STRATA, hi = 1 + top * (j + 1) / SQ_STRATA;
		long long count, reached;
		if (hi <= lo)
			continue;
		if (!(st = db_prepare(db, sample_sql)))
			return ERR_DB;
		db_bind_text(st, 1, expr);
		db_bind_text(st, 2, type);
		db_bind_text(st, 3, decade);
		db_bind_text(st, 4, place);
		db_bind_text(st, 5, agent);
		db_bind_text(st, 6, collection);
		sqlite3_bind_int64(st, 7, lo);
		sqlite3_bind_int64(st, 8, hi);
		if (db_step(db, st) != 1) {
			sqlite3_reset(st);
			return ERR_DB;
		}
		count = sqlite3_column_int64(st, 0);
		reached = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		if (count < SQ_SAMPLE)
			sum += (double)count;
		else
			sum += (double)count * (double)(hi - lo) / (double)(reached + 1 - lo);
	}
	return sum < floor ? floor : sum > 2e9 ? 2000000000 : (int)sum;
}

/* count_lines counts the subtitle and transcript lines matching expr, up
 * to SQ_CUES_MAX + 1 (whoever may read them). Returns it or ERR_*. */
static int count_lines(struct db *db, const char *expr)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM (SELECT 1 FROM cue_search "
				      "WHERE cue_search MATCH ?1 LIMIT ?2)");
	int n = ERR_DB;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, expr);
	db_bind_int(st, 2, SQ_CUES_MAX + 1);
	if (db_step(db, st) == 1)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* page_order writes the candidates' record numbers in page order into
 * e->hits. Returns 0 or a negative ERR_*. */
static int page_order(struct db *db, struct cache_entry *e, int n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT h.n FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
				      "ORDER BY h.score, r.label COLLATE NOCASE, r.n");
	int rc = 0;

	if (!st)
		return ERR_DB;
	e->hits = malloc((size_t)(n ? n : 1) * sizeof *e->hits);
	if (!e->hits) {
		sqlite3_reset(st);
		return ERR_NOMEM;
	}
	while (e->nhits < n && (rc = db_step(db, st)) == 1)
		e->hits[e->nhits++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int sq_fill(struct db *db, const struct sq_args *a, struct sq_result *out)
{
	struct cache_entry e = {0};
	char key[CACHE_KEY_MAX];
	const char *expr = a->expr;
	bool browse = !expr && !a->place && !a->agent && !a->collection;
	int rc, n, cacheable = 0;

	memset(out, 0, sizeof *out);
	if (!db->has_hits) {
		if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS hits "
				  "(n INTEGER PRIMARY KEY, score REAL)")) ||
		    (rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS facets "
				  "(which INTEGER, ord INTEGER, value TEXT, label TEXT, count INTEGER)")))
			return rc;
		db->has_hits = 1;
	}
	if ((rc = db_run(db, db_prepare(db, "DELETE FROM temp.hits"))) ||
	    (rc = db_run(db, db_prepare(db, "DELETE FROM temp.facets"))))
		return rc;
	db->sq_mode = browse ? SQ_BROWSE : SQ_HITS;
	db->sq_expr = expr;
	db->sq_type = a->type;
	db->sq_decade = a->decade;
	if (expr && !*expr)
		return 0;	/* nothing to look for: no hits */

	/* what principals of this one's kind were shown, the catalogue unchanged */
	if ((browse || expr) && !a->place && !a->agent && !a->collection) {
		if ((rc = cache_key(db, key, browse ? "browse" : "query", expr, a->type, a->decade,
				    a->lang, &cacheable)))
			return rc;
		if (cacheable) {
			rc = cache_find(db, key, a->page, a->per_page, !browse, &out->total,
					&out->estimated, &out->capped);
			if (rc < 0)
				return rc;
			if (rc == 1) {
				if (!browse)
					db->sq_mode = SQ_PAGE;
				return out->total;
			}
		}
	}

	if (!expr) {
		n = fill(db, fill_all_sql, NULL, a->type, a->decade, a->place, a->agent,
			 a->collection, 0);
		if (n < 0)
			return n;
		out->total = n;
	} else {
		n = fill(db, fill_match_sql, expr, a->type, a->decade, a->place, a->agent,
			 a->collection, SQ_HITS_MAX + 1);
		if (n == ERR_DB && strstr(db->err, "fts5"))
			return 0;	/* a query FTS5 cannot parse finds nothing */
		if (n < 0)
			return n;
		if (n > SQ_HITS_MAX) {
			/* too many to rank them all: titles first, then the rest */
			size_t len = strlen(expr) + 16;
			char *title = malloc(len);
			if (!title)
				return ERR_NOMEM;
			snprintf(title, len, "{title} : (%s)", expr);
			rc = db_run(db, db_prepare(db, "DELETE FROM temp.hits"));
			n = rc ? rc : fill(db, fill_match_sql, title, a->type, a->decade, a->place,
					   a->agent, a->collection, SQ_HITS_MAX);
			free(title);
			if (n < 0)
				return n;
			/* below every title's score: bm25 scores are negative */
			if (n < SQ_HITS_MAX) {
				if ((rc = db_run(db, db_prepare(db, "UPDATE temp.hits SET score = score - 1e6"))))
					return rc;
				rc = fill(db, fill_match_sql, expr, a->type, a->decade, a->place,
					  a->agent, a->collection, SQ_HITS_MAX);
				if (rc < 0)
					return rc;
				n = SQ_HITS_MAX;
			}
			out->capped = 1;
			out->estimated = 1;
			out->total = estimate(db, expr, a->type, a->decade, a->place, a->agent,
					      a->collection, n);
			if (out->total < 0)
				return out->total;
		} else {
			/* the records found only by what is said in them come after */
			int lines = count_lines(db, expr);
			if (lines < 0)
				return lines;
			rc = fill(db, fill_cues_sql, expr, a->type, a->decade, a->place, a->agent,
				  a->collection, SQ_HITS_MAX - n);
			if (rc < 0)
				return rc;
			n += rc;
			/* then those found only by the community's notes on them */
			rc = fill(db, fill_contrib_sql, expr, a->type, a->decade, a->place, a->agent,
				  a->collection, SQ_HITS_MAX - n);
			if (rc < 0)
				return rc;
			out->total = n + rc;
			/* more lines than were looked at: at least this many */
			if (out->total >= SQ_HITS_MAX || lines > SQ_CUES_MAX)
				out->capped = out->estimated = 1;
			cacheable = 0;	/* lines and notes are read as their own levels say */
		}
		cacheable = cacheable && out->capped;
	}
	if ((rc = facets_count(db, a->lang, &e))) {
		entry_clear(&e);
		return rc;
	}
	if (cacheable) {
		e.total = out->total;
		e.estimated = out->estimated;
		e.capped = out->capped;
		if (!browse && (rc = page_order(db, &e, SQ_HITS_MAX + 1)) < 0) {
			entry_clear(&e);
			return rc;
		}
		cache_put(key, &e);
	}
	entry_clear(&e);
	return out->total;
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
	 * work on the full-text query's own rows. The match is kept to the
	 * stretch of line numbers that holds the record's own lines (a
	 * record's lines are stored together): a common word's lines in the
	 * whole catalogue are a million, and matching line by line expands
	 * a prefix query afresh for every line. */
	sqlite3_stmt *st = db_prepare(db,
		"WITH m AS MATERIALIZED ("
		"  SELECT c.start_ms, c.lang, snippet(cue_search, 0, char(1), char(2), '…', 24) AS line, "
		"    (c.lang IS NOT ?4) * 1000.0 + rank AS pref "
		"  FROM cue_search s CROSS JOIN cue c ON c.id = s.rowid "
		"  CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"  WHERE cue_search MATCH ?1 "
		"  AND s.rowid >= coalesce((SELECT min(id) FROM cue WHERE record_id = ?2), 1) "
		"  AND s.rowid <= coalesce((SELECT max(id) FROM cue WHERE record_id = ?2), 0) "
		"  AND c.record_id = ?2 AND f.deleted IS NULL "
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

/* The language of the label shown (QR_LABEL_LANG). */
#define LABEL_LANG "(SELECT lang FROM title WHERE record_id = r.id ORDER BY lang IS ?9 DESC, ord LIMIT 1)"

/* The snippet of record h.n's text for the query ?3 (NULL when it was
 * found by its lines only), made for the page's rows alone. */
#define SNIPPET "(SELECT snippet(search, -1, char(1), char(2), '…', 16) FROM search " \
	"WHERE search MATCH ?3 AND rowid = r.n)"

sqlite3_stmt *sq_page(struct db *db, const char *lang, int limit, int offset)
{
	sqlite3_stmt *st;

	if (db->sq_mode == SQ_BROWSE) {
		/* the record_label index in order; the policy asked of each row */
		st = db_prepare(db,
			"SELECT r.id, r.type, r.slug, r.date, r.date_end, r.source, " LABEL("r.id") " AS label, "
			"  r.created, r.updated, r.access, r.embargo_until, " LABEL_LANG ", NULL "
			"FROM record r INDEXED BY record_label WHERE " READABLE("r")
			" AND (?4 IS NULL OR r.type = ?4) AND (?5 IS NULL OR substr(r.date, 1, 3) || '0' = ?5) "
			"ORDER BY r.label COLLATE NOCASE, r.n LIMIT ?1 OFFSET ?2");
		if (st) {
			db_bind_text(st, 4, db->sq_type);
			db_bind_text(st, 5, db->sq_decade);
		}
	} else {
		st = db_prepare(db,
			"SELECT r.id, r.type, r.slug, r.date, r.date_end, r.source, " LABEL("r.id") " AS label, "
			"  r.created, r.updated, r.access, r.embargo_until, " LABEL_LANG ", "
			"  CASE WHEN ?3 IS NOT NULL THEN " SNIPPET " END "
			"FROM temp.hits h CROSS JOIN record r ON r.n = h.n "
			"ORDER BY h.score, r.label COLLATE NOCASE, r.n LIMIT ?1 OFFSET ?2");
		if (st)
			db_bind_text(st, 3, db->sq_expr);
		if (db->sq_mode == SQ_PAGE)
			offset = 0;	/* the hits are the page's */
	}
	if (st) {
		db_bind_int(st, 1, limit);
		db_bind_int(st, 2, offset);
		db_bind_text(st, 9, lang);
	}
	return st;
}

#define NTYPES 7

sqlite3_stmt *sq_type_counts(struct db *db)
{
	static const char values_sql[] =
		"SELECT column1, column2 FROM (VALUES (?1, ?2), (?3, ?4), (?5, ?6), (?7, ?8), "
		"(?9, ?10), (?11, ?12), (?13, ?14)) WHERE column1 IS NOT NULL";
	char key[CACHE_KEY_MAX];
	struct cache_entry e = {0};
	sqlite3_stmt *st;
	int ok, rc;

	if (cache_key(db, key, "types", NULL, NULL, NULL, NULL, &ok))
		return NULL;
	if (!ok)
		return q_type_counts(db);
	/* kept as facet rows of a table of its own */
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key[0] && strcmp(cache[i].key, key) == 0) {
			cache[i].used = ++cache_clock;
			e.rows = calloc(NTYPES, sizeof *e.rows);
			for (int j = 0; e.rows && j < cache[i].nrows && j < NTYPES; j++) {
				e.rows[j].value = strdup(cache[i].rows[j].value);
				e.rows[j].count = cache[i].rows[j].count;
				e.nrows++;
			}
			break;
		}
	pthread_mutex_unlock(&cache_lock);
	if (!e.rows) {
		st = q_type_counts(db);
		e.rows = calloc(NTYPES, sizeof *e.rows);
		while (st && e.rows && e.nrows < NTYPES && (rc = db_step(db, st)) == 1) {
			e.rows[e.nrows].value = strdup(db_text(st, 0));
			e.rows[e.nrows].label = strdup("");
			e.rows[e.nrows].count = sqlite3_column_int(st, 1);
			e.nrows++;
		}
		if (st)
			sqlite3_reset(st);
		if (!st || !e.rows) {
			entry_clear(&e);
			return NULL;
		}
		for (int j = 0; j < e.nrows; j++)
			if (!e.rows[j].value || !e.rows[j].label) {
				entry_clear(&e);
				return NULL;
			}
	}
	st = db_prepare(db, values_sql);
	for (int j = 0; st && j < NTYPES; j++) {
		if (j < e.nrows) {
			db_bind_text(st, 2 * j + 1, e.rows[j].value);
			db_bind_int(st, 2 * j + 2, e.rows[j].count);
		} else {
			sqlite3_bind_null(st, 2 * j + 1);
		}
	}
	/* the bound values are copies (SQLITE_TRANSIENT): the entry may go */
	if (e.rows && e.rows[0].label)
		cache_put(key, &e);
	entry_clear(&e);
	return st;
}
