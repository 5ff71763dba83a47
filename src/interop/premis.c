/* premis.c: PREMIS 3.0 XML of an export package (see premis.h). The
 * elements come in the order the PREMIS 3.0 schema gives them; every
 * value goes through xml_text(). */
#include "premis.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "xml.h"

#define NS "http://www.loc.gov/premis/v3"

static const char *get(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ident writes <TAG><TAGType>type</TAGType><TAGValue>value</TAGValue></TAG>
 * for the identifier elements, which PREMIS names after their parent. */
static void ident(struct buf *out, const char *tag, const char *type, const char *value)
{
	buf_printf(out, "<%s><%sType>", tag, tag);
	xml_text(out, type);
	buf_printf(out, "</%sType><%sValue>", tag, tag);
	xml_text(out, value);
	buf_printf(out, "</%sValue></%s>", tag, tag);
}

static void object(struct buf *out, json_t *f)
{
	const char *md5 = get(f, "md5"), *mime = get(f, "mime"), *from = get(f, "derived_from");
	json_t *size = json_object_get(f, "size");

	xml_raw(out, "<object xsi:type=\"file\">");
	ident(out, "objectIdentifier", "UUID", get(f, "id"));
	xml_raw(out, "<objectCharacteristics><compositionLevel>0</compositionLevel>"
		     "<fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>");
	xml_elem(out, "messageDigest", get(f, "sha256"));
	xml_raw(out, "</fixity>");
	if (md5 && *md5) {
		xml_raw(out, "<fixity><messageDigestAlgorithm>MD5</messageDigestAlgorithm>");
		xml_elem(out, "messageDigest", md5);
		xml_raw(out, "</fixity>");
	}
	if (json_is_integer(size))
		buf_printf(out, "<size>%lld</size>", (long long)json_integer_value(size));
	xml_raw(out, "<format><formatDesignation>");
	xml_elem(out, "formatName", mime && *mime ? mime : "application/octet-stream");
	xml_raw(out, "</formatDesignation></format></objectCharacteristics>");
	xml_elem(out, "originalName", get(f, "name"));
	if (from && *from) {
		/* a derivative: made from the file it names */
		xml_raw(out, "<relationship><relationshipType>derivation</relationshipType>"
			     "<relationshipSubType>has source</relationshipSubType>");
		ident(out, "relatedObjectIdentifier", "UUID", from);
		xml_raw(out, "</relationship>");
	}
	xml_raw(out, "</object>\n");
}

static void event(struct buf *out, json_t *e, size_t n)
{
	const char *detail = get(e, "detail"), *agent = get(e, "agent"), *outcome = get(e, "outcome");
	char id[96];

	snprintf(id, sizeof id, "%s/%zu", get(e, "file") ? get(e, "file") : "", n);
	xml_raw(out, "<event>");
	ident(out, "eventIdentifier", "local", id);
	xml_elem(out, "eventType", get(e, "type"));
	xml_elem(out, "eventDateTime", get(e, "at"));
	if (detail && *detail) {
		xml_raw(out, "<eventDetailInformation>");
		xml_elem(out, "eventDetail", detail);
		xml_raw(out, "</eventDetailInformation>");
	}
	if (outcome && *outcome) {
		xml_raw(out, "<eventOutcomeInformation>");
		xml_elem(out, "eventOutcome", outcome);
		xml_raw(out, "</eventOutcomeInformation>");
	}
	if (agent && *agent)
		ident(out, "linkingAgentIdentifier", "local", agent);
	ident(out, "linkingObjectIdentifier", "UUID", get(e, "file"));
	xml_raw(out, "</event>\n");
}

int premis_write(json_t *files, json_t *events, struct buf *out)
{
	json_t *v, *agents = json_object();
	const char *name;
	size_t i;

	xml_raw(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<premis xmlns=\"" NS "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		     "version=\"3.0\">\n");
	json_array_foreach(files, i, v)
		object(out, v);
	json_array_foreach(events, i, v) {
		event(out, v, i + 1);
		name = get(v, "agent");
		if (agents && name && *name)
			json_object_set_new(agents, name, json_true());
	}
	json_object_foreach(agents, name, v) {
		xml_raw(out, "<agent>");
		ident(out, "agentIdentifier", "local", name);
		xml_elem(out, "agentName", name);
		xml_raw(out, "</agent>\n");
	}
	json_decref(agents);
	xml_raw(out, "</premis>\n");
	return agents ? out->err : ERR_NOMEM;
}
