/* page_edit.c: the web editor for archivists and administrators (the
 * router checks the role, and the CSRF token of every POST):
 *
 *   GET /admin                the records, most recently changed first, by
 *                             type, with a "new record" choice per type
 *   GET /admin/new?type=T     the form for a new record of type T
 *   POST /admin/new           create it
 *   GET /admin/edit/SLUG      the form for a record
 *   POST /admin/edit/SLUG     save it
 *
 * The form and its rules live in catalog/edit.c, which saves through the
 * JSON import's validator; this file only draws: every field with its
 * label, hint and the validator's messages next to it (tied by
 * aria-describedby), and a summary of the problems at the top. A refused
 * form comes back with what was typed in it and status 422; a saved one
 * sends the browser to the record's public page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/edit.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "db/edit_q.h"
#include "db/read_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

#define LIST_PAGE 100	/* records per page of /admin */
#define EDIT_RETRY_AFTER "5"	/* seconds a busy catalogue asks to wait: about one
				 * busy timeout, the time an import's write lasts */

enum widget { W_TEXT, W_AREA, W_SELECT };

/* How one field is drawn. */
struct field_ui {
	enum edit_field f;
	enum msg label;
	enum msg hint;			/* MSG_COUNT: none */
	enum widget w;
	const char *const *options;	/* W_SELECT: the values, shown through i18n_term */
	bool empty_option;		/* W_SELECT: offer "(not given)" */
	int rows;			/* W_AREA: lines */
	const char *lang;		/* W_AREA: the language of its text, or NULL */
};

/* The fields below the titles, in the order of the form. */
static const struct field_ui fields[] = {
	{EF_SLUG, MSG_EDIT_SLUG, MSG_EDIT_HINT_SLUG, W_TEXT, NULL, false, 0, NULL},
	{EF_DATE, MSG_EDIT_DATE, MSG_EDIT_HINT_DATE, W_TEXT, NULL, false, 0, NULL},
	{EF_DATE_END, MSG_EDIT_DATE_END, MSG_EDIT_HINT_DATE, W_TEXT, NULL, false, 0, NULL},
	{EF_ORIGINAL_LANGUAGE, MSG_EDIT_ORIGINAL_LANGUAGE, MSG_EDIT_HINT_LANG, W_TEXT, NULL, false, 0, NULL},
	{EF_DURATION, MSG_EDIT_DURATION, MSG_EDIT_HINT_DURATION, W_TEXT, NULL, false, 0, NULL},
	{EF_DOC_TYPE, MSG_EDIT_DOC_TYPE, MSG_COUNT, W_SELECT, edit_doc_types, true, 0, NULL},
	{EF_PAGES, MSG_EDIT_PAGES, MSG_COUNT, W_TEXT, NULL, false, 0, NULL},
	{EF_KIND, MSG_EDIT_KIND, MSG_COUNT, W_SELECT, edit_agent_kinds, true, 0, NULL},
	{EF_LAT, MSG_EDIT_LAT, MSG_EDIT_HINT_DEGREES, W_TEXT, NULL, false, 0, NULL},
	{EF_LON, MSG_EDIT_LON, MSG_EDIT_HINT_DEGREES, W_TEXT, NULL, false, 0, NULL},
	{EF_COUNTRY, MSG_EDIT_COUNTRY, MSG_EDIT_HINT_COUNTRY, W_TEXT, NULL, false, 0, NULL},
	{EF_DESC_ES, MSG_EDIT_DESC_ES, MSG_COUNT, W_AREA, NULL, false, 6, "es"},
	{EF_DESC_EN, MSG_EDIT_DESC_EN, MSG_COUNT, W_AREA, NULL, false, 6, "en"},
	{EF_TEXT, MSG_EDIT_TEXT, MSG_COUNT, W_AREA, NULL, false, 12, NULL},
	{EF_CREDITS, MSG_EDIT_CREDITS, MSG_EDIT_HINT_CREDITS, W_AREA, NULL, false, 5, NULL},
	{EF_RELATIONS, MSG_EDIT_RELATIONS, MSG_EDIT_HINT_RELATIONS, W_AREA, NULL, false, 5, NULL},
	{EF_SOURCE, MSG_EDIT_SOURCE, MSG_EDIT_HINT_SOURCE, W_AREA, NULL, false, 2, NULL},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* The access fieldset's fields. */
static const struct field_ui access_fields[] = {
	{EF_ACCESS, MSG_EDIT_LEVEL, MSG_EDIT_HINT_LEVEL, W_SELECT, edit_levels, false, 0, NULL},
	{EF_EMBARGO, MSG_EDIT_EMBARGO, MSG_EDIT_HINT_EMBARGO, W_TEXT, NULL, false, 0, NULL},
};

/* ---- /admin ------------------------------------------------------------ */

/* access_text writes a record's level and embargo as the list shows them. */
static void access_text(struct req *rq, const char *level, const char *embargo)
{
	html_text(&rq->body, i18n_term(rq, level));
	if (*embargo)
		html_printf(&rq->body, " <span class=\"meta\">(%s <time datetime=\"%s\">%s</time>)</span>",
			    T(rq, MSG_EDIT_UNTIL), embargo, embargo);
}

int page_admin(struct req *rq)
{
	const char *type = req_arg(rq, "type"), *page_arg = req_arg(rq, "page");
	unsigned long long page = 1;
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	int rows = 0;

	if (type && !*type)
		type = NULL;
	if ((type && !edit_type_valid(type)) ||
	    (page_arg && *page_arg && (!str_parse_u64(page_arg, 100000, &page) || page == 0)))
		return req_fail(rq, 400, NULL);
	st = eq_list(rq->db, type, rq->lang, LIST_PAGE, (int)(page - 1) * LIST_PAGE);
	if (!st)
		return req_fail(rq, 500, NULL);
	layout_begin(rq, T(rq, MSG_ADMIN), NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n<p>%s", T(rq, MSG_ADMIN),
		    T(rq, MSG_EDIT_INTRO), T(rq, MSG_EDIT_NEW_OF));
	for (const char *const *t = edit_types; *t; t++)
		html_printf(b, "%s<a href=\"/admin/new?type=%u\">%s</a>", t == edit_types ? " " : " · ",
			    *t, i18n_term(rq, *t));
	html_printf(b, "</p>\n<p><a href=\"/admin/audit\">%s</a></p>\n<nav aria-label=\"%s\"><p>",
		    T(rq, MSG_AUDIT_TITLE), T(rq, MSG_EDIT_SHOW));
	html_raw(b, "<a href=\"/admin\"");
	if (!type)
		html_raw(b, " aria-current=\"page\"");
	html_printf(b, ">%s</a>", T(rq, MSG_EDIT_ALL));
	for (const char *const *t = edit_types; *t; t++) {
		html_printf(b, " · <a href=\"/admin?type=%u\"", *t);
		if (type && strcmp(type, *t) == 0)
			html_raw(b, " aria-current=\"page\"");
		html_printf(b, ">%s</a>", i18n_plural(rq, *t));
	}
	html_raw(b, "</p></nav>\n");

	while (db_step(rq->db, st) == 1) {
		if (rows++ == 0)
			html_printf(b, "<table class=\"audit\">\n<thead><tr><th>%s</th><th>%s</th>"
				    "<th>%s</th><th><span class=\"vh\">%s</span></th></tr></thead>\n<tbody>\n",
				    T(rq, MSG_EDIT_COL_TITLE), T(rq, MSG_EDIT_COL_TYPE),
				    T(rq, MSG_EDIT_COL_ACCESS), T(rq, MSG_EDIT_EDIT));
		html_raw(b, "<tr><td>");
		layout_record_link(rq, db_text(st, QR_TYPE), db_text(st, QR_SLUG), db_text(st, QR_LABEL));
		html_printf(b, "</td><td>%s</td><td>", i18n_term(rq, db_text(st, QR_TYPE)));
		access_text(rq, db_text(st, QR_ACCESS), db_text(st, QR_EMBARGO));
		html_printf(b, "</td><td><a href=\"/admin/edit/%s\">%s<span class=\"vh\"> %s</span></a>"
			    "</td></tr>\n", db_text(st, QR_SLUG), T(rq, MSG_EDIT_EDIT),
			    db_text(st, QR_LABEL));
	}
	if (rows)
		html_raw(b, "</tbody>\n</table>\n");
	else
		html_printf(b, "<p>%s</p>\n", T(rq, MSG_EDIT_EMPTY));
	if (page > 1 || rows == LIST_PAGE) {
		html_raw(b, "<nav class=\"pages\">");
		if (page > 1)
			html_printf(b, "<a href=\"/admin?type=%u&amp;page=%lld\" rel=\"prev\">%s</a>",
				    type ? type : "", (long long)page - 1, T(rq, MSG_PREV));
		if (rows == LIST_PAGE)
			html_printf(b, "<a href=\"/admin?type=%u&amp;page=%lld\" rel=\"next\">%s</a>",
				    type ? type : "", (long long)page + 1, T(rq, MSG_NEXT));
		html_raw(b, "</nav>\n");
	}
	layout_end(rq);
	return 200;
}

/* ---- the form ------------------------------------------------------------ */

static bool has_error(const struct edit *e, enum edit_field f)
{
	for (int i = 0; i < e->nerrors; i++)
		if (e->errors[i].field == (int)f)
			return true;
	return false;
}

/* error_text writes one message: its line, then the validator's words
 * (which are English). */
static void error_text(struct req *rq, const struct edit_error *x)
{
	if (x->line)
		html_printf(&rq->body, "%s %d: ", T(rq, MSG_EDIT_LINE), x->line);
	html_printf(&rq->body, "<span lang=\"en\">%s</span>", x->text);
}

/* described writes a control's aria-describedby (its hint and messages)
 * and aria-invalid. */
static void described(struct req *rq, const struct edit *e, enum edit_field f, bool hint)
{
	const char *name = edit_field_name(f);
	bool bad = has_error(e, f);

	if (!hint && !bad)
		return;
	html_raw(&rq->body, " aria-describedby=\"");
	if (hint)
		html_printf(&rq->body, "h-%s", name);
	if (bad)
		html_printf(&rq->body, "%se-%s", hint ? " " : "", name);
	html_raw(&rq->body, "\"");
	if (bad)
		html_raw(&rq->body, " aria-invalid=\"true\"");
}

/* after_control writes a field's hint and its messages. */
static void after_control(struct req *rq, const struct edit *e, enum edit_field f, enum msg hint)
{
	const char *name = edit_field_name(f);
	int n = 0;

	if (hint != MSG_COUNT)
		html_printf(&rq->body, "<p class=\"meta\" id=\"h-%s\">%s</p>", name, T(rq, hint));
	for (int i = 0; i < e->nerrors; i++) {
		if (e->errors[i].field != (int)f)
			continue;
		if (n++ == 0)
			html_printf(&rq->body, "<p class=\"error\" id=\"e-%s\">", name);
		else
			html_raw(&rq->body, "<br>");
		error_text(rq, &e->errors[i]);
	}
	if (n)
		html_raw(&rq->body, "</p>");
}

static void options(struct req *rq, const struct field_ui *u, const char *v)
{
	struct buf *b = &rq->body;
	bool found = false;

	if (u->empty_option)
		html_printf(b, "<option value=\"\"%s>%s</option>", *v ? "" : " selected",
			    T(rq, MSG_EDIT_NOT_GIVEN));
	for (const char *const *o = u->options; *o; o++) {
		/* a select without a value shows its first option */
		bool sel = strcmp(v, *o) == 0 || (!*v && !u->empty_option && o == u->options);
		found |= strcmp(v, *o) == 0;
		html_printf(b, "<option value=\"%s\"%s>%s</option>", *o, sel ? " selected" : "",
			    i18n_term(rq, *o));
	}
	if (*v && !found)	/* what was sent, so that its message makes sense */
		html_printf(b, "<option value=\"%s\" selected>%s</option>", v, v);
}

/* control writes one field: label, control, hint, messages. */
static void control(struct req *rq, const struct edit *e, const struct field_ui *u)
{
	struct buf *b = &rq->body;
	const char *name = edit_field_name(u->f), *v = edit_value(e, u->f);
	bool hint = u->hint != MSG_COUNT;

	if (e->kept[u->f]) {
		html_printf(b, "<div class=\"field\"><p><strong>%s</strong>: %s</p></div>\n",
			    T(rq, u->label), T(rq, MSG_EDIT_KEPT));
		return;
	}
	html_printf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label>", name, T(rq, u->label));
	switch (u->w) {
	case W_TEXT:
		html_printf(b, "<input type=\"text\" id=\"f-%s\" name=\"%s\" value=\"%s\"", name, name, v);
		if (u->f == EF_TITLE_TEXT(0))
			html_raw(b, " required");
		described(rq, e, u->f, hint);
		html_raw(b, ">");
		break;
	case W_AREA:
		html_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"%d\"", name, name, u->rows);
		if (u->lang)
			html_printf(b, " lang=\"%s\"", u->lang);
		described(rq, e, u->f, hint);
		/* the parser drops one newline after <textarea>: keep the text's own */
		html_printf(b, ">\n%s</textarea>", v);
		break;
	case W_SELECT:
		html_printf(b, "<select id=\"f-%s\" name=\"%s\"", name, name);
		described(rq, e, u->f, hint);
		html_raw(b, ">");
		options(rq, u, v);
		html_raw(b, "</select>");
		break;
	}
	after_control(rq, e, u->f, u->hint);
	html_raw(b, "</div>\n");
}

/* title_ui describes one cell of the title rows. */
static struct field_ui title_ui(int row, int col)
{
	struct field_ui u = {EF_TITLE0, MSG_EDIT_TITLE_TEXT, MSG_COUNT, W_TEXT, NULL, false, 0, NULL};

	if (col == 0) {
		u.f = EF_TITLE_TEXT(row);
	} else if (col == 1) {
		u.f = EF_TITLE_LANG(row);
		u.label = MSG_EDIT_TITLE_LANG;
		u.hint = MSG_EDIT_HINT_LANG;
	} else {
		u.f = EF_TITLE_KIND(row);
		u.label = MSG_EDIT_TITLE_KIND;
		u.w = W_SELECT;
		u.options = edit_title_kinds;
	}
	return u;
}

/* shown reports whether field f has a control in the form (so that the
 * summary can link to it). */
static bool shown(const struct edit *e, int f)
{
	if (f < 0 || f >= EF_COUNT || e->kept[f] || !edit_field_applies(e->type, f))
		return false;
	return f < EF_TITLE0 || (f - EF_TITLE0) / 3 < e->rows;
}

/* field_label writes the label of field f as the summary names it. */
static void field_label(struct req *rq, enum edit_field f)
{
	if (f >= EF_TITLE0) {
		int row = (f - EF_TITLE0) / 3, col = (f - EF_TITLE0) % 3;
		struct field_ui u = title_ui(row, col);
		if (row == 0)
			html_printf(&rq->body, "%s, %s", T(rq, MSG_EDIT_MAIN_TITLE), T(rq, u.label));
		else
			html_printf(&rq->body, "%s %d, %s", T(rq, MSG_EDIT_OTHER_TITLE), row + 1,
				    T(rq, u.label));
		return;
	}
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].f == f)
			html_text(&rq->body, T(rq, fields[i].label));
	for (size_t i = 0; i < sizeof access_fields / sizeof access_fields[0]; i++)
		if (access_fields[i].f == f)
			html_text(&rq->body, T(rq, access_fields[i].label));
}

/* summary writes the heading of a refused or failed form and its
 * problems. */
static void summary(struct req *rq, const struct edit *e, enum msg heading)
{
	struct buf *b = &rq->body;

	html_printf(b, "<div class=\"error\" role=\"alert\" id=\"problems\">\n<p>%s</p>\n",
		    T(rq, heading));
	if (!e->nerrors && !e->more_errors) {
		html_raw(b, "</div>\n");
		return;
	}
	html_raw(b, "<ul>\n");
	for (int i = 0; i < e->nerrors; i++) {
		const struct edit_error *x = &e->errors[i];
		html_raw(b, "<li>");
		if (shown(e, x->field)) {
			html_printf(b, "<a href=\"#f-%s\">", edit_field_name(x->field));
			field_label(rq, x->field);
			html_raw(b, "</a>: ");
		}
		error_text(rq, x);
		html_raw(b, "</li>\n");
	}
	if (e->more_errors)
		html_printf(b, "<li>%s</li>\n", T(rq, MSG_EDIT_MORE_ERRORS));
	html_raw(b, "</ul>\n</div>\n");
}

/* form draws the page of the form for e, under heading when it comes back
 * refused or failed (MSG_COUNT: a fresh form; problems without a heading
 * get MSG_EDIT_NOT_SAVED). */
static void form(struct req *rq, const struct edit *e, enum msg heading)
{
	struct buf *b = &rq->body, title;
	const char *main_title = edit_value(e, EF_TITLE_TEXT(0));

	buf_init(&title, 2048);
	if (e->is_new)
		buf_printf(&title, "%s: %s", T(rq, MSG_EDIT_NEW), i18n_term(rq, e->type));
	else
		buf_printf(&title, "%s: %s", T(rq, MSG_EDIT_EDIT), *main_title ? main_title : e->slug);
	layout_begin(rq, title.err ? T(rq, MSG_EDIT_EDIT) : buf_str(&title), NULL);
	html_printf(b, "<p class=\"kicker\">%s</p>\n<h1>%s</h1>\n", i18n_term(rq, e->type),
		    title.err ? T(rq, MSG_EDIT_EDIT) : buf_str(&title));
	buf_free(&title);
	html_printf(b, "<p><a href=\"/admin\">%s</a>", T(rq, MSG_ADMIN));
	if (!e->is_new)
		html_printf(b, " · <a href=\"/%s/%s\">%s</a>", e->type, e->slug, T(rq, MSG_EDIT_VIEW));
	html_raw(b, "</p>\n");
	if (heading == MSG_COUNT && (e->nerrors || e->more_errors))
		heading = MSG_EDIT_NOT_SAVED;
	if (heading != MSG_COUNT)
		summary(rq, e, heading);

	if (e->is_new)
		html_printf(b, "<form class=\"edit\" method=\"post\" action=\"/admin/new\">\n"
			    "<input type=\"hidden\" name=\"type\" value=\"%s\">\n", e->type);
	else
		html_printf(b, "<form class=\"edit\" method=\"post\" action=\"/admin/edit/%s\">\n",
			    e->slug);
	html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", rq->csrf);

	html_printf(b, "<fieldset>\n<legend>%s</legend>\n", T(rq, MSG_EDIT_TITLES));
	for (int row = 0; row < e->rows; row++) {
		if (row == 0)
			html_printf(b, "<fieldset>\n<legend>%s</legend>\n", T(rq, MSG_EDIT_MAIN_TITLE));
		else
			html_printf(b, "<fieldset>\n<legend>%s %d</legend>\n", T(rq, MSG_EDIT_OTHER_TITLE),
				    row + 1);
		for (int col = 0; col < 3; col++) {
			struct field_ui u = title_ui(row, col);
			control(rq, e, &u);
		}
		html_raw(b, "</fieldset>\n");
	}
	html_raw(b, "</fieldset>\n");

	for (size_t i = 0; i < NFIELDS; i++)
		if (edit_field_applies(e->type, fields[i].f))
			control(rq, e, &fields[i]);

	html_printf(b, "<fieldset>\n<legend>%s</legend>\n", T(rq, MSG_EDIT_ACCESS));
	for (size_t i = 0; i < sizeof access_fields / sizeof access_fields[0]; i++)
		control(rq, e, &access_fields[i]);
	html_printf(b, "</fieldset>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
		    T(rq, e->is_new ? MSG_EDIT_CREATE : MSG_EDIT_SAVE));
	layout_end(rq);
}

/* take_form copies every field the request sent into e (fields of other
 * types are sent by nobody and ignored when saving). */
static int take_form(struct req *rq, struct edit *e)
{
	for (enum edit_field f = 0; f < EF_COUNT; f++) {
		const char *v = req_form(rq, edit_field_name(f));
		if (v && edit_set(e, f, v))
			return ERR_NOMEM;
	}
	return 0;
}

/* save answers a submission: to the record's page when saved, the form
 * with its messages when refused (422); when the catalogue is busy (503,
 * with Retry-After) or saving failed otherwise (500), the form again as
 * it was typed, with the reason. Only a record that is not there (404)
 * or a form that cannot be read at all gets an error page. */
static int save(struct req *rq, const char *type, const char *slug)
{
	struct edit e = {0};
	char to[16 + SLUG_MAX + 4];
	int rc, status;

	if (take_form(rq, &e)) {
		status = req_fail(rq, 500, NULL);
		goto out;
	}
	rc = edit_save(&e, rq->db, type, slug, rq->principal.name);
	if (rc == 0) {
		snprintf(to, sizeof to, "/%s/%s", e.type, e.slug);
		status = req_redirect(rq, to);
	} else if (rc == ERR_INVALID) {
		form(rq, &e, MSG_EDIT_NOT_SAVED);
		status = 422;
	} else if (rc == ERR_NOTFOUND) {
		status = req_fail(rq, 404, NULL);
	} else if (edit_load(&e, rq->db, type, slug) == 0) {
		/* what the request set stays; the rest is read again (a read
		 * needs no write lock) */
		if (rc == ERR_BUSY) {
			req_header(rq, "Retry-After", EDIT_RETRY_AFTER);
			form(rq, &e, MSG_EDIT_BUSY);
			status = 503;
		} else {
			const char *why = err_str(rc);
			for (int i = 0; i < e.nerrors; i++)
				free(e.errors[i].text);
			e.nerrors = e.more_errors = 0;
			if ((e.errors[0].text = strdup(why))) {
				e.errors[0].field = -1;
				e.errors[0].line = 0;
				e.nerrors = 1;
			}
			form(rq, &e, MSG_EDIT_FAILED);
			status = 500;
		}
	} else {
		status = req_fail(rq, rc == ERR_BUSY ? 503 : 500, NULL);
	}
out:
	edit_free(&e);
	return status;
}

/* show answers a request for the form. */
static int show(struct req *rq, const char *type, const char *slug)
{
	struct edit e = {0};
	int rc = edit_load(&e, rq->db, type, slug), status = 200;

	if (rc == 0)
		form(rq, &e, MSG_COUNT);
	else
		status = req_fail(rq, rc == ERR_NOTFOUND ? (slug ? 404 : 400) : 500, NULL);
	edit_free(&e);
	return status;
}

int page_admin_new_form(struct req *rq)
{
	const char *type = req_arg(rq, "type");

	if (!edit_type_valid(type))
		return req_fail(rq, 400, NULL);
	return show(rq, type, NULL);
}

int page_admin_new(struct req *rq)
{
	const char *type = req_form(rq, "type");

	if (!edit_type_valid(type))
		return req_fail(rq, 400, NULL);
	return save(rq, type, NULL);
}

int page_admin_edit_form(struct req *rq)
{
	return show(rq, NULL, rq->slug);
}

int page_admin_edit(struct req *rq)
{
	return save(rq, NULL, rq->slug);
}
