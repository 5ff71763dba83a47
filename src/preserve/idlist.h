/* idlist.h: a list of short strings (file ids, hashes) that grows as long
 * as memory lasts. The preservation calls collect what a query returns
 * before writing (a statement must be done before the writes it feeds),
 * and no fixed array may cap how many files a record or an object has. */
#ifndef CINEMATECA_IDLIST_H
#define CINEMATECA_IDLIST_H

#include <stddef.h>

#define IDLIST_LEN 65		/* room for a SHA-256 in hex or a UUID, and the NUL */

struct idlist {
	char (*v)[IDLIST_LEN];	/* the strings */
	size_t n, cap;
};

/* idlist_add appends s (cut to IDLIST_LEN - 1 bytes, which every id and
 * hash fits). Returns 0 or ERR_NOMEM, the list unchanged. */
int idlist_add(struct idlist *l, const char *s);

struct db;
struct sqlite3_stmt;

/* idlist_collect appends the first column of every row st gives (a
 * statement from db_prepare, NULL when that failed), then resets it, so
 * the statement is done before the caller writes. Returns 0, or ERR_DB
 * (st NULL, or a step failed: db->err says why) or ERR_NOMEM. */
int idlist_collect(struct idlist *l, struct db *db, struct sqlite3_stmt *st);

/* idlist_free frees the strings and empties the list. */
void idlist_free(struct idlist *l);

#endif
