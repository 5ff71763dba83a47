/* search_q.h: the SQL of search. sq_fill finds the matching records (in
 * the connection's temporary table `hits`, its facets in `facets`, or
 * from the cache shared by principals who read the same records);
 * sq_page and sq_facet read them. */
#ifndef CINEMATECA_SEARCH_Q_H
#define CINEMATECA_SEARCH_Q_H

#include <sqlite3.h>

struct db;

/* Candidates ranked at most: every page a visitor may ask for
 * (SEARCH_PAGE_MAX pages of SEARCH_PER_PAGE, search.h). */
#define SQ_HITS_MAX 10000
/* Subtitle lines looked at for the records found by them only. */
#define SQ_CUES_MAX 20000

/* What to find: an FTS5 expression (NULL: every record; "": none) and
 * filters (NULL: none). */
struct sq_args {
	const char *expr;
	const char *type, *decade, *place, *agent, *collection;
	const char *lang;	/* the reader's language, for facet labels (NULL: none) */
	int page, per_page;	/* the page that will be read (1-based), for the cache */
};

/* What was found. */
struct sq_result {
	int total;		/* records found, or the estimate of them */
	int estimated;		/* total is an estimate (more than SQ_HITS_MAX) */
	int capped;		/* the hits and facets are the best SQ_HITS_MAX
				 * candidates', not every match's */
};

/* sq_fill finds the records matching a and fills *out. Returns the total
 * or a negative ERR_*. An expression FTS5 still rejects counts as no hit,
 * never as an error. The expression and filters must stay valid until
 * sq_page has been read. */
int sq_fill(struct db *db, const struct sq_args *a, struct sq_result *out);

/* sq_page returns one page of hits, best first (by rank, else by main
 * title), ties broken by record number so pages are stable. Columns are
 * the QR_* of read_q.h (QR_LABEL_LANG the last), then a snippet of the
 * matching text with \x01 and \x02 around the matched words (NULL when
 * browsing or found by its lines only). */
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

/* Facets: 0 value (type, decade, or slug), 1 label, 2 count, as sq_fill
 * counted them. */
enum sq_facet { SQ_FACET_TYPE, SQ_FACET_DECADE, SQ_FACET_PLACE, SQ_FACET_AGENT,
		SQ_FACET_COLLECTION, SQ_NFACETS };
sqlite3_stmt *sq_facet(struct db *db, enum sq_facet which, const char *lang);

/* sq_type_counts: how many records of each type db->principal may read:
 * 0 type, 1 count, works first, as q_type_counts; kept in the shared
 * cache (see sq_fill) for the principals it may serve. */
sqlite3_stmt *sq_type_counts(struct db *db);

#endif
