/* subs.c: WebVTT and SRT reading, WebVTT writing (see subs.h).
 *
 * The reader walks the text line by line. A cue is an optional identifier
 * line, a timing line "START --> END" (WebVTT may add settings after it),
 * then text lines up to a blank line. WebVTT times are [hh:]mm:ss.ttt,
 * SRT times hh:mm:ss,ttt. NOTE, STYLE and REGION blocks of WebVTT are
 * skipped. Every malformed timing line, an end before its start, an empty
 * cue, invalid UTF-8 or a NUL is reported with its line number. */
#include "subs.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#define MAX_ERRORS 100

struct reader {
	const char *p, *end;
	int lineno;
	const char *name;
	struct buf *errors;
	int nerr;
};

/* next_line returns the next line (without its end) and its length, or
 * NULL at the end of the text. */
static const char *next_line(struct reader *r, size_t *n)
{
	const char *s = r->p, *e = r->p;

	if (r->p >= r->end)
		return NULL;
	/* a line ends at CR LF, LF or CR (all three are WebVTT line ends) */
	while (e < r->end && *e != '\n' && *e != '\r')
		e++;
	*n = (size_t)(e - s);
	if (e < r->end && *e == '\r' && e + 1 < r->end && e[1] == '\n')
		e++;
	r->p = e < r->end ? e + 1 : e;
	r->lineno++;
	return s;
}

__attribute__((format(printf, 2, 3)))
static void bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (++r->nerr > MAX_ERRORS)
		return;
	buf_printf(r->errors, "%s:%d: ", r->name, r->lineno);
	va_start(ap, fmt);
	buf_vprintf(r->errors, fmt, ap);
	va_end(ap);
	buf_putc(r->errors, '\n');
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* timestamp reads one time at *s (of at most n bytes), advancing *s:
 * "hh:mm:ss.ttt" or "mm:ss.ttt" (WebVTT), "hh:mm:ss,ttt" (SRT, sep ',').
 * Returns the milliseconds, or -1. */
static long long timestamp(const char **s, const char *end, char sep)
{
	const char *p = *s, *q;
	int parts[3], np = 0, ms;

	for (;;) {
		q = p;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == p || np == 3 || q - p > 9 || !digits(p, (size_t)(q - p), &parts[np]))
			return -1;
		np++;
		p = q;
		if (p < end && *p == ':') {
			p++;
			continue;
		}
		break;
	}
	if (np < 2 || p >= end || *p != sep || end - p < 4 || !digits(p + 1, 3, &ms))
		return -1;
	if (p + 4 < end && p[4] >= '0' && p[4] <= '9')
		return -1;
	int h = np == 3 ? parts[0] : 0, m = parts[np - 2], sec = parts[np - 1];
	if (m > 59 || sec > 59 || (np == 3 && sep == ',' && parts[0] > 99999))
		return -1;
	*s = p + 4;
	return (((long long)h * 60 + m) * 60 + sec) * 1000 + ms;
}

/* timing parses "START --> END[ settings]" into ms; false if it is not one. */
static bool timing(const char *line, size_t n, char sep, long long *a, long long *b)
{
	const char *p = line, *end = line + n;

	*a = timestamp(&p, end, sep);
	if (*a < 0)
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 3 || strncmp(p, "-->", 3) != 0)
		return false;
	p += 3;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*b = timestamp(&p, end, sep);
	return *b >= 0 && (p == end || *p == ' ' || *p == '\t');
}

/* looks_like_timing: has "-->", or starts with a digit and has a ':'
 * (a mistyped timing line, reported as such rather than taken for an
 * identifier; SRT numbers and most identifiers have no ':'). */
static bool looks_like_timing(const char *line, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (line[i] == '-' && line[i + 1] == '-' && line[i + 2] == '>')
			return true;
	return n > 0 && line[0] >= '0' && line[0] <= '9' && memchr(line, ':', n) != NULL;
}

/* webvtt_len: the length of a cue's text as subs_write_webvtt writes it,
 * each "-->" becoming "--&gt;". */
static size_t webvtt_len(const char *text)
{
	size_t n = strlen(text);

	for (const char *p = text; (p = strstr(p, "-->")); p += 3)
		n += 3;
	return n;
}

static int add(struct cue_list *l, long long a, long long b, struct buf *text)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		void *c = realloc(l->cues, (size_t)cap * sizeof *l->cues);
		if (!c)
			return ERR_NOMEM;
		l->cues = c;
		l->cap = cap;
	}
	l->cues[l->n].start_ms = a;
	l->cues[l->n].end_ms = b;
	l->cues[l->n].text = buf_steal(text);
	if (!l->cues[l->n].text)
		return ERR_NOMEM;
	l->n++;
	return 0;
}

int subs_parse(const char *text, size_t len, const char *name, struct cue_list *out,
	       struct buf *errors)
{
	struct reader r = {.p = text, .end = text + len, .name = name, .errors = errors};
	const char *line;
	size_t n;
	char sep;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;	/* a byte-order mark */
	if (memchr(text, '\0', len)) {
		buf_printf(errors, "%s: contains a NUL byte: not a subtitle file\n", name);
		return ERR_INVALID;
	}
	if (!str_utf8_valid(text, len)) {
		buf_printf(errors, "%s: is not UTF-8 text (convert it, e.g. iconv -f latin1 -t utf-8)\n",
			   name);
		return ERR_INVALID;
	}
	if ((size_t)(r.end - r.p) >= 6 && memcmp(r.p, "WEBVTT", 6) == 0 &&
	    (r.p + 6 == r.end || r.p[6] == '\n' || r.p[6] == '\r' || r.p[6] == ' ' || r.p[6] == '\t')) {
		sep = '.';
		/* the header block ends at the first blank line */
		while ((line = next_line(&r, &n)) && n > 0)
			;
	} else {
		sep = ',';
		out->srt = 1;
	}
	while ((line = next_line(&r, &n))) {
		struct buf body;
		long long a, b;
		int at;

		if (n == 0)
			continue;
		if (sep == '.' && ((n >= 4 && memcmp(line, "NOTE", 4) == 0 && (n == 4 || line[4] == ' ')) ||
				   (n == 5 && memcmp(line, "STYLE", 5) == 0) ||
				   (n == 6 && memcmp(line, "REGION", 6) == 0))) {
			while ((line = next_line(&r, &n)) && n > 0)
				;
			continue;
		}
		if (!looks_like_timing(line, n)) {
			/* a cue identifier (WebVTT) or number (SRT); the timing follows */
			line = next_line(&r, &n);
			if (!line || n == 0) {
				bad(&r, "a cue needs a timing line such as %s",
				    sep == '.' ? "00:01:02.500 --> 00:01:05.000" : "00:01:02,500 --> 00:01:05,000");
				continue;
			}
		}
		at = r.lineno;
		if (!timing(line, n, sep, &a, &b)) {
			bad(&r, "\"%.*s\" is not a timing line such as %s", (int)(n > 60 ? 60 : n), line,
			    sep == '.' ? "00:01:02.500 --> 00:01:05.000" : "00:01:02,500 --> 00:01:05,000");
			while ((line = next_line(&r, &n)) && n > 0)
				;
			continue;
		}
		buf_init(&body, SUBS_MAX_TEXT);
		while ((line = next_line(&r, &n)) && n > 0) {
			if (body.len)
				buf_putc(&body, '\n');
			buf_append(&body, line, n);
		}
		int here = r.lineno;	/* problems of the cue are reported at its timing line */
		r.lineno = at;
		/* the limit holds for the text as written back too (see webvtt_len) */
		if (body.err == 0 && webvtt_len(buf_str(&body)) > SUBS_MAX_TEXT)
			body.err = ERR_TOOBIG;
		if (body.err == ERR_TOOBIG)
			bad(&r, "the cue's text is longer than %d bytes", SUBS_MAX_TEXT);
		else if (b < a)
			bad(&r, "the cue ends before it starts");
		else if (body.len == 0)
			bad(&r, "the cue has no text");
		r.lineno = here;
		if (body.err == ERR_TOOBIG || b < a || body.len == 0) {
			/* reported above */
		} else if (out->n == SUBS_MAX_CUES) {
			bad(&r, "more than %d cues", SUBS_MAX_CUES);
		} else if (r.nerr == 0 && (rc = add(out, a, b, &body))) {
			buf_free(&body);
			return rc;
		}
		buf_free(&body);
	}
	if (r.nerr == 0 && out->n == 0) {
		buf_printf(errors, "%s: has no cues\n", name);
		return ERR_INVALID;
	}
	if (r.nerr > MAX_ERRORS)
		buf_printf(errors, "%s: %d more problems not shown\n", name, r.nerr - MAX_ERRORS);
	return r.nerr ? ERR_INVALID : 0;
}

static void ts(struct buf *b, long long ms)
{
	buf_printf(b, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
		   ms % 1000);
}

int subs_write_webvtt(const struct cue_list *l, struct buf *out)
{
	buf_puts(out, "WEBVTT\n");
	for (int i = 0; i < l->n; i++) {
		buf_putc(out, '\n');
		ts(out, l->cues[i].start_ms);
		buf_puts(out, " --> ");
		ts(out, l->cues[i].end_ms);
		buf_putc(out, '\n');
		/* "-->" may not appear in cue text: it would read as a timing */
		for (const char *p = l->cues[i].text; *p; p++) {
			if (p[0] == '-' && p[1] == '-' && p[2] == '>') {
				buf_puts(out, "--&gt;");
				p += 2;
			} else {
				buf_putc(out, *p);
			}
		}
		buf_putc(out, '\n');
	}
	return out->err;
}

void subs_free(struct cue_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->cues[i].text);
	free(l->cues);
	memset(l, 0, sizeof *l);
}

/* The character references WebVTT cue text may use (and the one SRT
 * files commonly carry), with what they stand for. */
static const struct {
	const char *ref, *text;
} refs[] = {
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
	{"&nbsp;", "\xc2\xa0"}, {"&lrm;", "\xe2\x80\x8e"}, {"&rlm;", "\xe2\x80\x8f"},
};

int subs_plain(const char *text, struct buf *out)
{
	const char *p = text;

	while (*p) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				break;	/* an unclosed tag ends the text, as in WebVTT */
			/* <v Name> (and <v.class Name>) says who speaks */
			if (p[1] == 'v' && (p[2] == ' ' || p[2] == '.' || p[2] == '\t')) {
				const char *name = p + 2;
				while (name < end && *name != ' ' && *name != '\t')
					name++;
				while (name < end && (*name == ' ' || *name == '\t'))
					name++;
				if (name < end) {
					buf_append(out, name, (size_t)(end - name));
					buf_puts(out, ": ");
				}
			}
			p = end + 1;
			continue;
		}
		if (*p == '&') {
			size_t i;
			for (i = 0; i < sizeof refs / sizeof refs[0]; i++)
				if (strncmp(p, refs[i].ref, strlen(refs[i].ref)) == 0)
					break;
			if (i < sizeof refs / sizeof refs[0]) {
				buf_puts(out, refs[i].text);
				p += strlen(refs[i].ref);
				continue;
			}
		}
		buf_append(out, p, 1);
		p++;
	}
	return out->err;
}
