/* labels_section.c: Local Contexts labels on a record's page (see
 * labels_section.h). */
#include "labels_section.h"

#include <stdbool.h>
#include <string.h>

#include "access/policy.h"
#include "catalog/labels.h"
#include "db/db.h"
#include "db/label_q.h"
#include "html.h"
#include "http/req.h"
#include "i18n.h"

void labels_section(struct req *rq, const char *record_id)
{
	sqlite3_stmt *st = lq_list(rq->db, record_id, rq->lang);
	bool open = false, keeper = policy_can_edit(&rq->principal);

	while (st && db_step(rq->db, st) == 1) {
		const struct label_type *t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
		bool tr = db_text_or_null(st, LQ_TR_TEXT) != NULL;
		const char *lang = tr ? rq->lang : db_text(st, LQ_LANG);
		bool other = *lang && strcmp(lang, rq->lang) != 0;

		if (!t)
			continue;
		if (!open) {
			html_printf(&rq->body, "<section class=\"lc-labels\" id=\"labels\">\n<h2>%s</h2>\n<ul>\n",
				    T(rq, MSG_LABELS));
			open = true;
		}
		html_printf(&rq->body, "<li class=\"lc-label lc-%s\" data-type=\"%s\">"
			    "<span class=\"lc-badge\" aria-hidden=\"true\">%s</span> ",
			    db_text(st, LQ_KIND), db_text(st, LQ_TYPE), t->badge);
		if (other)
			html_printf(&rq->body, "<strong lang=\"%s\">", lang);
		else
			html_raw(&rq->body, "<strong>");
		html_printf(&rq->body, "%s</strong>", tr ? db_text(st, LQ_TR_NAME) : db_text(st, LQ_NAME));
		if (other)
			html_printf(&rq->body, " <small class=\"meta\">(%s, %s)</small>",
				    T(rq, MSG_LABEL_ORIGINAL), lang);
		if (other)
			html_printf(&rq->body, "\n<p lang=\"%s\">%s</p>\n", lang, db_text(st, LQ_TEXT));
		else
			html_printf(&rq->body, "\n<p>%s</p>\n", tr ? db_text(st, LQ_TR_TEXT) :
				    db_text(st, LQ_TEXT));
		if (*db_text(st, LQ_COMMUNITY))
			html_printf(&rq->body, "<p class=\"meta\">%s: %s</p>\n", T(rq, MSG_LABEL_APPLIED_BY),
				    db_text(st, LQ_COMMUNITY));
		if (db_text_or_null(st, LQ_FILE))
			html_printf(&rq->body, "<p class=\"meta\">%s: %s</p>\n", T(rq, MSG_LABEL_ON_FILE),
				    db_text(st, LQ_FILE_NAME));
		if (db_text_or_null(st, LQ_PROJECT))
			html_printf(&rq->body, "<p class=\"meta\">%s: %s</p>\n", T(rq, MSG_LABEL_PROJECT),
				    db_text(st, LQ_PROJECT));
		if (keeper && t->restricts != LABEL_OPEN && !db_text_or_null(st, LQ_FILE)) {
			if (db_text_or_null(st, LQ_TIE_ROLE))
				html_printf(&rq->body, "<p class=\"lc-tie\">%s</p>\n",
					    T(rq, MSG_LABEL_TIED_MEMBERS));
			else if (db_text_or_null(st, LQ_TIE_GROUP))
				html_printf(&rq->body, "<p class=\"lc-tie\">%s %s.</p>\n",
					    T(rq, MSG_LABEL_TIED_GROUP), db_text(st, LQ_GROUP_NAME));
			else if (db_text_or_null(st, LQ_TIE_FROM))
				html_printf(&rq->body, "<p class=\"lc-tie\">%s %d–%d.</p>\n",
					    T(rq, MSG_LABEL_TIED_MONTHS), sqlite3_column_int(st, LQ_TIE_FROM),
					    sqlite3_column_int(st, LQ_TIE_TO));
			else
				html_printf(&rq->body, "<p class=\"lc-tie lc-untied\">%s</p>\n",
					    T(rq, MSG_LABEL_NOT_TIED));
		}
		html_raw(&rq->body, "</li>\n");
	}
	if (st)
		sqlite3_reset(st);
	if (open)
		html_raw(&rq->body, "</ul>\n</section>\n");
}
