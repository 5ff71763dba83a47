/* oai_q.c: the SQL behind OAI-PMH and the Dublin Core and PBCore writers
 * (see oai_q.h for the shape of a harvest).
 *
 * A record's position is the seq of its latest change_log row, so one
 * page is a walk of change_log upwards from the token's seq that keeps the
 * rows no later row of the same record follows (change_log_record holds
 * record_id with seq, so that check is one index probe). No OFFSET: a page
 * costs the same at the end of a harvest as at its start. */
#include "db/oai_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db/db.h"
#include "db/readable.h"

/* A record is live for the principal, deleted if it was once public, and
 * otherwise nothing the harvester may learn of. */
#define LIVE "(r.id IS NOT NULL AND " READABLE("r") ")"

/* The collections of set ?5 and, through readable sub-collections, below it. */
#define SUBSETS "WITH RECURSIVE sub(id) AS (SELECT ?5 WHERE ?5 IS NOT NULL " \
	"UNION SELECT l.from_id FROM sub JOIN relation l ON l.to_id = sub.id AND l.type = 'part_of' " \
	"JOIN record k ON k.id = l.from_id AND k.type = 'collection' AND " READABLE("k") ") "

#define SELECTION \
	"FROM change_log c LEFT JOIN record r ON r.id = c.record_id " \
	"LEFT JOIN oai_exposed x ON x.record_id = c.record_id " \
	"WHERE c.seq > ?1 " \
	"AND NOT EXISTS (SELECT 1 FROM change_log d WHERE d.record_id = c.record_id AND d.seq > c.seq) " \
	"AND (?2 IS NULL OR c.at >= ?2) AND (?3 IS NULL OR c.at <= ?3) " \
	"AND (?4 IS NULL OR c.type = ?4) " \
	"AND (?5 IS NULL OR EXISTS (SELECT 1 FROM relation m WHERE m.from_id = c.record_id " \
	"     AND m.type = 'part_of' AND m.to_id IN sub)) " \
	"AND (" LIVE " OR x.record_id IS NOT NULL) "

static int bind_filter(sqlite3_stmt *st, const struct oaiq_filter *f, long long after)
{
	int rc = db_bind_int(st, 1, after);
	if (!rc)
		rc = db_bind_text(st, 2, f->from);
	if (!rc)
		rc = db_bind_text(st, 3, f->until);
	if (!rc)
		rc = db_bind_text(st, 4, f->type);
	if (!rc)
		rc = db_bind_text(st, 5, f->collection);
	return rc;
}

static void fill(sqlite3_stmt *st, struct oaiq_item *it)
{
	it->seq = sqlite3_column_int64(st, 0);
	snprintf(it->id, sizeof it->id, "%s", db_text(st, 1));
	snprintf(it->type, sizeof it->type, "%s", db_text(st, 2));
	snprintf(it->datestamp, sizeof it->datestamp, "%s", db_text(st, 3));
	it->deleted = sqlite3_column_int(st, 4) == 0;
	snprintf(it->slug, sizeof it->slug, "%s", it->deleted ? "" : db_text(st, 5));
}

int oaiq_page(struct db *db, const struct oaiq_filter *f, long long after, int limit,
	      oaiq_item_fn fn, void *ctx, bool *more)
{
	struct oaiq_item it;
	sqlite3_stmt *st;
	int rc, n = 0;

	*more = false;
	st = db_prepare(db, SUBSETS "SELECT c.seq, c.record_id, c.type, c.at, " LIVE ", r.slug "
			SELECTION "ORDER BY c.seq LIMIT ?6");
	if (!st)
		return ERR_DB;
	if ((rc = bind_filter(st, f, after)) || (rc = db_bind_int(st, 6, (long long)limit + 1)))
		return rc;
	while ((rc = db_step(db, st)) == 1) {
		if (n++ == limit) {
			*more = true;
			break;
		}
		fill(st, &it);
		if ((rc = fn(ctx, &it)))
			break;
	}
	sqlite3_reset(st);
	return rc < 0 || rc > 1 ? rc : 0;
}

int oaiq_count(struct db *db, const struct oaiq_filter *f, long long after, long long *n)
{
	sqlite3_stmt *st = db_prepare(db, SUBSETS "SELECT count(*) " SELECTION);
	int rc;

	*n = 0;
	if (!st)
		return ERR_DB;
	if ((rc = bind_filter(st, f, after)))
		return rc;
	rc = db_step(db, st);
	if (rc == 1)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int oaiq_item(struct db *db, const char *id, struct oaiq_item *it)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.seq, c.record_id, c.type, c.at, " LIVE ", r.slug "
		"FROM change_log c LEFT JOIN record r ON r.id = c.record_id "
		"LEFT JOIN oai_exposed x ON x.record_id = c.record_id "
		"WHERE c.record_id = ?1 AND (" LIVE " OR x.record_id IS NOT NULL) "
		"ORDER BY c.seq DESC LIMIT 1");
	int rc;

	if (!st)
		return ERR_DB;
	if ((rc = db_bind_text(st, 1, id)))
		return rc;
	rc = db_step(db, st);
	if (rc == 1)
		fill(st, it);
	sqlite3_reset(st);
	return rc;
}

int oaiq_earliest(struct db *db, char out[24])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT min(at) FROM change_log");
	int rc;

	out[0] = '\0';
	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	if (rc == 1)
		snprintf(out, 24, "%s", db_text(st, 0));
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

/* Paths of readable collections from the top ones (no readable parent
 * collection) down; a path never takes a collection twice, so a cycle
 * ends where it would close. */
#define PATHS "WITH RECURSIVE cpath(id, spec) AS (" \
	"SELECT k.id, 'collection:' || k.slug FROM record k WHERE k.type = 'collection' AND " \
	READABLE("k") " AND NOT EXISTS (SELECT 1 FROM relation l JOIN record p ON p.id = l.to_id " \
	"  WHERE l.from_id = k.id AND l.type = 'part_of' AND p.type = 'collection' AND " \
	READABLE("p") ") " \
	"UNION ALL SELECT k.id, cp.spec || ':' || k.slug FROM cpath cp " \
	"JOIN relation l ON l.to_id = cp.id AND l.type = 'part_of' " \
	"JOIN record k ON k.id = l.from_id AND k.type = 'collection' AND " READABLE("k") " " \
	"WHERE instr(cp.spec || ':', ':' || k.slug || ':') = 0) "

static int each_set(struct db *db, sqlite3_stmt *st, oaiq_set_fn fn, void *ctx)
{
	int rc;

	while ((rc = db_step(db, st)) == 1)
		if ((rc = fn(ctx, db_text(st, 0), db_text(st, 1), db_text_or_null(st, 2))))
			break;
	sqlite3_reset(st);
	return rc < 0 || rc > 1 ? rc : 0;
}

int oaiq_collection_sets(struct db *db, oaiq_set_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_prepare(db, PATHS
		"SELECT cp.spec, cp.id, (SELECT t.text FROM title t WHERE t.record_id = cp.id "
		"ORDER BY t.ord LIMIT 1) FROM cpath cp ORDER BY cp.spec");

	if (!st)
		return ERR_DB;
	return each_set(db, st, fn, ctx);
}

int oaiq_record_sets(struct db *db, const char *id, oaiq_set_fn fn, void *ctx)
{
	/* from each collection the record is in up to a top one, as PATHS
	 * goes down: the same paths, at the cost of their depth. The step is
	 * an IN, not a join on relation: as a join SQLite builds a Bloom
	 * filter over the whole relation table at every step, 2 ms a header
	 * with 10,000 works in a collection (0.04 ms as an IN) */
	sqlite3_stmt *st = db_prepare(db, "WITH RECURSIVE up(id, spec) AS ("
		"SELECT k.id, k.slug FROM relation m JOIN record k ON k.id = m.to_id "
		"AND k.type = 'collection' AND " READABLE("k") " WHERE m.from_id = ?1 AND m.type = 'part_of' "
		"UNION ALL SELECT p.id, p.slug || ':' || up.spec FROM up "
		"JOIN record p ON p.id IN (SELECT l.to_id FROM relation l "
		"  WHERE l.from_id = up.id AND l.type = 'part_of') "
		"AND p.type = 'collection' AND " READABLE("p") " "
		"WHERE instr(':' || up.spec || ':', ':' || p.slug || ':') = 0) "
		"SELECT DISTINCT 'collection:' || up.spec, up.id, NULL FROM up "
		"WHERE NOT EXISTS (SELECT 1 FROM relation l JOIN record p ON p.id = l.to_id "
		"  WHERE l.from_id = up.id AND l.type = 'part_of' AND p.type = 'collection' AND "
		READABLE("p") ") ORDER BY 1");
	int rc;

	if (!st)
		return ERR_DB;
	if ((rc = db_bind_text(st, 1, id)))
		return rc;
	return each_set(db, st, fn, ctx);
}

/* The SQL of each enum oaiq_field, in its order. */
static const char *const field_sql[] = {
	[OAIQ_RECORD] = "SELECT type, slug, date, date_end, source, access, embargo_until "
		"FROM record WHERE id = ?1",
	[OAIQ_TITLES] = "SELECT text, lang, kind FROM title WHERE record_id = ?1 ORDER BY ord",
	[OAIQ_DESCRIPTIONS] = "SELECT text, lang FROM description WHERE record_id = ?1 ORDER BY ord",
	[OAIQ_WORK] = "SELECT original_language, country, duration, forms FROM work WHERE id = ?1",
	[OAIQ_DOCUMENT] = "SELECT doc_type, pages FROM document WHERE id = ?1",
	[OAIQ_CREDITS] = "SELECT (SELECT t.text FROM title t WHERE t.record_id = a.id "
		"ORDER BY t.ord LIMIT 1), c.role FROM credit c JOIN record a ON a.id = c.agent_id "
		"WHERE c.record_id = ?1 AND " READABLE("a") " ORDER BY c.ord",
	[OAIQ_RELATED] = "SELECT l.type, o.type, (SELECT t.text FROM title t WHERE t.record_id = o.id "
		"ORDER BY t.ord LIMIT 1), o.slug FROM relation l JOIN record o ON o.id = l.to_id "
		"WHERE l.from_id = ?1 AND l.type <> 'part_of' AND " READABLE("o") " ORDER BY l.ord",
	[OAIQ_MANIFESTATIONS] = "SELECT id, kind, format, gauge, colour, sound, aspect, notes "
		"FROM manifestation WHERE work_id = ?1 ORDER BY ord",
	[OAIQ_FILES] = "SELECT f.id, f.manifestation_id, f.role, f.sha256, f.md5, f.size, f.mime, "
		"f.techmd, f.name FROM file f JOIN record r ON r.id = f.record_id "
		"WHERE f.record_id = ?1 AND f.deleted IS NULL AND " FILE_READABLE("f", "r") " "
		"ORDER BY f.created, f.id",
	[OAIQ_RIGHTS] = "SELECT uri, NULL, 1, -1 FROM record_rights WHERE record_id = ?1 "
		"UNION ALL SELECT text, lang, 0, ord FROM rights_statement WHERE record_id = ?1 "
		/* then each Local Contexts label on the record, in its own
		 * language and in each of its translations */
		"UNION ALL SELECT 'Local Contexts: ' || name || ': ' || text || "
		"  CASE WHEN community <> '' THEN ' (' || community || ')' ELSE '' END, lang, 0, "
		"  1000000 + ord * 1000 FROM label WHERE record_id = ?1 AND file_id IS NULL "
		"UNION ALL SELECT 'Local Contexts: ' || t.name || ': ' || t.text || "
		"  CASE WHEN l.community <> '' THEN ' (' || l.community || ')' ELSE '' END, t.lang, 0, "
		"  1000000 + l.ord * 1000 + 1 FROM label l JOIN label_translation t ON t.label_id = l.id "
		"  WHERE l.record_id = ?1 AND l.file_id IS NULL "
		"ORDER BY 4, 2",
};

int oaiq_fields(struct db *db, enum oaiq_field field, const char *id, oaiq_row_fn fn,
		void *ctx)
{
	const char *col[OAIQ_MAXCOLS];
	sqlite3_stmt *st;
	int rc, n;

	if ((unsigned)field >= sizeof field_sql / sizeof field_sql[0])
		return ERR_INVALID;
	st = db_prepare(db, field_sql[field]);
	if (!st)
		return ERR_DB;
	if ((rc = db_bind_text(st, 1, id)))
		return rc;
	n = sqlite3_column_count(st);
	if (n > OAIQ_MAXCOLS) {
		snprintf(db->err, sizeof db->err, "oaiq_fields: %d columns, more than %d", n,
			 OAIQ_MAXCOLS);
		return ERR_DB;
	}
	while ((rc = db_step(db, st)) == 1) {
		for (int i = 0; i < n; i++)
			col[i] = db_text_or_null(st, i);
		if ((rc = fn(ctx, col, n)))
			break;
	}
	sqlite3_reset(st);
	return rc < 0 || rc > 1 ? rc : 0;
}

struct head_ctx {
	struct oaiq_head *h;
	bool found;
};

static int head_row(void *ctx, const char *const *col, int n)
{
	struct head_ctx *c = ctx;
	struct oaiq_head *h = c->h;

	(void)n;
	c->found = true;
	snprintf(h->type, sizeof h->type, "%s", col[0]);
	snprintf(h->slug, sizeof h->slug, "%s", col[1]);
	if (col[2] && col[3])
		snprintf(h->date, sizeof h->date, "%s/%s", col[2], col[3]);
	else
		snprintf(h->date, sizeof h->date, "%s", col[2] ? col[2] : "");
	snprintf(h->access, sizeof h->access, "%s", col[5] ? col[5] : "");
	snprintf(h->embargo, sizeof h->embargo, "%s", col[6] ? col[6] : "");
	return 0;
}

int oaiq_head(struct db *db, const char *id, struct oaiq_head *h)
{
	struct head_ctx c = {h, false};
	int rc;

	memset(h, 0, sizeof *h);
	rc = oaiq_fields(db, OAIQ_RECORD, id, head_row, &c);
	return rc ? rc : c.found;
}
