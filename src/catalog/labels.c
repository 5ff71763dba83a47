/* labels.c: the Local Contexts vocabulary and the Hub's project JSON (see
 * labels.h). The types are those the Local Contexts Hub publishes (its
 * label_type and notice_type values); the badges are the labels' own
 * abbreviations, shown as text so that no page loads an outside image. */
#include "labels.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/import.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "db/label_q.h"

const struct label_type labels_types[] = {
	{"tk", "attribution", "TK Attribution", "TK A", LABEL_OPEN},
	{"tk", "clan", "TK Clan", "TK CL", LABEL_OPEN},
	{"tk", "family", "TK Family", "TK F", LABEL_OPEN},
	{"tk", "outreach", "TK Outreach", "TK O", LABEL_OPEN},
	{"tk", "tk_multiple_community", "TK Multiple Communities", "TK MC", LABEL_OPEN},
	{"tk", "verified", "TK Verified", "TK V", LABEL_OPEN},
	{"tk", "non_verified", "TK Non-Verified", "TK NV", LABEL_OPEN},
	{"tk", "commercial", "TK Commercial", "TK C", LABEL_OPEN},
	{"tk", "non_commercial", "TK Non-Commercial", "TK NC", LABEL_OPEN},
	{"tk", "culturally_sensitive", "TK Culturally Sensitive", "TK CS", LABEL_OPEN},
	{"tk", "community_voice", "TK Community Voice", "TK CV", LABEL_OPEN},
	{"tk", "community_use_only", "TK Community Use Only", "TK CO", LABEL_MEMBERS},
	{"tk", "seasonal", "TK Seasonal", "TK S", LABEL_SEASONAL},
	{"tk", "women_general", "TK Women General", "TK WG", LABEL_OPEN},
	{"tk", "men_general", "TK Men General", "TK MG", LABEL_OPEN},
	{"tk", "men_restricted", "TK Men Restricted", "TK MR", LABEL_MEMBERS},
	{"tk", "women_restricted", "TK Women Restricted", "TK WR", LABEL_MEMBERS},
	{"tk", "secret_sacred", "TK Secret / Sacred", "TK SS", LABEL_MEMBERS},
	{"tk", "open_to_collaboration", "TK Open to Collaboration", "TK OC", LABEL_OPEN},
	{"tk", "creative", "TK Creative", "TK CR", LABEL_OPEN},
	{"bc", "provenance", "BC Provenance", "BC P", LABEL_OPEN},
	{"bc", "commercialization", "BC Open to Commercialization", "BC OC", LABEL_OPEN},
	{"bc", "non_commercial", "BC Non-Commercial", "BC NC", LABEL_OPEN},
	{"bc", "collaboration", "BC Open to Collaboration", "BC CB", LABEL_OPEN},
	{"bc", "consent_verified", "BC Consent Verified", "BC CV", LABEL_OPEN},
	{"bc", "consent_non_verified", "BC Consent Non-Verified", "BC CNV", LABEL_OPEN},
	{"bc", "multiple_community", "BC Multiple Communities", "BC MC", LABEL_OPEN},
	{"bc", "research", "BC Research Use", "BC R", LABEL_OPEN},
	{"bc", "clan", "BC Clan", "BC CL", LABEL_OPEN},
	{"bc", "outreach", "BC Outreach", "BC O", LABEL_OPEN},
	{"notice", "traditional_knowledge", "Traditional Knowledge Notice", "TK N", LABEL_OPEN},
	{"notice", "biocultural", "Biocultural Notice", "BC N", LABEL_OPEN},
	{"notice", "attribution_incomplete", "Attribution Incomplete Notice", "AI", LABEL_OPEN},
	{"notice", "open_to_collaborate", "Open to Collaborate Notice", "OC", LABEL_OPEN},
	{0},
};

const struct label_type *labels_type(const char *kind, const char *type)
{
	for (const struct label_type *t = labels_types; kind && type && t->kind; t++)
		if (strcmp(t->kind, kind) == 0 && strcmp(t->type, type) == 0)
			return t;
	return NULL;
}

void labels_type_list(const char *kind, struct buf *out)
{
	bool first = true;

	for (const struct label_type *t = labels_types; t->kind; t++)
		if (strcmp(t->kind, kind) == 0) {
			buf_printf(out, "%s%s", first ? "" : ", ", t->type);
			first = false;
		}
}

/* ---- reading a Hub project ------------------------------------------- */

struct hub_ctx {
	const char *name;	/* the file, for messages */
	struct buf *errors;
	int nerr;
};

__attribute__((format(printf, 3, 4)))
static void hub_bad(struct hub_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	c->nerr++;
	buf_printf(c->errors, "%s: %s%s", c->name, path ? path : "", path ? ": " : "");
	va_start(ap, fmt);
	buf_vprintf(c->errors, fmt, ap);
	va_end(ap);
	buf_putc(c->errors, '\n');
}

/* hub_text returns the text at key of obj: NULL (after a message) when
 * it is null, not a text, empty while required, too long or holds a
 * control character; NULL without one when it is absent and not
 * required. An empty text that is not required reads as absent. */
static const char *hub_text(struct hub_ctx *c, json_t *obj, const char *key, const char *at,
			    bool required, size_t max)
{
	json_t *v = json_object_get(obj, key);
	char path[160];
	const char *s;
	size_t n;

	snprintf(path, sizeof path, "%s%s%s", at, *at ? "." : "", key);
	if (!v) {
		if (required)
			hub_bad(c, path, "is missing");
		return NULL;
	}
	if (!json_is_string(v)) {
		hub_bad(c, path, "must be a text, not %s", import_json_kind(v));
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0) {
		if (required)
			hub_bad(c, path, "is empty");
		return NULL;
	}
	if (n > max) {
		hub_bad(c, path, "is %zu bytes, more than the %zu allowed", n, max);
		return NULL;
	}
	for (size_t k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
			hub_bad(c, path, "contains control character U+%04X", ch);
			return NULL;
		}
	}
	return s;
}

/* hub_lang reads a language_tag: "" or absent is none. */
static const char *hub_lang(struct hub_ctx *c, json_t *obj, const char *at, bool required)
{
	const char *s = hub_text(c, obj, "language_tag", at, required, 35);
	char path[160];

	if (s && !str_lang_valid(s)) {
		snprintf(path, sizeof path, "%s.language_tag", at);
		hub_bad(c, path, "\"%s\" is not a language tag such as en, es, qu", s);
		return NULL;
	}
	return s;
}

/* hub_array returns the array at key (NULL when absent or after a
 * message for anything else, null included). */
static json_t *hub_array(struct hub_ctx *c, json_t *obj, const char *key, const char *at,
			 size_t max)
{
	json_t *v = json_object_get(obj, key);
	char path[160];

	snprintf(path, sizeof path, "%s%s%s", at, *at ? "." : "", key);
	if (!v)
		return NULL;
	if (!json_is_array(v)) {
		hub_bad(c, path, "must be an array, not %s", import_json_kind(v));
		return NULL;
	}
	if (json_array_size(v) > max) {
		hub_bad(c, path, "has %zu entries, more than the %zu allowed", json_array_size(v),
			max);
		return NULL;
	}
	return v;
}

static int hub_translations(struct hub_ctx *c, json_t *obj, const char *at, struct hub_label *l)
{
	json_t *arr = hub_array(c, obj, "translations", at, LABELS_TRANSLATIONS_MAX), *t;
	char path[160];
	size_t k;

	if (!arr || json_array_size(arr) == 0)
		return 0;
	l->tr = calloc(json_array_size(arr), sizeof *l->tr);
	if (!l->tr)
		return ERR_NOMEM;
	json_array_foreach(arr, k, t) {
		struct hub_translation *tr = &l->tr[l->ntr];
		snprintf(path, sizeof path, "%s.translations[%zu]", at, k);
		if (!json_is_object(t)) {
			hub_bad(c, path, "must be an object, not %s", import_json_kind(t));
			continue;
		}
		tr->lang = hub_lang(c, t, path, true);
		tr->name = hub_text(c, t, "translated_name", path, true, LABELS_NAME_MAX);
		tr->text = hub_text(c, t, "translated_text", path, true, LABELS_TEXT_MAX);
		if (tr->lang && tr->name && tr->text)
			l->ntr++;
	}
	return 0;
}

/* hub_labels reads one of tk_labels, bc_labels, notice. */
static int hub_labels(struct hub_ctx *c, json_t *proj, const char *key, const char *kind,
		      struct hub_project *p)
{
	bool notice = strcmp(kind, "notice") == 0;
	json_t *arr = hub_array(c, proj, key, "", LABELS_MAX), *o;
	char at[96];
	size_t k;
	int rc;

	json_array_foreach(arr, k, o) {
		struct hub_label *l;
		snprintf(at, sizeof at, "%s[%zu]", key, k);
		if (!json_is_object(o)) {
			hub_bad(c, at, "must be an object, not %s", import_json_kind(o));
			continue;
		}
		if (p->nlabels == LABELS_MAX) {
			hub_bad(c, at, "more than %d labels and Notices in one project", LABELS_MAX);
			return 0;
		}
		l = &p->labels[p->nlabels];
		memset(l, 0, sizeof *l);
		l->kind = kind;
		l->type = hub_text(c, o, notice ? "notice_type" : "label_type", at, true, 64);
		if (l->type && !labels_type(kind, l->type)) {
			struct buf known;
			char path[160];
			buf_init(&known, 2048);
			labels_type_list(kind, &known);
			snprintf(path, sizeof path, "%s.%s", at, notice ? "notice_type" : "label_type");
			hub_bad(c, path, "\"%s\" is not a published %s type (%s)", l->type,
				notice ? "Notice" : strcmp(kind, "tk") == 0 ? "TK Label" : "BC Label",
				buf_str(&known));
			buf_free(&known);
			l->type = NULL;
		}
		l->name = hub_text(c, o, "name", at, true, LABELS_NAME_MAX);
		l->text = hub_text(c, o, notice ? "default_text" : "label_text", at, true,
				   LABELS_TEXT_MAX);
		l->lang = hub_lang(c, o, at, false);
		l->community = hub_text(c, o, "community", at, !notice, LABELS_NAME_MAX);
		l->hub_id = hub_text(c, o, "unique_id", at, false, UUID_STR_LEN);
		if (l->hub_id && !uuid_valid(l->hub_id)) {
			char path[160];
			snprintf(path, sizeof path, "%s.unique_id", at);
			hub_bad(c, path, "\"%s\" is not a UUID", l->hub_id);
		}
		if ((rc = hub_translations(c, o, at, l)))
			return rc;
		p->nlabels++;
	}
	return 0;
}

int labels_read_hub(const char *text, size_t len, const char *name, struct hub_project *out,
		    struct buf *errors)
{
	struct hub_ctx c = {.name = name, .errors = errors};
	json_error_t je;
	json_t *proj, *data;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (len > LABELS_HUB_MAX) {
		buf_printf(errors, "%s: is %zu bytes, more than the %d a Local Contexts project "
			   "file may have\n", name, len, LABELS_HUB_MAX);
		return ERR_INVALID;
	}
	out->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!out->doc) {
		buf_printf(errors, "%s:%d:%d: not JSON: %s\n", name, je.line, je.column, je.text);
		return ERR_INVALID;
	}
	proj = out->doc;
	if (!json_is_object(proj)) {
		buf_printf(errors, "%s: must be a Local Contexts project (an object), not %s\n", name,
			   import_json_kind(proj));
		rc = ERR_INVALID;
		goto out;
	}
	data = json_object_get(proj, "data");
	if (data && !json_object_get(proj, "unique_id")) {
		if (!json_is_array(data) || json_array_size(data) != 1 ||
		    !json_is_object(json_array_get(data, 0))) {
			buf_printf(errors, "%s: data: must hold exactly one project; give the file of "
				   "one project (/api/v2/projects/ID/)\n", name);
			rc = ERR_INVALID;
			goto out;
		}
		proj = json_array_get(data, 0);
	}
	out->project_id = hub_text(&c, proj, "unique_id", "", true, UUID_STR_LEN);
	if (out->project_id && !uuid_valid(out->project_id))
		hub_bad(&c, "unique_id", "\"%s\" is not a UUID", out->project_id);
	out->title = hub_text(&c, proj, "title", "", false, 1000);
	if (!out->title)
		out->title = "";
	out->labels = calloc(LABELS_MAX, sizeof *out->labels);
	if (!out->labels) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = hub_labels(&c, proj, "tk_labels", "tk", out)) ||
	    (rc = hub_labels(&c, proj, "bc_labels", "bc", out)) ||
	    (rc = hub_labels(&c, proj, "notice", "notice", out)))
		goto out;
	if (c.nerr == 0 && out->nlabels == 0)
		hub_bad(&c, NULL, "the project has no labels or Notices (tk_labels, bc_labels, "
			"notice)");
	if (c.nerr)
		rc = ERR_INVALID;
out:
	if (rc)
		labels_hub_free(out);
	return rc;
}

void labels_hub_free(struct hub_project *p)
{
	for (size_t i = 0; p->labels && i < p->nlabels; i++)
		free(p->labels[i].tr);
	free(p->labels);
	json_decref(p->doc);
	memset(p, 0, sizeof *p);
}

int labels_apply_hub(struct db *db, const char *record_id, const char *file_id,
		     const struct hub_project *p, int *added, int *updated)
{
	int rc = 0;

	*added = *updated = 0;
	for (size_t i = 0; i < p->nlabels && rc == 0; i++) {
		const struct hub_label *h = &p->labels[i];
		struct label_row l = {.file_id = file_id, .kind = h->kind, .type = h->type,
				      .community = h->community ? h->community : "",
				      .name = h->name, .text = h->text, .lang = h->lang,
				      .project_id = p->project_id, .hub_id = h->hub_id};
		long long id = 0;

		rc = lq_find(db, record_id, file_id, l.kind, l.type, l.community, &id);
		if (rc == 1) {
			rc = lq_update_text(db, id, &l);
			(*updated)++;
		} else if (rc == 0) {
			rc = lq_add(db, record_id, &l, &id);
			(*added)++;
		}
		for (size_t k = 0; k < h->ntr && rc == 0; k++)
			rc = lq_add_translation(db, id, h->tr[k].lang, h->tr[k].name, h->tr[k].text);
	}
	return rc ? rc : lq_touch(db, record_id);
}
