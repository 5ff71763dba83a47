/* subs.c: WebVTT and SRT reading, WebVTT writing (see subs.h).
 *
 * The text is read a block at a time: lines (ending in CR LF, LF or CR)
 * up to a blank line, as the W3C WebVTT parser collects blocks, so memory
 * follows the longest block, not the number of lines. A WebVTT block
 * whose first or second line holds "-->" is a cue (the first line then
 * its identifier); one that starts NOTE, STYLE or REGION is kept as it is
 * written; the lines after the WEBVTT line up to the first blank line are
 * the header. Times follow the spec's "collect a WebVTT timestamp": hours
 * optional (and then any number of digits), minutes and seconds of
 * exactly two, milliseconds of exactly three; "mm:ss.ttt" needs its two
 * minute digits ("0:05.000" is no time).
 *
 * Where the spec's parser would quietly read a file differently from what
 * its author plainly meant, we report the line instead: a "-->" line
 * inside a cue or a NOTE (the spec starts a new cue there, taking the
 * previous line's cue number as text: a blank line is missing), a timing
 * line straight after NOTE, STYLE or REGION (the spec reads the keyword
 * as a cue id), a block with no timing line (the spec drops it), a time
 * it rejects (it drops the cue), a NUL (it becomes U+FFFD). Everything
 * the spec keeps, we keep: ids, settings as written, cues with no text.
 *
 * SRT has no spec; we read its common shape (number, "hh:mm:ss,mmm -->
 * hh:mm:ss,mmm", text; a line of only spaces counts as blank) and turn
 * its text into WebVTT cue text: <i>, <b>, <u> and other tags kept,
 * any other '<' and '&' escaped (so "I <3 you" is shown, not cut), and a
 * leading {\anN} position becomes WebVTT settings. */
#include "subs.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#define MAX_ERRORS 100
#define TIMING_VTT "00:01:02.500 --> 00:01:05.000"
#define TIMING_SRT "00:01:02,500 --> 00:01:05,000"

struct line {
	const char *s;
	size_t n;
};

/* The reader holds one block's lines at a time (a window from line base
 * on), so a file of millions of lines costs no more memory than its
 * longest block, and a block is at most MAX_BLOCK_LINES long. */
struct reader {
	const char *p, *end;	/* what is still to read */
	int next;		/* the number (0-based) of the next line to read */
	struct line *win;	/* lines base .. base + nwin - 1 */
	int base, nwin, cap;
	const char *name;
	struct buf *errors;
	int nerr;
	bool srt;
	struct cue_list *out;
};

const char *subs_block_kind_name(enum subs_block_kind k)
{
	static const char *const names[] = {"header", "note", "style", "region"};

	return k >= SUBS_HEADER && k <= SUBS_REGION ? names[k] : "?";
}

/* bad reports a problem at line lineno (1-based; 0: the whole file). */
__attribute__((format(printf, 3, 4)))
static void bad(struct reader *r, int lineno, const char *fmt, ...)
{
	va_list ap;

	if (++r->nerr > MAX_ERRORS)
		return;
	if (lineno > 0)
		buf_printf(r->errors, "%s:%d: ", r->name, lineno);
	else
		buf_printf(r->errors, "%s: ", r->name);
	va_start(ap, fmt);
	buf_vprintf(r->errors, fmt, ap);
	va_end(ap);
	buf_putc(r->errors, '\n');
}

/* Every non-blank line holds a byte, so a block of more lines than this
 * is longer than any block may be (SUBS_MAX_BLOCK). */
#define MAX_BLOCK_LINES (SUBS_MAX_BLOCK + 2)

/* L: line i (0-based), which must be in the window. */
static const struct line *L(const struct reader *r, int i)
{
	return &r->win[i - r->base];
}

/* read_line reads the next line (without its end: CR LF, LF or CR);
 * false at the end of the text. */
static bool read_line(struct reader *r, struct line *l)
{
	const char *e = r->p;

	if (r->p >= r->end)
		return false;
	while (e < r->end && *e != '\n' && *e != '\r')
		e++;
	l->s = r->p;
	l->n = (size_t)(e - r->p);
	if (e < r->end && *e == '\r' && e + 1 < r->end && e[1] == '\n')
		e++;
	r->p = e < r->end ? e + 1 : e;
	r->next++;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

static bool blank_line(const struct reader *r, const struct line *l)
{
	if (!r->srt)
		return l->n == 0;
	for (size_t k = 0; k < l->n; k++)	/* SRT: only spaces is blank too */
		if (!is_space(l->s[k]))
			return false;
	return true;
}

/* read_block skips blank lines and reads the next block into the window:
 * *first and *end get its lines' numbers. Returns 1, 0 at the end of the
 * text, 2 for a block too long to be anything (reported, skipped), or
 * ERR_NOMEM. */
static int read_block(struct reader *r, int *first, int *end)
{
	struct line l;
	bool any = false;

	r->nwin = 0;
	while (read_line(r, &l)) {
		if (blank_line(r, &l)) {
			if (any)
				break;
			continue;
		}
		if (!any) {
			r->base = r->next - 1;
			any = true;
		}
		if (r->nwin == MAX_BLOCK_LINES) {
			bad(r, r->base + 1, "a block of more than %d lines with no blank line: no cue "
			    "or NOTE is so long", MAX_BLOCK_LINES);
			while (read_line(r, &l) && !blank_line(r, &l))
				;
			r->nwin = 0;
			return 2;
		}
		if (r->nwin == r->cap) {
			int cap = r->cap ? r->cap * 2 : 64;
			void *w = realloc(r->win, (size_t)cap * sizeof *r->win);
			if (!w)
				return ERR_NOMEM;
			r->win = w;
			r->cap = cap;
		}
		r->win[r->nwin++] = l;
	}
	*first = r->base;
	*end = r->base + r->nwin;
	return any ? 1 : 0;
}

static bool has_arrow(const struct line *l)
{
	for (size_t i = 0; i + 2 < l->n; i++)
		if (l->s[i] == '-' && l->s[i + 1] == '-' && l->s[i + 2] == '>')
			return true;
	return false;
}

/* keyword: the line is WORD alone or followed by whitespace (NOTE may
 * be followed by any text after a space or tab; STYLE and REGION only by
 * whitespace), as the spec tells those blocks apart. */
static bool keyword(const struct line *l, const char *word, bool text_after)
{
	size_t n = strlen(word);

	if (l->n < n || memcmp(l->s, word, n) != 0)
		return false;
	if (l->n == n)
		return true;
	if (text_after)
		return is_space(l->s[n]);
	for (size_t i = n; i < l->n; i++)
		if (!is_space(l->s[i]))
			return false;
	return true;
}

static int block_kind(const struct line *l)
{
	if (keyword(l, "NOTE", true))
		return SUBS_NOTE;
	if (keyword(l, "STYLE", false))
		return SUBS_STYLE;
	if (keyword(l, "REGION", false))
		return SUBS_REGION;
	return -1;
}

/* digits collects ASCII digits at *p: their count, the value (saturated
 * far past any bound, so no overflow) in *v. */
static int digits(const char **p, const char *end, long long *v)
{
	int n = 0;

	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (*v < 1000000000LL)
			*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* timestamp reads one time at *s, advancing *s past it. WebVTT
 * ([h:]mm:ss.ttt) or SRT (h:mm:ss,ttt).
 * Returns 1 with the milliseconds, 0 if it is not one. */
static int timestamp(const char **s, const char *end, bool srt, long long *ms)
{
	const char *p = *s;
	long long v1, v2, v3, v4;
	int n1, n;
	bool hours;

	/* as the spec collects it: one digit or more, hours unless exactly
	 * two of them under 60 */
	n1 = digits(&p, end, &v1);
	if (n1 < 1)
		return 0;
	hours = srt || n1 != 2 || v1 > 59;
	if (p >= end || *p++ != ':' || digits(&p, end, &v2) != 2)
		return 0;
	if (hours || (p < end && *p == ':')) {
		if (p >= end || *p++ != ':' || digits(&p, end, &v3) != 2)
			return 0;
	} else {
		v3 = v2;
		v2 = v1;
		v1 = 0;
	}
	if (p >= end || *p++ != (srt ? ',' : '.'))
		return 0;
	n = digits(&p, end, &v4);
	if (n != 3 || v2 > 59 || v3 > 59)
		return 0;
	*ms = ((v1 * 60 + v2) * 60 + v3) * 1000 + v4;
	*s = p;
	return 1;
}

static void clock_ms(char out[32], long long ms)
{
	snprintf(out, 32, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
		 ms / 1000 % 60, ms % 1000);
}

/* timing parses "START --> END[ settings]" (the spec's "collect WebVTT
 * cue timings and settings"); settings gets what follows, trimmed.
 * Returns false if the line is not a timing line. */
static bool timing(const struct line *l, bool srt, long long *a, long long *b,
		   const char **settings, size_t *nsettings)
{
	const char *p = l->s, *end = l->s + l->n;

	while (p < end && is_space(*p))
		p++;
	if (!timestamp(&p, end, srt, a))
		return false;
	while (p < end && is_space(*p))
		p++;
	if (end - p < 3 || memcmp(p, "-->", 3) != 0)
		return false;
	p += 3;
	while (p < end && is_space(*p))
		p++;
	if (!timestamp(&p, end, srt, b))
		return false;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	*settings = p;
	*nsettings = (size_t)(end - p);
	return true;
}

static bool looks_like_time(const struct line *l)
{
	return l->n > 0 && l->s[0] >= '0' && l->s[0] <= '9' && memchr(l->s, ':', l->n) != NULL;
}

static bool all_digits(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i] < '0' || l->s[i] > '9')
			return false;
	return l->n > 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *steal(struct buf *b)
{
	char *s = buf_steal(b);

	return s ? s : dup_n("", 0);
}

/* srt_tag: p (at '<') opens or closes a tag on this line: "<i>", "</b>",
 * "<font color=...>"; an '<' that is not one ("I <3 you", "5 < 6") is
 * text. */
static bool srt_tag(const char *p, const char *end)
{
	const char *q = p + 1;

	if (q < end && *q == '/')
		q++;
	if (q >= end || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
		return false;
	for (; q < end; q++) {
		if (*q == '>')	/* "<x -->" is no tag: "-->" may not stay in cue text */
			return !(q[-1] == '-' && q[-2] == '-');
		if (*q == '<')
			return false;
	}
	return false;
}

/* The character references WebVTT cue text may use (and the one SRT
 * files commonly carry), with what they stand for. */
static const struct {
	const char *ref, *text;
} refs[] = {
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
	{"&nbsp;", "\xc2\xa0"}, {"&lrm;", "\xe2\x80\x8e"}, {"&rlm;", "\xe2\x80\x8f"},
};

static size_t ref_len(const char *p, const char *end)
{
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		size_t n = strlen(refs[i].ref);
		if ((size_t)(end - p) >= n && memcmp(p, refs[i].ref, n) == 0)
			return n;
	}
	return 0;
}

/* srt_line appends one SRT text line as WebVTT cue text. */
static void srt_line(struct buf *out, const char *p, const char *end)
{
	while (p < end) {
		size_t n;

		if (*p == '<' && srt_tag(p, end)) {
			const char *q = memchr(p, '>', (size_t)(end - p));
			buf_append(out, p, (size_t)(q - p + 1));
			p = q + 1;
		} else if (*p == '<') {
			buf_puts(out, "&lt;");
			p++;
		} else if (*p == '&' && (n = ref_len(p, end)) > 0) {
			buf_append(out, p, n);
			p += n;
		} else if (*p == '&') {
			buf_puts(out, "&amp;");
			p++;
		} else if (*p == '>' && out->len >= 2 && out->data[out->len - 1] == '-' &&
			   out->data[out->len - 2] == '-') {
			buf_puts(out, "&gt;");	/* "-->" may not appear in cue text */
			p++;
		} else {
			buf_append(out, p, 1);
			p++;
		}
	}
}

/* srt_position: a leading {\anN} (the ASS numpad position many SRT files
 * carry) as WebVTT settings; its length, 0 if none. */
static size_t srt_position(const struct line *l, char settings[32])
{
	static const char *const pos[10] = {
		NULL, "align:start", "", "align:end", "line:50% align:start", "line:50%",
		"line:50% align:end", "line:0 align:start", "line:0", "line:0 align:end"};

	if (l->n < 6 || memcmp(l->s, "{\\an", 4) != 0 || l->s[4] < '1' || l->s[4] > '9' ||
	    l->s[5] != '}')
		return 0;
	snprintf(settings, 32, "%s", pos[l->s[4] - '0']);
	return 6;
}

static int add_block(struct reader *r, enum subs_block_kind kind, struct buf *text)
{
	struct cue_list *l = r->out;

	if (l->nblocks == l->capblocks) {
		int cap = l->capblocks ? l->capblocks * 2 : 8;
		void *b = realloc(l->blocks, (size_t)cap * sizeof *l->blocks);
		if (!b)
			return ERR_NOMEM;
		l->blocks = b;
		l->capblocks = cap;
	}
	l->blocks[l->nblocks].kind = kind;
	l->blocks[l->nblocks].before = l->n;
	if (!(l->blocks[l->nblocks].text = steal(text)))
		return ERR_NOMEM;
	l->nblocks++;
	return 0;
}

static int add_cue(struct reader *r, long long a, long long b, const char *id, size_t nid,
		   const char *settings, size_t nsettings, struct buf *text)
{
	struct cue_list *l = r->out;
	struct cue *c;

	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		void *p = realloc(l->cues, (size_t)cap * sizeof *l->cues);
		if (!p)
			return ERR_NOMEM;
		l->cues = p;
		l->cap = cap;
	}
	c = &l->cues[l->n];
	memset(c, 0, sizeof *c);
	c->start_ms = a;
	c->end_ms = b;
	if ((id && !(c->id = dup_n(id, nid))) ||
	    (nsettings && !(c->settings = dup_n(settings, nsettings))) || !(c->text = steal(text))) {
		free(c->id);
		free(c->settings);
		return ERR_NOMEM;
	}
	l->n++;
	return 0;
}

/* only_spaces: line i is not empty but holds only spaces and tabs. */
static bool only_spaces(const struct reader *r, int i)
{
	const struct line *l;

	if (i < r->base)
		return false;
	l = L(r, i);
	for (size_t k = 0; k < l->n; k++)
		if (!is_space(l->s[k]))
			return false;
	return l->n > 0;
}

/* arrow_in_text reports a "-->" line at i inside a cue or block (what):
 * a timing line there means a blank line is missing, before the cue
 * number or identifier on the line above when there is one; in WebVTT a
 * line of spaces above it was meant as that blank line. */
static void arrow_in_text(struct reader *r, int i, const char *what)
{
	long long a, b;
	const char *s;
	size_t n;

	if (!timing(L(r, i), r->srt, &a, &b, &s, &n)) {
		bad(r, i + 1, "\"-->\" may not appear inside %s (players end it there): write "
		    "\"--&gt;\", or add the blank line that is missing", what);
		return;
	}
	for (int k = i - 1; !r->srt && k >= i - 2 && k > 0; k--)
		if (only_spaces(r, k)) {
			bad(r, i + 1, "a timing line inside %s: line %d holds only spaces, and the "
			    "blank line between cues must be empty", what, k + 1);
			return;
		}
	bad(r, i + 1, "a timing line inside %s: a blank line is missing before line %d", what,
	    i > r->base && !has_arrow(L(r, i - 1)) ? i : i + 1);
}

/* cue reads a cue whose timing line is at t (id at t - 1 when has_id),
 * text up to end. Returns the line to go on from, or ERR_NOMEM. */
static int cue(struct reader *r, int t, bool has_id, int end)
{
	const struct line *id = has_id ? L(r, t - 1) : NULL;
	char pos[32] = "";
	const char *settings;
	size_t nsettings, skip = 0;
	long long a, b;
	struct buf text;
	int i, rc = 0, nerr = r->nerr;
	bool started = false;

	if (!timing(L(r, t), r->srt, &a, &b, &settings, &nsettings)) {
		bad(r, t + 1, "\"%.*s\" is not a timing line such as %s",
		    (int)(L(r, t)->n > 60 ? 60 : L(r, t)->n), L(r, t)->s,
		    r->srt ? TIMING_SRT : TIMING_VTT);
		return end;
	}
	if (r->srt && nsettings) {
		bad(r, t + 1, "\"%.*s\" after the end time: an SRT timing line has only the two times",
		    (int)(nsettings > 40 ? 40 : nsettings), settings);
		nsettings = 0;
	}
	if (a > SUBS_MAX_MS || b > SUBS_MAX_MS) {
		char at[32];
		clock_ms(at, SUBS_MAX_MS);
		bad(r, t + 1, "a time later than %s, the latest a cue may have", at);
	} else if (b < a) {
		bad(r, t + 1, "the cue ends before it starts");
	}
	if (id && id->n > SUBS_MAX_TEXT)
		bad(r, t, "the cue's identifier is longer than %d bytes", SUBS_MAX_TEXT);
	if (nsettings > SUBS_MAX_TEXT)
		bad(r, t + 1, "the cue's settings are longer than %d bytes", SUBS_MAX_TEXT);
	buf_init(&text, SUBS_MAX_TEXT);
	for (i = t + 1; i < end; i++) {
		const struct line *l = L(r, i);
		long long x, y;
		const char *s;
		size_t n;

		if (has_arrow(l) && (!r->srt || timing(l, true, &x, &y, &s, &n))) {
			arrow_in_text(r, i, "a cue");
			/* go on from the cue that was not set apart (its id, if any) */
			end = i - 1 > t ? i - 1 : i;
			break;
		}
		if (r->srt && i == t + 1 && (skip = srt_position(l, pos)) > 0) {
			if (*pos) {
				settings = pos;
				nsettings = strlen(pos);
			}
			if (skip == l->n) {
				skip = 0;
				continue;	/* {\an8} alone on its line: no empty line of text */
			}
		}
		if (started)
			buf_putc(&text, '\n');
		started = true;
		if (r->srt) {
			srt_line(&text, l->s + skip, l->s + l->n);
			skip = 0;
		} else {
			buf_append(&text, l->s, l->n);
		}
	}
	if (text.err == ERR_TOOBIG)
		bad(r, t + 1, "the cue's text is longer than %d bytes", SUBS_MAX_TEXT);
	else if (text.err)
		rc = text.err;
	else if (r->out->n == SUBS_MAX_CUES && r->nerr == nerr)
		bad(r, t + 1, "more than %d cues: split the file", SUBS_MAX_CUES);
	else if (r->nerr == 0)
		rc = add_cue(r, a, b, id ? id->s : NULL, id ? id->n : 0, settings, nsettings, &text);
	buf_free(&text);
	return rc ? rc : end;
}

/* block keeps a NOTE, STYLE or REGION block (lines first..end) as written. */
static int keep_block(struct reader *r, enum subs_block_kind kind, int first, int end)
{
	static const char *const what[] = {"the header", "a NOTE", "a STYLE block", "a REGION block"};
	struct buf text;
	int rc = 0, nerr = r->nerr;

	buf_init(&text, SUBS_MAX_BLOCK);
	for (int i = first; i < end; i++) {
		if (i > first)
			buf_putc(&text, '\n');
		if (has_arrow(L(r, i)) && i > first) {
			arrow_in_text(r, i, what[kind]);
			end = i;
			break;
		}
		buf_append(&text, L(r, i)->s, L(r, i)->n);
	}
	if (text.err == ERR_TOOBIG)
		bad(r, first + 1, "%s is longer than %d bytes", what[kind], SUBS_MAX_BLOCK);
	else if (text.err)
		rc = text.err;
	else if (r->out->nblocks == SUBS_MAX_BLOCKS && r->nerr == nerr)
		bad(r, first + 1, "more than %d NOTE, STYLE and REGION blocks", SUBS_MAX_BLOCKS);
	else if (r->nerr == 0)
		rc = add_block(r, kind, &text);
	buf_free(&text);
	return rc ? rc : end;
}

/* one_block reads the block of lines first..end (no blank line among
 * them). Returns the line to go on from, or ERR_NOMEM. */
static int one_block(struct reader *r, int first, int end)
{
	const struct line *l0 = L(r, first);
	bool two = end - first >= 2;
	int kind = r->srt ? -1 : block_kind(l0);

	if (has_arrow(l0))
		return cue(r, first, false, end);
	if (two && has_arrow(L(r, first + 1))) {
		long long a, b;
		const char *set;
		size_t nset;

		if ((kind >= 0 || (r->srt && block_kind(l0) >= 0)) &&
		    !timing(L(r, first + 1), r->srt, &a, &b, &set, &nset)) {
			arrow_in_text(r, first + 1, "a NOTE, STYLE or REGION block");
			return end;
		} else if (kind >= 0 || (r->srt && block_kind(l0) >= 0)) {
			bad(r, first + 2, "a timing line right after \"%.*s\": a blank line is missing "
			    "before line %d", (int)(l0->n > 20 ? 20 : l0->n), l0->s, first + 2);
			return first + 1;
		}
		return cue(r, first + 1, true, end);
	}
	if (kind >= 0)
		return keep_block(r, (enum subs_block_kind)kind, first, end);
	if (looks_like_time(l0) && !all_digits(l0))
		bad(r, first + 1, "\"%.*s\" is not a timing line such as %s", (int)(l0->n > 60 ? 60 : l0->n),
		    l0->s, r->srt ? TIMING_SRT : TIMING_VTT);
	else if (two && looks_like_time(L(r, first + 1)))
		bad(r, first + 2, "\"%.*s\" is not a timing line such as %s",
		    (int)(L(r, first + 1)->n > 60 ? 60 : L(r, first + 1)->n), L(r, first + 1)->s,
		    r->srt ? TIMING_SRT : TIMING_VTT);
	else
		bad(r, first + 1, "a cue needs a timing line such as %s (after its %s, if any)%s",
		    r->srt ? TIMING_SRT : TIMING_VTT, r->srt ? "number" : "identifier",
		    r->srt ? "" : "; a comment starts with NOTE");
	return end;
}

/* signature: the WebVTT first line: "WEBVTT" alone or followed by a
 * space or tab. */
static bool signature(const struct line *l)
{
	return l->n >= 6 && memcmp(l->s, "WEBVTT", 6) == 0 && (l->n == 6 || l->s[6] == ' ' ||
								l->s[6] == '\t');
}

/* line_of: the line number of byte offset off of text. */
static int line_of(const char *text, size_t off)
{
	int n = 1;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= off || text[i + 1] != '\n')))
			n++;
	return n;
}

/* utf8_bad: the offset of the first byte that is not UTF-8, or len. */
static size_t utf8_bad(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			   (c & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || k > len - i || (k > 1 && !str_utf8_valid(text + i, k)))
			return i;
		i += k;
	}
	return len;
}

/* not_utf8 says which byte is not UTF-8 and what the file probably is. */
static void not_utf8(struct reader *r, const char *text, size_t len, size_t off)
{
	unsigned char c = (unsigned char)text[off];
	char in[1] = {(char)c}, out[8] = "", *ip = in, *op = out;
	size_t il = 1, ol = sizeof out - 1;
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	bool cp1252 = false;

	(void)len;
	if (cd != (iconv_t)-1) {
		cp1252 = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;
		*op = '\0';
		iconv_close(cd);
	}
	if (cp1252)
		bad(r, line_of(text, off), "byte 0x%02X is not UTF-8: the file is in another encoding. "
		    "Made on Windows in a Western European language, it is Windows-1252 (where 0x%02X "
		    "is \"%s\"): give --encoding windows-1252 (for another language its own, e.g. "
		    "windows-1250, windows-1251, iso-8859-7); nothing was converted", c, c, out);
	else
		bad(r, line_of(text, off), "byte 0x%02X is not UTF-8, nor Windows-1252 text: give "
		    "--encoding with the file's own encoding (e.g. windows-1250, cp437, iso-8859-7)", c);
}

/* encoding_problems: a byte-order mark of UTF-16 or UTF-32, a NUL, bytes
 * that are not UTF-8; each said with what to give. True if any. */
static bool encoding_problems(struct reader *r, const char *text, size_t len)
{
	static const struct {
		const char *bom, *name;
		size_t n;
	} boms[] = {
		{"\xff\xfe\0\0", "UTF-32LE", 4}, {"\0\0\xfe\xff", "UTF-32BE", 4},
		{"\xff\xfe", "UTF-16LE", 2}, {"\xfe\xff", "UTF-16BE", 2},
	};
	const char *nul;
	size_t off;

	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (len >= boms[i].n && memcmp(text, boms[i].bom, boms[i].n) == 0) {
			bad(r, 0, "is %s text (it starts with that byte-order mark), not UTF-8: give "
			    "--encoding %.6s to convert it", boms[i].name, boms[i].name);
			return true;
		}
	if ((nul = memchr(text, '\0', len))) {
		off = (size_t)(nul - text);
		if (len >= 2 && (text[0] == '\0') != (text[1] == '\0'))
			bad(r, 0, "has NUL bytes between its letters: it is %s text without a "
			    "byte-order mark: give --encoding %s", text[1] == '\0' ? "UTF-16LE" : "UTF-16BE",
			    text[1] == '\0' ? "UTF-16LE" : "UTF-16BE");
		else
			bad(r, line_of(text, off), "a NUL byte: not text (players would show U+FFFD "
			    "there); remove it");
		return true;
	}
	if ((off = utf8_bad(text, len)) < len) {
		not_utf8(r, text, len, off);
		return true;
	}
	return false;
}

/* header reads the WebVTT header, the block [0, end) in the window: the
 * rest of the WEBVTT line and the lines up to a blank one. A timing line
 * straight after WEBVTT starts the first cue (as in the spec); one after
 * header lines is missing its blank line. Returns where the cues begin,
 * or ERR_NOMEM. */
static int header(struct reader *r, int end)
{
	struct buf head;
	int h = 1, rc = 0;

	while (h < end && !has_arrow(L(r, h)))
		h++;
	if (h < end && h > 1)
		bad(r, h + 1, "a timing line inside the header: a blank line is missing before line %d", h);
	buf_init(&head, SUBS_MAX_BLOCK);
	buf_append(&head, L(r, 0)->s + 6, L(r, 0)->n - 6);
	for (int k = 1; k < h; k++) {
		buf_putc(&head, '\n');
		buf_append(&head, L(r, k)->s, L(r, k)->n);
	}
	if (head.err == ERR_TOOBIG)
		bad(r, 1, "the header is longer than %d bytes", SUBS_MAX_BLOCK);
	else if (head.err)
		rc = head.err;
	else if (head.len && r->nerr == 0)
		rc = add_block(r, SUBS_HEADER, &head);
	buf_free(&head);
	return rc ? rc : h;
}

int subs_parse(const char *text, size_t len, const char *name, struct cue_list *out,
	       struct buf *errors)
{
	struct reader r = {.p = text, .end = text + len, .name = name, .errors = errors, .out = out};
	struct line first = {0};
	int i = 0, j = 0, rc = 0;

	memset(out, 0, sizeof *out);
	if (encoding_problems(&r, text, len))
		return ERR_INVALID;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;	/* a byte-order mark */
	{
		struct reader peek = r;	/* the first line tells WebVTT from SRT */
		read_line(&peek, &first);
	}
	if (first.n >= 6 && memcmp(first.s, "WEBVTT", 6) == 0 && !signature(&first)) {
		bad(&r, 1, "\"%.*s\": a WebVTT file starts with a line WEBVTT, alone or followed by a "
		    "space and text", (int)(first.n > 40 ? 40 : first.n), first.s);
		rc = ERR_INVALID;
		goto done;
	}
	r.srt = !signature(&first);
	out->srt = r.srt;
	rc = read_block(&r, &i, &j);
	if (rc == 1 && !r.srt)
		rc = i = header(&r, j);
	/* each block, and what is left of one that was not set apart from the
	 * next (reported; read on to find the problems after it) */
	while (rc > 0) {
		while (rc > 0 && i < j)
			rc = i = one_block(&r, i, j);
		if (rc >= 0)
			rc = read_block(&r, &i, &j);
	}
	if (rc < 0)
		goto done;
	if (r.nerr == 0 && out->n == 0)
		bad(&r, 0, "has no cues");
	if (r.nerr > MAX_ERRORS)
		buf_printf(errors, "%s: %d more problems not shown\n", name, r.nerr - MAX_ERRORS);
	rc = r.nerr ? ERR_INVALID : 0;
done:
	free(r.win);
	return rc;
}

int subs_decode(const char *text, size_t len, const char *encoding, const char *name,
		struct buf *out, struct buf *errors)
{
	iconv_t cd = iconv_open("UTF-8", encoding);
	char *in = (char *)text;
	size_t left = len;
	int rc = 0;

	if (cd == (iconv_t)-1) {
		buf_printf(errors, "%s: \"%s\" is not an encoding this system knows: give one such as "
			   "windows-1252, latin1, UTF-16 (iconv -l lists them)\n", name, encoding);
		return ERR_INVALID;
	}
	for (;;) {
		char chunk[8192], *o = chunk;
		size_t room = sizeof chunk;
		bool flush = left == 0;	/* all read: end the shift state */
		size_t n = flush ? iconv(cd, NULL, NULL, &o, &room) : iconv(cd, &in, &left, &o, &room);
		int e = errno;

		if ((rc = buf_append(out, chunk, (size_t)(o - chunk))))
			goto done;
		if (n != (size_t)-1) {
			if (flush)
				break;
			continue;
		}
		if (e == E2BIG)
			continue;
		buf_printf(errors, "%s:%d: byte 0x%02X is not %s text (%s): is that the file's "
			   "encoding?\n", name, line_of(out->data ? out->data : "", out->len),
			   (unsigned char)*in, encoding, e == EINVAL ? "cut short" : "no such character");
		rc = ERR_INVALID;
		goto done;
	}
	/* a Windows-1252 file read as Latin-1 turns its curly quotes and euro
	 * signs into C1 control characters (U+0080..U+009F): say so */
	for (size_t i = 0; i + 1 < out->len; i++)
		if ((unsigned char)out->data[i] == 0xc2 && (unsigned char)out->data[i + 1] >= 0x80 &&
		    (unsigned char)out->data[i + 1] <= 0x9f) {
			buf_printf(errors, "%s:%d: read as %s, byte 0x%02X is the control character "
				   "U+%04X, not text: the file is probably windows-1252; give "
				   "--encoding windows-1252\n", name, line_of(out->data, i), encoding,
				   (unsigned char)out->data[i + 1], (unsigned char)out->data[i + 1]);
			rc = ERR_INVALID;
			break;
		}
done:
	iconv_close(cd);
	return rc;
}

static void ts(struct buf *b, long long ms)
{
	char at[32];

	clock_ms(at, ms);
	buf_puts(b, at);
}

static void write_block(struct buf *out, const struct subs_block *b)
{
	buf_putc(out, '\n');
	buf_puts(out, b->text);
	buf_putc(out, '\n');
}

int subs_write_webvtt(const struct cue_list *l, struct buf *out)
{
	int k = 0;

	buf_puts(out, "WEBVTT");
	if (l->nblocks && l->blocks[0].kind == SUBS_HEADER)
		buf_puts(out, l->blocks[k++].text);
	buf_putc(out, '\n');
	for (int i = 0; i <= l->n; i++) {
		for (; k < l->nblocks && l->blocks[k].before <= i; k++)
			write_block(out, &l->blocks[k]);
		if (i == l->n)
			break;
		buf_putc(out, '\n');
		if (l->cues[i].id) {
			buf_puts(out, l->cues[i].id);
			buf_putc(out, '\n');
		}
		ts(out, l->cues[i].start_ms);
		buf_puts(out, " --> ");
		ts(out, l->cues[i].end_ms);
		if (l->cues[i].settings) {
			buf_putc(out, ' ');
			buf_puts(out, l->cues[i].settings);
		}
		buf_putc(out, '\n');
		if (*l->cues[i].text) {
			buf_puts(out, l->cues[i].text);
			buf_putc(out, '\n');
		}
	}
	return out->err;
}

void subs_free(struct cue_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->cues[i].id);
		free(l->cues[i].settings);
		free(l->cues[i].text);
	}
	for (int i = 0; i < l->nblocks; i++)
		free(l->blocks[i].text);
	free(l->cues);
	free(l->blocks);
	memset(l, 0, sizeof *l);
}

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
