/* import.c: validate and write a JSON file of catalogue records.
 *
 * Validation runs inside the write transaction, so references can be
 * checked against the archive as it is; any problem rolls everything back.
 * Each record goes through check_record() (shape and values, every problem
 * reported) and later write_record() (which may assume a checked record). */
#include "import.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/db.h"
#include "db/record_q.h"

#define MAX_ERRORS 1000
#define TITLE_MAX 1000
#define TEXT_MAX (1 << 20)	/* a description */
#define DOC_TEXT_MAX (16 << 20)	/* a transcription */

static const char *const record_types[] = {
	"work", "document", "agent", "place", "event", "collection", "subject", NULL};
static const char *const title_kinds[] = {
	"main", "original", "translated", "alternative", NULL};
static const char *const credit_roles[] = {
	"director", "camera", "sound", "editor", "participant", "producer", "writer",
	"composer", "performer", "instructor", "author", "publisher", "other", NULL};
static const char *const relation_types[] = {
	"part_of", "subject", "about", "depicts", "place", "participant", "mentions",
	"related", NULL};
static const char *const doc_types[] = {
	"contract", "thesis", "pamphlet", "letter", "article", "table", "book", "report",
	"other", NULL};
static const char *const agent_kinds[] = {"person", "organisation", NULL};
static const char *const manif_fields[] = {
	"kind", "format", "gauge", "colour", "sound", "aspect", "notes", NULL};

static const char *const common_fields[] = {
	"type", "id", "slug", "titles", "descriptions", "date", "date_end", "relations",
	"source", "access", "embargo_until", NULL};
static const char *const access_levels[] = {
	"public", "registered", "community", "private", NULL};
static const char *const work_fields[] = {
	"original_language", "country", "duration", "forms", "credits", "manifestations", NULL};
static const char *const document_fields[] = {"doc_type", "text", "pages", "credits", NULL};
static const char *const agent_fields[] = {"kind", NULL};
static const char *const place_fields[] = {"lat", "lon", "country", NULL};
static const char *const no_fields[] = {NULL};

/* One record as checked: the JSON object plus what was resolved. */
struct rec {
	json_t *obj;			/* borrowed from the document */
	const char *type;
	char slug[SLUG_MAX + 1];
	char id[UUID_STR_LEN + 1];
	char digest[65];		/* BLAKE2b-256 of the record's canonical JSON */
	bool existed;			/* matched a record in the archive */
	bool unchanged;			/* existed with the same digest: not rewritten */
	struct buf errors;		/* its problems, printed in record order */
};

struct ctx {
	struct db *db;
	const char *name;
	struct buf *errors;
	int nerr;
	struct rec *recs;
	size_t nrecs;
};

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* bad records one problem with record i (i < 0: the whole file). */
__attribute__((format(printf, 4, 5)))
static void bad(struct ctx *c, long i, const char *field, const char *fmt, ...)
{
	struct buf *out = c->errors;
	va_list ap;

	if (++c->nerr > MAX_ERRORS)
		return;
	if (c->nerr == MAX_ERRORS) {
		buf_printf(c->errors, "%s: too many errors, stopping here\n", c->name);
		return;
	}
	if (i >= 0) {
		const char *slug = c->recs && c->recs[i].slug[0] ? c->recs[i].slug : NULL;
		out = &c->recs[i].errors;
		buf_printf(out, "%s: records[%ld]%s%s%s: %s%s", c->name, i,
			   slug ? " (" : "", slug ? slug : "", slug ? ")" : "",
			   field ? field : "", field ? ": " : "");
	} else {
		buf_printf(out, "%s: %s%s", c->name, field ? field : "", field ? ": " : "");
	}
	va_start(ap, fmt);
	buf_vprintf(out, fmt, ap);
	va_end(ap);
	buf_putc(out, '\n');
}

/* text_field returns the string at key, NULL when absent or null; reports
 * a problem (and returns NULL) for non-strings, empty or oversized text,
 * invalid UTF-8 or control characters. */
static const char *text_field(struct ctx *c, long i, json_t *obj, const char *key,
			      const char *path, size_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n;

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		bad(c, i, path, "must be a string");
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0) {
		bad(c, i, path, "is empty (leave the field out instead)");
		return NULL;
	}
	if (n > max) {
		bad(c, i, path, "is %zu bytes, more than the %zu allowed", n, max);
		return NULL;
	}
	if (strlen(s) != n) {
		bad(c, i, path, "contains a NUL character");
		return NULL;
	}
	for (size_t k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
			bad(c, i, path, "contains control character U+%04X", ch);
			return NULL;
		}
	}
	return s;
}

static void check_keys(struct ctx *c, long i, json_t *obj, const char *prefix,
		       const char *const *a, const char *const *b)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		(void)v;
		if (!in_list(key, a) && !(b && in_list(key, b)))
			bad(c, i, NULL, "%s%s%s: unknown field", prefix, prefix[0] ? "." : "", key);
	}
}

static void check_enum(struct ctx *c, long i, json_t *obj, const char *key,
		       const char *path, const char *const *list, bool required)
{
	const char *s = text_field(c, i, obj, key, path, 64);
	json_t *v = json_object_get(obj, key);

	if (!s) {
		if (required && (!v || json_is_null(v)))
			bad(c, i, path, "is required");
		return;
	}
	if (!in_list(s, list)) {
		struct buf allowed;
		buf_init(&allowed, 1024);
		for (const char *const *l = list; *l; l++)
			buf_printf(&allowed, "%s%s", l == list ? "" : ", ", *l);
		bad(c, i, path, "\"%s\" is not one of %s", s, buf_str(&allowed));
		buf_free(&allowed);
	}
}

static void check_lang(struct ctx *c, long i, json_t *obj, const char *key, const char *path)
{
	const char *s = text_field(c, i, obj, key, path, 35);

	if (s && !str_lang_valid(s))
		bad(c, i, path, "\"%s\" is not a language tag such as es, en, qu, fr", s);
}

static void check_country(struct ctx *c, long i, json_t *obj)
{
	const char *s = text_field(c, i, obj, "country", "country", 2);

	if (s && !(strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'))
		bad(c, i, "country", "\"%s\" is not an ISO 3166 code such as BO or FR", s);
}

/* check_posint returns the positive integer at key, -1 when absent, or -2
 * after reporting a problem. */
static long long check_posint(struct ctx *c, long i, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		bad(c, i, key, "must be a positive whole number");
		return -2;
	}
	return json_integer_value(v);
}

/* array_field returns the array at key (NULL when absent), reporting
 * non-arrays and arrays longer than max. */
static json_t *array_field(struct ctx *c, long i, json_t *obj, const char *key, size_t max)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		bad(c, i, key, "must be an array");
		return NULL;
	}
	if (json_array_size(v) > max) {
		bad(c, i, key, "has %zu entries, more than the %zu allowed",
		    json_array_size(v), max);
		return NULL;
	}
	return v;
}

/* find_slug returns the index of the record with this slug in the file, or -1. */
static long find_slug(struct ctx *c, const char *slug)
{
	for (size_t k = 0; k < c->nrecs; k++)
		if (strcmp(c->recs[k].slug, slug) == 0)
			return (long)k;
	return -1;
}

/* resolve_ref checks that slug names a record (in the file or archive) of
 * one of the wanted types (NULL: any), and copies its id into id_out. */
static bool resolve_ref(struct ctx *c, long i, const char *path, const char *slug,
			const char *const *types, char id_out[UUID_STR_LEN + 1])
{
	char type[16] = "";
	long k = find_slug(c, slug);
	int rc;

	if (k >= 0) {
		snprintf(type, sizeof type, "%s", c->recs[k].type);
		snprintf(id_out, UUID_STR_LEN + 1, "%s", c->recs[k].id);
	} else {
		rc = rq_find_by_slug(c->db, slug, id_out, type);
		if (rc < 0) {
			bad(c, i, path, "cannot look up \"%s\": %s", slug, c->db->err);
			return false;
		}
		if (rc == 0) {
			bad(c, i, path, "no record \"%s\" in this file or the archive", slug);
			return false;
		}
	}
	if (types && !in_list(type, types)) {
		bad(c, i, path, "\"%s\" is a %s, expected a %s%s%s", slug, type, types[0],
		    types[1] ? " or " : "", types[1] ? types[1] : "");
		return false;
	}
	return true;
}

static void check_titles(struct ctx *c, long i, json_t *obj, const char *key,
			 bool required, size_t max)
{
	json_t *arr = array_field(c, i, obj, key, 100), *t;
	size_t k;
	char path[64];

	if (!arr) {
		if (required && !json_object_get(obj, key))
			bad(c, i, key, "is required (at least one)");
		return;
	}
	if (required && json_array_size(arr) == 0)
		bad(c, i, key, "is required (at least one)");
	json_array_foreach(arr, k, t) {
		snprintf(path, sizeof path, "%s[%zu]", key, k);
		if (!json_is_object(t)) {
			bad(c, i, path, "must be an object with \"text\"");
			continue;
		}
		check_keys(c, i, t, path, (const char *const[]){"text", "lang", "kind", NULL}, NULL);
		snprintf(path, sizeof path, "%s[%zu].text", key, k);
		if (!text_field(c, i, t, "text", path, max) && !json_object_get(t, "text"))
			bad(c, i, path, "is required");
		snprintf(path, sizeof path, "%s[%zu].lang", key, k);
		check_lang(c, i, t, "lang", path);
		if (strcmp(key, "titles") == 0) {
			snprintf(path, sizeof path, "%s[%zu].kind", key, k);
			check_enum(c, i, t, "kind", path, title_kinds, false);
		}
	}
}

static void check_credits(struct ctx *c, long i, json_t *obj)
{
	static const char *const agent_type[] = {"agent", NULL};
	json_t *arr = array_field(c, i, obj, "credits", 1000), *t;
	char path[64], id[UUID_STR_LEN + 1];
	const char *slug;
	size_t k;

	json_array_foreach(arr, k, t) {
		snprintf(path, sizeof path, "credits[%zu]", k);
		if (!json_is_object(t)) {
			bad(c, i, path, "must be an object with \"agent\" and \"role\"");
			continue;
		}
		check_keys(c, i, t, path, (const char *const[]){"agent", "role", NULL}, NULL);
		snprintf(path, sizeof path, "credits[%zu].agent", k);
		slug = text_field(c, i, t, "agent", path, SLUG_MAX);
		if (slug)
			resolve_ref(c, i, path, slug, agent_type, id);
		else if (!json_object_get(t, "agent"))
			bad(c, i, path, "is required");
		snprintf(path, sizeof path, "credits[%zu].role", k);
		check_enum(c, i, t, "role", path, credit_roles, true);
	}
}

static void check_relations(struct ctx *c, long i, json_t *obj)
{
	static const char *const collection[] = {"collection", NULL};
	static const char *const subject[] = {"subject", NULL};
	static const char *const place[] = {"place", NULL};
	static const char *const agent[] = {"agent", NULL};
	json_t *arr = array_field(c, i, obj, "relations", 10000), *t;
	char path[64], id[UUID_STR_LEN + 1];
	const char *slug, *type;
	const char *const *want;
	size_t k;

	json_array_foreach(arr, k, t) {
		snprintf(path, sizeof path, "relations[%zu]", k);
		if (!json_is_object(t)) {
			bad(c, i, path, "must be an object with \"type\" and \"to\"");
			continue;
		}
		check_keys(c, i, t, path, (const char *const[]){"type", "to", NULL}, NULL);
		snprintf(path, sizeof path, "relations[%zu].type", k);
		check_enum(c, i, t, "type", path, relation_types, true);
		type = json_string_value(json_object_get(t, "type"));
		want = NULL;
		if (type && strcmp(type, "part_of") == 0)
			want = collection;
		else if (type && strcmp(type, "subject") == 0)
			want = subject;
		else if (type && strcmp(type, "place") == 0)
			want = place;
		else if (type && strcmp(type, "participant") == 0)
			want = agent;
		snprintf(path, sizeof path, "relations[%zu].to", k);
		slug = text_field(c, i, t, "to", path, SLUG_MAX);
		if (slug) {
			if (strcmp(slug, c->recs[i].slug) == 0)
				bad(c, i, path, "a record cannot relate to itself");
			else
				resolve_ref(c, i, path, slug, want, id);
		} else if (!json_object_get(t, "to")) {
			bad(c, i, path, "is required");
		}
	}
}

static void check_manifestations(struct ctx *c, long i, json_t *obj)
{
	json_t *arr = array_field(c, i, obj, "manifestations", 1000), *m;
	char path[64];
	size_t k;

	json_array_foreach(arr, k, m) {
		snprintf(path, sizeof path, "manifestations[%zu]", k);
		if (!json_is_object(m)) {
			bad(c, i, path, "must be an object");
			continue;
		}
		check_keys(c, i, m, path, manif_fields, (const char *const[]){"id", NULL});
		for (const char *const *f = manif_fields; *f; f++) {
			snprintf(path, sizeof path, "manifestations[%zu].%s", k, *f);
			text_field(c, i, m, *f, path, *f == manif_fields[6] ? TEXT_MAX : 200);
		}
		snprintf(path, sizeof path, "manifestations[%zu].id", k);
		const char *mid = text_field(c, i, m, "id", path, UUID_STR_LEN);
		if (mid && !uuid_valid(mid))
			bad(c, i, path, "\"%s\" is not a UUID", mid);
		if (!json_is_string(json_object_get(m, "kind")) &&
		    !json_is_string(json_object_get(m, "format"))) {
			snprintf(path, sizeof path, "manifestations[%zu]", k);
			bad(c, i, path, "needs a \"kind\" or a \"format\"");
		}
	}
}

static void check_date(struct ctx *c, long i, json_t *obj, const char *key, bool required)
{
	const char *s = text_field(c, i, obj, key, key, 10);

	if (!s) {
		if (required && !json_object_get(obj, key))
			bad(c, i, key, "is required for this type");
		return;
	}
	if (!str_date_valid(s))
		bad(c, i, key, "\"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD", s);
}

/* digest hashes the record as written in the file (keys sorted, compact),
 * so re-importing an unchanged record can leave it, and its change log,
 * alone. */
static void digest(struct rec *r)
{
	unsigned char h[32];
	char *text = json_dumps(r->obj, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);

	r->digest[0] = '\0';
	if (!text)
		return;
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(r->digest, sizeof r->digest, h, sizeof h);
	free(text);
}

/* identify fills in the slug, id and type of record i (first pass), so
 * that references between records of one file can be checked. */
static void identify(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	json_t *obj = r->obj, *titles;
	const char *type, *slug, *id;
	char found_id[UUID_STR_LEN + 1], found_type[16];
	int rc;

	slug = text_field(c, i, obj, "slug", "slug", 1000);
	if (slug) {
		if (!str_slug_valid(slug)) {
			bad(c, i, "slug", "\"%.100s\" must be lower-case letters, digits and single "
			    "hyphens, at most %d characters", slug, SLUG_MAX);
			slug = NULL;
		} else {
			snprintf(r->slug, sizeof r->slug, "%s", slug);
		}
	} else if (!json_object_get(obj, "slug")) {
		titles = json_object_get(obj, "titles");
		json_t *t0 = json_is_array(titles) ? json_array_get(titles, 0) : NULL;
		const char *text = t0 ? json_string_value(json_object_get(t0, "text")) : NULL;
		if (text && str_slugify(text, r->slug) > 0) {
			/* a made slug yields to slugs taken in the file or archive */
			char base[SLUG_MAX + 1];
			snprintf(base, sizeof base, "%s", r->slug);
			for (int n = 2; find_slug(c, r->slug) >= 0 && find_slug(c, r->slug) != i; n++) {
				char suffix[16];
				int sl = snprintf(suffix, sizeof suffix, "-%d", n);
				snprintf(r->slug, sizeof r->slug, "%.*s%s", SLUG_MAX - sl, base, suffix);
			}
		}
	}

	type = text_field(c, i, obj, "type", "type", 16);
	if (!type) {
		if (!json_object_get(obj, "type"))
			bad(c, i, "type", "is required");
	} else if (!in_list(type, record_types)) {
		bad(c, i, "type", "\"%s\" is not one of work, document, agent, place, event, "
		    "collection, subject", type);
		type = NULL;
	}
	r->type = type ? type : "";

	id = text_field(c, i, obj, "id", "id", UUID_STR_LEN);
	if (id && !uuid_valid(id)) {
		bad(c, i, "id", "\"%s\" is not a UUID", id);
		id = NULL;
	}
	if (id) {
		char low[UUID_STR_LEN + 1];
		for (int k = 0; k <= UUID_STR_LEN; k++)
			low[k] = (char)(id[k] >= 'A' && id[k] <= 'F' ? id[k] - 'A' + 'a' : id[k]);
		snprintf(r->id, sizeof r->id, "%s", low);
		for (long k = 0; k < i; k++)
			if (strcmp(c->recs[k].id, r->id) == 0)
				bad(c, i, "id", "%s is also the id of records[%ld]", r->id, k);
		rc = rq_find_by_id(c->db, r->id, found_type, NULL);
		if (rc < 0)
			bad(c, i, "id", "cannot look up: %s", c->db->err);
		r->existed = rc == 1;
		if (rc == 1 && type && strcmp(found_type, type) != 0)
			bad(c, i, "type", "the archive's record %s is a %s, not a %s", r->id,
			    found_type, type);
	}
	if (!r->slug[0])
		return;
	for (long k = 0; k < i; k++)
		if (strcmp(c->recs[k].slug, r->slug) == 0)
			bad(c, i, "slug", "\"%s\" is also the slug of records[%ld]", r->slug, k);
	rc = rq_find_by_slug(c->db, r->slug, found_id, found_type);
	if (rc < 0) {
		bad(c, i, "slug", "cannot look up: %s", c->db->err);
	} else if (rc == 1) {
		if (r->id[0] && strcmp(found_id, r->id) != 0) {
			bad(c, i, "slug", "\"%s\" belongs to another record in the archive (%s)",
			    r->slug, found_id);
		} else if (!r->id[0]) {
			snprintf(r->id, sizeof r->id, "%s", found_id);
			r->existed = true;
			if (type && strcmp(found_type, type) != 0)
				bad(c, i, "type", "the archive's \"%s\" is a %s, not a %s", r->slug,
				    found_type, type);
		}
	}
	if (!r->id[0])
		uuid_v7(r->id);
	digest(r);
	if (r->existed && rq_digest_is(c->db, r->id, r->digest) == 1)
		r->unchanged = true;
}

/* check_record validates everything but identity (second pass). */
static void check_record(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	json_t *obj = r->obj;
	const char *type = r->type;

	check_keys(c, i, obj, "", common_fields,
		   strcmp(type, "work") == 0 ? work_fields :
		   strcmp(type, "document") == 0 ? document_fields :
		   strcmp(type, "agent") == 0 ? agent_fields :
		   strcmp(type, "place") == 0 ? place_fields : no_fields);
	check_titles(c, i, obj, "titles", true, TITLE_MAX);
	check_titles(c, i, obj, "descriptions", false, TEXT_MAX);
	check_date(c, i, obj, "date", strcmp(type, "event") == 0);
	check_date(c, i, obj, "date_end", false);
	{
		const char *d = json_string_value(json_object_get(obj, "date"));
		const char *e = json_string_value(json_object_get(obj, "date_end"));
		if (e && !d)
			bad(c, i, "date_end", "needs a date to end from");
		else if (d && e && str_date_valid(d) && str_date_valid(e) && strcmp(e, d) < 0)
			bad(c, i, "date_end", "\"%s\" is before the date \"%s\"", e, d);
	}
	text_field(c, i, obj, "source", "source", TEXT_MAX);
	check_enum(c, i, obj, "access", "access", access_levels, false);
	check_date(c, i, obj, "embargo_until", false);
	{
		const char *e = json_string_value(json_object_get(obj, "embargo_until"));
		if (e && str_date_valid(e) && strlen(e) != 10)
			bad(c, i, "embargo_until", "\"%s\" must be a whole date, YYYY-MM-DD", e);
	}
	check_relations(c, i, obj);

	if (strcmp(type, "work") == 0) {
		json_t *forms = array_field(c, i, obj, "forms", 50), *f;
		size_t k;
		char path[32];

		check_lang(c, i, obj, "original_language", "original_language");
		check_country(c, i, obj);
		check_posint(c, i, obj, "duration");
		json_array_foreach(forms, k, f) {
			snprintf(path, sizeof path, "forms[%zu]", k);
			if (!json_is_string(f) || json_string_length(f) == 0 ||
			    json_string_length(f) > 100)
				bad(c, i, path, "must be a short text such as \"documentary\"");
		}
		check_credits(c, i, obj);
		check_manifestations(c, i, obj);
	} else if (strcmp(type, "document") == 0) {
		check_enum(c, i, obj, "doc_type", "doc_type", doc_types, false);
		text_field(c, i, obj, "text", "text", DOC_TEXT_MAX);
		check_posint(c, i, obj, "pages");
		check_credits(c, i, obj);
	} else if (strcmp(type, "agent") == 0) {
		check_enum(c, i, obj, "kind", "kind", agent_kinds, true);
	} else if (strcmp(type, "place") == 0) {
		json_t *lat = json_object_get(obj, "lat"), *lon = json_object_get(obj, "lon");
		check_country(c, i, obj);
		if (!lat != !lon)
			bad(c, i, lat ? "lon" : "lat", "is required when the other coordinate is given");
		if (lat && (!json_is_number(lat) || fabs(json_number_value(lat)) > 90))
			bad(c, i, "lat", "must be a number of degrees between -90 and 90");
		if (lon && (!json_is_number(lon) || fabs(json_number_value(lon)) > 180))
			bad(c, i, "lon", "must be a number of degrees between -180 and 180");
	}
}

static const char *str_at(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int write_titles(struct ctx *c, struct rec *r, const char *key)
{
	json_t *arr = json_object_get(r->obj, key), *t;
	size_t k;
	int rc = 0;

	json_array_foreach(arr, k, t) {
		if (strcmp(key, "titles") == 0)
			rc = rq_add_title(c->db, r->id, (int)k, str_at(t, "text"), str_at(t, "lang"),
					  str_at(t, "kind"));
		else
			rc = rq_add_description(c->db, r->id, (int)k, str_at(t, "text"),
						str_at(t, "lang"));
		if (rc)
			return rc;
	}
	return 0;
}

static int write_links(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	json_t *t;
	size_t k;
	char id[UUID_STR_LEN + 1];
	int rc;

	json_array_foreach(json_object_get(r->obj, "credits"), k, t) {
		if (!resolve_ref(c, i, "credits", str_at(t, "agent"), NULL, id))
			return ERR_INVALID;
		if ((rc = rq_add_credit(c->db, r->id, (int)k, id, str_at(t, "role"))))
			return rc;
	}
	json_array_foreach(json_object_get(r->obj, "relations"), k, t) {
		if (!resolve_ref(c, i, "relations", str_at(t, "to"), NULL, id))
			return ERR_INVALID;
		if ((rc = rq_add_relation(c->db, r->id, (int)k, str_at(t, "type"), id)))
			return rc;
	}
	return 0;
}

static int write_record(struct ctx *c, struct rec *r)
{
	json_t *o = r->obj;
	int rc;

	rc = rq_put_record(c->db, r->id, r->type, r->slug, str_at(o, "date"),
			   str_at(o, "date_end"), str_at(o, "source"), str_at(o, "access"),
			   str_at(o, "embargo_until"), r->digest, r->existed);
	if (rc == 0)
		rc = write_titles(c, r, "titles");
	if (rc == 0)
		rc = write_titles(c, r, "descriptions");
	if (rc)
		return rc;
	if (strcmp(r->type, "work") == 0) {
		json_t *forms = json_object_get(o, "forms"), *m;
		char *forms_json = forms ? json_dumps(forms, JSON_COMPACT) : NULL;
		json_t *dur = json_object_get(o, "duration");
		size_t k;

		rc = rq_set_work(c->db, r->id, str_at(o, "original_language"), str_at(o, "country"),
				 json_is_integer(dur) ? json_integer_value(dur) : -1, forms_json);
		free(forms_json);
		json_array_foreach(json_object_get(o, "manifestations"), k, m) {
			const char *f[7];
			char mid[UUID_STR_LEN + 1];
			if (rc)
				break;
			for (int j = 0; j < 7; j++)
				f[j] = str_at(m, manif_fields[j]);
			if (str_at(m, "id"))
				snprintf(mid, sizeof mid, "%s", str_at(m, "id"));
			else
				uuid_v7(mid);
			rc = rq_add_manifestation(c->db, mid, r->id, (int)k, f);
		}
	} else if (strcmp(r->type, "document") == 0) {
		json_t *pages = json_object_get(o, "pages");
		rc = rq_set_document(c->db, r->id, str_at(o, "doc_type"),
				     json_is_integer(pages) ? json_integer_value(pages) : -1,
				     str_at(o, "text"));
	} else if (strcmp(r->type, "agent") == 0) {
		rc = rq_set_agent(c->db, r->id, str_at(o, "kind"));
	} else if (strcmp(r->type, "place") == 0) {
		json_t *lat = json_object_get(o, "lat");
		rc = rq_set_place(c->db, r->id, lat != NULL, json_number_value(lat),
				  json_number_value(json_object_get(o, "lon")), str_at(o, "country"));
	}
	return rc;
}

int import_json(struct db *db, const char *text, size_t len, const char *name,
		struct buf *errors, struct import_stats *stats)
{
	struct ctx c = {.db = db, .name = name, .errors = errors};
	json_error_t jerr;
	json_t *root, *records, *v;
	const char **ids = NULL;
	int rc = ERR_INVALID, nids = 0;
	size_t i;

	memset(stats, 0, sizeof *stats);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		buf_printf(errors, "%s:%d:%d: not valid JSON: %s\n", name, jerr.line, jerr.column,
			   jerr.text);
		return ERR_INVALID;
	}
	if (!json_is_object(root)) {
		bad(&c, -1, NULL, "the top level must be an object with \"records\"");
		goto out;
	}
	check_keys(&c, -1, root, "", (const char *const[]){"format", "version", "records", NULL},
		   NULL);
	v = json_object_get(root, "format");
	if (v && !(json_is_string(v) && strcmp(json_string_value(v), "cinemateca-import") == 0))
		bad(&c, -1, "format", "must be \"cinemateca-import\"");
	v = json_object_get(root, "version");
	if (v && !(json_is_integer(v) && json_integer_value(v) == 1))
		bad(&c, -1, "version", "this program reads version 1");
	records = json_object_get(root, "records");
	if (!json_is_array(records)) {
		bad(&c, -1, "records", "must be an array of records");
		goto out;
	}
	c.nrecs = json_array_size(records);
	c.recs = calloc(c.nrecs ? c.nrecs : 1, sizeof *c.recs);
	ids = calloc(c.nrecs ? c.nrecs : 1, sizeof *ids);
	if (!c.recs || !ids) {
		rc = ERR_NOMEM;
		buf_printf(errors, "%s: out of memory\n", name);
		goto out;
	}
	if ((rc = db_begin(db))) {
		buf_printf(errors, "%s: cannot start writing: %s\n", name, db->err);
		goto out;
	}
	for (i = 0; i < c.nrecs; i++)
		buf_init(&c.recs[i].errors, 1 << 16);
	for (i = 0; i < c.nrecs; i++) {
		c.recs[i].obj = json_array_get(records, i);
		if (!json_is_object(c.recs[i].obj)) {
			c.recs[i].type = "";
			bad(&c, (long)i, NULL, "must be an object");
			continue;
		}
		identify(&c, (long)i);
	}
	for (i = 0; i < c.nrecs; i++)
		if (json_is_object(c.recs[i].obj) && c.recs[i].type[0])
			check_record(&c, (long)i);
	if (c.nerr) {
		rc = ERR_INVALID;
		goto rollback;
	}
	/* all rows first so that links between records of the file resolve */
	for (i = 0; i < c.nrecs && rc == 0; i++) {
		if (c.recs[i].unchanged) {
			stats->unchanged++;
			continue;
		}
		rc = write_record(&c, &c.recs[i]);
		ids[nids++] = c.recs[i].id;
		if (c.recs[i].existed)
			stats->updated++;
		else
			stats->created++;
	}
	for (i = 0; i < c.nrecs && rc == 0; i++)
		if (!c.recs[i].unchanged)
			rc = write_links(&c, (long)i);
	if (rc == 0 && nids)
		rc = rq_reindex(db, ids, nids);
	if (rc == 0)
		rc = db_commit(db);
	if (rc == 0) {
		if (db->depth == 0 && nids > 0)
			db_optimize(db);
		goto out;
	}
	if (!c.nerr)
		buf_printf(errors, "%s: cannot write the catalogue: %s\n", name, db->err);
rollback:
	db_rollback(db);
	memset(stats, 0, sizeof *stats);
out:
	for (i = 0; c.recs && i < c.nrecs; i++) {
		buf_append(errors, c.recs[i].errors.data, c.recs[i].errors.len);
		buf_free(&c.recs[i].errors);
	}
	free(ids);
	free(c.recs);
	json_decref(root);
	return rc;
}
