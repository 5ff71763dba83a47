/* range.c: Range header parsing (see range.h). */
#include "range.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* number reads 1*DIGIT; false on no digit or overflow. */
static bool number(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*out = v;
	return true;
}

static void ows(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

enum range_result range_parse(const char *header, uint64_t size, struct range_set *set)
{
	uint64_t lo[RANGE_MAX_SPECS], hi[RANGE_MAX_SPECS];
	int n = 0;
	const char *p = header;
	bool ascending = true;

	set->n = 0;
	if (!p)
		return RANGE_NONE;
	ows(&p);
	if (strncmp(p, "bytes", 5) != 0)
		return RANGE_NONE;
	p += 5;
	ows(&p);
	if (*p++ != '=')
		return RANGE_NONE;
	/* RFC 9110 5.6.1: a list may have empty elements anywhere (first,
	 * between, last), and its recipients must ignore them; at least one
	 * element must be a range-spec (range-set = 1#range-spec). */
	int specs = 0;
	for (;;) {
		uint64_t a = 0, b;
		bool suffix = false;

		ows(&p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			break;
		if (*p == '-') {
			p++;
			if (!number(&p, &b))
				return RANGE_NONE;
			suffix = true;
		} else {
			if (!number(&p, &a) || *p++ != '-')
				return RANGE_NONE;
			if (*p >= '0' && *p <= '9') {
				if (!number(&p, &b) || b < a)
					return RANGE_NONE;	/* invalid: ignore the header */
			} else {
				b = UINT64_MAX;
			}
		}
		if (specs++ == RANGE_MAX_SPECS)
			return RANGE_NONE;
		if (suffix) {
			if (b > 0 && size > 0) {
				lo[n] = b >= size ? 0 : size - b;
				hi[n] = size - 1;
				n++;
			}
		} else if (a < size) {
			lo[n] = a;
			hi[n] = b >= size ? size - 1 : b;
			n++;
		}
		if (n > 1 && lo[n - 1] < lo[n - 2])
			ascending = false;
		ows(&p);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return RANGE_NONE;
	}
	if (specs == 0)
		return RANGE_NONE;	/* "bytes=" or "bytes=,,": no range at all */
	if (n == 0)
		return RANGE_UNSATISFIABLE;
	if (!ascending) {
		/* out of order: only worth answering if it is all one range */
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && lo[j] < lo[j - 1]; j--) {
				uint64_t t = lo[j]; lo[j] = lo[j - 1]; lo[j - 1] = t;
				t = hi[j]; hi[j] = hi[j - 1]; hi[j - 1] = t;
			}
	}
	/* merge overlapping and adjacent ranges, now in ascending order */
	set->first[0] = lo[0];
	set->last[0] = hi[0];
	set->n = 1;
	for (int i = 1; i < n; i++) {
		uint64_t *last = &set->last[set->n - 1];
		if (lo[i] <= *last + 1) {
			if (hi[i] > *last)
				*last = hi[i];
		} else {
			set->first[set->n] = lo[i];
			set->last[set->n] = hi[i];
			set->n++;
		}
	}
	if (set->n == 1)
		return RANGE_ONE;
	if (!ascending) {
		set->n = 0;
		return RANGE_NONE;
	}
	return RANGE_MANY;
}

int range_multipart(const struct range_set *set, uint64_t size, const char *mime,
		    const char *boundary, struct range_multipart *out)
{
	out->n = set->n;
	out->length = 0;
	for (int i = 0; i < set->n; i++) {
		int len = snprintf(out->head[i], RANGE_HEAD_MAX,
				   "%s--%s\r\n%s%s%sContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
				   i ? "\r\n" : "", boundary, mime ? "Content-Type: " : "",
				   mime ? mime : "", mime ? "\r\n" : "",
				   (unsigned long long)set->first[i], (unsigned long long)set->last[i],
				   (unsigned long long)size);
		if (len < 0 || len >= RANGE_HEAD_MAX)
			return -1;
		out->head_len[i] = (size_t)len;
		out->first[i] = set->first[i];
		out->last[i] = set->last[i];
		out->length += (uint64_t)len + set->last[i] - set->first[i] + 1;
	}
	out->tail_len = (size_t)snprintf(out->tail, sizeof out->tail, "\r\n--%s--\r\n", boundary);
	out->length += out->tail_len;
	return 0;
}
