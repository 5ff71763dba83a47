/* policy.h: who may read what. policy_can_read() is the one function that
 * decides every read; every surface asks it, either directly or through
 * the SQL function may_read() that db.c registers on every connection, so
 * search results, facet counts and lists are filtered inside the query,
 * not after it. */
#ifndef CINEMATECA_POLICY_H
#define CINEMATECA_POLICY_H

#include <stdbool.h>

#include "core/uuid.h"

/* Access levels, most open first. */
enum level { LEVEL_PUBLIC, LEVEL_REGISTERED, LEVEL_COMMUNITY, LEVEL_PRIVATE, LEVEL_INVALID };

/* Roles of accounts, least trusted first; ROLE_ANONYMOUS is nobody. */
enum role { ROLE_ANONYMOUS, ROLE_VIEWER, ROLE_COMMUNITY, ROLE_KEEPER, ROLE_ARCHIVIST,
	    ROLE_ADMIN, ROLE_INVALID };

#define POLICY_MAX_GRANTS 4096	/* grants held by one principal that count */

/* Who is asking: a visitor, an account, a screener link's holder, or the
 * command line (which acts as an administrator). */
struct principal {
	long long user_id;		/* 0 for nobody */
	enum role role;
	char name[64];			/* login name, "" for nobody */
	char today[11];			/* YYYY-MM-DD: embargoes and grants compare to it */
	char screener_record[UUID_STR_LEN + 1];	/* the one work a screener opens, or "" */
	char (*grants)[UUID_STR_LEN + 1];	/* record ids readable by grant, sorted */
	int ngrants;
	bool viewers_contribute;	/* the archive lets viewers contribute
					 * (cinemateca.conf's viewers_contribute) */
	long long *groups;		/* ids of the groups the account is in, sorted */
	int ngroups;
};

/* policy_level parses "public", "registered", "community" or "private";
 * LEVEL_INVALID for anything else (NULL included). */
enum level policy_level(const char *s);
const char *policy_level_name(enum level l);

/* policy_role parses "admin", "archivist", "keeper", "community" or
 * "viewer". A keeper (a community keeper) reads what a community member
 * reads and moderates the contributions on the records it keeps. */
enum role policy_role(const char *s);
const char *policy_role_name(enum role r);

/* policy_anonymous makes the principal of a visitor who is not logged in
 * (today's date filled in). */
void policy_anonymous(struct principal *p);

/* policy_superuser makes the command line's principal: reads everything. */
void policy_superuser(struct principal *p);

/* policy_can_read decides whether p may read the record with this id,
 * access level, embargo date (NULL: none) and ties (record.ties: the
 * access rules its restricting Local Contexts labels are tied to, NULL or
 * "" for none). In order:
 * an unknown level reads as private; an embargo date that has passed
 * opens the record to everyone; public records are for everyone;
 * archivists and administrators read everything; registered records are
 * for every account; community records for community members; a grant to
 * the account or one of its groups, or a screener for this very record,
 * opens anything else. Ties then narrow what that allows, for everyone
 * but archivists and administrators: every tie must hold ("c": the
 * account is a community member; "gN": it is in group N; "mA-B": the
 * month of p->today is A to B, wrapping past December); a tie that cannot
 * be read holds for nobody. A tie never opens anything. */
bool policy_can_read(const struct principal *p, const char *id, const char *access,
		     const char *embargo_until, const char *ties);

/* policy_ties_hold reports whether every tie in ties holds for p (true
 * for NULL or ""), as policy_can_read applies them. */
bool policy_ties_hold(const struct principal *p, const char *ties);

/* policy_can_edit: archivists and administrators change the catalogue. */
bool policy_can_edit(const struct principal *p);

/* policy_can_contribute: who may add to the archive (upload, and the
 * contributions, with a recording or not): community members, community
 * keepers, archivists and administrators; viewers only when
 * p->viewers_contribute says the archive lets them; nobody who is not
 * signed in, and no screener link. Contributions go to records they may
 * read: ask policy_can_read too. */
bool policy_can_contribute(const struct principal *p);

/* policy_can_admin: administrators also read the audit log and manage accounts. */
bool policy_can_admin(const struct principal *p);

/* ---- contributions (community memories) --------------------------------
 * A contribution is read like a record, at its own level: its consent
 * ("public" or "community") and its state ("pending", "published",
 * "hidden"). In SQL: CONTRIB_READABLE in db/readable.h, which asks
 * may_read_contrib() (this function) and the records' may_read(). */

/* policy_can_read_contrib decides whether p may read a contribution whose
 * records p may read (records_readable: every record it is on, asked of
 * policy_can_read; false makes it invisible whatever its consent), in
 * state state with consent consent, made by account author (0: an account
 * since removed); steward says p keeps one of its records. In order: not
 * when p may not read its records; its moderators (policy_can_moderate)
 * and its author read it in every state; anybody else only once
 * published, and a community-only one only community members, keepers,
 * archivists and administrators. An unknown state or consent reads as
 * pending and community (fail closed). */
bool policy_can_read_contrib(const struct principal *p, bool records_readable, const char *state,
			     const char *consent, long long author, bool steward);

/* policy_can_moderate: archivists and administrators moderate every
 * contribution, a keeper those on the records it keeps (steward). */
bool policy_can_moderate(const struct principal *p, bool steward);

/* policy_can_moderate_some: p may moderate something (archivists,
 * administrators, keepers): the moderation queue is theirs. */
bool policy_can_moderate_some(const struct principal *p);

#endif
