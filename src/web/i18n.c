/* i18n.c: interface strings from PO files (see i18n.h).
 *
 * Each language is up to two PO files read at start: ARCHIVE/po/LANG.po
 * (when present) over the po/LANG.po the binary was built with. At load
 * every MSG_ key and "term" word is resolved once to the entry that
 * serves it, so a lookup is an array index (and a term a short scan).
 * Fallback at lookup: the language, then the default language, then
 * Spanish (the source the keys come from), then an old-form line still
 * in i18n.def, then the key itself: never an empty label. */
#include "i18n.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "embedded.h"
#include "http/req.h"
#include "po.h"

#define SOURCE_LANG "es"	/* the language po/es.po is written in, the keys' source */
#define LANG_CODE_MAX 32	/* longer file names in po/ are refused, not cut */
#define PO_FILE_MAX (16u << 20)	/* a PO file larger than this is refused */

/* the key names, in enum order */
static const char *const msg_keys[MSG_COUNT] = {
#define MSG(key, es, en) [MSG_##key] = #key,
#include "i18n_keys.h"
#include "i18n.def"
#undef MSG
};

/* strings still written in i18n.def's old form (NULL for the PO ones) */
static const char *const legacy[MSG_COUNT][2] = {
#define MSG(key, es, en) [MSG_##key] = {es, en},
#include "i18n_keys.h"
#include "i18n.def"
#undef MSG
};

static const struct {
	const char *key, *text[2];
} legacy_terms[] = {
#define TERM(key, es, en) {key, {es, en}},
#include "i18n.def"
#undef TERM
	{NULL, {NULL, NULL}},
};

struct term {
	const char *value;		/* the catalogue value (msgid) */
	const struct po_entry *e;	/* its translation */
};

struct lang {
	char code[LANG_CODE_MAX + 1];	/* "es", "qu", "pt_BR" */
	struct po_file po[2];		/* [0] the one read first (archive), [1] the other */
	char where[2][512];		/* where each came from, for messages */
	int npo;			/* how many of po are set */
	const struct po_entry *msg[MSG_COUNT];	/* the entry serving each key, or NULL */
	const struct po_file *msg_po[MSG_COUNT];	/* the file it is in (its Plural-Forms) */
	struct term *terms;		/* the "term" entries, first file first */
	size_t nterms;
	size_t unknown;			/* keys in the files that the program does not have */
};

static struct lang *langs;
static size_t nlangs;
static const char **codes;		/* NULL-terminated, the default first */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int key_index(const char *ctxt)
{
	/* a few hundred keys, looked up only at load */
	for (int i = 0; i < MSG_COUNT; i++)
		if (strcmp(msg_keys[i], ctxt) == 0)
			return i;
	return -1;
}

static bool is_key(const char *s)
{
	if (!s || !isupper((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static bool translated(const struct po_entry *e)
{
	for (int i = 0; i < e->nstr; i++)
		if (!e->str[i] || !*e->str[i])
			return false;
	return e->nstr > 0;
}

static void lang_free(struct lang *l)
{
	for (int i = 0; i < l->npo; i++)
		po_free(&l->po[i]);
	free(l->terms);
	memset(l, 0, sizeof *l);
}

static struct lang *find(const char *code)
{
	for (size_t i = 0; i < nlangs; i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	return NULL;
}

/* resolve fills a language's tables from its files, the first file first. */
static int resolve(struct lang *l)
{
	size_t cap = 0;

	memset(l->msg, 0, sizeof l->msg);
	memset(l->msg_po, 0, sizeof l->msg_po);
	free(l->terms);
	l->terms = NULL;
	l->nterms = 0;
	l->unknown = 0;
	for (int f = 0; f < l->npo; f++) {
		for (size_t i = 0; i < l->po[f].n; i++) {
			const struct po_entry *e = &l->po[f].entries[i];
			int k;

			if (e->ctxt && strcmp(e->ctxt, "term") == 0) {
				bool have = false;
				for (size_t t = 0; t < l->nterms && !have; t++)
					have = strcmp(l->terms[t].value, e->id) == 0;
				if (have || !translated(e))
					continue;
				if (l->nterms == cap) {
					struct term *p = realloc(l->terms, (cap = cap ? cap * 2 : 64) * sizeof *p);
					if (!p)
						return -1;
					l->terms = p;
				}
				l->terms[l->nterms++] = (struct term){e->id, e};
			} else if (is_key(e->ctxt)) {
				if ((k = key_index(e->ctxt)) < 0) {
					l->unknown += f == 0;
					continue;
				}
				if (!l->msg[k] && translated(e)) {
					l->msg[k] = e;
					l->msg_po[k] = &l->po[f];
				}
			}
		}
	}
	return 0;
}

/* add_file parses one PO file into the language code (made if new); a file
 * added to a language with strings already goes first. */
static int add_file(const char *code, const char *text, size_t len, const char *where,
		    char *err, size_t errlen)
{
	struct po_file po;
	struct lang *l;

	if (po_parse(text, len, where, &po, err, errlen))
		return -1;
	if (!(l = find(code))) {
		struct lang *p = realloc(langs, (nlangs + 1) * sizeof *p);

		if (!p) {
			po_free(&po);
			snprintf(err, errlen, "%s: out of memory", where);
			return -1;
		}
		langs = p;
		l = &langs[nlangs++];
		memset(l, 0, sizeof *l);
		snprintf(l->code, sizeof l->code, "%s", code);
	}
	if (l->npo == 2) {
		po_free(&po);
		snprintf(err, errlen, "%s: a third file for language %s", where, code);
		return -1;
	}
	if (l->npo == 1) {
		l->po[1] = l->po[0];
		memcpy(l->where[1], l->where[0], sizeof l->where[0]);
	}
	l->po[0] = po;
	snprintf(l->where[0], sizeof l->where[0], "%s", where);
	l->npo++;
	/* tables point into the files, which just moved */
	for (size_t i = 0; i < nlangs; i++)
		if (resolve(&langs[i])) {
			snprintf(err, errlen, "%s: out of memory", where);
			return -1;
		}
	return 0;
}

/* code_of takes the language code from a file name "LANG.po"; NULL if the
 * name is not one (or the code is not letters, digits, _ - @). */
static bool code_of(const char *file, char *code, size_t size)
{
	size_t n = strlen(file);

	if (n < 4 || strcmp(file + n - 3, ".po") != 0 || n - 3 > LANG_CODE_MAX || n - 3 >= size)
		return false;
	for (size_t i = 0; i < n - 3; i++)
		if (!isalnum((unsigned char)file[i]) && file[i] != '_' && file[i] != '-' && file[i] != '@')
			return false;
	memcpy(code, file, n - 3);
	code[n - 3] = '\0';
	return true;
}

static void free_all(void)
{
	for (size_t i = 0; i < nlangs; i++)
		lang_free(&langs[i]);
	free(langs);
	free(codes);
	langs = NULL;
	codes = NULL;
	nlangs = 0;
}

/* order makes codes: the languages named in `languages` first, in that
 * order (those present), then the rest by code. */
static int order(const char *languages)
{
	size_t k = 0;
	const char *p = languages;

	free(codes);
	codes = calloc(nlangs + 1, sizeof *codes);
	if (!codes)
		return -1;
	while (p && *p) {
		size_t n;
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		n = strcspn(p, " ,\t");
		for (size_t i = 0; n && i < nlangs; i++) {
			bool dup = false;
			if (strlen(langs[i].code) != n || strncmp(langs[i].code, p, n) != 0)
				continue;
			for (size_t j = 0; j < k; j++)
				dup |= codes[j] == langs[i].code;
			if (!dup)
				codes[k++] = langs[i].code;
		}
		p += n;
	}
	/* then the source language (the default when the settings name none
	 * present), then the rest as they were loaded (by file name) */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nlangs; i++) {
			bool dup = false;
			if ((pass == 0) != (strcmp(langs[i].code, SOURCE_LANG) == 0))
				continue;
			for (size_t j = 0; j < k; j++)
				dup |= codes[j] == langs[i].code;
			if (dup)
				continue;
			codes[k++] = langs[i].code;
		}
	}
	codes[k] = NULL;
	return 0;
}

static int load_builtin(char *err, size_t errlen)
{
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		char code[LANG_CODE_MAX + 1], where[512];

		if (strncmp(f->path, "po/", 3) != 0 || !code_of(f->path + 3, code, sizeof code))
			continue;
		snprintf(where, sizeof where, "%s (built in)", f->path);
		if (add_file(code, (const char *)f->data, f->len, where, err, errlen))
			return -1;
	}
	return 0;
}

static void init_builtin(void)
{
	char err[512];

	if (load_builtin(err, sizeof err) || order(NULL))
		fprintf(stderr, "cinemateca: %s\n", err);
}

static void ensure(void)
{
	pthread_once(&once, init_builtin);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* load_dir adds DIR/po/LANG.po, in name order. */
static int load_dir(const char *dir, char *err, size_t errlen)
{
	char path[4096], **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	if (snprintf(path, sizeof path, "%s/po", dir) >= (int)sizeof path) {
		snprintf(err, errlen, "%s/po: path too long", dir);
		return -1;
	}
	if (!(dp = opendir(path)))
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		       (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	while ((d = readdir(dp))) {
		char code[LANG_CODE_MAX + 1];
		if (!code_of(d->d_name, code, sizeof code))
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 8) * sizeof *p);
			if (!p)
				goto oom;
			names = p;
		}
		if (!(names[n] = strdup(d->d_name)))
			goto oom;
		n++;
	}
	closedir(dp);
	dp = NULL;
	qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char code[LANG_CODE_MAX + 1], file[4400], *text = NULL;
		size_t len = 0;
		FILE *f;

		code_of(names[i], code, sizeof code);
		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		if (!(f = fopen(file, "rb"))) {
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
			rc = -1;
			break;
		}
		text = malloc(PO_FILE_MAX + 1);
		if (text)
			len = fread(text, 1, PO_FILE_MAX + 1, f);
		if (!text || ferror(f)) {
			snprintf(err, errlen, "%s: %s", file, text ? "read error" : "out of memory");
			rc = -1;
		} else if (len > PO_FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %u MiB", file, PO_FILE_MAX >> 20);
			rc = -1;
		} else {
			rc = add_file(code, text, len, file, err, errlen);
		}
		fclose(f);
		free(text);
	}
	goto done;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
	rc = -1;
done:
	if (dp)
		closedir(dp);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int i18n_load(const char *dir, const char *languages, char *err, size_t errlen)
{
	int rc;

	ensure();
	free_all();
	rc = load_builtin(err, errlen);
	if (rc == 0 && dir)
		rc = load_dir(dir, err, errlen);
	if (rc) {
		/* the built-in languages alone, as before the call */
		char ignore[512];
		free_all();
		load_builtin(ignore, sizeof ignore);
	}
	if (order(languages) && rc == 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	return rc;
}

const char *const *i18n_languages(void)
{
	static const char *const none[] = {SOURCE_LANG, NULL};

	ensure();
	return codes && codes[0] ? codes : none;
}

const char *i18n_default(void)
{
	return i18n_languages()[0];
}

const char *i18n_known(const char *s, size_t n)
{
	const char *const *l = i18n_languages();

	for (int i = 0; l[i]; i++)
		if (strlen(l[i]) == n && strncasecmp(s, l[i], n) == 0)
			return l[i];
	return NULL;
}

/* cookie_lang finds lang=xx among the cookies. */
static const char *cookie_lang(const char *cookie)
{
	for (const char *p = cookie; p && (p = strstr(p, "lang=")); p += 5) {
		if (p == cookie || p[-1] == ' ' || p[-1] == ';') {
			const char *v = p + 5;
			size_t n = strcspn(v, "; ");
			return i18n_known(v, n);
		}
	}
	return NULL;
}

/* qvalue reads ";q=0.8" (RFC 9110 12.4.2) after a language range, in
 * thousandths; 1000 when absent, -1 when malformed. */
static int qvalue(const char *p, const char *end)
{
	int q = 0, scale = 100;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 1000;
	if (*p++ != ';')
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return -1;
	p += 2;
	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.') {
		for (p++; p < end && isdigit((unsigned char)*p) && scale; p++, scale /= 10)
			q += (*p - '0') * scale;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && q <= 1000 ? q : -1;
}

const char *i18n_pick(const char *arg, const char *cookie, const char *accept_language)
{
	const char *l, *best = NULL, *p;
	int best_q = 0;

	if (arg && (l = i18n_known(arg, strlen(arg))))
		return l;
	if ((l = cookie_lang(cookie)))
		return l;
	/* Accept-Language: the acceptable language with the highest q-value,
	 * the first listed among equals; "en-GB" is served by "en" */
	for (p = accept_language; p && *p;) {
		const char *end = p + strcspn(p, ","), *semi;
		size_t n;
		int q;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(end - p));
		n = strcspn(p, ";, \t");
		if (n > (size_t)(end - p))
			n = (size_t)(end - p);
		q = qvalue(p + n, end);
		if (q > best_q) {
			l = n == 1 && *p == '*' ? i18n_default() : i18n_known(p, n);
			if (!l && memchr(p, '-', n))
				l = i18n_known(p, (size_t)((const char *)memchr(p, '-', n) - p));
			if (l) {
				best = l;
				best_q = q;
			}
		}
		(void)semi;
		p = *end ? end + 1 : end;
	}
	return best ? best : i18n_default();
}

/* entry finds the entry serving m in lang, falling back as the file says. */
static const struct po_entry *entry(const char *lang, enum msg m, const struct po_file **po)
{
	const char *chain[3] = {lang, i18n_default(), SOURCE_LANG};
	const struct lang *l;

	ensure();
	if ((unsigned)m >= MSG_COUNT)
		return NULL;
	for (int i = 0; i < 3; i++) {
		if (chain[i] && (l = find(chain[i])) && l->msg[m]) {
			*po = l->msg_po[m];
			return l->msg[m];
		}
	}
	return NULL;
}

static const char *last_resort(const char *lang, enum msg m)
{
	if ((unsigned)m >= MSG_COUNT)
		return "?";
	if (legacy[m][0])
		return lang && strcmp(lang, "en") == 0 ? legacy[m][1] : legacy[m][0];
	return msg_keys[m];
}

const char *T(const struct req *rq, enum msg m)
{
	const struct po_file *po;
	const struct po_entry *e = entry(rq ? rq->lang : NULL, m, &po);

	if (e)
		return e->str[0];
	return last_resort(rq ? rq->lang : NULL, m);
}

const char *TN(const struct req *rq, enum msg m, unsigned long n)
{
	const struct po_file *po;
	const struct po_entry *e = entry(rq ? rq->lang : NULL, m, &po);
	int form;

	if (!e)
		return last_resort(rq ? rq->lang : NULL, m);
	if (!e->id_plural)
		return e->str[0];
	form = po_plural_form(po, n);
	return form < e->nstr ? e->str[form] : e->str[0];
}

void i18n_number(const struct req *rq, unsigned long long n, char *out, size_t size)
{
	const char *sep = T(rq, MSG_NUM_THOUSANDS);
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", n);
	size_t seplen = strlen(sep), o = 0;

	/* "-" in the file means no separator (a language may want none) */
	if (strcmp(sep, "-") == 0)
		seplen = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			if (o + seplen + 1 >= size)
				break;
			memcpy(out + o, sep, seplen);
			o += seplen;
		}
		if (o + 2 > size)
			break;
		out[o++] = digits[i];
	}
	if (size)
		out[o < size ? o : size - 1] = '\0';
}

void i18n_count(const struct req *rq, enum msg m, unsigned long n, char *out, size_t size)
{
	const char *t = TN(rq, m, n), *at = strstr(t, "{n}");
	char num[40];

	i18n_number(rq, n, num, sizeof num);
	if (at)
		snprintf(out, size, "%.*s%s%s", (int)(at - t), t, num, at + 3);
	else
		snprintf(out, size, "%s", t);
}

static const char *term_in(const char *lang, const char *value)
{
	const struct lang *l = lang ? find(lang) : NULL;

	for (size_t t = 0; l && t < l->nterms; t++)
		if (strcmp(l->terms[t].value, value) == 0)
			return l->terms[t].e->str[0];
	return NULL;
}

static const char *term(const struct req *rq, const char *value)
{
	const char *lang = rq ? rq->lang : NULL, *s;

	ensure();
	if ((s = term_in(lang, value)) || (s = term_in(i18n_default(), value)) ||
	    (s = term_in(SOURCE_LANG, value)))
		return s;
	for (size_t i = 0; legacy_terms[i].key; i++)
		if (strcmp(legacy_terms[i].key, value) == 0)
			return legacy_terms[i].text[lang && strcmp(lang, "en") == 0];
	return NULL;
}

const char *i18n_term(const struct req *rq, const char *value)
{
	const char *s = value ? term(rq, value) : NULL;

	return s ? s : value;
}

const char *i18n_plural(const struct req *rq, const char *type)
{
	char key[24];
	int n = snprintf(key, sizeof key, "%ss", type);
	const char *s;

	if (n < 0 || (size_t)n >= sizeof key)
		return type;
	s = term(rq, key);
	return s ? s : type;
}

const char *i18n_lang_name(const char *code)
{
	/* each language in its own words, as language menus show them */
	static const struct {
		const char *code, *name;
	} names[] = {
		{"es", "Español"}, {"en", "English"}, {"qu", "Runasimi"}, {"ay", "Aymar aru"},
		{"gn", "Avañe'ẽ"}, {"pt", "Português"}, {"fr", "Français"}, {"de", "Deutsch"},
		{"it", "Italiano"},
	};
	const struct lang *l;

	ensure();
	if (code && (l = find(code)) && l->msg[MSG_LANG_NAME])
		return l->msg[MSG_LANG_NAME]->str[0];
	for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].code, code) == 0)
			return names[i].name;
	return code;
}

int i18n_check(struct buf *out)
{
	const struct lang *src;
	int problems = 0;

	ensure();
	src = find(SOURCE_LANG);
	for (int m = 0; m < MSG_COUNT; m++)
		if (legacy[m][0]) {
			buf_printf(out, "i18n.def: %s is still in the old form: run tools/i18n-from-def.py\n",
				   msg_keys[m]);
			problems++;
		}
	for (size_t i = 0; legacy_terms[i].key; i++) {
		buf_printf(out, "i18n.def: term %s is still in the old form: run tools/i18n-from-def.py\n",
			   legacy_terms[i].key);
		problems++;
	}
	for (const char *const *c = i18n_languages(); *c; c++) {
		const struct lang *l = find(*c);
		int missing = 0;

		if (!l)
			continue;
		for (int m = 0; m < MSG_COUNT; m++) {
			if (legacy[m][0])
				continue;
			if (!l->msg[m]) {
				buf_printf(out, "%s: %s untranslated (shown in %s)\n", l->code, msg_keys[m],
					   strcmp(l->code, i18n_default()) ? i18n_default() : SOURCE_LANG);
				missing++;
			} else if (src && src->msg[m] && src->msg[m]->id_plural && !l->msg[m]->id_plural) {
				buf_printf(out, "%s: %s should be a plural message (msgid_plural)\n",
					   l->code, msg_keys[m]);
				missing++;
			}
		}
		for (size_t t = 0; src && t < src->nterms; t++)
			if (!term_in(l->code, src->terms[t].value)) {
				buf_printf(out, "%s: term %s untranslated\n", l->code, src->terms[t].value);
				missing++;
			}
		for (int f = 0; f < l->npo; f++)
			for (size_t i = 0; i < l->po[f].n; i++) {
				const struct po_entry *e = &l->po[f].entries[i];
				if (is_key(e->ctxt) && key_index(e->ctxt) < 0) {
					buf_printf(out, "%s:%d: %s is no key of this program\n", l->where[f],
						   e->line, e->ctxt);
					missing++;
				}
			}
		buf_printf(out, "%s: %s, %d problem%s (%s)\n", l->code, missing ? "incomplete" : "complete",
			   missing, missing == 1 ? "" : "s", l->where[0]);
		problems += missing;
	}
	return problems;
}
