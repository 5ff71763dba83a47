/* api_q.h: the SQL the JSON API reads that no page reads (records by id
 * or slug, keyset lists, the change log, an object's fixity). Every query
 * shows only what db->principal may read (READABLE), as the pages do.
 * Columns of record rows are the QR_* of read_q.h. Statements come from
 * the connection's cache: reset by the next call of the same function. */
#ifndef CINEMATECA_API_Q_H
#define CINEMATECA_API_Q_H

#include <sqlite3.h>

struct db;

/* one record by id or by slug */
sqlite3_stmt *apq_record(struct db *db, const char *id_or_slug, const char *lang);

/* records of a type (NULL: any) after row number after, in row order, at
 * most limit: the QR_* columns, then APQ_N, the row number (the keyset) */
#define APQ_N (QR_EMBARGO + 1)
sqlite3_stmt *apq_records(struct db *db, const char *type, long long after, int limit,
			  const char *lang);

/* change-log entries after seq since, at most limit, oldest first: 0 seq,
 * 1 record id, 2 type, 3 op, 4 at, 5 slug. An entry of a record that
 * still exists is listed when the principal may read it; of a deleted
 * record only when with_deleted (the record's level went with it, so
 * only those who may read everything are told of it). */
sqlite3_stmt *apq_changes(struct db *db, long long since, int limit, int with_deleted);

/* an object's fixity: 0 last_fixity (NULL: never checked), 1 fixity_ok */
sqlite3_stmt *apq_fixity(struct db *db, const char *sha256);

/* The sitemap: records db->principal may read (the sitemap asks as an
 * anonymous visitor), in row order: apq_sitemap_count counts them (or a
 * negative ERR_*), apq_sitemap lists limit of them from offset: 0 type,
 * 1 slug, 2 lastmod (the record's last change-log entry, else updated). */
long long apq_sitemap_count(struct db *db);
sqlite3_stmt *apq_sitemap(struct db *db, long long limit, long long offset);

/* a record's credits whose agent db->principal may read, in their order:
 * 0 role, 1 agent slug, 2 agent label in lang, 3 agent kind (person,
 * organisation) */
sqlite3_stmt *apq_credits(struct db *db, const char *record_id, const char *lang);

#endif
