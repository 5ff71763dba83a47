/* xml.h: the escaping XML writer of the interop formats (OAI-PMH, Dublin
 * Core, PBCore).
 *
 * As html.h does for pages, escaping is the default: text and attribute
 * values go through xml_text(), and markup only through xml_raw(), which
 * the compiler holds to string literals. Catalogue strings are UTF-8
 * without control characters (the import refuses others); a character
 * XML 1.0 cannot carry at all is written as U+FFFD rather than breaking
 * the document. */
#ifndef CINEMATECA_XML_H
#define CINEMATECA_XML_H

#include "core/buf.h"

/* xml_text appends s (NULL as "") escaped for element content and
 * attribute values. Returns 0, or the buffer's error (the buffer is then
 * freed, as every buf append). */
int xml_text(struct buf *b, const char *s);

/* xml_raw appends markup; only string literals may be passed. */
#define xml_raw(b, lit) buf_append((b), "" lit, sizeof(lit) - 1)

/* xml_elem appends <name>escaped text</name> for a literal name, nothing
 * when text is NULL or empty. Returns 0 or the buffer's error. */
#define xml_elem(b, name, text) xml_elem_((b), "<" name ">", "</" name ">", (text))
int xml_elem_(struct buf *b, const char *open, const char *close, const char *text);

#endif
