/* edit.c: the record editor's model (see edit.h).
 *
 * Reading: the record is exported as one JSON object, exactly as
 * export-json writes it, and the form's fields are taken from it.
 * Writing: a copy of that export gets the form's values (fields the form
 * does not show stay as they were), goes through import_json() as a file
 * of one record, and every line the validator prints,
 * "form: records[0] (slug): FIELD: reason", is traced back through the
 * maps kept while building (JSON index -> form row or text line) to the
 * field the person typed it in. */
#include "edit.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/edit_q.h"
#include "db/read_q.h"
#include "db/record_q.h"
#include "import.h"

#define DETAIL_MAX 400	/* bytes of an audit entry's detail */

const char *const edit_types[] = {
	"work", "document", "agent", "place", "event", "collection", "subject", NULL};
const char *const edit_levels[] = {"public", "registered", "community", "private", NULL};
const char *const edit_title_kinds[] = {"main", "original", "translated", "alternative", NULL};
const char *const edit_doc_types[] = {
	"contract", "thesis", "pamphlet", "letter", "article", "table", "book", "report",
	"other", NULL};
const char *const edit_agent_kinds[] = {"person", "organisation", NULL};

#define ROW(n) "title" #n, "title" #n "_lang", "title" #n "_kind"
static const char *const field_names[EF_COUNT] = {
	"slug", "date", "date_end", "desc_es", "desc_en", "source", "access", "embargo_until",
	"original_language", "country", "duration", "doc_type", "pages", "text", "kind",
	"lat", "lon", "credits", "relations",
	ROW(0), ROW(1), ROW(2), ROW(3), ROW(4), ROW(5), ROW(6), ROW(7), ROW(8), ROW(9),
	ROW(10), ROW(11),
};
#undef ROW
_Static_assert(EDIT_TITLE_ROWS == 12, "field_names lists 12 title rows");

/* The import's key for the fields that are one JSON member each. */
static const char *const simple_keys[EF_TITLE0] = {
	[EF_SLUG] = "slug", [EF_DATE] = "date", [EF_DATE_END] = "date_end",
	[EF_SOURCE] = "source", [EF_ACCESS] = "access", [EF_EMBARGO] = "embargo_until",
	[EF_ORIGINAL_LANGUAGE] = "original_language", [EF_COUNTRY] = "country",
	[EF_DOC_TYPE] = "doc_type", [EF_TEXT] = "text", [EF_KIND] = "kind",
};

const char *edit_field_name(enum edit_field f)
{
	return f < EF_COUNT ? field_names[f] : "";
}

bool edit_field_applies(const char *type, enum edit_field f)
{
	switch (f) {
	case EF_ORIGINAL_LANGUAGE:
	case EF_DURATION:
		return strcmp(type, "work") == 0;
	case EF_COUNTRY:
		return strcmp(type, "work") == 0 || strcmp(type, "place") == 0;
	case EF_DOC_TYPE:
	case EF_PAGES:
	case EF_TEXT:
		return strcmp(type, "document") == 0;
	case EF_KIND:
		return strcmp(type, "agent") == 0;
	case EF_LAT:
	case EF_LON:
		return strcmp(type, "place") == 0;
	case EF_CREDITS:
		return strcmp(type, "work") == 0 || strcmp(type, "document") == 0;
	default:
		return f < EF_COUNT;
	}
}

bool edit_field_multiline(enum edit_field f)
{
	return f == EF_DESC_ES || f == EF_DESC_EN || f == EF_SOURCE || f == EF_TEXT ||
	       f == EF_CREDITS || f == EF_RELATIONS;
}

bool edit_type_valid(const char *type)
{
	for (const char *const *t = edit_types; type && *t; t++)
		if (strcmp(type, *t) == 0)
			return true;
	return false;
}

const char *edit_value(const struct edit *e, enum edit_field f)
{
	return f < EF_COUNT && e->val[f] ? e->val[f] : "";
}

/* put stores a copy of the first n bytes of s as f's value (NULL when
 * empty). Returns 0 or ERR_NOMEM. */
static int put(struct edit *e, enum edit_field f, const char *s, size_t n)
{
	char *copy = NULL;

	if (n > 0) {
		if (!(copy = malloc(n + 1)))
			return ERR_NOMEM;
		memcpy(copy, s, n);
		copy[n] = '\0';
	}
	free(e->val[f]);
	e->val[f] = copy;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int edit_set(struct edit *e, enum edit_field f, const char *value)
{
	size_t n = strlen(value), w = 0;
	char *s;
	int rc;

	if (f >= EF_COUNT)
		return ERR_INVALID;
	if (!(s = malloc(n + 1)))
		return ERR_NOMEM;
	/* browsers send a textarea's line breaks as CR LF */
	for (size_t i = 0; i < n; i++) {
		if (value[i] == '\r') {
			s[w++] = '\n';
			if (value[i + 1] == '\n')
				i++;
		} else {
			s[w++] = value[i];
		}
	}
	s[w] = '\0';
	size_t start = 0, end = w;
	while (start < end && blank(s[start]))
		start++;
	if (start == end) {
		end = 0;	/* blanks only: empty */
	} else if (!edit_field_multiline(f)) {
		while (end > start && blank(s[end - 1]))
			end--;
	} else {
		start = 0;	/* a text keeps its layout */
	}
	rc = put(e, f, s + start, end - start);
	free(s);
	e->set[f] = true;
	return rc;
}

/* ---- from the export to the form -------------------------------------- */

static const char *str_of(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* number_text writes a JSON number as the shortest text that reads back
 * as the same value. */
static void number_text(json_t *v, char out[40])
{
	if (json_is_integer(v)) {
		snprintf(out, 40, "%lld", (long long)json_integer_value(v));
		return;
	}
	double d = json_number_value(v);
	snprintf(out, 40, "%.15g", d);
	if (strtod(out, NULL) != d)
		snprintf(out, 40, "%.17g", d);
}

/* first_lang: the index of the first entry of arr in language lang, or -1. */
static long first_lang(json_t *arr, const char *lang)
{
	size_t k;
	json_t *t;

	json_array_foreach(arr, k, t) {
		const char *l = str_of(t, "lang");
		if (l && strcmp(l, lang) == 0)
			return (long)k;
	}
	return -1;
}

/* lines_of writes credits or relations as the form's text, one
 * "FIRST SECOND" per line. */
static int lines_of(struct edit *e, enum edit_field f, json_t *arr, const char *first,
		    const char *second)
{
	struct buf b;
	size_t k;
	json_t *t;
	int rc;

	buf_init(&b, 64u << 20);
	json_array_foreach(arr, k, t) {
		const char *a = str_of(t, first), *s = str_of(t, second);
		buf_printf(&b, "%s%s %s", k ? "\n" : "", a ? a : "", s ? s : "");
	}
	if (b.err)
		return b.err;
	rc = put(e, f, buf_str(&b), b.len);
	buf_free(&b);
	return rc;
}

/* encoded_size estimates the bytes a value takes in a urlencoded body. */
static size_t encoded_size(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		n += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     strchr(" -._~", c) ? 1 : 3;
	}
	return n;
}

/* fill sets every field the request did not from the record's export,
 * then keeps out of the form the longest texts that would make a
 * submission too large for the server to accept. */
static int fill(struct edit *e)
{
	json_t *b = e->base, *titles = json_object_get(b, "titles"), *descs, *v;
	size_t ntitles = json_array_size(titles), total = 0;
	char num[40];
	int rc = 0, top_set = 0;

	for (int r = 0; r < EDIT_TITLE_ROWS; r++)
		for (int c = 0; c < 3; c++)
			if (e->set[EF_TITLE0 + 3 * r + c])
				top_set = r + 1;
	e->rows = (int)(ntitles > EDIT_MIN_TITLE_ROWS ? ntitles : EDIT_MIN_TITLE_ROWS);
	if (e->rows < top_set)
		e->rows = top_set;
	if (e->rows > EDIT_TITLE_ROWS)
		e->rows = EDIT_TITLE_ROWS;
	for (enum edit_field f = 0; f < EF_COUNT && rc == 0; f++) {
		const char *s = NULL;

		if (e->set[f] || !edit_field_applies(e->type, f))
			continue;
		if (f < EF_TITLE0 && simple_keys[f]) {
			s = str_of(b, simple_keys[f]);
		} else if (f >= EF_TITLE0) {
			static const char *const keys[] = {"text", "lang", "kind"};
			json_t *t = json_array_get(titles, (size_t)(f - EF_TITLE0) / 3);
			s = str_of(t, keys[(f - EF_TITLE0) % 3]);
		} else if (f == EF_DESC_ES || f == EF_DESC_EN) {
			descs = json_object_get(b, "descriptions");
			s = str_of(json_array_get(descs, (size_t)first_lang(descs, f == EF_DESC_ES ?
									  "es" : "en")), "text");
		} else if (f == EF_DURATION || f == EF_PAGES || f == EF_LAT || f == EF_LON) {
			v = json_object_get(b, f == EF_DURATION ? "duration" : f == EF_PAGES ? "pages" :
					    f == EF_LAT ? "lat" : "lon");
			if (json_is_number(v)) {
				number_text(v, num);
				s = num;
			}
		} else if (f == EF_CREDITS) {
			rc = lines_of(e, f, json_object_get(b, "credits"), "role", "agent");
			continue;
		} else if (f == EF_RELATIONS) {
			rc = lines_of(e, f, json_object_get(b, "relations"), "type", "to");
			continue;
		}
		if (f == EF_ACCESS && !s)
			s = "private";	/* what the import makes of no level */
		rc = put(e, f, s ? s : "", s ? strlen(s) : 0);
	}
	if (rc)
		return rc;
	for (enum edit_field f = 0; f < EF_COUNT; f++)
		total += encoded_size(e->val[f]) + strlen(field_names[f]) + 2;
	while (total > EDIT_FORM_BUDGET) {
		enum edit_field big = EF_COUNT;
		size_t most = 0;
		for (enum edit_field f = 0; f < EF_COUNT; f++) {
			size_t n = encoded_size(e->val[f]);
			if (!e->set[f] && !e->kept[f] && edit_field_multiline(f) && n > most) {
				most = n;
				big = f;
			}
		}
		if (big == EF_COUNT)
			break;
		e->kept[big] = true;
		total -= most;
	}
	return 0;
}

int edit_load(struct edit *e, struct db *db, const char *type, const char *slug)
{
	int rc;

	json_decref(e->base);
	e->base = NULL;
	memset(e->kept, 0, sizeof e->kept);
	if (!slug) {
		if (!edit_type_valid(type))
			return ERR_NOTFOUND;
		snprintf(e->type, sizeof e->type, "%s", type);
		e->is_new = true;
		e->slug[0] = '\0';
		e->base = json_pack("{s:s}", "type", type);
		if (!e->base)
			return ERR_NOMEM;
		return fill(e);
	}
	if (!(e->base = export_record(db, slug, &rc)))
		return rc;
	if (type && strcmp(type, str_of(e->base, "type")) != 0)
		return ERR_NOTFOUND;
	snprintf(e->type, sizeof e->type, "%s", str_of(e->base, "type"));
	snprintf(e->id, sizeof e->id, "%s", str_of(e->base, "id"));
	snprintf(e->slug, sizeof e->slug, "%s", slug);
	e->is_new = false;
	return fill(e);
}

/* ---- from the form to an import record -------------------------------- */

/* Where each JSON entry came from, to trace the validator's messages back. */
struct trace {
	int title_row[128];	/* titles[k] -> form row, -1: kept as it was */
	int desc_field[128];	/* descriptions[k] -> EF_DESC_ES/EN, -1: kept */
	int *credit_line;	/* credits[k] -> line of the text (from 1) */
	int *relation_line;	/* relations[k] -> line */
	size_t ncredits, nrelations;
};

/* set_text sets key to the field's text, or removes it when empty. */
static void set_text(json_t *rec, const char *key, const char *s)
{
	if (*s)
		json_object_set_new(rec, key, json_string(s));
	else
		json_object_del(rec, key);
}

/* set_integer sets key to the field's number when it is a whole number;
 * any other text goes as a string for the validator to name. */
static void set_integer(json_t *rec, const char *key, const char *s)
{
	unsigned long long n;

	if (!*s)
		json_object_del(rec, key);
	else if (str_parse_u64(s, 1ull << 62, &n))
		json_object_set_new(rec, key, json_integer((json_int_t)n));
	else
		json_object_set_new(rec, key, json_string(s));
}

/* set_degrees: the same for a coordinate. */
static void set_degrees(json_t *rec, const char *key, const char *s)
{
	char *end;
	double d;

	if (!*s) {
		json_object_del(rec, key);
		return;
	}
	d = strtod(s, &end);
	if (*end == '\0' && end != s && isfinite(d))
		json_object_set_new(rec, key, json_real(d));
	else
		json_object_set_new(rec, key, json_string(s));
}

/* parse_lines turns "FIRST SECOND" lines into objects {a: FIRST, b:
 * SECOND}, noting each one's line; blank lines are skipped. A line of one
 * word leaves b out, so that the validator says it is required. Returns
 * the array, or NULL when memory ran out (*lines is then freed). */
static json_t *parse_lines(const char *text, const char *a, const char *b, int **lines,
			   size_t *n)
{
	json_t *arr = json_array();
	size_t cap = 0;
	int line = 0;

	*lines = NULL;
	*n = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p), *w, *we;
		line++;
		while (p < end && blank(*p))
			p++;
		while (end > p && blank(end[-1]))
			end--;
		if (p < end) {
			json_t *o = json_object();
			for (w = p; w < end && !blank(*w); w++)
				;
			json_object_set_new(o, a, json_stringn(p, (size_t)(w - p)));
			for (we = w; we < end && blank(*we); we++)
				;
			if (we < end)
				json_object_set_new(o, b, json_stringn(we, (size_t)(end - we)));
			if (*n == cap) {
				int *grown = realloc(*lines, (cap = cap ? cap * 2 : 16) * sizeof **lines);
				if (!grown) {
					json_decref(o);
					goto fail;
				}
				*lines = grown;
			}
			(*lines)[(*n)++] = line;
			if (json_array_append_new(arr, o))
				goto fail;
		}
		p = eol ? eol + 1 : end;
		if (!eol)
			break;
	}
	if (arr)
		return arr;
fail:
	json_decref(arr);
	free(*lines);
	*lines = NULL;
	*n = 0;
	return NULL;
}

/* build lays the form's values over a copy of the export. Returns the
 * record (caller decrefs), or NULL when memory ran out. */
static json_t *build(struct edit *e, struct trace *tr)
{
	json_t *rec = json_deep_copy(e->base), *titles, *descs, *bt, *bd, *t;
	long es = first_lang(json_object_get(e->base, "descriptions"), "es");
	long en = first_lang(json_object_get(e->base, "descriptions"), "en");
	bool have_es = false, have_en = false;
	size_t k, n;

	if (!rec)
		return NULL;
	for (size_t i = 0; i < 128; i++)
		tr->title_row[i] = tr->desc_field[i] = -1;
	if (e->is_new)
		json_object_set_new(rec, "id", json_string(e->id));
	for (enum edit_field f = 0; f < EF_TITLE0; f++)
		if (simple_keys[f] && edit_field_applies(e->type, f))
			set_text(rec, simple_keys[f], edit_value(e, f));

	/* titles: the form's rows, then those past them as they were */
	bt = json_object_get(e->base, "titles");
	titles = json_array();
	for (int r = 0; r < EDIT_TITLE_ROWS; r++) {
		const char *text = edit_value(e, EF_TITLE_TEXT(r)), *lang = edit_value(e, EF_TITLE_LANG(r));
		const char *kind = edit_value(e, EF_TITLE_KIND(r));
		json_t *was = json_array_get(bt, (size_t)r);
		if (!*text && !*lang)
			continue;
		t = json_object();
		if (*text)
			json_object_set_new(t, "text", json_string(text));
		if (*lang)
			json_object_set_new(t, "lang", json_string(lang));
		/* "main" is the default: written only if the record said it */
		if (*kind && (strcmp(kind, "main") != 0 || str_of(was, "kind")))
			json_object_set_new(t, "kind", json_string(kind));
		if (json_array_size(titles) < 128)
			tr->title_row[json_array_size(titles)] = r;
		json_array_append_new(titles, t);
	}
	for (k = EDIT_TITLE_ROWS; k < json_array_size(bt); k++)
		json_array_append(titles, json_array_get(bt, k));
	if (json_array_size(titles))
		json_object_set_new(rec, "titles", titles);
	else {
		json_decref(titles);
		json_object_del(rec, "titles");
	}

	/* descriptions: the first in Spanish and in English are the form's */
	bd = json_object_get(e->base, "descriptions");
	descs = json_array();
	json_array_foreach(bd, k, t) {
		enum edit_field f = (long)k == es ? EF_DESC_ES : (long)k == en ? EF_DESC_EN : EF_COUNT;
		if (f == EF_COUNT) {
			json_array_append(descs, t);
			continue;
		}
		*(f == EF_DESC_ES ? &have_es : &have_en) = true;
		if (!*edit_value(e, f))
			continue;
		if (json_array_size(descs) < 128)
			tr->desc_field[json_array_size(descs)] = (int)f;
		json_array_append_new(descs, json_pack("{s:s,s:s}", "text", edit_value(e, f),
						       "lang", f == EF_DESC_ES ? "es" : "en"));
	}
	for (int i = 0; i < 2; i++) {
		enum edit_field f = i == 0 ? EF_DESC_ES : EF_DESC_EN;
		if ((i == 0 ? have_es : have_en) || !*edit_value(e, f))
			continue;
		if (json_array_size(descs) < 128)
			tr->desc_field[json_array_size(descs)] = (int)f;
		json_array_append_new(descs, json_pack("{s:s,s:s}", "text", edit_value(e, f),
						       "lang", i == 0 ? "es" : "en"));
	}
	if (json_array_size(descs))
		json_object_set_new(rec, "descriptions", descs);
	else {
		json_decref(descs);
		json_object_del(rec, "descriptions");
	}

	if (edit_field_applies(e->type, EF_DURATION))
		set_integer(rec, "duration", edit_value(e, EF_DURATION));
	if (edit_field_applies(e->type, EF_PAGES))
		set_integer(rec, "pages", edit_value(e, EF_PAGES));
	if (edit_field_applies(e->type, EF_LAT)) {
		set_degrees(rec, "lat", edit_value(e, EF_LAT));
		set_degrees(rec, "lon", edit_value(e, EF_LON));
	}
	if (edit_field_applies(e->type, EF_CREDITS)) {
		t = parse_lines(edit_value(e, EF_CREDITS), "role", "agent", &tr->credit_line, &n);
		tr->ncredits = n;
		if (!t)
			goto fail;
		if (json_array_size(t))
			json_object_set_new(rec, "credits", t);
		else {
			json_decref(t);
			json_object_del(rec, "credits");
		}
	}
	t = parse_lines(edit_value(e, EF_RELATIONS), "type", "to", &tr->relation_line, &n);
	tr->nrelations = n;
	if (!t)
		goto fail;
	if (json_array_size(t))
		json_object_set_new(rec, "relations", t);
	else {
		json_decref(t);
		json_object_del(rec, "relations");
	}
	return rec;
fail:
	json_decref(rec);
	return NULL;
}

/* ---- the validator's messages, back to the form ----------------------- */

static void add_error(struct edit *e, int field, int line, const char *text, size_t n)
{
	struct edit_error *x;

	if (e->nerrors == EDIT_MAX_ERRORS) {
		e->more_errors++;
		return;
	}
	x = &e->errors[e->nerrors];
	if (!(x->text = malloc(n + 1)))
		return;
	memcpy(x->text, text, n);
	x->text[n] = '\0';
	x->field = field;
	x->line = line;
	e->nerrors++;
}

/* field_of maps an import path ("titles[2].lang", "credits[0].agent",
 * "date") to the form: its field and, for a text of lines, the line. */
static int field_of(const struct edit *e, const struct trace *tr, const char *path, size_t n,
		    int *line)
{
	char key[32];
	size_t kn = strcspn(path, "[.");
	unsigned long long idx = 0;
	bool has_idx = false;
	const char *sub = "";

	*line = 0;
	if (kn > n)
		kn = n;
	if (kn >= sizeof key)
		return -1;
	memcpy(key, path, kn);
	key[kn] = '\0';
	if (kn < n && path[kn] == '[') {
		char num[24];
		size_t dn = strspn(path + kn + 1, "0123456789");
		if (dn == 0 || dn >= sizeof num)
			return -1;
		memcpy(num, path + kn + 1, dn);
		num[dn] = '\0';
		has_idx = str_parse_u64(num, 1u << 30, &idx);
		if (path[kn + 1 + dn] == ']' && path[kn + 2 + dn] == '.')
			sub = path + kn + 3 + dn;
	}
	for (enum edit_field f = 0; f < EF_TITLE0; f++)
		if (simple_keys[f] && strcmp(key, simple_keys[f]) == 0)
			return strcmp(key, "slug") == 0 || edit_field_applies(e->type, f) ? (int)f : -1;
	if (strcmp(key, "duration") == 0)
		return EF_DURATION;
	if (strcmp(key, "pages") == 0)
		return EF_PAGES;
	if (strcmp(key, "lat") == 0)
		return EF_LAT;
	if (strcmp(key, "lon") == 0)
		return EF_LON;
	if (strcmp(key, "titles") == 0) {
		int row = !has_idx ? 0 : idx < 128 ? tr->title_row[idx] : -1;
		if (row < 0)
			return -1;
		return strncmp(sub, "lang", 4) == 0 ? EF_TITLE_LANG(row) :
		       strncmp(sub, "kind", 4) == 0 ? EF_TITLE_KIND(row) : EF_TITLE_TEXT(row);
	}
	if (strcmp(key, "descriptions") == 0)
		return has_idx && idx < 128 ? tr->desc_field[idx] : -1;
	if (strcmp(key, "credits") == 0 || strcmp(key, "relations") == 0) {
		bool cr = key[0] == 'c';
		if (has_idx && idx < (cr ? tr->ncredits : tr->nrelations))
			*line = (cr ? tr->credit_line : tr->relation_line)[idx];
		return cr ? EF_CREDITS : EF_RELATIONS;
	}
	return -1;
}

/* map_errors reads the validator's lines: "form: records[0] (slug): PATH:
 * reason" goes to the field PATH names; anything else to no field. */
static void map_errors(struct edit *e, const struct trace *tr, const char *text)
{
	static const char head[] = "form: records[0]";

	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p), *s = p;
		size_t pn;
		int field = -1, line = 0;

		if (strncmp(s, head, sizeof head - 1) == 0) {
			s += sizeof head - 1;
			if (strncmp(s, " (", 2) == 0) {
				const char *close = strstr(s, "): ");
				s = close && close < end ? close + 1 : end;
			}
			if (strncmp(s, ": ", 2) == 0)
				s += 2;
		} else if (strncmp(s, "form: ", 6) == 0) {
			s += 6;
		}
		pn = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.[]");
		if (pn > 0 && s + pn + 2 <= end && strncmp(s + pn, ": ", 2) == 0 &&
		    (field = field_of(e, tr, s, pn, &line)) >= 0) {
			/* the field is shown, its name need not be; but a line of
			 * credits or relations keeps which of its words is wrong */
			const char *dot = memchr(s, '.', pn);
			s = line && dot ? dot + 1 : s + pn + 2;
		}
		if (s < end)
			add_error(e, field, line, s, (size_t)(end - s));
		if (!eol)
			break;
		p = eol + 1;
	}
}

/* ---- saving ------------------------------------------------------------ */

/* audit_detail says briefly what an edit changed: the members that differ,
 * with the old and new access level and slug. */
static void audit_detail(struct edit *e, json_t *rec, struct buf *d)
{
	static const char *const keys[] = {
		"slug", "titles", "descriptions", "date", "date_end", "original_language",
		"country", "duration", "doc_type", "pages", "text", "kind", "lat", "lon",
		"credits", "relations", "source", "access", "embargo_until", NULL};
	const char *was, *now;
	int n = 0;

	if (e->is_new) {
		buf_printf(d, "%s, access %s", e->type, str_of(rec, "access") ? str_of(rec, "access") :
			   "private");
		return;
	}
	for (const char *const *k = keys; *k; k++) {
		json_t *a = json_object_get(e->base, *k), *b = json_object_get(rec, *k);
		if ((!a && !b) || (a && b && json_equal(a, b)))
			continue;
		buf_puts(d, n++ ? ", " : "");
		was = str_of(e->base, *k);
		now = str_of(rec, *k);
		if (strcmp(*k, "access") == 0 || strcmp(*k, "slug") == 0 ||
		    strcmp(*k, "embargo_until") == 0)
			buf_printf(d, "%s %s → %s", *k, was ? was : "-", now ? now : "-");
		else
			buf_puts(d, *k);
	}
}

int edit_save(struct edit *e, struct db *db, const char *type, const char *slug,
	      const char *actor)
{
	struct trace tr = {0};
	struct import_stats stats;
	struct buf errors, detail;
	json_t *rec = NULL, *root = NULL;
	char *text = NULL, found_type[16];
	int rc;

	buf_init(&errors, 1u << 20);
	buf_init(&detail, DETAIL_MAX);
	e->changed = false;
	if ((rc = db_begin(db)))
		goto out;
	if ((rc = edit_load(e, db, type, slug)))
		goto rollback;
	if (e->is_new)
		uuid_v7(e->id);
	if (!(rec = build(e, &tr))) {
		rc = ERR_NOMEM;
		goto rollback;
	}
	if (!e->is_new && json_equal(rec, e->base)) {
		rc = db_commit(db);	/* nothing to write */
		goto out;
	}
	/* a record whose level was set from the command line has a digest of
	 * its last import that may equal this one: write it anyway */
	if (!e->is_new && (rc = eq_forget_digest(db, e->id)))
		goto rollback;
	root = json_pack("{s:s,s:i,s:[O]}", "format", "cinemateca-import", "version", 1,
			 "records", rec);
	if (!root || !(text = json_dumps(root, JSON_COMPACT))) {
		rc = ERR_NOMEM;
		goto rollback;
	}
	rc = import_json(db, text, strlen(text), "form", &errors, &stats);
	if (rc == ERR_INVALID) {
		map_errors(e, &tr, buf_str(&errors));
		if (e->nerrors == 0) {
			static const char why[] = "the record could not be saved";
			add_error(e, -1, 0, why, sizeof why - 1);
		}
		goto rollback;
	}
	if (rc)
		goto rollback;
	if ((rc = rq_find_by_id(db, e->id, found_type, e->slug)) != 1) {
		rc = rc < 0 ? rc : ERR_DB;
		goto rollback;
	}
	audit_detail(e, rec, &detail);
	if ((rc = aq_audit(db, actor, e->is_new ? "create" : "edit", e->id,
			   detail.err ? NULL : buf_str(&detail))))
		goto rollback;
	if ((rc = db_commit(db)) == 0)
		e->changed = true;
	else
		goto rollback;
	goto out;
rollback:
	db_rollback(db);
out:
	free(text);
	json_decref(root);
	json_decref(rec);
	free(tr.credit_line);
	free(tr.relation_line);
	buf_free(&errors);
	buf_free(&detail);
	return rc;
}

void edit_free(struct edit *e)
{
	for (int f = 0; f < EF_COUNT; f++)
		free(e->val[f]);
	for (int i = 0; i < e->nerrors; i++)
		free(e->errors[i].text);
	json_decref(e->base);
	memset(e, 0, sizeof *e);
}
