/* search.h: turning what a visitor types into a safe FTS5 query, and
 * running a faceted search over the catalogue. */
#ifndef CINEMATECA_SEARCH_H
#define CINEMATECA_SEARCH_H

#include <stddef.h>

struct db;

#define SEARCH_TEXT_MAX 1024	/* bytes of the query looked at; the rest is ignored */
#define SEARCH_TERMS_MAX 16	/* words looked at */
#define SEARCH_EXPR_MAX (SEARCH_TEXT_MAX * 2 + SEARCH_TERMS_MAX * 8)
#define SEARCH_PER_PAGE 20
#define SEARCH_PAGE_MAX 500
#define SEARCH_CUES_PER_HIT 3	/* lines said in a film shown under its hit */

/* search_expr turns free text into an FTS5 expression in which every word
 * is a quoted prefix term ("dona"* "helena"*), so no input can be read as
 * FTS5 syntax: quotes, AND/OR/NOT/NEAR, *, ^, parentheses and column
 * filters are all plain text. Words are runs of letters and digits (any
 * byte >= 0x80 counts as a letter; the tokenizer folds them). Looks at the
 * first SEARCH_TEXT_MAX bytes and SEARCH_TERMS_MAX words. out must hold
 * SEARCH_EXPR_MAX bytes. Returns the number of words (0: nothing to
 * search for; out is ""). */
int search_expr(const char *text, char *out);

/* One search: free text plus facet filters (NULL or "" for none). */
struct search_query {
	const char *text;	/* what the visitor typed */
	const char *type;	/* record type */
	const char *decade;	/* "1980" */
	const char *place;	/* place slug */
	const char *agent;	/* agent slug */
	const char *collection;	/* collection slug */
	const char *lang;	/* the reader's language (facet labels), or NULL */
	int page;		/* 1-based */
	char expr[SEARCH_EXPR_MAX];	/* set by search_run: the FTS5 expression
					 * it searched ("" when browsing), for sq_cues */
	int estimated;		/* set by search_run: the total is an estimate */
	int capped;		/* set by search_run: the facets are counted over
				 * the best SQ_HITS_MAX candidates only */
};

/* search_run finds the matching records, by their own text or by the
 * lines said in them (read with sq_page and sq_facet; the lines with
 * sq_cues and q->expr) and returns how many there are (an estimate when
 * q->estimated says so), or a negative ERR_*. q must outlive the reading
 * of its page. */
int search_run(struct db *db, struct search_query *q);

#endif
