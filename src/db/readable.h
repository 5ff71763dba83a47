/* readable.h: the access policy as SQL text, for the queries in db/.
 *
 * Every read of the catalogue asks may_read() (policy_can_read(),
 * registered on each connection by db.c) inside the query, so counts,
 * facets and pages are filtered before they are made. These macros are
 * the only spellings of that question. */
#ifndef CINEMATECA_READABLE_H
#define CINEMATECA_READABLE_H

/* May the principal read record r (an alias in the query)? */
#define READABLE(r) "may_read(" r ".id, " r ".access, " r ".embargo_until)"

/* May the principal read file f of record r? A file with its own level
 * is read at that level, and its record's embargo does not open it; a
 * file without one is read as its record is. Cue lines are read as the
 * file that holds them. */
#define FILE_READABLE(f, r) "may_read(" r ".id, coalesce(" f ".access, " r ".access), " \
	"CASE WHEN " f ".access IS NULL THEN " r ".embargo_until END)"

/* Is file f of record r open to everyone (so shared caches may keep it)? */
#define FILE_PUBLIC(f, r) "(coalesce(" f ".access, " r ".access) = 'public' OR (" f ".access IS NULL " \
	"AND " r ".embargo_until <= date('now')))"

#endif
