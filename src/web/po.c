/* po.c: the strict PO reader and the Plural-Forms evaluator (see po.h).
 *
 * The reader goes line by line: a keyword line (msgctxt, msgid,
 * msgid_plural, msgstr, msgstr[N]) starts a string, a line that is only a
 * string continues the last one, a comment may flag the next entry fuzzy,
 * and "#~" lines (obsolete entries) are skipped as msgfmt skips them. An
 * entry ends at the next comment, blank line or msgctxt/msgid after its
 * msgstr; one that has a msgid and no msgstr is an error, not a silent
 * empty label. */
#include "po.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PLURAL_DEPTH 64		/* nesting refused beyond this (real ones nest 5 deep) */
#define PLURAL_CHECK_N 1000	/* every n up to this must give a form below nplurals */

/* a growing string; NULL data until the first byte */
struct sbuf {
	char *data;
	size_t len, cap;
};

static int sbuf_add(struct sbuf *s, char c)
{
	if (s->len + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char *p = realloc(s->data, cap);

		if (!p)
			return -1;
		s->data = p;
		s->cap = cap;
	}
	s->data[s->len++] = c;
	s->data[s->len] = '\0';
	return 0;
}

/* sbuf_take hands the string over (an empty one when nothing was added). */
static char *sbuf_take(struct sbuf *s)
{
	char *p = s->data ? s->data : calloc(1, 1);

	s->data = NULL;
	s->len = s->cap = 0;
	return p;
}

static void fail(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return;
	n = snprintf(err, errlen, "%s:%d: ", name, line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p;
		int more;
		uint32_t cp;

		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p & 0x3f);
		}
		if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (more == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
	}
	return true;
}

/* ---- the Plural-Forms expression ---- */

struct expr {
	const char *p;		/* next character */
	unsigned long n;	/* the n the expression is evaluated for */
	int depth;
	const char *why;	/* the first error, NULL while none */
};

static void skip_ws(struct expr *e)
{
	while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n' || *e->p == '\r')
		e->p++;
}

static bool eat(struct expr *e, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(e);
	if (strncmp(e->p, tok, n) != 0)
		return false;
	/* "<" must not take the first half of "<=", "!" of "!=", "=" alone is no operator */
	if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') && e->p[1] == '=')
		return false;
	if (n == 1 && (tok[0] == '&' || tok[0] == '|'))
		return false;
	e->p += n;
	return true;
}

static unsigned long cond(struct expr *e, bool live);

static unsigned long primary(struct expr *e, bool live)
{
	unsigned long v = 0;

	skip_ws(e);
	if (*e->p == 'n' && !isalnum((unsigned char)e->p[1]) && e->p[1] != '_') {
		e->p++;
		return e->n;
	}
	if (isdigit((unsigned char)*e->p)) {
		while (isdigit((unsigned char)*e->p)) {
			if (v > (ULONG_MAX - 9) / 10) {
				e->why = e->why ? e->why : "number too large";
				return 0;
			}
			v = v * 10 + (unsigned long)(*e->p++ - '0');
		}
		return v;
	}
	if (eat(e, "(")) {
		v = cond(e, live);
		if (!eat(e, ")"))
			e->why = e->why ? e->why : "missing )";
		return v;
	}
	e->why = e->why ? e->why : (*e->p ? "unexpected character" : "expression ends too soon");
	return 0;
}

static unsigned long unary(struct expr *e, bool live)
{
	if (++e->depth > PLURAL_DEPTH) {
		e->why = e->why ? e->why : "nested too deep";
		return 0;
	}
	unsigned long v = eat(e, "!") ? !unary(e, live) : primary(e, live);
	e->depth--;
	return v;
}

static unsigned long mul(struct expr *e, bool live)
{
	unsigned long v = unary(e, live);

	while (!e->why) {
		int op = eat(e, "*") ? '*' : eat(e, "/") ? '/' : eat(e, "%") ? '%' : 0;
		unsigned long r;

		if (!op)
			break;
		r = unary(e, live);
		if (op == '*') {
			v *= r;
		} else if (r == 0) {
			if (live)
				e->why = e->why ? e->why : "division by zero";
			v = 0;
		} else {
			v = op == '/' ? v / r : v % r;
		}
	}
	return v;
}

static unsigned long add(struct expr *e, bool live)
{
	unsigned long v = mul(e, live);

	while (!e->why) {
		if (eat(e, "+"))
			v += mul(e, live);
		else if (eat(e, "-"))
			v -= mul(e, live);
		else
			break;
	}
	return v;
}

static unsigned long rel(struct expr *e, bool live)
{
	unsigned long v = add(e, live);

	while (!e->why) {
		if (eat(e, "<="))
			v = v <= add(e, live);
		else if (eat(e, ">="))
			v = v >= add(e, live);
		else if (eat(e, "<"))
			v = v < add(e, live);
		else if (eat(e, ">"))
			v = v > add(e, live);
		else
			break;
	}
	return v;
}

static unsigned long eq(struct expr *e, bool live)
{
	unsigned long v = rel(e, live);

	while (!e->why) {
		if (eat(e, "=="))
			v = v == rel(e, live);
		else if (eat(e, "!="))
			v = v != rel(e, live);
		else
			break;
	}
	return v;
}

static unsigned long and(struct expr *e, bool live)
{
	unsigned long v = eq(e, live);

	while (!e->why && eat(e, "&&")) {
		unsigned long r = eq(e, live && v);
		v = v && r;
	}
	return v;
}

static unsigned long or(struct expr *e, bool live)
{
	unsigned long v = and(e, live);

	while (!e->why && eat(e, "||")) {
		unsigned long r = and(e, live && !v);
		v = v || r;
	}
	return v;
}

static unsigned long cond(struct expr *e, bool live)
{
	unsigned long c, a, b;

	if (++e->depth > PLURAL_DEPTH) {
		e->why = e->why ? e->why : "nested too deep";
		return 0;
	}
	c = or(e, live);
	if (!e->why && eat(e, "?")) {
		a = cond(e, live && c);
		if (!e->why && !eat(e, ":"))
			e->why = "missing : after ?";
		b = e->why ? 0 : cond(e, live && !c);
		c = c ? a : b;
	}
	e->depth--;
	return c;
}

int po_plural_eval(const char *expr, unsigned long n, unsigned long *out, char *err, size_t errlen)
{
	struct expr e = {.p = expr, .n = n};
	unsigned long v = cond(&e, true);

	skip_ws(&e);
	if (!e.why && *e.p)
		e.why = "unexpected text after the expression";
	if (e.why) {
		if (err && errlen)
			snprintf(err, errlen, "%s at \"%.20s\"", e.why, e.p);
		return -1;
	}
	*out = v;
	return 0;
}

int po_plural_form(const struct po_file *po, unsigned long n)
{
	unsigned long v;

	if (!po->plural || po_plural_eval(po->plural, n, &v, NULL, 0) || v >= (unsigned long)po->nplurals)
		return 0;
	return (int)v;
}

/* header_plural reads Plural-Forms from the header into po. */
static int header_plural(struct po_file *po, const char *name, int line, char *err, size_t errlen)
{
	const char *h = po->header, *p, *ct;
	char why[160];
	unsigned long np = 0, v;
	size_t len;

	/* the charset: strings are used as they are, so they must be UTF-8 */
	for (ct = h; ct && *ct; ct = strchr(ct, '\n') ? strchr(ct, '\n') + 1 : NULL) {
		if (strncasecmp(ct, "Content-Type:", 13) == 0) {
			const char *cs = strstr(ct, "charset=");
			if (cs && strncasecmp(cs + 8, "UTF-8", 5) != 0 && strncasecmp(cs + 8, "CHARSET", 7) != 0) {
				fail(err, errlen, name, line, "the header's charset must be UTF-8");
				return -1;
			}
		}
	}
	for (p = h; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncasecmp(p, "Plural-Forms:", 13) == 0)
			break;
	if (!p || !*p)
		return 0;
	p += 13;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "nplurals=", 9) != 0 || !isdigit((unsigned char)p[9])) {
		fail(err, errlen, name, line, "Plural-Forms: expected nplurals=N");
		return -1;
	}
	for (p += 9; isdigit((unsigned char)*p) && np <= PO_MAX_PLURALS; p++)
		np = np * 10 + (unsigned long)(*p - '0');
	if (np < 1 || np > PO_MAX_PLURALS) {
		fail(err, errlen, name, line, "Plural-Forms: nplurals must be 1 to %d", PO_MAX_PLURALS);
		return -1;
	}
	while (*p == ' ' || *p == ';')
		p++;
	if (strncmp(p, "plural=", 7) != 0) {
		fail(err, errlen, name, line, "Plural-Forms: expected plural=EXPRESSION after nplurals");
		return -1;
	}
	p += 7;
	len = strcspn(p, ";\n");
	free(po->plural);
	po->plural = strndup(p, len);
	if (!po->plural) {
		fail(err, errlen, name, line, "out of memory");
		return -1;
	}
	po->nplurals = (int)np;
	for (unsigned long n = 0; n <= PLURAL_CHECK_N; n++) {
		if (po_plural_eval(po->plural, n, &v, why, sizeof why)) {
			fail(err, errlen, name, line, "Plural-Forms: %s", why);
			return -1;
		}
		if (v >= np) {
			fail(err, errlen, name, line, "Plural-Forms: plural form %lu for n=%lu, but nplurals=%lu",
			     v, n, np);
			return -1;
		}
	}
	return 0;
}

/* ---- the file ---- */

enum field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR };

struct parser {
	const char *name;
	char *err;
	size_t errlen;
	struct po_file *po;
	size_t cap;		/* allocated entries */
	struct po_entry cur;	/* the entry being read */
	bool cur_fuzzy;		/* flagged fuzzy */
	bool has_id;		/* cur has its msgid */
	bool has_header;
	enum field last;	/* what a continuation line adds to */
	int field_line;		/* where that field began */
	struct sbuf s;		/* the string being read */
	int line;
};

static void entry_free(struct po_entry *e)
{
	free(e->ctxt);
	free(e->id);
	free(e->id_plural);
	for (int i = 0; i < e->nstr; i++)
		free(e->str[i]);
	memset(e, 0, sizeof *e);
}

/* store moves the string being read into the field it belongs to. */
static int store(struct parser *ps)
{
	char **to;

	switch (ps->last) {
	case F_NONE:
		return 0;
	case F_CTXT: to = &ps->cur.ctxt; break;
	case F_ID: to = &ps->cur.id; break;
	case F_PLURAL: to = &ps->cur.id_plural; break;
	default: to = &ps->cur.str[ps->cur.nstr - 1]; break;
	}
	*to = sbuf_take(&ps->s);
	if (!*to) {
		fail(ps->err, ps->errlen, ps->name, ps->line, "out of memory");
		return -1;
	}
	if (!utf8_valid(*to)) {
		fail(ps->err, ps->errlen, ps->name, ps->field_line, "invalid UTF-8");
		return -1;
	}
	ps->last = F_NONE;
	return 0;
}

/* finish ends the current entry (if any): kept, taken as the header,
 * or skipped as fuzzy. */
static int finish(struct parser *ps)
{
	if (store(ps))
		return -1;
	if (!ps->has_id && !ps->cur.ctxt) {
		ps->cur_fuzzy = false;
		return 0;
	}
	if (!ps->has_id || ps->cur.nstr == 0) {
		fail(ps->err, ps->errlen, ps->name, ps->cur.line, ps->has_id ?
		     "msgid without msgstr" : "msgctxt without msgid");
		return -1;
	}
	if (ps->cur.id_plural == NULL && ps->cur.id[0] == '\0' && !ps->cur.ctxt) {
		if (ps->has_header) {
			fail(ps->err, ps->errlen, ps->name, ps->cur.line, "a second header (msgid \"\")");
			return -1;
		}
		int line = ps->cur.line;

		ps->has_header = true;
		free(ps->po->header);
		ps->po->header = ps->cur.str[0];
		ps->cur.str[0] = NULL;
		ps->cur.nstr = 0;
		entry_free(&ps->cur);
		if (header_plural(ps->po, ps->name, line, ps->err, ps->errlen))
			return -1;
	} else if (ps->cur_fuzzy) {
		ps->po->fuzzy++;
		entry_free(&ps->cur);
	} else {
		if (ps->po->n == ps->cap) {
			size_t cap = ps->cap ? ps->cap * 2 : 64;
			struct po_entry *p = realloc(ps->po->entries, cap * sizeof *p);

			if (!p) {
				fail(ps->err, ps->errlen, ps->name, ps->line, "out of memory");
				return -1;
			}
			ps->po->entries = p;
			ps->cap = cap;
		}
		ps->po->entries[ps->po->n++] = ps->cur;
		memset(&ps->cur, 0, sizeof ps->cur);
	}
	ps->cur_fuzzy = false;
	ps->has_id = false;
	return 0;
}

/* string reads a quoted string at p (up to end of line), appending to ps->s. */
static int string(struct parser *ps, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != '"') {
		fail(ps->err, ps->errlen, ps->name, ps->line, "expected a string in double quotes");
		return -1;
	}
again:
	for (p++;; p++) {
		int c;

		if (p == end) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "string not closed by \"");
			return -1;
		}
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c == '\\') {
			if (++p == end) {
				fail(ps->err, ps->errlen, ps->name, ps->line, "string not closed by \"");
				return -1;
			}
			switch (*p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case '\\': case '"': case '\'': case '?': c = *p; break;
			case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
				c = 0;
				for (int i = 0; i < 3 && p < end && *p >= '0' && *p <= '7'; i++, p++)
					c = c * 8 + (*p - '0');
				p--;
				break;
			case 'x':
				c = 0;
				if (p + 1 == end || !isxdigit((unsigned char)p[1])) {
					fail(ps->err, ps->errlen, ps->name, ps->line, "\\x without hex digits");
					return -1;
				}
				for (int i = 0; i < 2 && p + 1 < end && isxdigit((unsigned char)p[1]); i++) {
					p++;
					c = c * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
				}
				break;
			default:
				fail(ps->err, ps->errlen, ps->name, ps->line, "invalid escape \\%c", isprint((unsigned char)*p) ? *p : '?');
				return -1;
			}
			if (c == 0 || c > 255) {
				fail(ps->err, ps->errlen, ps->name, ps->line, "escape gives a NUL or a value above 255");
				return -1;
			}
		} else if (c < 0x20 && c != '\t') {
			fail(ps->err, ps->errlen, ps->name, ps->line, "control character in a string");
			return -1;
		}
		if (sbuf_add(&ps->s, (char)c)) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "out of memory");
			return -1;
		}
	}
	for (p++; p < end; p++) {
		if (*p == '"')
			goto again;	/* "a" "b" on one line, as msgfmt reads it */
		if (*p != ' ' && *p != '\t') {
			fail(ps->err, ps->errlen, ps->name, ps->line, "text after the closing \"");
			return -1;
		}
	}
	return 0;
}

static bool keyword(const char **p, const char *end, const char *kw)
{
	size_t n = strlen(kw);

	if ((size_t)(end - *p) < n || memcmp(*p, kw, n) != 0)
		return false;
	if (*p + n < end && (*(*p + n) != ' ' && *(*p + n) != '\t' && *(*p + n) != '"'))
		return false;
	*p += n;
	return true;
}

/* one_line handles one line [p, end) of the file. */
static int one_line(struct parser *ps, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return finish(ps);
	if (*p != '"' && store(ps))
		return -1;
	if (*p == '#') {
		if (end - p >= 2 && (p[1] == '~' || p[1] == '|'))
			return 0;	/* obsolete entries, previous msgids */
		if ((ps->has_id || ps->cur.ctxt) && finish(ps))
			return -1;
		if (end - p >= 2 && p[1] == ',') {
			for (const char *f = p + 2; f < end; f++)
				if ((size_t)(end - f) >= 5 && memcmp(f, "fuzzy", 5) == 0 &&
				    (f + 5 == end || f[5] == ',' || f[5] == ' ' || f[5] == '\t'))
					ps->cur_fuzzy = true;
		}
		return 0;
	}
	if (*p == '"') {
		if (ps->last == F_NONE) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "a string with no keyword before it");
			return -1;
		}
		return string(ps, p, end);
	}
	if (keyword(&p, end, "msgctxt")) {
		if ((ps->has_id || ps->cur.ctxt) && finish(ps))
			return -1;
		ps->cur.line = ps->line;
		ps->last = F_CTXT;
	} else if (keyword(&p, end, "msgid")) {
		if (ps->has_id && finish(ps))
			return -1;
		if (!ps->cur.ctxt)
			ps->cur.line = ps->line;
		ps->has_id = true;
		ps->last = F_ID;
	} else if (keyword(&p, end, "msgid_plural")) {
		if (!ps->has_id || ps->cur.id_plural || ps->cur.nstr) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "msgid_plural must follow a msgid");
			return -1;
		}
		ps->last = F_PLURAL;
	} else if (keyword(&p, end, "msgstr")) {
		if (!ps->has_id || ps->cur.nstr) {
			fail(ps->err, ps->errlen, ps->name, ps->line,
			     ps->has_id ? "a second msgstr" : "msgstr without msgid");
			return -1;
		}
		if (ps->cur.id_plural) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "a plural message needs msgstr[0], msgstr[1]…");
			return -1;
		}
		ps->cur.nstr = 1;
		ps->last = F_STR;
	} else if ((size_t)(end - p) > 7 && memcmp(p, "msgstr[", 7) == 0) {
		unsigned long i = 0;

		p += 7;
		if (p == end || !isdigit((unsigned char)*p)) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "expected msgstr[N]");
			return -1;
		}
		while (p < end && isdigit((unsigned char)*p) && i < 1000)
			i = i * 10 + (unsigned long)(*p++ - '0');
		if (p == end || *p++ != ']') {
			fail(ps->err, ps->errlen, ps->name, ps->line, "expected msgstr[N]");
			return -1;
		}
		if (!ps->has_id || !ps->cur.id_plural) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "msgstr[%lu] without msgid_plural", i);
			return -1;
		}
		if (i != (unsigned long)ps->cur.nstr || i >= PO_MAX_PLURALS) {
			fail(ps->err, ps->errlen, ps->name, ps->line, "msgstr[%lu] where msgstr[%d] was expected",
			     i, ps->cur.nstr);
			return -1;
		}
		ps->cur.nstr++;
		ps->last = F_STR;
	} else {
		fail(ps->err, ps->errlen, ps->name, ps->line, "expected msgctxt, msgid, msgid_plural, msgstr or a comment");
		return -1;
	}
	ps->field_line = ps->line;
	return string(ps, p, end);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct po_entry *x = *(const struct po_entry *const *)a, *y = *(const struct po_entry *const *)b;
	int c;

	if (!x->ctxt != !y->ctxt)
		return x->ctxt ? 1 : -1;
	if (x->ctxt && (c = strcmp(x->ctxt, y->ctxt)))
		return c;
	if ((c = strcmp(x->id, y->id)))
		return c;
	return x->line - y->line;
}

/* checks run once the whole file (and its header) is read */
static int check_all(struct parser *ps)
{
	struct po_file *po = ps->po;
	struct po_entry **v;
	int rc = 0;

	for (size_t i = 0; i < po->n; i++) {
		struct po_entry *e = &po->entries[i];
		if (e->id_plural && e->nstr != po->nplurals) {
			fail(ps->err, ps->errlen, ps->name, e->line, "%d plural forms, but the header's "
			     "Plural-Forms says nplurals=%d", e->nstr, po->nplurals);
			return -1;
		}
	}
	if (po->n < 2)
		return 0;
	v = malloc(po->n * sizeof *v);
	if (!v) {
		fail(ps->err, ps->errlen, ps->name, ps->line, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < po->n; i++)
		v[i] = &po->entries[i];
	qsort(v, po->n, sizeof *v, cmp_entry);
	for (size_t i = 1; i < po->n; i++) {
		if (!v[i]->ctxt == !v[i - 1]->ctxt && (!v[i]->ctxt || strcmp(v[i]->ctxt, v[i - 1]->ctxt) == 0) &&
		    strcmp(v[i]->id, v[i - 1]->id) == 0) {
			fail(ps->err, ps->errlen, ps->name, v[i]->line, "duplicate message (first at line %d)",
			     v[i - 1]->line);
			rc = -1;
			break;
		}
	}
	free(v);
	return rc;
}

void po_free(struct po_file *po)
{
	for (size_t i = 0; i < po->n; i++)
		entry_free(&po->entries[i]);
	free(po->entries);
	free(po->header);
	free(po->plural);
	memset(po, 0, sizeof *po);
}

int po_parse(const char *text, size_t len, const char *name, struct po_file *out,
	     char *err, size_t errlen)
{
	struct parser ps = {.name = name, .err = err, .errlen = errlen, .po = out, .line = 0};
	const char *p = text, *end = text + len;

	memset(out, 0, sizeof *out);
	out->nplurals = 2;
	out->plural = strdup("n != 1");
	out->header = calloc(1, 1);
	if (!out->plural || !out->header) {
		fail(err, errlen, name, 0, "out of memory");
		goto fail;
	}
	/* a byte-order mark is tolerated, as msgfmt does */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ps.line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n)) {
			fail(err, errlen, name, ps.line, "NUL byte in the file");
			goto fail;
		}
		if (one_line(&ps, p, p + n))
			goto fail;
		p = nl ? nl + 1 : end;
	}
	if (finish(&ps) || check_all(&ps))
		goto fail;
	return 0;
fail:
	free(ps.s.data);
	entry_free(&ps.cur);
	po_free(out);
	return -1;
}
