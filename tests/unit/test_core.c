/* test_core.c: buffers, strings, slugs, dates, UUIDv7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"

static void buf_appends_and_caps(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%d", 42), 0);
	assert_string_equal(buf_str(&b), "abc42");
	assert_int_equal(b.len, 5);
	/* passing the cap frees the buffer and the error sticks */
	assert_int_equal(buf_puts(&b, "6789"), ERR_TOOBIG);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_puts(&b, "x"), ERR_TOOBIG);
	buf_reset(&b);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_string_equal(buf_str(&b), "12345678");
	buf_free(&b);
}

static void buf_grows_large(void **state)
{
	struct buf b;
	char chunk[1000];

	(void)state;
	memset(chunk, 'x', sizeof chunk);
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_append(&b, chunk, sizeof chunk), 0);
	assert_int_equal(b.len, 1000000);
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

static void utf8_validation(void **state)
{
	static const struct { const char *s; int ok; } cases[] = {
		{"plain", 1}, {"Doña", 1}, {"日本", 1}, {"\xf0\x9f\x8e\xac", 1},
		{"\xc3", 0},			/* truncated */
		{"\xc0\xaf", 0},		/* overlong / */
		{"\xed\xa0\x80", 0},		/* surrogate */
		{"\xf4\x90\x80\x80", 0},	/* past U+10FFFF */
		{"\xff", 0}, {"a\x80", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(str_utf8_valid(cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

static void slugs(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{"Doña Helena Palliri", "dona-helena-palliri"},
		{"To Be a Miner's Wife and to Wait", "to-be-a-miner-s-wife-and-to-wait"},
		{"  Potosí  ", "potosi"},
		{"Líber Forti", "liber-forti"},
		{"Ça ŒUVRE Ærø straße", "ca-oeuvre-aero-strasse"},
		{"<script>alert(1)</script>", "script-alert-1-script"},
		{"Łódź", "lodz"},
		{"Ōsaka Świnoujście Ńa Ŕ Ţ Ũ Ŷ Ź", "osaka-swinoujscie-na-r-t-u-y-z"},	/* capitals past U+0142 */
		{"1983", "1983"},
		{"日本", ""},
		{"---", ""},
		{"Timișoara, Țara", "timisoara-tara"},
		{"Việt Nam: Đường phố", "viet-nam-duong-pho"},
		{"Nǚ Hóng", "nu-hong"},
		{"Ŵyn ẞ", "wyn-ss"},
		{"Don\u0303a Helena", "dona-helena"},	/* decomposed: n + combining tilde */
		{"\xe6\x9d", ""},			/* a sequence cut short */
		{"a\xe6\x9d" "b", "a-b"},
		{"🎬 Cine", "cine"},
	};
	char out[SLUG_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		str_slugify(cases[i].in, out);
		assert_string_equal(out, cases[i].out);
		if (*out)
			assert_true(str_slug_valid(out));
	}
}

static void slug_cut_at_word(void **state)
{
	char in[400], out[SLUG_MAX + 1];

	(void)state;
	for (int i = 0; i < 40; i++)
		memcpy(in + 8 * i, "palabra ", 8);
	in[320] = '\0';
	str_slugify(in, out);
	assert_true(strlen(out) <= SLUG_MAX);
	assert_true(str_slug_valid(out));
	assert_int_equal(strlen(out) % 8, 7);	/* whole "palabra" words only */
}

/* slug_worker slugifies one text of Latin Extended-A letters again and
 * again and counts the results that are not its own. */
struct slug_job {
	const char *in, *want;
	int wrong;
};

static void *slug_worker(void *arg)
{
	struct slug_job *j = arg;
	char out[SLUG_MAX + 1];

	for (int i = 0; i < 200000; i++) {
		str_slugify(j->in, out);
		if (strcmp(out, j->want) != 0)
			j->wrong++;
	}
	return NULL;
}

/* Server threads slugify at once (the editor does): each must get its
 * own letters. The folding of a letter went through one static buffer,
 * so one thread's "ą" came out as another's "ć". */
static void slug_threads_share_nothing(void **state)
{
	struct slug_job jobs[4] = {
		{"\u0105\u0105\u0105\u0105\u0105\u0105\u0105\u0105", "aaaaaaaa", 0},
		{"\u0107\u0107\u0107\u0107\u0107\u0107\u0107\u0107", "cccccccc", 0},
		{"\u0119\u0119\u0119\u0119\u0119\u0119\u0119\u0119", "eeeeeeee", 0},
		{"\u0142\u0142\u0142\u0142\u0142\u0142\u0142\u0142", "llllllll", 0},
	};
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, slug_worker, &jobs[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(jobs[i].wrong, 0);
}

static void slug_validation(void **state)
{
	(void)state;
	assert_true(str_slug_valid("a"));
	assert_true(str_slug_valid("dona-helena-palliri"));
	assert_false(str_slug_valid(""));
	assert_false(str_slug_valid("-a"));
	assert_false(str_slug_valid("a-"));
	assert_false(str_slug_valid("a--b"));
	assert_false(str_slug_valid("A"));
	assert_false(str_slug_valid("a/b"));
	assert_false(str_slug_valid(".."));
	assert_false(str_slug_valid("ñ"));
	char long_slug[SLUG_MAX + 2];
	memset(long_slug, 'a', SLUG_MAX + 1);
	long_slug[SLUG_MAX + 1] = '\0';
	assert_false(str_slug_valid(long_slug));
	long_slug[SLUG_MAX] = '\0';
	assert_true(str_slug_valid(long_slug));
}

static void dates(void **state)
{
	static const struct { const char *s; int ok; } cases[] = {
		{"1983", 1}, {"1963-12", 1}, {"2016-08-26", 1}, {"2000-02-29", 1},
		{"1900-02-29", 0}, {"2016-02-29", 1}, {"2015-02-29", 0}, {"1983-13", 0},
		{"1983-00", 0}, {"1983-04-31", 0}, {"198", 0}, {"19833", 0}, {"1983-1-1", 0},
		{"1983/01/01", 0}, {"", 0}, {"abcd", 0}, {"1983-01-01T00", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(str_date_valid(cases[i].s), cases[i].ok);
}

static void langs_and_numbers(void **state)
{
	unsigned long long v;

	(void)state;
	assert_true(str_lang_valid("es"));
	assert_true(str_lang_valid("qu"));
	assert_true(str_lang_valid("es-BO"));
	assert_true(str_lang_valid("ayc"));
	assert_false(str_lang_valid("e"));
	assert_false(str_lang_valid("spanish"));
	assert_false(str_lang_valid("es_BO"));
	assert_false(str_lang_valid("es-"));
	assert_true(str_parse_u64("42", 100, &v));
	assert_int_equal(v, 42);
	assert_false(str_parse_u64("101", 100, &v));
	assert_false(str_parse_u64("-1", 100, &v));
	assert_false(str_parse_u64("1a", 100, &v));
	assert_false(str_parse_u64("", 100, &v));
	assert_false(str_parse_u64("99999999999999999999999", UINT64_MAX, &v));
	assert_true(str_eq_nocase("GeT", "get"));
}

static void uuid_v7_shape_and_order(void **state)
{
	char a[UUID_STR_LEN + 1], b[UUID_STR_LEN + 1];

	(void)state;
	uuid_v7_at(a, 0x0190a1b2c3d4ULL);
	assert_true(uuid_valid(a));
	assert_memory_equal(a, "0190a1b2-c3d4-7", 15);	/* time, then version 7 */
	assert_true(strchr("89ab", a[19]) != NULL);	/* RFC 9562 variant */
	/* many ids in the same millisecond still increase */
	for (int i = 0; i < 5000; i++) {
		uuid_v7_at(b, 0x0190a1b2c3d4ULL);
		assert_true(uuid_valid(b));
		assert_true(strcmp(b, a) > 0);
		memcpy(a, b, sizeof a);
	}
	uuid_v7(b);
	assert_true(strcmp(b, a) > 0);	/* now is later than 2024 */
	assert_false(uuid_valid("0190a1b2-c3d4-7000-8000-00000000000"));
	assert_false(uuid_valid("0190a1b2xc3d4-7000-8000-000000000000"));
	assert_false(uuid_valid("g190a1b2-c3d4-7000-8000-000000000000"));
}

/* an estimated total: two significant digits */
static void about_totals(void **state)
{
	static const long long cases[][2] = {
		{0, 0}, {7, 7}, {99, 99}, {101, 100}, {1234, 1200}, {870123, 870000},
		{875000, 880000}, {1390006, 1400000}, {-5, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(str_round2(cases[i][0]), cases[i][1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_appends_and_caps),
		cmocka_unit_test(buf_grows_large),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(slugs),
		cmocka_unit_test(slug_cut_at_word),
		cmocka_unit_test(slug_threads_share_nothing),
		cmocka_unit_test(slug_validation),
		cmocka_unit_test(dates),
		cmocka_unit_test(langs_and_numbers),
		cmocka_unit_test(uuid_v7_shape_and_order),
		cmocka_unit_test(about_totals),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
