/* layout.c: the shared page frame (see layout.h). */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#include "catalog/archive.h"
#include "access/policy.h"
#include "core/str.h"
#include "db/db.h"
#include "db/read_q.h"
#include "html.h"
#include "http/req.h"
#include "i18n.h"

/* lang_link writes the current path with its arguments and lang=LANG. */
static void lang_link(struct req *rq, const char *lang)
{
	struct buf *b = &rq->body;
	int n = 0;

	html_printf(b, "<a href=\"%p", rq->path);
	for (int i = 0; i < rq->nargs; i++) {
		if (strcmp(rq->args[i].name, "lang") == 0)
			continue;
		html_printf(b, "%s%u=%u", n++ ? "&" : "?", rq->args[i].name, rq->args[i].value);
	}
	html_printf(b, "%slang=%u\" hreflang=\"%s\" lang=\"%s\"", n ? "&" : "?", lang, lang, lang);
	if (strcmp(rq->lang, lang) == 0)
		html_raw(b, " aria-current=\"true\"");
	html_printf(b, ">%s</a>", i18n_lang_name(lang));
}

void layout_begin(struct req *rq, const char *title, const char *q)
{
	struct buf *b = &rq->body;
	const char *site = rq->archive ? rq->archive->title : "Cinemateca";

	html_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>%s%s%s</title>\n", rq->lang, title ? title : "", title ? " · " : "", site);
	html_raw(b, "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		    "<link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20"
		    "viewBox='0%200%2016%2016'%3E%3Crect%20width='16'%20height='16'%20rx='3'%20fill='%238a3b12'/%3E"
		    "%3Ccircle%20cx='8'%20cy='8'%20r='4'%20fill='%23fff'/%3E%3C/svg%3E\">\n"
		    "</head>\n<body>\n");
	html_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>\n<header class=\"site\">\n"
		    "<a class=\"brand\" href=\"/\">%s</a>\n<nav aria-label=\"%s\"><a href=\"/\">%s</a> "
		    "<a href=\"/search\">%s</a> <a href=\"/timeline\">%s</a></nav>\n",
		    T(rq, MSG_SKIP), site, T(rq, MSG_NAV_BROWSE), T(rq, MSG_NAV_HOME),
		    T(rq, MSG_NAV_BROWSE), T(rq, MSG_NAV_TIMELINE));
	html_printf(b, "<form class=\"search\" role=\"search\" action=\"/search\" method=\"get\">"
		    "<label for=\"q\" class=\"vh\">%s</label>"
		    "<input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" placeholder=\"%s\" "
		    "maxlength=\"1024\">"
		    "<button type=\"submit\">%s</button></form>\n<p class=\"langs\">",
		    T(rq, MSG_SEARCH_LABEL), q ? q : "", T(rq, MSG_SEARCH_HINT), T(rq, MSG_SEARCH));
	/* every language present, each named in itself: plain links, so the
	 * switch works without scripts; the choice is remembered (router.c) */
	for (const char *const *l = i18n_langs; *l; l++) {
		if (l != i18n_langs)
			html_raw(b, " ");
		lang_link(rq, *l);
	}
	html_raw(b, "</p>\n");
	if (rq->principal.user_id) {
		html_printf(b, "<div class=\"account\"><span>%s</span> ", rq->principal.name);
		if (policy_can_edit(&rq->principal))
			html_printf(b, "<a href=\"/admin\">%s</a> <a href=\"/admin/audit\">%s</a> ",
				    T(rq, MSG_ADMIN), T(rq, MSG_AUDIT_TITLE));
		if (policy_can_contribute(&rq->principal))
			html_printf(b, "<a href=\"/my/contributions\">%s</a> ", T(rq, MSG_MY_TITLE));
		if (policy_can_moderate_some(&rq->principal))
			html_printf(b, "<a href=\"/moderate\">%s</a> ", T(rq, MSG_MOD_TITLE));
		html_printf(b, "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" "
			    "name=\"csrf\" value=\"%s\"><button type=\"submit\">%s</button></form></div>\n",
			    rq->csrf, T(rq, MSG_LOGOUT));
	} else {
		html_printf(b, "<a class=\"account\" href=\"/login\">%s</a>\n", T(rq, MSG_LOGIN));
	}
	html_raw(b, "</header>\n<main id=\"main\">\n");
}

void layout_end(struct req *rq)
{
	html_printf(&rq->body, "</main>\n<footer class=\"site\"><p>%s</p></footer>\n</body>\n</html>\n",
		    T(rq, MSG_FOOTER));
}

void layout_error_page(struct req *rq)
{
	enum msg title, text;

	switch (rq->status) {
	case 400: title = MSG_ERR_400_TITLE; text = MSG_ERR_400_TEXT; break;
	case 404: title = MSG_ERR_404_TITLE; text = MSG_ERR_404_TEXT; break;
	case 405: title = MSG_ERR_405_TITLE; text = MSG_ERR_405_TEXT; break;
	case 403: title = MSG_ERR_403_TITLE; text = MSG_ERR_403_TEXT; break;
	case 413: title = MSG_ERR_413_TITLE; text = MSG_ERR_413_TEXT; break;
	case 415: title = MSG_ERR_415_TITLE; text = MSG_ERR_415_TEXT; break;
	case 503: title = MSG_ERR_503_TITLE; text = MSG_ERR_503_TEXT; break;
	default:
		if (rq->status < 500) {
			title = MSG_ERR_400_TITLE; text = MSG_ERR_400_TEXT;
		} else {
			title = MSG_ERR_500_TITLE; text = MSG_ERR_500_TEXT;
		}
	}
	buf_reset(&rq->body);
	layout_begin(rq, T(rq, title), NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n<p class=\"status\">%d</p>\n<p>%s</p>\n",
		    T(rq, title), rq->status, T(rq, text));
	if (rq->error_detail)
		html_printf(&rq->body, "<p>%s</p>\n", rq->error_detail);
	html_printf(&rq->body, "<p><a href=\"/\">%s</a></p>\n", T(rq, MSG_BACK_HOME));
	layout_end(rq);
}

void layout_record_item_(struct req *rq, struct sqlite3_stmt *st, const char *sep)
{
	const char *lang = db_text(st, QR_LABEL_LANG);

	/* the name in the visitor's language when the record has one, else
	 * another, said by its lang */
	html_printf(&rq->body, "<a href=\"/%s/%s\"", db_text(st, QR_TYPE), db_text(st, QR_SLUG));
	if (*lang && strcmp(lang, rq->lang) != 0)
		html_printf(&rq->body, " lang=\"%s\"", lang);
	html_printf(&rq->body, ">%s</a>", db_text(st, QR_LABEL));
	buf_puts(&rq->body, sep);
	html_printf(&rq->body, "<span class=\"meta\">%s", i18n_term(rq, db_text(st, QR_TYPE)));
	if (*db_text(st, QR_DATE)) {
		html_raw(&rq->body, " · ");
		layout_date(rq, db_text(st, QR_DATE), db_text(st, QR_DATE_END));
	}
	html_raw(&rq->body, "</span>");
}

void layout_record_link(struct req *rq, const char *type, const char *slug, const char *label)
{
	html_printf(&rq->body, "<a href=\"/%s/%s\">%s</a>", type, slug, label);
}

void layout_template(struct req *rq, const char *tmpl, const char *const *names,
		     const char *const *values, int n)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strchr(p, '{'), *close;
		int i;

		if (!open || !(close = strchr(open, '}'))) {
			html_text(&rq->body, p);
			return;
		}
		html_textn(&rq->body, p, (size_t)(open - p));
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == (size_t)(close - open - 1) &&
			    strncmp(open + 1, names[i], (size_t)(close - open - 1)) == 0)
				break;
		if (i < n)
			html_text(&rq->body, values[i]);
		else
			html_textn(&rq->body, open, (size_t)(close - open + 1));
		p = close + 1;
	}
}

void layout_lang_mark(struct req *rq, const char *lang, bool original)
{
	bool other = lang && *lang && strcmp(lang, rq->lang) != 0;

	if (!other && !original)
		return;
	html_printf(&rq->body, " <span class=\"lang-mark\" lang=\"%s\">(", rq->lang);
	if (other)
		html_printf(&rq->body, "<span lang=\"%s\">%s</span>", lang, i18n_lang_name(lang));
	if (original)
		html_printf(&rq->body, "%s%s", other ? " · " : "", T(rq, MSG_ORIGINAL));
	html_raw(&rq->body, ")</span>");
}

void layout_count(struct req *rq, enum msg m, unsigned long n)
{
	static const char *const names[] = {"n"};
	char num[40];
	const char *values[] = {num};

	i18n_number(rq, n, num, sizeof num);
	layout_template(rq, TN(rq, m, n), names, values, 1);
}

/* human_date writes an ISO date as people read it: "1963",
 * "diciembre de 1963" / "December 1963", "13 de septiembre de 1958" /
 * "13 September 1958", in the shape the language's PO file gives
 * (DATE_DAY_MONTH_YEAR, DATE_MONTH_YEAR, MONTH_1..12). */
static void human_date(struct req *rq, const char *date)
{
	static const char *const names[] = {"d", "month", "y"};
	static const enum msg months[12] = {
		MSG_MONTH_1, MSG_MONTH_2, MSG_MONTH_3, MSG_MONTH_4, MSG_MONTH_5, MSG_MONTH_6,
		MSG_MONTH_7, MSG_MONTH_8, MSG_MONTH_9, MSG_MONTH_10, MSG_MONTH_11, MSG_MONTH_12,
	};
	size_t n = strlen(date);
	char year[5], day[8];
	const char *values[3];
	int m, d;

	if (!str_date_valid(date) || n == 4) {
		html_text(&rq->body, date);
		return;
	}
	memcpy(year, date, 4);
	year[4] = '\0';
	m = (date[5] - '0') * 10 + (date[6] - '0');
	values[1] = T(rq, months[m - 1]);
	values[2] = year;
	if (n == 7) {
		layout_template(rq, T(rq, MSG_DATE_MONTH_YEAR), names, values, 3);
		return;
	}
	d = (date[8] - '0') * 10 + (date[9] - '0');
	snprintf(day, sizeof day, "%d", d);
	values[0] = day;
	layout_template(rq, T(rq, MSG_DATE_DAY_MONTH_YEAR), names, values, 3);
}

void layout_date(struct req *rq, const char *date, const char *date_end)
{
	if (!date || !*date)
		return;
	html_printf(&rq->body, "<time datetime=\"%s\">", date);
	human_date(rq, date);
	html_raw(&rq->body, "</time>");
	if (date_end && *date_end && strcmp(date, date_end) != 0) {
		html_printf(&rq->body, "–<time datetime=\"%s\">", date_end);
		human_date(rq, date_end);
		html_raw(&rq->body, "</time>");
	}
}
