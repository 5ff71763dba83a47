/* read_q.c: catalogue reads (see read_q.h). */
#include "read_q.h"

#include "db.h"
#include "readable.h"

/* The label of record r in ?9 (the reader's language), else its main title. */
#define LABEL(r) "(SELECT text FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"
/* the language of that label ("" when its title has none) */
#define LABEL_LANG(r) "(SELECT lang FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"
#define RECORD_COLS "r.id, r.type, r.slug, r.date, r.date_end, r.source, " \
	LABEL("r.id") ", r.created, r.updated, r.access, r.embargo_until, " LABEL_LANG("r.id") \
	", r.ties"

static sqlite3_stmt *with_lang(struct db *db, const char *sql, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (st)
		db_bind_text(st, 9, lang);
	return st;
}

static sqlite3_stmt *by_id(struct db *db, const char *sql, const char *id)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (st)
		db_bind_text(st, 1, id);
	return st;
}

sqlite3_stmt *q_all_records(struct db *db, const char *lang)
{
	return with_lang(db, "SELECT " RECORD_COLS " FROM record r WHERE " READABLE("r")
			 " ORDER BY r.n", lang);
}

sqlite3_stmt *q_record(struct db *db, const char *type, const char *slug, const char *lang)
{
	sqlite3_stmt *st = with_lang(db, "SELECT " RECORD_COLS " FROM record r "
				     "WHERE r.slug = ?1 AND (?2 IS NULL OR r.type = ?2) AND "
				     READABLE("r"), lang);
	if (st) {
		db_bind_text(st, 1, slug);
		db_bind_text(st, 2, type);
	}
	return st;
}

sqlite3_stmt *q_recent(struct db *db, const char *type, int limit, const char *lang)
{
	/* of one type: a walk of record_type_created (010_browse) backwards */
	sqlite3_stmt *st = type ? with_lang(db, "SELECT " RECORD_COLS " FROM record r "
					    "WHERE r.type = ?1 AND " READABLE("r")
					    " ORDER BY r.created DESC, r.n DESC LIMIT ?2", lang)
				: with_lang(db, "SELECT " RECORD_COLS " FROM record r "
					    "WHERE ?1 IS NULL AND " READABLE("r")
					    " ORDER BY r.created DESC, r.n DESC LIMIT ?2", lang);
	if (st) {
		db_bind_text(st, 1, type);
		db_bind_int(st, 2, limit);
	}
	return st;
}

sqlite3_stmt *q_top_collections(struct db *db, const char *lang, int limit)
{
	/* a walk of the record_label index (010_browse) until limit are found */
	sqlite3_stmt *st = with_lang(db, "SELECT " RECORD_COLS " FROM record r INDEXED BY record_label "
				     "WHERE r.type = 'collection' AND " READABLE("r") " AND NOT EXISTS ("
				     "  SELECT 1 FROM relation l JOIN record c ON c.id = l.to_id "
				     "  WHERE l.from_id = r.id AND l.type = 'part_of' AND c.type = 'collection') "
				     "ORDER BY r.label COLLATE NOCASE, r.n LIMIT ?1", lang);
	if (st)
		db_bind_int(st, 1, limit);
	return st;
}

sqlite3_stmt *q_timeline(struct db *db, const char *lang)
{
	return with_lang(db, "SELECT " RECORD_COLS " FROM record r "
			 "WHERE r.type = 'event' AND r.date IS NOT NULL AND " READABLE("r")
			 "ORDER BY r.date, r.date_end, 7 COLLATE NOCASE", lang);
}

sqlite3_stmt *q_type_counts(struct db *db)
{
	return db_prepare(db, "SELECT type, count(*) FROM record r WHERE " READABLE("r")
			  " GROUP BY type ORDER BY "
			  "CASE type WHEN 'work' THEN 0 WHEN 'document' THEN 1 WHEN 'collection' THEN 2 "
			  "WHEN 'event' THEN 3 WHEN 'agent' THEN 4 WHEN 'place' THEN 5 ELSE 6 END");
}

sqlite3_stmt *q_titles(struct db *db, const char *id)
{
	return by_id(db, "SELECT text, lang, kind FROM title WHERE record_id = ?1 ORDER BY ord", id);
}

sqlite3_stmt *q_descriptions(struct db *db, const char *id, const char *lang)
{
	sqlite3_stmt *st = with_lang(db, "SELECT text, lang FROM description WHERE record_id = ?1 "
				     "ORDER BY (?9 IS NOT NULL AND lang IS ?9) DESC, ord", lang);
	if (st)
		db_bind_text(st, 1, id);
	return st;
}

sqlite3_stmt *q_original_lang(struct db *db, const char *id)
{
	return by_id(db, "SELECT COALESCE("
		     "(SELECT NULLIF(original_language, '') FROM work WHERE id = ?1), "
		     "(SELECT lang FROM title WHERE record_id = ?1 AND kind = 'original' AND lang <> '' "
		     "ORDER BY ord LIMIT 1), "
		     "(SELECT lang FROM title WHERE record_id = ?1 AND kind IS NOT 'translated' AND lang <> '' "
		     "ORDER BY ord LIMIT 1), '')", id);
}

sqlite3_stmt *q_rights(struct db *db, const char *id)
{
	return by_id(db, "SELECT uri FROM record_rights WHERE record_id = ?1", id);
}

sqlite3_stmt *q_rights_statements(struct db *db, const char *id, const char *lang)
{
	sqlite3_stmt *st = with_lang(db, "SELECT text, lang FROM rights_statement WHERE record_id = ?1 "
				     "ORDER BY (?9 IS NOT NULL AND lang IS ?9) DESC, ord", lang);
	if (st)
		db_bind_text(st, 1, id);
	return st;
}

sqlite3_stmt *q_work(struct db *db, const char *id)
{
	return by_id(db, "SELECT original_language, country, duration, forms FROM work "
		     "WHERE id = ?1", id);
}

sqlite3_stmt *q_manifestations(struct db *db, const char *id)
{
	return by_id(db, "SELECT id, kind, format, gauge, colour, sound, aspect, notes "
		     "FROM manifestation WHERE work_id = ?1 ORDER BY ord", id);
}

sqlite3_stmt *q_document(struct db *db, const char *id)
{
	return by_id(db, "SELECT doc_type, pages, text FROM document WHERE id = ?1", id);
}

sqlite3_stmt *q_agent(struct db *db, const char *id)
{
	return by_id(db, "SELECT kind FROM agent WHERE id = ?1", id);
}

sqlite3_stmt *q_place(struct db *db, const char *id)
{
	return by_id(db, "SELECT lat, lon, country FROM place WHERE id = ?1", id);
}

sqlite3_stmt *q_links_out(struct db *db, const char *id, const char *lang)
{
	sqlite3_stmt *st = with_lang(db,
		"SELECT c.role, a.slug, a.type, " LABEL("a.id") ", a.date, 1, c.ord "
		"FROM credit c JOIN record a ON a.id = c.agent_id WHERE c.record_id = ?1 "
		"AND " READABLE("a") " "
		"UNION ALL "
		"SELECT l.type, t.slug, t.type, " LABEL("t.id") ", t.date, 0, l.ord "
		"FROM relation l JOIN record t ON t.id = l.to_id WHERE l.from_id = ?1 "
		"AND " READABLE("t") " "
		"ORDER BY 6 DESC, 7", lang);
	if (st)
		db_bind_text(st, 1, id);
	return st;
}

sqlite3_stmt *q_links_in(struct db *db, const char *id, const char *lang)
{
	sqlite3_stmt *st = with_lang(db,
		"SELECT c.role, r.slug, r.type, " LABEL("r.id") ", r.date, 1 "
		"FROM credit c JOIN record r ON r.id = c.record_id WHERE c.agent_id = ?1 "
		"AND " READABLE("r") " "
		"UNION ALL "
		"SELECT l.type, r.slug, r.type, " LABEL("r.id") ", r.date, 0 "
		"FROM relation l JOIN record r ON r.id = l.from_id WHERE l.to_id = ?1 "
		"AND " READABLE("r") " "
		"ORDER BY 3, 5, 4 COLLATE NOCASE", lang);
	if (st)
		db_bind_text(st, 1, id);
	return st;
}
