/* cmd_ingest.c: ingest, derive, hash, fixity and delete from the command
 * line: each parses its arguments, calls the preservation core
 * (preserve/preserve.h) and prints what it reports; subtitle, which
 * stores subtitle files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
#include "interop/subs.h"
#include "preserve/preserve.h"
#include "preserve/subtitle.h"
#include "store/objects.h"

/* agent names this program and the person running it, for events. */
static const char *agent(void)
{
	static char name[120];

	snprintf(name, sizeof name, "cinemateca %s (%s)", CINEMATECA_VERSION, cli_actor());
	return name;
}

/* ---- the preservation core, opened for a command ------------------------ */

/* What a command shows while the core works: its lines, and on a terminal
 * a progress line that they do not tear. */
struct view {
	bool tty;			/* stderr is a terminal: draw progress */
	uint64_t done, total;		/* bytes, from the last progress call */
	struct timespec start;
	double last_draw;
};

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

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void draw(struct view *v, bool force)
{
	double t = seconds_since(&v->start), rate;
	char done[16], total[16], speed[16];

	if (!v->tty || v->total == 0 || (!force && t - v->last_draw < 0.2))
		return;
	v->last_draw = t;
	rate = t > 0 ? (double)v->done / t : 0;
	human((double)v->done, done);
	human((double)v->total, total);
	human(rate, speed);
	if (rate > 0 && v->total > v->done) {
		long eta = lround((double)(v->total - v->done) / rate);
		fprintf(stderr, "\r\033[K  %s / %s  %s/s  ETA %ld:%02ld", done, total, speed, eta / 60,
			eta % 60);
	} else {
		fprintf(stderr, "\r\033[K  %s / %s  %s/s", done, total, speed);
	}
}

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct view *v = arg;

	v->done = done;
	v->total = total;
	draw(v, false);
}

/* on_say prints a line of the core's: its findings and results to
 * standard output, its problems to standard error. */
static void on_say(void *arg, bool problem, const char *line)
{
	struct view *v = arg;

	if (v->tty && v->total)
		fputs("\r\033[K", stderr);
	if (problem)
		fprintf(stderr, "cinemateca: %s\n", line);
	else
		printf("%s\n", line);
	fflush(problem ? stderr : stdout);
	draw(v, true);
}

/* core_open opens the archive for writing and its store into *p. Returns 0,
 * or prints why not and returns 1. */
static int core_open(struct cli *cli, struct archive *a, struct preserve *p, struct view *v)
{
	memset(p, 0, sizeof *p);
	memset(v, 0, sizeof *v);
	v->tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &v->start);
	if (!(p->db = cli_open_archive(cli, DB_WRITE, a)))
		return 1;
	if (store_open(a->dir, &p->store)) {
		db_close(p->db);
		p->db = NULL;
		return cli_fail("cannot open the object store in %s", a->dir);
	}
	p->agent = agent();
	p->say = on_say;
	p->progress = on_progress;
	p->arg = v;
	return 0;
}

static void core_close(struct preserve *p, struct view *v)
{
	if (v->tty && v->total)
		fputs("\r\033[K", stderr);
	store_close(p->store);
	db_close(p->db);
}

/* ---- ingest, derive, hash ------------------------------------------------ */

int cmd_ingest(struct cli *cli)
{
	struct preserve_ingest_opts o = {.jobs = 1, .derive = true};
	struct preserve_ingest_result r;
	struct preserve p;
	struct view v;
	struct archive a;
	unsigned long long jobs = 1;
	int i, rc;

	for (i = 1; i < cli->argc && cli->argv[i][0] == '-'; i++) {
		if (strcmp(cli->argv[i], "--to") == 0 && i + 1 < cli->argc)
			o.record = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--role") == 0 && i + 1 < cli->argc)
			o.role = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--jobs") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], PRESERVE_MAX_JOBS, &jobs) || jobs == 0)
				return cli_fail("--jobs wants a number from 1 to %d", PRESERVE_MAX_JOBS);
		} else if (strcmp(cli->argv[i], "--no-derive") == 0)
			o.derive = false;
		else if (strcmp(cli->argv[i], "--") == 0) {
			i++;
			break;
		} else
			return cli_usage(cli_find("ingest"));
	}
	if (!o.record || !o.role || i == cli->argc)
		return cli_usage(cli_find("ingest"));
	if (!preserve_role_valid(o.role))
		return cli_fail("\"%s\" is not a role: master, mezzanine, access, scan, poster, "
				"subtitle, transcript or other", o.role);
	o.files = cli->argv + i;
	o.nfiles = cli->argc - i;
	o.jobs = (int)jobs;
	if (core_open(cli, &a, &p, &v))
		return 1;
	rc = preserve_ingest(&p, &o, &r);
	core_close(&p, &v);
	return rc ? cli_fail("%s", p.err) : 0;
}

int cmd_derive(struct cli *cli)
{
	struct preserve p;
	struct view v;
	struct archive a;
	int rc;

	if (cli->argc != 1)
		return cli_usage(cli_find("derive"));
	if (core_open(cli, &a, &p, &v))
		return 1;
	rc = preserve_derive(&p);
	core_close(&p, &v);
	if (rc < 0)
		return cli_fail("%s", p.err);
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
		/* no message when even the message could not be written */
		if (msg.len)
			cli_fail("%.*s", (int)msg.len - 1, buf_str(&msg));
		else
			cli_fail("nothing was stored: %s", err_str(rc));
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

/* ---- fixity and delete ------------------------------------------------------ */

int cmd_fixity(struct cli *cli)
{
	struct preserve_fixity_opts o = {.sample = 100};
	struct preserve_fixity_result r;
	unsigned long long since = 0, sample = 100;
	struct preserve p;
	struct view v;
	struct archive a;
	int rc;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--since") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], 100000, &since))
				return cli_fail("--since wants a number of days");
			o.has_since = true;
			o.since_days = (unsigned)since;
		} else if (strcmp(cli->argv[i], "--sample") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], 100, &sample) || sample == 0)
				return cli_fail("--sample wants a percentage from 1 to 100");
			o.sample = (unsigned)sample;
		} else if (strcmp(cli->argv[i], "--repair-tmp") == 0) {
			o.repair_tmp = true;
		} else {
			return cli_usage(cli_find("fixity"));
		}
	}
	if (core_open(cli, &a, &p, &v))
		return 1;
	rc = preserve_fixity(&p, &o, &r);
	core_close(&p, &v);
	if (o.repair_tmp) {
		if (r.tmp_failed)
			fprintf(stderr, "cinemateca: could not remove every staging file\n");
		printf("removed %d staging files\n", r.tmp_removed);
	}
	if (rc)
		return cli_fail("%s", p.err);
	printf("%d objects checked, %d bad", r.checked, r.bad);
	if (r.unrecorded)
		printf("; %d objects in the store no file uses", r.unrecorded);
	printf("\n");
	return r.bad ? 1 : 0;
}

int cmd_delete(struct cli *cli)
{
	const char *target = NULL, *reason = NULL;
	struct preserve_delete_result r;
	struct preserve p;
	struct view v;
	struct archive a;
	int rc;

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
	if (core_open(cli, &a, &p, &v))
		return 1;
	rc = preserve_delete(&p, target, reason, &r);
	core_close(&p, &v);
	if (rc)
		return cli_fail("%s", p.err);
	printf("cinemateca: deleted %s (%d objects removed from the store)\n", r.what,
	       r.objects_removed);
	return 0;
}
