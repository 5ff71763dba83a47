/* search.c: query parsing and the faceted search (see search.h). */
#include "search.h"

#include <string.h>

#include "db/search_q.h"

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

int search_expr(const char *text, char *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strnlen(text, SEARCH_TEXT_MAX + 1), n = 0;
	int terms = 0;

	if (len > SEARCH_TEXT_MAX) {
		/* cut on a character boundary, never inside a UTF-8 sequence */
		len = SEARCH_TEXT_MAX;
		while (len > 0 && (p[len] & 0xc0) == 0x80)
			len--;
	}
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

int search_run(struct db *db, const struct search_query *q)
{
	char expr[SEARCH_EXPR_MAX];
	int terms = search_expr(q->text ? q->text : "", expr);

	return sq_fill(db, terms ? expr : NULL, opt(q->type), opt(q->decade), opt(q->place),
		       opt(q->agent), opt(q->collection));
}
