/* policy.c: the access policy (see policy.h). Kept free of I/O so that it
 * can be tested as a table and called from inside SQLite queries. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const level_names[] = {"public", "registered", "community", "private"};
static const char *const role_names[] = {"anonymous", "viewer", "community", "keeper",
					 "archivist", "admin"};

enum level policy_level(const char *s)
{
	for (int i = 0; s && i < LEVEL_INVALID; i++)
		if (strcmp(s, level_names[i]) == 0)
			return (enum level)i;
	return LEVEL_INVALID;
}

const char *policy_level_name(enum level l)
{
	return l < LEVEL_INVALID ? level_names[l] : "invalid";
}

enum role policy_role(const char *s)
{
	for (int i = ROLE_VIEWER; s && i < ROLE_INVALID; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_INVALID;
}

const char *policy_role_name(enum role r)
{
	return r < ROLE_INVALID ? role_names[r] : "invalid";
}

static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void policy_anonymous(struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->role = ROLE_ANONYMOUS;
	today(p->today);
}

void policy_superuser(struct principal *p)
{
	policy_anonymous(p);
	p->role = ROLE_ADMIN;
	snprintf(p->name, sizeof p->name, "cli");
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool policy_can_read_level(const struct principal *p, const char *id,
				  const char *access, const char *embargo_until);

static bool in_group(const struct principal *p, long long g)
{
	int lo = 0, hi = p->ngroups - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (p->groups[mid] == g)
			return true;
		if (p->groups[mid] < g)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* number reads a positive decimal at *s, moving past it; -1 if none. */
static long long number(const char **s)
{
	long long v = 0;
	int digits = 0;

	while (**s >= '0' && **s <= '9' && digits < 12) {
		v = v * 10 + (**s - '0');
		(*s)++;
		digits++;
	}
	return digits ? v : -1;
}

bool policy_ties_hold(const struct principal *p, const char *ties)
{
	const char *s = ties;
	int month = (p->today[5] - '0') * 10 + (p->today[6] - '0');

	if (!s || !*s)
		return true;
	if (p->role >= ROLE_ARCHIVIST && p->role < ROLE_INVALID)
		return true;
	for (;;) {
		char kind = *s++;
		if (kind == 'c') {
			if (p->role != ROLE_COMMUNITY)
				return false;
		} else if (kind == 'g') {
			long long g = number(&s);
			if (g < 0 || !in_group(p, g))
				return false;
		} else if (kind == 'm') {
			long long a = number(&s), b;
			if (*s++ != '-')
				return false;
			b = number(&s);
			if (a < 1 || a > 12 || b < 1 || b > 12 || month < 1 || month > 12)
				return false;
			if (a <= b ? month < a || month > b : month < a && month > b)
				return false;
		} else {
			return false;	/* not a tie this program writes: fail closed */
		}
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

bool policy_can_read(const struct principal *p, const char *id, const char *access,
		     const char *embargo_until, const char *ties)
{
	return policy_can_read_level(p, id, access, embargo_until) && policy_ties_hold(p, ties);
}

/* policy_can_read_level is the decision by level, embargo, grants and
 * screeners alone. */
static bool policy_can_read_level(const struct principal *p, const char *id, const char *access,
				  const char *embargo_until)
{
	enum level l = policy_level(access);

	if (l == LEVEL_INVALID)
		l = LEVEL_PRIVATE;	/* fail closed */
	/* an embargo "until" a date opens the record on that date */
	if (embargo_until && *embargo_until && strncmp(p->today, embargo_until, 10) >= 0)
		l = LEVEL_PUBLIC;
	if (l == LEVEL_PUBLIC)
		return true;
	if (p->role >= ROLE_ARCHIVIST && p->role < ROLE_INVALID)
		return true;
	if (l == LEVEL_REGISTERED && p->role >= ROLE_VIEWER && p->role < ROLE_INVALID)
		return true;
	if (l == LEVEL_COMMUNITY && (p->role == ROLE_COMMUNITY || p->role == ROLE_KEEPER))
		return true;
	if (!id)
		return false;
	if (p->screener_record[0] && strcmp(p->screener_record, id) == 0)
		return true;
	return p->ngrants > 0 &&
	       bsearch(id, p->grants, (size_t)p->ngrants, sizeof *p->grants, cmp_id) != NULL;
}

bool policy_can_edit(const struct principal *p)
{
	return p->role == ROLE_ARCHIVIST || p->role == ROLE_ADMIN;
}

bool policy_can_contribute(const struct principal *p)
{
	if (p->user_id == 0)
		return false;
	switch (p->role) {
	case ROLE_COMMUNITY:
	case ROLE_KEEPER:
	case ROLE_ARCHIVIST:
	case ROLE_ADMIN:
		return true;
	case ROLE_VIEWER:
		return p->viewers_contribute;
	default:
		return false;
	}
}

bool policy_can_admin(const struct principal *p)
{
	return p->role == ROLE_ADMIN;
}

bool policy_can_moderate(const struct principal *p, bool steward)
{
	return policy_can_edit(p) || (p->role == ROLE_KEEPER && steward);
}

bool policy_can_moderate_some(const struct principal *p)
{
	return policy_can_edit(p) || p->role == ROLE_KEEPER;
}

bool policy_can_read_contrib(const struct principal *p, bool records_readable, const char *state,
			     const char *consent, long long author, bool steward)
{
	if (!records_readable)
		return false;
	if (policy_can_moderate(p, steward))
		return true;
	if (author != 0 && p->user_id == author)
		return true;
	if (!state || strcmp(state, "published") != 0)
		return false;
	if (consent && strcmp(consent, "public") == 0)
		return true;
	return p->role >= ROLE_COMMUNITY && p->role < ROLE_INVALID;
}
