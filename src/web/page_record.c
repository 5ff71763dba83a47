/* page_record.c: the page of one catalogue record, any type: /work/SLUG,
 * /document/SLUG, /agent/SLUG, /place/SLUG, /event/SLUG, /collection/SLUG,
 * /subject/SLUG.
 *
 * Reads top to bottom: find the record (404 if none of that type), then
 * heading and other titles, facts of its type, description, credits,
 * manifestations, transcription, and every linked record grouped by type. */
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "access/policy.h"
#include "db/db.h"
#include "db/iiif_q.h"
#include "db/read_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "interop/jsonld.h"
#include "i18n.h"
#include "files_section.h"
#include "page_contrib.h"
#include "labels_section.h"
#include "layout.h"
#include "player.h"

#define MAX_LINKS 2000	/* links listed on one page */

/* One linked record, copied out of the statement that found it. */
struct link {
	char *kind, *slug, *type, *label, *date;
	bool is_credit, outgoing;
};

static const char *const type_order[] = {
	"work", "document", "agent", "place", "event", "collection", "subject", NULL};

static char *dup(const char *s)
{
	return strdup(s ? s : "");
}

/* collect appends the rows of a q_links_* statement to links. */
static int collect(struct req *rq, sqlite3_stmt *st, bool outgoing, struct link *links, int *n)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(rq->db, st)) == 1 && *n < MAX_LINKS) {
		struct link *l = &links[(*n)++];
		l->kind = dup(db_text(st, QL_KIND));
		l->slug = dup(db_text(st, QL_SLUG));
		l->type = dup(db_text(st, QL_TYPE));
		l->label = dup(db_text(st, QL_LABEL));
		l->date = dup(db_text(st, QL_DATE));
		l->is_credit = sqlite3_column_int(st, QL_IS_CREDIT);
		l->outgoing = outgoing;
		if (!l->kind || !l->slug || !l->type || !l->label || !l->date)
			return -1;
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

/* show_kind says whether a link's kind adds anything beside the record
 * (a role does; "part of" under Collections does not). */
static bool show_kind(const struct link *l)
{
	return l->is_credit || strcmp(l->kind, "depicts") == 0 || strcmp(l->kind, "about") == 0 ||
	       strcmp(l->kind, "mentions") == 0 || strcmp(l->kind, "participant") == 0;
}

/* shown_as_credit: a record's own credits have their section above. */
static bool shown_as_credit(const struct link *l)
{
	return l->is_credit && l->outgoing;
}

static void render_links(struct req *rq, struct link *links, int n)
{
	struct buf *b = &rq->body;

	for (const char *const *t = type_order; *t; t++) {
		bool open = false;

		for (int i = 0; i < n; i++) {
			struct link *l = &links[i];
			bool seen = false;

			if (strcmp(l->type, *t) != 0 || shown_as_credit(l))
				continue;
			/* one line per record, its kinds together */
			for (int k = 0; k < i; k++)
				if (!shown_as_credit(&links[k]) && strcmp(links[k].slug, l->slug) == 0)
					seen = true;
			if (seen)
				continue;
			if (!open) {
				html_printf(b, "<section>\n<h2>%s</h2>\n<ul class=\"plain\">\n",
					    i18n_plural(rq, *t));
				open = true;
			}
			html_raw(b, "<li>");
			layout_record_link(rq, l->type, l->slug, l->label);
			if (*l->date && strcmp(l->type, "agent") != 0) {
				html_raw(b, " <span class=\"meta\">");
				layout_date(rq, l->date, NULL);
				html_raw(b, "</span>");
			}
			bool first = true;
			for (int k = i; k < n; k++) {
				if (strcmp(links[k].slug, l->slug) != 0 || !show_kind(&links[k]) ||
				    shown_as_credit(&links[k]))
					continue;
				if (first)
					html_raw(b, " <span class=\"meta\">(");
				else
					html_raw(b, ", ");
				html_text(b, i18n_term(rq, links[k].kind));
				first = false;
			}
			if (!first)
				html_raw(b, ")</span>");
			html_raw(b, "</li>\n");
		}
		if (open)
			html_raw(b, "</ul>\n</section>\n");
	}
}

static void free_links(struct link *links, int n)
{
	for (int i = 0; i < n; i++) {
		free(links[i].kind);
		free(links[i].slug);
		free(links[i].type);
		free(links[i].label);
		free(links[i].date);
	}
	free(links);
}

static void fact(struct req *rq, enum msg label, const char *value)
{
	if (value && *value)
		html_printf(&rq->body, "<dt>%s</dt><dd>%s</dd>\n", T(rq, label), value);
}

static void work_facts(struct req *rq, const char *id)
{
	sqlite3_stmt *st = q_work(rq->db, id);
	struct buf *b = &rq->body;

	if (!st || db_step(rq->db, st) != 1)
		return;
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		long long secs = sqlite3_column_int64(st, 2);
		html_printf(b, "<dt>%s</dt><dd>%lld %s</dd>\n", T(rq, MSG_DURATION),
			    (secs + 30) / 60, T(rq, MSG_MINUTES));
	}
	fact(rq, MSG_COUNTRY, db_text(st, 1));
	fact(rq, MSG_LANGUAGE, db_text(st, 0));
	if (db_text_or_null(st, 3)) {
		/* forms is a JSON array of strings; show it without the JSON */
		const char *p = db_text(st, 3);
		html_printf(b, "<dt>%s</dt><dd>", T(rq, MSG_FORMS));
		bool in = false, first = true;
		const char *start = NULL;
		for (; *p; p++) {
			if (*p == '\\' && in && p[1]) {
				p++;
				continue;
			}
			if (*p == '"') {
				if (!in) {
					start = p + 1;
				} else {
					html_printf(b, "%s", first ? "" : ", ");
					html_textn(b, start, (size_t)(p - start));
					first = false;
				}
				in = !in;
			}
		}
		html_raw(b, "</dd>\n");
	}
	sqlite3_reset(st);
}

static void manifestations(struct req *rq, const char *id)
{
	static const enum msg cols[] = {MSG_M_KIND, MSG_M_FORMAT, MSG_M_GAUGE, MSG_M_COLOUR,
					MSG_M_SOUND, MSG_M_ASPECT, MSG_M_NOTES};
	sqlite3_stmt *st = q_manifestations(rq->db, id);
	struct buf *b = &rq->body;
	bool open = false;

	while (st && db_step(rq->db, st) == 1) {
		if (!open) {
			html_printf(b, "<section>\n<h2>%s</h2>\n<ul class=\"plain\">\n",
				    T(rq, MSG_MANIFESTATIONS));
			open = true;
		}
		html_raw(b, "<li class=\"card\"><dl class=\"facts\">");
		for (int i = 0; i < 7; i++)
			fact(rq, cols[i], db_text(st, i + 1));
		html_raw(b, "</dl></li>\n");
	}
	if (open)
		html_raw(b, "</ul>\n</section>\n");
}

static void type_facts(struct req *rq, const char *type, const char *id)
{
	sqlite3_stmt *st;

	if (strcmp(type, "work") == 0) {
		work_facts(rq, id);
	} else if (strcmp(type, "document") == 0 && (st = q_document(rq->db, id)) &&
		   db_step(rq->db, st) == 1) {
		if (*db_text(st, 0))
			fact(rq, MSG_DOC_TYPE, i18n_term(rq, db_text(st, 0)));
		fact(rq, MSG_PAGES, db_text(st, 1));
		sqlite3_reset(st);
	} else if (strcmp(type, "agent") == 0 && (st = q_agent(rq->db, id)) &&
		   db_step(rq->db, st) == 1) {
		fact(rq, MSG_AGENT_KIND, i18n_term(rq, db_text(st, 0)));
		sqlite3_reset(st);
	} else if (strcmp(type, "place") == 0 && (st = q_place(rq->db, id)) &&
		   db_step(rq->db, st) == 1) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			html_printf(&rq->body, "<dt>%s</dt><dd>%s, %s</dd>\n", T(rq, MSG_COORDINATES),
				    db_text(st, 0), db_text(st, 1));
		fact(rq, MSG_COUNTRY, db_text(st, 2));
		sqlite3_reset(st);
	}
}

/* original_lang copies the language the record was made in into out ("" when
 * unknown). */
static void original_lang(struct req *rq, const char *id, char *out, size_t size)
{
	sqlite3_stmt *st = q_original_lang(rq->db, id);

	out[0] = '\0';
	if (st && db_step(rq->db, st) == 1)
		snprintf(out, size, "%s", db_text(st, 0));
	if (st)
		sqlite3_reset(st);
}

/* heading writes the record's name (in the page's language when it has one)
 * with its language, marked when it is in another language. */
static void heading(struct req *rq, const char *id, const char *label, const char *orig)
{
	sqlite3_stmt *st = q_titles(rq->db, id);
	char lang[36] = "";
	bool original = false;

	while (st && db_step(rq->db, st) == 1) {
		if (strcmp(db_text(st, 0), label) == 0) {
			snprintf(lang, sizeof lang, "%s", db_text(st, 1));
			original = *lang && strcmp(lang, orig) == 0 && strcmp(db_text(st, 2), "translated") != 0;
			break;
		}
	}
	if (st)
		sqlite3_reset(st);
	html_raw(&rq->body, "<h1");
	if (*lang)
		html_printf(&rq->body, " lang=\"%s\"", lang);
	html_printf(&rq->body, ">%s", label);
	/* the original is marked when it stands in for the page's language */
	layout_lang_mark(rq, lang, original && strcmp(lang, rq->lang) != 0);
	html_raw(&rq->body, "</h1>\n");
}

static void other_titles(struct req *rq, const char *id, const char *shown, const char *orig)
{
	sqlite3_stmt *st = q_titles(rq->db, id);
	struct buf *b = &rq->body;
	bool open = false;

	while (st && db_step(rq->db, st) == 1) {
		const char *text = db_text(st, 0), *lang = db_text(st, 1), *kind = db_text(st, 2);
		if (strcmp(text, shown) == 0)
			continue;
		if (!open) {
			html_printf(b, "<dt>%s</dt><dd><ul class=\"plain\">", T(rq, MSG_OTHER_TITLES));
			open = true;
		}
		if (*lang) {
			bool original = strcmp(lang, orig) == 0 && strcmp(kind, "translated") != 0;
			html_printf(b, "<li><span lang=\"%s\">%s</span>", lang, text);
			if (*kind)
				html_printf(b, " <span class=\"meta\">%s</span>", i18n_term(rq, kind));
			layout_lang_mark(rq, lang, original);
			html_raw(b, "</li>");
		} else {
			html_printf(b, "<li>%s</li>", text);
		}
	}
	if (open)
		html_raw(b, "</ul></dd>\n");
}

/* description: the record's description in the page's language first
 * (else the first there is), then the others, folded, each with its
 * language and the original marked. */
static void description(struct req *rq, const char *id, const char *type, const char *orig)
{
	sqlite3_stmt *st = q_descriptions(rq->db, id, rq->lang);
	int n = 0;

	while (st && db_step(rq->db, st) == 1) {
		const char *lang = db_text(st, 1);
		bool original = *lang && strcmp(lang, orig) == 0;

		if (n == 0)
			html_printf(&rq->body, "<section>\n<h2>%s</h2>\n",
				    T(rq, strcmp(type, "work") == 0 ? MSG_SYNOPSIS : MSG_DESCRIPTION));
		else if (n == 1)
			html_printf(&rq->body, "<details class=\"other-langs\"><summary>%s</summary>\n",
				    T(rq, MSG_OTHER_LANGUAGES));
		if (n > 0 || strcmp(lang, rq->lang) != 0) {
			html_raw(&rq->body, "<p class=\"meta\">");
			layout_lang_mark(rq, *lang ? lang : NULL, original);
			html_raw(&rq->body, "</p>\n");
		}
		html_raw(&rq->body, "<div");
		if (*lang)
			html_printf(&rq->body, " lang=\"%s\"", lang);
		html_raw(&rq->body, ">");
		html_paragraphs(&rq->body, db_text(st, 0));
		html_raw(&rq->body, "</div>\n");
		n++;
	}
	if (st)
		sqlite3_reset(st);
	if (n > 1)
		html_raw(&rq->body, "</details>\n");
	if (n)
		html_raw(&rq->body, "</section>\n");
}

static void transcription(struct req *rq, const char *id)
{
	sqlite3_stmt *st = q_document(rq->db, id);

	if (st && db_step(rq->db, st) == 1 && db_text_or_null(st, 2)) {
		html_printf(&rq->body, "<section>\n<h2>%s</h2>\n<div class=\"transcription\">",
			    T(rq, MSG_TRANSCRIPTION));
		html_paragraphs(&rq->body, db_text(st, 2));
		html_raw(&rq->body, "</div>\n</section>\n");
	}
	if (st)
		sqlite3_reset(st);
}

/* iiif_link: the record's IIIF manifest, for a viewer elsewhere, when it
 * has one this reader may see (a film that plays, pages as images). */
static void iiif_link(struct req *rq, const char *id, const char *type)
{
	if (iq_has_manifest(rq->db, id, type) == 1)
		html_printf(&rq->body, "<p class=\"meta iiif\"><a href=\"/iiif/manifest/%s\" "
			    "type=\"application/ld+json\">%s</a></p>\n", rq->slug, T(rq, MSG_IIIF_MANIFEST));
}

/* rights_section: the rights statement in the visitor's language (else
 * the first there is), and the licence's address as a link. */
static void rights_section(struct req *rq, const char *id)
{
	sqlite3_stmt *st = q_rights_statements(rq->db, id, rq->lang);
	bool open = false;

	if (st && db_step(rq->db, st) == 1) {
		html_printf(&rq->body, "<section>\n<h2>%s</h2>\n<p", T(rq, MSG_RIGHTS));
		if (*db_text(st, 1) && strcmp(db_text(st, 1), rq->lang) != 0)
			html_printf(&rq->body, " lang=\"%s\"", db_text(st, 1));
		html_printf(&rq->body, ">%s", db_text(st, 0));
		layout_lang_mark(rq, db_text(st, 1), false);
		html_raw(&rq->body, "</p>\n");
		open = true;
	}
	if (st)
		sqlite3_reset(st);
	st = q_rights(rq->db, id);
	if (st && db_step(rq->db, st) == 1) {
		if (!open)
			html_printf(&rq->body, "<section>\n<h2>%s</h2>\n", T(rq, MSG_RIGHTS));
		html_printf(&rq->body, "<p class=\"meta\"><a rel=\"license\" href=\"%s\">%s</a></p>\n",
			    db_text(st, 0), db_text(st, 0));
		open = true;
	}
	if (st)
		sqlite3_reset(st);
	if (open)
		html_raw(&rq->body, "</section>\n");
}

int page_record(struct req *rq)
{
	sqlite3_stmt *st;
	struct link *links;
	struct files files = {0};
	char *id = NULL, *type = NULL, *label = NULL, *date = NULL, *date_end = NULL,
	     *source = NULL, *access = NULL;
	int n = 0, status = 200, rc;
	char orig[36];

	/* the route table's record type: /work/ answers works only */
	if (!rq->route_type)
		return req_fail(rq, 404, NULL);
	st = q_record(rq->db, rq->route_type, rq->slug, rq->lang);
	if (!st)
		return req_fail(rq, 500, NULL);
	rc = db_step(rq->db, st);
	if (rc != 1) {
		sqlite3_reset(st);
		return req_fail(rq, rc == 0 ? 404 : 500, NULL);
	}
	id = dup(db_text(st, QR_ID));
	type = dup(db_text(st, QR_TYPE));
	label = dup(db_text(st, QR_LABEL));
	date = dup(db_text(st, QR_DATE));
	date_end = dup(db_text(st, QR_DATE_END));
	source = dup(db_text(st, QR_SOURCE));
	access = dup(db_text(st, QR_ACCESS));
	sqlite3_reset(st);
	links = calloc(MAX_LINKS, sizeof *links);
	if (!id || !type || !label || !date || !date_end || !source || !access || !links) {
		status = req_fail(rq, 500, NULL);
		goto out;
	}

	layout_begin(rq, label, NULL);
	html_printf(&rq->body, "<article>\n<p class=\"kicker\">%s", i18n_term(rq, type));
	if (policy_can_edit(&rq->principal))
		html_printf(&rq->body, " · <a href=\"/admin/edit/%s\">%s</a> · %s", rq->slug,
			    T(rq, MSG_EDIT_EDIT), i18n_term(rq, access));
	html_raw(&rq->body, "</p>\n");
	original_lang(rq, id, orig, sizeof orig);
	heading(rq, id, label, orig);
	html_raw(&rq->body, "<dl class=\"facts\">\n");
	if (*date) {
		html_printf(&rq->body, "<dt>%s</dt><dd>",
			    T(rq, strcmp(type, "work") == 0 ? MSG_YEAR : MSG_DATE));
		layout_date(rq, date, date_end);
		html_raw(&rq->body, "</dd>\n");
	}
	other_titles(rq, id, label, orig);
	type_facts(rq, type, id);
	html_raw(&rq->body, "</dl>\n");
	description(rq, id, type, orig);
	if (files_load(rq, id, &files)) {
		buf_reset(&rq->body);
		status = req_fail(rq, 500, NULL);
		goto out;
	}
	if (strcmp(type, "work") == 0)
		player_section(rq, id, &files);
	if (strcmp(type, "work") == 0 || strcmp(type, "document") == 0)
		iiif_link(rq, id, type);

	if (collect(rq, q_links_out(rq->db, id, rq->lang), true, links, &n) ||
	    collect(rq, q_links_in(rq->db, id, rq->lang), false, links, &n)) {
		buf_reset(&rq->body);
		status = req_fail(rq, 500, NULL);
		goto out;
	}
	/* credits first, in their order, as a film's credits read */
	bool open = false;
	for (int i = 0; i < n; i++) {
		if (!links[i].is_credit || !links[i].outgoing)
			continue;
		if (!open) {
			html_printf(&rq->body, "<section>\n<h2>%s</h2>\n<dl class=\"facts\">\n",
				    T(rq, MSG_CREDITS));
			open = true;
		}
		html_printf(&rq->body, "<dt>%s</dt><dd>", i18n_term(rq, links[i].kind));
		layout_record_link(rq, links[i].type, links[i].slug, links[i].label);
		html_raw(&rq->body, "</dd>\n");
	}
	if (open)
		html_raw(&rq->body, "</dl>\n</section>\n");
	if (strcmp(type, "work") == 0)
		manifestations(rq, id);
	if (strcmp(type, "document") == 0)
		transcription(rq, id);
	files_section(rq, &files);
	contrib_section(rq, id, type, rq->slug, &files);
	render_links(rq, links, n);
	if (*source)
		html_printf(&rq->body, "<section>\n<h2>%s</h2>\n<p class=\"meta\">%s</p>\n</section>\n",
			    T(rq, MSG_SOURCE), source);
	rights_section(rq, id);
	labels_section(rq, id);
	if (strcmp(type, "work") == 0) {
		/* schema.org for search engines: a data block, which the CSP
		 * (script-src 'self') does not run and need not allow; left out,
		 * rather than half written, when it cannot be built */
		struct buf ld;
		buf_init(&ld, REQ_BODY_MAX);
		if (jsonld_work(rq, &ld, id, rq->slug, label, date) == 0) {
			html_raw(&rq->body, "<script type=\"application/ld+json\">");
			buf_append(&rq->body, ld.data, ld.len);
			html_raw(&rq->body, "</script>\n");
		}
		buf_free(&ld);
	}
	html_raw(&rq->body, "</article>\n");
	layout_end(rq);
out:
	files_free(&files);
	if (links)
		free_links(links, n);
	free(id);
	free(type);
	free(label);
	free(date);
	free(date_end);
	free(source);
	free(access);
	return status;
}
