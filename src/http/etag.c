/* etag.c: If-None-Match lists (see etag.h). */
#include "etag.h"

#include <stddef.h>
#include <string.h>

static void ows(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* opaque reads one entity-tag at *p: an optional W/, then DQUOTE *etagc
 * DQUOTE, etagc being %x21 / %x23-7E / obs-text. Sets *tag and *len to
 * the characters between the quotes and moves *p past the tag; false if
 * there is no well-formed tag at *p. */
static bool opaque(const char **p, const char **tag, size_t *len)
{
	const char *s = *p, *start;

	if (s[0] == 'W' && s[1] == '/')
		s += 2;
	if (*s++ != '"')
		return false;
	start = s;
	for (; *s && *s != '"'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x21 || c == 0x7f)
			return false;
	}
	if (*s != '"')
		return false;
	*tag = start;
	*len = (size_t)(s - start);
	*p = s + 1;
	return true;
}

bool etag_none_match_hit(const char *if_none_match, const char *etag)
{
	const char *p = if_none_match, *want, *tag;
	size_t wlen, len;
	bool hit = false, any = false;

	if (!p || !etag || !opaque(&etag, &want, &wlen))
		return false;
	ows(&p);
	if (*p == '*') {
		p++;
		ows(&p);
		return *p == '\0';
	}
	for (;;) {
		ows(&p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			break;
		if (!opaque(&p, &tag, &len))
			return false;
		any = true;
		if (len == wlen && memcmp(tag, want, len) == 0)
			hit = true;
		ows(&p);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return false;
	}
	return any && hit;
}
