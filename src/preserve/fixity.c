/* fixity.c: proving the stored bytes intact (see preserve.h). Every
 * catalogued object is re-hashed and compared with its name; each outcome
 * is recorded as a fixity event on every file that uses the object, in one
 * transaction per object, so an interrupted check keeps what it found so
 * far. An outcome that cannot be recorded (a full disk, a locked or
 * read-only catalogue) makes the whole call fail, saying what was found:
 * a check nobody can later prove took place is not a passed check. Then
 * the store is listed, to name the objects no live file uses, which no
 * catalogue query would ever reach. */
#include "preserve.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "db/db.h"
#include "db/files_q.h"
#include "preserve/idlist.h"

static void say(struct preserve *p, bool problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct preserve *p, bool problem, const char *fmt, ...)
{
	char line[1400];
	va_list ap;

	if (!p->say)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	p->say(p->arg, problem, line);
}

/* files_using collects the ids of the live files using an object, saying
 * one line per file (with its record) when the outcome is bad. Returns 0
 * or a negative ERR_*. */
static int files_using(struct preserve *p, const char *what, const char *sha256,
		       const char *detail, struct idlist *ids)
{
	sqlite3_stmt *st = fq_files_using(p->db, sha256);
	int rc = st ? 0 : ERR_DB;

	while (st && (rc = db_step(p->db, st)) == 1) {
		if (what)
			say(p, false, "%-9s %s  %s/%s  %s (file %s)%s%s", what, sha256, db_text(st, 2),
			    db_text(st, 1), db_text(st, 3), db_text(st, 0), detail ? ": " : "",
			    detail ? detail : "");
		if ((rc = idlist_add(ids, db_text(st, 0))))
			break;
	}
	if (st)
		sqlite3_reset(st);
	if (rc == 0 && what && ids->n == 0)
		say(p, false, "%-9s %s%s%s", what, sha256, detail ? ": " : "", detail ? detail : "");
	return rc;
}

/* record_outcome writes the events and the object's last check in one
 * transaction. Returns 0 or a negative ERR_* with p->db->err set. */
static int record_outcome(struct preserve *p, const char *sha256, const struct idlist *ids,
			  bool ok, const char *detail)
{
	int rc = db_begin(p->db);

	for (size_t i = 0; i < ids->n && rc == 0; i++)
		rc = fq_event(p->db, "fixity check", ids->v[i], sha256, p->agent, ok, detail);
	if (rc == 0)
		rc = fq_object_checked(p->db, sha256, ok);
	if (rc == 0)
		rc = db_commit(p->db);
	if (rc && p->db->depth)
		db_rollback(p->db);
	return rc;
}

/* unrecorded names the objects in the store that no live file uses. */
static int unrecorded(struct preserve *p, struct preserve_fixity_result *r)
{
	char sha[SHA256_HEX + 1];
	struct store_iter *it = NULL;
	int rc = store_iter_open(p->store, &it);

	while (rc == 0 && (rc = store_iter_next(it, sha)) == 1) {
		rc = fq_object_live(p->db, sha);
		if (rc == 0) {
			r->unrecorded++;
			say(p, false, "UNRECORDED %s: in the store, but no live file uses it (left by an "
			    "interrupted ingest or deletion: ingest the file again, or delete it)", sha);
		}
		if (rc == 1)
			rc = 0;
	}
	store_iter_close(it);
	return rc;
}

int preserve_fixity(struct preserve *p, const struct preserve_fixity_opts *o,
		    struct preserve_fixity_result *r)
{
	char cutoff[21], why[600] = "";
	struct idlist list = {0}, ids = {0};
	size_t take, failed_at = 0;
	int rc = 0, unchecked = 0;

	memset(r, 0, sizeof *r);
	p->err[0] = '\0';
	if (o->repair_tmp)
		r->tmp_failed = store_clean_tmp(p->store, &r->tmp_removed) != 0;
	if (o->has_since) {
		time_t t = time(NULL) - (time_t)o->since_days * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	/* collect first: the statement must be done before the writes */
	rc = idlist_collect(&list, p->db, fq_objects_to_check(p->db, o->has_since ? cutoff : NULL));
	if (rc < 0) {
		snprintf(p->err, sizeof p->err, "cannot read the catalogue: %s; nothing was checked",
			 rc == ERR_NOMEM ? "out of memory" : p->db->err);
		goto done;
	}
	/* the list comes in random order: a sample is its first share */
	take = (list.n * (o->sample ? o->sample : 100) + 99) / 100;
	for (size_t i = 0; i < take; i++) {
		const char *sha = list.v[i], *what = NULL;
		char detail[160];
		struct digest d;
		int v = store_verify(p->store, sha, &d, NULL, NULL), e = errno;

		if (v == ERR_NOMEM) {
			/* the machine's trouble, not the object's: nothing to record */
			say(p, true, "NOT CHECKED %s: out of memory", sha);
			unchecked++;
			continue;
		}
		r->checked++;
		if (v == 0) {
			say(p, false, "ok        %s", sha);
			snprintf(detail, sizeof detail, "sha256 matches");
		} else if (v == ERR_NOTFOUND) {
			what = "MISSING";
			snprintf(detail, sizeof detail, "object missing");
		} else if (v == ERR_INVALID) {
			what = "CORRUPTED";
			snprintf(detail, sizeof detail, "now hashes to %s", d.sha256);
		} else {
			what = "UNREADABLE";
			snprintf(detail, sizeof detail, "cannot read: %s", strerror(e));
		}
		if (what)
			r->bad++;
		idlist_free(&ids);
		rc = files_using(p, what, sha, what && v != ERR_NOTFOUND ? detail : NULL, &ids);
		/* once an outcome could not be recorded, the check goes on but
		 * stops trying: each try could wait out a lock again */
		if (rc == 0 && !*why)
			rc = record_outcome(p, sha, &ids, v == 0, detail);
		if (rc && !*why) {
			failed_at = r->checked;
			snprintf(why, sizeof why, "%s", rc == ERR_BUSY ? "the catalogue is locked by "
				 "another process" : rc == ERR_NOMEM ? "out of memory" : p->db->err);
		}
		rc = 0;
	}
	if (!*why && (rc = unrecorded(p, r)) < 0)
		snprintf(p->err, sizeof p->err, "%d objects checked, %d bad, but the store could not "
			 "be listed for objects no file uses: %s", r->checked, r->bad,
			 rc == ERR_IO ? strerror(errno) : rc == ERR_DB ? p->db->err : err_str(rc));
	if (unchecked && !*why) {
		snprintf(p->err, sizeof p->err, "%d objects checked, %d bad, but %d could not be "
			 "checked for want of memory; run fixity again", r->checked, r->bad, unchecked);
		rc = ERR_NOMEM;
	} else if (*why) {
		snprintf(p->err, sizeof p->err, "%d objects checked, %d bad, but the outcomes from "
			 "object %zu on could not be recorded: %s; nothing proves those checks took "
			 "place, so run fixity again once that is mended", r->checked, r->bad,
			 failed_at, why);
		rc = ERR_DB;
	}
done:
	idlist_free(&ids);
	idlist_free(&list);
	return rc;
}
