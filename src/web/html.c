/* html.c: escaping HTML writer (see html.h). */
#include "html.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

int html_textn(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, ent);
		start = i + 1;
	}
	return buf_append(b, s + start, n - start);
}

int html_text(struct buf *b, const char *s)
{
	return html_textn(b, s ? s : "", s ? strlen(s) : 0);
}

/* url_encode percent-encodes everything but unreserved characters (and
 * '/' when keep_slash). */
static int url_encode(struct buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 3);
		}
	}
	return b->err;
}

int html_url_arg(struct buf *b, const char *s)
{
	return url_encode(b, s, 0);
}

int html_url_path(struct buf *b, const char *s)
{
	return url_encode(b, s, 1);
}

int html_raw_(struct buf *b, const char *lit)
{
	return buf_puts(b, lit);
}

int html_vprintf_(struct buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *pct;
	char num[32];

	while ((pct = strchr(p, '%'))) {
		buf_append(b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == 's') {
			html_text(b, va_arg(ap, const char *));
			p++;
		} else if (*p == 'u') {
			html_url_arg(b, va_arg(ap, const char *));
			p++;
		} else if (*p == 'p') {
			html_url_path(b, va_arg(ap, const char *));
			p++;
		} else if (*p == 'd') {
			snprintf(num, sizeof num, "%d", va_arg(ap, int));
			buf_puts(b, num);
			p++;
		} else if (p[0] == 'l' && p[1] == 'd') {
			snprintf(num, sizeof num, "%ld", va_arg(ap, long));
			buf_puts(b, num);
			p += 2;
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
			snprintf(num, sizeof num, "%lld", va_arg(ap, long long));
			buf_puts(b, num);
			p += 3;
		} else if (p[0] == 'z' && p[1] == 'u') {
			snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
			buf_puts(b, num);
			p += 2;
		} else if (*p == '%') {
			buf_putc(b, '%');
			p++;
		} else {
			buf_free(b);
			return b->err = ERR_INVALID;
		}
	}
	return buf_puts(b, p);
}

int html_printf_(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = html_vprintf_(b, fmt, ap);
	va_end(ap);
	return rc;
}

int html_snippet(struct buf *b, const char *s)
{
	bool open = false;
	const char *start = s;

	for (; *s; s++) {
		if (*s != '\x01' && *s != '\x02')
			continue;
		html_textn(b, start, (size_t)(s - start));
		start = s + 1;
		if (*s == '\x01' && !open) {
			buf_puts(b, "<mark>");
			open = true;
		} else if (*s == '\x02' && open) {
			buf_puts(b, "</mark>");
			open = false;
		}
	}
	html_textn(b, start, (size_t)(s - start));
	if (open)
		buf_puts(b, "</mark>");
	return b->err;
}

int html_paragraphs(struct buf *b, const char *s)
{
	const char *p = s ? s : "";

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);

		buf_puts(b, "<p>");
		for (size_t i = 0, start = 0; i <= n; i++) {
			if (i == n || p[i] == '\n') {
				html_textn(b, p + start, i - start);
				if (i < n)
					buf_puts(b, "<br>");
				start = i + 1;
			}
		}
		buf_puts(b, "</p>");
		p += n;
		while (*p == '\n' || *p == '\r')
			p++;
	}
	return b->err;
}

int html_script_json(struct buf *b, const char *json)
{
	for (const char *p = json; *p; p++) {
		if (*p == '<')
			buf_puts(b, "\\u003c");
		else if (*p == '>')
			buf_puts(b, "\\u003e");
		else if (*p == '&')
			buf_puts(b, "\\u0026");
		else
			buf_putc(b, *p);
	}
	return b->err;
}
