/* test_policy.c: the access policy (src/access/policy.h) as a table.
 *
 * policy_can_read() is the one function every surface asks, so it is tested
 * exhaustively: every role (anonymous, viewer, community, archivist, admin)
 * x every level (public, registered, community, private, and an unknown
 * string, which must read as private) x embargo (none, past, future, today,
 * which is open) x grant absent/present x screener none/for another
 * record/for this record. The expected answers are written out by hand,
 * one row per role, level and embargo; they are not computed from the rule.
 * Then parsing of levels and roles, the principals made by
 * policy_anonymous() and policy_superuser(), and editing rights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "access/policy.h"
#include "core/str.h"
#include "core/uuid.h"

#define TODAY "2024-06-15"		/* the principals' "today" in the table */
#define YESTERDAY "2024-06-14"
#define TOMORROW "2024-06-16"
#define PAST "2000-01-01"
#define FUTURE "2099-01-01"

/* The record asked about, and others that sort before and after it. */
#define REC "01900000-0000-7000-8000-000000000005"
#define OTHER_A "01900000-0000-7000-8000-000000000001"
#define OTHER_B "01900000-0000-7000-8000-000000000009"
#define OTHER_SCREENER "01900000-0000-7000-8000-000000000007"

/* Grants held when "absent": only other records (so the lookup really
 * searches). When "present": this record among others, sorted. */
static char grants_absent[][UUID_STR_LEN + 1] = {OTHER_A, OTHER_B};
static char grants_present[][UUID_STR_LEN + 1] = {OTHER_A, REC, OTHER_B};

enum emb { EMB_NONE, EMB_PAST, EMB_FUTURE, EMB_TODAY };
static const char *const emb_value[] = {NULL, PAST, FUTURE, TODAY};
static const char *const emb_name[] = {"none", "past", "future", "today"};

static const char *const role_label[] = {"anonymous", "viewer", "community", "archivist",
					 "admin"};

/* One row: who, which level, which embargo, and the six answers in the
 * order of the columns below, 'Y' may read, 'N' may not:
 *   no grant:  screener none, screener for another record, screener for this one
 *   grant:     screener none, screener for another record, screener for this one */
struct row {
	enum role role;
	const char *level;
	enum emb emb;
	const char *want;
};

#define ANON ROLE_ANONYMOUS
#define VIEW ROLE_VIEWER
#define COMM ROLE_COMMUNITY
#define ARCH ROLE_ARCHIVIST
#define ADMN ROLE_ADMIN

static const struct row table[] = {
	/* role  level          embargo      no grant / grant */
	/* public: everyone, whatever the embargo */
	{ANON, "public",     EMB_NONE,   "YYY" "YYY"},
	{VIEW, "public",     EMB_NONE,   "YYY" "YYY"},
	{COMM, "public",     EMB_NONE,   "YYY" "YYY"},
	{ARCH, "public",     EMB_NONE,   "YYY" "YYY"},
	{ADMN, "public",     EMB_NONE,   "YYY" "YYY"},
	{ANON, "public",     EMB_PAST,   "YYY" "YYY"},
	{VIEW, "public",     EMB_PAST,   "YYY" "YYY"},
	{COMM, "public",     EMB_PAST,   "YYY" "YYY"},
	{ARCH, "public",     EMB_PAST,   "YYY" "YYY"},
	{ADMN, "public",     EMB_PAST,   "YYY" "YYY"},
	{ANON, "public",     EMB_FUTURE, "YYY" "YYY"},
	{VIEW, "public",     EMB_FUTURE, "YYY" "YYY"},
	{COMM, "public",     EMB_FUTURE, "YYY" "YYY"},
	{ARCH, "public",     EMB_FUTURE, "YYY" "YYY"},
	{ADMN, "public",     EMB_FUTURE, "YYY" "YYY"},
	{ANON, "public",     EMB_TODAY,  "YYY" "YYY"},
	{VIEW, "public",     EMB_TODAY,  "YYY" "YYY"},
	{COMM, "public",     EMB_TODAY,  "YYY" "YYY"},
	{ARCH, "public",     EMB_TODAY,  "YYY" "YYY"},
	{ADMN, "public",     EMB_TODAY,  "YYY" "YYY"},

	/* registered: every account; nobody else without a grant or screener */
	{ANON, "registered", EMB_NONE,   "NNY" "YYY"},
	{VIEW, "registered", EMB_NONE,   "YYY" "YYY"},
	{COMM, "registered", EMB_NONE,   "YYY" "YYY"},
	{ARCH, "registered", EMB_NONE,   "YYY" "YYY"},
	{ADMN, "registered", EMB_NONE,   "YYY" "YYY"},
	{ANON, "registered", EMB_PAST,   "YYY" "YYY"},
	{VIEW, "registered", EMB_PAST,   "YYY" "YYY"},
	{COMM, "registered", EMB_PAST,   "YYY" "YYY"},
	{ARCH, "registered", EMB_PAST,   "YYY" "YYY"},
	{ADMN, "registered", EMB_PAST,   "YYY" "YYY"},
	{ANON, "registered", EMB_FUTURE, "NNY" "YYY"},
	{VIEW, "registered", EMB_FUTURE, "YYY" "YYY"},
	{COMM, "registered", EMB_FUTURE, "YYY" "YYY"},
	{ARCH, "registered", EMB_FUTURE, "YYY" "YYY"},
	{ADMN, "registered", EMB_FUTURE, "YYY" "YYY"},
	{ANON, "registered", EMB_TODAY,  "YYY" "YYY"},
	{VIEW, "registered", EMB_TODAY,  "YYY" "YYY"},
	{COMM, "registered", EMB_TODAY,  "YYY" "YYY"},
	{ARCH, "registered", EMB_TODAY,  "YYY" "YYY"},
	{ADMN, "registered", EMB_TODAY,  "YYY" "YYY"},

	/* community: community members, archivists, administrators */
	{ANON, "community",  EMB_NONE,   "NNY" "YYY"},
	{VIEW, "community",  EMB_NONE,   "NNY" "YYY"},
	{COMM, "community",  EMB_NONE,   "YYY" "YYY"},
	{ARCH, "community",  EMB_NONE,   "YYY" "YYY"},
	{ADMN, "community",  EMB_NONE,   "YYY" "YYY"},
	{ANON, "community",  EMB_PAST,   "YYY" "YYY"},
	{VIEW, "community",  EMB_PAST,   "YYY" "YYY"},
	{COMM, "community",  EMB_PAST,   "YYY" "YYY"},
	{ARCH, "community",  EMB_PAST,   "YYY" "YYY"},
	{ADMN, "community",  EMB_PAST,   "YYY" "YYY"},
	{ANON, "community",  EMB_FUTURE, "NNY" "YYY"},
	{VIEW, "community",  EMB_FUTURE, "NNY" "YYY"},
	{COMM, "community",  EMB_FUTURE, "YYY" "YYY"},
	{ARCH, "community",  EMB_FUTURE, "YYY" "YYY"},
	{ADMN, "community",  EMB_FUTURE, "YYY" "YYY"},
	{ANON, "community",  EMB_TODAY,  "YYY" "YYY"},
	{VIEW, "community",  EMB_TODAY,  "YYY" "YYY"},
	{COMM, "community",  EMB_TODAY,  "YYY" "YYY"},
	{ARCH, "community",  EMB_TODAY,  "YYY" "YYY"},
	{ADMN, "community",  EMB_TODAY,  "YYY" "YYY"},

	/* private: archivists and administrators, or a grant, or a screener */
	{ANON, "private",    EMB_NONE,   "NNY" "YYY"},
	{VIEW, "private",    EMB_NONE,   "NNY" "YYY"},
	{COMM, "private",    EMB_NONE,   "NNY" "YYY"},
	{ARCH, "private",    EMB_NONE,   "YYY" "YYY"},
	{ADMN, "private",    EMB_NONE,   "YYY" "YYY"},
	{ANON, "private",    EMB_PAST,   "YYY" "YYY"},
	{VIEW, "private",    EMB_PAST,   "YYY" "YYY"},
	{COMM, "private",    EMB_PAST,   "YYY" "YYY"},
	{ARCH, "private",    EMB_PAST,   "YYY" "YYY"},
	{ADMN, "private",    EMB_PAST,   "YYY" "YYY"},
	{ANON, "private",    EMB_FUTURE, "NNY" "YYY"},
	{VIEW, "private",    EMB_FUTURE, "NNY" "YYY"},
	{COMM, "private",    EMB_FUTURE, "NNY" "YYY"},
	{ARCH, "private",    EMB_FUTURE, "YYY" "YYY"},
	{ADMN, "private",    EMB_FUTURE, "YYY" "YYY"},
	{ANON, "private",    EMB_TODAY,  "YYY" "YYY"},
	{VIEW, "private",    EMB_TODAY,  "YYY" "YYY"},
	{COMM, "private",    EMB_TODAY,  "YYY" "YYY"},
	{ARCH, "private",    EMB_TODAY,  "YYY" "YYY"},
	{ADMN, "private",    EMB_TODAY,  "YYY" "YYY"},

	/* an unknown level reads as private (fail closed) */
	{ANON, "secret",     EMB_NONE,   "NNY" "YYY"},
	{VIEW, "secret",     EMB_NONE,   "NNY" "YYY"},
	{COMM, "secret",     EMB_NONE,   "NNY" "YYY"},
	{ARCH, "secret",     EMB_NONE,   "YYY" "YYY"},
	{ADMN, "secret",     EMB_NONE,   "YYY" "YYY"},
	{ANON, "secret",     EMB_PAST,   "YYY" "YYY"},
	{VIEW, "secret",     EMB_PAST,   "YYY" "YYY"},
	{COMM, "secret",     EMB_PAST,   "YYY" "YYY"},
	{ARCH, "secret",     EMB_PAST,   "YYY" "YYY"},
	{ADMN, "secret",     EMB_PAST,   "YYY" "YYY"},
	{ANON, "secret",     EMB_FUTURE, "NNY" "YYY"},
	{VIEW, "secret",     EMB_FUTURE, "NNY" "YYY"},
	{COMM, "secret",     EMB_FUTURE, "NNY" "YYY"},
	{ARCH, "secret",     EMB_FUTURE, "YYY" "YYY"},
	{ADMN, "secret",     EMB_FUTURE, "YYY" "YYY"},
	{ANON, "secret",     EMB_TODAY,  "YYY" "YYY"},
	{VIEW, "secret",     EMB_TODAY,  "YYY" "YYY"},
	{COMM, "secret",     EMB_TODAY,  "YYY" "YYY"},
	{ARCH, "secret",     EMB_TODAY,  "YYY" "YYY"},
	{ADMN, "secret",     EMB_TODAY,  "YYY" "YYY"},
};

/* make a principal of this role on TODAY, with or without a grant on REC
 * and with no screener (0), a screener for another work (1) or for REC (2). */
static void make(struct principal *p, enum role role, int grant, int screener)
{
	memset(p, 0, sizeof *p);
	p->role = role;
	p->user_id = role == ROLE_ANONYMOUS ? 0 : 42;
	snprintf(p->name, sizeof p->name, "%s", role == ROLE_ANONYMOUS ? "" : "someone");
	snprintf(p->today, sizeof p->today, "%s", TODAY);
	if (screener == 1)
		snprintf(p->screener_record, sizeof p->screener_record, "%s", OTHER_SCREENER);
	else if (screener == 2)
		snprintf(p->screener_record, sizeof p->screener_record, "%s", REC);
	if (role != ROLE_ANONYMOUS) {
		p->grants = grant ? grants_present : grants_absent;
		p->ngrants = grant ? 3 : 2;
	} else if (grant) {
		/* nobody holds no grants of their own; a struct with one still
		 * answers by it (the policy does not look at who holds it) */
		p->grants = grants_present;
		p->ngrants = 3;
	}
}

static void can_read_table(void **state)
{
	struct principal p;
	int failures = 0, checked = 0;

	(void)state;
	assert_int_equal(sizeof table / sizeof table[0], 5 * 5 * 4);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct row *r = &table[i];

		assert_int_equal(strlen(r->want), 6);
		for (int col = 0; col < 6; col++) {
			int grant = col / 3, screener = col % 3;
			bool want = r->want[col] == 'Y', got;

			make(&p, r->role, grant, screener);
			got = policy_can_read(&p, REC, r->level, emb_value[r->emb], NULL);
			checked++;
			if (got != want) {
				print_error("row %zu: %s reading %s (embargo %s), grant %s, "
					    "screener %s: got %s, expected %s\n",
					    i, role_label[r->role], r->level, emb_name[r->emb],
					    grant ? "present" : "absent",
					    screener == 0 ? "none" : screener == 1 ? "other" : "this",
					    got ? "yes" : "no", want ? "yes" : "no");
				failures++;
			}
		}
	}
	assert_int_equal(checked, 600);
	assert_int_equal(failures, 0);
}

/* An embargo is open on its own date and after it, closed before it; an
 * empty embargo string is no embargo. */
static void embargo_boundaries(void **state)
{
	struct principal p;

	(void)state;
	make(&p, ROLE_ANONYMOUS, 0, 0);
	assert_true(policy_can_read(&p, REC, "private", YESTERDAY, NULL));
	assert_true(policy_can_read(&p, REC, "private", TODAY, NULL));
	assert_false(policy_can_read(&p, REC, "private", TOMORROW, NULL));
	assert_false(policy_can_read(&p, REC, "private", "", NULL));
	assert_false(policy_can_read(&p, REC, "private", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "registered", TOMORROW, NULL));
	/* new year's eve and day */
	snprintf(p.today, sizeof p.today, "2024-12-31");
	assert_false(policy_can_read(&p, REC, "private", "2025-01-01", NULL));
	snprintf(p.today, sizeof p.today, "2025-01-01");
	assert_true(policy_can_read(&p, REC, "private", "2025-01-01", NULL));
	assert_true(policy_can_read(&p, REC, "private", "2024-12-31", NULL));
}

/* Levels that are not exactly one of the four names read as private. */
static void unknown_levels_are_private(void **state)
{
	static const char *const odd[] = {NULL, "", "PUBLIC", "Public", "public ", " public",
					  "publicx", "pub", "open", "registered\n", "0"};
	struct principal p;

	(void)state;
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		for (enum role r = ROLE_ANONYMOUS; r <= ROLE_COMMUNITY; r++) {
			make(&p, r, 0, 0);
			if (policy_can_read(&p, REC, odd[i], NULL, NULL))
				fail_msg("%s read a record of level \"%s\"", role_label[r],
					 odd[i] ? odd[i] : "(null)");
		}
		make(&p, ROLE_ARCHIVIST, 0, 0);
		assert_true(policy_can_read(&p, REC, odd[i], NULL, NULL));
		make(&p, ROLE_ADMIN, 0, 0);
		assert_true(policy_can_read(&p, REC, odd[i], NULL, NULL));
		make(&p, ROLE_VIEWER, 1, 0);	/* a grant still opens it */
		assert_true(policy_can_read(&p, REC, odd[i], NULL, NULL));
	}
}

/* A grant or a screener opens exactly its own record. */
static void grants_and_screeners_open_one_record(void **state)
{
	static char many[1000][UUID_STR_LEN + 1];
	struct principal p;
	char id[UUID_STR_LEN + 1];

	(void)state;
	make(&p, ROLE_VIEWER, 1, 0);
	assert_true(policy_can_read(&p, OTHER_A, "private", NULL, NULL));
	assert_true(policy_can_read(&p, OTHER_B, "private", NULL, NULL));
	assert_false(policy_can_read(&p, OTHER_SCREENER, "private", NULL, NULL));
	assert_false(policy_can_read(&p, "01900000-0000-7000-8000-000000000000", "private", NULL, NULL));

	make(&p, ROLE_ANONYMOUS, 0, 2);
	assert_true(policy_can_read(&p, REC, "private", NULL, NULL));
	assert_false(policy_can_read(&p, OTHER_A, "private", NULL, NULL));
	assert_false(policy_can_read(&p, OTHER_SCREENER, "private", NULL, NULL));
	assert_false(policy_can_read(&p, OTHER_A, "community", NULL, NULL));
	assert_false(policy_can_read(&p, OTHER_A, "registered", NULL, NULL));

	/* no grants at all */
	make(&p, ROLE_VIEWER, 0, 0);
	p.grants = NULL;
	p.ngrants = 0;
	assert_false(policy_can_read(&p, REC, "private", NULL, NULL));
	assert_true(policy_can_read(&p, REC, "registered", NULL, NULL));

	/* a long sorted list: each entry found, neighbours not */
	for (int i = 0; i < 1000; i++)
		snprintf(many[i], sizeof many[i], "01900000-0000-7000-8000-%012d", 2 * i + 2);
	p.grants = many;
	p.ngrants = 1000;
	for (int i = 0; i < 1000; i += 37) {
		snprintf(id, sizeof id, "01900000-0000-7000-8000-%012d", 2 * i + 2);
		assert_true(policy_can_read(&p, id, "private", NULL, NULL));
		snprintf(id, sizeof id, "01900000-0000-7000-8000-%012d", 2 * i + 1);
		assert_false(policy_can_read(&p, id, "private", NULL, NULL));
	}
	snprintf(id, sizeof id, "01900000-0000-7000-8000-%012d", 2000);
	assert_true(policy_can_read(&p, id, "private", NULL, NULL));	/* the last one */
	snprintf(id, sizeof id, "01900000-0000-7000-8000-%012d", 2001);
	assert_false(policy_can_read(&p, id, "private", NULL, NULL));
}

/* A principal whose role is not a known one reads like nobody. */
static void invalid_role_fails_closed(void **state)
{
	struct principal p;

	(void)state;
	make(&p, ROLE_INVALID, 0, 0);
	p.grants = NULL;
	p.ngrants = 0;
	assert_true(policy_can_read(&p, REC, "public", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "registered", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "community", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "private", NULL, NULL));
	assert_false(policy_can_edit(&p));
	assert_false(policy_can_admin(&p));
}

static void parses_levels(void **state)
{
	(void)state;
	assert_int_equal(policy_level("public"), LEVEL_PUBLIC);
	assert_int_equal(policy_level("registered"), LEVEL_REGISTERED);
	assert_int_equal(policy_level("community"), LEVEL_COMMUNITY);
	assert_int_equal(policy_level("private"), LEVEL_PRIVATE);
	assert_int_equal(policy_level(NULL), LEVEL_INVALID);
	assert_int_equal(policy_level(""), LEVEL_INVALID);
	assert_int_equal(policy_level("PUBLIC"), LEVEL_INVALID);
	assert_int_equal(policy_level("Private"), LEVEL_INVALID);
	assert_int_equal(policy_level("public "), LEVEL_INVALID);
	assert_int_equal(policy_level("pub"), LEVEL_INVALID);
	assert_int_equal(policy_level("publicity"), LEVEL_INVALID);
	assert_int_equal(policy_level("invalid"), LEVEL_INVALID);
	assert_string_equal(policy_level_name(LEVEL_PUBLIC), "public");
	assert_string_equal(policy_level_name(LEVEL_REGISTERED), "registered");
	assert_string_equal(policy_level_name(LEVEL_COMMUNITY), "community");
	assert_string_equal(policy_level_name(LEVEL_PRIVATE), "private");
	for (enum level l = LEVEL_PUBLIC; l < LEVEL_INVALID; l++)
		assert_int_equal(policy_level(policy_level_name(l)), l);
	/* most open first */
	assert_true(LEVEL_PUBLIC < LEVEL_REGISTERED && LEVEL_REGISTERED < LEVEL_COMMUNITY &&
		    LEVEL_COMMUNITY < LEVEL_PRIVATE);
}

static void parses_roles(void **state)
{
	(void)state;
	assert_int_equal(policy_role("admin"), ROLE_ADMIN);
	assert_int_equal(policy_role("archivist"), ROLE_ARCHIVIST);
	assert_int_equal(policy_role("community"), ROLE_COMMUNITY);
	assert_int_equal(policy_role("viewer"), ROLE_VIEWER);
	/* nobody is not a role an account can have */
	assert_int_equal(policy_role("anonymous"), ROLE_INVALID);
	assert_int_equal(policy_role(NULL), ROLE_INVALID);
	assert_int_equal(policy_role(""), ROLE_INVALID);
	assert_int_equal(policy_role("ADMIN"), ROLE_INVALID);
	assert_int_equal(policy_role("Admin"), ROLE_INVALID);
	assert_int_equal(policy_role("admin "), ROLE_INVALID);
	assert_int_equal(policy_role("root"), ROLE_INVALID);
	assert_int_equal(policy_role("view"), ROLE_INVALID);
	assert_string_equal(policy_role_name(ROLE_ADMIN), "admin");
	assert_string_equal(policy_role_name(ROLE_ARCHIVIST), "archivist");
	assert_string_equal(policy_role_name(ROLE_COMMUNITY), "community");
	assert_string_equal(policy_role_name(ROLE_VIEWER), "viewer");
	for (enum role r = ROLE_VIEWER; r < ROLE_INVALID; r++)
		assert_int_equal(policy_role(policy_role_name(r)), r);
}

/* policy_anonymous: nobody, no grants, no screener, today's date. */
static void anonymous_principal(void **state)
{
	struct principal p;
	char utc[11], local[11];
	time_t t;
	struct tm tm;

	(void)state;
	memset(&p, 0x5a, sizeof p);	/* garbage must be cleared */
	policy_anonymous(&p);
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(utc, sizeof utc, "%Y-%m-%d", &tm);
	localtime_r(&t, &tm);
	strftime(local, sizeof local, "%Y-%m-%d", &tm);

	assert_int_equal(p.role, ROLE_ANONYMOUS);
	assert_int_equal(p.user_id, 0);
	assert_string_equal(p.name, "");
	assert_string_equal(p.screener_record, "");
	assert_int_equal(p.ngrants, 0);
	assert_int_equal(strlen(p.today), 10);
	assert_true(str_date_valid(p.today));
	assert_true(strcmp(p.today, utc) == 0 || strcmp(p.today, local) == 0);

	assert_true(policy_can_read(&p, REC, "public", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "registered", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "community", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "private", NULL, NULL));
	assert_false(policy_can_read(&p, REC, "private", FUTURE, NULL));
	assert_true(policy_can_read(&p, REC, "private", PAST, NULL));
	assert_true(policy_can_read(&p, REC, "private", p.today, NULL));	/* opens today */
	assert_false(policy_can_edit(&p));
	assert_false(policy_can_admin(&p));
}

/* policy_superuser: the command line reads everything and may do anything. */
static void superuser_principal(void **state)
{
	struct principal p;

	(void)state;
	memset(&p, 0x5a, sizeof p);
	policy_superuser(&p);
	assert_int_equal(p.role, ROLE_ADMIN);
	assert_string_equal(p.screener_record, "");
	assert_int_equal(p.ngrants, 0);
	assert_true(str_date_valid(p.today));
	assert_true(policy_can_read(&p, REC, "private", FUTURE, NULL));
	assert_true(policy_can_read(&p, REC, "secret", NULL, NULL));
	assert_true(policy_can_read(&p, REC, NULL, NULL, NULL));
	assert_true(policy_can_read(&p, REC, "community", NULL, NULL));
	assert_true(policy_can_edit(&p));
	assert_true(policy_can_admin(&p));
}

static void edit_and_admin_rights(void **state)
{
	static const struct { enum role role; bool edit, admin; } rights[] = {
		{ROLE_ANONYMOUS, false, false},
		{ROLE_VIEWER, false, false},
		{ROLE_COMMUNITY, false, false},
		{ROLE_ARCHIVIST, true, false},
		{ROLE_ADMIN, true, true},
	};
	struct principal p;

	(void)state;
	for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
		make(&p, rights[i].role, 1, 2);	/* grants and screeners give no rights */
		if (policy_can_edit(&p) != rights[i].edit)
			fail_msg("%s: can_edit %d", role_label[rights[i].role], !rights[i].edit);
		if (policy_can_admin(&p) != rights[i].admin)
			fail_msg("%s: can_admin %d", role_label[rights[i].role], !rights[i].admin);
	}
}

/* Ties narrow, never open: every tie must hold for the principal, an
 * unreadable tie holds for nobody, archivists and administrators pass. */
static void ties_narrow(void **state)
{
	struct principal p;
	long long groups[] = {3, 12, 40};

	(void)state;
	make(&p, ROLE_COMMUNITY, 0, 0);
	snprintf(p.today, sizeof p.today, "2026-03-15");
	assert_true(policy_can_read(&p, REC, "public", NULL, "c"));
	assert_true(policy_can_read(&p, REC, "community", NULL, "c"));
	assert_false(policy_can_read(&p, REC, "private", NULL, "c"));	/* never opens */
	assert_false(policy_can_read(&p, REC, "public", NULL, "g12"));	/* not in the group */
	p.groups = groups;
	p.ngroups = 3;
	assert_true(policy_can_read(&p, REC, "public", NULL, "g12"));
	assert_true(policy_can_read(&p, REC, "public", NULL, "g40,c"));
	assert_false(policy_can_read(&p, REC, "public", NULL, "g13"));
	assert_false(policy_can_read(&p, REC, "public", NULL, "g12,g7"));	/* every one holds */
	/* months, from the principal's today (March) */
	assert_true(policy_can_read(&p, REC, "public", NULL, "m3-3"));
	assert_true(policy_can_read(&p, REC, "public", NULL, "m2-4"));
	assert_true(policy_can_read(&p, REC, "public", NULL, "m11-3"));	/* wraps */
	assert_false(policy_can_read(&p, REC, "public", NULL, "m4-10"));
	assert_false(policy_can_read(&p, REC, "public", NULL, "m11-2"));
	snprintf(p.today, sizeof p.today, "2026-04-01");
	assert_false(policy_can_read(&p, REC, "public", NULL, "m2-3"));	/* closes with the date */
	snprintf(p.today, sizeof p.today, "2026-12-31");
	assert_true(policy_can_read(&p, REC, "public", NULL, "m11-2"));
	/* what this program never writes fails closed */
	const char *odd[] = {"x", "g", "gx", "m3", "m3-", "m0-5", "m3-13", "c,", ",c", "cc", "g12;c"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		assert_false(policy_can_read(&p, REC, "public", NULL, odd[i]));
	assert_true(policy_can_read(&p, REC, "public", NULL, ""));
	/* a viewer, a screener, nobody: not community members */
	make(&p, ROLE_VIEWER, 0, 0);
	assert_false(policy_can_read(&p, REC, "public", NULL, "c"));
	make(&p, ROLE_ANONYMOUS, 0, 2);
	assert_false(policy_can_read(&p, REC, "private", NULL, "c"));
	assert_true(policy_can_read(&p, REC, "private", NULL, NULL));
	/* archivists and administrators read tied records */
	make(&p, ROLE_ARCHIVIST, 0, 0);
	assert_true(policy_can_read(&p, REC, "private", NULL, "g99,m1-1,c"));
	make(&p, ROLE_ADMIN, 0, 0);
	assert_true(policy_can_read(&p, REC, "private", NULL, "zz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(can_read_table),
		cmocka_unit_test(embargo_boundaries),
		cmocka_unit_test(unknown_levels_are_private),
		cmocka_unit_test(grants_and_screeners_open_one_record),
		cmocka_unit_test(invalid_role_fails_closed),
		cmocka_unit_test(parses_levels),
		cmocka_unit_test(parses_roles),
		cmocka_unit_test(anonymous_principal),
		cmocka_unit_test(superuser_principal),
		cmocka_unit_test(edit_and_admin_rights),
		cmocka_unit_test(ties_narrow),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
