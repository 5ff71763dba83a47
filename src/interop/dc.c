/* dc.c: a record as unqualified Dublin Core, the oai_dc format every
 * OAI-PMH harvester reads (see dc.h).
 *
 * The fifteen elements from the catalogue: every title and description in
 * its language (xml:lang), directors, authors and writers as creators and
 * the other credits as contributors, subject terms, places and the country
 * as coverage, the date (a range as START/END), the DCMI type of the
 * record type, the formats of the files a visitor may read, the page and
 * the urn:uuid as identifiers, the original language, the source, and the
 * other records named as relations. */
#include "interop/dc.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "db/oai_q.h"
#include "interop/xml.h"

/* The credits and the relations are read once each: the creators and the
 * subjects go straight out, the rest waits in a buffer for its place in
 * the record (three queries fewer a record than a pass for each). */
struct dc {
	struct buf *out;
	const char *base;	/* site URL, no trailing slash */
	struct buf contributors, relations, places;
};

/* elem_lang writes <dc:NAME xml:lang="LANG">TEXT</dc:NAME>. */
static void elem_lang(struct buf *b, const char *name, const char *text, const char *lang)
{
	if (!text || !*text)
		return;
	buf_printf(b, "<dc:%s", name);
	if (lang && *lang) {
		xml_raw(b, " xml:lang=\"");
		xml_text(b, lang);
		xml_raw(b, "\"");
	}
	xml_raw(b, ">");
	xml_text(b, text);
	buf_printf(b, "</dc:%s>", name);
}

static int title_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	elem_lang(d->out, "title", col[0], col[1]);
	return d->out->err;
}

static int description_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	elem_lang(d->out, "description", col[0], col[1]);
	return d->out->err;
}

/* the rights URI, then the rights statement in each language */
static int rights_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	elem_lang(d->out, "rights", col[0], col[1]);
	return d->out->err;
}

static bool is_creator(const char *role)
{
	return role && (strcmp(role, "director") == 0 || strcmp(role, "author") == 0 ||
			strcmp(role, "writer") == 0);
}

/* credit_row: directors, authors and writers are creators, the others
 * contributors. */
static int credit_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	if (is_creator(col[1]))
		elem_lang(d->out, "creator", col[0], NULL);
	else
		elem_lang(&d->contributors, "contributor", col[0], NULL);
	return d->out->err ? d->out->err : d->contributors.err;
}

/* related_row: subject terms as dc:subject, places as dc:coverage, the rest
 * as dc:relation links. */
static int related_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	bool subject = strcmp(col[0], "subject") == 0 || strcmp(col[1], "subject") == 0;
	bool place = strcmp(col[0], "place") == 0 || strcmp(col[1], "place") == 0;
	(void)n;
	if (subject) {
		elem_lang(d->out, "subject", col[2], NULL);
	} else if (place) {
		elem_lang(&d->places, "coverage", col[2], NULL);
	} else {
		xml_raw(&d->relations, "<dc:relation>");
		xml_text(&d->relations, d->base);
		buf_printf(&d->relations, "/%s/", col[1]);
		xml_text(&d->relations, col[3]);
		xml_raw(&d->relations, "</dc:relation>");
	}
	return d->out->err ? d->out->err : d->places.err ? d->places.err : d->relations.err;
}

static int format_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	elem_lang(d->out, "format", col[6], NULL);
	return d->out->err;
}

static int source_row(void *ctx, const char *const *col, int n)
{
	struct dc *d = ctx;
	(void)n;
	elem_lang(d->out, "source", col[4], NULL);
	return d->out->err;
}

struct work { char lang[16]; char country[64]; };

static int work_row(void *ctx, const char *const *col, int n)
{
	struct work *w = ctx;
	(void)n;
	snprintf(w->lang, sizeof w->lang, "%s", col[0] ? col[0] : "");
	snprintf(w->country, sizeof w->country, "%s", col[1] ? col[1] : "");
	return 0;
}

/* The DCMI Type Vocabulary term of each record type, NULL when none fits. */
static const char *dcmi_type(const char *type)
{
	if (strcmp(type, "work") == 0)
		return "MovingImage";
	if (strcmp(type, "document") == 0)
		return "Text";
	if (strcmp(type, "collection") == 0)
		return "Collection";
	if (strcmp(type, "event") == 0)
		return "Event";
	return NULL;
}

/* put appends a gathered part of the record to out. */
static int put(struct buf *out, const struct buf *part)
{
	return part->len ? buf_append(out, part->data, part->len) : out->err;
}

static int write_record(struct db *db, struct dc *d, const char *id)
{
	struct buf *out = d->out;
	const char *base = d->base;
	struct oaiq_head r;
	struct work w = {"", ""};
	int rc;

	if ((rc = oaiq_head(db, id, &r)) != 1)
		return rc ? rc : ERR_NOTFOUND;
	if (strcmp(r.type, "work") == 0 && (rc = oaiq_fields(db, OAIQ_WORK, id, work_row, &w)))
		return rc;
	xml_raw(out, "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		"xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
		"http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">");
	if ((rc = oaiq_fields(db, OAIQ_TITLES, id, title_row, d)) ||
	    (rc = oaiq_fields(db, OAIQ_CREDITS, id, credit_row, d)) ||
	    (rc = oaiq_fields(db, OAIQ_RELATED, id, related_row, d)) ||
	    (rc = oaiq_fields(db, OAIQ_DESCRIPTIONS, id, description_row, d)) ||
	    (rc = put(out, &d->contributors)))
		return rc;
	elem_lang(out, "date", r.date, NULL);
	elem_lang(out, "type", dcmi_type(r.type), NULL);
	if ((rc = oaiq_fields(db, OAIQ_FILES, id, format_row, d)))
		return rc;
	xml_raw(out, "<dc:identifier>");
	xml_text(out, base);
	buf_printf(out, "/%s/", r.type);
	xml_text(out, r.slug);
	xml_raw(out, "</dc:identifier><dc:identifier>urn:uuid:");
	xml_text(out, id);
	xml_raw(out, "</dc:identifier>");
	if ((rc = oaiq_fields(db, OAIQ_RECORD, id, source_row, d)))
		return rc;
	elem_lang(out, "language", w.lang, NULL);
	if ((rc = put(out, &d->relations)) || (rc = put(out, &d->places)))
		return rc;
	elem_lang(out, "coverage", w.country, NULL);
	if ((rc = oaiq_fields(db, OAIQ_RIGHTS, id, rights_row, d)))
		return rc;
	return xml_raw(out, "</oai_dc:dc>");
}

int dc_write(struct db *db, const char *base, const char *id, struct buf *out)
{
	struct dc d = {.out = out, .base = base};
	int rc;

	buf_init(&d.contributors, out->max);
	buf_init(&d.relations, out->max);
	buf_init(&d.places, out->max);
	rc = write_record(db, &d, id);
	buf_free(&d.contributors);
	buf_free(&d.relations);
	buf_free(&d.places);
	return rc;
}
