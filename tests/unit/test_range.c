/* test_range.c: Range headers, with the examples of RFC 9110 section
 * 14.1.2 for a 10000-byte representation, and the hostile ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/range.h"

static void cases(void **state)
{
	static const struct {
		const char *h;
		uint64_t size;
		enum range_result want;
		uint64_t first, last;
	} t[] = {
		/* RFC 9110 14.1.2 */
		{"bytes=0-499", 10000, RANGE_ONE, 0, 499},
		{"bytes=500-999", 10000, RANGE_ONE, 500, 999},
		{"bytes=-500", 10000, RANGE_ONE, 9500, 9999},
		{"bytes=9500-", 10000, RANGE_ONE, 9500, 9999},
		{"bytes=0-0,-1", 10000, RANGE_NONE, 0, 0},	/* two ranges: whole body */
		{"bytes= 0-999, 4500-5499, -1000", 10000, RANGE_NONE, 0, 0},
		{"bytes=500-600,601-999", 10000, RANGE_ONE, 500, 999},	/* adjacent: merged */
		{"bytes=500-700,601-999", 10000, RANGE_ONE, 500, 999},	/* overlapping */
		/* clipping and unsatisfiable */
		{"bytes=9000-20000", 10000, RANGE_ONE, 9000, 9999},
		{"bytes=-20000", 10000, RANGE_ONE, 0, 9999},
		{"bytes=10000-", 10000, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=10000-10005", 10000, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=-0", 10000, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=0-", 0, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=20000-,30000-", 10000, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=20000-,0-9", 10000, RANGE_ONE, 0, 9},
		/* malformed: ignored */
		{"bytes=abc", 10000, RANGE_NONE, 0, 0},
		{"bytes=5-1", 10000, RANGE_NONE, 0, 0},
		{"bytes=", 10000, RANGE_NONE, 0, 0},
		{"bytes=-", 10000, RANGE_NONE, 0, 0},
		{"bytes=1-2-3", 10000, RANGE_NONE, 0, 0},
		{"items=0-5", 10000, RANGE_NONE, 0, 0},
		{"bytes=99999999999999999999999-", 10000, RANGE_NONE, 0, 0},
		{"bytes=0-99999999999999999999999", 10000, RANGE_NONE, 0, 0},
		{"bytes=18446744073709551615-", 10000, RANGE_UNSATISFIABLE, 0, 0},
		{"bytes=0-18446744073709551615", 10000, RANGE_ONE, 0, 9999},
		{"", 10000, RANGE_NONE, 0, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint64_t a = 0, b = 0;
		enum range_result r = range_parse(t[i].h, t[i].size, &a, &b);
		if (r != t[i].want || (r == RANGE_ONE && (a != t[i].first || b != t[i].last)))
			fail_msg("\"%s\" (size %llu): got %d %llu-%llu", t[i].h,
				 (unsigned long long)t[i].size, r, (unsigned long long)a,
				 (unsigned long long)b);
	}
	assert_int_equal(range_parse(NULL, 10, &(uint64_t){0}, &(uint64_t){0}), RANGE_NONE);
}

static void a_thousand_ranges(void **state)
{
	char h[8000] = "bytes=";
	size_t n = strlen(h);
	uint64_t a, b;

	(void)state;
	for (int i = 0; i < 1000 && n < sizeof h - 16; i++)
		n += (size_t)snprintf(h + n, sizeof h - n, "%d-%d,", i, i);
	assert_int_equal(range_parse(h, 1 << 20, &a, &b), RANGE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(a_thousand_ranges),
	};
	return cmocka_run_group_tests_name("range", tests, NULL, NULL);
}
