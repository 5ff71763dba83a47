/* req.c: request helpers (see req.h). */
#include "req.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "catalog/archive.h"
#include "core/err.h"
#include "core/str.h"

const char *req_arg(const struct req *rq, const char *name)
{
	for (int i = 0; i < rq->nargs; i++)
		if (strcmp(rq->args[i].name, name) == 0)
			return rq->args[i].value;
	return NULL;
}

const char *req_form(const struct req *rq, const char *name)
{
	for (int i = 0; i < rq->nform; i++)
		if (strcmp(rq->form[i].name, name) == 0)
			return rq->form[i].value;
	return NULL;
}

/* decode unescapes src[0..n) ('+' is a space) into dst; returns the
 * length, or -1 for a broken escape, %00, or a control character other
 * than tab, newline and carriage return (textareas send those). */
static long decode(const char *src, size_t n, char *dst)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (i + 2 >= n || (hi = str_hexval(src[i + 1])) < 0 || (lo = str_hexval(src[i + 2])) < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return -1;
		dst[w++] = (char)c;
	}
	dst[w] = '\0';
	return (long)w;
}

int req_parse_form(struct req *rq, const char *body, size_t len)
{
	char *out;
	size_t i = 0, w = 0;

	rq->nform = 0;
	free(rq->form_buf);
	rq->form_buf = out = malloc(len + 1 + REQ_MAX_FORM * 2);
	if (!out)
		return ERR_NOMEM;
	while (i < len) {
		size_t end = i, eq;
		long kn, vn;

		while (end < len && body[end] != '&')
			end++;
		if (end == i) {	/* "&&": nothing between */
			i++;
			continue;
		}
		if (rq->nform == REQ_MAX_FORM)
			return ERR_INVALID;
		for (eq = i; eq < end && body[eq] != '='; eq++)
			;
		kn = decode(body + i, eq - i, out + w);
		if (kn < 0 || !str_utf8_valid(out + w, (size_t)kn))
			return ERR_INVALID;
		rq->form[rq->nform].name = out + w;
		w += (size_t)kn + 1;
		vn = eq < end ? decode(body + eq + 1, end - eq - 1, out + w) : 0;
		if (eq >= end)
			out[w] = '\0';
		if (vn < 0 || !str_utf8_valid(out + w, (size_t)vn))
			return ERR_INVALID;
		rq->form[rq->nform].value = out + w;
		w += (size_t)vn + 1;
		rq->nform++;
		i = end + 1;
	}
	return 0;
}

bool req_cookie(const struct req *rq, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);

	for (const char *p = rq->cookie; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t len = strcspn(p, ";");
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t vl = len - nl - 1;
			while (vl > 0 && p[nl + vl] == ' ')
				vl--;
			if (vl + 1 > n)
				return false;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

bool req_secure(const struct req *rq)
{
	return (rq->forwarded_proto && str_eq_nocase(rq->forwarded_proto, "https")) ||
	       (rq->archive && strncmp(rq->archive->base_url, "https://", 8) == 0);
}

/* host_valid: a host name, IPv4 or [IPv6] address, and an optional port:
 * nothing that could break out of a URL or the markup it goes into */
static bool host_valid(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 255)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
			return false;
	}
	return true;
}

int req_base_url(const struct req *rq, char *out, size_t n)
{
	const char *base = rq->archive ? rq->archive->base_url : "";
	size_t len;
	int w;

	if (*base)
		w = snprintf(out, n, "%s", base);
	else if (rq->host && host_valid(rq->host))
		w = snprintf(out, n, "%s://%s", req_secure(rq) ? "https" : "http", rq->host);
	else
		return ERR_INVALID;
	if (w < 0 || (size_t)w >= n)
		return ERR_TOOBIG;
	len = (size_t)w;
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
	return 0;
}

int req_redirect(struct req *rq, const char *location)
{
	req_header(rq, "Location", location);
	rq->status = 303;
	return 303;
}

int req_header(struct req *rq, const char *name, const char *value)
{
	char *v;

	if (rq->nheaders == REQ_MAX_HEADERS)
		return ERR_TOOBIG;
	v = strdup(value);
	if (!v)
		return ERR_NOMEM;
	rq->headers[rq->nheaders].name = name;
	rq->headers[rq->nheaders].value = v;
	rq->nheaders++;
	return 0;
}

int req_header_set(struct req *rq, const char *name, const char *value)
{
	for (int i = 0; i < rq->nheaders; i++) {
		if (str_eq_nocase(rq->headers[i].name, name)) {
			char *v = strdup(value);
			if (!v)
				return ERR_NOMEM;
			free(rq->headers[i].value);
			rq->headers[i].name = name;
			rq->headers[i].value = v;
			return 0;
		}
	}
	return req_header(rq, name, value);
}

bool req_has_header(const struct req *rq, const char *name)
{
	for (int i = 0; i < rq->nheaders; i++)
		if (str_eq_nocase(rq->headers[i].name, name))
			return true;
	return false;
}

int req_fail(struct req *rq, int status, const char *detail)
{
	rq->status = status;
	rq->error_detail = detail;
	return status;
}

int req_failf(struct req *rq, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rq->detail_buf, sizeof rq->detail_buf, fmt, ap);
	va_end(ap);
	return req_fail(rq, status, rq->detail_buf);
}

const char *req_header_in(const struct req *rq, const char *name)
{
	return rq->header_in ? rq->header_in(rq->conn, name) : NULL;
}

void req_free(struct req *rq)
{
	if (rq->has_file) {
		close(rq->file_fd);	/* not handed to the server */
		rq->has_file = 0;
	}
	free(rq->multipart);	/* NULL once handed to the server */
	rq->multipart = NULL;
	free(rq->form_buf);
	rq->form_buf = NULL;
	rq->nform = 0;
	auth_release(&rq->principal);
	buf_free(&rq->body);
	for (int i = 0; i < rq->nheaders; i++)
		free(rq->headers[i].value);
	rq->nheaders = 0;
}
