/* page_search.c: /search: free text, facets, pages of results.
 *
 * Parameters: q (text), type, decade, place, agent, collection (filters),
 * page (1..SEARCH_PAGE_MAX). A malformed filter or page is a 400; any text
 * at all in q is a normal search (see search_expr). */
#include <stdbool.h>
#include <string.h>

#include "catalog/search.h"
#include "core/str.h"
#include "db/db.h"
#include "db/read_q.h"
#include "db/search_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

static const char *const facet_params[SQ_NFACETS] = {
	[SQ_FACET_TYPE] = "type", [SQ_FACET_DECADE] = "decade", [SQ_FACET_PLACE] = "place",
	[SQ_FACET_AGENT] = "agent", [SQ_FACET_COLLECTION] = "collection",
};
static const enum msg facet_titles[SQ_NFACETS] = {
	MSG_FACET_TYPE, MSG_FACET_DECADE, MSG_FACET_PLACE, MSG_FACET_AGENT, MSG_FACET_COLLECTION,
};

/* search_url writes /search?... with the current parameters, replacing
 * parameter `name` by value (NULL: dropped) and the page by page (0:
 * dropped). */
static void search_url(struct req *rq, const char *const values[SQ_NFACETS], const char *q,
		       const char *name, const char *value, int page)
{
	struct buf *b = &rq->body;
	char sep = '?';

	html_raw(b, "/search");
	if (q && *q) {
		html_printf(b, "?q=%u", q);
		sep = '&';
	}
	for (int f = 0; f < SQ_NFACETS; f++) {
		const char *v = strcmp(facet_params[f], name ? name : "") == 0 ? value : values[f];
		if (v && *v) {
			/* %s would escape the separator a second time */
			html_printf(b, "%s%u=%u", sep == '?' ? "?" : "&", facet_params[f], v);
			sep = '&';
		}
	}
	if (page > 1)
		html_printf(b, "%spage=%d", sep == '?' ? "?" : "&", page);
}

static bool filter_valid(int f, const char *v)
{
	static const char *const types[] = {"work", "document", "agent", "place", "event",
					    "collection", "subject"};
	if (!v || !*v)
		return true;
	if (f == SQ_FACET_TYPE) {
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(v, types[i]) == 0)
				return true;
		return false;
	}
	if (f == SQ_FACET_DECADE)
		return strlen(v) == 4 && str_date_valid(v) && v[3] == '0';
	return str_slug_valid(v);
}

static void facets(struct req *rq, const char *const values[SQ_NFACETS], const char *q,
		   bool capped)
{
	struct buf *b = &rq->body;

	html_printf(b, "<aside class=\"facets\" aria-label=\"%s\">\n", T(rq, MSG_FILTERS));
	if (capped)
		html_printf(b, "<p class=\"meta\">%s</p>\n", T(rq, MSG_FACETS_SAMPLE));
	for (int f = 0; f < SQ_NFACETS; f++) {
		sqlite3_stmt *st = sq_facet(rq->db, (enum sq_facet)f, rq->lang);
		bool open = false;

		while (st && db_step(rq->db, st) == 1) {
			const char *value = db_text(st, 0), *label = db_text(st, 1);
			bool active = values[f] && strcmp(values[f], value) == 0;
			if (!open) {
				html_printf(b, "<h2>%s</h2>\n<ul class=\"plain\">\n", T(rq, facet_titles[f]));
				open = true;
			}
			html_raw(b, "<li><a href=\"");
			search_url(rq, values, q, facet_params[f], active ? NULL : value, 0);
			html_raw(b, "\"");
			if (active)
				html_raw(b, " aria-current=\"true\"");
			html_raw(b, ">");
			if (f == SQ_FACET_TYPE) {
				html_text(b, i18n_plural(rq, label));
			} else if (f == SQ_FACET_DECADE) {
				html_printf(b, "%s%s", label, T(rq, MSG_DECADE_SUFFIX));
			} else {
				html_text(b, label);
			}
			{
				char num[40];
				i18n_number(rq, (unsigned long long)sqlite3_column_int64(st, 2), num, sizeof num);
				html_printf(b, "</a> <span class=\"count\">%s</span>%s</li>\n", num,
					    active ? " ✓" : "");
			}
		}
		if (open)
			html_raw(b, "</ul>\n");
	}
	html_raw(b, "</aside>\n");
}

/* cue_hits lists the lines said in a found film that match, each linking
 * into its player at that second: “…the line…” at 03:12. */
static void cue_hits(struct req *rq, const char *expr, sqlite3_stmt *hit)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	bool open = false;

	if (!*expr)
		return;
	st = sq_cues(rq->db, expr, db_text(hit, QR_ID), rq->lang, SEARCH_CUES_PER_HIT);
	while (st && db_step(rq->db, st) == 1) {
		long long ms = sqlite3_column_int64(st, 0);
		char at[16];

		if (!open) {
			html_printf(b, "<ul class=\"cue-hits plain\" aria-label=\"%s\">\n",
				    T(rq, MSG_SAID_IN_FILM));
			open = true;
		}
		str_clock(ms, at);
		html_printf(b, "<li><q lang=\"%s\">", db_text(st, 1));
		html_snippet(b, db_text(st, 2));
		html_printf(b, "</q> <a href=\"/%p/%p?t=%lld", db_text(hit, QR_TYPE),
			    db_text(hit, QR_SLUG), ms / 1000);
		/* the transcript beside the film in the language of the line */
		if (strcmp(db_text(st, 1), rq->lang) != 0)
			html_printf(b, "%stranscript=%u", "&", db_text(st, 1));	/* %s: &amp; */
		html_printf(b, "#player\">%s <time datetime=\"PT%lldS\">%s</time></a></li>\n",
			    T(rq, MSG_AT_MOMENT), ms / 1000, at);
	}
	if (open)
		html_raw(b, "</ul>\n");
}

/* memory_hits lists the community's published notes on a found record
 * that match: a time-coded one links into the player at its second, like
 * a line said; the others to the note on the record's page. */
static void memory_hits(struct req *rq, const char *expr, sqlite3_stmt *hit)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	bool open = false;

	if (!*expr)
		return;
	st = sq_contribs(rq->db, expr, db_text(hit, QR_ID), SEARCH_CUES_PER_HIT);
	while (st && db_step(rq->db, st) == 1) {
		if (!open) {
			html_printf(b, "<ul class=\"cue-hits memory-hits plain\" aria-label=\"%s\">\n",
				    T(rq, MSG_CONTRIB_TITLE));
			open = true;
		}
		html_printf(b, "<li>%s: <q lang=\"%s\">", T(rq, MSG_CONTRIB_TITLE), db_text(st, 3));
		html_snippet(b, db_text(st, 4));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			long long ms = sqlite3_column_int64(st, 2);
			char at[16];
			str_clock(ms, at);
			html_printf(b, "</q> <a href=\"/%p/%p?t=%lld#player\">%s <time datetime=\"PT%lldS\">"
				    "%s</time></a></li>\n", db_text(hit, QR_TYPE), db_text(hit, QR_SLUG),
				    ms / 1000, T(rq, MSG_AT_MOMENT), ms / 1000, at);
		} else {
			html_printf(b, "</q> <a href=\"/%p/%p#memory-%s\">%s</a></li>\n",
				    db_text(hit, QR_TYPE), db_text(hit, QR_SLUG), db_text(st, 0),
				    i18n_term(rq, db_text(st, 1)));
		}
	}
	if (st)
		sqlite3_reset(st);
	if (open)
		html_raw(b, "</ul>\n");
}

int page_search(struct req *rq)
{
	struct search_query sq = {.page = 1};
	const char *values[SQ_NFACETS];
	const char *q = req_arg(rq, "q"), *page = req_arg(rq, "page");
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	int total, pages;
	bool any_filter = false;

	for (int f = 0; f < SQ_NFACETS; f++) {
		values[f] = req_arg(rq, facet_params[f]);
		if (!filter_valid(f, values[f]))
			return req_fail(rq, 400, NULL);
		if (values[f] && *values[f])
			any_filter = true;
	}
	if (page && *page) {
		unsigned long long p;
		if (!str_parse_u64(page, SEARCH_PAGE_MAX, &p) || p == 0)
			return req_fail(rq, 400, NULL);
		sq.page = (int)p;
	}
	sq.text = q;
	sq.type = values[SQ_FACET_TYPE];
	sq.decade = values[SQ_FACET_DECADE];
	sq.place = values[SQ_FACET_PLACE];
	sq.agent = values[SQ_FACET_AGENT];
	sq.collection = values[SQ_FACET_COLLECTION];
	sq.lang = rq->lang;
	total = search_run(rq->db, &sq);
	if (total < 0)
		return req_fail(rq, 500, NULL);
	pages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;

	/* what was searched is shown as far as it was searched, no further */
	char shown[SEARCH_TEXT_MAX + 1] = "";
	if (q) {
		size_t n = str_utf8_prefix(q, SEARCH_TEXT_MAX);
		memcpy(shown, q, n);
		shown[n] = '\0';
	}
	layout_begin(rq, *shown ? shown : T(rq, MSG_SEARCH_TITLE), shown);
	if (*shown)
		html_printf(b, "<h1>%s: “%s”</h1>\n", T(rq, MSG_RESULTS_FOR), shown);
	else
		html_printf(b, "<h1>%s</h1>\n", T(rq, any_filter ? MSG_SEARCH_TITLE : MSG_ALL_RECORDS));
	html_raw(b, "<p class=\"meta\">");
	if (sq.estimated)
		layout_count(rq, MSG_ABOUT_RECORDS_FOUND, (unsigned long)str_round2(total));
	else
		layout_count(rq, MSG_RECORDS_FOUND, total < 0 ? 0 : (unsigned long)total);
	html_raw(b, "</p>\n<div class=\"search-layout\">\n");
	html_raw(b, "<div class=\"hits\">\n");
	if (total == 0)
		html_printf(b, "<p>%s</p>\n", T(rq, MSG_NO_RESULTS));
	st = sq_page(rq->db, rq->lang, SEARCH_PER_PAGE, (sq.page - 1) * SEARCH_PER_PAGE);
	html_raw(b, "<ol class=\"results\">\n");
	while (st && db_step(rq->db, st) == 1) {
		html_raw(b, "<li>");
		layout_record_item(rq, st, " ");
		if (db_text_or_null(st, SQ_SNIPPET)) {
			html_raw(b, "<p class=\"snippet\">");
			html_snippet(b, db_text(st, SQ_SNIPPET));
			html_raw(b, "</p>");
		}
		cue_hits(rq, sq.expr, st);
		memory_hits(rq, sq.expr, st);
		html_raw(b, "</li>\n");
	}
	html_raw(b, "</ol>\n");
	if (pages > 1) {
		html_printf(b, "<nav class=\"pages\" aria-label=\"%s\">", T(rq, MSG_PAGE));
		if (sq.page > 1) {
			html_raw(b, "<a rel=\"prev\" href=\"");
			search_url(rq, values, shown, NULL, NULL, sq.page - 1);
			html_printf(b, "\">%s</a>", T(rq, MSG_PREV));
		}
		{
			static const char *const names[] = {"n", "total"};
			char n1[40], n2[40];
			const char *nums[] = {n1, n2};

			i18n_number(rq, (unsigned long long)sq.page, n1, sizeof n1);
			i18n_number(rq, (unsigned long long)pages, n2, sizeof n2);
			html_raw(b, "<span>");
			layout_template(rq, T(rq, MSG_PAGE_N_OF_TOTAL), names, nums, 2);
			html_raw(b, "</span>");
		}
		if (sq.page < pages) {
			html_raw(b, "<a rel=\"next\" href=\"");
			search_url(rq, values, shown, NULL, NULL, sq.page + 1);
			html_printf(b, "\">%s</a>", T(rq, MSG_NEXT));
		}
		html_raw(b, "</nav>\n");
	}
	html_raw(b, "</div>\n");
	facets(rq, values, shown, sq.capped);
	html_raw(b, "</div>\n");
	layout_end(rq);
	return 200;
}
