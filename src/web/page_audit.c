/* page_audit.c: /admin/audit, who changed what and when (archivists and
 * administrators; the router checks). */
#include "db/access_q.h"
#include "db/db.h"
#include "core/str.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

#define AUDIT_PAGE 100

int page_audit(struct req *rq)
{
	const char *page_arg = req_arg(rq, "page");
	unsigned long long page = 1;
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	int rows = 0;

	if (page_arg && *page_arg && (!str_parse_u64(page_arg, 100000, &page) || page == 0))
		return req_fail(rq, 400, NULL);
	layout_begin(rq, T(rq, MSG_AUDIT_TITLE), NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n", T(rq, MSG_AUDIT_TITLE),
		    T(rq, MSG_AUDIT_INTRO));
	st = aq_audit_list(rq->db, AUDIT_PAGE, (int)(page - 1) * AUDIT_PAGE);
	while (st && db_step(rq->db, st) == 1) {
		if (rows++ == 0)
			html_printf(b, "<table class=\"audit\">\n<thead><tr><th>%s</th><th>%s</th>"
				    "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
				    T(rq, MSG_AUDIT_WHEN), T(rq, MSG_AUDIT_WHO), T(rq, MSG_AUDIT_WHAT),
				    T(rq, MSG_AUDIT_RECORD), T(rq, MSG_AUDIT_DETAIL));
		html_printf(b, "<tr><td><time datetime=\"%s\">%s</time></td><td>%s</td><td>%s</td><td>",
			    db_text(st, 0), db_text(st, 0), db_text(st, 1), db_text(st, 2));
		if (db_text_or_null(st, 3))
			layout_record_link(rq, db_text(st, 4), db_text(st, 3), db_text(st, 3));
		else
			html_text(b, db_text(st, 6));
		html_printf(b, "</td><td>%s</td></tr>\n", db_text(st, 5));
	}
	if (rows)
		html_raw(b, "</tbody>\n</table>\n");
	else
		html_printf(b, "<p>%s</p>\n", T(rq, MSG_AUDIT_EMPTY));
	if (rows == AUDIT_PAGE)
		html_printf(b, "<p><a href=\"/admin/audit?page=%lld\">%s</a></p>\n",
			    (long long)page + 1, T(rq, MSG_NEXT));
	layout_end(rq);
	return 200;
}
