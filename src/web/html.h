/* html.h: the HTML writer. Escaping is the default.
 *
 * html_printf's format string must be a literal (the macro refuses
 * anything else at compile time), so markup can only come from the
 * program's own text; every %s argument is escaped for text and quoted
 * attribute values alike. Conversions: %s (escaped text), %u (escaped for
 * a URL query component, i.e. percent-encoded), %p (a URL path: the same
 * but '/' stays), %d %ld %lld %zu (numbers),
 * %% (a percent sign). Nothing else is accepted: an unknown conversion
 * writes nothing and makes the buffer fail with ERR_INVALID.
 * All functions return 0 or the buffer's sticky ERR_*. */
#ifndef CINEMATECA_HTML_H
#define CINEMATECA_HTML_H

#include <stdarg.h>
#include <stddef.h>

struct buf;

int html_printf_(struct buf *b, const char *fmt, ...);
int html_vprintf_(struct buf *b, const char *fmt, va_list ap);
#define html_printf(b, fmt, ...) html_printf_((b), "" fmt "", ##__VA_ARGS__)

/* html_raw appends markup; only string literals compile. */
int html_raw_(struct buf *b, const char *lit);
#define html_raw(b, lit) html_raw_((b), "" lit "")

/* html_text appends s escaped (& < > " ' become entities). */
int html_text(struct buf *b, const char *s);

/* html_textn appends the first n bytes of s escaped. */
int html_textn(struct buf *b, const char *s, size_t n);

/* html_url_arg appends s percent-encoded for a URL query component
 * (unreserved characters stay, everything else is %XX). */
int html_url_arg(struct buf *b, const char *s);

/* html_url_path appends s percent-encoded for a URL path ('/' stays). */
int html_url_path(struct buf *b, const char *s);

/* html_script_json appends JSON text for a data block (<script
 * type="application/...json">), which the HTML parser does not unescape:
 * '<', '>' and '&' (JSON has them only inside strings) become \u escapes,
 * so nothing in it can end the element ("</script") or start markup the
 * parser reads there ("<!--"). */
int html_script_json(struct buf *b, const char *json);

/* html_snippet appends a search snippet escaped, turning the \x01 and \x02
 * markers around matched words into <mark> and </mark> (balanced even if
 * the markers are not). */
int html_snippet(struct buf *b, const char *s);

/* html_paragraphs appends text escaped, one <p> per blank-line-separated
 * paragraph, single newlines as <br>. */
int html_paragraphs(struct buf *b, const char *s);

#endif
