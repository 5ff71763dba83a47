/* page_contrib.c: community memories on the web (see page_contrib.h):
 *
 *   POST /contribute/SLUG          add a contribution to a record (a
 *                                  contributor who may read it)
 *   GET  /my/contributions         one's own, with their state; edit
 *   POST /my/contributions/edit/ID   while pending, withdraw at any time
 *   POST /my/contributions/withdraw/ID
 *   GET  /moderate[?state=S]       the queue of what one moderates
 *   POST /moderate/ID              publish, hide (with a reason) or edit
 *                                  (with a visible note)
 *
 * Every POST carries the session's CSRF token (the router checks it).
 * The attribution shown is always the one its author chose, stored with
 * the contribution: no query here reads an account's name for display,
 * so an anonymous contribution can show none. */
#include "page_contrib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "access/policy.h"
#include "catalog/contrib.h"
#include "core/err.h"
#include "core/str.h"
#include "db/contrib_q.h"
#include "db/db.h"
#include "db/read_q.h"
#include "db/record_q.h"
#include "catalog/archive.h"
#include "store/objects.h"
#include "uploads.h"
#include "files_section.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

#define QUEUE_MAX 500	/* contributions on one page of /moderate; the page says when more wait */

static const enum msg problem_msg[CP_COUNT] = {
	[CP_KIND] = MSG_CP_KIND, [CP_MOTIVATION] = MSG_CP_MOTIVATION, [CP_LANG] = MSG_CP_LANG,
	[CP_ATTRIBUTION] = MSG_CP_ATTRIBUTION, [CP_ATTRIBUTION_TEXT] = MSG_CP_ATTRIBUTION_TEXT,
	[CP_ATTRIBUTION_LONG] = MSG_CP_ATTRIBUTION_LONG, [CP_CONSENT] = MSG_CP_CONSENT,
	[CP_BODY_EMPTY] = MSG_CP_BODY_EMPTY, [CP_BODY_LONG] = MSG_CP_BODY_LONG,
	[CP_START] = MSG_CP_START, [CP_END] = MSG_CP_END, [CP_PAST_END] = MSG_CP_PAST_END,
	[CP_FILE] = MSG_CP_FILE, [CP_XYWH] = MSG_CP_XYWH, [CP_OUTSIDE] = MSG_CP_OUTSIDE,
	[CP_LINK] = MSG_CP_LINK, [CP_TOO_MANY_LINKS] = MSG_CP_TOO_MANY_LINKS,
	[CP_REASON] = MSG_CP_REASON, [CP_REASON_LONG] = MSG_CP_REASON_LONG,
	[CP_NOTE] = MSG_CP_NOTE, [CP_NOT_PENDING] = MSG_CP_NOT_PENDING,
	[CP_UPLOAD] = MSG_CP_UPLOAD, [CP_UPLOAD_TYPE] = MSG_CP_UPLOAD_TYPE,
};

static const char *problem(const struct req *rq, enum contrib_problem p)
{
	return p > CP_OK && p < CP_COUNT ? T(rq, problem_msg[p]) : T(rq, MSG_CP_KIND);
}

/* form_or returns the submitted value of a field, else def. */
static const char *form_or(const struct req *rq, const char *name, const char *def)
{
	const char *v = req_form(rq, name);
	return v ? v : def;
}

/* ---- one contribution, as every page shows it ----------------------------- */

/* moment writes a time as m:ss (h:mm:ss past an hour). */
static void moment(struct buf *b, long long ms)
{
	char clock[16];

	str_clock(ms, clock);
	html_printf(b, "<time datetime=\"PT%lldS\">%s</time>", ms / 1000, clock);
}

/* show writes one contribution of a CQ_* row as a list item. record_link:
 * name the record it is on (lists of several records' contributions). */
static void show(struct req *rq, sqlite3_stmt *st, bool record_link)
{
	struct buf *b = &rq->body;
	const char *kind = db_text(st, CQ_KIND), *type = db_text(st, CQ_RECORD_TYPE),
		   *slug = db_text(st, CQ_RECORD_SLUG), *who = db_text_or_null(st, CQ_ATTRIBUTION_TEXT);

	html_printf(b, "<li class=\"memory\" id=\"memory-%s\">\n<p class=\"meta\">%s", db_text(st, CQ_ID),
		    i18n_term(rq, kind));
	if (record_link && *slug) {
		html_printf(b, " %s ", T(rq, MSG_CONTRIB_ON));
		layout_record_link(rq, type, slug, db_text(st, CQ_RECORD_LABEL));
	}
	if (strcmp(kind, "time") == 0) {
		long long s = sqlite3_column_int64(st, CQ_START);
		html_printf(b, " · <a href=\"/%s/%s?t=%lld#player\">", type, slug, s / 1000);
		moment(b, s);
		if (sqlite3_column_type(st, CQ_END) != SQLITE_NULL) {
			html_raw(b, "–");
			moment(b, sqlite3_column_int64(st, CQ_END));
		}
		html_raw(b, "</a>");
	} else if (strcmp(kind, "region") == 0) {
		html_printf(b, " · <a href=\"/media/%p#xywh=%lld,%lld,%lld,%lld\">%s %lld,%lld,%lld,%lld</a>",
			    db_text(st, CQ_FILE_ID), sqlite3_column_int64(st, CQ_X),
			    sqlite3_column_int64(st, CQ_Y), sqlite3_column_int64(st, CQ_W),
			    sqlite3_column_int64(st, CQ_H), T(rq, MSG_CONTRIB_PAGE_IMAGE),
			    sqlite3_column_int64(st, CQ_X), sqlite3_column_int64(st, CQ_Y),
			    sqlite3_column_int64(st, CQ_W), sqlite3_column_int64(st, CQ_H));
	}
	html_printf(b, " · %s · %s %s</p>\n", i18n_term(rq, db_text(st, CQ_MOTIVATION)),
		    T(rq, MSG_CONTRIB_BY), who ? who : T(rq, MSG_CONTRIB_ANONYMOUS));
	html_printf(b, "<blockquote lang=\"%s\">", db_text(st, CQ_LANG));
	html_paragraphs(b, db_text(st, CQ_BODY));
	html_raw(b, "</blockquote>\n");
	if (db_text_or_null(st, CQ_RECORDING))
		/* a video element plays a sound recording as well; /media asks
		 * the policy again (the file is private until published) */
		html_printf(b, "<video class=\"testimony\" controls preload=\"none\" src=\"/media/%p\">"
			    "<a href=\"/media/%p\">%s</a></video>\n", db_text(st, CQ_RECORDING),
			    db_text(st, CQ_RECORDING), T(rq, MSG_FILES_ROLE_TESTIMONY));
	if (db_text_or_null(st, CQ_EDIT_NOTE))
		html_printf(b, "<p class=\"meta\">%s %s</p>\n", T(rq, MSG_CONTRIB_EDITED),
			    db_text(st, CQ_EDIT_NOTE));
	if (db_text_or_null(st, CQ_LINKS)) {
		/* "type/slug\x1flabel" lines: the other records of a testimony */
		char *links = strdup(db_text(st, CQ_LINKS)), *line, *save = NULL;
		if (links) {
			html_printf(b, "<p class=\"meta\">%s", T(rq, MSG_CONTRIB_ON));
			for (line = strtok_r(links, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				char *sep = strchr(line, '\x1f'), *slash = strchr(line, '/');
				if (!sep || !slash || slash > sep)
					continue;
				*sep = *slash = '\0';
				html_raw(b, " ");
				layout_record_link(rq, line, slash + 1, sep + 1);
			}
			html_raw(b, "</p>\n");
			free(links);
		}
	}
}

/* ---- notes for the player ------------------------------------------------------ */

int contrib_notes_load(struct req *rq, const char *record_id, struct contrib_note **out, int *n)
{
	sqlite3_stmt *st = cq_on_record(rq->db, record_id, rq->lang);
	struct contrib_note *v = NULL;
	int len = 0, cap = 0, rc = 0;

	*out = NULL;
	*n = 0;
	while (st && (rc = db_step(rq->db, st)) == 1) {
		struct contrib_note *c;
		if (strcmp(db_text(st, CQ_KIND), "time") != 0)
			continue;
		if (len == cap) {
			int ncap = cap ? cap * 2 : 16;
			struct contrib_note *nv = realloc(v, (size_t)ncap * sizeof *nv);
			if (!nv)
				goto fail;
			v = nv;
			cap = ncap;
		}
		c = &v[len];
		memset(c, 0, sizeof *c);
		snprintf(c->id, sizeof c->id, "%s", db_text(st, CQ_ID));
		c->start_ms = sqlite3_column_int64(st, CQ_START);
		c->end_ms = sqlite3_column_type(st, CQ_END) == SQLITE_NULL ? -1 :
			    sqlite3_column_int64(st, CQ_END);
		c->body = strdup(db_text(st, CQ_BODY));
		c->who = db_text_or_null(st, CQ_ATTRIBUTION_TEXT) ?
			 strdup(db_text(st, CQ_ATTRIBUTION_TEXT)) : NULL;
		len++;
		if (!c->body || (db_text_or_null(st, CQ_ATTRIBUTION_TEXT) && !c->who))
			goto fail;
	}
	if (!st || rc < 0)
		goto fail;
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return 0;
fail:
	if (st)
		sqlite3_reset(st);
	contrib_notes_free(v, len);
	return -1;
}

void contrib_notes_free(struct contrib_note *notes, int n)
{
	for (int i = 0; i < n; i++) {
		free(notes[i].who);
		free(notes[i].body);
	}
	free(notes);
}

void contrib_note_excerpt(struct req *rq, const struct contrib_note *c)
{
	size_t n = str_utf8_prefix(c->body, 140);

	html_printf(&rq->body, "%s: ", c->who ? c->who : T(rq, MSG_CONTRIB_ANONYMOUS));
	html_textn(&rq->body, c->body, n);
	if (c->body[n])
		html_raw(&rq->body, "…");
}

/* ---- the forms -------------------------------------------------------------- */

static void select_words(struct req *rq, const char *p, const char *name,
			 const char *const *words, const char *chosen)
{
	html_printf(&rq->body, "<select name=\"%s\" id=\"%s-%s\">", name, p, name);
	for (int i = 0; words[i]; i++)
		html_printf(&rq->body, "<option value=\"%s\"%s>%s</option>", words[i],
			    strcmp(words[i], chosen) == 0 ? " selected" : "", i18n_term(rq, words[i]));
	html_raw(&rq->body, "</select>");
}

/* common_fields: the text, motivation, language, attribution and consent
 * of every kind of contribution; ids get the form's prefix p. */
static void common_fields(struct req *rq, const char *p)
{
	struct buf *b = &rq->body;
	const char *attr = form_or(rq, "attribution", "name");
	static const struct { const char *v; enum msg m; } attrs[] = {
		{"name", MSG_CONTRIB_ATTR_NAME}, {"initials", MSG_CONTRIB_ATTR_INITIALS},
		{"phrase", MSG_CONTRIB_ATTR_PHRASE}, {"anonymous", MSG_CONTRIB_ATTR_ANONYMOUS},
	};

	html_printf(b, "<label for=\"%s-body\">%s<textarea id=\"%s-body\" name=\"body\" rows=\"4\" "
		    "required>%s</textarea></label>\n", p, T(rq, MSG_CONTRIB_TEXT), p,
		    form_or(rq, "body", ""));
	html_printf(b, "<label>%s ", T(rq, MSG_CONTRIB_MOTIVATION));
	select_words(rq, p, "motivation", contrib_motivations, form_or(rq, "motivation", "commenting"));
	html_printf(b, "</label>\n<label for=\"%s-lang\">%s<input id=\"%s-lang\" name=\"lang\" "
		    "value=\"%s\" size=\"8\" required></label>\n", p, T(rq, MSG_CONTRIB_LANG), p,
		    form_or(rq, "lang", rq->lang));
	html_printf(b, "<fieldset><legend>%s</legend>\n", T(rq, MSG_CONTRIB_ATTRIBUTION));
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		html_printf(b, "<label><input type=\"radio\" name=\"attribution\" value=\"%s\"%s> %s</label>\n",
			    attrs[i].v, strcmp(attr, attrs[i].v) == 0 ? " checked" : "",
			    T(rq, attrs[i].m));
	html_printf(b, "<label for=\"%s-who\">%s<input id=\"%s-who\" name=\"attribution_text\" "
		    "value=\"%s\" maxlength=\"%d\"></label>\n</fieldset>\n", p,
		    T(rq, MSG_CONTRIB_ATTR_TEXT), p, form_or(rq, "attribution_text", ""),
		    CONTRIB_NAME_MAX);
	html_printf(b, "<fieldset><legend>%s</legend>\n"
		    "<label><input type=\"radio\" name=\"consent\" value=\"public\"%s> %s</label>\n"
		    "<label><input type=\"radio\" name=\"consent\" value=\"community\"%s> %s</label>\n"
		    "</fieldset>\n", T(rq, MSG_CONTRIB_CONSENT),
		    strcmp(form_or(rq, "consent", "community"), "public") == 0 ? " checked" : "",
		    T(rq, MSG_CONTRIB_CONSENT_PUBLIC),
		    strcmp(form_or(rq, "consent", "community"), "public") != 0 ? " checked" : "",
		    T(rq, MSG_CONTRIB_CONSENT_COMMUNITY));
	html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<p><button type=\"submit\">%s</button></p>\n", rq->csrf, T(rq, MSG_CONTRIB_SEND));
}

/* is_page_image: a readable image file with its size known. */
static bool is_page_image(const struct file *f)
{
	return strncmp(f->mime, "image/", 6) == 0 && strstr(f->techmd, "\"width\"") &&
	       strcmp(f->role, "poster") != 0 && strcmp(f->derivative, "contact-sheet") != 0 &&
	       strcmp(f->derivative, "poster") != 0;
}

/* forms writes the forms that add to this record; kind: the one whose
 * values were submitted (re-shown after a refusal), or NULL. */
static void forms(struct req *rq, const char *type, const char *slug, const struct files *fl,
		  const char *kind)
{
	struct buf *b = &rq->body;
	bool images = false;
	/* the upload form sends the browser back here with ?upload=ID */
	const char *back_upload = req_arg(rq, "upload");
	char back[200];

	snprintf(back, sizeof back, "/%s/%s", type, slug);
	if (back_upload && (strlen(back_upload) != 32 || strspn(back_upload, "0123456789abcdef") != 32))
		back_upload = NULL;

	for (int i = 0; fl && i < fl->n; i++)
		images |= is_page_image(&fl->f[i]);
	if (strcmp(type, "work") == 0) {
		html_printf(b, "<details class=\"contribute\"%s><summary>%s</summary>\n"
			    "<form class=\"edit contrib-time\" method=\"post\" action=\"/contribute/%p\">\n"
			    "<input type=\"hidden\" name=\"kind\" value=\"time\">\n"
			    "<p class=\"meta\" id=\"ct-hint\">%s</p>\n"
			    "<label for=\"ct-start\">%s<input id=\"ct-start\" name=\"start\" value=\"%s\" "
			    "size=\"10\" required aria-describedby=\"ct-hint\"></label>\n"
			    "<p><button type=\"button\" class=\"now\" data-field=\"start\" hidden>%s</button></p>\n"
			    "<label for=\"ct-end\">%s<input id=\"ct-end\" name=\"end\" value=\"%s\" size=\"10\" "
			    "aria-describedby=\"ct-hint\"></label>\n"
			    "<p><button type=\"button\" class=\"now\" data-field=\"end\" hidden>%s</button></p>\n",
			    kind && strcmp(kind, "time") == 0 ? " open" : "", T(rq, MSG_CONTRIB_ADD_TIME),
			    slug, T(rq, MSG_CONTRIB_HINT_TIME), T(rq, MSG_CONTRIB_START),
			    kind && strcmp(kind, "time") == 0 ? form_or(rq, "start", "") : "",
			    T(rq, MSG_CONTRIB_NOW), T(rq, MSG_CONTRIB_END),
			    kind && strcmp(kind, "time") == 0 ? form_or(rq, "end", "") : "",
			    T(rq, MSG_CONTRIB_NOW));
		common_fields(rq, "ct");
		html_raw(b, "</form>\n</details>\n");
	}
	if (strcmp(type, "document") == 0 && images) {
		const char *chosen = form_or(rq, "file", "");
		html_printf(b, "<details class=\"contribute\"%s><summary>%s</summary>\n"
			    "<form class=\"edit contrib-region\" method=\"post\" action=\"/contribute/%p\">\n"
			    "<input type=\"hidden\" name=\"kind\" value=\"region\">\n"
			    "<label>%s <select name=\"file\">",
			    kind && strcmp(kind, "region") == 0 ? " open" : "",
			    T(rq, MSG_CONTRIB_ADD_REGION), slug, T(rq, MSG_CONTRIB_PAGE_IMAGE));
		for (int i = 0; i < fl->n; i++)
			if (is_page_image(&fl->f[i]))
				html_printf(b, "<option value=\"%s\"%s>%s</option>", fl->f[i].id,
					    strcmp(chosen, fl->f[i].id) == 0 ? " selected" : "",
					    *fl->f[i].name ? fl->f[i].name : fl->f[i].id);
		html_printf(b, "</select></label>\n<p class=\"meta\" id=\"cr-hint\">%s</p>\n"
			    "<label for=\"cr-xywh\">%s<input id=\"cr-xywh\" name=\"xywh\" value=\"%s\" "
			    "required aria-describedby=\"cr-hint\"></label>\n",
			    T(rq, MSG_CONTRIB_HINT_XYWH), T(rq, MSG_CONTRIB_XYWH),
			    kind && strcmp(kind, "region") == 0 ? form_or(rq, "xywh", "") : "");
		common_fields(rq, "cr");
		html_raw(b, "</form>\n</details>\n<script src=\"/static/contrib.js\" defer></script>\n");
	}
	html_printf(b, "<details class=\"contribute\"%s><summary>%s</summary>\n"
		    "<form class=\"edit contrib-testimony\" method=\"post\" action=\"/contribute/%p\">\n"
		    "<input type=\"hidden\" name=\"kind\" value=\"testimony\">\n"
		    "<label for=\"cy-links\">%s<textarea id=\"cy-links\" name=\"links\" rows=\"2\">%s"
		    "</textarea></label>\n<p class=\"meta\" id=\"cy-rec-hint\">%s</p>\n"
		    "<p><a href=\"/upload?return=%u\">%s</a></p>\n"
		    "<label for=\"cy-upload\">%s<input id=\"cy-upload\" name=\"upload\" value=\"%s\" "
		    "size=\"34\" aria-describedby=\"cy-rec-hint\"></label>\n",
		    (kind && strcmp(kind, "testimony") == 0) || back_upload ? " open" : "",
		    T(rq, MSG_CONTRIB_ADD_TESTIMONY), slug, T(rq, MSG_CONTRIB_LINKS),
		    kind && strcmp(kind, "testimony") == 0 ? form_or(rq, "links", "") : "",
		    T(rq, MSG_CONTRIB_HINT_RECORDING), back, T(rq, MSG_CONTRIB_UPLOAD_LINK),
		    T(rq, MSG_CONTRIB_RECORDING),
		    kind && strcmp(kind, "testimony") == 0 ? form_or(rq, "upload", "") :
		    back_upload ? back_upload : "");
	common_fields(rq, "cy");
	html_raw(b, "</form>\n</details>\n");
}

/* image_size reads a page image's width and height from its technical
 * metadata (its first stream's); false when unknown. */
static bool image_size(const struct file *f, long long *w, long long *h)
{
	json_t *root = json_loads(f->techmd, 0, NULL);
	json_t *s0 = json_array_get(json_object_get(root, "streams"), 0);

	*w = json_integer_value(json_object_get(s0, "width"));
	*h = json_integer_value(json_object_get(s0, "height"));
	json_decref(root);
	return *w > 0 && *h > 0;
}

/* regions writes each page image that has published region notes the
 * principal may read, with a rectangle over each (an SVG drawing over the
 * image, so it scales with it and needs no script): each a link to its
 * note, titled with its text. */
static int regions(struct req *rq, const struct files *fl)
{
	struct buf *b = &rq->body;

	for (int i = 0; fl && i < fl->n; i++) {
		const struct file *f = &fl->f[i];
		sqlite3_stmt *st;
		long long w, h;
		int n = 0, rc = 0;

		if (!is_page_image(f) || !image_size(f, &w, &h))
			continue;
		st = cq_of_file(rq->db, f->id);
		while (st && (rc = db_step(rq->db, st)) == 1) {
			const char *who = db_text_or_null(st, CQ_ATTRIBUTION_TEXT);
			size_t len = str_utf8_prefix(db_text(st, CQ_BODY), 140);
			if (n++ == 0)
				html_printf(b, "<figure class=\"page-regions\">\n<svg viewBox=\"0 0 %lld %lld\" "
					    "role=\"group\" aria-labelledby=\"page-%s\">\n<image href=\"/media/%p\" "
					    "width=\"%lld\" height=\"%lld\"/>\n", w, h, f->id, f->id, w, h);
			html_printf(b, "<a href=\"#memory-%s\"><rect x=\"%lld\" y=\"%lld\" width=\"%lld\" "
				    "height=\"%lld\"><title>%s: ", db_text(st, CQ_ID),
				    sqlite3_column_int64(st, CQ_X), sqlite3_column_int64(st, CQ_Y),
				    sqlite3_column_int64(st, CQ_W), sqlite3_column_int64(st, CQ_H),
				    who ? who : T(rq, MSG_CONTRIB_ANONYMOUS));
			html_textn(b, db_text(st, CQ_BODY), len);
			html_raw(b, "</title></rect></a>\n");
		}
		if (st)
			sqlite3_reset(st);
		if (!st || rc < 0)
			return -1;
		if (n)
			html_printf(b, "</svg>\n<figcaption id=\"page-%s\">%s %s</figcaption>\n</figure>\n",
				    f->id, T(rq, MSG_CONTRIB_PAGE_IMAGE), *f->name ? f->name : f->id);
	}
	return 0;
}

void contrib_section(struct req *rq, const char *record_id, const char *type, const char *slug,
		     const struct files *fl)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st = cq_on_record(rq->db, record_id, rq->lang);
	int n = 0, rc = 0;

	html_printf(b, "<section class=\"memories\" id=\"memories\">\n<h2>%s</h2>\n", T(rq, MSG_CONTRIB_TITLE));
	while (st && (rc = db_step(rq->db, st)) == 1) {
		if (n++ == 0)
			html_raw(b, "<ul class=\"plain memories\">\n");
		show(rq, st, false);
		html_raw(b, "</li>\n");
	}
	if (st)
		sqlite3_reset(st);
	if (!st || rc < 0) {
		b->err = ERR_DB;	/* the page fails whole, never shows half */
		return;
	}
	if (n)
		html_raw(b, "</ul>\n");
	else
		html_printf(b, "<p class=\"meta\">%s</p>\n", T(rq, MSG_CONTRIB_NONE));
	if (strcmp(type, "document") == 0 && n && regions(rq, fl)) {
		b->err = ERR_DB;
		return;
	}
	if (policy_can_contribute(&rq->principal))
		forms(rq, type, slug, fl, NULL);
	html_raw(b, "</section>\n");
}

/* ---- POST /contribute/SLUG ---------------------------------------------------- */

/* author_actor: how the audit log names the author of a contribution:
 * never the account of an anonymous one. */
static const char *author_actor(const struct req *rq, const char *attribution)
{
	return attribution && strcmp(attribution, "anonymous") == 0 ? "anonymous contributor" :
	       rq->principal.name;
}

/* refused answers 422 with the reason and the form again, filled in. */
static int refused(struct req *rq, const char *type, const char *slug, const char *label,
		   const char *record_id, const char *kind, enum contrib_problem why)
{
	struct files fl = {0};

	buf_reset(&rq->body);
	layout_begin(rq, label, NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n<p class=\"error\" role=\"alert\">%s %s</p>\n",
		    label, T(rq, MSG_CONTRIB_REFUSED), problem(rq, why));
	if (files_load(rq, record_id, &fl) == 0)
		forms(rq, type, slug, &fl, kind);
	files_free(&fl);
	layout_end(rq);
	return 422;
}

/* readable_record: the id, type and label of a record the principal may
 * read, by slug. 1 found, 0 not (or not readable), < 0 error. */
static int readable_record(struct req *rq, const char *slug, char id[UUID_STR_LEN + 1],
			   char type[16], char *label, size_t nlabel)
{
	sqlite3_stmt *st = q_record(rq->db, NULL, slug, rq->lang);
	int rc = st ? db_step(rq->db, st) : ERR_DB;

	if (rc == 1) {
		snprintf(id, UUID_STR_LEN + 1, "%s", db_text(st, QR_ID));
		snprintf(type, 16, "%s", db_text(st, QR_TYPE));
		if (label)
			snprintf(label, nlabel, "%s", db_text(st, QR_LABEL));
	}
	if (st)
		sqlite3_reset(st);
	return rc;
}

/* recording takes the principal's finished upload (the tus id the form
 * names) and ingests it as the recording of a testimony on record_id:
 * claimed, ingested (role testimony, private until published), released.
 * Returns 0 with file_out, ERR_INVALID with *why (no such upload of
 * theirs, not audio or video), or another ERR_* (the upload released). */
static int recording(struct req *rq, const char *record_id, const char *upload, const char *actor,
		     char file_out[UUID_STR_LEN + 1], enum contrib_problem *why)
{
	char path[ARCHIVE_PATH_MAX], name[UPLOAD_NAME_MAX + 1], type[UPLOAD_TYPE_MAX + 1], err[1024];
	struct store *s = NULL;
	int rc;

	rc = upload_claim(rq->db, rq->archive, rq->principal.user_id, upload, path, sizeof path,
			  name, sizeof name, type, sizeof type);
	if (rc == ERR_NOTFOUND || rc == ERR_TOOBIG) {
		*why = CP_UPLOAD;
		return ERR_INVALID;
	}
	if (rc)
		return rc;
	if (strncmp(type, "audio/", 6) != 0 && strncmp(type, "video/", 6) != 0) {
		upload_release(rq->db, rq->archive, upload);
		*why = CP_UPLOAD_TYPE;
		return ERR_INVALID;
	}
	rc = store_open(rq->archive->dir, &s);
	if (rc == 0)
		rc = contrib_add_recording(rq->db, s, record_id, path, actor, file_out, err, sizeof err);
	else
		snprintf(err, sizeof err, "cannot open the object store");
	if (rc)
		fprintf(stderr, "cinemateca: a testimony's recording was not stored: %s\n", err);
	store_close(s);
	upload_release(rq->db, rq->archive, upload);
	return rc;
}

/* forget_recording deletes a recording ingested for a contribution that
 * was then refused, unless another contribution holds the same file. */
static void forget_recording(struct req *rq, const char *file_id, const char *actor)
{
	struct store *s = NULL;
	char err[1024];
	int users = 1;

	if (cq_recording_users(rq->db, file_id, &users) || users > 0 ||
	    store_open(rq->archive->dir, &s) ||
	    contrib_delete_recording(rq->db, s, file_id, actor, err, sizeof err))
		fprintf(stderr, "cinemateca: a refused testimony's recording %s stays (users %d)\n",
			file_id, users);
	store_close(s);
}

int page_contribute(struct req *rq)
{
	char id[UUID_STR_LEN + 1], type[16], label[512], new_id[UUID_STR_LEN + 1];
	const char *kind = req_form(rq, "kind"), *links_in = req_form(rq, "links");
	const char *links[CONTRIB_LINKS_MAX + 1];
	char link_ids[CONTRIB_LINKS_MAX + 1][UUID_STR_LEN + 1];
	enum contrib_problem why = CP_OK;
	struct cq_new c = {0};
	char *copy = NULL;
	int nlinks = 0, rc;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	if (!policy_can_contribute(&rq->principal))
		return req_fail(rq, 403, NULL);
	if (db_read_begin(rq->db))
		return req_fail(rq, 500, NULL);
	rc = readable_record(rq, rq->slug, id, type, label, sizeof label);
	db_read_end(rq->db);
	if (rc != 1)
		return req_fail(rq, rc == 0 ? 404 : 500, NULL);
	c.kind = kind;
	c.record_id = id;
	c.start_ms = c.end_ms = -1;
	c.motivation = req_form(rq, "motivation");
	c.body = req_form(rq, "body");
	c.lang = req_form(rq, "lang");
	c.attribution = req_form(rq, "attribution");
	c.attribution_text = req_form(rq, "attribution_text");
	c.consent = req_form(rq, "consent");
	c.user_id = rq->principal.user_id;
	if (!contrib_in(contrib_kinds, kind))
		return refused(rq, type, rq->slug, label, id, NULL, CP_KIND);
	if (strcmp(kind, "time") == 0) {
		const char *end = req_form(rq, "end");
		if (strcmp(type, "work") != 0)
			return refused(rq, type, rq->slug, label, id, kind, CP_KIND);
		if ((c.start_ms = contrib_parse_time(req_form(rq, "start"))) < 0)
			return refused(rq, type, rq->slug, label, id, kind, CP_START);
		if (end && *end && (c.end_ms = contrib_parse_time(end)) < 0)
			return refused(rq, type, rq->slug, label, id, kind, CP_END);
	} else if (strcmp(kind, "region") == 0) {
		long long v[4];
		if (strcmp(type, "document") != 0)
			return refused(rq, type, rq->slug, label, id, kind, CP_KIND);
		c.file_id = req_form(rq, "file");
		if (!c.file_id || !*c.file_id)
			return refused(rq, type, rq->slug, label, id, kind, CP_FILE);
		if (contrib_parse_xywh(req_form(rq, "xywh"), v))
			return refused(rq, type, rq->slug, label, id, kind, CP_XYWH);
		c.x = v[0], c.y = v[1], c.w = v[2], c.h = v[3];
	} else if (links_in && *links_in) {
		/* the other records, one slug a line, each readable */
		char *line, *save = NULL;
		if (!(copy = strdup(links_in)))
			return req_fail(rq, 500, NULL);
		if (db_read_begin(rq->db)) {
			free(copy);
			return req_fail(rq, 500, NULL);
		}
		for (line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
			char ltype[16];
			while (*line == ' ')
				line++;
			for (size_t k = strlen(line); k > 0 && line[k - 1] == ' '; k--)
				line[k - 1] = '\0';
			if (!*line)
				continue;
			if (nlinks == CONTRIB_LINKS_MAX) {
				why = CP_TOO_MANY_LINKS;
				break;
			}
			rc = str_slug_valid(line) ? readable_record(rq, line, link_ids[nlinks], ltype,
								     NULL, 0) : 0;
			if (rc != 1) {
				why = CP_LINK;
				break;
			}
			links[nlinks] = link_ids[nlinks];
			nlinks++;
		}
		db_read_end(rq->db);
		free(copy);
		if (why != CP_OK)
			return refused(rq, type, rq->slug, label, id, kind, why);
	}
	/* the region's page image is checked against what the principal may
	 * read inside contrib_add's own transaction */
	const char *upload = req_form(rq, "upload");
	char file_id[UUID_STR_LEN + 1] = "";
	if (strcmp(kind, "testimony") == 0 && upload && *upload) {
		if (db_read_begin(rq->db))
			return req_fail(rq, 500, NULL);
		rc = contrib_check(rq->db, &c, nlinks, &why);
		db_read_end(rq->db);
		if (rc == ERR_INVALID)
			return refused(rq, type, rq->slug, label, id, kind, why);
		if (rc)
			return req_fail(rq, 500, NULL);
		if ((rc = recording(rq, id, upload, author_actor(rq, c.attribution), file_id, &why)))
			return rc == ERR_INVALID ? refused(rq, type, rq->slug, label, id, kind, why) :
			       req_fail(rq, rc == ERR_BUSY ? 503 : 500, NULL);
		c.recording_file_id = file_id;
	}
	rc = contrib_add(rq->db, &c, links, nlinks, author_actor(rq, c.attribution), new_id, &why);
	if (rc && *file_id)
		forget_recording(rq, file_id, author_actor(rq, c.attribution));
	if (rc == ERR_INVALID)
		return refused(rq, type, rq->slug, label, id, kind, why);
	if (rc)
		return req_fail(rq, rc == ERR_BUSY ? 503 : 500, NULL);
	return req_redirect(rq, "/my/contributions");
}

/* ---- /my/contributions ---------------------------------------------------------- */

int page_my(struct req *rq)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	int n = 0, rc = 0;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	layout_begin(rq, T(rq, MSG_MY_TITLE), NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n", T(rq, MSG_MY_TITLE), T(rq, MSG_MY_INTRO));
	st = cq_mine(rq->db, rq->principal.user_id, rq->lang);
	while (st && (rc = db_step(rq->db, st)) == 1) {
		const char *cid = db_text(st, CQ_ID), *state = db_text(st, CQ_STATE);
		if (n++ == 0)
			html_raw(b, "<ul class=\"plain memories\">\n");
		if (!sqlite3_column_int(st, CQ_RECORD_READABLE)) {
			/* the record is no longer the author's to read: only its own words */
			html_printf(b, "<li class=\"memory\" id=\"memory-%s\">\n<p class=\"meta\">%s %s</p>\n"
				    "<blockquote lang=\"%s\">", cid, i18n_term(rq, db_text(st, CQ_KIND)),
				    T(rq, MSG_MY_UNREADABLE), db_text(st, CQ_LANG));
			html_paragraphs(b, db_text(st, CQ_BODY));
			html_raw(b, "</blockquote>\n");
		} else {
			show(rq, st, true);
		}
		html_printf(b, "<p>%s: <strong class=\"state-%s\">%s</strong>", T(rq, MSG_MY_STATE), state,
			    i18n_term(rq, state));
		if (db_text_or_null(st, CQ_HIDDEN_REASON))
			html_printf(b, " · %s: %s", T(rq, MSG_MY_REASON), db_text(st, CQ_HIDDEN_REASON));
		html_raw(b, "</p>\n");
		if (strcmp(state, "pending") == 0) {
			html_printf(b, "<form class=\"edit\" method=\"post\" action=\"/my/contributions/edit/%s\">\n"
				    "<label for=\"e-%s\">%s<textarea id=\"e-%s\" name=\"body\" rows=\"3\" "
				    "required>%s</textarea></label>\n<label>%s ", cid, cid,
				    T(rq, MSG_CONTRIB_TEXT), cid, db_text(st, CQ_BODY),
				    T(rq, MSG_CONTRIB_MOTIVATION));
			html_printf(b, "<select name=\"motivation\">");
			for (int i = 0; contrib_motivations[i]; i++)
				html_printf(b, "<option value=\"%s\"%s>%s</option>", contrib_motivations[i],
					    strcmp(contrib_motivations[i], db_text(st, CQ_MOTIVATION)) == 0 ?
					    " selected" : "", i18n_term(rq, contrib_motivations[i]));
			html_printf(b, "</select></label>\n<label>%s <input name=\"lang\" value=\"%s\" "
				    "size=\"8\" required></label>\n<label>%s <select name=\"consent\">"
				    "<option value=\"public\"%s>%s</option><option value=\"community\"%s>%s"
				    "</option></select></label>\n<input type=\"hidden\" name=\"csrf\" "
				    "value=\"%s\">\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
				    T(rq, MSG_CONTRIB_LANG), db_text(st, CQ_LANG), T(rq, MSG_CONTRIB_CONSENT),
				    strcmp(db_text(st, CQ_CONSENT), "public") == 0 ? " selected" : "",
				    T(rq, MSG_CONTRIB_CONSENT_PUBLIC),
				    strcmp(db_text(st, CQ_CONSENT), "public") != 0 ? " selected" : "",
				    T(rq, MSG_CONTRIB_CONSENT_COMMUNITY), rq->csrf, T(rq, MSG_MY_SAVE));
		}
		html_printf(b, "<form method=\"post\" action=\"/my/contributions/withdraw/%s\">"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><button type=\"submit\">%s"
			    "</button></form>\n</li>\n", cid, rq->csrf, T(rq, MSG_MY_WITHDRAW));
	}
	if (st)
		sqlite3_reset(st);
	if (!st || rc < 0) {
		buf_reset(b);
		return req_fail(rq, 500, NULL);
	}
	if (n)
		html_raw(b, "</ul>\n");
	else
		html_printf(b, "<p>%s</p>\n", T(rq, MSG_MY_NONE));
	layout_end(rq);
	return 200;
}

/* simple_page answers status with a heading and one line (a refusal). */
static int simple_page(struct req *rq, int status, const char *title, const char *line)
{
	buf_reset(&rq->body);
	layout_begin(rq, title, NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n<p class=\"error\" role=\"alert\">%s</p>\n", title, line);
	layout_end(rq);
	return status;
}

/* own: is contribution id the principal's? 1 yes (attribution copied), 0 no, < 0 error. */
static int own(struct req *rq, const char *id, char attribution[16])
{
	sqlite3_stmt *st;
	int rc;

	if (!uuid_valid(id))
		return 0;
	if (db_read_begin(rq->db))
		return ERR_DB;
	st = cq_get(rq->db, id, rq->lang, &rc);
	if (st) {
		rc = sqlite3_column_int64(st, CQ_USER_ID) == rq->principal.user_id;
		snprintf(attribution, 16, "%s", db_text(st, CQ_ATTRIBUTION));
		sqlite3_reset(st);
	}
	db_read_end(rq->db);
	return rc;
}

int page_my_edit(struct req *rq)
{
	char attribution[16];
	enum contrib_problem why = CP_OK;
	int rc;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	rc = own(rq, rq->slug, attribution);
	if (rc != 1)
		return req_fail(rq, rc == 0 ? 404 : 500, NULL);
	rc = contrib_edit_own(rq->db, rq->slug, rq->principal.user_id, req_form(rq, "body"),
			      req_form(rq, "motivation"), req_form(rq, "lang"), req_form(rq, "consent"),
			      author_actor(rq, attribution), &why);
	if (rc == ERR_INVALID)
		return simple_page(rq, 422, T(rq, MSG_MY_TITLE), problem(rq, why));
	if (rc)
		return req_fail(rq, rc == ERR_BUSY ? 503 : 500, NULL);
	return req_redirect(rq, "/my/contributions");
}

int page_my_withdraw(struct req *rq)
{
	char attribution[16], recording[UUID_STR_LEN + 1];
	int rc;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	rc = own(rq, rq->slug, attribution);
	if (rc != 1)
		return req_fail(rq, rc == 0 ? 404 : 500, NULL);
	rc = contrib_withdraw(rq->db, rq->slug, author_actor(rq, attribution), recording);
	if (rc)
		return req_fail(rq, rc == ERR_NOTFOUND ? 404 : rc == ERR_BUSY ? 503 : 500, NULL);
	if (*recording) {
		/* after the withdrawal's commit: its recording's bytes leave the store */
		struct store *s = NULL;
		char err[1024];
		if (store_open(rq->archive->dir, &s) ||
		    contrib_delete_recording(rq->db, s, recording, author_actor(rq, attribution), err,
					     sizeof err)) {
			store_close(s);
			rq->cause = "the withdrawn testimony's recording could not be deleted";
			return req_fail(rq, 500, NULL);
		}
		store_close(s);
	}
	return req_redirect(rq, "/my/contributions");
}

/* ---- /moderate -------------------------------------------------------------------- */

int page_moderate(struct req *rq)
{
	struct buf *b = &rq->body;
	const char *state = req_arg(rq, "state");
	sqlite3_stmt *st;
	int n = 0, rc = 0;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	if (!policy_can_moderate_some(&rq->principal))
		return req_fail(rq, 403, NULL);
	if (state && !contrib_in(contrib_states, state))
		return req_fail(rq, 400, NULL);
	layout_begin(rq, T(rq, MSG_MOD_TITLE), NULL);
	html_printf(b, "<h1>%s</h1>\n<p class=\"lede\">%s</p>\n<nav class=\"pages\">",
		    T(rq, MSG_MOD_TITLE), T(rq, MSG_MOD_INTRO));
	if (state)
		html_printf(b, "<a href=\"/moderate\">%s</a>", T(rq, MSG_MOD_ALL));
	else
		html_printf(b, "<a href=\"/moderate\" aria-current=\"page\">%s</a>", T(rq, MSG_MOD_ALL));
	for (int i = 0; contrib_states[i]; i++) {
		if (state && strcmp(state, contrib_states[i]) == 0)
			html_printf(b, " <a href=\"/moderate?state=%s\" aria-current=\"page\">%s</a>",
				    contrib_states[i], i18n_term(rq, contrib_states[i]));
		else
			html_printf(b, " <a href=\"/moderate?state=%s\">%s</a>", contrib_states[i],
				    i18n_term(rq, contrib_states[i]));
	}
	html_raw(b, "</nav>\n");
	st = cq_queue(rq->db, state, QUEUE_MAX + 1, rq->lang);
	while (st && (rc = db_step(rq->db, st)) == 1) {
		const char *cid = db_text(st, CQ_ID);
		if (n == QUEUE_MAX) {
			html_printf(b, "</ul>\n<p>%s</p>\n", T(rq, MSG_NEXT));
			n++;
			break;
		}
		if (n++ == 0)
			html_raw(b, "<ul class=\"plain memories\">\n");
		show(rq, st, true);
		html_printf(b, "<p>%s: <strong>%s</strong> · %s", T(rq, MSG_MY_STATE),
			    i18n_term(rq, db_text(st, CQ_STATE)), i18n_term(rq, db_text(st, CQ_CONSENT)));
		if (db_text_or_null(st, CQ_HIDDEN_REASON))
			html_printf(b, " · %s: %s", T(rq, MSG_MY_REASON), db_text(st, CQ_HIDDEN_REASON));
		html_raw(b, "</p>\n");
		html_printf(b, "<form method=\"post\" action=\"/moderate/%s\"><input type=\"hidden\" "
			    "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"action\" "
			    "value=\"publish\"><button type=\"submit\">%s</button></form>\n"
			    "<form class=\"edit\" method=\"post\" action=\"/moderate/%s\"><input type=\"hidden\" "
			    "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"hide\">"
			    "<label for=\"r-%s\">%s<input id=\"r-%s\" name=\"reason\" required></label>"
			    "<p><button type=\"submit\">%s</button></p></form>\n"
			    "<form class=\"edit\" method=\"post\" action=\"/moderate/%s\"><input type=\"hidden\" "
			    "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"edit\">"
			    "<label for=\"b-%s\">%s<textarea id=\"b-%s\" name=\"body\" rows=\"3\" required>%s"
			    "</textarea></label><label for=\"n-%s\">%s<input id=\"n-%s\" name=\"note\" "
			    "required></label><p><button type=\"submit\">%s</button></p></form>\n</li>\n",
			    cid, rq->csrf, T(rq, MSG_MOD_PUBLISH), cid, rq->csrf, cid, T(rq, MSG_MY_REASON),
			    cid, T(rq, MSG_MOD_HIDE), cid, rq->csrf, cid, T(rq, MSG_CONTRIB_TEXT), cid,
			    db_text(st, CQ_BODY), cid, T(rq, MSG_MOD_NOTE), cid, T(rq, MSG_MOD_EDIT));
	}
	if (st)
		sqlite3_reset(st);
	if (!st || rc < 0) {
		buf_reset(b);
		return req_fail(rq, 500, NULL);
	}
	if (n && n <= QUEUE_MAX)
		html_raw(b, "</ul>\n");
	else if (!n)
		html_printf(b, "<p>%s</p>\n", T(rq, MSG_MOD_NONE));
	layout_end(rq);
	return 200;
}

int page_moderate_act(struct req *rq)
{
	const char *action = req_form(rq, "action");
	enum contrib_problem why = CP_OK;
	sqlite3_stmt *st;
	int rc, may = 0;

	if (!rq->principal.user_id)
		return router_login_redirect(rq);
	if (!policy_can_moderate_some(&rq->principal))
		return req_fail(rq, 403, NULL);
	if (!uuid_valid(rq->slug))
		return req_fail(rq, 404, NULL);
	if (db_read_begin(rq->db))
		return req_fail(rq, 500, NULL);
	st = cq_get(rq->db, rq->slug, rq->lang, &rc);
	if (st) {
		may = sqlite3_column_int(st, CQ_RECORD_READABLE);
		sqlite3_reset(st);
	}
	db_read_end(rq->db);
	if (rc < 0)
		return req_fail(rq, 500, NULL);
	if (rc == 0 || !may)
		return req_fail(rq, 404, NULL);	/* what one does not moderate is not there */
	if (action && strcmp(action, "publish") == 0)
		rc = contrib_publish(rq->db, rq->slug, rq->principal.name);
	else if (action && strcmp(action, "hide") == 0)
		rc = contrib_hide(rq->db, rq->slug, req_form(rq, "reason"), rq->principal.name, &why);
	else if (action && strcmp(action, "edit") == 0)
		rc = contrib_edit(rq->db, rq->slug, req_form(rq, "body"), req_form(rq, "note"),
				  rq->principal.name, &why);
	else
		return req_fail(rq, 400, NULL);
	if (rc == ERR_INVALID)
		return simple_page(rq, 422, T(rq, MSG_MOD_TITLE), problem(rq, why));
	if (rc)
		return req_fail(rq, rc == ERR_NOTFOUND ? 404 : rc == ERR_BUSY ? 503 : 500, NULL);
	return req_redirect(rq, "/moderate");
}
