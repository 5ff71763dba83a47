/* search_q.h: the SQL of search. sq_fill puts the matching records in the
 * connection's temporary table `hits`; sq_page and sq_facet read it. */
#ifndef CINEMATECA_SEARCH_Q_H
#define CINEMATECA_SEARCH_Q_H

#include <sqlite3.h>

struct db;

/* sq_fill replaces the hits with the records matching the FTS5 expression
 * (NULL: every record; "": none) and the filters (NULL: none). Returns the number of
 * hits or a negative ERR_*. An expression FTS5 still rejects counts as no
 * hit, never as an error. */
int sq_fill(struct db *db, const char *expr, const char *type, const char *decade,
	    const char *place, const char *agent, const char *collection);

/* sq_page returns one page of hits, best first (by rank, else by label),
 * ties broken by record number so pages are stable. Columns are the
 * QR_* of read_q.h (QR_LABEL_LANG the last), then a snippet of the matching text
 * with \x01 and \x02 around the matched words (NULL when browsing). */
#define SQ_SNIPPET 12
sqlite3_stmt *sq_page(struct db *db, const char *lang, int limit, int offset);

/* sq_cues: the subtitle and transcript lines of one record matching the
 * FTS5 expression that db->principal may read: one per moment (in lang
 * when that language's line matched), the best limit moments, in the
 * order they are said: 0 start_ms, 1 lang, 2 the line with \x01 and \x02
 * around the matched words. A record found only by its lines is among
 * sq_fill's hits with a NULL snippet. */
sqlite3_stmt *sq_cues(struct db *db, const char *expr, const char *record_id, const char *lang,
		      int limit);

/* sq_contribs: the published contributions on one record matching the
 * FTS5 expression that db->principal may read (policy_can_read_contrib),
 * best first, at most limit: 0 id, 1 kind, 2 start_ms (NULL unless a
 * time-coded note), 3 lang, 4 the text with \x01 and \x02 around the
 * matched words. A record found only by them is among sq_fill's hits. */
sqlite3_stmt *sq_contribs(struct db *db, const char *expr, const char *record_id, int limit);

/* Facets: 0 value (type, decade, or slug), 1 label, 2 count. */
enum sq_facet { SQ_FACET_TYPE, SQ_FACET_DECADE, SQ_FACET_PLACE, SQ_FACET_AGENT,
		SQ_FACET_COLLECTION, SQ_NFACETS };
sqlite3_stmt *sq_facet(struct db *db, enum sq_facet which, const char *lang);

#endif
