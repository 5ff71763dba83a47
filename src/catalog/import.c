/* import.c: validate and write a JSON file of catalogue records.
 *
 * Validation reads the archive on a read snapshot, before the write lock
 * is taken, so a large file does not shut other writers out while it is
 * checked; the write transaction then holds only the writes. If another
 * writer committed in between (PRAGMA data_version moved), the file is
 * checked again inside the write transaction, so references are always
 * checked against the archive as written; any problem rolls everything
 * back. Each record goes through identify() and check_record() (shape and
 * values, every problem reported, null and wrong JSON types included) and
 * later write_record() (which may assume a checked record). Slugs and ids
 * of the file are found through hash tables, not by scanning, so checking
 * stays linear in the number of records. */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/label_q.h"
#include "db/record_q.h"
#include "labels.h"

#define MAX_ERRORS 1000
#define TITLE_MAX 1000
#define TEXT_MAX (1 << 20)	/* a description */
#define DOC_TEXT_MAX (16 << 20)	/* a transcription */
/* A document whose outline is not {"records": [...]} is read whole by
 * the parser, for its own words on what is wrong, up to this size. */
#define OUTLINE_WHOLE_MAX ((size_t)64 << 20)

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
	"source", "access", "embargo_until", "rights", "rights_statements", "labels", NULL};
static const char *const access_levels[] = {
	"public", "registered", "community", "private", NULL};
static const char *const work_fields[] = {
	"original_language", "country", "duration", "forms", "credits", "manifestations", NULL};
static const char *const document_fields[] = {"doc_type", "text", "pages", "credits", NULL};
static const char *const agent_fields[] = {"kind", NULL};
static const char *const place_fields[] = {"lat", "lon", "country", NULL};
static const char *const no_fields[] = {NULL};

/* One record as checked: where it is in the text and what was resolved.
 * Its JSON is parsed again at each pass and freed after (obj), so that
 * memory grows by this struct per record, not by the file's size. */
struct rec {
	size_t off, len;		/* its bytes in the text */
	json_t *obj;			/* parsed, while a pass looks at it; else NULL */
	const char *type;		/* an entry of record_types, or "" */
	char slug[SLUG_MAX + 1];
	char id[UUID_STR_LEN + 1];
	unsigned char digest[32];	/* BLAKE2b-256 of the record's canonical JSON */
	char was_access[16];		/* its level in the archive before, when it existed */
	bool object;			/* it is a JSON object */
	bool slug_given;		/* the slug is the file's, not one made here */
	bool existed;			/* matched a record in the archive */
	bool unchanged;			/* existed with the same digest: not rewritten */
};

/* A problem of one record, kept so that all are printed in record order. */
struct problem {
	long rec;			/* records[rec], or -1 for the file */
	size_t off, len;		/* its line in ctx.problems */
};

/* An open-addressing table of record indices, keyed by their slug or id. */
struct index {
	long *slot;			/* record index + 1; 0: empty */
	size_t mask;			/* slots - 1 (a power of two) */
};

struct ctx {
	struct db *db;
	const char *name;
	const char *actor;		/* audit in this name; NULL: the caller audits */
	const char *action;		/* the audit entries' action */
	struct buf *errors;
	int nerr;
	int nerr_file;			/* problems of the file as a whole (kept by validate) */
	struct rec *recs;
	size_t nrecs, cap;
	struct index by_slug, by_id;
	json_t *mids;			/* manifestation id -> record index, to find one given twice */
	const char *text;		/* the document */
	size_t len;
	const char *map;		/* the file's mapping, when text is in it (pages read
					 * are given back as passes go), else NULL */
	json_t *records;		/* the records as one parsed document, when the text
					 * could not be read record by record; else NULL */
	char label[64];			/* how messages name the record being looked at */
	size_t bad_at;			/* where split found the outline wrong */
	bool cut;			/* ... because the text ended there */
	struct buf problems;		/* the records' problems, one line each */
	struct problem *probs;		/* where each is, in the order found */
	int nprobs;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int index_init(struct index *ix, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	ix->slot = calloc(size, sizeof *ix->slot);
	ix->mask = size - 1;
	return ix->slot ? 0 : ERR_NOMEM;
}

static void index_clear(struct index *ix)
{
	memset(ix->slot, 0, (ix->mask + 1) * sizeof *ix->slot);
}

/* key_of is the slug (by_slug) or id of record k. */
static const char *key_of(struct ctx *c, const struct index *ix, long k)
{
	return ix == &c->by_slug ? c->recs[k].slug : c->recs[k].id;
}

/* index_find returns the record with this key, or -1. */
static long index_find(struct ctx *c, const struct index *ix, const char *key)
{
	for (size_t h = hash_str(key) & ix->mask;; h = (h + 1) & ix->mask) {
		long k = ix->slot[h] - 1;
		if (k < 0)
			return -1;
		if (strcmp(key_of(c, ix, k), key) == 0)
			return k;
	}
}

/* index_add files record i under its key; returns the record that
 * already has it (and files nothing), or -1. */
static long index_add(struct ctx *c, struct index *ix, long i)
{
	const char *key = key_of(c, ix, i);
	size_t h;

	for (h = hash_str(key) & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
		if (strcmp(key_of(c, ix, ix->slot[h] - 1), key) == 0)
			return ix->slot[h] - 1;
	ix->slot[h] = i + 1;
	return -1;
}

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
	if (c->nerr == MAX_ERRORS)
		return;	/* said after the records' problems, in import_json_as */
	if (i >= 0) {
		const char *label = c->label;
		out = &c->problems;
		c->probs[c->nprobs].rec = i;
		c->probs[c->nprobs].off = out->len;
		buf_printf(out, "%s: records[%ld]%s%s: %s%s", c->name, i, *label ? " " : "", label,
			   field ? field : "", field ? ": " : "");
	} else {
		buf_printf(out, "%s: %s%s", c->name, field ? field : "", field ? ": " : "");
	}
	va_start(ap, fmt);
	buf_vprintf(out, fmt, ap);
	va_end(ap);
	buf_putc(out, '\n');
	if (i >= 0) {
		c->probs[c->nprobs].len = out->len - c->probs[c->nprobs].off;
		c->nprobs++;
	}
}

const char *import_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a text";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true or false";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* str_or is a JSON text's value, "" for anything else. */
static const char *str_or(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

/* is_null reports (and returns true for) a member given as null: a field
 * is either given a value or left out. */
static bool is_null(struct ctx *c, long i, json_t *v, const char *path)
{
	if (!json_is_null(v))
		return false;
	bad(c, i, path, "is null; give it a value or leave the field out");
	return true;
}

/* text_field returns the string at key, NULL when absent; reports a
 * problem (and returns NULL) for null, non-strings, empty or oversized
 * text, NUL or control characters. */
static const char *text_value(struct ctx *c, long i, json_t *v, const char *path, size_t max);

static const char *text_field(struct ctx *c, long i, json_t *obj, const char *key,
			      const char *path, size_t max)
{
	json_t *v = json_object_get(obj, key);

	return v ? text_value(c, i, v, path, max) : NULL;
}

/* text_value is text_field for a value already in hand (an entry of an
 * array). */
static const char *text_value(struct ctx *c, long i, json_t *v, const char *path, size_t max)
{
	const char *s;
	size_t n;

	if (is_null(c, i, v, path))
		return NULL;
	if (!json_is_string(v)) {
		if (json_is_integer(v) && strstr(path, "date"))
			bad(c, i, path, "is the number %lld; write a date as text, \"%lld\"",
			    (long long)json_integer_value(v), (long long)json_integer_value(v));
		else
			bad(c, i, path, "must be a text in quotes, not %s", import_json_kind(v));
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
		if (required && !v)
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

	if (!v)
		return -1;
	if (is_null(c, i, v, key))
		return -2;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		if (json_is_number(v))
			bad(c, i, key, "must be a positive whole number");
		else
			bad(c, i, key, "must be a positive whole number, not %s", import_json_kind(v));
		return -2;
	}
	return json_integer_value(v);
}

/* array_field returns the array at key (NULL when absent), reporting
 * non-arrays and arrays longer than max. */
static json_t *array_field(struct ctx *c, long i, json_t *obj, const char *key, size_t max)
{
	json_t *v = json_object_get(obj, key);

	if (!v || is_null(c, i, v, key))
		return NULL;
	if (!json_is_array(v)) {
		bad(c, i, key, "must be an array [...], not %s", import_json_kind(v));
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
	return index_find(c, &c->by_slug, slug);
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
			bad(c, i, path, "must be an object with \"text\", not %s", import_json_kind(t));
			continue;
		}
		check_keys(c, i, t, path, strcmp(key, "titles") == 0 ?
			   (const char *const[]){"text", "lang", "kind", NULL} :
			   (const char *const[]){"text", "lang", NULL}, NULL);
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
			bad(c, i, path, "must be an object with \"agent\" and \"role\", not %s",
			    import_json_kind(t));
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
			bad(c, i, path, "must be an object with \"type\" and \"to\", not %s",
			    import_json_kind(t));
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
			bad(c, i, path, "must be an object, not %s", import_json_kind(m));
			continue;
		}
		check_keys(c, i, m, path, manif_fields, (const char *const[]){"id", NULL});
		for (const char *const *f = manif_fields; *f; f++) {
			snprintf(path, sizeof path, "manifestations[%zu].%s", k, *f);
			text_field(c, i, m, *f, path, *f == manif_fields[6] ? TEXT_MAX : 200);
		}
		snprintf(path, sizeof path, "manifestations[%zu].id", k);
		const char *mid = text_field(c, i, m, "id", path, UUID_STR_LEN);
		char owner[UUID_STR_LEN + 1];
		json_t *had = mid ? json_object_get(c->mids, mid) : NULL;
		int rc;
		if (mid && !uuid_valid(mid)) {
			bad(c, i, path, "\"%s\" is not a UUID", mid);
		} else if (had) {
			bad(c, i, path, "%s is also the id of a manifestation of records[%lld]", mid,
			    (long long)json_integer_value(had));
		} else if (mid) {
			json_object_set_new(c->mids, mid, json_integer(i));
			rc = rq_manifestation_work(c->db, mid, owner);
			if (rc < 0)
				bad(c, i, path, "cannot look up: %s", c->db->err);
			else if (rc == 1 && strcmp(owner, c->recs[i].id) != 0)
				bad(c, i, path, "%s is a manifestation of another work in the archive "
				    "(%s); leave the id out to make a new one", mid, owner);
		}
		if (!json_is_string(json_object_get(m, "kind")) &&
		    !json_is_string(json_object_get(m, "format"))) {
			snprintf(path, sizeof path, "manifestations[%zu]", k);
			bad(c, i, path, "needs a \"kind\" or a \"format\"");
		}
	}
}

/* date_problem says what is wrong with a date that str_date_valid
 * refused, in words: a year that is not a year, a month or day that does
 * not exist. */
static void date_problem(struct ctx *c, long i, const char *key, const char *s)
{
	size_t n = strlen(s);
	bool year = n >= 4 && strspn(s, "0123456789") == 4 && (n == 4 || s[4] == '-');
	char month[8];

	snprintf(month, sizeof month, "%.7s", s);
	if (!year)
		bad(c, i, key, "\"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD: it must start with a year "
		    "of four digits, as in 1983, 1983-06 or 1983-06-21", s);
	else if ((n == 7 || n == 10) && !str_date_valid(month))
		bad(c, i, key, "\"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD: there is no month %.2s",
		    s, s + 5);
	else if (n == 10)
		bad(c, i, key, "\"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD: %s has no day %.2s", s,
		    month, s + 8);
	else
		bad(c, i, key, "\"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD", s);
}

static void check_date(struct ctx *c, long i, json_t *obj, const char *key, bool required)
{
	const char *s = text_field(c, i, obj, key, key, 64);

	if (!s) {
		if (required && !json_object_get(obj, key))
			bad(c, i, key, "is required for this type");
		return;
	}
	if (!str_date_valid(s))
		date_problem(c, i, key, s);
}

/* digest hashes the record as written in the file (keys sorted, compact),
 * so re-importing an unchanged record can leave it, and its change log,
 * alone. */
static void digest(struct rec *r)
{
	char *text = json_dumps(r->obj, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);

	memset(r->digest, 0, sizeof r->digest);
	if (!text)
		return;
	crypto_generichash(r->digest, sizeof r->digest, (const unsigned char *)text, strlen(text),
			   NULL, 0);
	free(text);
}

/* first_title is the text of the record's first title, or NULL. */
static const char *first_title(json_t *obj)
{
	json_t *titles = json_object_get(obj, "titles");

	return json_string_value(json_object_get(json_array_get(titles, 0), "text"));
}

/* set_label decides how messages name record i: its slug as the file
 * gives it, else its id, else its first title (cut short, quotes made
 * plain), else nothing beyond its position. */
static void set_label(json_t *obj, char label[64])
{
	const char *slug = json_string_value(json_object_get(obj, "slug"));
	const char *id = json_string_value(json_object_get(obj, "id"));
	const char *title = first_title(obj);
	size_t n;

	label[0] = '\0';
	if (!json_is_object(obj))
		return;
	if (slug && *slug && str_slug_valid(slug)) {
		snprintf(label, 64, "(%s)", slug);
	} else if (id && uuid_valid(id)) {
		snprintf(label, 64, "(%s)", id);
	} else if (title && *title && str_utf8_valid(title, strlen(title))) {
		char cut[48];
		n = str_utf8_prefix(title, 40);
		snprintf(cut, sizeof cut, "%.*s", (int)n, title);
		for (char *p = cut; *p; p++)
			if (*p == '"' || (unsigned char)*p < 0x20)
				*p = '\'';
		snprintf(label, 64, "(\"%s%s\")", cut, title[n] ? "…" : "");
	}
}

/* claim_slug takes the slug the file gives record i (first pass), so
 * that slugs made for other records yield to it. */
static void claim_slug(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	const char *slug = text_field(c, i, r->obj, "slug", "slug", 1000);
	long k;

	if (!slug)
		return;
	if (!str_slug_valid(slug)) {
		bad(c, i, "slug", "\"%.100s\" must be lower-case letters, digits and single "
		    "hyphens, at most %d characters", slug, SLUG_MAX);
		return;
	}
	snprintf(r->slug, sizeof r->slug, "%s", slug);
	r->slug_given = true;
	if ((k = index_add(c, &c->by_slug, i)) >= 0)
		bad(c, i, "slug", "\"%s\" is also the slug of records[%ld]", r->slug, k);
}

/* slug_taken reports whether a made slug must yield: another record of
 * the file has it, or a record of the archive that this one is not (the
 * archive's record with that slug has another id, or another type). */
static int slug_taken(struct ctx *c, struct rec *r, const char *slug, const char *type)
{
	char found_id[UUID_STR_LEN + 1], found_type[16];
	int rc;

	if (find_slug(c, slug) >= 0)
		return 1;
	rc = rq_find_by_slug(c->db, slug, found_id, found_type);
	if (rc <= 0)
		return rc;
	return (r->id[0] && strcmp(found_id, r->id) != 0) || !type ||
	       strcmp(found_type, type) != 0;
}

/* make_slug gives record i a slug made from its first title: Latin
 * letters lose their accents (str_slugify); a title with none (Japanese,
 * Arabic, emoji, "!!!") gets its type and a digest of the title
 * ("work-3f9a0c2d41b7e865"), so that importing the same file again finds
 * the same record, as it does by a title's letters. A slug another record
 * has gets -2, -3... */
static void make_slug(struct ctx *c, long i, const char *type)
{
	struct rec *r = &c->recs[i];
	const char *title = first_title(r->obj);
	char base[SLUG_MAX + 1];
	int taken;

	if (!title || str_slugify(title, base) == 0) {
		unsigned char h[8];
		char hex[17];
		crypto_generichash(h, sizeof h, (const unsigned char *)(title ? title : ""),
				   title ? strlen(title) : 0, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(base, sizeof base, "%s-%s", type && *type ? type : "record", hex);
	}
	snprintf(r->slug, sizeof r->slug, "%s", base);
	for (int n = 2; (taken = slug_taken(c, r, r->slug, type)) == 1; n++) {
		char suffix[16];
		int sl = snprintf(suffix, sizeof suffix, "-%d", n);
		snprintf(r->slug, sizeof r->slug, "%.*s%s", SLUG_MAX - sl, base, suffix);
	}
	if (taken < 0)
		bad(c, i, "slug", "cannot look up: %s", c->db->err);
	index_add(c, &c->by_slug, i);
}

/* identify fills in the type, id and slug of record i (second pass), so
 * that references between records of one file can be checked. Every
 * record gets an id and a slug, even one with problems. */
static void identify(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	json_t *obj = r->obj;
	const char *type, *id;
	char found_id[UUID_STR_LEN + 1], found_type[16];
	long k;
	int rc;

	type = text_field(c, i, obj, "type", "type", 16);
	if (!type) {
		if (!json_object_get(obj, "type"))
			bad(c, i, "type", "is required");
	} else if (!in_list(type, record_types)) {
		bad(c, i, "type", "\"%s\" is not one of work, document, agent, place, event, "
		    "collection, subject", type);
		type = NULL;
	}
	r->type = "";
	for (int t = 0; type && record_types[t]; t++)
		if (strcmp(type, record_types[t]) == 0)
			type = r->type = record_types[t];

	id = text_field(c, i, obj, "id", "id", UUID_STR_LEN);
	if (id && !uuid_valid(id)) {
		bad(c, i, "id", "\"%s\" is not a UUID", id);
		id = NULL;
	}
	if (id) {
		for (int n = 0; n <= UUID_STR_LEN; n++)
			r->id[n] = (char)(id[n] >= 'A' && id[n] <= 'F' ? id[n] - 'A' + 'a' : id[n]);
		if ((k = index_add(c, &c->by_id, i)) >= 0)
			bad(c, i, "id", "%s is also the id of records[%ld]", r->id, k);
		rc = rq_find_by_id(c->db, r->id, found_type, NULL);
		if (rc < 0)
			bad(c, i, "id", "cannot look up: %s", c->db->err);
		r->existed = rc == 1;
		if (rc == 1 && type && strcmp(found_type, type) != 0)
			bad(c, i, "type", "the archive's record %s is a %s, not a %s", r->id,
			    found_type, type);
	}
	if (!r->slug_given && !json_object_get(obj, "slug"))
		make_slug(c, i, type);
	if (r->slug_given) {
		rc = rq_find_by_slug(c->db, r->slug, found_id, found_type);
		if (rc < 0) {
			bad(c, i, "slug", "cannot look up: %s", c->db->err);
		} else if (rc == 1 && r->id[0] && strcmp(found_id, r->id) != 0) {
			bad(c, i, "slug", "\"%s\" belongs to another record in the archive (%s)",
			    r->slug, found_id);
		} else if (rc == 1 && !r->id[0]) {
			snprintf(r->id, sizeof r->id, "%s", found_id);
			r->existed = true;
			if (type && strcmp(found_type, type) != 0)
				bad(c, i, "type", "the archive's \"%s\" is a %s, not a %s", r->slug,
				    found_type, type);
		}
	} else if (r->slug[0] && !r->id[0] &&
		   rq_find_by_slug(c->db, r->slug, found_id, NULL) == 1) {
		/* a made slug the archive has for a record of this type: that one */
		snprintf(r->id, sizeof r->id, "%s", found_id);
		r->existed = true;
	}
	if (!r->id[0]) {
		uuid_v7(r->id);
		index_add(c, &c->by_id, i);
	}
	digest(r);
	if (r->existed) {
		bool same = false;
		char hex[65];
		sodium_bin2hex(hex, sizeof hex, r->digest, sizeof r->digest);
		rc = rq_record_state(c->db, r->id, hex, &same, r->was_access);
		if (rc < 0)
			bad(c, i, "id", "cannot look up: %s", c->db->err);
		r->unchanged = same;
	}
}

/* check_rights: rights is the http(s) address of a licence or a rights
 * statement (Creative Commons, RightsStatements.org), one address alone. */
static void check_rights(struct ctx *c, long i, json_t *obj)
{
	const char *s = text_field(c, i, obj, "rights", "rights", 1000);

	if (!s)
		return;
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) {
		bad(c, i, "rights", "\"%s\" is not an address: give the http(s) URI of a licence or "
		    "rights statement (https://creativecommons.org/licenses/by-nc/4.0/, "
		    "http://rightsstatements.org/vocab/InC-EDU/1.0/), and the words in "
		    "rights_statements", s);
		return;
	}
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>') {
			bad(c, i, "rights", "\"%s\" has a space or a character an address cannot "
			    "have; give only the URI", s);
			return;
		}
}

/* check_labels: Local Contexts labels on the record, each a published
 * type with its community, name, text and translations, and perhaps a tie
 * (a restricting type only, to a group that exists). */
static void check_labels(struct ctx *c, long i, json_t *obj)
{
	static const char *const label_keys[] = {"kind", "type", "community", "name", "text",
		"lang", "translations", "project", "hub_id", "tie", NULL};
	static const char *const kinds[] = {"tk", "bc", "notice", NULL};
	json_t *arr = array_field(c, i, obj, "labels", LABELS_MAX), *l, *tr, *t;
	char path[96];
	size_t k, j;

	json_array_foreach(arr, k, l) {
		const struct label_type *lt = NULL;
		const char *kind, *type, *s;
		snprintf(path, sizeof path, "labels[%zu]", k);
		if (!json_is_object(l)) {
			bad(c, i, path, "must be an object with \"kind\", \"type\" and \"text\", not %s",
			    import_json_kind(l));
			continue;
		}
		check_keys(c, i, l, path, label_keys, NULL);
		snprintf(path, sizeof path, "labels[%zu].kind", k);
		check_enum(c, i, l, "kind", path, kinds, true);
		snprintf(path, sizeof path, "labels[%zu].type", k);
		type = text_field(c, i, l, "type", path, 64);
		kind = json_string_value(json_object_get(l, "kind"));
		if (!type && !json_object_get(l, "type"))
			bad(c, i, path, "is required");
		if (type && kind && in_list(kind, kinds) && !(lt = labels_type(kind, type))) {
			struct buf known;
			buf_init(&known, 2048);
			labels_type_list(kind, &known);
			bad(c, i, path, "\"%s\" is not a published %s type (%s)", type, kind,
			    buf_str(&known));
			buf_free(&known);
		}
		snprintf(path, sizeof path, "labels[%zu].community", k);
		s = text_field(c, i, l, "community", path, LABELS_NAME_MAX);
		if (!s && !json_object_get(l, "community") && kind && strcmp(kind, "notice") != 0)
			bad(c, i, path, "is required: the community that applied the label");
		snprintf(path, sizeof path, "labels[%zu].name", k);
		text_field(c, i, l, "name", path, LABELS_NAME_MAX);
		snprintf(path, sizeof path, "labels[%zu].text", k);
		if (!text_field(c, i, l, "text", path, LABELS_TEXT_MAX) && !json_object_get(l, "text"))
			bad(c, i, path, "is required: the label's text as its community wrote it");
		snprintf(path, sizeof path, "labels[%zu].lang", k);
		check_lang(c, i, l, "lang", path);
		for (int u = 0; u < 2; u++) {
			const char *key = u ? "hub_id" : "project";
			snprintf(path, sizeof path, "labels[%zu].%s", k, key);
			s = text_field(c, i, l, key, path, UUID_STR_LEN);
			if (s && !uuid_valid(s))
				bad(c, i, path, "\"%s\" is not a Local Contexts id (a UUID)", s);
		}
		snprintf(path, sizeof path, "labels[%zu].translations", k);
		tr = json_object_get(l, "translations");
		if (tr && !is_null(c, i, tr, path) && !json_is_array(tr))
			bad(c, i, path, "must be an array [...], not %s", import_json_kind(tr));
		else if (json_array_size(tr) > LABELS_TRANSLATIONS_MAX)
			bad(c, i, path, "has %zu entries, more than the %d allowed", json_array_size(tr),
			    LABELS_TRANSLATIONS_MAX);
		else if (json_is_array(tr))
			json_array_foreach(tr, j, t) {
				snprintf(path, sizeof path, "labels[%zu].translations[%zu]", k, j);
				if (!json_is_object(t)) {
					bad(c, i, path, "must be an object with \"lang\", \"name\" and "
					    "\"text\", not %s", import_json_kind(t));
					continue;
				}
				check_keys(c, i, t, path, (const char *const[]){"lang", "name", "text", NULL},
					   NULL);
				for (int u = 0; u < 3; u++) {
					const char *key = u == 0 ? "lang" : u == 1 ? "name" : "text";
					snprintf(path, sizeof path, "labels[%zu].translations[%zu].%s", k, j, key);
					if (u == 0)
						check_lang(c, i, t, key, path);
					else
						text_field(c, i, t, key, path, u == 1 ? LABELS_NAME_MAX :
							   LABELS_TEXT_MAX);
					if (!json_object_get(t, key))
						bad(c, i, path, "is required");
				}
			}
		snprintf(path, sizeof path, "labels[%zu].tie", k);
		t = json_object_get(l, "tie");
		if (!t || is_null(c, i, t, path))
			continue;
		if (!json_is_object(t) || json_object_size(t) != 1) {
			bad(c, i, path, "must be one rule: {\"community_members\": true}, {\"group\": "
			    "\"NAME\"} or {\"months\": [FROM, TO]}");
			continue;
		}
		if (lt && lt->restricts == LABEL_OPEN) {
			bad(c, i, path, "%s does not restrict access; only Community Use Only, Secret / "
			    "Sacred, Men Restricted, Women Restricted and Seasonal can be tied", lt->name);
			continue;
		}
		if (json_object_get(t, "community_members")) {
			if (!json_is_true(json_object_get(t, "community_members")))
				bad(c, i, path, "community_members must be true");
			else if (lt && lt->restricts == LABEL_SEASONAL)
				bad(c, i, path, "a Seasonal label is tied to months");
		} else if (json_object_get(t, "group")) {
			long long g;
			int rc;
			snprintf(path, sizeof path, "labels[%zu].tie.group", k);
			s = text_field(c, i, t, "group", path, 63);
			if (s && lt && lt->restricts == LABEL_SEASONAL)
				bad(c, i, path, "a Seasonal label is tied to months");
			else if (s && (rc = aq_group_find(c->db, s, &g)) <= 0)
				bad(c, i, path, rc < 0 ? "cannot look up \"%s\"" : "no group \"%s\" in "
				    "the archive ('cinemateca group add' makes one)", s);
		} else if (json_object_get(t, "months")) {
			json_t *m = json_object_get(t, "months");
			snprintf(path, sizeof path, "labels[%zu].tie.months", k);
			if (!json_is_array(m) || json_array_size(m) != 2 ||
			    !json_is_integer(json_array_get(m, 0)) ||
			    !json_is_integer(json_array_get(m, 1)) ||
			    json_integer_value(json_array_get(m, 0)) < 1 ||
			    json_integer_value(json_array_get(m, 0)) > 12 ||
			    json_integer_value(json_array_get(m, 1)) < 1 ||
			    json_integer_value(json_array_get(m, 1)) > 12)
				bad(c, i, path, "must be [FROM, TO], two months 1-12 ([11, 2]: November "
				    "to February)");
			else if (lt && lt->restricts != LABEL_SEASONAL)
				bad(c, i, path, "months are for a Seasonal label; %s is tied to "
				    "community_members or a group", lt->name);
		} else {
			bad(c, i, path, "must be one rule: {\"community_members\": true}, {\"group\": "
			    "\"NAME\"} or {\"months\": [FROM, TO]}");
		}
	}
	/* two labels of one kind, type and community would be one label */
	json_array_foreach(arr, k, l) {
		json_t *m;
		if (!json_is_object(l))
			continue;
		json_array_foreach(arr, j, m) {
			const char *a, *b;
			if (j >= k)
				break;
			if (!json_is_object(m))
				continue;
			a = str_or(json_object_get(l, "community"));
			b = str_or(json_object_get(m, "community"));
			if (json_equal(json_object_get(l, "kind"), json_object_get(m, "kind")) &&
			    json_equal(json_object_get(l, "type"), json_object_get(m, "type")) &&
			    strcmp(a, b) == 0) {
				snprintf(path, sizeof path, "labels[%zu]", k);
				bad(c, i, path, "is the same label as labels[%zu] (kind, type and "
				    "community); give it once", j);
				break;
			}
		}
	}
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
	check_titles(c, i, obj, "rights_statements", false, TEXT_MAX);
	check_rights(c, i, obj);
	check_labels(c, i, obj);
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
			text_value(c, i, f, path, 100);
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
		else if (strcmp(key, "descriptions") == 0)
			rc = rq_add_description(c->db, r->id, (int)k, str_at(t, "text"),
						str_at(t, "lang"));
		else
			rc = rq_add_rights_statement(c->db, r->id, (int)k, str_at(t, "text"),
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

static int write_labels(struct ctx *c, struct rec *r);

static int write_record(struct ctx *c, struct rec *r)
{
	json_t *o = r->obj;
	char hex[65];
	int rc;

	sodium_bin2hex(hex, sizeof hex, r->digest, sizeof r->digest);
	rc = rq_put_record(c->db, r->id, r->type, r->slug, str_at(o, "date"),
			   str_at(o, "date_end"), str_at(o, "source"), str_at(o, "access"),
			   str_at(o, "embargo_until"), hex, r->existed);
	if (rc == 0)
		rc = write_titles(c, r, "titles");
	if (rc == 0)
		rc = write_titles(c, r, "descriptions");
	if (rc == 0)
		rc = write_titles(c, r, "rights_statements");
	if (rc == 0 && str_at(o, "rights"))
		rc = rq_set_rights(c->db, r->id, str_at(o, "rights"));
	if (rc == 0)
		rc = write_labels(c, r);
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

/* write_labels writes the record's labels (the old ones were cleared
 * with the record). */
static int write_labels(struct ctx *c, struct rec *r)
{
	json_t *l, *t;
	size_t k, j;
	int rc = 0;

	json_array_foreach(json_object_get(r->obj, "labels"), k, l) {
		const struct label_type *lt = labels_type(str_at(l, "kind"), str_at(l, "type"));
		json_t *tie = json_object_get(l, "tie"), *m = json_object_get(tie, "months");
		struct label_row row = {.kind = str_at(l, "kind"), .type = str_at(l, "type"),
			.community = str_at(l, "community"), .text = str_at(l, "text"),
			.name = str_at(l, "name") ? str_at(l, "name") : lt->name,
			.lang = str_at(l, "lang"), .project_id = str_at(l, "project"),
			.hub_id = str_at(l, "hub_id"),
			.tie_role = json_object_get(tie, "community_members") ? "community" : NULL,
			.tie_from = m ? (int)json_integer_value(json_array_get(m, 0)) : 0,
			.tie_to = m ? (int)json_integer_value(json_array_get(m, 1)) : 0};
		long long id;

		if (str_at(tie, "group") && (rc = aq_group_find(c->db, str_at(tie, "group"),
								&row.tie_group)) != 1)
			return rc < 0 ? rc : ERR_INVALID;
		if ((rc = lq_add(c->db, r->id, &row, &id)))
			return rc;
		json_array_foreach(json_object_get(l, "translations"), j, t)
			if ((rc = lq_add_translation(c->db, id, str_at(t, "lang"), str_at(t, "name"),
						     str_at(t, "text"))))
				return rc;
	}
	return rc;
}

/* ---- where a JSON syntax error is -------------------------------------- */

/* A place in the document: the members and positions that lead to it. */
struct spot {
	long record;		/* records[N] it is in, or -1 */
	char path[200];		/* inside the record: "titles[0].text", or "" */
};

/* locate walks the text up to byte pos as JSON (leniently: the text is
 * known to be bad somewhere) and says which record and field it is in. */
static void locate(const char *text, size_t len, size_t pos, struct spot *out)
{
	struct frame { bool array; long index; char key[48]; } f[24];
	int depth = 0;		/* frames in use; deeper ones are only counted */
	int deep = 0;
	bool want_key = false;

	out->record = -1;
	out->path[0] = '\0';
	if (pos > len)
		pos = len;
	for (size_t i = 0; i < pos; i++) {
		char ch = text[i];
		if (ch == '{' || ch == '[') {
			if (depth < 24) {
				f[depth].array = ch == '[';
				f[depth].index = 0;
				f[depth].key[0] = '\0';
				depth++;
			} else {
				deep++;
			}
			want_key = ch == '{';
		} else if (ch == '}' || ch == ']') {
			if (deep)
				deep--;
			else if (depth)
				depth--;
			want_key = false;
		} else if (ch == ',') {
			if (!deep && depth && f[depth - 1].array)
				f[depth - 1].index++;
			want_key = !deep && depth && !f[depth - 1].array;
		} else if (ch == '"') {
			size_t start = ++i, n;
			while (i < pos && text[i] != '"')
				i += text[i] == '\\' && i + 1 < pos ? 2 : 1;
			if (want_key && !deep && depth) {
				n = i - start < sizeof f[0].key - 1 ? i - start : sizeof f[0].key - 1;
				memcpy(f[depth - 1].key, text + start, n);
				f[depth - 1].key[n] = '\0';
				want_key = false;
			}
		}
	}
	/* the document is {"records": [ RECORD, ... ]} */
	if (depth < 3 || f[0].array || strcmp(f[0].key, "records") != 0 || !f[1].array)
		return;
	out->record = f[1].index;
	for (int d = 2; d < depth; d++) {
		size_t n = strlen(out->path);
		if (f[d].array)
			snprintf(out->path + n, sizeof out->path - n, "[%ld]", f[d].index);
		else if (f[d].key[0] && d + 1 <= depth)
			snprintf(out->path + n, sizeof out->path - n, "%s%s", n ? "." : "", f[d].key);
	}
}

/* syntax_error reports JSON the parser refused, with its line and column
 * and, when it is inside a record, the record and field in words. e is
 * as the parser said it, of the whole text; rec_off and rec_len are the
 * bytes of the record it is in (rec_len 0: none), read again with the
 * checks relaxed for the record's name. */
static void syntax_error(struct ctx *c, const json_error_t *e, size_t rec_off, size_t rec_len)
{
	struct spot at;
	const char *why;
	char label[72] = "";
	json_error_t again;
	json_t *lenient = NULL;

	locate(c->text, c->len, (size_t)e->position, &at);
	switch (json_error_code(e)) {
	case json_error_null_character:
		why = "contains \\u0000 (a NUL character), which no text may hold; remove it";
		break;
	case json_error_null_byte_in_key:
		why = "a member's name contains \\u0000 (a NUL character); remove it";
		break;
	case json_error_duplicate_key:
		why = "is given twice in the same object; keep one of them";
		break;
	case json_error_numeric_overflow:
		why = "the number is too large (a whole number goes up to 9223372036854775807)";
		break;
	case json_error_invalid_utf8:
		why = "is not UTF-8 text; save the file as UTF-8 (one written as Latin-1 "
		      "or Windows-1252: iconv -f windows-1252 -t utf-8)";
		break;
	case json_error_premature_end_of_input:
		why = "the file ends here, in the middle of the JSON: is it cut short?";
		break;
	default:
		why = NULL;
	}
	/* the record's name, when the text reads with the checks relaxed */
	if (at.record >= 0 && rec_len)
		lenient = json_loadb(c->text + rec_off, rec_len, JSON_ALLOW_NUL | JSON_DECODE_ANY,
				     &again);
	else if (at.record >= 0 && (lenient = json_loadb(c->text, c->len, JSON_ALLOW_NUL, &again))) {
		json_t *r = json_incref(json_array_get(json_object_get(lenient, "records"),
						       (size_t)at.record));
		json_decref(lenient);
		lenient = r;
	}
	if (json_is_object(lenient)) {
		char name[64];
		set_label(lenient, name);
		if (name[0])
			snprintf(label, sizeof label, " %s", name);
	}
	json_decref(lenient);
	buf_printf(c->errors, "%s:%d:%d: ", c->name, e->line, e->column);
	if (at.record >= 0)
		buf_printf(c->errors, "records[%ld]%s: %s%s", at.record, label, at.path,
			   at.path[0] ? ": " : "");
	if (why)
		buf_printf(c->errors, "%s (not valid JSON)\n", why);
	else
		buf_printf(c->errors, "not valid JSON: %s\n", e->text);
	c->nerr++;
}

/* ---- reading the document record by record ------------------------------ */

static size_t skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

/* value_end is where the JSON value that starts at byte i ends (strings
 * and nesting followed, nothing else checked: the parser checks), or len
 * when the text ends first. */
static size_t value_end(const char *t, size_t len, size_t i)
{
	int depth = 0;

	while (i < len) {
		char ch = t[i];
		if (ch == '"') {
			for (i++; i < len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
			if (i >= len)
				return len;
			i++;
			if (depth == 0)
				return i;
		} else if (ch == '{' || ch == '[') {
			depth++;
			i++;
		} else if (ch == '}' || ch == ']') {
			if (depth == 0)
				return i;
			i++;
			if (--depth == 0)
				return i;
		} else if (depth == 0 && (ch == ',' || ch == ' ' || ch == '\t' || ch == '\n' ||
					  ch == '\r')) {
			return i;
		} else {
			i++;
		}
	}
	return len;
}

/* add_rec notes a record's bytes; returns 0 or ERR_NOMEM. */
static int add_rec(struct ctx *c, size_t off, size_t len)
{
	if (c->nrecs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct rec *r = realloc(c->recs, cap * sizeof *r);
		if (!r)
			return ERR_NOMEM;
		c->recs = r;
		c->cap = cap;
	}
	memset(&c->recs[c->nrecs], 0, sizeof c->recs[0]);
	c->recs[c->nrecs].off = off;
	c->recs[c->nrecs].len = len;
	c->nrecs++;
	return 0;
}

/* split reads the document's outline: its members other than "records"
 * into *root (parsed), and where each record is (c->recs). Returns 0,
 * ERR_NOMEM, or ERR_INVALID when the outline is not what the format
 * says or not JSON; the caller then reads the document whole, which
 * says what is wrong in the parser's words. A record that is not JSON is
 * found later, when it is parsed. */
static int split(struct ctx *c, json_t **root)
{
	const char *t = c->text;
	size_t len = c->len, i = skip_ws(t, len, 0), e;
	json_error_t jerr;
	json_t *key = NULL, *v;
	int rc = ERR_INVALID;

#define OUTLINE_BAD(at) do { c->bad_at = (at); c->cut = c->bad_at >= len; goto fail; } while (0)
	*root = json_object();
	if (!*root)
		return ERR_NOMEM;
	if (i >= len || t[i] != '{')
		OUTLINE_BAD(i);
	i = skip_ws(t, len, i + 1);
	if (i < len && t[i] == '}') {
		i++;
		goto end;
	}
	for (;;) {
		if (i >= len || t[i] != '"')
			OUTLINE_BAD(i);
		e = value_end(t, len, i);
		key = json_loadb(t + i, e - i, JSON_DECODE_ANY, &jerr);
		if (!json_is_string(key) || json_object_get(*root, json_string_value(key)) ||
		    strlen(json_string_value(key)) != json_string_length(key))
			OUTLINE_BAD(i);
		i = skip_ws(t, len, e);
		if (i >= len || t[i] != ':')
			OUTLINE_BAD(i);
		i = skip_ws(t, len, i + 1);
		if (strcmp(json_string_value(key), "records") == 0 && i < len && t[i] == '[') {
			i = skip_ws(t, len, i + 1);
			if (i < len && t[i] == ']') {
				i++;
			} else {
				for (;;) {
					e = value_end(t, len, i);
					if (e == i)
						OUTLINE_BAD(i);
					if ((rc = add_rec(c, i, e - i)))
						goto fail;
					rc = ERR_INVALID;
					i = skip_ws(t, len, e);
					if (i < len && t[i] == ']') {
						i++;
						break;
					}
					if (i >= len || t[i] != ',')
						OUTLINE_BAD(i);
					i = skip_ws(t, len, i + 1);
				}
			}
			v = json_array();
		} else {
			e = value_end(t, len, i);
			v = json_loadb(t + i, e - i, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
			if (!v)
				OUTLINE_BAD(i);
			i = e;
		}
		if (json_object_set_new(*root, json_string_value(key), v)) {
			rc = ERR_NOMEM;
			goto fail;
		}
		json_decref(key);
		key = NULL;
		i = skip_ws(t, len, i);
		if (i < len && t[i] == '}') {
			i++;
			break;
		}
		if (i >= len || t[i] != ',')
			OUTLINE_BAD(i);
		i = skip_ws(t, len, i + 1);
	}
end:
	if (skip_ws(t, len, i) != len)
		OUTLINE_BAD(skip_ws(t, len, i));
	return 0;
fail:
#undef OUTLINE_BAD
	json_decref(key);
	return rc;
}

/* at_position is jansson's error e in record i's bytes turned into one of
 * the whole text: its byte, line and column (columns count characters). */
static void at_position(struct ctx *c, size_t off, json_error_t *e)
{
	int line = 1, col = 0;

	for (size_t k = 0; k < off; k++) {
		unsigned char ch = (unsigned char)c->text[k];
		if (ch == '\n') {
			line++;
			col = 0;
		} else if ((ch & 0xc0) != 0x80) {
			col++;
		}
	}
	if (e->line <= 1)
		e->column += col;
	e->line += line - 1;
	e->position += (int)off;
}

/* rec_load parses record i into c->recs[i].obj. Returns 0; ERR_INVALID
 * after reporting the JSON that does not parse; ERR_NOMEM. */
static int rec_load(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];
	json_error_t jerr;

	if (c->records) {
		r->obj = json_incref(json_array_get(c->records, (size_t)i));
		return 0;
	}
	r->obj = json_loadb(c->text + r->off, r->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			    &jerr);
	if (r->obj)
		return 0;
	/* out of memory, jansson may say so, say nothing at all, or call the
	 * text wrong where it could not grow a string: a second reading that
	 * does not fail the same way was no fault of the file */
	if (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0])
		return ERR_NOMEM;
	{
		json_error_t again;
		json_t *second = json_loadb(c->text + r->off, r->len,
					    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &again);
		bool same = !second && again.position == jerr.position &&
			    strcmp(again.text, jerr.text) == 0;
		json_decref(second);
		if (!same)
			return ERR_NOMEM;
	}
	at_position(c, r->off, &jerr);
	syntax_error(c, &jerr, r->off, r->len);
	return ERR_INVALID;
}

/* rec_done frees record i's JSON and, every so often, gives the pages of
 * a mapped file read so far back to the system, so a pass over a large
 * file keeps only its working set resident. */
static void rec_done(struct ctx *c, long i)
{
	struct rec *r = &c->recs[i];

	json_decref(r->obj);
	r->obj = NULL;
	if (c->map && (i & 4095) == 4095) {
		long page = sysconf(_SC_PAGESIZE);
		size_t upto = (size_t)(c->text + r->off - c->map);
		upto -= upto % (size_t)page;
		if (upto)
			madvise((void *)c->map, upto, MADV_DONTNEED);
	}
}

/* ---- the whole file ----------------------------------------------------- */

/* validate checks every record (identify, then check_record), from a clean
 * start, so that it can run again after another writer's commit. Each of
 * its three passes parses the records again. Returns 0, ERR_INVALID (a
 * record is not JSON: reported) or ERR_NOMEM. */
static int validate(struct ctx *c)
{
	size_t i;
	int rc;

	c->nerr = c->nerr_file;
	c->nprobs = 0;
	buf_reset(&c->problems);
	index_clear(&c->by_slug);
	index_clear(&c->by_id);
	json_object_clear(c->mids);
	for (i = 0; i < c->nrecs; i++) {
		struct rec *r = &c->recs[i];
		memset(r->slug, 0, sizeof r->slug);
		memset(r->id, 0, sizeof r->id);
		r->was_access[0] = '\0';
		r->slug_given = r->existed = r->unchanged = false;
		r->type = "";
		if ((rc = rec_load(c, (long)i)))
			return rc;
		r->object = json_is_object(r->obj);
		set_label(r->obj, c->label);
		if (!r->object)
			bad(c, (long)i, NULL, "must be an object {...}, not %s", import_json_kind(r->obj));
		else
			claim_slug(c, (long)i);
		rec_done(c, (long)i);
	}
	for (i = 0; i < c->nrecs; i++) {
		if (!c->recs[i].object)
			continue;
		if ((rc = rec_load(c, (long)i)))
			return rc;
		set_label(c->recs[i].obj, c->label);
		identify(c, (long)i);
		rec_done(c, (long)i);
	}
	for (i = 0; i < c->nrecs; i++) {
		if (!c->recs[i].object || !c->recs[i].type[0])
			continue;
		if ((rc = rec_load(c, (long)i)))
			return rc;
		set_label(c->recs[i].obj, c->label);
		check_record(c, (long)i);
		rec_done(c, (long)i);
	}
	return 0;
}

/* audit_record writes record r's entry in the audit log: created or
 * replaced, and its access level before and after. */
static int audit_record(struct ctx *c, struct rec *r)
{
	const char *now = str_at(r->obj, "access");
	char detail[256];

	if (!now)
		now = "private";
	if (!r->existed)
		snprintf(detail, sizeof detail, "%s: created %s, access %s", c->name, r->type, now);
	else if (strcmp(r->was_access, now) != 0)
		snprintf(detail, sizeof detail, "%s: replaced %s, access %s → %s", c->name,
			 r->type, r->was_access, now);
	else
		snprintf(detail, sizeof detail, "%s: replaced %s, access %s", c->name, r->type, now);
	return aq_audit(c->db, c->actor, c->action, r->id, detail);
}

/* write_all writes the checked records with their links in one pass (the
 * foreign keys are checked at the commit, so a link may name a record
 * further on in the file), then indexes them for search in bulk: the new
 * records alone (no record of the archive can name one yet), the
 * replaced ones with the records that name them. Audits each. */
static int write_all(struct ctx *c, const char **ids, struct import_stats *stats)
{
	int rc = 0, nnew = 0, nold = 0;
	size_t i;

	if ((rc = db_exec(c->db, "PRAGMA defer_foreign_keys = ON")))
		return rc;
	for (i = 0; i < c->nrecs && rc == 0; i++) {
		struct rec *r = &c->recs[i];
		if (r->unchanged) {
			stats->unchanged++;
			continue;
		}
		if ((rc = rec_load(c, (long)i)))
			break;
		rc = write_record(c, r);
		if (rc == 0)
			rc = write_links(c, (long)i);
		if (rc == 0 && c->actor)
			rc = audit_record(c, r);
		rec_done(c, (long)i);
		/* the new ones from the start of ids, the replaced from its end */
		if (r->existed) {
			ids[c->nrecs - 1 - (size_t)nold++] = r->id;
			stats->updated++;
		} else {
			ids[nnew++] = r->id;
			stats->created++;
		}
	}
	if (rc == 0 && nnew)
		rc = rq_reindex_new(c->db, ids, nnew);
	if (rc == 0 && nold)
		rc = rq_reindex(c->db, ids + c->nrecs - nold, nold);
	return rc;
}

/* by_record orders problems by record, then as found. */
static int by_record(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->rec != y->rec)
		return x->rec < y->rec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* bulk_begin makes SQLite's page cache large for a large file (the
 * writes of one transaction are then written once, not spilled and
 * written again) and says what it was, for bulk_end. */
static int bulk_begin(struct ctx *c)
{
	sqlite3_stmt *st;
	int was = 0;

	if (c->nrecs < 10000)
		return 0;
	st = db_prepare(c->db, "PRAGMA cache_size");
	if (st && db_step(c->db, st) == 1)
		was = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	if (was && db_exec(c->db, "PRAGMA cache_size = -262144") == 0)
		return was;	/* 256 MiB */
	return 0;
}

static void bulk_end(struct ctx *c, int was)
{
	char sql[64];

	if (!was)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", was);
	db_exec(c->db, sql);
}

/* import_text is import_json_as for text that may be a mapped file's. */
static int import_text(struct db *db, const char *text, size_t len, const char *map,
		       const char *name, const char *actor, const char *action,
		       struct buf *errors, struct import_stats *stats)
{
	struct ctx c = {.db = db, .name = name, .errors = errors, .actor = actor,
			.action = action ? action : "import", .map = map};
	json_error_t jerr;
	json_t *root = NULL, *records, *v;
	const char **ids = NULL;
	bool own = db->depth == 0, writing = false;
	long long version = -1;
	int rc = ERR_INVALID, cache_was = 0;
	size_t i;

	memset(stats, 0, sizeof *stats);
	buf_init(&c.problems, (size_t)MAX_ERRORS * 4096);
	/* a UTF-8 byte order mark, as some editors write: RFC 8259 lets a
	 * parser ignore it */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	c.text = text;
	c.len = len;
	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
				text[i] == '\n'); i++)
		;
	if (i == len) {
		buf_printf(errors, "%s: is empty: there are no records to import\n", name);
		return ERR_INVALID;
	}
	rc = split(&c, &root);
	if (rc == ERR_NOMEM)
		goto out;
	/* a record cut short says so itself, with its name */
	if (rc && c.cut && c.nrecs && (rc = rec_load(&c, (long)c.nrecs - 1)) != 0)
		goto out;
	if (c.cut && c.nrecs) {
		rc = ERR_INVALID;
		rec_done(&c, (long)c.nrecs - 1);
	}
	if (rc && len > OUTLINE_WHOLE_MAX) {
		/* too large to read whole for the parser's words: ours */
		memset(&jerr, 0, sizeof jerr);
		jerr.line = 1;
		snprintf(jerr.text, sizeof jerr.text, "%s", c.cut ? "" :
			 "the document is not {\"records\": [{...}, {...}]} here");
		jerr.text[sizeof jerr.text - 1] = (char)(c.cut ? json_error_premature_end_of_input :
							  json_error_invalid_syntax);
		at_position(&c, c.bad_at, &jerr);
		syntax_error(&c, &jerr, 0, 0);
		rc = ERR_INVALID;
		goto out;
	}
	if (rc) {
		/* not the format's outline: read it whole, as the parser sees it */
		json_decref(root);
		for (i = 0; i < c.nrecs; i++)
			json_decref(c.recs[i].obj);
		c.nrecs = 0;
		c.map = NULL;
		root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!root && (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0])) {
			rc = ERR_NOMEM;
			goto out;
		}
		if (!root) {
			json_error_t again;
			json_t *second = json_loadb(text, len, JSON_REJECT_DUPLICATES, &again);
			bool same = !second && again.position == jerr.position &&
				    strcmp(again.text, jerr.text) == 0;
			json_decref(second);
			if (!same) {
				rc = ERR_NOMEM;
				goto out;
			}
			syntax_error(&c, &jerr, 0, 0);
			rc = ERR_INVALID;
			goto out;
		}
		c.records = json_object_get(root, "records");
		for (i = 0; json_is_array(c.records) && i < json_array_size(c.records); i++)
			if ((rc = add_rec(&c, 0, 0)))
				goto out;
	}
	rc = ERR_INVALID;
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
	c.nerr_file = c.nerr;
	ids = calloc(c.nrecs ? c.nrecs : 1, sizeof *ids);
	c.probs = calloc(MAX_ERRORS, sizeof *c.probs);
	c.mids = json_object();
	if (!ids || !c.probs || !c.mids || index_init(&c.by_slug, c.nrecs) ||
	    index_init(&c.by_id, c.nrecs)) {
		rc = ERR_NOMEM;
		buf_printf(errors, "%s: out of memory\n", name);
		goto out;
	}
	cache_was = bulk_begin(&c);

	/* check on a read snapshot first, unless a caller's transaction is open */
	if (own) {
		version = rq_data_version(db);
		if ((rc = db_read_begin(db))) {
			buf_printf(errors, "%s: cannot read the catalogue: %s\n", name, db->err);
			goto out;
		}
		rc = validate(&c);
		if (db_read_end(db) && !rc) {
			rc = ERR_DB;
			buf_printf(errors, "%s: cannot read the catalogue: %s\n", name, db->err);
			goto out;
		}
		if (rc)
			goto out;
		if (c.nerr) {
			rc = ERR_INVALID;
			goto out;
		}
	}
	if ((rc = db_begin(db))) {
		if (rc != ERR_BUSY)
			buf_printf(errors, "%s: cannot start writing: %s\n", name, db->err);
		goto out;
	}
	writing = true;
	/* another writer committed since: check again against what it wrote */
	if ((!own || version < 0 || rq_data_version(db) != version) && (rc = validate(&c)))
		goto out;
	if (c.nerr) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = write_all(&c, ids, stats);
	if (rc == 0)
		rc = db_commit(db);
	if (rc == 0) {
		writing = false;
		if (db->depth == 0 && (stats->created || stats->updated))
			db_optimize(db);
		goto out;
	}
	if (!c.nerr && rc != ERR_BUSY && rc != ERR_INVALID)
		buf_printf(errors, "%s: cannot write the catalogue: %s\n", name,
			   rc == ERR_NOMEM ? "out of memory" : db->err);
out:
	if (writing) {
		db_rollback(db);
		memset(stats, 0, sizeof *stats);
	}
	bulk_end(&c, cache_was);
	if (c.probs) {
		qsort(c.probs, (size_t)c.nprobs, sizeof *c.probs, by_record);
		for (int k = 0; k < c.nprobs; k++)
			buf_append(errors, c.problems.data + c.probs[k].off, c.probs[k].len);
	}
	if (c.nerr >= MAX_ERRORS)
		buf_printf(errors, "%s: too many problems (%d shown); correct these and run the "
			   "import again to see the rest\n", name, MAX_ERRORS - 1);
	for (i = 0; c.recs && i < c.nrecs; i++)
		json_decref(c.recs[i].obj);
	buf_free(&c.problems);
	free(c.probs);
	free(c.by_slug.slot);
	free(c.by_id.slot);
	json_decref(c.mids);
	free(ids);
	free(c.recs);
	json_decref(root);
	return rc;
}

int import_json_as(struct db *db, const char *text, size_t len, const char *name,
		   const char *actor, const char *action, struct buf *errors,
		   struct import_stats *stats)
{
	return import_text(db, text, len, NULL, name, actor, action, errors, stats);
}

int import_json(struct db *db, const char *text, size_t len, const char *name,
		struct buf *errors, struct import_stats *stats)
{
	return import_json_as(db, text, len, name, NULL, NULL, errors, stats);
}

int import_file_as(struct db *db, const char *path, const char *actor, const char *action,
		   struct buf *errors, struct import_stats *stats)
{
	struct stat sb;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	memset(stats, 0, sizeof *stats);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		buf_printf(errors, "%s: cannot read: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ERR_IO;
	}
	if (!S_ISREG(sb.st_mode)) {
		buf_printf(errors, "%s: is not a file\n", path);
		close(fd);
		return ERR_IO;
	}
	if (sb.st_size == 0) {
		close(fd);
		return import_text(db, "", 0, NULL, path, actor, action, errors, stats);
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		buf_printf(errors, "%s: cannot read: %s\n", path, strerror(errno));
		return ERR_IO;
	}
	rc = import_text(db, map, (size_t)sb.st_size, map, path, actor, action, errors, stats);
	munmap(map, (size_t)sb.st_size);
	return rc;
}
