/* range.c: Range header parsing (see range.h). */
#include "range.h"

#include <stdbool.h>
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

enum range_result range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last)
{
	uint64_t lo[RANGE_MAX_SPECS], hi[RANGE_MAX_SPECS];
	int n = 0, fits = 0;
	const char *p = header;

	if (!p)
		return RANGE_NONE;
	ows(&p);
	if (strncmp(p, "bytes", 5) != 0)
		return RANGE_NONE;
	p += 5;
	ows(&p);
	if (*p++ != '=')
		return RANGE_NONE;
	for (;;) {
		uint64_t a, b;
		bool suffix = false;

		ows(&p);
		if (*p == ',') {	/* empty list elements are allowed */
			p++;
			continue;
		}
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
		if (n == RANGE_MAX_SPECS)
			return RANGE_NONE;
		if (suffix) {
			if (b > 0 && size > 0) {
				lo[n] = b >= size ? 0 : size - b;
				hi[n] = size - 1;
				n++, fits++;
			}
		} else if (a < size) {
			lo[n] = a;
			hi[n] = b >= size ? size - 1 : b;
			n++, fits++;
		}
		ows(&p);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return RANGE_NONE;
	}
	if (fits == 0)
		return RANGE_UNSATISFIABLE;
	/* merge: sort by start (n is small) and join overlapping/adjacent */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && lo[j] < lo[j - 1]; j--) {
			uint64_t t = lo[j]; lo[j] = lo[j - 1]; lo[j - 1] = t;
			t = hi[j]; hi[j] = hi[j - 1]; hi[j - 1] = t;
		}
	*first = lo[0];
	*last = hi[0];
	for (int i = 1; i < n; i++) {
		if (lo[i] > *last + 1)
			return RANGE_NONE;	/* disjoint ranges: send the whole body */
		if (hi[i] > *last)
			*last = hi[i];
	}
	return RANGE_ONE;
}
