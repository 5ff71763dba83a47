/* page_timeline.c: the archive's events in date order, grouped by decade. */
#include <string.h>

#include "db/db.h"
#include "db/read_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

int page_timeline(struct req *rq)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	char decade[4] = "";

	layout_begin(rq, T(rq, MSG_NAV_TIMELINE), NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n", T(rq, MSG_NAV_TIMELINE),
		    T(rq, MSG_TIMELINE_INTRO));
	st = q_timeline(rq->db, rq->lang);
	while (st && db_step(rq->db, st) == 1) {
		const char *date = db_text(st, QR_DATE);
		if (strncmp(date, decade, 3) != 0) {
			if (decade[0])
				html_raw(b, "</ol>\n</section>\n");
			memcpy(decade, date, 3);
			decade[3] = '\0';
			html_printf(b, "<section>\n<h2 id=\"d%s0\">%s0%s</h2>\n<ol class=\"timeline\">\n",
				    decade, decade, T(rq, MSG_DECADE_SUFFIX));
		}
		html_raw(b, "<li><span class=\"when\">");
		layout_date(rq, date, db_text(st, QR_DATE_END));
		html_raw(b, "</span>");
		layout_record_link(rq, "event", db_text(st, QR_SLUG), db_text(st, QR_LABEL));
		html_raw(b, "</li>\n");
	}
	if (decade[0])
		html_raw(b, "</ol>\n</section>\n");
	layout_end(rq);
	return 200;
}
