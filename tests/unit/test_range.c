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
		const char *ranges;	/* "first-last first-last ..." when ONE or MANY */
	} t[] = {
		/* RFC 9110 14.1.2 */
		{"bytes=0-499", 10000, RANGE_ONE, "0-499"},
		{"bytes=500-999", 10000, RANGE_ONE, "500-999"},
		{"bytes=-500", 10000, RANGE_ONE, "9500-9999"},
		{"bytes=9500-", 10000, RANGE_ONE, "9500-9999"},
		{"bytes=0-0,-1", 10000, RANGE_MANY, "0-0 9999-9999"},
		{"bytes= 0-999, 4500-5499, -1000", 10000, RANGE_MANY, "0-999 4500-5499 9000-9999"},
		{"bytes=500-600,601-999", 10000, RANGE_ONE, "500-999"},	/* adjacent: merged */
		{"bytes=500-700,601-999", 10000, RANGE_ONE, "500-999"},	/* overlapping */
		{"bytes=601-999,500-600", 10000, RANGE_ONE, "500-999"},	/* one, in any order */
		{"bytes=0-9,5-20,30-39", 10000, RANGE_MANY, "0-20 30-39"},
		{"bytes=0-9,,20-29", 10000, RANGE_MANY, "0-9 20-29"},
		/* RFC 9110 5.6.1: empty list elements anywhere are ignored */
		{"bytes=0-1,", 10000, RANGE_ONE, "0-1"},
		{"bytes=,,,0-1", 10000, RANGE_ONE, "0-1"},
		{"bytes=0-1, ,", 10000, RANGE_ONE, "0-1"},
		{"bytes=, 0-1 ,, 5-6 ,", 10000, RANGE_MANY, "0-1 5-6"},
		{"bytes=,", 10000, RANGE_NONE, ""},
		{"bytes= , ,", 10000, RANGE_NONE, ""},
		{"bytes=0-1,x", 10000, RANGE_NONE, ""},
		/* separate ranges out of order: the whole body */
		{"bytes=-1,0-0", 10000, RANGE_NONE, ""},
		{"bytes=30-39,0-9", 10000, RANGE_NONE, ""},
		/* clipping and unsatisfiable */
		{"bytes=9000-20000", 10000, RANGE_ONE, "9000-9999"},
		{"bytes=-20000", 10000, RANGE_ONE, "0-9999"},
		{"bytes=10000-", 10000, RANGE_UNSATISFIABLE, ""},
		{"bytes=10000-10005", 10000, RANGE_UNSATISFIABLE, ""},
		{"bytes=-0", 10000, RANGE_UNSATISFIABLE, ""},
		{"bytes=0-", 0, RANGE_UNSATISFIABLE, ""},
		{"bytes=20000-,30000-", 10000, RANGE_UNSATISFIABLE, ""},
		{"bytes=20000-,0-9", 10000, RANGE_ONE, "0-9"},
		{"bytes=0-9,20000-,20-29", 10000, RANGE_MANY, "0-9 20-29"},
		/* malformed: ignored */
		{"bytes=abc", 10000, RANGE_NONE, ""},
		{"bytes=5-1", 10000, RANGE_NONE, ""},
		{"bytes=0-9,5-1", 10000, RANGE_NONE, ""},
		{"bytes=", 10000, RANGE_NONE, ""},
		{"bytes=-", 10000, RANGE_NONE, ""},
		{"bytes=1-2-3", 10000, RANGE_NONE, ""},
		{"items=0-5", 10000, RANGE_NONE, ""},
		{"bytes=99999999999999999999999-", 10000, RANGE_NONE, ""},
		{"bytes=0-99999999999999999999999", 10000, RANGE_NONE, ""},
		{"bytes=18446744073709551615-", 10000, RANGE_UNSATISFIABLE, ""},
		{"bytes=0-18446744073709551615", 10000, RANGE_ONE, "0-9999"},
		{"", 10000, RANGE_NONE, ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct range_set set;
		char got[512] = "";
		size_t n = 0;
		enum range_result r = range_parse(t[i].h, t[i].size, &set);

		for (int k = 0; r != RANGE_NONE && r != RANGE_UNSATISFIABLE && k < set.n; k++)
			n += (size_t)snprintf(got + n, sizeof got - n, "%s%llu-%llu", k ? " " : "",
					      (unsigned long long)set.first[k],
					      (unsigned long long)set.last[k]);
		if (r != t[i].want || strcmp(got, t[i].ranges) != 0 ||
		    (r == RANGE_ONE && set.n != 1) || (r == RANGE_MANY && set.n < 2))
			fail_msg("\"%s\" (size %llu): got %d \"%s\"", t[i].h,
				 (unsigned long long)t[i].size, r, got);
	}
	assert_int_equal(range_parse(NULL, 10, &(struct range_set){0}), RANGE_NONE);
}

static void a_thousand_ranges(void **state)
{
	char h[8000] = "bytes=";
	size_t n = strlen(h);
	struct range_set set;

	(void)state;
	for (int i = 0; i < 1000 && n < sizeof h - 16; i++)
		n += (size_t)snprintf(h + n, sizeof h - n, "%d-%d,", i * 2, i * 2);
	assert_int_equal(range_parse(h, 1 << 20, &set), RANGE_NONE);
	/* sixteen are answered; seventeen are too many */
	assert_int_equal(range_parse("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,"
				     "20-20,22-22,24-24,26-26,28-28,30-30", 100, &set), RANGE_MANY);
	assert_int_equal(set.n, 16);
	assert_int_equal(range_parse("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,"
				     "20-20,22-22,24-24,26-26,28-28,30-30,32-32", 100, &set), RANGE_NONE);
}

/* The multipart body of RFC 9110's example, byte for byte. */
static void multipart_layout(void **state)
{
	struct range_set set;
	struct range_multipart m;
	static const char want0[] = "--THIS_STRING_SEPARATES\r\nContent-Type: video/example\r\n"
				    "Content-Range: bytes 500-999/8000\r\n\r\n";
	static const char want1[] = "\r\n--THIS_STRING_SEPARATES\r\nContent-Type: video/example\r\n"
				    "Content-Range: bytes 7000-7999/8000\r\n\r\n";
	static const char tail[] = "\r\n--THIS_STRING_SEPARATES--\r\n";

	(void)state;
	assert_int_equal(range_parse("bytes=500-999,7000-7999", 8000, &set), RANGE_MANY);
	assert_int_equal(range_multipart(&set, 8000, "video/example", "THIS_STRING_SEPARATES", &m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.head_len[0], strlen(want0));
	assert_memory_equal(m.head[0], want0, strlen(want0));
	assert_int_equal(m.head_len[1], strlen(want1));
	assert_memory_equal(m.head[1], want1, strlen(want1));
	assert_int_equal(m.tail_len, strlen(tail));
	assert_memory_equal(m.tail, tail, strlen(tail));
	assert_int_equal(m.length, strlen(want0) + 500 + strlen(want1) + 1000 + strlen(tail));
	/* a type too long for a part's header is refused, not cut */
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(range_multipart(&set, 8000, big, "B", &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(a_thousand_ranges),
		cmocka_unit_test(multipart_layout),
	};
	return cmocka_run_group_tests_name("range", tests, NULL, NULL);
}
