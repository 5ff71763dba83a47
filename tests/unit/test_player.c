/* test_player.c: the moments the player and search write and read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/str.h"
#include "web/player.h"

static void parse_t(void **state)
{
	static const struct {
		const char *in;
		long long ms;
	} t[] = {
		{"0", 0}, {"4", 4000}, {"192", 192000}, {"2.5", 2500}, {"2.50", 2500},
		{"2.125", 2125}, {"2.1259", 2125}, {"3:12", 192000}, {"0:04", 4000},
		{"1:02:03", 3723000}, {"0:00:07.250", 7250}, {"360000", 360000000},
		/* malformed or too far: ignored */
		{"", -1}, {"abc", -1}, {"-3", -1}, {"+3", -1}, {"1e3", -1}, {"1:99", -1},
		{"1:2:60", -1}, {"4::", -1}, {":4", -1}, {"1:2:3:4", -1}, {"2.", -1}, {".5", -1},
		{"2.5s", -1}, {"360001", -1}, {"99999999999", -1}, {"12345678", -1}, {" 4", -1},
	};

	(void)state;
	assert_int_equal(player_parse_t(NULL), -1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (player_parse_t(t[i].in) != t[i].ms)
			fail_msg("\"%s\": %lld, expected %lld", t[i].in, player_parse_t(t[i].in), t[i].ms);
}

static void clock(void **state)
{
	char out[16];

	(void)state;
	str_clock(0, out);
	assert_string_equal(out, "00:00");
	str_clock(-5, out);
	assert_string_equal(out, "00:00");
	str_clock(192999, out);
	assert_string_equal(out, "03:12");
	str_clock(3599999, out);
	assert_string_equal(out, "59:59");
	str_clock(3723000, out);
	assert_string_equal(out, "1:02:03");
	str_clock(360000000, out);
	assert_string_equal(out, "100:00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_t),
		cmocka_unit_test(clock),
	};
	return cmocka_run_group_tests_name("player", tests, NULL, NULL);
}
