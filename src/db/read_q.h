/* read_q.h: SQL that reads catalogue records, for pages and exports.
 *
 * Each q_* function binds its arguments and returns a prepared statement
 * from the connection's cache for the caller to step (db_step) and read by
 * the column numbers listed with it; NULL on error (db->err set). The
 * statement is reset by the next call of the same function, so finish
 * stepping one before asking for it again. `lang` picks which title stands
 * for a record: one in that language when there is one, else the main one. */
#ifndef CINEMATECA_READ_Q_H
#define CINEMATECA_READ_Q_H

#include <sqlite3.h>

struct db;

/* Columns of every record listing (q_all_records, q_record, q_recent, ...) */
enum {
	QR_ID, QR_TYPE, QR_SLUG, QR_DATE, QR_DATE_END, QR_SOURCE, QR_LABEL,
	QR_CREATED, QR_UPDATED, QR_ACCESS, QR_EMBARGO,
	QR_LABEL_LANG,		/* the label's language, for its lang attribute */
	QR_TIES,	/* record.ties: the rules its labels are tied to, or NULL */
};

/* Every query here shows only what db->principal may read (may_read()). */

/* every record in insertion order */
sqlite3_stmt *q_all_records(struct db *db, const char *lang);
/* one record by slug, and optionally type (NULL: any) */
sqlite3_stmt *q_record(struct db *db, const char *type, const char *slug, const char *lang);
/* the most recently added records of a type (NULL: any) */
sqlite3_stmt *q_recent(struct db *db, const char *type, int limit, const char *lang);
/* the first limit top-level collections (not part of another
 * collection), by main title */
sqlite3_stmt *q_top_collections(struct db *db, const char *lang, int limit);
/* events in date order, then every other dated record type if with_works */
sqlite3_stmt *q_timeline(struct db *db, const char *lang);
/* counts: 0 type, 1 count (see also sq_type_counts, which keeps them) */
sqlite3_stmt *q_type_counts(struct db *db);

/* 0 text, 1 lang, 2 kind */
sqlite3_stmt *q_titles(struct db *db, const char *id);
/* 0 text, 1 lang; in lang first, then the others */
sqlite3_stmt *q_descriptions(struct db *db, const char *id, const char *lang);
/* 0 the language the record was made in (its texts' original): a work's
 * original_language, else its title of kind "original", else its first
 * title that is not a translation; "" when none says */
sqlite3_stmt *q_original_lang(struct db *db, const char *id);
/* q_rights: the record's rights URI (0 uri), one row or none;
 * q_rights_statements: its rights statement, 0 text, 1 lang, the
 * reader's language first. */
sqlite3_stmt *q_rights(struct db *db, const char *id);
sqlite3_stmt *q_rights_statements(struct db *db, const char *id, const char *lang);
/* 0 original_language, 1 country, 2 duration (NULL when unknown), 3 forms JSON */
sqlite3_stmt *q_work(struct db *db, const char *id);
/* 0 id, 1 kind, 2 format, 3 gauge, 4 colour, 5 sound, 6 aspect, 7 notes */
sqlite3_stmt *q_manifestations(struct db *db, const char *id);
/* 0 doc_type, 1 pages, 2 text */
sqlite3_stmt *q_document(struct db *db, const char *id);
/* 0 kind */
sqlite3_stmt *q_agent(struct db *db, const char *id);
/* 0 lat, 1 lon, 2 country */
sqlite3_stmt *q_place(struct db *db, const char *id);

/* Links out of and into a record: 0 link kind (credit role or relation
 * type), 1 other record's slug, 2 its type, 3 its label, 4 its date,
 * 5 1 for a credit, 0 for a relation. */
enum { QL_KIND, QL_SLUG, QL_TYPE, QL_LABEL, QL_DATE, QL_IS_CREDIT };
sqlite3_stmt *q_links_out(struct db *db, const char *id, const char *lang);
sqlite3_stmt *q_links_in(struct db *db, const char *id, const char *lang);

#endif
