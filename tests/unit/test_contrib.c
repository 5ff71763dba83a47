/* test_contrib.c: the parsers of what a contributor types (moments as
 * mm:ss, regions as x,y,w,h) and the policy of contributions: who reads
 * one in which state and consent, who moderates, who contributes, and
 * what a keeper reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "access/policy.h"
#include "catalog/contrib.h"

static void parse_time(void **state)
{
	static const struct {
		const char *in;
		long long ms;
	} t[] = {
		{"0", 0}, {"133", 133000}, {"2:13", 133000}, {"02:13", 133000}, {"0:00", 0},
		{"59:59", 3599000}, {"1:02:13", 3733000}, {"2:13.5", 133500}, {"2:13.25", 133250},
		{"2:13.125", 133125}, {"100:00:00", 360000000}, {"360000", 360000000},
		{"120:00", 7200000},
		/* malformed, negative or too far */
		{"", -1}, {"-1", -1}, {"-0:05", -1}, {"+5", -1}, {" 5", -1}, {"5 ", -1}, {"1 05", -1},
		{"1:60", -1}, {"1:5", -1}, {"1:005", -1}, {"1:60:00", -1}, {"1:00:60", -1},
		{"1:2:3:4", -1}, {":30", -1}, {"30:", -1}, {"2:13.", -1}, {"2:13.1234", -1},
		{".5", -1}, {"1e3", -1}, {"0x10", -1}, {"100:00:01", -1}, {"360001", -1},
		{"9999999999", -1}, {"abc", -1}, {"2:13s", -1}, {"١٢", -1},
	};

	(void)state;
	assert_int_equal(contrib_parse_time(NULL), -1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (contrib_parse_time(t[i].in) != t[i].ms)
			fail_msg("\"%s\": %lld, expected %lld", t[i].in, contrib_parse_time(t[i].in),
				 t[i].ms);
}

static void parse_xywh(void **state)
{
	static const struct {
		const char *in;
		int ok;
		long long v[4];
	} t[] = {
		{"0,0,1,1", 1, {0, 0, 1, 1}}, {"120,80,200,150", 1, {120, 80, 200, 150}},
		{"1000000,1000000,1000000,1000000", 1, {1000000, 1000000, 1000000, 1000000}},
		{"007,0,3,4", 1, {7, 0, 3, 4}},
		{"", 0, {0}}, {"1,2,3", 0, {0}}, {"1,2,3,4,5", 0, {0}}, {"-1,0,1,1", 0, {0}},
		{"0,0,0,1", 0, {0}}, {"0,0,1,0", 0, {0}}, {"1000001,0,1,1", 0, {0}},
		{"0,0,1,10000000", 0, {0}}, {"a,b,c,d", 0, {0}}, {"1, 2,3,4", 0, {0}},
		{"1,2,3,4 ", 0, {0}}, {"1.5,2,3,4", 0, {0}}, {"pixel:1,2,3,4", 0, {0}},
		{"percent:1,2,3,4", 0, {0}}, {",,,", 0, {0}}, {"1,,3,4", 0, {0}},
	};
	long long out[4];

	(void)state;
	assert_int_equal(contrib_parse_xywh(NULL, out), -1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int rc = contrib_parse_xywh(t[i].in, out);
		if ((rc == 0) != t[i].ok)
			fail_msg("\"%s\": %d, expected %s", t[i].in, rc, t[i].ok ? "ok" : "refused");
		if (t[i].ok)
			for (int k = 0; k < 4; k++)
				assert_int_equal(out[k], t[i].v[k]);
	}
}

static void make(struct principal *p, enum role role, long long id)
{
	memset(p, 0, sizeof *p);
	p->role = role;
	p->user_id = id;
	snprintf(p->today, sizeof p->today, "2026-01-01");
}

/* Who reads a contribution of account 7, by state and consent, when its
 * records are readable: a letter per (state, consent) in the order
 * pending/public pending/community published/public published/community
 * hidden/public hidden/community. */
static void read_contrib(void **state)
{
	static const struct {
		enum role role;
		long long id;
		bool steward;
		const char *want;
	} t[] = {
		{ROLE_ANONYMOUS, 0, false, "NNYNNN"},
		{ROLE_VIEWER, 9, false, "NNYNNN"},
		{ROLE_COMMUNITY, 9, false, "NNYYNN"},
		{ROLE_COMMUNITY, 7, false, "YYYYYY"},	/* the author */
		{ROLE_VIEWER, 7, false, "YYYYYY"},	/* the author, now a viewer */
		{ROLE_KEEPER, 9, false, "NNYYNN"},	/* a keeper of other records */
		{ROLE_KEEPER, 9, true, "YYYYYY"},	/* its records' keeper */
		{ROLE_ARCHIVIST, 9, false, "YYYYYY"},
		{ROLE_ADMIN, 9, false, "YYYYYY"},
		{ROLE_ANONYMOUS, 0, true, "NNYNNN"},	/* steward means nothing to others */
		{ROLE_INVALID, 9, false, "NNYNNN"},
	};
	static const char *const states[] = {"pending", "published", "hidden"};
	static const char *const consents[] = {"public", "community"};
	struct principal p;

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		make(&p, t[i].role, t[i].id);
		for (int s = 0; s < 3; s++)
			for (int c = 0; c < 2; c++) {
				bool want = t[i].want[s * 2 + c] == 'Y';
				if (policy_can_read_contrib(&p, true, states[s], consents[c], 7,
							    t[i].steward) != want)
					fail_msg("row %zu (%s): %s/%s should be %s", i,
						 policy_role_name(t[i].role), states[s], consents[c],
						 want ? "readable" : "unreadable");
				/* a record one may not read hides it from everyone */
				assert_false(policy_can_read_contrib(&p, false, states[s], consents[c],
								     7, t[i].steward));
			}
		/* unknown words fail closed: as pending, and as community */
		assert_int_equal(policy_can_read_contrib(&p, true, "Published", "public", 7, false),
				 policy_can_read_contrib(&p, true, "pending", "public", 7, false));
		assert_int_equal(policy_can_read_contrib(&p, true, "published", "everyone", 7, false),
				 policy_can_read_contrib(&p, true, "published", "community", 7, false));
		assert_int_equal(policy_can_read_contrib(&p, true, NULL, NULL, 7, false),
				 policy_can_read_contrib(&p, true, "pending", "community", 7, false));
	}
	/* an author account since removed (0) is nobody's */
	make(&p, ROLE_ANONYMOUS, 0);
	assert_false(policy_can_read_contrib(&p, true, "pending", "public", 0, false));
}

static void moderate_contribute(void **state)
{
	struct principal p;

	(void)state;
	for (enum role r = ROLE_ANONYMOUS; r <= ROLE_INVALID; r++) {
		make(&p, r, r == ROLE_ANONYMOUS ? 0 : 5);
		assert_int_equal(policy_can_moderate(&p, false), r == ROLE_ARCHIVIST || r == ROLE_ADMIN);
		assert_int_equal(policy_can_moderate(&p, true),
				 r == ROLE_KEEPER || r == ROLE_ARCHIVIST || r == ROLE_ADMIN);
		assert_int_equal(policy_can_moderate_some(&p),
				 r == ROLE_KEEPER || r == ROLE_ARCHIVIST || r == ROLE_ADMIN);
		assert_int_equal(policy_can_contribute(&p), r == ROLE_COMMUNITY || r == ROLE_KEEPER ||
				 r == ROLE_ARCHIVIST || r == ROLE_ADMIN);
		assert_false(policy_can_edit(&p) && r == ROLE_KEEPER);
	}
	/* a session with no account contributes nothing, whatever its role says */
	make(&p, ROLE_COMMUNITY, 0);
	assert_false(policy_can_contribute(&p));
}

/* A keeper reads what a community member reads, and no more. */
static void keeper_reads(void **state)
{
	struct principal k, c;
	static const char *const levels[] = {"public", "registered", "community", "private", "bogus"};

	(void)state;
	make(&k, ROLE_KEEPER, 5);
	make(&c, ROLE_COMMUNITY, 6);
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		assert_int_equal(policy_can_read(&k, "r", levels[i], NULL, NULL),
				 policy_can_read(&c, "r", levels[i], NULL, NULL));
	assert_false(policy_can_read(&k, "r", "private", NULL, NULL));
	assert_true(policy_can_read(&k, "r", "community", NULL, NULL));
	assert_int_equal(policy_role("keeper"), ROLE_KEEPER);
	assert_string_equal(policy_role_name(ROLE_KEEPER), "keeper");
}

static void vocabularies(void **state)
{
	(void)state;
	assert_true(contrib_in(contrib_motivations, "identifying"));
	assert_false(contrib_in(contrib_motivations, "liking"));
	assert_false(contrib_in(contrib_motivations, NULL));
	assert_true(contrib_in(contrib_states, "hidden"));
	assert_false(contrib_in(contrib_states, "withdrawn"));	/* withdrawn: deleted, a tombstone */
	for (int p = CP_OK; p < CP_COUNT; p++)
		assert_true(strlen(contrib_problem_text((enum contrib_problem)p)) > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_time),
		cmocka_unit_test(parse_xywh),
		cmocka_unit_test(read_contrib),
		cmocka_unit_test(moderate_contribute),
		cmocka_unit_test(keeper_reads),
		cmocka_unit_test(vocabularies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
