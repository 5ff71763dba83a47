/* pbcore.c: a record as a PBCore 2.1 pbcoreDescriptionDocument (see
 * pbcore.h), in the element order pbcore-2.1.xsd fixes.
 *
 * Identifiers with their source (the UUID and the page), titles by type,
 * descriptions, the date, creators and contributors with their roles,
 * subject terms, places and the country as coverage, the access level as
 * the rights summary; then one pbcoreInstantiation per manifestation (the
 * physical carrier) and one per stored file a visitor may read (location,
 * MIME type, size, duration, and an essence track per stream of the
 * technical metadata the probe recorded).
 *
 * PBCore 2.1 has no language attribute: a title's or a description's
 * language is said in its annotation attribute ("language: es"). */
#include "interop/pbcore.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/str.h"
#include "db/oai_q.h"
#include "interop/xml.h"

struct pb {
	struct buf *out;
	const char *base;	/* site URL, no trailing slash */
	const char *pick;	/* which credits or relations a pass writes */
	bool described;		/* a description was written */
};

/* attr writes ` NAME="escaped value"` for a literal name. */
#define attr(b, name, v) attr_((b), " " name "=\"", (v))
static void attr_(struct buf *b, const char *open, const char *v)
{
	buf_puts(b, open);
	xml_text(b, v);
	xml_raw(b, "\"");
}

static void lang_note(struct buf *b, const char *lang)
{
	if (lang && *lang) {
		xml_raw(b, " annotation=\"language: ");
		xml_text(b, lang);
		xml_raw(b, "\"");
	}
}

static const char *title_type(const char *kind)
{
	if (kind && strcmp(kind, "original") == 0)
		return "Original";
	if (kind && strcmp(kind, "translated") == 0)
		return "Translated";
	if (kind && strcmp(kind, "alternative") == 0)
		return "Alternative";
	return "Main";
}

static int title_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	xml_raw(p->out, "<pbcoreTitle");
	attr(p->out, "titleType", title_type(col[2]));
	lang_note(p->out, col[1]);
	xml_raw(p->out, ">");
	xml_text(p->out, col[0]);
	return xml_raw(p->out, "</pbcoreTitle>");
}

static int description_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	xml_raw(p->out, "<pbcoreDescription");
	lang_note(p->out, col[1]);
	xml_raw(p->out, ">");
	xml_text(p->out, col[0]);
	p->described = true;
	return xml_raw(p->out, "</pbcoreDescription>");
}

/* the rights URI as a rightsLink, each statement as a rightsSummary */
static int rights_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	bool uri = n > 2 && col[2] && strcmp(col[2], "1") == 0;
	(void)n;
	xml_raw(p->out, "<pbcoreRightsSummary>");
	if (uri) {
		xml_raw(p->out, "<rightsLink>");
	} else {
		xml_raw(p->out, "<rightsSummary");
		lang_note(p->out, col[1]);
		xml_raw(p->out, ">");
	}
	xml_text(p->out, col[0]);
	if (uri)
		xml_raw(p->out, "</rightsLink>");
	else
		xml_raw(p->out, "</rightsSummary>");
	return xml_raw(p->out, "</pbcoreRightsSummary>");
}

static int subject_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	if (strcmp(col[0], "subject") != 0 && strcmp(col[1], "subject") != 0)
		return 0;
	xml_raw(p->out, "<pbcoreSubject subjectType=\"Topic\">");
	xml_text(p->out, col[2]);
	return xml_raw(p->out, "</pbcoreSubject>");
}

static int relation_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	if (strcmp(col[0], "subject") == 0 || strcmp(col[1], "subject") == 0 ||
	    strcmp(col[0], "place") == 0 || strcmp(col[1], "place") == 0)
		return 0;
	xml_raw(p->out, "<pbcoreRelation><pbcoreRelationType>");
	xml_text(p->out, col[0]);
	xml_raw(p->out, "</pbcoreRelationType><pbcoreRelationIdentifier source=\"URL\">");
	xml_text(p->out, p->base);
	buf_printf(p->out, "/%s/", col[1]);
	xml_text(p->out, col[3]);
	return xml_raw(p->out, "</pbcoreRelationIdentifier></pbcoreRelation>");
}

static int coverage_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	if (strcmp(col[1], "place") != 0 || strcmp(col[0], "subject") == 0)
		return 0;
	xml_raw(p->out, "<pbcoreCoverage><coverage>");
	xml_text(p->out, col[2]);
	return xml_raw(p->out, "</coverage><coverageType>Spatial</coverageType></pbcoreCoverage>");
}

static bool is_creator(const char *role)
{
	return role && (strcmp(role, "director") == 0 || strcmp(role, "author") == 0 ||
			strcmp(role, "writer") == 0);
}

static int credit_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	bool creator = is_creator(col[1]);
	(void)n;
	if (!col[0] || creator != (strcmp(p->pick, "creator") == 0))
		return 0;
	if (creator) {
		xml_raw(p->out, "<pbcoreCreator><creator>");
		xml_text(p->out, col[0]);
		xml_raw(p->out, "</creator><creatorRole>");
		xml_text(p->out, col[1]);
		return xml_raw(p->out, "</creatorRole></pbcoreCreator>");
	}
	xml_raw(p->out, "<pbcoreContributor><contributor>");
	xml_text(p->out, col[0]);
	xml_raw(p->out, "</contributor><contributorRole>");
	xml_text(p->out, col[1]);
	return xml_raw(p->out, "</contributorRole></pbcoreContributor>");
}

static int manifestation_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	struct buf *b = p->out;
	(void)n;
	xml_raw(b, "<pbcoreInstantiation><instantiationIdentifier source=\"cinemateca manifestation\">");
	xml_text(b, col[0]);
	xml_raw(b, "</instantiationIdentifier>");
	if (col[2] || col[3]) {
		xml_raw(b, "<instantiationPhysical>");
		xml_text(b, col[2] ? col[2] : col[3]);
		if (col[2] && col[3]) {
			xml_raw(b, " ");
			xml_text(b, col[3]);
		}
		xml_raw(b, "</instantiationPhysical>");
	}
	/* a carrier's place is the archive that keeps it */
	xml_raw(b, "<instantiationLocation>");
	xml_text(b, p->base);
	xml_raw(b, "</instantiationLocation><instantiationMediaType>Moving Image</instantiationMediaType>");
	xml_elem(b, "instantiationGenerations", col[1]);
	xml_elem(b, "instantiationColors", col[4]);
	if (col[5]) {
		xml_raw(b, "<instantiationAnnotation annotationType=\"sound\">");
		xml_text(b, col[5]);
		xml_raw(b, "</instantiationAnnotation>");
	}
	if (col[6]) {
		xml_raw(b, "<instantiationAnnotation annotationType=\"aspect ratio\">");
		xml_text(b, col[6]);
		xml_raw(b, "</instantiationAnnotation>");
	}
	xml_elem(b, "instantiationAnnotation", col[7]);
	return xml_raw(b, "</pbcoreInstantiation>");
}

/* duration writes seconds as PBCore's HH:MM:SS.mmm. */
static void duration(struct buf *b, double s)
{
	long long ms = (long long)(s * 1000.0 + 0.5);
	buf_printf(b, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
		   ms % 1000);
}

static const char *track_type(const char *t)
{
	if (strcmp(t, "video") == 0)
		return "Video";
	if (strcmp(t, "audio") == 0)
		return "Audio";
	if (strcmp(t, "subtitle") == 0)
		return "Caption";
	if (strcmp(t, "image") == 0)
		return "Image";
	return "Data";
}

static void tracks(struct buf *b, json_t *streams)
{
	size_t i;
	json_t *s;

	json_array_foreach(streams, i, s) {
		const char *type = json_string_value(json_object_get(s, "type"));
		const char *codec = json_string_value(json_object_get(s, "codec"));
		json_t *rate = json_object_get(s, "bit_rate"), *fps = json_object_get(s, "fps");
		json_t *sr = json_object_get(s, "sample_rate"), *w = json_object_get(s, "width");
		json_t *h = json_object_get(s, "height");

		xml_raw(b, "<instantiationEssenceTrack>");
		xml_elem(b, "essenceTrackType", track_type(type ? type : ""));
		buf_printf(b, "<essenceTrackIdentifier source=\"stream index\">%lld"
			   "</essenceTrackIdentifier>",
			   (long long)json_integer_value(json_object_get(s, "index")));
		xml_elem(b, "essenceTrackEncoding", codec);
		if (json_is_integer(rate))
			buf_printf(b, "<essenceTrackDataRate unitsOfMeasure=\"bits/sec\">%lld"
				   "</essenceTrackDataRate>", (long long)json_integer_value(rate));
		if (json_is_number(fps))
			buf_printf(b, "<essenceTrackFrameRate unitsOfMeasure=\"fps\">%.3f"
				   "</essenceTrackFrameRate>", json_number_value(fps));
		if (json_is_integer(sr))
			buf_printf(b, "<essenceTrackSamplingRate unitsOfMeasure=\"Hz\">%lld"
				   "</essenceTrackSamplingRate>", (long long)json_integer_value(sr));
		if (json_is_integer(w) && json_is_integer(h))
			buf_printf(b, "<essenceTrackFrameSize unitsOfMeasure=\"pixels\">%lldx%lld"
				   "</essenceTrackFrameSize>", (long long)json_integer_value(w),
				   (long long)json_integer_value(h));
		xml_raw(b, "</instantiationEssenceTrack>");
	}
}

static int file_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	struct buf *b = p->out;
	json_t *tech = NULL, *dur = NULL, *streams = NULL;
	(void)n;
	if (col[7]) {
		tech = json_loads(col[7], 0, NULL);
		/* a techmd that does not parse is described without it */
		dur = json_object_get(tech, "duration");
		streams = json_object_get(tech, "streams");
	}
	xml_raw(b, "<pbcoreInstantiation><instantiationIdentifier source=\"SHA-256\">");
	xml_text(b, col[3]);
	xml_raw(b, "</instantiationIdentifier>");
	if (col[4]) {
		xml_raw(b, "<instantiationIdentifier source=\"MD5\">");
		xml_text(b, col[4]);
		xml_raw(b, "</instantiationIdentifier>");
	}
	if (col[8]) {
		xml_raw(b, "<instantiationIdentifier source=\"file name\">");
		xml_text(b, col[8]);
		xml_raw(b, "</instantiationIdentifier>");
	}
	xml_elem(b, "instantiationDigital", col[6]);
	xml_raw(b, "<instantiationLocation>");
	xml_text(b, p->base);
	xml_raw(b, "/media/");
	xml_text(b, col[0]);
	xml_raw(b, "</instantiationLocation>");
	xml_elem(b, "instantiationGenerations", col[2]);
	xml_raw(b, "<instantiationFileSize unitsOfMeasure=\"bytes\">");
	xml_text(b, col[5]);
	xml_raw(b, "</instantiationFileSize>");
	if (json_is_number(dur)) {
		xml_raw(b, "<instantiationDuration>");
		duration(b, json_number_value(dur));
		xml_raw(b, "</instantiationDuration>");
	}
	if (json_is_array(streams)) {
		buf_printf(b, "<instantiationTracks>%zu</instantiationTracks>", json_array_size(streams));
		tracks(b, streams);
	}
	if (col[1]) {
		xml_raw(b, "<instantiationRelation><instantiationRelationType>Instantiation of"
			"</instantiationRelationType><instantiationRelationIdentifier "
			"source=\"cinemateca manifestation\">");
		xml_text(b, col[1]);
		xml_raw(b, "</instantiationRelationIdentifier></instantiationRelation>");
	}
	json_decref(tech);
	return xml_raw(b, "</pbcoreInstantiation>");
}

static int country_row(void *ctx, const char *const *col, int n)
{
	struct pb *p = ctx;
	(void)n;
	if (!col[1])
		return 0;
	xml_raw(p->out, "<pbcoreCoverage><coverage source=\"ISO 3166-1\">");
	xml_text(p->out, col[1]);
	return xml_raw(p->out, "</coverage><coverageType>Spatial</coverageType></pbcoreCoverage>");
}

int pbcore_write(struct db *db, const char *base, const char *id, struct buf *out)
{
	struct pb p = {out, base, NULL, false};
	struct oaiq_head r;
	bool work;
	int rc;

	if ((rc = oaiq_head(db, id, &r)) != 1)
		return rc ? rc : ERR_NOTFOUND;
	work = strcmp(r.type, "work") == 0;
	xml_raw(out, "<pbcoreDescriptionDocument "
		"xmlns=\"http://www.pbcore.org/PBCore/PBCoreNamespace.html\" "
		"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		"xsi:schemaLocation=\"http://www.pbcore.org/PBCore/PBCoreNamespace.html "
		"http://www.pbcore.org/xsd/pbcore-2.1.xsd\">");
	if (work)
		xml_raw(out, "<pbcoreAssetType>Moving Image</pbcoreAssetType>");
	else if (strcmp(r.type, "document") == 0)
		xml_raw(out, "<pbcoreAssetType>Document</pbcoreAssetType>");
	if (*r.date) {
		xml_raw(out, "<pbcoreAssetDate dateType=\"created\">");
		xml_text(out, r.date);
		xml_raw(out, "</pbcoreAssetDate>");
	}
	xml_raw(out, "<pbcoreIdentifier source=\"UUID\">");
	xml_text(out, id);
	xml_raw(out, "</pbcoreIdentifier><pbcoreIdentifier source=\"URL\">");
	xml_text(out, base);
	buf_printf(out, "/%s/", r.type);
	xml_text(out, r.slug);
	xml_raw(out, "</pbcoreIdentifier>");
	if ((rc = oaiq_fields(db, OAIQ_TITLES, id, title_row, &p)) ||
	    (rc = oaiq_fields(db, OAIQ_RELATED, id, subject_row, &p)) ||
	    (rc = oaiq_fields(db, OAIQ_DESCRIPTIONS, id, description_row, &p)))
		return rc;
	if (!p.described)	/* the schema wants one, even of a record that has none */
		xml_raw(out, "<pbcoreDescription/>");
	if ((rc = oaiq_fields(db, OAIQ_RELATED, id, relation_row, &p)) ||
	    (rc = oaiq_fields(db, OAIQ_RELATED, id, coverage_row, &p)))
		return rc;
	if (work && (rc = oaiq_fields(db, OAIQ_WORK, id, country_row, &p)))
		return rc;
	p.pick = "creator";
	if ((rc = oaiq_fields(db, OAIQ_CREDITS, id, credit_row, &p)))
		return rc;
	p.pick = "contributor";
	if ((rc = oaiq_fields(db, OAIQ_CREDITS, id, credit_row, &p)))
		return rc;
	xml_raw(out, "<pbcoreRightsSummary><rightsSummary>");
	xml_text(out, r.access);
	if (*r.embargo) {
		xml_raw(out, ", under embargo until ");
		xml_text(out, r.embargo);
	}
	xml_raw(out, "</rightsSummary></pbcoreRightsSummary>");
	if ((rc = oaiq_fields(db, OAIQ_RIGHTS, id, rights_row, &p)))
		return rc;
	if ((work && (rc = oaiq_fields(db, OAIQ_MANIFESTATIONS, id, manifestation_row, &p))) ||
	    (rc = oaiq_fields(db, OAIQ_FILES, id, file_row, &p)))
		return rc;
	return xml_raw(out, "</pbcoreDescriptionDocument>");
}
