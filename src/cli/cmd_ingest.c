/* cmd_ingest.c: ingest, derive, fixity and delete: the commands that put
 * bytes into the archive, prove them intact, and take them out. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/record_q.h"
#include "ingest/derive.h"
#include "ingest/probe.h"
#include "interop/subs.h"
#include "preserve/subtitle.h"
#include "store/objects.h"

#define MAX_JOBS 16

static const char *const roles[] = {"master", "mezzanine", "access", "scan", "poster",
				    "subtitle", "transcript", "other", NULL};

/* agent names this program and the person running it, for events. */
static const char *agent(void)
{
	static char name[120];
	const char *u = getenv("USER");

	snprintf(name, sizeof name, "cinemateca %s (cli:%s)", CINEMATECA_VERSION,
		 u && *u ? u : "unknown");
	return name;
}

static void human(double bytes, char out[16])
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(out, 16, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* ---- ingest ---------------------------------------------------------- */

struct ingest {
	struct db *db;
	struct store *store;
	struct archive *archive;
	const char *record_id, *slug, *role;
	char **files;
	int nfiles;
	int next;			/* next file to take */
	int failed;
	bool tty;			/* show a progress line */
	uint64_t total, done_bytes;	/* all files, for the progress line */
	struct timespec start;
	double last_draw;
	pthread_mutex_t lock;		/* guards everything above and db */
};

/* One worker's file in flight, for the progress line. */
struct progress_arg {
	struct ingest *in;
	uint64_t seen;			/* bytes of this file already counted */
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void draw(struct ingest *in, bool force)
{
	double t = seconds_since(&in->start), rate;
	char done[16], total[16], speed[16];

	if (!in->tty || (!force && t - in->last_draw < 0.2))
		return;
	in->last_draw = t;
	rate = t > 0 ? (double)in->done_bytes / t : 0;
	human((double)in->done_bytes, done);
	human((double)in->total, total);
	human(rate, speed);
	if (rate > 0 && in->total > in->done_bytes) {
		long eta = lround((double)(in->total - in->done_bytes) / rate);
		fprintf(stderr, "\r\033[K  %s / %s  %s/s  ETA %ld:%02ld", done, total, speed, eta / 60,
			eta % 60);
	} else {
		fprintf(stderr, "\r\033[K  %s / %s  %s/s", done, total, speed);
	}
}

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress_arg *p = arg;

	(void)total;
	pthread_mutex_lock(&p->in->lock);
	p->in->done_bytes += done - p->seen;
	p->seen = done;
	draw(p->in, false);
	pthread_mutex_unlock(&p->in->lock);
}

/* say prints a line without tearing the progress line. */
static void say(struct ingest *in, FILE *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct ingest *in, FILE *f, const char *fmt, ...)
{
	va_list ap;

	if (in->tty)
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fflush(f);
	draw(in, true);
}

/* record_file writes the catalogue side of one stored file, in one
 * transaction. Called with the lock held. */
static int record_file(struct ingest *in, const char *name, const struct digest *d,
		       const char *mime, const char *techmd, bool *linked)
{
	char id[40];
	struct file_new f = {.record_id = in->record_id, .role = in->role, .digest = d,
			     .mime = mime, .name = name, .techmd = techmd};
	char detail[400];
	int rc;

	*linked = false;
	if ((rc = db_begin(in->db)))
		return rc;
	if ((rc = fq_object_add(in->db, d)))
		goto fail;
	rc = fq_file_find(in->db, in->record_id, d->sha256, in->role, id);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		*linked = true;	/* this record already has these bytes in this role */
		return db_commit(in->db);
	}
	uuid_v7(id);
	f.id = id;
	snprintf(detail, sizeof detail, "%s; sha256 %s; md5 %s; %llu bytes", name, d->sha256, d->md5,
		 (unsigned long long)d->size);
	if ((rc = fq_file_add(in->db, &f)) ||
	    (rc = fq_event(in->db, "ingestion", id, d->sha256, agent(), true, detail)) ||
	    (rc = aq_audit(in->db, agent(), "ingest", in->record_id, detail)))
		goto fail;
	rc = derive_plan(in->db, id, mime, in->role);
	if (rc < 0)
		goto fail;
	return db_commit(in->db);
fail:
	db_rollback(in->db);
	return rc;
}

static void ingest_one(struct ingest *in, const char *path)
{
	struct progress_arg p = {.in = in};
	char stored[4096], mime[64] = "application/octet-stream";
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *techmd = NULL;
	struct digest d;
	bool existed, linked;
	int rc;

	rc = store_put(in->store, path, &d, &existed, on_progress, &p);
	if (rc) {
		const char *why = rc == ERR_NOTFOUND ? "no such file" :
				  rc == ERR_IO ? strerror(errno) : err_str(rc);
		pthread_mutex_lock(&in->lock);
		in->failed++;
		say(in, stderr, "cinemateca: %s: not stored: %s%s\n", path, why,
		    errno == ENOSPC ? " (free some space and ingest it again)" : "");
		pthread_mutex_unlock(&in->lock);
		return;
	}
	if (store_path(in->store, d.sha256, stored, sizeof stored) == 0)
		probe_file(stored, &techmd, mime);
	pthread_mutex_lock(&in->lock);
	rc = record_file(in, name, &d, mime, techmd, &linked);
	if (rc) {
		in->failed++;
		say(in, stderr, "cinemateca: %s: stored, but not recorded: %s (ingest it again)\n",
		    path, in->db->err);
	} else {
		say(in, stdout, "%s %s %s%s\n", existed ? "already stored" : "stored", d.sha256, name,
		    linked ? " (already attached to this record)" : "");
	}
	pthread_mutex_unlock(&in->lock);
	free(techmd);
}

static void *ingest_worker(void *arg)
{
	struct ingest *in = arg;

	for (;;) {
		int i;
		pthread_mutex_lock(&in->lock);
		i = in->next < in->nfiles ? in->next++ : -1;
		pthread_mutex_unlock(&in->lock);
		if (i < 0)
			return NULL;
		ingest_one(in, in->files[i]);
	}
}

int cmd_ingest(struct cli *cli)
{
	struct ingest in = {.lock = PTHREAD_MUTEX_INITIALIZER};
	const char *to = NULL;
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	unsigned long long jobs = 1;
	bool derive = true, role_ok = false;
	pthread_t threads[MAX_JOBS];
	struct archive a;
	int i, nthreads = 0, rc, removed;

	for (i = 1; i < cli->argc && cli->argv[i][0] == '-'; i++) {
		if (strcmp(cli->argv[i], "--to") == 0 && i + 1 < cli->argc)
			to = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--role") == 0 && i + 1 < cli->argc)
			in.role = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--jobs") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], MAX_JOBS, &jobs) || jobs == 0)
				return cli_fail("--jobs wants a number from 1 to %d", MAX_JOBS);
		} else if (strcmp(cli->argv[i], "--no-derive") == 0)
			derive = false;
		else if (strcmp(cli->argv[i], "--") == 0) {
			i++;
			break;
		} else
			return cli_usage(cli_find("ingest"));
	}
	if (!to || !in.role || i == cli->argc)
		return cli_usage(cli_find("ingest"));
	for (const char *const *r = roles; *r; r++)
		role_ok |= strcmp(*r, in.role) == 0;
	if (!role_ok)
		return cli_fail("\"%s\" is not a role: master, mezzanine, access, scan, poster, "
				"subtitle, transcript or other", in.role);
	in.files = cli->argv + i;
	in.nfiles = cli->argc - i;
	in.db = cli_open_archive(cli, DB_WRITE, &a);
	if (!in.db)
		return 1;
	rc = aq_record_ref(in.db, to, id, type, slug);
	if (rc != 1) {
		db_close(in.db);
		return rc < 0 ? cli_fail("cannot read the catalogue") :
				cli_fail("no record \"%s\" (give its slug or id); nothing was stored", to);
	}
	in.record_id = id;
	in.slug = slug;
	in.archive = &a;
	if (store_open(a.dir, &in.store)) {
		db_close(in.db);
		return cli_fail("cannot open the object store in %s", a.dir);
	}
	store_clean_tmp(in.store, &removed);	/* leftovers of an interrupted ingest */
	in.tty = isatty(STDERR_FILENO);
	for (int k = 0; k < in.nfiles; k++) {
		struct stat sb;
		if (stat(in.files[k], &sb) == 0)
			in.total += (uint64_t)sb.st_size;
	}
	clock_gettime(CLOCK_MONOTONIC, &in.start);
	if (jobs > (unsigned long long)in.nfiles)
		jobs = (unsigned long long)in.nfiles;
	for (unsigned long long k = 1; k < jobs; k++)
		if (pthread_create(&threads[nthreads], NULL, ingest_worker, &in) == 0)
			nthreads++;
	ingest_worker(&in);
	for (int k = 0; k < nthreads; k++)
		pthread_join(threads[k], NULL);
	if (in.tty)
		fputs("\r\033[K", stderr);
	if (derive) {
		rc = derive_run(in.db, in.store, agent(), 0, false);
		if (rc > 0)
			fprintf(stderr, "cinemateca: %d derivatives failed; 'cinemateca derive' tries "
				"them again\n", rc);
	}
	store_close(in.store);
	db_close(in.db);
	if (in.failed)
		return cli_fail("%d of %d files were not ingested (see above)", in.failed, in.nfiles);
	return 0;
}

int cmd_derive(struct cli *cli)
{
	struct archive a;
	struct store *s;
	struct db *db;
	int rc;

	if (cli->argc != 1)
		return cli_usage(cli_find("derive"));
	if (!(db = cli_open_archive(cli, DB_WRITE, &a)))
		return 1;
	if (store_open(a.dir, &s)) {
		db_close(db);
		return cli_fail("cannot open the object store in %s", a.dir);
	}
	rc = derive_run(db, s, agent(), 0, false);
	store_close(s);
	db_close(db);
	if (rc < 0)
		return cli_fail("cannot run derivative jobs: %s", err_str(rc));
	return rc > 0 ? cli_fail("%d derivatives failed", rc) : 0;
}

int cmd_hash(struct cli *cli)
{
	int failed = 0;

	if (cli->argc < 2)
		return cli_usage(cli_find("hash"));
	for (int i = 1; i < cli->argc; i++) {
		struct digest d;
		int rc = store_hash_file(cli->argv[i], &d, NULL, NULL);
		if (rc) {
			cli_fail("%s: %s", cli->argv[i], rc == ERR_NOTFOUND ? "no such file" :
				 rc == ERR_IO ? strerror(errno) : err_str(rc));
			failed++;
			continue;
		}
		printf("%s  %s  %llu  %s\n", d.sha256, d.md5, (unsigned long long)d.size, cli->argv[i]);
	}
	return failed ? 1 : 0;
}

/* ---- subtitles ------------------------------------------------------- */

int cmd_subtitle(struct cli *cli)
{
	const char *ref = NULL, *lang = NULL, *path = NULL;
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	struct subtitle_opts o = {.agent = agent()};
	struct subtitle_result res;
	struct buf bytes, msg;
	struct archive a;
	struct store *s = NULL;
	struct db *db = NULL;
	FILE *f;
	int rc, status = 1;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--lang") == 0 && i + 1 < cli->argc)
			lang = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--encoding") == 0 && i + 1 < cli->argc)
			o.encoding = cli->argv[++i];
		else if (!ref && cli->argv[i][0] != '-')
			ref = cli->argv[i];
		else if (!path && cli->argv[i][0] != '-')
			path = cli->argv[i];
		else
			return cli_usage(cli_find("subtitle"));
	}
	if (!ref || !lang || !path)
		return cli_usage(cli_find("subtitle"));
	if (!str_lang_valid(lang))
		return cli_fail("\"%s\" is not a language tag such as es, en, qu", lang);
	o.name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	buf_init(&bytes, SUBS_FILE_MAX);
	buf_init(&msg, 1 << 20);
	f = fopen(path, "rb");
	if (!f) {
		cli_fail("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	{
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			if (buf_append(&bytes, chunk, n))
				break;
	}
	rc = ferror(f) ? ERR_IO : bytes.err;
	fclose(f);
	if (rc) {
		cli_fail("cannot read %s: %s", path, rc == ERR_TOOBIG ? "larger than 16 MiB" : strerror(errno));
		goto out;
	}
	if (!(db = cli_open_archive(cli, DB_WRITE, &a)))
		goto out;
	rc = aq_record_ref(db, ref, id, type, slug);
	if (rc != 1) {
		cli_fail("no record \"%s\" (give its slug or id); nothing was stored", ref);
		goto out;
	}
	if (store_open(a.dir, &s)) {
		cli_fail("cannot open the object store");
		goto out;
	}
	rc = subtitle_store(db, s, id, lang, bytes.data ? bytes.data : "", bytes.len, &o, &res, &msg);
	if (rc == ERR_INVALID) {
		fputs(buf_str(&msg), stderr);
		cli_fail("%s: nothing was stored; mend the lines above and try again", path);
		goto out;
	} else if (rc) {
		cli_fail("%.*s", msg.len ? (int)msg.len - 1 : 0, buf_str(&msg));
		goto out;
	}
	if (res.already)
		printf("already stored %s %s (%d cues, %s; already this record's)\n", res.sha256, o.name,
		       res.cues, lang);
	else if (*res.track_name)
		printf("stored %s %s (%d cues, %s, converted from %s as %s)\n", res.sha256, o.name,
		       res.cues, lang, res.srt ? "SRT" : o.encoding, res.track_name);
	else
		printf("stored %s %s (%d cues, %s)\n", res.sha256, o.name, res.cues, lang);
	status = 0;
out:
	buf_free(&bytes);
	buf_free(&msg);
	store_close(s);
	db_close(db);
	return status;
}

/* ---- fixity ---------------------------------------------------------- */

/* report prints the files an object stands for, with their records. */
static void report(struct db *db, const char *what, const char *sha256, const char *detail)
{
	sqlite3_stmt *st = fq_files_using(db, sha256);
	int n = 0;

	while (st && db_step(db, st) == 1) {
		printf("%-9s %s  %s/%s  %s (file %s)%s%s\n", what, sha256, db_text(st, 2),
		       db_text(st, 1), db_text(st, 3), db_text(st, 0), detail ? ": " : "",
		       detail ? detail : "");
		n++;
	}
	if (n == 0)
		printf("%-9s %s%s%s\n", what, sha256, detail ? ": " : "", detail ? detail : "");
}

static int fixity_events(struct db *db, const char *sha256, bool ok, const char *detail)
{
	sqlite3_stmt *st = fq_files_using(db, sha256);
	char ids[64][40];
	int n = 0, rc = 0;

	/* collect first: the statement must be done before the writes */
	while (st && db_step(db, st) == 1 && n < 64)
		snprintf(ids[n++], sizeof ids[0], "%s", db_text(st, 0));
	if (st)
		sqlite3_reset(st);
	for (int i = 0; i < n && rc == 0; i++)
		rc = fq_event(db, "fixity check", ids[i], sha256, agent(), ok, detail);
	return rc ? rc : fq_object_checked(db, sha256, ok);
}

int cmd_fixity(struct cli *cli)
{
	unsigned long long since = 0, sample = 100;
	bool repair = false, has_since = false;
	char cutoff[21], (*list)[SHA256_HEX + 1] = NULL;
	struct archive a;
	struct store *s;
	struct db *db;
	sqlite3_stmt *st;
	int n = 0, cap = 0, bad = 0, checked = 0, removed;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--since") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], 100000, &since))
				return cli_fail("--since wants a number of days");
			has_since = true;
		} else if (strcmp(cli->argv[i], "--sample") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], 100, &sample) || sample == 0)
				return cli_fail("--sample wants a percentage from 1 to 100");
		} else if (strcmp(cli->argv[i], "--repair-tmp") == 0) {
			repair = true;
		} else {
			return cli_usage(cli_find("fixity"));
		}
	}
	if (!(db = cli_open_archive(cli, DB_WRITE, &a)))
		return 1;
	if (store_open(a.dir, &s)) {
		db_close(db);
		return cli_fail("cannot open the object store in %s", a.dir);
	}
	if (repair) {
		if (store_clean_tmp(s, &removed))
			fprintf(stderr, "cinemateca: could not remove everything in %s/tmp\n", a.dir);
		printf("removed %d staging files from tmp/\n", removed);
	}
	if (has_since) {
		time_t t = time(NULL) - (time_t)since * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	st = fq_objects_to_check(db, has_since ? cutoff : NULL);
	while (st && db_step(db, st) == 1) {
		if (n == cap) {
			void *p = realloc(list, (size_t)(cap = cap ? cap * 2 : 256) * sizeof *list);
			if (!p) {
				sqlite3_reset(st);
				free(list);
				store_close(s);
				db_close(db);
				return cli_fail("out of memory");
			}
			list = p;
		}
		snprintf(list[n++], SHA256_HEX + 1, "%s", db_text(st, 0));
	}
	if (st)
		sqlite3_reset(st);
	/* the list comes in random order: a sample is its first share */
	int take = (int)((n * (long long)sample + 99) / 100);
	for (int i = 0; i < take; i++) {
		struct digest d;
		int rc = store_verify(s, list[i], &d, NULL, NULL);
		char detail[120];

		checked++;
		if (rc == 0) {
			printf("ok        %s\n", list[i]);
			snprintf(detail, sizeof detail, "sha256 matches");
		} else if (rc == ERR_NOTFOUND) {
			report(db, "MISSING", list[i], NULL);
			snprintf(detail, sizeof detail, "object missing");
			bad++;
		} else if (rc == ERR_INVALID) {
			snprintf(detail, sizeof detail, "now hashes to %s", d.sha256);
			report(db, "CORRUPTED", list[i], detail);
			bad++;
		} else {
			snprintf(detail, sizeof detail, "cannot read: %s", strerror(errno));
			report(db, "UNREADABLE", list[i], detail);
			bad++;
		}
		if (db_begin(db) == 0) {
			if (fixity_events(db, list[i], rc == 0, detail) == 0)
				db_commit(db);
			else
				db_rollback(db);
		}
	}
	free(list);
	store_close(s);
	db_close(db);
	printf("%d objects checked, %d bad\n", checked, bad);
	return bad ? 1 : 0;
}

/* ---- delete ---------------------------------------------------------- */

/* delete_file marks one file deleted and removes its object when no live
 * file uses it any more. Runs inside the caller's transaction; the object
 * is removed from disk only after commit (listed in *gone). */
static int delete_file(struct db *db, const char *file_id, const char *reason, char gone[SHA256_HEX + 1])
{
	sqlite3_stmt *st = fq_file(db, file_id);
	char sha[SHA256_HEX + 1], detail[600];
	int rc;

	gone[0] = '\0';
	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	if (rc != 1 || db_text_or_null(st, FQ_DELETED)) {
		sqlite3_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	snprintf(sha, sizeof sha, "%s", db_text(st, FQ_SHA256));
	snprintf(detail, sizeof detail, "%s; %s", db_text(st, FQ_NAME), reason);
	sqlite3_reset(st);
	rc = fq_file_delete(db, file_id, sha);
	if (rc < 0)
		return rc;
	if (rc == 1)
		snprintf(gone, SHA256_HEX + 1, "%s", sha);
	return fq_event(db, "deletion", file_id, sha, agent(), true, detail);
}

int cmd_delete(struct cli *cli)
{
	const char *target = NULL, *reason = NULL;
	char id[UUID_STR_LEN + 1], type[16], slug[81], (*gone)[SHA256_HEX + 1] = NULL;
	struct archive a;
	struct store *s;
	struct db *db;
	int ngone = 0, rc;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--reason") == 0 && i + 1 < cli->argc)
			reason = cli->argv[++i];
		else if (!target && cli->argv[i][0] != '-')
			target = cli->argv[i];
		else
			return cli_usage(cli_find("delete"));
	}
	if (!target || !reason || !*reason)
		return cli_usage(cli_find("delete"));
	if (!(db = cli_open_archive(cli, DB_WRITE, &a)))
		return 1;
	if (store_open(a.dir, &s)) {
		db_close(db);
		return cli_fail("cannot open the object store");
	}
	if (db_begin(db)) {
		store_close(s);
		db_close(db);
		return cli_fail("cannot write the catalogue: %s", db->err);
	}
	rc = aq_record_ref(db, target, id, type, slug);
	if (rc == 1) {
		/* a record: its files first, then the record, with a tombstone */
		sqlite3_stmt *st = fq_files_of(db, id);
		char files[256][40];
		int n = 0;
		while (st && db_step(db, st) == 1 && n < 256)
			snprintf(files[n++], sizeof files[0], "%s", db_text(st, FQ_ID));
		if (st)
			sqlite3_reset(st);
		gone = calloc((size_t)n + 1, sizeof *gone);
		rc = gone ? 0 : ERR_NOMEM;
		for (int i = 0; i < n && rc == 0; i++) {
			rc = delete_file(db, files[i], reason, gone[ngone]);
			if (rc == 0 && gone[ngone][0])
				ngone++;
		}
		if (rc == 0)
			rc = fq_record_delete(db, id, agent(), reason);
		if (rc == 0)
			rc = aq_audit(db, agent(), "delete", id, reason);
		if (rc == 0)
			rc = rq_reindex_all(db);	/* names of the deleted record leave its neighbours */
	} else if (rc == 0) {
		gone = calloc(1, sizeof *gone);
		rc = gone ? delete_file(db, target, reason, gone[0]) : ERR_NOMEM;
		if (rc == ERR_NOTFOUND) {
			db_rollback(db);
			store_close(s);
			db_close(db);
			free(gone);
			return cli_fail("no record or live file \"%s\"", target);
		}
		if (rc == 0 && gone[0][0])
			ngone = 1;
		if (rc == 0)
			rc = aq_audit(db, agent(), "delete file", NULL, target);
		snprintf(slug, sizeof slug, "file %s", target);
	}
	if (rc || db_commit(db)) {
		if (db->depth)
			db_rollback(db);
		free(gone);
		store_close(s);
		db_close(db);
		return cli_fail("nothing was deleted: %s", db->err);
	}
	/* the catalogue no longer points at them: now the bytes may go */
	for (int i = 0; i < ngone; i++)
		if (store_remove(s, gone[i]))
			fprintf(stderr, "cinemateca: could not remove object %s: %s\n", gone[i],
				strerror(errno));
	printf("cinemateca: deleted %s (%d objects removed from the store)\n", slug, ngone);
	free(gone);
	store_close(s);
	db_close(db);
	return 0;
}
