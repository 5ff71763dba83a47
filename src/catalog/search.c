/* search.c: query parsing and the faceted search (see search.h). */
#include "search.h"

#include <string.h>

#include "core/str.h"
#include "db/search_q.h"

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

int search_expr(const char *text, char *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = str_utf8_prefix(text, SEARCH_TEXT_MAX), n = 0;
	int terms = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len && terms < SEARCH_TERMS_MAX;) {
		size_t start;

		if (!word_byte(p[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && word_byte(p[i]))
			i++;
		if (terms)
			out[n++] = ' ';
		out[n++] = '"';
		memcpy(out + n, p + start, i - start);
		n += i - start;
		out[n++] = '"';
		out[n++] = '*';
		terms++;
	}
	out[n] = '\0';
	return terms;
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

int search_run(struct db *db, struct search_query *q)
{
	char *expr = q->expr;
	const char *text = q->text ? q->text : "";
	int terms = search_expr(text, expr), rc;
	struct sq_args a = {.type = opt(q->type), .decade = opt(q->decade), .place = opt(q->place),
			    .agent = opt(q->agent), .collection = opt(q->collection),
			    .lang = q->lang, .page = q->page > 0 ? q->page : 1,
			    .per_page = SEARCH_PER_PAGE};
	struct sq_result r;

	/* text with no word in it (only punctuation) finds nothing; no text
	 * at all browses everything */
	a.expr = terms ? expr : text[strspn(text, " \t")] ? "" : NULL;
	rc = sq_fill(db, &a, &r);
	q->estimated = r.estimated;
	q->capped = r.capped;
	return rc;
}
