/* api.c: the JSON API under /api/v1/ for scripts and other tools.
 *
 * Every answer is built with jansson (so every catalogue string is
 * escaped by construction) and every read goes through the same queries
 * and the same policy as the pages: the READABLE queries of db/, with the
 * principal the router found (a session cookie or an API token). Errors
 * are RFC 9457 problem documents: the route table marks these routes
 * ROUTE_JSON, so a handler returns req_fail(rq, status, detail) and the
 * router writes the document. The shapes are those of the OpenAPI
 * document served at /api/v1/openapi.json (openapi.json beside this
 * file), which the tests check every answer against. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/labels.h"
#include "catalog/search.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/api_q.h"
#include "db/contrib_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/label_q.h"
#include "db/read_q.h"
#include "db/search_q.h"
#include "embedded.h"
#include "http/req.h"

#define API_LIMIT_DEFAULT 50	/* items of a list page unless ?limit= says */
#define API_LIMIT_MAX 500	/* a larger ?limit= is a 400 that says so */

/* A JSON value under construction: the first failure (out of memory, a
 * string that is no UTF-8) sticks, so builders need not check each step. */
struct jb {
	bool err;
};

static void put(struct jb *j, json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v))
		j->err = true;
}

static void push(struct jb *j, json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v))
		j->err = true;
}

/* col: a text column as a JSON string, or null when SQL NULL */
static json_t *col(sqlite3_stmt *st, int c)
{
	const char *s = db_text_or_null(st, c);
	return s ? json_string(s) : json_null();
}

/* col_int: an integer column, or null when SQL NULL */
static json_t *col_int(sqlite3_stmt *st, int c)
{
	return sqlite3_column_type(st, c) == SQLITE_NULL ? json_null() :
	       json_integer(sqlite3_column_int64(st, c));
}

/* send_json puts o (consumed) in the response as compact JSON. Returns
 * 200, or 500 when it could not be built or written. */
static int send_json(struct req *rq, json_t *o, struct jb *j)
{
	char *text = o && !j->err ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc = 200;

	json_decref(o);
	rq->content_type = "application/json";
	if (!text || buf_puts(&rq->body, text) || buf_putc(&rq->body, '\n')) {
		buf_reset(&rq->body);
		if (!rq->cause)
			rq->cause = "the API answer could not be built (out of memory, larger "
				    "than the answer limit, or a catalogue error)";
		rc = req_fail(rq, 500, NULL);
	}
	free(text);
	return rc;
}

/* parse_count reads an optional non-negative integer argument into *out
 * (def when absent); false when it is malformed or above max. */
static bool parse_count(const struct req *rq, const char *name, unsigned long long max,
			unsigned long long def, unsigned long long *out)
{
	const char *v = req_arg(rq, name);

	*out = def;
	return !v || str_parse_u64(v, max, out);
}

static bool type_valid(const char *t)
{
	static const char *const types[] = {"work", "document", "agent", "place", "event",
					    "collection", "subject"};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(t, types[i]) == 0)
			return true;
	return false;
}

/* limit_arg reads ?limit= (1..API_LIMIT_MAX): 0, or the status of the
 * failed request. */
static int limit_arg(struct req *rq, int *limit)
{
	unsigned long long n;

	if (!parse_count(rq, "limit", (unsigned long long)-1, API_LIMIT_DEFAULT, &n) || n == 0 ||
	    n > API_LIMIT_MAX)
		return req_fail(rq, 400, "limit must be a whole number from 1 to 500");
	*limit = (int)n;
	return 0;
}

/* brief: the summary of a record from a QR_* row */
static json_t *brief(struct jb *j, sqlite3_stmt *st)
{
	json_t *o = json_object();
	const char *type = db_text(st, QR_TYPE), *slug = db_text(st, QR_SLUG);
	struct buf url;

	put(j, o, "id", col(st, QR_ID));
	put(j, o, "type", col(st, QR_TYPE));
	put(j, o, "slug", col(st, QR_SLUG));
	put(j, o, "label", col(st, QR_LABEL));
	put(j, o, "date", col(st, QR_DATE));
	put(j, o, "date_end", col(st, QR_DATE_END));
	put(j, o, "access", col(st, QR_ACCESS));
	put(j, o, "embargo_until", col(st, QR_EMBARGO));
	put(j, o, "created", col(st, QR_CREATED));
	put(j, o, "updated", col(st, QR_UPDATED));
	buf_init(&url, 512);
	buf_printf(&url, "/%s/%s", type, slug);
	put(j, o, "url", url.err ? NULL : json_string(buf_str(&url)));
	buf_reset(&url);
	buf_printf(&url, "/api/v1/records/%s", db_text(st, QR_ID));
	put(j, o, "api", url.err ? NULL : json_string(buf_str(&url)));
	buf_free(&url);
	return o;
}

/* rows: every row of st through fn into a new array (st reset) */
static json_t *rows(struct req *rq, struct jb *j, sqlite3_stmt *st,
		    json_t *(*fn)(struct jb *, sqlite3_stmt *))
{
	json_t *a = json_array();
	int rc;

	if (!st) {
		j->err = true;
		return a;
	}
	while ((rc = db_step(rq->db, st)) == 1)
		push(j, a, fn(j, st));
	sqlite3_reset(st);
	if (rc < 0)
		j->err = true;
	return a;
}

static json_t *title_row(struct jb *j, sqlite3_stmt *st)
{
	json_t *o = json_object();
	put(j, o, "text", col(st, 0));
	put(j, o, "lang", col(st, 1));
	put(j, o, "kind", col(st, 2));
	return o;
}

static json_t *translation_row(struct jb *j, sqlite3_stmt *st)
{
	json_t *o = json_object();
	put(j, o, "lang", col(st, 0));
	put(j, o, "name", col(st, 1));
	put(j, o, "text", col(st, 2));
	return o;
}

static json_t *description_row(struct jb *j, sqlite3_stmt *st)
{
	json_t *o = json_object();
	put(j, o, "text", col(st, 0));
	put(j, o, "lang", col(st, 1));
	return o;
}

/* labels_json: the record's Local Contexts labels and Notices (and
 * those on its files the asker may read), each with its translations.
 * Ties are the archive's own business and stay out. */
static json_t *labels_json(struct req *rq, struct jb *j, const char *id)
{
	sqlite3_stmt *st = lq_list(rq->db, id, NULL);
	json_t *a = json_array();
	int rc;

	if (!st) {
		j->err = true;
		return a;
	}
	while ((rc = db_step(rq->db, st)) == 1) {
		const struct label_type *t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
		json_t *o = json_object();
		put(j, o, "kind", col(st, LQ_KIND));
		put(j, o, "type", col(st, LQ_TYPE));
		put(j, o, "badge", t ? json_string(t->badge) : json_null());
		put(j, o, "name", col(st, LQ_NAME));
		put(j, o, "text", col(st, LQ_TEXT));
		put(j, o, "lang", col(st, LQ_LANG));
		put(j, o, "community", *db_text(st, LQ_COMMUNITY) ? col(st, LQ_COMMUNITY) : json_null());
		put(j, o, "project", col(st, LQ_PROJECT));
		put(j, o, "file", col(st, LQ_FILE));
		put(j, o, "restricts", json_boolean(t && t->restricts != LABEL_OPEN));
		put(j, o, "translations", rows(rq, j, lq_translations(rq->db, sqlite3_column_int64(st, LQ_ID)),
						  translation_row));
		push(j, a, o);
	}
	sqlite3_reset(st);
	if (rc < 0)
		j->err = true;
	return a;
}

/* links appends the links of one direction to a */
static void links(struct req *rq, struct jb *j, json_t *a, sqlite3_stmt *st, const char *dir)
{
	int rc;

	/* every link: no cap of its own; a record whose links pass the answer
	 * limit (REQ_BODY_MAX, some 25,000 links) is a 500 that says so */
	if (!st) {
		j->err = true;
		return;
	}
	while ((rc = db_step(rq->db, st)) == 1) {
		json_t *o = json_object();
		put(j, o, "kind", col(st, QL_KIND));
		put(j, o, "direction", json_string(dir));
		put(j, o, "credit", json_boolean(sqlite3_column_int(st, QL_IS_CREDIT)));
		put(j, o, "type", col(st, QL_TYPE));
		put(j, o, "slug", col(st, QL_SLUG));
		put(j, o, "label", col(st, QL_LABEL));
		push(j, a, o);
	}
	sqlite3_reset(st);
	if (rc < 0)
		j->err = true;
}

/* type_facts: the fields of the record's own type */
static void type_facts(struct req *rq, struct jb *j, json_t *o, const char *type, const char *id)
{
	sqlite3_stmt *st = NULL;
	json_t *f = json_object();

	if (strcmp(type, "work") == 0)
		st = q_work(rq->db, id);
	else if (strcmp(type, "document") == 0)
		st = q_document(rq->db, id);
	else if (strcmp(type, "agent") == 0)
		st = q_agent(rq->db, id);
	else if (strcmp(type, "place") == 0)
		st = q_place(rq->db, id);
	if (st && db_step(rq->db, st) == 1) {
		if (strcmp(type, "work") == 0) {
			const char *forms = db_text_or_null(st, 3);
			json_t *fa = forms ? json_loads(forms, 0, NULL) : json_array();
			put(j, f, "original_language", col(st, 0));
			put(j, f, "country", col(st, 1));
			put(j, f, "duration", col_int(st, 2));
			put(j, f, "forms", json_is_array(fa) ? fa : (json_decref(fa), json_array()));
		} else if (strcmp(type, "document") == 0) {
			put(j, f, "doc_type", col(st, 0));
			put(j, f, "pages", col_int(st, 1));
			put(j, f, "text", col(st, 2));
		} else if (strcmp(type, "agent") == 0) {
			put(j, f, "kind", col(st, 0));
		} else {
			put(j, f, "lat", sqlite3_column_type(st, 0) == SQLITE_NULL ? json_null() :
			    json_real(sqlite3_column_double(st, 0)));
			put(j, f, "lon", sqlite3_column_type(st, 1) == SQLITE_NULL ? json_null() :
			    json_real(sqlite3_column_double(st, 1)));
			put(j, f, "country", col(st, 2));
		}
	}
	if (st)
		sqlite3_reset(st);
	put(j, o, "facts", f);
}

int api_index(struct req *rq)
{
	struct jb j = {0};

	return send_json(rq, json_pack("{s:s, s:s, s:s, s:s, s:s}",
				       "openapi", "/api/v1/openapi.json",
				       "records", "/api/v1/records",
				       "search", "/api/v1/search",
				       "changes", "/api/v1/changes",
				       "files", "/api/v1/files"), &j);
}

int api_openapi(struct req *rq)
{
	rq->content_type = "application/json";
	rq->static_body = openapi_json;
	rq->static_len = openapi_json_len;
	return 200;
}

/* contributions: the community's published notes on the record that the
 * asker may read (CONTRIB_READABLE), in the order of the record page;
 * creator is the attribution its author chose, null when anonymous. */
static json_t *contributions(struct req *rq, struct jb *j, const char *id)
{
	sqlite3_stmt *st = cq_on_record(rq->db, id, rq->lang);
	json_t *a = json_array();
	int rc = 0;

	while (st && (rc = db_step(rq->db, st)) == 1) {
		json_t *c = json_object(), *xywh = json_null();
		bool region = strcmp(db_text(st, CQ_KIND), "region") == 0;
		if (region) {
			xywh = json_array();
			for (int k = CQ_X; k <= CQ_H; k++)
				push(j, xywh, json_integer(sqlite3_column_int64(st, k)));
		}
		put(j, c, "id", col(st, CQ_ID));
		put(j, c, "kind", col(st, CQ_KIND));
		put(j, c, "motivation", col(st, CQ_MOTIVATION));
		put(j, c, "text", col(st, CQ_BODY));
		put(j, c, "lang", col(st, CQ_LANG));
		put(j, c, "creator", col(st, CQ_ATTRIBUTION_TEXT));
		put(j, c, "consent", col(st, CQ_CONSENT));
		put(j, c, "start", sqlite3_column_type(st, CQ_START) == SQLITE_NULL ? json_null() :
			json_real(sqlite3_column_int64(st, CQ_START) / 1000.0));
		put(j, c, "end", sqlite3_column_type(st, CQ_END) == SQLITE_NULL ? json_null() :
			json_real(sqlite3_column_int64(st, CQ_END) / 1000.0));
		put(j, c, "file", col(st, CQ_FILE_ID));
		put(j, c, "xywh", xywh);
		put(j, c, "edit_note", col(st, CQ_EDIT_NOTE));
		put(j, c, "created", col(st, CQ_CREATED));
		push(j, a, c);
	}
	if (st)
		sqlite3_reset(st);
	if (!st || rc < 0)
		j->err = true;
	return a;
}

int api_record(struct req *rq)
{
	struct jb j = {0};
	sqlite3_stmt *st = apq_record(rq->db, rq->slug, rq->lang);
	json_t *o = NULL, *l;
	char *id = NULL, *type = NULL;
	int rc;

	if (!st)
		return req_fail(rq, 500, NULL);
	rc = db_step(rq->db, st);
	if (rc == 1) {
		o = brief(&j, st);
		put(&j, o, "source", col(st, QR_SOURCE));
		id = strdup(db_text(st, QR_ID));
		type = strdup(db_text(st, QR_TYPE));
	}
	sqlite3_reset(st);
	if (rc != 1) {
		rc = rc == 0 ? req_fail(rq, 404, "No record has this id or slug, or you may not "
					"read it (send your API token).") : req_fail(rq, 500, NULL);
		goto out;
	}
	if (!id || !type) {
		j.err = true;
		rc = send_json(rq, o, &j);
		o = NULL;
		goto out;
	}
	put(&j, o, "titles", rows(rq, &j, q_titles(rq->db, id), title_row));
	put(&j, o, "descriptions", rows(rq, &j, q_descriptions(rq->db, id, rq->lang),
					description_row));
	{
		sqlite3_stmt *rs = q_rights(rq->db, id);
		json_t *uri = json_null();
		if (!rs)
			j.err = true;
		else if (db_step(rq->db, rs) == 1)
			uri = json_string(db_text(rs, 0));
		if (rs)
			sqlite3_reset(rs);
		put(&j, o, "rights", uri);
	}
	put(&j, o, "rights_statements", rows(rq, &j, q_rights_statements(rq->db, id, rq->lang),
					     description_row));
	put(&j, o, "labels", labels_json(rq, &j, id));
	type_facts(rq, &j, o, type, id);
	put(&j, o, "contributions", contributions(rq, &j, id));
	l = json_array();
	links(rq, &j, l, q_links_out(rq->db, id, rq->lang), "out");
	links(rq, &j, l, q_links_in(rq->db, id, rq->lang), "in");
	put(&j, o, "links", l);
	{
		struct buf u;
		buf_init(&u, 128);
		buf_printf(&u, "/api/v1/files?record=%s", id);
		put(&j, o, "files", u.err ? NULL : json_string(buf_str(&u)));
		buf_free(&u);
	}
	rc = send_json(rq, o, &j);
	o = NULL;
out:
	json_decref(o);
	free(id);
	free(type);
	return rc;
}

int api_records(struct req *rq)
{
	struct jb j = {0};
	const char *type = req_arg(rq, "type");
	unsigned long long after;
	long long last = 0;
	int limit, n = 0, rc;
	sqlite3_stmt *st;
	json_t *o, *items;

	if (type && !type_valid(type))
		return req_fail(rq, 400, "type must be one of work, document, agent, place, event, "
				"collection, subject");
	if (!parse_count(rq, "after", (unsigned long long)1 << 62, 0, &after))
		return req_fail(rq, 400, "after must be the \"next\" cursor of an earlier page");
	if ((rc = limit_arg(rq, &limit)))
		return rc;
	st = apq_records(rq->db, type, (long long)after, limit + 1, rq->lang);
	if (!st)
		return req_fail(rq, 500, NULL);
	o = json_object();
	items = json_array();
	while ((rc = db_step(rq->db, st)) == 1 && n < limit) {
		push(&j, items, brief(&j, st));
		last = sqlite3_column_int64(st, APQ_N);
		n++;
	}
	sqlite3_reset(st);
	if (rc < 0)
		j.err = true;
	put(&j, o, "items", items);
	if (rc == 1) {
		/* one more row than asked for: there is a next page */
		struct buf u;
		buf_init(&u, 256);
		buf_printf(&u, "/api/v1/records?after=%lld&limit=%d%s%s", last, limit,
			   type ? "&type=" : "", type ? type : "");
		put(&j, o, "next", u.err ? NULL : json_string(buf_str(&u)));
		buf_free(&u);
	} else {
		put(&j, o, "next", json_null());
	}
	return send_json(rq, o, &j);
}

/* plain_snippet: a search snippet without its \x01 \x02 match marks */
static json_t *plain_snippet(sqlite3_stmt *st)
{
	const char *s = db_text_or_null(st, SQ_SNIPPET);
	struct buf b;
	json_t *v;

	if (!s)
		return json_null();
	buf_init(&b, 1 << 16);
	for (; *s; s++)
		if (*s != '\x01' && *s != '\x02')
			buf_putc(&b, *s);
	v = b.err ? NULL : json_string(b.len ? buf_str(&b) : "");
	buf_free(&b);
	return v;
}

static const char *const facet_names[SQ_NFACETS] = {"type", "decade", "place", "agent",
						    "collection"};

int api_search(struct req *rq)
{
	struct jb j = {0};
	struct search_query sq = {.page = 1};
	const char *v[SQ_NFACETS];
	unsigned long long page;
	sqlite3_stmt *st;
	json_t *o, *items, *facets;
	int total, rc = 0;

	for (int f = 0; f < SQ_NFACETS; f++) {
		v[f] = req_arg(rq, facet_names[f]);
		if (!v[f] || !*v[f])
			continue;
		if ((f == SQ_FACET_TYPE && !type_valid(v[f])) ||
		    (f == SQ_FACET_DECADE && (strlen(v[f]) != 4 || strspn(v[f], "0123456789") != 4 ||
					      v[f][3] != '0')) ||
		    (f > SQ_FACET_DECADE && !str_slug_valid(v[f])))
			return req_fail(rq, 400, "a filter is malformed: type is a record type, "
					"decade four digits ending in 0 (1980), place, agent and "
					"collection a record's slug");
	}
	if (!parse_count(rq, "page", SEARCH_PAGE_MAX, 1, &page) || page == 0)
		return req_fail(rq, 400, "page must be a whole number from 1 to 500");
	sq.page = (int)page;
	sq.text = req_arg(rq, "q");
	sq.type = v[SQ_FACET_TYPE];
	sq.decade = v[SQ_FACET_DECADE];
	sq.place = v[SQ_FACET_PLACE];
	sq.agent = v[SQ_FACET_AGENT];
	sq.collection = v[SQ_FACET_COLLECTION];
	sq.lang = rq->lang;
	total = search_run(rq->db, &sq);
	if (total < 0)
		return req_fail(rq, 500, NULL);
	o = json_object();
	put(&j, o, "total", json_integer(total));
	put(&j, o, "total_estimated", json_boolean(sq.estimated));
	put(&j, o, "page", json_integer(sq.page));
	put(&j, o, "per_page", json_integer(SEARCH_PER_PAGE));
	items = json_array();
	st = sq_page(rq->db, rq->lang, SEARCH_PER_PAGE, (sq.page - 1) * SEARCH_PER_PAGE);
	if (!st)
		j.err = true;
	while (st && (rc = db_step(rq->db, st)) == 1) {
		json_t *b = brief(&j, st);
		put(&j, b, "snippet", plain_snippet(st));
		push(&j, items, b);
	}
	if (st) {
		if (rc < 0)
			j.err = true;
		sqlite3_reset(st);
	}
	put(&j, o, "items", items);
	facets = json_object();
	for (int f = 0; f < SQ_NFACETS; f++) {
		json_t *a = json_array();
		st = sq_facet(rq->db, (enum sq_facet)f, rq->lang);
		if (!st)
			j.err = true;
		while (st && (rc = db_step(rq->db, st)) == 1) {
			json_t *e = json_object();
			put(&j, e, "value", col(st, 0));
			put(&j, e, "label", col(st, 1));
			put(&j, e, "count", col_int(st, 2));
			push(&j, a, e);
		}
		if (st) {
			if (rc < 0)
				j.err = true;
			sqlite3_reset(st);
		}
		put(&j, facets, facet_names[f], a);
	}
	put(&j, o, "facets", facets);
	return send_json(rq, o, &j);
}

int api_changes(struct req *rq)
{
	struct jb j = {0};
	unsigned long long since;
	long long seq = 0;
	int limit, rc, n = 0;
	sqlite3_stmt *st;
	json_t *o, *items;

	if (!parse_count(rq, "since", (unsigned long long)1 << 62, 0, &since))
		return req_fail(rq, 400, "since must be a change number (0 for the beginning, "
				"else the \"next_since\" of an earlier page)");
	if ((rc = limit_arg(rq, &limit)))
		return rc;
	st = apq_changes(rq->db, (long long)since, limit + 1, policy_can_edit(&rq->principal));
	if (!st)
		return req_fail(rq, 500, NULL);
	seq = (long long)since;
	o = json_object();
	items = json_array();
	while ((rc = db_step(rq->db, st)) == 1 && n < limit) {
		json_t *e = json_object();
		seq = sqlite3_column_int64(st, 0);
		put(&j, e, "seq", json_integer(seq));
		put(&j, e, "id", col(st, 1));
		put(&j, e, "type", col(st, 2));
		put(&j, e, "op", col(st, 3));
		put(&j, e, "at", col(st, 4));
		put(&j, e, "slug", col(st, 5));
		push(&j, items, e);
		n++;
	}
	sqlite3_reset(st);
	if (rc < 0)
		j.err = true;
	put(&j, o, "items", items);
	put(&j, o, "next_since", json_integer(seq));
	put(&j, o, "more", json_boolean(rc == 1));
	return send_json(rq, o, &j);
}

/* file_json: a file from an FQ_* row, with its object's fixity */
static json_t *file_json(struct req *rq, struct jb *j, sqlite3_stmt *st)
{
	json_t *o = json_object(), *fx = json_object();
	const char *techmd = db_text_or_null(st, FQ_TECHMD);
	sqlite3_stmt *fs;
	struct buf u;

	put(j, o, "id", col(st, FQ_ID));
	put(j, o, "record_id", col(st, FQ_RECORD_ID));
	put(j, o, "role", col(st, FQ_ROLE));
	put(j, o, "name", col(st, FQ_NAME));
	put(j, o, "size", col_int(st, FQ_SIZE));
	put(j, o, "mime", col(st, FQ_MIME));
	put(j, o, "sha256", col(st, FQ_SHA256));
	put(j, o, "md5", col(st, FQ_MD5));
	put(j, o, "derivative", col(st, FQ_DERIVATIVE));
	put(j, o, "derived_from", col(st, FQ_DERIVED_FROM));
	put(j, o, "created", col(st, FQ_CREATED));
	{
		json_t *t = techmd ? json_loads(techmd, 0, NULL) : NULL;
		put(j, o, "techmd", json_is_object(t) ? t : (json_decref(t), json_null()));
	}
	buf_init(&u, 128);
	buf_printf(&u, "/media/%s", db_text(st, FQ_ID));
	put(j, o, "media", u.err ? NULL : json_string(buf_str(&u)));
	buf_free(&u);
	/* the object's last fixity check (a separate statement: st stays) */
	fs = apq_fixity(rq->db, db_text(st, FQ_SHA256));
	if (fs && db_step(rq->db, fs) == 1) {
		put(j, fx, "checked", col(fs, 0));
		put(j, fx, "ok", sqlite3_column_type(fs, 1) == SQLITE_NULL ? json_null() :
		    json_boolean(sqlite3_column_int(fs, 1)));
	} else {
		put(j, fx, "checked", json_null());
		put(j, fx, "ok", json_null());
	}
	if (fs)
		sqlite3_reset(fs);
	put(j, o, "fixity", fx);
	return o;
}

/* record_readable: 1 and the record's id copied when the principal may
 * read record key (id or slug), 0 when not, or a negative ERR_*. */
static int record_readable(struct req *rq, const char *key, char id[UUID_STR_LEN + 1])
{
	sqlite3_stmt *st = apq_record(rq->db, key, rq->lang);
	int rc;

	if (!st)
		return ERR_DB;
	rc = db_step(rq->db, st);
	if (rc == 1)
		snprintf(id, UUID_STR_LEN + 1, "%s", db_text(st, QR_ID));
	sqlite3_reset(st);
	return rc;
}

int api_files(struct req *rq)
{
	struct jb j = {0};
	const char *key = req_arg(rq, "record");
	char id[UUID_STR_LEN + 1];
	sqlite3_stmt *st;
	json_t *o, *items;
	int rc;

	if (!key || !*key)
		return req_fail(rq, 400, "record is needed: the id or slug of the record whose "
				"files to list (/api/v1/files?record=ID)");
	rc = record_readable(rq, key, id);
	if (rc != 1)
		return rc == 0 ? req_fail(rq, 404, "No record has this id or slug, or you may not "
					  "read it.") : req_fail(rq, 500, NULL);
	st = fq_files_of(rq->db, id);
	if (!st)
		return req_fail(rq, 500, NULL);
	o = json_object();
	items = json_array();
	while ((rc = db_step(rq->db, st)) == 1)
		push(&j, items, file_json(rq, &j, st));
	sqlite3_reset(st);
	if (rc < 0)
		j.err = true;
	put(&j, o, "items", items);
	return send_json(rq, o, &j);
}

int api_file(struct req *rq)
{
	struct jb j = {0};
	struct file_ref ref;
	char id[UUID_STR_LEN + 1];
	sqlite3_stmt *st;
	json_t *o = NULL;
	int rc;

	/* the file's own level, and its record readable too: the answer
	 * names the record */
	rc = fq_file_readable(rq->db, rq->slug, &ref);
	if (rc < 0)
		return req_fail(rq, 500, NULL);
	st = rc == 1 ? fq_file(rq->db, rq->slug) : NULL;
	if (rc == 1 && !st)
		return req_fail(rq, 500, NULL);
	if (st && (rc = db_step(rq->db, st)) == 1) {
		char rid[UUID_STR_LEN + 1];
		snprintf(rid, sizeof rid, "%s", db_text(st, FQ_RECORD_ID));
		if (record_readable(rq, rid, id) == 1)
			o = file_json(rq, &j, st);
	}
	if (st)
		sqlite3_reset(st);
	if (!o)
		return req_fail(rq, 404, "No file has this id, or you may not read it.");
	return send_json(rq, o, &j);
}
