/* layout.h: the frame every page shares (head, header with search and
 * language choice, footer), the error page, and small pieces used by
 * several pages. All write into rq->body; failures are the buffer's
 * sticky error, which the router turns into a 500. */
#ifndef CINEMATECA_LAYOUT_H
#define CINEMATECA_LAYOUT_H

#include <stdbool.h>

#include "i18n.h"

struct req;
struct sqlite3_stmt;

/* layout_begin opens a page titled title (plain text; the site's name is
 * added) and its <main>. q is the search box's current text or NULL. */
void layout_begin(struct req *rq, const char *title, const char *q);

/* layout_end closes <main> and the page. */
void layout_end(struct req *rq);

/* layout_error_page renders the page for rq->status (400, 404, 405, 500,
 * or any other 4xx/5xx) with rq->error_detail when set. */
void layout_error_page(struct req *rq);

/* layout_record_link writes <a href="/TYPE/SLUG">LABEL</a>. */
void layout_record_link(struct req *rq, const char *type, const char *slug, const char *label);

/* layout_record_item writes a record as it stands in a list: its link,
 * then its type and date in a muted line (sep: the markup between them, a
 * literal). */
#define layout_record_item(rq, st, sep) layout_record_item_((rq), (st), "" sep "")
void layout_record_item_(struct req *rq, struct sqlite3_stmt *st, const char *sep);

/* layout_count writes a plural message for n (TN), its "{n}" the number
 * as the language writes it ("1.234 registros", "1,234 records"). */
void layout_count(struct req *rq, enum msg m, unsigned long n);

/* layout_template writes an interface string with {NAME} placeholders,
 * each replaced by the value of the same index in names/values (all text
 * escaped); an unknown {NAME} is written as it stands. */
void layout_template(struct req *rq, const char *tmpl, const char *const *names,
		     const char *const *values, int n);

/* layout_lang_mark writes the visible mark of a record's text in another
 * language than the page's, or of the original: " (English · original)"
 * in a span in the page's language. Writes nothing when lang is the
 * page's and the text is no original shown beside a translation. */
void layout_lang_mark(struct req *rq, const char *lang, bool original);

/* layout_date writes an ISO date (YYYY, YYYY-MM, YYYY-MM-DD) as a <time>
 * element, and an optional end as a range. */
void layout_date(struct req *rq, const char *date, const char *date_end);

#endif
