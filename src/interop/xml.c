/* xml.c: XML text escaping (see xml.h). */
#include "interop/xml.h"

#include <string.h>

int xml_text(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;

	for (; *p; p++) {
		const char *rep;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\t': case '\n': case '\r': continue;
		default:
			if (*p == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				/* U+FFFE and U+FFFF: UTF-8, but no XML character */
				buf_append(b, run, (size_t)(p - run));
				buf_puts(b, "\xEF\xBF\xBD");
				p += 2;
				run = p + 1;
				continue;
			}
			if (*p >= 0x20)
				continue;
			rep = "\xEF\xBF\xBD";	/* no XML 1.0 document may hold it */
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, rep);
		run = p + 1;
	}
	return buf_append(b, run, (size_t)(p - run));
}

int xml_elem_(struct buf *b, const char *open, const char *close, const char *text)
{
	if (!text || !*text)
		return b->err;
	buf_puts(b, open);
	xml_text(b, text);
	return buf_puts(b, close);
}
