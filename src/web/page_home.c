/* page_home.c: the home page: what the archive holds, its collections and
 * the records added most recently. */
#include <string.h>

#include "catalog/archive.h"
#include "db/db.h"
#include "db/read_q.h"
#include "db/search_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

#define RECENT 8
#define TOP_COLLECTIONS 12	/* the rest: /search?type=collection, linked */

/* record_list writes the rows of a record statement as a list of links. */
static void record_list(struct req *rq, sqlite3_stmt *st, const char *cls)
{
	struct buf *b = &rq->body;

	html_printf(b, "<ul class=\"%s\">\n", cls);
	while (st && db_step(rq->db, st) == 1) {
		html_raw(b, "<li class=\"card\">");
		layout_record_item(rq, st, "<br>");
		html_raw(b, "</li>\n");
	}
	html_raw(b, "</ul>\n");
}

int page_home(struct req *rq)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;

	layout_begin(rq, NULL, NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n", rq->archive->title,
		    T(rq, MSG_HOME_INTRO));

	html_printf(b, "<section>\n<h2>%s</h2>\n<ul class=\"plain cols\">\n", T(rq, MSG_IN_ARCHIVE));
	st = sq_type_counts(rq->db);
	while (st && db_step(rq->db, st) == 1) {
		html_printf(b, "<li><a href=\"/search?type=%u\">%s</a> <span class=\"meta\">%d</span></li>\n",
			    db_text(st, 0), i18n_plural(rq, db_text(st, 0)), sqlite3_column_int(st, 1));
	}
	html_raw(b, "</ul>\n</section>\n");

	html_printf(b, "<section>\n<h2>%s</h2>\n", T(rq, MSG_COLLECTIONS));
	{
		sqlite3_stmt *c = q_top_collections(rq->db, rq->lang, TOP_COLLECTIONS + 1);
		int shown = 0;
		html_raw(b, "<ul class=\"cards\">\n");
		while (c && shown < TOP_COLLECTIONS && db_step(rq->db, c) == 1) {
			html_raw(b, "<li class=\"card\">");
			layout_record_item(rq, c, "<br>");
			html_raw(b, "</li>\n");
			shown++;
		}
		html_raw(b, "</ul>\n");
		if (c && shown == TOP_COLLECTIONS && db_step(rq->db, c) == 1)
			html_printf(b, "<p><a href=\"/search?type=collection\">%s</a></p>\n",
				    T(rq, MSG_ALL_COLLECTIONS));
		if (c)
			sqlite3_reset(c);
	}
	html_raw(b, "</section>\n");

	html_printf(b, "<section>\n<h2>%s</h2>\n", T(rq, MSG_RECENT));
	record_list(rq, q_recent(rq->db, "work", RECENT, rq->lang), "cards");
	html_raw(b, "</section>\n");
	layout_end(rq);
	return 200;
}
