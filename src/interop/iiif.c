/* iiif.c: the archive for IIIF viewers (see iiif.h): Presentation 3.0
 * manifests of films and documents, collections, and Content Search 2.0
 * inside a film's lines.
 *
 * Every answer is built from what the asker may read, through the same
 * queries as the pages (read_q, files_q, iiif_q: the policy decides inside
 * the SQL), so a private record is the same 404 as a missing one, and a
 * file or a line the asker may not read is simply not there. Only an
 * answer made for an anonymous visitor, which therefore holds only what
 * everyone may read, says Access-Control-Allow-Origin: *, so a viewer on
 * another site can load it; nothing made for an account or a screener
 * holder does. The JSON is written by jansson, which escapes every
 * catalogue string. */
#include "iiif.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog/archive.h"
#include "catalog/labels.h"
#include "catalog/search.h"
#include "core/buf.h"
#include "core/str.h"
#include "db/contrib_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/iiif_q.h"
#include "db/label_q.h"
#include "db/read_q.h"
#include "http/req.h"
#include "http/router.h"
#include "interop/oai.h"
#include "web/i18n.h"
#include "web/player.h"

#define PRESENTATION_CONTEXT "http://iiif.io/api/presentation/3/context.json"
#define SEARCH_CONTEXT "http://iiif.io/api/search/2/context.json"
#define MANIFEST_TYPE "application/ld+json;profile=\"" PRESENTATION_CONTEXT "\""
#define SEARCH_TYPE "application/ld+json;profile=\"" SEARCH_CONTEXT "\""
#define BASE_MAX 600		/* bytes of the site's address */
#define URL_MAX 2048		/* bytes of one identifier we write */

/* What a manifest is made of, copied out of the statements. */
struct mfile {
	char *id, *role, *mime, *techmd, *derivative, *derived_from;
	bool locked;		/* the asker may not read it (yet): shown with the probe */
	bool pub;		/* everyone may read it: no probe needed */
};

struct ctx {
	struct req *rq;
	char base[BASE_MAX];	/* https://example.org, no trailing slash */
	bool oom;		/* a value could not be made: answer 500 */
	bool auth;		/* a resource carries the Authorization Flow's services */
	/* the record */
	char *id, *type, *slug, *label, *date, *date_end, *source, *access, *embargo,
	     *ties;
	struct mfile *files;
	int nfiles, cap;
};

/* ---- small JSON helpers --------------------------------------------- */

static void put(struct ctx *c, json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v))
		c->oom = true;
}

static void push(struct ctx *c, json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v))
		c->oom = true;
}

static json_t *str(struct ctx *c, const char *s)
{
	json_t *v = json_string(s ? s : "");

	if (!v)
		c->oom = true;
	return v;
}

/* lm_add adds text to a language map under lang ("none" when unknown). */
static void lm_add(struct ctx *c, json_t *map, const char *lang, const char *text)
{
	const char *k = lang && *lang ? lang : "none";
	json_t *a = json_object_get(map, k);

	if (!a) {
		a = json_array();
		put(c, map, k, a);
	}
	push(c, a, str(c, text));
}

static json_t *lm_one(struct ctx *c, const char *lang, const char *text)
{
	json_t *m = json_object();

	lm_add(c, m, lang, text);
	return m;
}

/* lm_msg: an interface string in every interface language. */
static json_t *lm_msg(struct ctx *c, enum msg msg)
{
	json_t *m = json_object();

	for (int i = 0; i18n_langs[i]; i++) {
		struct req in = {.lang = i18n_langs[i]};
		lm_add(c, m, i18n_langs[i], T(&in, msg));
	}
	return m;
}

/* lm_term: a catalogue term (a role, a type) in every interface language. */
static json_t *lm_term(struct ctx *c, const char *term)
{
	json_t *m = json_object();

	for (int i = 0; i18n_langs[i]; i++) {
		struct req in = {.lang = i18n_langs[i]};
		lm_add(c, m, i18n_langs[i], i18n_term(&in, term));
	}
	return m;
}

/* url writes base + the printf-formatted rest into a new JSON string. */
static json_t *url(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *url(struct ctx *c, const char *fmt, ...)
{
	char out[URL_MAX];
	va_list ap;
	int n = snprintf(out, sizeof out, "%s", c->base);

	va_start(ap, fmt);
	n += vsnprintf(out + n, sizeof out - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof out) {
		c->oom = true;	/* cannot happen: slugs and ids are short */
		return NULL;
	}
	return str(c, out);
}

/* pct appends s percent-encoded (RFC 3986 unreserved kept) to out. */
static void pct(char *out, size_t n, const char *s)
{
	size_t len = strlen(out);

	for (; *s && len + 4 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~')
			out[len++] = (char)ch;
		else
			len += (size_t)snprintf(out + len, n - len, "%%%02X", ch);
	}
	out[len] = '\0';
}

/* ---- answering ------------------------------------------------------ */

/* anonymous: the answer is made for nobody in particular, so it holds
 * only what everyone may read. */
static bool anonymous(const struct req *rq)
{
	return rq->principal.role == ROLE_ANONYMOUS && !rq->principal.screener_record[0];
}

static bool host_valid(const char *h)
{
	size_t n = 0;

	for (; h[n]; n++) {
		char ch = h[n];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
			return false;
	}
	return n > 0 && n < 256;
}

/* base_url: base_url from cinemateca.conf, else the address the request
 * came to (its Host, over https when the request did). */
static void base_url(struct req *rq, char out[BASE_MAX])
{
	const char *conf = rq->archive ? rq->archive->base_url : "";

	if (*conf) {
		snprintf(out, BASE_MAX, "%s", conf);
	} else {
		snprintf(out, BASE_MAX, "%s://%s", req_secure(rq) ? "https" : "http",
			 rq->host && host_valid(rq->host) ? rq->host : "localhost");
	}
	for (size_t n = strlen(out); n > 0 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
}

/* answer sends root (taking it) as the response with this status. */
static int answer(struct req *rq, json_t *root, int status, const char *type)
{
	char *s = root ? json_dumps(root, JSON_COMPACT) : NULL;

	json_decref(root);
	if (!s) {
		rq->cause = "the IIIF answer could not be made (out of memory)";
		return req_fail(rq, 500, NULL);
	}
	buf_reset(&rq->body);
	buf_puts(&rq->body, s);
	buf_putc(&rq->body, '\n');
	free(s);
	rq->content_type = type;
	if (anonymous(rq))
		req_header(rq, "Access-Control-Allow-Origin", "*");
	return status;
}

/* fail answers an error as JSON, so a viewer can show what went wrong. */
static int fail(struct req *rq, int status, const char *what)
{
	json_t *o = json_pack("{s:i, s:s}", "status", status, "error", what);

	if (status >= 500 && !rq->cause)
		rq->cause = what;
	return answer(rq, o, status, "application/json");
}

/* ---- the record and its files --------------------------------------- */

static void ctx_free(struct ctx *c)
{
	for (int i = 0; i < c->nfiles; i++) {
		struct mfile *f = &c->files[i];
		free(f->id);
		free(f->role);
		free(f->mime);
		free(f->techmd);
		free(f->derivative);
		free(f->derived_from);
	}
	free(c->files);
	free(c->id);
	free(c->type);
	free(c->slug);
	free(c->label);
	free(c->date);
	free(c->date_end);
	free(c->source);
	free(c->access);
	free(c->embargo);
	free(c->ties);
}

static char *dup(struct ctx *c, const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		c->oom = true;
	return d;
}

/* load finds the record of rq->slug of one of the types (NULL: any) the
 * principal may read: 1 found, 0 not (or not of those types), -1 error. */
static int load(struct ctx *c, const char *const *types)
{
	struct req *rq = c->rq;
	sqlite3_stmt *st = q_record(rq->db, NULL, rq->slug, rq->lang);
	bool ok = false;
	int rc = 0;

	if (!st)
		return -1;
	rc = db_step(rq->db, st);
	if (rc == 1) {
		for (int i = 0; types[i]; i++)
			ok |= strcmp(db_text(st, QR_TYPE), types[i]) == 0;
		if (ok) {
			c->id = dup(c, db_text(st, QR_ID));
			c->type = dup(c, db_text(st, QR_TYPE));
			c->slug = dup(c, db_text(st, QR_SLUG));
			c->label = dup(c, db_text(st, QR_LABEL));
			c->date = dup(c, db_text(st, QR_DATE));
			c->date_end = dup(c, db_text(st, QR_DATE_END));
			c->source = dup(c, db_text(st, QR_SOURCE));
			c->access = dup(c, db_text(st, QR_ACCESS));
			c->embargo = dup(c, db_text(st, QR_EMBARGO));
			c->ties = dup(c, db_text(st, QR_TIES));
		}
	}
	sqlite3_reset(st);
	if (rc < 0 || c->oom)
		return -1;
	return rc == 1 && ok;
}

static int playable(const struct mfile *f);
static bool page_image(const struct mfile *f);

/* load_files copies the record's live files the principal may read
 * (masters first, then derivatives, oldest first), all of them; and the
 * films and page images of the record that it may not read, as locked:
 * the record is readable, so a viewer may show that there is a film and
 * ask for access through the probe service; their bytes stay behind the
 * policy at /media. */
static int load_files(struct ctx *c)
{
	struct req *rq = c->rq;
	sqlite3_stmt *st = fq_files_shown_of(rq->db, c->id);
	int rc = 0;

	if (!st)
		return -1;
	while ((rc = db_step(rq->db, st)) == 1) {
		struct mfile probe = {
			.role = (char *)db_text(st, FQ_ROLE), .mime = (char *)db_text(st, FQ_MIME),
			.derivative = (char *)db_text(st, FQ_DERIVATIVE),
			.derived_from = (char *)db_text(st, FQ_DERIVED_FROM),
		};
		bool readable = sqlite3_column_int(st, FQ_READABLE);
		if (!readable && !playable(&probe) && !page_image(&probe))
			continue;
		if (c->nfiles == c->cap) {
			int cap = c->cap ? c->cap * 2 : 16;
			struct mfile *g = realloc(c->files, (size_t)cap * sizeof *g);
			if (!g) {
				c->oom = true;
				break;
			}
			c->files = g;
			c->cap = cap;
		}
		struct mfile *f = &c->files[c->nfiles++];
		f->id = dup(c, db_text(st, FQ_ID));
		f->role = dup(c, db_text(st, FQ_ROLE));
		f->mime = dup(c, db_text(st, FQ_MIME));
		f->techmd = dup(c, db_text(st, FQ_TECHMD));
		f->derivative = dup(c, db_text(st, FQ_DERIVATIVE));
		f->derived_from = dup(c, db_text(st, FQ_DERIVED_FROM));
		f->locked = !readable;
		f->pub = sqlite3_column_int(st, FQ_PUBLIC);
	}
	sqlite3_reset(st);
	return rc < 0 || c->oom ? -1 : 0;
}

/* What the technical metadata says of a file's picture and length. */
struct tech {
	long long width, height;	/* 0 unknown */
	double duration;		/* seconds, 0 unknown */
};

static struct tech tech_of(const struct mfile *f)
{
	struct tech t = {0};
	json_t *root = f && *f->techmd ? json_loads(f->techmd, 0, NULL) : NULL;
	json_t *d = json_object_get(root, "duration"), *s;
	size_t i;

	if (json_is_number(d) && isfinite(json_number_value(d)) && json_number_value(d) > 0)
		t.duration = json_number_value(d);
	json_array_foreach(json_object_get(root, "streams"), i, s) {
		const char *type = json_string_value(json_object_get(s, "type"));
		json_int_t w = json_integer_value(json_object_get(s, "width"));
		json_int_t h = json_integer_value(json_object_get(s, "height"));
		if (type && (strcmp(type, "video") == 0 || strcmp(type, "image") == 0) && w > 0 &&
		    h > 0 && !t.width) {
			t.width = w;
			t.height = h;
		}
	}
	json_decref(root);
	return t;
}

/* playable: 2 for an access copy someone ingested as such, 1 for one
 * ffmpeg made, 0 for anything else: the player's choice (web/player.c),
 * and iiif_q.c's HAS_MANIFEST. */
static int playable(const struct mfile *f)
{
	if (strcmp(f->role, "access") == 0 && !*f->derived_from &&
	    (strcmp(f->mime, "video/mp4") == 0 || strcmp(f->mime, "video/webm") == 0))
		return 2;
	return strcmp(f->derivative, "access-mp4") == 0;
}

static bool page_image(const struct mfile *f)
{
	return (strcmp(f->role, "scan") == 0 && strncmp(f->mime, "image/", 6) == 0) ||
	       strcmp(f->derivative, "page-image") == 0;
}

/* ---- the parts of a manifest ---------------------------------------- */

/* label_of: the record's first title in each of its languages (a
 * viewer shows every value of a language, so the others go to
 * metadata); others, when not NULL, gets those as a language map. */
static json_t *label_of(struct ctx *c, json_t **others)
{
	sqlite3_stmt *st = q_titles(c->rq->db, c->id);
	json_t *m = json_object(), *rest = json_object();
	int rc = 0;

	while (st && (rc = db_step(c->rq->db, st)) == 1) {
		const char *lang = *db_text(st, 1) ? db_text(st, 1) : "none";
		lm_add(c, json_object_get(m, lang) ? rest : m, lang, db_text(st, 0));
	}
	if (others && json_object_size(rest))
		*others = rest;
	else
		json_decref(rest);
	if (!st || rc < 0)
		c->oom = true;
	if (st)
		sqlite3_reset(st);
	if (json_object_size(m) == 0)
		lm_add(c, m, NULL, c->label);
	return m;
}

static void summary(struct ctx *c, json_t *o)
{
	sqlite3_stmt *st = q_descriptions(c->rq->db, c->id, c->rq->lang);
	json_t *m = json_object();
	int rc = 0;

	while (st && (rc = db_step(c->rq->db, st)) == 1)
		lm_add(c, m, db_text(st, 1), db_text(st, 0));
	if (!st || rc < 0)
		c->oom = true;
	if (st)
		sqlite3_reset(st);
	if (json_object_size(m))
		put(c, o, "summary", m);
	else
		json_decref(m);
}

static void meta(struct ctx *c, json_t *list, json_t *label, json_t *value)
{
	json_t *e = json_object();

	put(c, e, "label", label);
	put(c, e, "value", value);
	push(c, list, e);
}

static void label_meta(struct ctx *c, json_t *list);

static void metadata(struct ctx *c, json_t *o)
{
	struct db *db = c->rq->db;
	json_t *list = json_array(), *others = NULL;
	sqlite3_stmt *st;
	char text[64];
	bool work = strcmp(c->type, "work") == 0;

	json_decref(label_of(c, &others));
	if (others)
		meta(c, list, lm_msg(c, MSG_OTHER_TITLES), others);
	if (*c->date) {
		snprintf(text, sizeof text, "%s%s%s", c->date, *c->date_end ? "/" : "", c->date_end);
		meta(c, list, lm_msg(c, work ? MSG_YEAR : MSG_DATE), lm_one(c, NULL, text));
	}
	if (work && (st = q_work(db, c->id)) && db_step(db, st) == 1) {
		if (*db_text(st, 1))
			meta(c, list, lm_msg(c, MSG_COUNTRY), lm_one(c, NULL, db_text(st, 1)));
		if (*db_text(st, 0))
			meta(c, list, lm_msg(c, MSG_LANGUAGE), lm_one(c, NULL, db_text(st, 0)));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			json_t *m = json_object();
			for (int i = 0; i18n_langs[i]; i++) {
				struct req in = {.lang = i18n_langs[i]};
				snprintf(text, sizeof text, "%lld %s",
					 (sqlite3_column_int64(st, 2) + 30) / 60, T(&in, MSG_MINUTES));
				lm_add(c, m, i18n_langs[i], text);
			}
			meta(c, list, lm_msg(c, MSG_DURATION), m);
		}
		sqlite3_reset(st);
	}
	if (!work && (st = q_document(db, c->id)) && db_step(db, st) == 1) {
		if (*db_text(st, 0))
			meta(c, list, lm_msg(c, MSG_DOC_TYPE), lm_term(c, db_text(st, 0)));
		if (*db_text(st, 1))
			meta(c, list, lm_msg(c, MSG_PAGES), lm_one(c, NULL, db_text(st, 1)));
		sqlite3_reset(st);
	}
	/* the credits, in their order: the role, then who (read as the page reads them) */
	if ((st = q_links_out(db, c->id, c->rq->lang))) {
		while (db_step(db, st) == 1)
			if (sqlite3_column_int(st, QL_IS_CREDIT))
				meta(c, list, lm_term(c, db_text(st, QL_KIND)),
				     lm_one(c, NULL, db_text(st, QL_LABEL)));
		sqlite3_reset(st);
	}
	if (*c->source)
		meta(c, list, lm_msg(c, MSG_SOURCE), lm_one(c, NULL, c->source));
	/* the rights statement in each language it is written in */
	if ((st = q_rights_statements(db, c->id, NULL))) {
		json_t *m = json_object();
		while (db_step(db, st) == 1)
			lm_add(c, m, db_text(st, 1), db_text(st, 0));
		sqlite3_reset(st);
		if (json_object_size(m))
			meta(c, list, lm_msg(c, MSG_RIGHTS), m);
		else
			json_decref(m);
	}
	label_meta(c, list);
	if (json_array_size(list))
		put(c, o, "metadata", list);
	else
		json_decref(list);
}

/* label_meta: each Local Contexts label on the record as a metadata
 * entry: its name as label and "[BADGE] text (community)" as value, in
 * its own language and in each translation. */
static void label_meta(struct ctx *c, json_t *list)
{
	struct db *db = c->rq->db;
	sqlite3_stmt *st = lq_list(db, c->id, NULL), *tr;
	struct buf text;
	int rc = 0;

	while (st && (rc = db_step(db, st)) == 1) {
		const struct label_type *t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
		const char *who = db_text(st, LQ_COMMUNITY);
		json_t *name = json_object(), *value = json_object();
		if (!t || db_text_or_null(st, LQ_FILE)) {
			json_decref(name);
			json_decref(value);
			continue;
		}
		lm_add(c, name, db_text(st, LQ_LANG), db_text(st, LQ_NAME));
		buf_init(&text, 1 << 20);
		buf_printf(&text, "[%s] %s%s%s%s", t->badge, db_text(st, LQ_TEXT),
			   *who ? " (" : "", who, *who ? ")" : "");
		lm_add(c, value, db_text(st, LQ_LANG), buf_str(&text));
		if ((tr = lq_translations(db, sqlite3_column_int64(st, LQ_ID)))) {
			while (db_step(db, tr) == 1) {
				lm_add(c, name, db_text(tr, 0), db_text(tr, 1));
				buf_free(&text);
				buf_init(&text, 1 << 20);
				buf_printf(&text, "[%s] %s%s%s%s", t->badge, db_text(tr, 2),
					   *who ? " (" : "", who, *who ? ")" : "");
				lm_add(c, value, db_text(tr, 0), buf_str(&text));
			}
			sqlite3_reset(tr);
		} else {
			c->oom = true;
		}
		if (text.err)
			c->oom = true;
		buf_free(&text);
		meta(c, list, name, value);
	}
	if (!st || rc < 0)
		c->oom = true;
	if (st)
		sqlite3_reset(st);
}

/* held_by: requiredStatement's value: the archive, and when the record
 * carries Local Contexts labels, their names in each interface language
 * (the community's translation when there is one), which a viewer must
 * show with the resource. */
static json_t *held_by(struct ctx *c, const char *title)
{
	json_t *m = json_object();
	struct buf names;
	bool any = false;

	for (int i = 0; i18n_langs[i]; i++) {
		struct req in = {.lang = i18n_langs[i]};
		sqlite3_stmt *st = lq_list(c->rq->db, c->id, i18n_langs[i]);
		bool any_here = false;
		buf_init(&names, 1 << 20);
		buf_printf(&names, "%s: ", T(&in, MSG_LABELS));
		while (st && db_step(c->rq->db, st) == 1) {
			const struct label_type *t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
			if (!t || db_text_or_null(st, LQ_FILE))
				continue;
			const char *nm = db_text_or_null(st, LQ_TR_NAME) ? db_text(st, LQ_TR_NAME) :
					 db_text(st, LQ_NAME);
			char mark[32];
			snprintf(mark, sizeof mark, "(%s)", t->badge);
			/* Hub names carry the mark already: "TK Seasonal (TK S)" */
			buf_printf(&names, "%s%s%s%s", any_here ? ", " : "", nm,
				   strstr(nm, mark) ? "" : " ", strstr(nm, mark) ? "" : mark);
			any_here = true;
		}
		if (!st)
			c->oom = true;
		else
			sqlite3_reset(st);
		if (names.err)
			c->oom = true;
		lm_add(c, m, i18n_langs[i], title);
		if (any_here) {
			lm_add(c, m, i18n_langs[i], buf_str(&names));
			any = true;
		}
		buf_free(&names);
	}
	if (!any) {
		json_decref(m);
		return lm_one(c, NULL, title);
	}
	return m;
}

/* rights: the record's rights URI as IIIF's `rights` when it is a
 * Creative Commons licence or a RightsStatements.org statement (the only
 * ones the specification takes, written with http:, as it wants them);
 * any other licence's address goes to metadata instead. */
static void rights(struct ctx *c, json_t *o, json_t *list)
{
	static const char *const known[] = {"creativecommons.org/licenses/",
					     "creativecommons.org/publicdomain/",
					     "rightsstatements.org/vocab/", NULL};
	sqlite3_stmt *st = q_rights(c->rq->db, c->id);
	const char *uri, *rest;
	char out[URL_MAX];

	if (!st)
		return;
	if (db_step(c->rq->db, st) == 1) {
		uri = db_text(st, 0);
		rest = strncmp(uri, "https://", 8) == 0 ? uri + 8 :
		       strncmp(uri, "http://", 7) == 0 ? uri + 7 : NULL;
		bool ok = false;
		for (int i = 0; rest && known[i]; i++)
			ok |= strncmp(rest, known[i], strlen(known[i])) == 0;
		if (ok) {
			snprintf(out, sizeof out, "http://%s", rest);
			put(c, o, "rights", str(c, out));
		} else {
			if (!list) {
				list = json_array();
				put(c, o, "metadata", list);
			}
			meta(c, list, lm_msg(c, MSG_RIGHTS_LINK), lm_one(c, NULL, uri));
		}
	}
	sqlite3_reset(st);
}

/* common: what manifests and collections share: context, id, type,
 * label, summary, metadata, requiredStatement, homepage. */
static json_t *common(struct ctx *c, const char *kind, const char *path)
{
	json_t *o = json_object(), *home = json_object(), *rs = json_object();
	const char *title = c->rq->archive && *c->rq->archive->title ? c->rq->archive->title
								      : "cinemateca";

	put(c, o, "@context", str(c, PRESENTATION_CONTEXT));
	put(c, o, "id", url(c, "/iiif/%s/%s", path, c->slug));
	put(c, o, "type", str(c, kind));
	put(c, o, "label", label_of(c, NULL));
	summary(c, o);
	metadata(c, o);
	rights(c, o, json_object_get(o, "metadata"));
	put(c, rs, "label", lm_msg(c, MSG_IIIF_HELD_BY));
	put(c, rs, "value", c->id ? held_by(c, title) : lm_one(c, NULL, title));
	put(c, o, "requiredStatement", rs);
	put(c, home, "id", url(c, "/%s/%s", c->type, c->slug));
	put(c, home, "type", str(c, "Text"));
	put(c, home, "label", label_of(c, NULL));
	put(c, home, "format", str(c, "text/html"));
	put(c, o, "homepage", json_array());
	push(c, json_object_get(o, "homepage"), home);
	/* the record as data, from the JSON API (which asks the same policy) */
	if (c->id) {
		json_t *also = json_object();
		put(c, also, "id", url(c, "/api/v1/records/%s", c->id));
		put(c, also, "type", str(c, "Dataset"));
		put(c, also, "format", str(c, "application/json"));
		put(c, also, "label", lm_one(c, NULL, "JSON"));
		put(c, o, "seeAlso", json_array());
		push(c, json_object_get(o, "seeAlso"), also);
		/* and as PBCore, from OAI-PMH, which gives what everyone may read */
		struct principal anyone;
		policy_anonymous(&anyone);
		if (policy_can_read(&anyone, c->id, c->access, *c->embargo ? c->embargo : NULL,
				    c->ties)) {
			char oai_id[400], q[1300] = "";
			json_t *pb = json_object();
			oai_item_identifier(c->base, c->id, oai_id, sizeof oai_id);
			pct(q, sizeof q, oai_id);
			put(c, pb, "id", url(c, "/oai?verb=GetRecord&metadataPrefix=pbcore&identifier=%s", q));
			put(c, pb, "type", str(c, "Dataset"));
			put(c, pb, "format", str(c, "application/xml"));
			put(c, pb, "profile", str(c, "http://www.pbcore.org/PBCore/PBCoreNamespace.html"));
			put(c, pb, "label", lm_one(c, NULL, "PBCore"));
			push(c, json_object_get(o, "seeAlso"), pb);
		}
	}
	return o;
}

/* resource: the description of a stored file as an annotation body. */
static json_t *resource(struct ctx *c, const struct mfile *f, const char *type)
{
	json_t *r = json_object();
	struct tech t = tech_of(f);

	put(c, r, "id", url(c, "/media/%s", f->id));
	put(c, r, "type", str(c, type));
	if (*f->mime)
		put(c, r, "format", str(c, f->mime));
	if (!f->pub) {
		/* not everyone's: how a viewer elsewhere asks for access */
		put(c, r, "service", iiif_auth_services(c->base, f->id));
		c->auth = true;
	}
	if (t.width) {
		put(c, r, "width", json_integer(t.width));
		put(c, r, "height", json_integer(t.height));
	}
	if (t.duration > 0 && strcmp(type, "Image") != 0)
		put(c, r, "duration", json_real(t.duration));
	return r;
}

/* painting: an annotation page at id holding one painting annotation of
 * body on target. */
static json_t *painting(struct ctx *c, const char *page_id, json_t *body, const char *target)
{
	json_t *page = json_object(), *items = json_array(), *a = json_object();
	char id[URL_MAX];

	snprintf(id, sizeof id, "%s/1", page_id);
	put(c, a, "id", str(c, id));
	put(c, a, "type", str(c, "Annotation"));
	put(c, a, "motivation", str(c, "painting"));
	put(c, a, "body", body);
	put(c, a, "target", str(c, target));
	push(c, items, a);
	put(c, page, "id", str(c, page_id));
	put(c, page, "type", str(c, "AnnotationPage"));
	put(c, page, "items", items);
	return page;
}

/* image_canvas: a canvas at id showing the image file f at its size. */
static json_t *image_canvas(struct ctx *c, const char *id, const struct mfile *f, json_t *label)
{
	json_t *cv = json_object(), *items = json_array();
	struct tech t = tech_of(f);
	char page[URL_MAX];

	put(c, cv, "id", str(c, id));
	put(c, cv, "type", str(c, "Canvas"));
	if (label)
		put(c, cv, "label", label);
	/* an image whose size was not read still needs one to be shown */
	put(c, cv, "width", json_integer(t.width ? t.width : 1000));
	put(c, cv, "height", json_integer(t.width ? t.height : 1000));
	snprintf(page, sizeof page, "%s/page", id);
	push(c, items, painting(c, page, resource(c, f, "Image"), id));
	put(c, cv, "items", items);
	return cv;
}

/* The subtitle tracks of the work: language and file. */
struct track {
	char lang[36], file[40];
};

static int tracks_of(struct ctx *c, struct track **out, int *n)
{
	sqlite3_stmt *st = fq_tracks(c->rq->db, c->id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(c->rq->db, st)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct track *g = realloc(*out, (size_t)cap * sizeof *g);
			if (!g) {
				rc = -1;
				break;
			}
			*out = g;
		}
		snprintf((*out)[*n].lang, sizeof (*out)[0].lang, "%s", db_text(st, 0));
		snprintf((*out)[*n].file, sizeof (*out)[0].file, "%s", db_text(st, 1));
		(*n)++;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

static json_t *vtt(struct ctx *c, const struct track *t)
{
	json_t *r = json_object();

	put(c, r, "id", url(c, "/media/%s", t->file));
	put(c, r, "type", str(c, "Text"));
	put(c, r, "format", str(c, "text/vtt"));
	put(c, r, "label", lm_one(c, t->lang, i18n_lang_name(t->lang)));
	put(c, r, "language", str(c, t->lang));
	return r;
}

/* search_service: Content Search 2.0 and its autocomplete, on a manifest
 * whose record has lines. */
static json_t *search_service(struct ctx *c)
{
	json_t *list = json_array(), *s = json_object(), *ac = json_object(), *inner = json_array();

	put(c, s, "id", url(c, "/iiif/search/%s", c->slug));
	put(c, s, "type", str(c, "SearchService2"));
	put(c, ac, "id", url(c, "/iiif/autocomplete/%s", c->slug));
	put(c, ac, "type", str(c, "AutoCompleteService2"));
	push(c, inner, ac);
	put(c, s, "service", inner);
	push(c, list, s);
	return list;
}

/* auth_context: a manifest whose resources carry the Authorization
 * Flow's services names its context too (the Presentation one last). */
static void auth_context(struct ctx *c, json_t *m)
{
	json_t *ctx;

	if (!c->auth)
		return;
	ctx = json_array();
	push(c, ctx, str(c, IIIF_AUTH_CONTEXT));
	push(c, ctx, str(c, PRESENTATION_CONTEXT));
	put(c, m, "@context", ctx);
}

/* memories: the community's published notes on the record that the asker
 * may read (CONTRIB_READABLE: for a visitor, the public ones) as W3C Web
 * Annotations on the canvas (a film's time-coded notes at #t=START,END, a
 * page's region notes at #xywh=), in one AnnotationPage; file_id: the
 * page image of the canvas, NULL for a film. Pushed onto pages when there
 * is any; -1 when they cannot be read. The creator is the attribution its
 * author chose, and none for an anonymous note. */
static int memories(struct ctx *c, json_t *pages, const char *canvas, const char *file_id)
{
	sqlite3_stmt *st = cq_on_record(c->rq->db, c->id, c->rq->lang);
	json_t *ap = NULL, *items = NULL;
	int rc = 0;

	while (st && (rc = db_step(c->rq->db, st)) == 1) {
		const char *kind = db_text(st, CQ_KIND);
		char target[URL_MAX + 96];
		json_t *a, *body;

		if (file_id ? strcmp(kind, "region") != 0 || strcmp(db_text(st, CQ_FILE_ID), file_id) != 0
			    : strcmp(kind, "time") != 0)
			continue;
		if (file_id)
			snprintf(target, sizeof target, "%s#xywh=%lld,%lld,%lld,%lld", canvas,
				 sqlite3_column_int64(st, CQ_X), sqlite3_column_int64(st, CQ_Y),
				 sqlite3_column_int64(st, CQ_W), sqlite3_column_int64(st, CQ_H));
		else {
			char from[32], to[32] = "";
			str_seconds(from, sizeof from, sqlite3_column_int64(st, CQ_START));
			if (sqlite3_column_type(st, CQ_END) != SQLITE_NULL) {
				to[0] = ',';
				str_seconds(to + 1, sizeof to - 1, sqlite3_column_int64(st, CQ_END));
			}
			snprintf(target, sizeof target, "%s#t=%s%s", canvas, from, to);
		}
		if (!ap) {
			char id[URL_MAX + 16];
			ap = json_object();
			items = json_array();
			snprintf(id, sizeof id, "%s/memories", canvas);
			put(c, ap, "id", str(c, id));
			put(c, ap, "type", str(c, "AnnotationPage"));
		}
		a = json_object();
		put(c, a, "id", url(c, "/iiif/manifest/%s/memory/%s", c->slug, db_text(st, CQ_ID)));
		put(c, a, "type", str(c, "Annotation"));
		put(c, a, "motivation", str(c, db_text(st, CQ_MOTIVATION)));
		put(c, a, "created", str(c, db_text(st, CQ_CREATED)));
		if (db_text_or_null(st, CQ_ATTRIBUTION_TEXT)) {
			json_t *who = json_object();
			put(c, who, "type", str(c, "Person"));
			put(c, who, "name", str(c, db_text(st, CQ_ATTRIBUTION_TEXT)));
			put(c, a, "creator", who);
		}
		body = json_object();
		put(c, body, "type", str(c, "TextualBody"));
		put(c, body, "value", str(c, db_text(st, CQ_BODY)));
		put(c, body, "format", str(c, "text/plain"));
		put(c, body, "language", str(c, db_text(st, CQ_LANG)));
		put(c, a, "body", body);
		put(c, a, "target", str(c, target));
		push(c, items, a);
	}
	if (st)
		sqlite3_reset(st);
	if (!st || rc < 0) {
		json_decref(ap);
		json_decref(items);
		return -1;
	}
	if (ap) {
		put(c, ap, "items", items);
		push(c, pages, ap);
	}
	return 0;
}

/* work_manifest: the film as one canvas (cookbook 0003): the access copy
 * painted, its captions supplementing (0219, several languages as a
 * Choice as in 0074), its poster as thumbnail and placeholder (0013),
 * where to start (0015, from ?t=), the WebVTT files as renderings of the
 * transcript (0017). */
static int work_manifest(struct ctx *c)
{
	struct req *rq = c->rq;
	const struct mfile *video = NULL, *poster = NULL;
	struct track *tracks = NULL;
	int ntracks = 0, best = 0, status = 200;
	char canvas[URL_MAX / 2], page[URL_MAX];
	json_t *m = NULL, *cv, *items;
	struct tech t;

	/* one the asker may play before one it must ask for */
	for (int i = 0; i < c->nfiles; i++) {
		int p = playable(&c->files[i]);
		if (p && !c->files[i].locked)
			p += 2;
		if (p && p >= best) {
			video = &c->files[i];
			best = p;
		}
	}
	if (!video) {
		status = fail(rq, 404, "this record has no film a IIIF viewer can play");
		goto out;
	}
	const char *src = *video->derived_from ? video->derived_from : video->id;
	t = tech_of(video);
	for (int i = 0; i < c->nfiles; i++) {
		const struct mfile *f = &c->files[i];
		if (strcmp(f->derivative, "poster") == 0 && strcmp(f->derived_from, src) == 0)
			poster = f;
		else if (strcmp(f->role, "poster") == 0 && !poster && strncmp(f->mime, "image/", 6) == 0)
			poster = f;
		if (t.duration <= 0 && strcmp(f->id, src) == 0)
			t.duration = tech_of(f).duration;
	}
	if (t.duration <= 0) {
		status = fail(rq, 404, "the film's length is not known (its technical metadata has no "
			      "duration), and a IIIF canvas of a film needs one");
		goto out;
	}
	if (tracks_of(c, &tracks, &ntracks)) {
		status = fail(rq, 500, "the subtitle tracks could not be read");
		goto out;
	}

	m = common(c, "Manifest", "manifest");
	snprintf(canvas, sizeof canvas, "%s/iiif/manifest/%s/canvas/1", c->base, c->slug);
	cv = json_object();
	put(c, cv, "id", str(c, canvas));
	put(c, cv, "type", str(c, "Canvas"));
	if (t.width) {
		put(c, cv, "width", json_integer(t.width));
		put(c, cv, "height", json_integer(t.height));
	}
	put(c, cv, "duration", json_real(t.duration));
	if (poster) {
		json_t *thumbs = json_array(), *ph;
		char ph_id[URL_MAX];

		push(c, thumbs, resource(c, poster, "Image"));
		put(c, m, "thumbnail", thumbs);
		snprintf(ph_id, sizeof ph_id, "%s/placeholder", canvas);
		ph = image_canvas(c, ph_id, poster, NULL);
		put(c, cv, "placeholderCanvas", ph);
	}
	json_t *body = resource(c, video, "Video");
	if (!json_object_get(body, "duration"))
		put(c, body, "duration", json_real(t.duration));
	snprintf(page, sizeof page, "%s/page", canvas);
	items = json_array();
	push(c, items, painting(c, page, body, canvas));
	put(c, cv, "items", items);
	json_t *pages = json_array();
	if (ntracks) {
		json_t *ap = json_object(), *aitems = json_array(), *a = json_object(), *cb;
		snprintf(page, sizeof page, "%s/captions", canvas);
		put(c, ap, "id", str(c, page));
		put(c, ap, "type", str(c, "AnnotationPage"));
		snprintf(page, sizeof page, "%s/captions/1", canvas);
		put(c, a, "id", str(c, page));
		put(c, a, "type", str(c, "Annotation"));
		put(c, a, "motivation", str(c, "supplementing"));
		if (ntracks == 1) {
			cb = vtt(c, &tracks[0]);
		} else {
			json_t *choices = json_array();
			cb = json_object();
			put(c, cb, "type", str(c, "Choice"));
			/* the reader's language first: a viewer shows the first */
			for (int pass = 0; pass < 2; pass++)
				for (int i = 0; i < ntracks; i++)
					if ((strcmp(tracks[i].lang, rq->lang) == 0) == (pass == 0))
						push(c, choices, vtt(c, &tracks[i]));
			put(c, cb, "items", choices);
		}
		put(c, a, "body", cb);
		put(c, a, "target", str(c, canvas));
		push(c, aitems, a);
		put(c, ap, "items", aitems);
		push(c, pages, ap);

		json_t *rendering = json_array();
		for (int i = 0; i < ntracks; i++) {
			json_t *r = vtt(c, &tracks[i]);
			char what[200];
			struct req in = {.lang = rq->lang};
			snprintf(what, sizeof what, "%s (%s)", T(&in, MSG_TRANSCRIPT),
				 i18n_lang_name(tracks[i].lang));
			put(c, r, "label", lm_one(c, rq->lang, what));
			push(c, rendering, r);
		}
		put(c, m, "rendering", rendering);
		put(c, m, "service", search_service(c));
	}
	if (memories(c, pages, canvas, NULL)) {
		json_decref(pages);
		json_decref(cv);
		json_decref(m);
		m = NULL;
		status = fail(rq, 500, "the community's notes could not be read");
		goto out;
	}
	if (json_array_size(pages))
		put(c, cv, "annotations", pages);
	else
		json_decref(pages);
	items = json_array();
	push(c, items, cv);
	put(c, m, "items", items);

	long long t_ms = player_parse_t(req_arg(rq, "t"));
	if (t_ms >= 0) {
		json_t *start = json_object(), *sel = json_object();
		char id[URL_MAX + 40];
		snprintf(id, sizeof id, "%s/iiif/manifest/%s/start", c->base, c->slug);
		put(c, start, "id", str(c, id));
		put(c, start, "type", str(c, "SpecificResource"));
		put(c, start, "source", str(c, canvas));
		put(c, sel, "type", str(c, "PointSelector"));
		put(c, sel, "t", json_real((double)t_ms / 1000.0));
		put(c, start, "selector", sel);
		put(c, m, "start", start);
	} else if (req_arg(rq, "t")) {
		status = fail(rq, 400, "t= is a moment in the film: seconds (95 or 95.5), "
			      "or m:ss or h:mm:ss");
		goto out;
	}
	if (c->oom) {
		status = fail(rq, 500, "the manifest could not be made (out of memory)");
		goto out;
	}
	auth_context(c, m);
	status = answer(rq, m, 200, MANIFEST_TYPE);
	m = NULL;
out:
	json_decref(m);
	free(tracks);
	return status;
}

/* document_manifest: one image canvas per page scan or page image, in
 * the order they were stored (cookbook 0009, without an image server). */
static int document_manifest(struct ctx *c)
{
	json_t *m, *items = json_array();
	char canvas[URL_MAX];
	int n = 0;

	m = common(c, "Manifest", "manifest");
	for (int i = 0; i < c->nfiles; i++) {
		if (!page_image(&c->files[i]))
			continue;
		char num[24];
		json_t *label = json_object();
		snprintf(num, sizeof num, "%d", ++n);
		lm_add(c, label, NULL, num);
		snprintf(canvas, sizeof canvas, "%s/iiif/manifest/%s/canvas/%d", c->base, c->slug, n);
		json_t *cv = image_canvas(c, canvas, &c->files[i], label), *pages = json_array();
		if (memories(c, pages, canvas, c->files[i].id)) {
			json_decref(pages);
			json_decref(cv);
			json_decref(items);
			json_decref(m);
			return fail(c->rq, 500, "the community's notes could not be read");
		}
		if (json_array_size(pages))
			put(c, cv, "annotations", pages);
		else
			json_decref(pages);
		push(c, items, cv);
	}
	put(c, m, "items", items);
	if (n == 0) {
		json_decref(m);
		return fail(c->rq, 404, "this document has no page image a IIIF viewer can show");
	}
	if (c->oom) {
		json_decref(m);
		return fail(c->rq, 500, "the manifest could not be made (out of memory)");
	}
	auth_context(c, m);
	return answer(c->rq, m, 200, MANIFEST_TYPE);
}

int iiif_manifest(struct req *rq)
{
	static const char *const types[] = {"work", "document", NULL};
	struct ctx c = {.rq = rq};
	int status, rc = 0;

	base_url(rq, c.base);
	rc = load(&c, types);
	if (rc <= 0) {
		status = rc < 0 ? fail(rq, 500, "the record could not be read")
				: fail(rq, 404, "no film or document has this name");
		goto out;
	}
	if (load_files(&c)) {
		status = fail(rq, 500, "the record's files could not be read");
		goto out;
	}
	status = strcmp(c.type, "work") == 0 ? work_manifest(&c) : document_manifest(&c);
out:
	ctx_free(&c);
	return status;
}

/* ---- collections ---------------------------------------------------- */

/* members lists what IIIF can show of a collection (NULL: the top). */
static json_t *members(struct ctx *c, const char *collection_id)
{
	struct db *db = c->rq->db;
	sqlite3_stmt *st = iq_members(db, collection_id, c->rq->lang);
	json_t *items = json_array();
	int rc = 0;

	while (st && (rc = db_step(db, st)) == 1) {
		json_t *e = json_object();
		bool coll = strcmp(db_text(st, IQ_TYPE), "collection") == 0;
		put(c, e, "id", url(c, "/iiif/%s/%s", coll ? "collection" : "manifest",
				    db_text(st, IQ_SLUG)));
		put(c, e, "type", str(c, coll ? "Collection" : "Manifest"));
		put(c, e, "label", lm_one(c, NULL, db_text(st, IQ_LABEL)));
		push(c, items, e);
	}
	if (!st || rc < 0)
		c->oom = true;
	if (st)
		sqlite3_reset(st);
	return items;
}

int iiif_collection(struct req *rq)
{
	static const char *const types[] = {"collection", NULL};
	struct ctx c = {.rq = rq};
	json_t *o;
	int status, rc = 0;

	base_url(rq, c.base);
	rc = load(&c, types);
	if (rc <= 0) {
		status = rc < 0 ? fail(rq, 500, "the collection could not be read")
				: fail(rq, 404, "no collection has this name");
		goto out;
	}
	o = common(&c, "Collection", "collection");
	put(&c, o, "items", members(&c, c.id));
	if (c.oom) {
		json_decref(o);
		status = fail(rq, 500, "the collection could not be made");
		goto out;
	}
	status = answer(rq, o, 200, MANIFEST_TYPE);
out:
	ctx_free(&c);
	return status;
}

int iiif_archive(struct req *rq)
{
	struct ctx c = {.rq = rq};
	json_t *o = json_object(), *home = json_object(), *homes = json_array();
	const char *title = rq->archive && *rq->archive->title ? rq->archive->title : "cinemateca";

	base_url(rq, c.base);
	put(&c, o, "@context", str(&c, PRESENTATION_CONTEXT));
	put(&c, o, "id", url(&c, "/iiif/collection"));
	put(&c, o, "type", str(&c, "Collection"));
	put(&c, o, "label", lm_one(&c, NULL, title));
	put(&c, home, "id", url(&c, "/"));
	put(&c, home, "type", str(&c, "Text"));
	put(&c, home, "label", lm_one(&c, NULL, title));
	put(&c, home, "format", str(&c, "text/html"));
	push(&c, homes, home);
	put(&c, o, "homepage", homes);
	put(&c, o, "items", members(&c, NULL));
	if (c.oom) {
		json_decref(o);
		return fail(rq, 500, "the archive's collection could not be made");
	}
	return answer(rq, o, 200, MANIFEST_TYPE);
}

/* ---- Content Search 2.0 --------------------------------------------- */

/* line_target: the canvas a line is said on, and when. */
static void line_target(struct ctx *c, char *out, size_t n, long long start, long long end)
{
	char s[32], e[32];

	str_seconds(s, sizeof s, start);
	str_seconds(e, sizeof e, end);
	if (strcmp(c->type, "work") == 0)
		snprintf(out, n, "%s/iiif/manifest/%s/canvas/1#t=%s,%s", c->base, c->slug, s, e);
	else
		snprintf(out, n, "%s/iiif/manifest/%s/canvas/1", c->base, c->slug);
}

/* plain copies the highlighted line [from, to) without its markers. */
static json_t *plain(struct ctx *c, const char *from, const char *to)
{
	char *s = malloc((size_t)(to - from) + 1);
	size_t n = 0;
	json_t *v;

	if (!s) {
		c->oom = true;
		return NULL;
	}
	for (const char *p = from; p < to; p++)
		if (*p != '\x01' && *p != '\x02')
			s[n++] = *p;
	s[n] = '\0';
	v = str(c, s);
	free(s);
	return v;
}

/* highlights adds one highlighting annotation per matched word of line
 * (marked \x01 ... \x02) to list, each a TextQuoteSelector on the line's
 * annotation. */
static void highlights(struct ctx *c, json_t *list, const char *line, const char *anno_id)
{
	const char *end = line + strlen(line);
	int k = 0;

	for (const char *p = line; (p = strchr(p, '\x01')); k++) {
		const char *q = strchr(p, '\x02');
		json_t *h = json_object(), *target = json_object(), *sels = json_array(),
		       *sel = json_object();
		char id[URL_MAX + 32];

		if (!q)
			q = end;
		snprintf(id, sizeof id, "%s/h%d", anno_id, k + 1);
		put(c, h, "id", str(c, id));
		put(c, h, "type", str(c, "Annotation"));
		put(c, h, "motivation", str(c, "highlighting"));
		put(c, target, "type", str(c, "SpecificResource"));
		put(c, target, "source", str(c, anno_id));
		put(c, sel, "type", str(c, "TextQuoteSelector"));
		put(c, sel, "prefix", plain(c, line, p));
		put(c, sel, "exact", plain(c, p + 1, q));
		put(c, sel, "suffix", plain(c, q < end ? q + 1 : end, end));
		push(c, sels, sel);
		put(c, target, "selector", sels);
		put(c, h, "target", target);
		push(c, list, h);
		p = q < end ? q + 1 : end;
	}
}

/* search_args reads q= into a safe FTS5 expression (expr "" when it has
 * no word) and page= (1-based); -1 with the answer sent for a bad page. */
static int search_args(struct req *rq, char expr[SEARCH_EXPR_MAX], unsigned long long *page,
		       int *status)
{
	const char *q = req_arg(rq, "q"), *p = req_arg(rq, "page");

	search_expr(q ? q : "", expr);
	*page = 1;
	if (p && (!str_parse_u64(p, 1000000, page) || *page == 0)) {
		*status = fail(rq, 400, "page= is a page number of the results: 1, 2, 3...");
		return -1;
	}
	return 0;
}

/* this_url: the search's own address with q and (unless 0) page. */
static void this_url(struct ctx *c, char *out, size_t n, const char *service,
		     unsigned long long page)
{
	const char *q = req_arg(c->rq, "q");

	snprintf(out, n, "%s/iiif/%s/%s?q=", c->base, service, c->slug);
	pct(out, n, q ? q : "");
	if (page) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "&page=%llu", page);
	}
}

int iiif_search(struct req *rq)
{
	static const char *const types[] = {"work", "document", NULL};
	struct ctx c = {.rq = rq};
	char expr[SEARCH_EXPR_MAX], id[URL_MAX], target[URL_MAX], anno[URL_MAX];
	unsigned long long page;
	long long total = 0;
	json_t *o = NULL, *items, *hl, *hpage, *hpages;
	sqlite3_stmt *st;
	int status, rc = 0;

	base_url(rq, c.base);
	rc = load(&c, types);
	if (rc <= 0) {
		status = rc < 0 ? fail(rq, 500, "the record could not be read")
				: fail(rq, 404, "no film or document has this name");
		goto out;
	}
	if (search_args(rq, expr, &page, &status))
		goto out;
	if (*expr && (total = iq_hit_count(rq->db, c.id, expr)) < 0) {
		status = fail(rq, 500, "the search could not be run");
		goto out;
	}
	o = json_object();
	items = json_array();
	hl = json_array();
	put(&c, o, "@context", str(&c, SEARCH_CONTEXT));
	this_url(&c, id, sizeof id, "search", page > 1 ? page : 0);
	put(&c, o, "id", str(&c, id));
	put(&c, o, "type", str(&c, "AnnotationPage"));
	if (total > IIIF_HITS_PER_PAGE) {
		/* the hits in pages, each saying where the next one is */
		json_t *part = json_object();
		this_url(&c, id, sizeof id, "search", 0);
		put(&c, part, "id", str(&c, id));
		put(&c, part, "type", str(&c, "AnnotationCollection"));
		put(&c, part, "total", json_integer(total));
		put(&c, o, "partOf", part);
		put(&c, o, "startIndex", json_integer((json_int_t)((page - 1) * IIIF_HITS_PER_PAGE)));
		if ((long long)(page * IIIF_HITS_PER_PAGE) < total) {
			json_t *next = json_object();
			this_url(&c, id, sizeof id, "search", page + 1);
			put(&c, next, "id", str(&c, id));
			put(&c, next, "type", str(&c, "AnnotationPage"));
			put(&c, o, "next", next);
		}
	}
	if (*expr) {
		st = iq_hits(rq->db, c.id, expr, IIIF_HITS_PER_PAGE,
			     (int)((page - 1) * IIIF_HITS_PER_PAGE));
		while (st && (rc = db_step(rq->db, st)) == 1) {
			json_t *a = json_object(), *body = json_object();
			const char *line = db_text(st, 4);

			snprintf(anno, sizeof anno, "%s/iiif/manifest/%s/line/%lld", c.base, c.slug,
				 sqlite3_column_int64(st, 0));
			line_target(&c, target, sizeof target, sqlite3_column_int64(st, 1),
				    sqlite3_column_int64(st, 2));
			put(&c, a, "id", str(&c, anno));
			put(&c, a, "type", str(&c, "Annotation"));
			put(&c, a, "motivation", str(&c, "supplementing"));
			put(&c, body, "type", str(&c, "TextualBody"));
			put(&c, body, "value", plain(&c, line, line + strlen(line)));
			put(&c, body, "format", str(&c, "text/plain"));
			if (*db_text(st, 3))
				put(&c, body, "language", str(&c, db_text(st, 3)));
			put(&c, a, "body", body);
			put(&c, a, "target", str(&c, target));
			push(&c, items, a);
			highlights(&c, hl, line, anno);
		}
		if (!st || rc < 0)
			c.oom = true;
		if (st)
			sqlite3_reset(st);
	}
	put(&c, o, "items", items);
	hpage = json_object();
	put(&c, hpage, "type", str(&c, "AnnotationPage"));
	put(&c, hpage, "items", hl);
	hpages = json_array();
	push(&c, hpages, hpage);
	put(&c, o, "annotations", hpages);
	if (c.oom) {
		status = fail(rq, 500, "the search's answer could not be made");
		goto out;
	}
	status = answer(rq, o, 200, SEARCH_TYPE);
	o = NULL;
out:
	json_decref(o);
	ctx_free(&c);
	return status;
}

/* One word offered by autocomplete, and how many times the lines say it. */
struct term {
	char *word;
	long long n;
};

static int term_cmp(const void *a, const void *b)
{
	const struct term *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->word, y->word);
}

/* fold_eq: the same word but for ASCII case (the tokenizer has already
 * matched the rest: "Doña" and "doña" are one term). */
static bool fold_eq(const char *a, const char *b)
{
	return str_eq_nocase(a, b);
}

int iiif_autocomplete(struct req *rq)
{
	static const char *const types[] = {"work", "document", NULL};
	struct ctx c = {.rq = rq};
	char expr[SEARCH_EXPR_MAX], id[URL_MAX];
	unsigned long long page;
	struct term *terms = NULL;
	int nterms = 0, cap = 0, status, rc;
	json_t *o = NULL, *items;
	sqlite3_stmt *st;

	base_url(rq, c.base);
	rc = load(&c, types);
	if (rc <= 0) {
		status = rc < 0 ? fail(rq, 500, "the record could not be read")
				: fail(rq, 404, "no film or document has this name");
		goto out;
	}
	if (search_args(rq, expr, &page, &status))
		goto out;
	/* every line that matches: the words it matched, counted */
	st = *expr ? iq_hits(rq->db, c.id, expr, -1, 0) : NULL;
	while (st && (rc = db_step(rq->db, st)) == 1) {
		const char *line = db_text(st, 4);
		for (const char *p = line; (p = strchr(p, '\x01'));) {
			const char *q = strchr(p, '\x02');
			size_t len = q ? (size_t)(q - p - 1) : strlen(p + 1);
			char *w = strndup(p + 1, len);
			int k;

			if (!w) {
				c.oom = true;
				break;
			}
			for (k = 0; k < nterms && !fold_eq(terms[k].word, w); k++)
				;
			if (k < nterms) {
				terms[k].n++;
				free(w);
				p = q ? q + 1 : p + 1 + len;
				continue;
			}
			if (nterms == cap) {
				int ncap = cap ? cap * 2 : 32;
				struct term *g = realloc(terms, (size_t)ncap * sizeof *g);
				if (!g) {
					free(w);
					c.oom = true;
					break;
				}
				terms = g;
				cap = ncap;
			}
			terms[nterms].word = w;
			terms[nterms++].n = 1;
			p = q ? q + 1 : p + 1 + len;
		}
		if (c.oom)
			break;
	}
	if (st)
		sqlite3_reset(st);
	if (c.oom || (st && rc < 0)) {
		status = fail(rq, 500, "the terms could not be gathered");
		goto out;
	}
	if (nterms > 1)	/* qsort wants an array, even of none */
		qsort(terms, (size_t)nterms, sizeof *terms, term_cmp);

	o = json_object();
	items = json_array();
	put(&c, o, "@context", str(&c, SEARCH_CONTEXT));
	this_url(&c, id, sizeof id, "autocomplete", 0);
	put(&c, o, "id", str(&c, id));
	put(&c, o, "type", str(&c, "TermPage"));
	for (int i = 0; i < nterms && i < IIIF_TERMS_MAX; i++) {
		json_t *t = json_object(), *svc = json_array(), *s = json_object();
		char q[URL_MAX];

		snprintf(q, sizeof q, "%s/iiif/search/%s?q=", c.base, c.slug);
		pct(q, sizeof q, terms[i].word);
		put(&c, t, "value", str(&c, terms[i].word));
		put(&c, t, "total", json_integer(terms[i].n));
		put(&c, s, "id", str(&c, q));
		put(&c, s, "type", str(&c, "SearchService2"));
		push(&c, svc, s);
		put(&c, t, "service", svc);
		push(&c, items, t);
	}
	put(&c, o, "items", items);
	if (c.oom) {
		status = fail(rq, 500, "the terms' answer could not be made");
		goto out;
	}
	status = answer(rq, o, 200, SEARCH_TYPE);
	o = NULL;
out:
	json_decref(o);
	if (terms)
		for (int i = 0; i < nterms; i++)
			free(terms[i].word);
	free(terms);
	ctx_free(&c);
	return status;
}
