/* multipart.c: a strict, streaming multipart/form-data reader (see
 * multipart.h). A state machine over the bytes: the only thing kept
 * between pieces is how much of the delimiter was matched and the
 * current part's head, so memory does not grow with the body. */
#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/str.h"

static int fail(struct multipart *m, const char *why)
{
	m->state = MP_FAILED;
	if (!m->why)
		m->why = why;
	return ERR_INVALID;
}

/* bchar: the characters RFC 2046 allows in a boundary (space too, but not last). */
static bool bchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

int multipart_init(struct multipart *m, const char *content_type, const struct multipart_cb *cb)
{
	const char *p, *b;
	size_t n = 0;
	bool quoted;

	memset(m, 0, sizeof *m);
	m->cb = *cb;
	m->state = MP_START;
	if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0 ||
	    (content_type[19] && content_type[19] != ';' && content_type[19] != ' '))
		return fail(m, "the form must be sent as multipart/form-data");
	for (p = content_type + 19; *p; p++) {
		if (strncasecmp(p, "boundary=", 9) == 0 && (p[-1] == ';' || p[-1] == ' '))
			break;
	}
	if (!*p)
		return fail(m, "multipart/form-data without a boundary");
	b = p + 9;
	quoted = *b == '"';
	if (quoted)
		b++;
	while (b[n] && (quoted ? b[n] != '"' : b[n] != ';' && b[n] != ' '))
		n++;
	if (quoted && b[n] != '"')
		return fail(m, "an unterminated quoted boundary");
	if (n == 0 || n > MULTIPART_BOUNDARY_MAX || b[n - 1] == ' ')
		return fail(m, "a boundary of 1 to 70 characters, not ending in a space, is needed");
	for (size_t i = 0; i < n; i++)
		if (!bchar(b[i]))
			return fail(m, "the boundary holds a character RFC 2046 does not allow");
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, b, n);
	m->dlen = n + 4;
	/* the body's first delimiter has no CRLF before it */
	m->match = 2;
	return 0;
}

/* param: the value of parameter name (name="value") in a header's
 * parameters, copied into out; false when absent. Quotes are required
 * for the value, and it may not hold a quote, CR or LF (browsers send
 * those as %22, %0D, %0A). */
static int param(const char *params, const char *name, char *out, size_t n, bool *found)
{
	size_t nl = strlen(name);
	const char *p = params;

	*found = false;
	while ((p = strchr(p, ';'))) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1, *e;
			if (*v != '"')
				return -1;
			e = strchr(v + 1, '"');
			if (!e || (size_t)(e - v - 1) >= n)
				return -1;
			memcpy(out, v + 1, (size_t)(e - v - 1));
			out[e - v - 1] = '\0';
			*found = true;
			return 0;
		}
	}
	return 0;
}

/* head_done parses the current part's head and calls the part callback. */
static int head_done(struct multipart *m)
{
	struct multipart_part pt;
	bool disposition = false, found;
	char *line = m->head, *next;

	memset(&pt, 0, sizeof pt);
	m->head[m->hlen] = '\0';
	for (; *line; line = next) {
		char *colon, *v;

		next = strstr(line, "\r\n");
		if (!next)
			return fail(m, "a part's head line does not end with CRLF");
		*next = '\0';
		next += 2;
		for (char *c = line; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\t')
				return fail(m, "a control character in a part's head");
		colon = strchr(line, ':');
		if (!colon)
			return fail(m, "a part's head line is no header");
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strcasecmp(line, "Content-Disposition") == 0) {
			if (disposition)
				return fail(m, "a part has two Content-Disposition headers");
			disposition = true;
			if (strncasecmp(v, "form-data", 9) != 0 || (v[9] && v[9] != ';'))
				return fail(m, "a part's Content-Disposition is not form-data");
			if (param(v + 9, "name", pt.name, sizeof pt.name, &found) || !found ||
			    !pt.name[0])
				return fail(m, "a part has no name, or a malformed one");
			if (param(v + 9, "filename", pt.filename, sizeof pt.filename,
				  &pt.has_filename))
				return fail(m, "a part's filename is malformed or too long");
		} else if (strcasecmp(line, "Content-Type") == 0) {
			if (strlen(v) >= sizeof pt.type)
				return fail(m, "a part's Content-Type is too long");
			memcpy(pt.type, v, strlen(v) + 1);
		}
		/* other headers (Content-Transfer-Encoding is deprecated) are left */
	}
	if (!disposition)
		return fail(m, "a part has no Content-Disposition");
	if (!str_utf8_valid(pt.name, strlen(pt.name)) ||
	    !str_utf8_valid(pt.filename, strlen(pt.filename)))
		return fail(m, "a part's name or filename is not UTF-8");
	return m->cb.part ? m->cb.part(m->cb.arg, &pt) : 0;
}

int multipart_feed(struct multipart *m, const char *data, size_t n)
{
	size_t i = 0;
	int rc;

	if (m->state == MP_FAILED)
		return ERR_INVALID;
	while (i < n) {
		char c = data[i];

		switch (m->state) {
		case MP_START:
			/* the first delimiter, from its "--" */
			if (c != m->delim[m->match])
				return fail(m, "the body does not begin with its boundary");
			i++;
			if (++m->match == m->dlen) {
				m->match = 0;
				m->state = MP_AFTER_DELIM;
			}
			break;
		case MP_AFTER_DELIM:
			/* CRLF (a part follows) or "--" (the end) */
			if (c != '\r' && c != '-')
				return fail(m, "a boundary is followed by neither CRLF nor --");
			m->last = c;
			m->state = MP_AFTER_DELIM2;
			i++;
			break;
		case MP_AFTER_DELIM2:
			if (m->last == '\r' && c == '\n') {
				m->state = MP_HEAD;
				m->hlen = 0;
			} else if (m->last == '-' && c == '-') {
				m->state = MP_CLOSE;
			} else {
				return fail(m, "a boundary is followed by neither CRLF nor --");
			}
			i++;
			break;
		case MP_HEAD:
			if (m->hlen == MULTIPART_HEAD_MAX)
				return fail(m, "a part's head is longer than 4096 bytes");
			m->head[m->hlen++] = c;
			i++;
			if (m->hlen == 2 && memcmp(m->head, "\r\n", 2) == 0)
				return fail(m, "a part without a Content-Disposition");
			if (m->hlen >= 4 && memcmp(m->head + m->hlen - 4, "\r\n\r\n", 4) == 0) {
				m->hlen -= 2;	/* keep the last line's CRLF */
				if ((rc = head_done(m)))
					return m->state = MP_FAILED, rc;
				m->state = MP_BODY;
				m->match = 0;
			}
			break;
		case MP_BODY:
			/* the part's bytes up to the next CRLF "--" boundary: a run
			 * without a CR goes out at once */
			if (m->match == 0) {
				const char *cr = memchr(data + i, '\r', n - i);
				size_t run = cr ? (size_t)(cr - (data + i)) : n - i;
				if (run) {
					if (m->cb.data && (rc = m->cb.data(m->cb.arg, data + i, run)))
						return m->state = MP_FAILED, rc;
					i += run;
					break;
				}
			}
			if (c == m->delim[m->match]) {
				i++;
				if (++m->match == m->dlen) {
					m->match = 0;
					if (m->cb.end && (rc = m->cb.end(m->cb.arg)))
						return m->state = MP_FAILED, rc;
					m->state = MP_AFTER_DELIM;
				}
			} else {
				/* what matched was data after all; the delimiter's only
				 * CR is its first byte, so matching starts again at
				 * this byte (match > 0 here: a byte that is no CR went
				 * out with its run above) */
				if (m->cb.data && (rc = m->cb.data(m->cb.arg, m->delim, m->match)))
					return m->state = MP_FAILED, rc;
				m->match = 0;
			}
			break;
		case MP_CLOSE:
			/* after the last delimiter: at most a CRLF */
			if (c != '\r')
				return fail(m, "something follows the body's last boundary");
			m->state = MP_CLOSE2;
			i++;
			break;
		case MP_CLOSE2:
			if (c != '\n')
				return fail(m, "something follows the body's last boundary");
			m->state = MP_DONE;
			i++;
			break;
		case MP_DONE:
			return fail(m, "something follows the body's last boundary");
		case MP_FAILED:
			return ERR_INVALID;
		}
	}
	return 0;
}

int multipart_finish(struct multipart *m)
{
	if (m->state == MP_CLOSE || m->state == MP_DONE)
		return 0;
	if (m->state == MP_FAILED)
		return ERR_INVALID;
	return fail(m, "the body ended before its last boundary");
}
