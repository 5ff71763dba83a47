/* ingest.c: files into the archive (see preserve.h). Each file is copied
 * into the store first (hashed in the same pass), then recorded in one
 * transaction, so a failure at any point leaves either nothing or an
 * object that the same ingest run again records. Several files can be
 * copied at once on worker threads; the catalogue is written by one of
 * them at a time, under the lock that also serialises the callbacks. */
#include "preserve.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "ingest/derive.h"
#include "ingest/probe.h"

static const char *const roles[] = {"master", "mezzanine", "access", "scan", "poster",
				    "subtitle", "transcript", "testimony", "other", NULL};

bool preserve_role_valid(const char *role)
{
	for (const char *const *r = roles; *r; r++)
		if (strcmp(*r, role) == 0)
			return true;
	return false;
}

/* One ingest call in progress, shared by its workers. */
struct run {
	struct preserve *p;
	const struct preserve_ingest_opts *o;
	struct preserve_ingest_result *r;
	const char *record_id;
	int next;			/* next file to take */
	uint64_t total, done;		/* bytes of all files, for progress */
	pthread_mutex_t lock;		/* guards everything above, p->db and the callbacks */
};

/* One worker's file in flight. */
struct progress_arg {
	struct run *run;
	uint64_t seen;			/* bytes of this file already counted */
};

static void say(struct run *run, bool problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct run *run, bool problem, const char *fmt, ...)
{
	char line[1400];
	va_list ap;

	if (!run->p->say)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	run->p->say(run->p->arg, problem, line);
}

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress_arg *pa = arg;
	struct run *run = pa->run;

	(void)total;
	pthread_mutex_lock(&run->lock);
	run->done += done - pa->seen;
	pa->seen = done;
	if (run->p->progress)
		run->p->progress(run->p->arg, run->done, run->total);
	pthread_mutex_unlock(&run->lock);
}

/* record_file writes the catalogue side of one stored file, in one
 * transaction. Called with the lock held. */
static int record_file(struct run *run, const char *name, const struct digest *d,
		       const char *mime, const char *techmd, bool *linked)
{
	struct db *db = run->p->db;
	const char *agent = run->p->agent;
	char id[40], detail[4800];
	struct file_new f = {.record_id = run->record_id, .role = run->o->role, .digest = d,
			     .mime = mime, .name = name, .techmd = techmd};
	int rc;

	*linked = false;
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = fq_object_add(db, d)))
		goto done;
	rc = fq_file_find(db, run->record_id, d->sha256, run->o->role, id);
	if (rc < 0)
		goto done;
	if (rc == 1) {
		*linked = true;	/* this record already has these bytes in this role */
		rc = 0;
		goto done;
	}
	uuid_v7(id);
	f.id = id;
	snprintf(detail, sizeof detail, "%s; sha256 %s; md5 %s; %llu bytes%s%s", name, d->sha256,
		 d->md5, (unsigned long long)d->size, run->o->source ? "; from " : "",
		 run->o->source ? run->o->source : "");
	if ((rc = fq_file_add(db, &f)) ||
	    (rc = fq_event(db, "ingestion", id, d->sha256, agent, true, detail)) ||
	    (rc = aq_audit(db, agent, "ingest", run->record_id, detail)))
		goto done;
	rc = derive_plan(db, id, mime, run->o->role);
	if (rc > 0)
		rc = 0;
done:
	if (rc == 0)
		rc = preserve_object_held(db, run->p->store, d->sha256);
	if (rc == 0)
		rc = db_commit(db);
	if (rc != 0 && db->depth)
		db_rollback(db);
	return rc;
}

static void ingest_one(struct run *run, const char *path)
{
	struct progress_arg pa = {.run = run};
	char stored[4200], mime[64] = "application/octet-stream";
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *techmd = NULL;
	struct digest d;
	bool existed, linked;
	int rc, e;

	rc = store_put(run->p->store, path, &d, &existed, on_progress, &pa);
	if (rc) {
		e = errno;
		pthread_mutex_lock(&run->lock);
		run->r->failed++;
		say(run, true, "%s: not stored: %s%s", path,
		    rc == ERR_NOTFOUND ? "no such file" : rc == ERR_IO ? strerror(e) : err_str(rc),
		    rc == ERR_IO && e == ENOSPC ? " (free some space and ingest it again)" : "");
		pthread_mutex_unlock(&run->lock);
		return;
	}
	/* libavformat reads a path: the local backend's convenience */
	if (store_path(run->p->store, d.sha256, stored, sizeof stored) == 0)
		probe_file(stored, &techmd, mime);
	pthread_mutex_lock(&run->lock);
	rc = record_file(run, name, &d, mime, techmd, &linked);
	if (rc) {
		run->r->failed++;
		say(run, true, "%s: not recorded, so not kept: %s (ingest it again)", path,
		    rc == ERR_BUSY ? "the catalogue is locked by another process" :
		    *run->p->db->err ? run->p->db->err : err_str(rc));
		if (!existed)
			preserve_drop_unused(run->p->db, run->p->store, d.sha256);
	} else {
		run->r->stored++;
		say(run, false, "%s %s %s%s", existed ? "already stored" : "stored", d.sha256, name,
		    linked ? " (already attached to this record)" : "");
	}
	pthread_mutex_unlock(&run->lock);
	free(techmd);
}

static void *worker(void *arg)
{
	struct run *run = arg;

	for (;;) {
		int i;
		pthread_mutex_lock(&run->lock);
		i = run->next < run->o->nfiles ? run->next++ : -1;
		pthread_mutex_unlock(&run->lock);
		if (i < 0)
			return NULL;
		ingest_one(run, run->o->files[i]);
	}
}

/* derive_say passes derive's lines on to the caller's callback. */
static void derive_say(void *arg, bool problem, const char *line)
{
	struct preserve *p = arg;

	if (p->say)
		p->say(p->arg, problem, line);
}

int preserve_derive(struct preserve *p)
{
	int rc = derive_run(p->db, p->store, p->agent, 0, derive_say, p);

	if (rc < 0)
		snprintf(p->err, sizeof p->err, "cannot run the derivative jobs: %s",
			 rc == ERR_BUSY ? "the catalogue is locked by another process" :
			 rc == ERR_DB ? p->db->err : err_str(rc));
	return rc;
}

int preserve_ingest(struct preserve *p, const struct preserve_ingest_opts *o,
		    struct preserve_ingest_result *r)
{
	struct run run = {.p = p, .o = o, .r = r, .lock = PTHREAD_MUTEX_INITIALIZER};
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	pthread_t threads[PRESERVE_MAX_JOBS];
	int nthreads = 0, jobs, rc, removed;

	memset(r, 0, sizeof *r);
	p->err[0] = '\0';
	if (!preserve_role_valid(o->role)) {
		snprintf(p->err, sizeof p->err, "\"%s\" is not a role: master, mezzanine, access, "
			 "scan, poster, subtitle, transcript, testimony or other", o->role);
		return ERR_INVALID;
	}
	rc = aq_record_ref(p->db, o->record, id, type, slug);
	if (rc != 1) {
		if (rc < 0)
			snprintf(p->err, sizeof p->err, "cannot read the catalogue: %s", p->db->err);
		else
			snprintf(p->err, sizeof p->err, "no record \"%s\" (give its slug or id); "
				 "nothing was stored", o->record);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	run.record_id = id;
	store_clean_tmp(p->store, &removed);	/* leftovers of an interrupted ingest */
	for (int k = 0; k < o->nfiles; k++) {
		struct stat sb;
		if (stat(o->files[k], &sb) == 0)
			run.total += (uint64_t)sb.st_size;
	}
	jobs = o->jobs < 1 ? 1 : o->jobs > PRESERVE_MAX_JOBS ? PRESERVE_MAX_JOBS : o->jobs;
	if (jobs > o->nfiles)
		jobs = o->nfiles;
	/* a thread that cannot start leaves its share to the others */
	for (int k = 1; k < jobs; k++)
		if (pthread_create(&threads[nthreads], NULL, worker, &run) == 0)
			nthreads++;
	worker(&run);
	for (int k = 0; k < nthreads; k++)
		pthread_join(threads[k], NULL);
	if (o->derive) {
		rc = derive_run(p->db, p->store, p->agent, 0, derive_say, p);
		if (rc > 0) {
			r->derive_failed = rc;
			say(&run, true, "%d derivatives failed; 'cinemateca derive' tries them again",
			    rc);
		} else if (rc < 0) {
			say(&run, true, "the derivatives were not made (%s); 'cinemateca derive' "
			    "makes them", rc == ERR_DB ? p->db->err : err_str(rc));
		}
	}
	if (r->failed) {
		snprintf(p->err, sizeof p->err, "%d of %d files were not ingested (see above)",
			 r->failed, o->nfiles);
		return ERR_IO;
	}
	return 0;
}
