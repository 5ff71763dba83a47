/* oai.c: OAI-PMH 2.0 at /oai, GET and POST: the six verbs, oai_dc and
 * PBCore 2.1, sets for record types and nested collections, selective
 * harvesting by datestamp at seconds granularity, resumption tokens, and
 * every error condition of the protocol (section 3.6).
 *
 * A harvester is always an anonymous visitor: whoever asks, the policy
 * reads as nobody in particular, so a harvest never carries what only a
 * session could see. A record that stops being public is reported as
 * deleted (oai_q.h says how), a record that never was is not reported.
 *
 * A list is walked by keyset over the change log (oaiq_page): the token
 * holds the position (the last change's seq), the selection, the cursor,
 * the list's size as counted on the first page, and an expiry. Nothing is
 * kept on the server between pages, so a token survives a restart and any
 * number of harvests may run at once. A page holds at most a fixed number
 * of items and stops early past OAI_PAGE_SOFT bytes, so memory stays flat
 * whatever the archive's size. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/archive.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "db/oai_q.h"
#include "http/req.h"
#include "http/router.h"
#include "interop/dc.h"
#include "interop/oai.h"
#include "interop/pbcore.h"
#include "interop/xml.h"

#define OAI_PAGE_RECORDS 500		/* records per ListRecords page */
#define OAI_PAGE_IDS 1000		/* headers per ListIdentifiers page */
#define OAI_PAGE_SOFT (1u << 20)	/* a page ends at the record that passes this */
#define OAI_TOKEN_LIFE (24 * 3600)	/* seconds a resumption token is honoured */

enum oai_format { FMT_DC, FMT_PBCORE, FMT_NONE };

static const struct {
	const char *prefix, *schema, *ns;
} formats[] = {
	[FMT_DC] = {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
		    "http://www.openarchives.org/OAI/2.0/oai_dc/"},
	[FMT_PBCORE] = {"pbcore", "http://www.pbcore.org/xsd/pbcore-2.1.xsd",
			"http://www.pbcore.org/PBCore/PBCoreNamespace.html"},
};

static const char *const record_types[] = {
	"work", "document", "agent", "place", "event", "collection", "subject", NULL};
static const char *const type_names[] = {
	"Works (films)", "Documents", "People and organisations", "Places", "Events",
	"Collections", "Subject terms", NULL};

/* The arguments each verb takes: R required, O optional, X exclusive
 * (resumptionToken: alone, or nothing). */
static const struct verb {
	const char *name;
	const char *args;	/* "R:metadataPrefix O:from ..." */
} verbs[] = {
	{"Identify", ""},
	{"ListMetadataFormats", "O:identifier"},
	{"ListSets", "X:resumptionToken"},
	{"GetRecord", "R:identifier R:metadataPrefix"},
	{"ListIdentifiers", "R:metadataPrefix O:from O:until O:set X:resumptionToken"},
	{"ListRecords", "R:metadataPrefix O:from O:until O:set X:resumptionToken"},
};

#define OAI_MAX_ARGS 8

struct oai {
	struct req *rq;
	struct buf content;		/* the verb's element, or empty after an error */
	char base[600];			/* the site's URL, no trailing slash */
	char repoid[256];		/* repositoryIdentifier, "" when the host is no domain name */
	const struct verb *verb;	/* NULL until the verb is known */
	struct req_arg args[OAI_MAX_ARGS];	/* the request's arguments but verb */
	int nargs;
	const char *code;		/* the error's code, NULL while none */
	char msg[512];			/* the error's explanation */
	bool echo;			/* the request element may carry the arguments */
	/* a list's selection and position */
	enum oai_format fmt;
	struct oaiq_filter f;
	char from[24], until[24];	/* the selection's datestamps, seconds */
	char set[320];			/* the set asked for, "" for none */
	char collection[64];		/* its collection's id */
	long long cursor, total, last;	/* items before this page, the list's size, position */
	int n;				/* items on this page */
	bool stopped;			/* the page ended at OAI_PAGE_SOFT */
	bool records;			/* ListRecords (else ListIdentifiers) */
};

/* fail records the first protocol error; later ones are not reported. */
static int fail(struct oai *o, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct oai *o, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (o->code)
		return 0;
	o->code = code;
	va_start(ap, fmt);
	vsnprintf(o->msg, sizeof o->msg, fmt, ap);
	va_end(ap);
	return 0;
}

static const char *arg(const struct oai *o, const char *name)
{
	for (int i = 0; i < o->nargs; i++)
		if (strcmp(o->args[i].name, name) == 0)
			return o->args[i].value;
	return NULL;
}

/* host_ok accepts what a Host header may hold of a name or an address. */
static bool host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || strchr(".-:[]", *h)))
			return false;
	return true;
}

/* domain_ok: the oai-identifier schema's repositoryIdentifier, a domain
 * name of two labels or more, each starting with a letter. */
static bool domain_ok(const char *d)
{
	int labels = 0;
	const char *p = d;

	while (*p) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return false;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '-')
			p++;
		labels++;
		if (*p == '.')
			p++;
		else if (*p)
			return false;
	}
	return labels >= 2 && p[-1] != '.';
}

/* repository_id: the host of base when it is a domain name, else "". */
static void repository_id(const char *base, char *out, size_t n)
{
	const char *h = strstr(base, "://"), *end;

	h = h ? h + 3 : base;
	end = h + strcspn(h, ":/?#");
	snprintf(out, n, "%.*s", (int)(end - h), h);
	if (!domain_ok(out))
		out[0] = '\0';
}

/* where_am_i sets the base URL (base_url, or the Host the harvester used)
 * and the repository identifier (its host, when that is a domain name). */
static void where_am_i(struct oai *o)
{
	const struct req *rq = o->rq;
	const char *b = rq->archive ? rq->archive->base_url : "";
	size_t n;

	if (*b)
		snprintf(o->base, sizeof o->base, "%s", b);
	else
		snprintf(o->base, sizeof o->base, "%s://%s",
			 rq->forwarded_proto && strcmp(rq->forwarded_proto, "https") == 0 ?
			 "https" : "http", host_ok(rq->host) ? rq->host : "localhost");
	n = strlen(o->base);
	while (n > 0 && o->base[n - 1] == '/')
		o->base[--n] = '\0';
	repository_id(o->base, o->repoid, sizeof o->repoid);
}

void oai_item_identifier(const char *base, const char *id, char *out, size_t n)
{
	char repo[256];

	repository_id(base, repo, sizeof repo);
	if (*repo)
		snprintf(out, n, "oai:%s:%s", repo, id);
	else
		snprintf(out, n, "urn:uuid:%s", id);
}

static void identifier(struct oai *o, struct buf *b, const char *id)
{
	if (*o->repoid) {
		xml_raw(b, "oai:");
		xml_text(b, o->repoid);
		xml_raw(b, ":");
	} else {
		xml_raw(b, "urn:uuid:");
	}
	xml_text(b, id);
}

/* parse_identifier takes the record id out of an OAI identifier of ours;
 * false when it is not one. */
static bool parse_identifier(const struct oai *o, const char *s, char id[64])
{
	size_t n = strlen(o->repoid);

	if (*o->repoid && strncmp(s, "oai:", 4) == 0 && strncmp(s + 4, o->repoid, n) == 0 &&
	    s[4 + n] == ':')
		s += 5 + n;
	else if (strncmp(s, "urn:uuid:", 9) == 0)
		s += 9;
	else
		return false;
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23))))
			return false;
	memcpy(id, s, 37);
	return true;
}

static int digits(const char *s, int n, int lo, int hi)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

/* stamp checks a UTCdatetime of either granularity and writes it at
 * seconds (a day's first second for from, its last for until). Returns
 * 1 for a day, 2 for seconds, 0 when it is neither. */
static int stamp(const char *s, bool until, char out[24])
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = strlen(s);
	int y, m, d;

	if ((n != 10 && n != 20) || s[4] != '-' || s[7] != '-')
		return 0;
	y = digits(s, 4, 0, 9999);
	m = digits(s + 5, 2, 1, 12);
	d = m < 0 ? -1 : digits(s + 8, 2, 1, mdays[m - 1]);
	if (y < 0 || d < 0 || (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return 0;
	if (n == 10) {
		snprintf(out, 24, "%.10s%s", s, until ? "T23:59:59Z" : "T00:00:00Z");
		return 1;
	}
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    digits(s + 11, 2, 0, 23) < 0 || digits(s + 14, 2, 0, 59) < 0 ||
	    digits(s + 17, 2, 0, 59) < 0)
		return 0;
	snprintf(out, 24, "%s", s);
	return 2;
}

/* collect_args takes the arguments of a GET query or a POST form, and
 * refuses what section 3.1.1 calls a badArgument (repeated, unknown,
 * missing, or exclusive ones with others) or a badVerb. */
static void collect_args(struct oai *o)
{
	struct req *rq = o->rq;
	const struct req_arg *in = rq->args;
	const char *verb = NULL;
	int nin = rq->nargs;
	char want[80];

	if (strcmp(rq->method, "POST") == 0) {
		const char *ct = rq->content_type_in;
		if (rq->nargs) {
			fail(o, "badArgument", "a POST request carries its arguments in its body, "
			     "not in the URL");
			return;
		}
		if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
			fail(o, "badArgument", "a POST request must be "
			     "application/x-www-form-urlencoded (OAI-PMH 3.1.1.2)");
			return;
		}
		if (req_parse_form(rq, rq->body_in ? rq->body_in : "", rq->body_in_len)) {
			fail(o, "badArgument", "the request body is not a valid urlencoded form "
			     "(bad escape, invalid UTF-8, control character or too many fields)");
			return;
		}
		in = rq->form;
		nin = rq->nform;
	}
	for (int i = 0; i < nin; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(in[i].name, in[j].name) == 0) {
				fail(o, "badArgument", "the argument %.60s is given more than once",
				     in[i].name);
				return;
			}
		if (strcmp(in[i].name, "verb") == 0)
			verb = in[i].value;
	}
	if (!verb) {
		fail(o, "badVerb", "no verb: add verb=Identify, ListMetadataFormats, ListSets, "
		     "GetRecord, ListIdentifiers or ListRecords");
		return;
	}
	for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
		if (strcmp(verb, verbs[v].name) == 0)
			o->verb = &verbs[v];
	if (!o->verb) {
		fail(o, "badVerb", "\"%.60s\" is not an OAI-PMH verb: use Identify, "
		     "ListMetadataFormats, ListSets, GetRecord, ListIdentifiers or ListRecords", verb);
		return;
	}
	for (int i = 0; i < nin; i++) {
		if (strcmp(in[i].name, "verb") == 0)
			continue;
		snprintf(want, sizeof want, ":%.60s", in[i].name);
		if (!strstr(o->verb->args, want) ||
		    strcspn(strstr(o->verb->args, want) + strlen(want), " ") != 0) {
			fail(o, "badArgument", "%s takes no argument %.60s", o->verb->name,
			     in[i].name);
			return;
		}
		if (o->nargs == OAI_MAX_ARGS) {
			fail(o, "badArgument", "too many arguments for %s", o->verb->name);
			return;
		}
		o->args[o->nargs++] = in[i];
	}
	if (arg(o, "resumptionToken")) {
		if (o->nargs > 1)
			fail(o, "badArgument", "resumptionToken is an exclusive argument: send it "
			     "alone with the verb");
		o->echo = !o->code;
		return;
	}
	for (const char *p = o->verb->args; *p; p += strcspn(p, " "), p += *p == ' ') {
		size_t len = strcspn(p + 2, " ");
		if (p[0] == 'R') {
			snprintf(want, sizeof want, "%.*s", (int)len, p + 2);
			if (!arg(o, want)) {
				fail(o, "badArgument", "%s needs the argument %s", o->verb->name, want);
				return;
			}
		}
	}
	o->echo = true;
}

static enum oai_format format_of(const char *prefix)
{
	for (int i = 0; i < FMT_NONE; i++)
		if (prefix && strcmp(prefix, formats[i].prefix) == 0)
			return (enum oai_format)i;
	return FMT_NONE;
}

static int find_set(void *ctx, const char *spec, const char *collection_id, const char *name)
{
	struct oai *o = ctx;
	(void)name;
	if (strcmp(spec, o->set) != 0)
		return 0;
	snprintf(o->collection, sizeof o->collection, "%s", collection_id);
	return 2;	/* found: stop */
}

/* selection checks a list's metadataPrefix, from, until and set (from the
 * request or a token) and fills o->f. Returns 0, or ERR_DB. */
static int selection(struct oai *o, const char *prefix, const char *from, const char *until,
		     const char *set)
{
	int gf = 0, gu = 0, rc;

	o->fmt = format_of(prefix);
	if (o->fmt == FMT_NONE)
		return fail(o, "cannotDisseminateFormat", "metadataPrefix \"%.60s\" is not "
			    "one of this repository's: oai_dc, pbcore", prefix ? prefix : "");
	if (from && *from && !(gf = stamp(from, false, o->from)))
		return fail(o, "badArgument", "from \"%.40s\" is not a date YYYY-MM-DD or a "
			    "time YYYY-MM-DDThh:mm:ssZ", from);
	if (until && *until && !(gu = stamp(until, true, o->until)))
		return fail(o, "badArgument", "until \"%.40s\" is not a date YYYY-MM-DD or a "
			    "time YYYY-MM-DDThh:mm:ssZ", until);
	if (gf && gu && gf != gu)
		return fail(o, "badArgument", "from and until must have the same granularity "
			    "(both dates or both times)");
	if (gf && gu && strcmp(o->from, o->until) > 0)
		return fail(o, "badArgument", "from is later than until");
	o->f.from = gf ? o->from : NULL;
	o->f.until = gu ? o->until : NULL;
	snprintf(o->set, sizeof o->set, "%s", set ? set : "");
	if (set && strlen(set) >= sizeof o->set)
		return fail(o, "noRecordsMatch", "no set is named so");
	if (strncmp(o->set, "type:", 5) == 0) {
		for (int i = 0; record_types[i]; i++)
			if (strcmp(o->set + 5, record_types[i]) == 0)
				o->f.type = record_types[i];
		if (!o->f.type)
			return fail(o, "noRecordsMatch", "there is no set %.60s: ListSets shows "
				    "them", o->set);
	} else if (*o->set) {
		rc = oaiq_collection_sets(o->rq->db, find_set, o);
		if (rc < 0)
			return rc;
		if (rc != 2)
			return fail(o, "noRecordsMatch", "there is no set %.60s: ListSets shows "
				    "them", o->set);
		o->f.collection = o->collection;
	}
	return 0;
}

/* A token: 1.PREFIX.SET.FROM.UNTIL.SEQ.CURSOR.TOTAL.EXPIRY (no field may
 * hold a dot: prefixes, slugs and datestamps do not). */
static void token_write(struct oai *o, struct buf *b, long long expires)
{
	struct tm tm;
	time_t t = (time_t)expires;
	char when[24];

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(b, "<resumptionToken expirationDate=\"%s\" completeListSize=\"%lld\" "
		   "cursor=\"%lld\">1.%s.", when, o->total, o->cursor,
		   formats[o->fmt].prefix);
	xml_text(b, o->set);
	buf_printf(b, ".%s.%s.%lld.%lld.%lld.%lld</resumptionToken>", o->f.from ? o->from : "",
		   o->f.until ? o->until : "", o->last, o->cursor + o->n, o->total, expires);
}

static bool number(const char *s, long long *v)
{
	unsigned long long n;

	if (!str_parse_u64(s, (unsigned long long)1 << 62, &n))
		return false;
	*v = (long long)n;
	return true;
}

/* token_read takes a token apart and restores the selection. Returns 0
 * (with a badResumptionToken error when it is not one of ours, or has
 * expired) or ERR_DB. */
static int token_read(struct oai *o, const char *tok)
{
	char copy[512], *field[9], *p;
	long long expires;
	int n = 0;

	if (strlen(tok) >= sizeof copy)
		return fail(o, "badResumptionToken", "this resumption token was not made here");
	snprintf(copy, sizeof copy, "%s", tok);
	for (p = copy; n < 9; n++) {
		field[n] = p;
		p = strchr(p, '.');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n != 8 || strcmp(field[0], "1") != 0 || !number(field[5], &o->last) ||
	    !number(field[6], &o->cursor) || !number(field[7], &o->total) ||
	    !number(field[8], &expires) || format_of(field[1]) == FMT_NONE ||
	    (*field[3] && stamp(field[3], false, o->from) != 2) ||
	    (*field[4] && stamp(field[4], true, o->until) != 2))
		return fail(o, "badResumptionToken", "this resumption token was not made here "
			    "(or was cut short): start the list again without it");
	if (expires < (long long)time(NULL))
		return fail(o, "badResumptionToken", "this resumption token expired: start the "
			    "list again without it");
	return selection(o, field[1], field[3], field[4], *field[2] ? field[2] : NULL);
}

static int header_set(void *ctx, const char *spec, const char *collection_id, const char *name)
{
	struct buf *b = ctx;
	(void)collection_id;
	(void)name;
	xml_raw(b, "<setSpec>");
	xml_text(b, spec);
	return xml_raw(b, "</setSpec>");
}

static int header(struct oai *o, struct buf *b, const struct oaiq_item *it)
{
	int rc;

	if (it->deleted)
		xml_raw(b, "<header status=\"deleted\"><identifier>");
	else
		xml_raw(b, "<header><identifier>");
	identifier(o, b, it->id);
	xml_raw(b, "</identifier><datestamp>");
	xml_text(b, it->datestamp);
	xml_raw(b, "</datestamp><setSpec>type:");
	xml_text(b, it->type);
	xml_raw(b, "</setSpec>");
	if (!it->deleted && (rc = oaiq_record_sets(o->rq->db, it->id, header_set, b)))
		return rc;
	return xml_raw(b, "</header>");
}

static int record(struct oai *o, struct buf *b, const struct oaiq_item *it)
{
	int rc;

	xml_raw(b, "<record>");
	if ((rc = header(o, b, it)))
		return rc;
	if (!it->deleted) {
		xml_raw(b, "<metadata>");
		rc = o->fmt == FMT_DC ? dc_write(o->rq->db, o->base, it->id, b) :
			pbcore_write(o->rq->db, o->base, it->id, b);
		if (rc)
			return rc;
		xml_raw(b, "</metadata>");
	}
	return xml_raw(b, "</record>");
}

static int list_item(void *ctx, const struct oaiq_item *it)
{
	struct oai *o = ctx;
	int rc = o->records ? record(o, &o->content, it) : header(o, &o->content, it);

	if (rc)
		return rc;
	o->n++;
	o->last = it->seq;
	if (o->content.len > OAI_PAGE_SOFT) {
		o->stopped = true;
		return 2;
	}
	return 0;
}

static int verb_list(struct oai *o)
{
	struct buf *b = &o->content;
	const char *tok = arg(o, "resumptionToken");
	bool more = false, first = !tok;
	int rc;

	o->records = strcmp(o->verb->name, "ListRecords") == 0;
	rc = tok ? token_read(o, tok) :
		selection(o, arg(o, "metadataPrefix"), arg(o, "from"), arg(o, "until"), arg(o, "set"));
	if (rc || o->code)
		return rc;
	if (first && (rc = oaiq_count(o->rq->db, &o->f, 0, &o->total)))
		return rc;
	buf_puts(b, o->records ? "<ListRecords>" : "<ListIdentifiers>");
	rc = oaiq_page(o->rq->db, &o->f, o->last, o->records ? OAI_PAGE_RECORDS : OAI_PAGE_IDS,
		       list_item, o, &more);
	if (rc < 0)
		return rc;
	more = more || o->stopped;
	if (o->n == 0) {
		buf_reset(b);
		return fail(o, "noRecordsMatch", first ? "no record matches these arguments" :
			    "the rest of this list is no longer there: no record follows");
	}
	if (more)
		token_write(o, b, (long long)time(NULL) + OAI_TOKEN_LIFE);
	else if (!first)	/* the last page of a list that came in parts */
		buf_printf(b, "<resumptionToken completeListSize=\"%lld\" cursor=\"%lld\"/>",
			   o->cursor + o->n > o->total ? o->cursor + o->n : o->total, o->cursor);
	buf_puts(b, o->records ? "</ListRecords>" : "</ListIdentifiers>");
	return 0;
}

static int verb_get_record(struct oai *o)
{
	struct oaiq_item it;
	char id[64];
	int rc;

	o->fmt = format_of(arg(o, "metadataPrefix"));
	if (!parse_identifier(o, arg(o, "identifier"), id))
		return fail(o, "idDoesNotExist", "no record has this identifier here");
	rc = oaiq_item(o->rq->db, id, &it);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return fail(o, "idDoesNotExist", "no record has this identifier here");
	if (o->fmt == FMT_NONE)
		return fail(o, "cannotDisseminateFormat", "metadataPrefix \"%.60s\" is not one "
			    "of this repository's: oai_dc, pbcore", arg(o, "metadataPrefix"));
	xml_raw(&o->content, "<GetRecord>");
	if ((rc = record(o, &o->content, &it)))
		return rc;
	return xml_raw(&o->content, "</GetRecord>");
}

static int verb_formats(struct oai *o)
{
	const char *ident = arg(o, "identifier");
	struct buf *b = &o->content;
	struct oaiq_item it;
	char id[64];
	int rc;

	if (ident) {
		if (!parse_identifier(o, ident, id))
			return fail(o, "idDoesNotExist", "no record has this identifier here");
		rc = oaiq_item(o->rq->db, id, &it);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return fail(o, "idDoesNotExist", "no record has this identifier here");
	}
	xml_raw(b, "<ListMetadataFormats>");
	for (int i = 0; i < FMT_NONE; i++)
		buf_printf(b, "<metadataFormat><metadataPrefix>%s</metadataPrefix><schema>%s"
			   "</schema><metadataNamespace>%s</metadataNamespace></metadataFormat>",
			   formats[i].prefix, formats[i].schema, formats[i].ns);
	return xml_raw(b, "</ListMetadataFormats>");
}

static int list_set(void *ctx, const char *spec, const char *collection_id, const char *name)
{
	struct buf *b = ctx;
	(void)collection_id;
	xml_raw(b, "<set><setSpec>");
	xml_text(b, spec);
	xml_raw(b, "</setSpec><setName>");
	xml_text(b, name && *name ? name : spec);
	return xml_raw(b, "</setName></set>");
}

static int verb_sets(struct oai *o)
{
	struct buf *b = &o->content;
	int rc;

	if (arg(o, "resumptionToken"))
		return fail(o, "badResumptionToken", "ListSets comes in one part here: ask "
			    "again without a resumptionToken");
	xml_raw(b, "<ListSets>");
	for (int i = 0; record_types[i]; i++)
		buf_printf(b, "<set><setSpec>type:%s</setSpec><setName>%s</setName></set>",
			   record_types[i], type_names[i]);
	if ((rc = oaiq_collection_sets(o->rq->db, list_set, b)))
		return rc;
	return xml_raw(b, "</ListSets>");
}

static int verb_identify(struct oai *o)
{
	const struct archive *a = o->rq->archive;
	struct buf *b = &o->content;
	char earliest[24];
	int rc;

	if ((rc = oaiq_earliest(o->rq->db, earliest)))
		return rc;
	if (!*earliest)
		db_now(earliest);
	xml_raw(b, "<Identify><repositoryName>");
	xml_text(b, a ? a->title : "Cinemateca");
	xml_raw(b, "</repositoryName><baseURL>");
	xml_text(b, o->base);
	xml_raw(b, "/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>");
	/* the schema wants an address: without one set, a reserved name that
	 * reaches nobody (RFC 2606), which the README tells how to replace */
	xml_text(b, a && *a->admin_email ? a->admin_email : "admin_email-unset@example.invalid");
	xml_raw(b, "</adminEmail><earliestDatestamp>");
	xml_text(b, earliest);
	xml_raw(b, "</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
		"<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>");
	if (*o->repoid) {
		xml_raw(b, "<description><oai-identifier "
			"xmlns=\"http://www.openarchives.org/OAI/2.0/oai-identifier\" "
			"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
			"xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai-identifier "
			"http://www.openarchives.org/OAI/2.0/oai-identifier.xsd\">"
			"<scheme>oai</scheme><repositoryIdentifier>");
		xml_text(b, o->repoid);
		xml_raw(b, "</repositoryIdentifier><delimiter>:</delimiter><sampleIdentifier>oai:");
		xml_text(b, o->repoid);
		xml_raw(b, ":01890a5d-ac96-774b-bcce-b302099a8057</sampleIdentifier>"
			"</oai-identifier></description>");
	}
	return xml_raw(b, "</Identify>");
}

int oai_handle(struct req *rq)
{
	struct oai o = {.rq = rq, .fmt = FMT_NONE};
	struct buf *b = &rq->body;
	char now[21];
	int rc = 0;

	/* a harvester reads as nobody in particular, whatever cookie it sends
	 * (the session's grants given back first: they were allocated) */
	auth_release(&rq->principal);
	policy_anonymous(&rq->principal);
	rq->content_type = "text/xml; charset=utf-8";
	buf_init(&o.content, REQ_BODY_MAX);
	where_am_i(&o);
	collect_args(&o);
	if (!o.code) {
		switch (o.verb - verbs) {
		case 0: rc = verb_identify(&o); break;
		case 1: rc = verb_formats(&o); break;
		case 2: rc = verb_sets(&o); break;
		case 3: rc = verb_get_record(&o); break;
		default: rc = verb_list(&o); break;
		}
	}
	if (rc || o.content.err) {
		rq->cause = o.content.err ? "the OAI-PMH response could not be built (larger "
			"than the page limit, or out of memory)" : NULL;
		buf_free(&o.content);
		rq->content_type = "text/html; charset=utf-8";
		return rc == ERR_BUSY ? 503 : 500;
	}
	db_now(now);
	xml_raw(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
		"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		"xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
		"http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\"><responseDate>");
	xml_text(b, now);
	xml_raw(b, "</responseDate><request");
	if (o.echo && o.verb && !(o.code && (strcmp(o.code, "badArgument") == 0 ||
					    strcmp(o.code, "badVerb") == 0))) {
		/* only arguments that passed: a badVerb or badArgument echoes none */
		xml_raw(b, " verb=\"");
		xml_text(b, o.verb->name);
		xml_raw(b, "\"");
		for (int i = 0; i < o.nargs; i++) {
			buf_printf(b, " %s=\"", o.args[i].name);
			xml_text(b, o.args[i].value);
			xml_raw(b, "\"");
		}
	}
	xml_raw(b, ">");
	xml_text(b, o.base);
	xml_raw(b, "/oai</request>\n");
	if (o.code) {
		buf_printf(b, "<error code=\"%s\">", o.code);
		xml_text(b, o.msg);
		xml_raw(b, "</error>");
	} else {
		buf_append(b, o.content.data, o.content.len);
	}
	xml_raw(b, "\n</OAI-PMH>\n");
	buf_free(&o.content);
	return 200;
}
