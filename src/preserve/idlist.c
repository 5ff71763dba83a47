/* idlist.c: a growing list of ids (see idlist.h). */
#include "idlist.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "db/db.h"

int idlist_add(struct idlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *more = realloc(l->v, cap * sizeof *l->v);
		if (!more)
			return ERR_NOMEM;
		l->v = more;
		l->cap = cap;
	}
	snprintf(l->v[l->n++], IDLIST_LEN, "%s", s);
	return 0;
}

int idlist_collect(struct idlist *l, struct db *db, sqlite3_stmt *st)
{
	int rc = st ? 0 : ERR_DB;

	while (st && (rc = db_step(db, st)) == 1)
		if ((rc = idlist_add(l, db_text(st, 0))))
			break;
	if (st)
		sqlite3_reset(st);
	return rc;
}

void idlist_free(struct idlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
