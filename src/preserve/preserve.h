/* preserve.h: the preservation core as library calls: ingest files for a
 * record, check fixity, delete a file or a record. The command line is one
 * caller; a web upload, a bag import or a pull from another copy can be
 * others. The calls take an open catalogue and store, who is acting, and
 * callbacks for what a person should see; they never print, never exit,
 * and return 0 or a negative ERR_* with a message in p->err that a caller
 * can show as it is. */
#ifndef CINEMATECA_PRESERVE_H
#define CINEMATECA_PRESERVE_H

#include <stdbool.h>

#include "store/objects.h"

struct db;

/* One line for the person running the work: what happened to one file or
 * object ("stored HASH NAME", "MISSING HASH ...": the work's results,
 * problem false), or why a part of the work failed ("PATH: not stored:
 * ...", problem true). Never called from two threads at once. */
typedef void (*preserve_say_fn)(void *arg, bool problem, const char *line);

/* What every call is given, and where it leaves its error. */
struct preserve {
	struct db *db;			/* open for writing */
	struct store *store;
	const char *agent;		/* who acts, for events and the audit log */
	preserve_say_fn say;		/* NULL: nothing is said */
	store_progress_fn progress;	/* bytes done of all to do; NULL: none */
	void *arg;			/* for say and progress */
	char err[1024];			/* why the call failed, when it returns < 0 */
};

/* ---- ingest ---------------------------------------------------------------- */

#define PRESERVE_MAX_JOBS 16	/* files copied at once, at most */

struct preserve_ingest_opts {
	const char *record;		/* slug or id */
	const char *role;		/* master, mezzanine, access, scan, ... (preserve_role_valid) */
	char *const *files;		/* paths */
	int nfiles;
	int jobs;			/* 1 to PRESERVE_MAX_JOBS files at a time */
	bool derive;			/* make the derivatives afterwards */
	const char *source;		/* where the files came from, for the ingestion
					 * events ("bag DIR"), or NULL */
};

struct preserve_ingest_result {
	int stored;			/* files stored and recorded (or already there) */
	int failed;			/* files not ingested (each said why) */
	int derive_failed;		/* derivatives that failed (derive tries again) */
};

/* preserve_role_valid: role is one of the file roles. */
bool preserve_role_valid(const char *role);

/* preserve_ingest stores each file once, named by its hash, reads its
 * technical metadata, records it for the record with the role (file row,
 * ingestion event, audit entry, derivative jobs) in one transaction per
 * file, then makes the derivatives when asked. A file that fails leaves
 * nothing behind and the others go on. Returns 0 when every file went in;
 * ERR_NOTFOUND (no such record) or ERR_INVALID (role) before anything is
 * stored; ERR_IO when some files failed (counted in *r). */
int preserve_ingest(struct preserve *p, const struct preserve_ingest_opts *o,
		    struct preserve_ingest_result *r);

/* preserve_derive runs the derivative jobs still to do. Returns the
 * number that failed (each said why), or a negative ERR_*. */
int preserve_derive(struct preserve *p);

/* ---- fixity ---------------------------------------------------------------- */

struct preserve_fixity_opts {
	bool has_since;			/* only objects not checked in since_days */
	unsigned since_days;
	unsigned sample;		/* percent of them, 1 to 100 */
	bool repair_tmp;		/* first sweep staging files of interrupted writes */
};

struct preserve_fixity_result {
	int checked;			/* objects re-hashed */
	int bad;			/* missing, corrupted or unreadable */
	int unrecorded;			/* objects in the store no live file uses */
	int tmp_removed;		/* staging files swept (repair_tmp) */
	bool tmp_failed;		/* some could not be removed */
};

/* preserve_fixity re-hashes the catalogued objects, says each outcome with
 * the files that use the object, and records a fixity event per file and
 * the object's last check; then lists the store and names every object no
 * live file uses (left by an interrupted ingest or deletion), without
 * counting them as bad. Returns 0 when every outcome was recorded, whatever
 * they were (see r->bad); a negative ERR_* when the catalogue could not be
 * read or an outcome could not be recorded (p->err says what was checked,
 * what was found, and what could not be recorded). */
int preserve_fixity(struct preserve *p, const struct preserve_fixity_opts *o,
		    struct preserve_fixity_result *r);

/* ---- deletion -------------------------------------------------------------- */

#define PRESERVE_REASON_MAX 4000	/* bytes of a deletion's reason */

struct preserve_delete_result {
	char what[120];			/* "work SLUG" or "file ID" */
	int objects_removed;		/* objects no other file used, removed */
	int objects_kept;		/* ... which could not be removed (each said) */
};

/* preserve_delete deletes one live file (by id) or a whole record (slug
 * or id) with every one of its files, in one transaction: deletion events,
 * a tombstone and change-log entry for a record, an audit entry. After the
 * commit, objects no live file uses any more leave the store. Returns 0;
 * ERR_NOTFOUND when target is neither; ERR_TOOBIG for a reason longer
 * than PRESERVE_REASON_MAX; another ERR_* (ERR_BUSY: locked) when nothing
 * was deleted, with p->err saying why. */
int preserve_delete(struct preserve *p, const char *target, const char *reason,
		    struct preserve_delete_result *r);

/* preserve_drop_unused removes an object from the store when no live
 * file uses it, under the catalogue's write lock: for bytes a failed
 * ingest added. Leaves db->err as it was. 0, or ERR_* when the check or
 * the removal could not be made (then the object stays, and fixity names
 * it as used by no file). */
int preserve_drop_unused(struct db *db, struct store *s, const char *sha256);

/* preserve_object_held: inside the write transaction that records a
 * file, before its commit: 0 when the object is (still) in the store,
 * else ERR_NOTFOUND with the reason in db->err. */
int preserve_object_held(struct db *db, struct store *s, const char *sha256);

#endif
