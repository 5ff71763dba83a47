/* readable.h: the access policy as SQL text, for the queries in db/.
 *
 * Every read of the catalogue asks may_read() (policy_can_read(),
 * registered on each connection by db.c) inside the query, so counts,
 * facets and pages are filtered before they are made. These macros are
 * the only spellings of that question. */
#ifndef CINEMATECA_READABLE_H
#define CINEMATECA_READABLE_H

/* May the principal read record r (an alias in the query)? Its ties
 * (record.ties, kept by the label triggers of 013_labels.sql) go to the
 * policy with its level, so a tied label narrows every query that asks. */
#define READABLE(r) "may_read(" r ".id, " r ".access, " r ".embargo_until, " r ".ties)"

/* May the principal read file f of record r? A file with its own level
 * is read at that level, and its record's embargo does not open it; a
 * file without one is read as its record is. Cue lines are read as the
 * file that holds them. */
#define FILE_READABLE(f, r) "may_read(" r ".id, coalesce(" f ".access, " r ".access), " \
	"CASE WHEN " f ".access IS NULL THEN " r ".embargo_until END, " r ".ties)"

/* Is file f of record r open to everyone (so shared caches may keep it)?
 * Never while the record has ties: a seasonal one closes with the date. */
#define FILE_PUBLIC(f, r) "(" r ".ties IS NULL AND (coalesce(" f ".access, " r ".access) = 'public' " \
	"OR (" f ".access IS NULL AND " r ".embargo_until <= date('now'))))"

/* Does the principal keep record r (a keeper with r, or a collection r is
 * part of at any depth, in keeper_scope)? keeper_id() is the principal's
 * account when it is a keeper, else 0, so nobody else pays the walk. */
#define STEWARD(r) "(CASE WHEN keeper_id() > 0 THEN EXISTS (WITH RECURSIVE up(id) AS " \
	"(SELECT " r ".id UNION SELECT l.to_id FROM relation l JOIN up ON l.from_id = up.id " \
	"AND l.type = 'part_of') SELECT 1 FROM keeper_scope k JOIN up ON k.record_id = up.id " \
	"WHERE k.user_id = keeper_id()) ELSE 0 END)"

/* May the principal read contribution c on record r (policy_can_read_contrib)?
 * r and every other record the contribution names must be readable, and
 * the page image a region note is on (a live file, at its own level). */
#define CONTRIB_READABLE(c, r) "(" READABLE(r) " AND may_read_contrib(" c ".state, " c ".consent, " \
	c ".user_id, " STEWARD(r) ") AND NOT EXISTS (SELECT 1 FROM contribution_link cl JOIN record lr " \
	"ON lr.id = cl.record_id WHERE cl.contribution_n = " c ".n AND NOT " READABLE("lr") ") " \
	"AND (" c ".file_id IS NULL OR EXISTS (SELECT 1 FROM file cf WHERE cf.id = " c ".file_id " \
	"AND cf.deleted IS NULL AND " FILE_READABLE("cf", r) ")))"

/* May the principal moderate contribution c on record r (and read r)? */
#define CONTRIB_MODERATES(c, r) "(" READABLE(r) " AND may_moderate(" STEWARD(r) "))"

#endif
