/* jsonld.c: schema.org JSON-LD of records (see jsonld.h). Built with
 * jansson, then escaped for the inside of a script element. */
#include "jsonld.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "db/api_q.h"
#include "db/db.h"
#include "db/read_q.h"
#include "http/req.h"
#include "web/html.h"

/* schema.org properties of Movie for our credit roles; others are
 * contributors with the role named */
static const struct {
	const char *role, *property;
} roles[] = {
	{"director", "director"}, {"author", "author"}, {"composer", "musicBy"},
	{"producer", "producer"}, {"publisher", "publisher"}, {"performer", "actor"},
};

static const char *property_of(const char *role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].role, role) == 0)
			return roles[i].property;
	return NULL;
}

/* add appends v (consumed) to the array o[key], making it; false on failure */
static bool add(json_t *o, const char *key, json_t *v)
{
	json_t *a = json_object_get(o, key);

	if (!v)
		return false;
	if (!a) {
		a = json_array();
		if (!a || json_object_set_new(o, key, a)) {
			json_decref(v);
			return false;
		}
	}
	return json_array_append_new(a, v) == 0;
}

/* set sets o[key] to the string s when s is not empty */
static bool set(json_t *o, const char *key, const char *s)
{
	return !s || !*s || json_object_set_new(o, key, json_string(s)) == 0;
}

/* url makes base + path as a JSON string */
static json_t *url(const char *base, const char *path, const char *slug)
{
	char u[1024];
	int n = snprintf(u, sizeof u, "%s%s%s", base, path, slug);

	return n < 0 || (size_t)n >= sizeof u ? NULL : json_string(u);
}

static bool credits(struct req *rq, json_t *o, const char *id, const char *base)
{
	sqlite3_stmt *st = apq_credits(rq->db, id, rq->lang);
	bool ok = st != NULL;
	int rc = 0;

	while (ok && (rc = db_step(rq->db, st)) == 1) {
		const char *role = db_text(st, 0), *prop = property_of(role);
		json_t *agent = json_pack("{s:s, s:s, s:o*}", "@type",
					  strcmp(db_text(st, 3), "organisation") == 0 ?
					  "Organization" : "Person",
					  "name", db_text(st, 2),
					  "url", url(base, "/agent/", db_text(st, 1)));
		if (prop)
			ok = add(o, prop, agent);
		else
			ok = add(o, "contributor", agent ? json_pack("{s:s, s:s, s:o}", "@type", "Role",
								    "roleName", role, "contributor",
								    agent) : NULL);
	}
	if (st)
		sqlite3_reset(st);
	return ok && rc >= 0;
}

int jsonld_work(struct req *rq, struct buf *b, const char *id, const char *slug,
		const char *label, const char *date)
{
	char base[600] = "";
	json_t *o = json_object();
	sqlite3_stmt *st;
	char *text = NULL;
	bool ok;
	int rc = ERR_NOMEM;

	/* absolute when we know our address; else relative to the page */
	if (req_base_url(rq, base, sizeof base))
		base[0] = '\0';
	ok = o && set(o, "@context", "https://schema.org") && set(o, "@type", "Movie") &&
	     json_object_set_new(o, "@id", url(base, "/work/", slug)) == 0 &&
	     json_object_set_new(o, "url", url(base, "/work/", slug)) == 0 &&
	     set(o, "identifier", id) && set(o, "name", label) && set(o, "dateCreated", date);
	st = ok ? q_titles(rq->db, id) : NULL;
	while (ok && st && db_step(rq->db, st) == 1)
		if (strcmp(db_text(st, 0), label) != 0)
			ok = add(o, "alternateName", json_string(db_text(st, 0)));
	if (st)
		sqlite3_reset(st);
	st = ok ? q_work(rq->db, id) : NULL;
	if (ok && st && db_step(rq->db, st) == 1) {
		long long secs = sqlite3_column_int64(st, 2);
		char dur[32];
		ok = set(o, "inLanguage", db_text(st, 0));
		if (ok && *db_text(st, 1))
			ok = json_object_set_new(o, "countryOfOrigin",
						 json_pack("{s:s, s:s}", "@type", "Country",
							   "name", db_text(st, 1))) == 0;
		if (ok && secs > 0) {
			snprintf(dur, sizeof dur, "PT%lldM%lldS", secs / 60, secs % 60);
			ok = set(o, "duration", dur);
		}
	}
	if (st)
		sqlite3_reset(st);
	st = ok ? q_descriptions(rq->db, id, rq->lang) : NULL;
	if (ok && st && db_step(rq->db, st) == 1)
		ok = set(o, "description", db_text(st, 0));
	if (st)
		sqlite3_reset(st);
	st = ok ? q_rights(rq->db, id) : NULL;
	if (ok && st && db_step(rq->db, st) == 1)
		ok = set(o, "license", db_text(st, 0));
	if (st)
		sqlite3_reset(st);
	ok = ok && credits(rq, o, id, base);
	text = ok ? json_dumps(o, JSON_COMPACT) : NULL;
	if (!text)
		goto out;
	rc = html_script_json(b, text);
out:
	free(text);
	json_decref(o);
	return rc;
}
