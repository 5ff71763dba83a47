/* unused.c: taking back bytes that a failed ingest put in the store.
 *
 * Bytes go into the store before the catalogue records them (the object
 * must be whole before a row may name it). When the recording fails, the
 * bytes this call added would stay as an object that no row names, which
 * fixity only reports. They are removed here, under the catalogue's write
 * lock and only when no live file uses them; a writer that found the same
 * bytes already stored checks, under the same lock, that they are still
 * there before it commits (preserve_object_held), so the two cannot pass
 * each other. */
#include "preserve.h"

#include <stdio.h>

#include "core/err.h"
#include "db/db.h"
#include "db/files_q.h"

int preserve_drop_unused(struct db *db, struct store *s, const char *sha256)
{
	char saved[sizeof db->err];
	int rc, live;

	/* the caller reports its own failure: keep its message */
	snprintf(saved, sizeof saved, "%s", db->err);
	if ((rc = db_begin(db)))
		goto done;
	live = fq_object_live(db, sha256);
	if (live < 0)
		rc = live;
	else if (live == 0 && store_remove(s, sha256) != 0)
		rc = ERR_IO;
	if (rc == 0)
		rc = db_commit(db);
	if (rc && db->depth)
		db_rollback(db);
done:
	snprintf(db->err, sizeof db->err, "%s", saved);
	return rc;
}

int preserve_object_held(struct db *db, struct store *s, const char *sha256)
{
	if (store_exists(s, sha256))
		return 0;
	snprintf(db->err, sizeof db->err, "the stored bytes %s were taken back by another "
		 "ingest that failed at the same moment; run this one again", sha256);
	return ERR_NOTFOUND;
}
