/* po.h: a strict reader of gettext PO files (the interface strings, one
 * file per language: po/LANG.po), and the evaluator of their Plural-Forms
 * expression. The files come from translators and from the archive
 * folder, so they are outside input: every error names file:line and why,
 * and nothing here depends on anything but libc (the build's key
 * generator links this file alone). */
#ifndef CINEMATECA_PO_H
#define CINEMATECA_PO_H

#include <stdbool.h>
#include <stddef.h>

#define PO_MAX_PLURALS 8	/* nplurals above this is refused (no language has more than 6) */

/* One message: msgctxt (NULL when absent), msgid, msgid_plural (NULL when
 * absent) and its translations (one, or nplurals for a plural message). */
struct po_entry {
	char *ctxt;		/* msgctxt, NULL if none */
	char *id;		/* msgid */
	char *id_plural;	/* msgid_plural, NULL if the message is not plural */
	char *str[PO_MAX_PLURALS];	/* msgstr or msgstr[0..nstr-1] */
	int nstr;		/* how many of str are set */
	int line;		/* line of the entry's first keyword */
};

struct po_file {
	struct po_entry *entries;	/* the non-fuzzy, non-obsolete messages, in file order,
					 * without the header */
	size_t n;		/* how many */
	char *header;		/* the header's msgstr ("" when there is none) */
	int nplurals;		/* from Plural-Forms (2 when absent) */
	char *plural;		/* its plural= expression ("n != 1" when absent) */
	size_t fuzzy;		/* fuzzy entries skipped */
};

/* po_parse reads a PO file's text (len bytes, need not be NUL-terminated)
 * into *out. name is the file's name for messages. Returns 0, or -1 with
 * "NAME:LINE: reason" in err (*out is then empty, nothing to free).
 * Refuses what msgfmt --check refuses that this project depends on: bad
 * escapes, unterminated strings, a msgid without msgstr, msgstr[N] out of
 * order or not matching nplurals, duplicate messages, a charset other than
 * UTF-8, invalid UTF-8, a bad Plural-Forms. On success the caller frees
 * with po_free. */
int po_parse(const char *text, size_t len, const char *name, struct po_file *out,
	     char *err, size_t errlen);

/* po_free releases what po_parse allocated; safe on a zeroed po_file. */
void po_free(struct po_file *po);

/* po_plural_eval evaluates a Plural-Forms expression (C syntax: n,
 * decimal numbers, ! * / % + - < > <= >= == != && || ?: and parentheses)
 * for n. Returns 0 with the value in *out, or -1 if the expression is
 * malformed or divides by zero (why in err, which may be NULL). */
int po_plural_eval(const char *expr, unsigned long n, unsigned long *out, char *err,
		   size_t errlen);

/* po_plural_form returns the index of the translation to use for n: the
 * expression's value, or 0 when it fails or is out of range (po_parse has
 * already refused expressions that do either for n up to 1000). */
int po_plural_form(const struct po_file *po, unsigned long n);

#endif
