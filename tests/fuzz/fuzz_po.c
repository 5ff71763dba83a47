/* fuzz_po.c: libFuzzer target for the PO reader and the Plural-Forms
 * evaluator, which take translators' files from an archive's po/. Checks:
 * no crash, leak or endless loop; a refusal names "f.po:LINE: "; what it
 * accepts has a msgstr for every entry (nplurals of them for a plural
 * one), valid UTF-8 strings, and a plural form below nplurals for every n
 * tried. The first byte, when odd, sends the rest to the evaluator as an
 * expression instead. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/po.h"

static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int more = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc2 ? 1 : -1;
		if (more < 0)
			return 0;
		for (p++; more-- > 0; p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct po_file po;
	char err[512];

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		char *expr = malloc(size);
		unsigned long v;

		if (!expr)
			return 0;
		memcpy(expr, data + 1, size - 1);
		expr[size - 1] = '\0';
		for (unsigned long n = 0; n < 30; n++)
			po_plural_eval(expr, n * 7, &v, err, sizeof err);
		free(expr);
		return 0;
	}
	if (po_parse((const char *)data + 1, size - 1, "f.po", &po, err, sizeof err)) {
		if (strncmp(err, "f.po:", 5) != 0)
			abort();
		return 0;
	}
	if (po.nplurals < 1 || po.nplurals > PO_MAX_PLURALS || !utf8_ok(po.header))
		abort();
	for (size_t i = 0; i < po.n; i++) {
		const struct po_entry *e = &po.entries[i];
		if (!e->id || !utf8_ok(e->id) || e->nstr < 1 ||
		    (e->id_plural && e->nstr != po.nplurals) || (!e->id_plural && e->nstr != 1))
			abort();
		for (int k = 0; k < e->nstr; k++)
			if (!e->str[k] || !utf8_ok(e->str[k]))
				abort();
	}
	for (unsigned long n = 0; n < 2000; n += 13)
		if (po_plural_form(&po, n) >= po.nplurals)
			abort();
	po_free(&po);
	return 0;
}
