/* derive.c: derivatives made by the ffmpeg and pdftoppm programs (see
 * derive.h).
 *
 * The programs run with fork and execvp from argument vectors, never
 * through a shell, so no file name or duration is ever parsed as a
 * command. They read the source object where the store keeps it
 * (store_path) and write into scratch files the store makes in its staging
 * area (store_scratch_open, swept by store_clean_tmp after a crash); their
 * standard error goes to a log there too, whose last lines become the
 * job's error. The result is
 * then put into the store like any ingested file and recorded, with its
 * "creation" event and the job's end, in one transaction: a crash before
 * the commit leaves the job pending, to be run again.
 *
 * Each run tries a job at most once; a failed job stays queued until it has
 * failed DERIVE_MAX_ATTEMPTS times over as many runs. */
#include "derive.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "core/err.h"
#include "core/uuid.h"
#include "db/db.h"
#include "db/files_q.h"
#include "ingest/probe.h"
#include "store/objects.h"

#define DERIVE_MAX_ATTEMPTS 3	/* a job that failed this often is left alone */
#define PATH_LEN 4200
#define ERR_LEN 1200		/* the error text kept with a failed job */
#define LOG_TAIL_LINES 6	/* lines of a program's log quoted in the error */
#define THUMB_WIDTH 320		/* width of each frame of the contact sheet */
#define SHEET_COLS DERIVE_SHEET_COLS
#define SHEET_ROWS DERIVE_SHEET_ROWS

/* One pending job, copied out of fq_jobs_pending(). */
struct job {
	long long id;
	char file_id[40];		/* the source file */
	char kind[24];			/* access-mp4, poster, contact-sheet, page-image */
	char sha256[SHA256_HEX + 1];	/* the source object */
	char record_id[40];
	char name[256];			/* the source file's name, "" when it had none */
	double duration;		/* seconds, from its techmd; 0 when unknown */
};

/* What each kind makes. */
struct kind {
	const char *kind;
	const char *role;		/* the derivative file's role */
	const char *suffix;		/* added to the source's name */
	const char *mime;		/* when probing the result says nothing better */
	const char *tool;		/* "ffmpeg" or "pdftoppm" */
};

static const struct kind kinds[] = {
	{"access-mp4", "access", "-access.mp4", "video/mp4", "ffmpeg"},
	{"poster", "poster", "-poster.jpg", "image/jpeg", "ffmpeg"},
	{"contact-sheet", "other", "-contact-sheet.jpg", "image/jpeg", "ffmpeg"},
	{"page-image", "other", "-page-1.png", "image/png", "pdftoppm"},
	{NULL, NULL, NULL, NULL, NULL}};

static const struct kind *kind_of(const char *name)
{
	for (const struct kind *k = kinds; k->kind; k++)
		if (strcmp(k->kind, name) == 0)
			return k;
	return NULL;
}

/* ---- planning -------------------------------------------------------- */

/* playable_access: the video streams are H.264 and the audio streams, if
 * any, AAC: browsers play it as it is. */
static bool playable_access(const char *techmd)
{
	json_t *root = techmd ? json_loads(techmd, 0, NULL) : NULL;
	json_t *streams = json_object_get(root, "streams"), *s;
	bool video = false, ok = root != NULL;
	size_t i;

	json_array_foreach(streams, i, s) {
		const char *type = json_string_value(json_object_get(s, "type"));
		const char *codec = json_string_value(json_object_get(s, "codec"));
		if (!type || !codec)
			continue;
		if (strcmp(type, "video") == 0) {
			video = true;
			ok &= strcmp(codec, "h264") == 0;
		} else if (strcmp(type, "audio") == 0) {
			ok &= strcmp(codec, "aac") == 0;
		}
	}
	json_decref(root);
	return ok && video;
}

/* has_video: the techmd shows moving pictures (not only a still). */
static bool has_video(const char *techmd)
{
	json_t *root = techmd ? json_loads(techmd, 0, NULL) : NULL;
	json_t *streams = json_object_get(root, "streams"), *s;
	bool video = false;
	size_t i;

	json_array_foreach(streams, i, s) {
		const char *type = json_string_value(json_object_get(s, "type"));
		video |= type && strcmp(type, "video") == 0;
	}
	json_decref(root);
	return video;
}

int derive_plan(struct db *db, const char *file_id, const char *mime, const char *role)
{
	sqlite3_stmt *st = fq_file(db, file_id);
	char *techmd = NULL;
	bool derivative;
	int rc, n = 0;

	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	if (rc != 1) {
		sqlite3_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	derivative = *db_text(st, FQ_DERIVATIVE) != '\0' || *db_text(st, FQ_DERIVED_FROM) != '\0';
	if (db_text_or_null(st, FQ_TECHMD) && !(techmd = strdup(db_text(st, FQ_TECHMD)))) {
		sqlite3_reset(st);
		return ERR_NOMEM;
	}
	sqlite3_reset(st);
	if (!mime)
		mime = "";
	if (!role)
		role = "";

	if (derivative) {
		rc = 0;	/* derivatives are never derived from again */
	} else if (strcmp(mime, "application/pdf") == 0) {
		rc = fq_job_add(db, file_id, "page-image");
		n = 1;
	} else if ((strncmp(mime, "video/", 6) == 0 || has_video(techmd)) &&
		   (strcmp(role, "master") == 0 || strcmp(role, "mezzanine") == 0 ||
		    strcmp(role, "access") == 0)) {
		rc = 0;
		if (!(strcmp(role, "access") == 0 && strcmp(mime, "video/mp4") == 0 &&
		      playable_access(techmd))) {
			rc = fq_job_add(db, file_id, "access-mp4");
			n++;
		}
		if (rc == 0 && (rc = fq_job_add(db, file_id, "poster")) == 0)
			n++;
		if (rc == 0 && (rc = fq_job_add(db, file_id, "contact-sheet")) == 0)
			n++;
	} else {
		rc = 0;
	}
	free(techmd);
	return rc < 0 ? rc : n;
}

/* ---- running programs ------------------------------------------------ */

/* run_tool runs argv[0] (found on PATH) with standard input from
 * /dev/null, standard output into out_path (or /dev/null when NULL) and
 * standard error into log_path. Returns 0 when it exited with status 0;
 * otherwise ERR_IO with a description in why. */
static int run_tool(char *const argv[], const char *out_path, const char *log_path, char *why,
		    size_t whylen)
{
	int status;
	pid_t pid;

	fflush(NULL);	/* buffered output must not be written twice */
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "cannot start %s: %s", argv[0], strerror(errno));
		return ERR_IO;
	}
	if (pid == 0) {
		/* the child: only async-signal-safe calls until exec */
		int in = open("/dev/null", O_RDONLY);
		int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)
				   : open("/dev/null", O_WRONLY);
		int err = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(err, 2) < 0)
			_exit(126);
		close_range(3, ~0U, 0);
		execvp(argv[0], argv);
		static const char msg[] = "cannot run the program (is it installed?)\n";
		ssize_t w = write(2, msg, sizeof msg - 1);
		(void)w;
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, whylen, "lost %s: %s", argv[0], strerror(errno));
			return ERR_IO;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(why, whylen, "%s exited with status %d", argv[0], WEXITSTATUS(status));
	else
		snprintf(why, whylen, "%s was killed by signal %d", argv[0],
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return ERR_IO;
}

/* log_tail appends the last lines of a log to err (as long as it fits),
 * joined by " | ". */
static void log_tail(const char *log_path, char *err, size_t errlen)
{
	char tail[1024];
	size_t n, len = strlen(err);
	FILE *f = fopen(log_path, "rb");
	long size;
	int lines = 0;

	if (!f)
		return;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > (long)sizeof tail - 1)
		fseek(f, size - (long)(sizeof tail - 1), SEEK_SET);
	else
		fseek(f, 0, SEEK_SET);
	n = fread(tail, 1, sizeof tail - 1, f);
	fclose(f);
	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
		n--;
	tail[n] = '\0';
	if (n == 0)
		return;
	/* back to the start of the last LOG_TAIL_LINES lines */
	char *start = tail + n;
	while (start > tail) {
		if (start[-1] == '\n' && ++lines == LOG_TAIL_LINES)
			break;
		start--;
	}
	if (len + 2 < errlen) {
		snprintf(err + len, errlen - len, ": ");
		len += 2;
	}
	for (char *p = start; *p && len + 1 < errlen; p++) {
		if (*p == '\n') {
			if (len + 4 >= errlen)
				break;
			memcpy(err + len, " | ", 3);
			len += 3;
		} else {
			err[len++] = (unsigned char)*p < 0x20 ? ' ' : *p;
		}
	}
	err[len] = '\0';
}

/* tool_version asks a program its version ("ffmpeg version 5.1.9 ..." on
 * standard output, "pdftoppm version 22.12.0" on standard error) and
 * writes "NAME VERSION", or just NAME when it cannot tell. */
static void tool_version(const struct store *s, const char *tool, char *out, size_t n)
{
	char outp[PATH_LEN], logp[PATH_LEN], why[200], line[256];
	char *argv[] = {(char *)tool, (char *)(strcmp(tool, "ffmpeg") == 0 ? "-version" : "-v"),
			NULL};
	const char *paths[2];
	int outfd, logfd = -1;

	snprintf(out, n, "%s", tool);
	outfd = store_scratch_open(s, "derive-version", outp, sizeof outp);
	if (outfd < 0 || (logfd = store_scratch_open(s, "derive-version-log", logp, sizeof logp)) < 0)
		goto done;
	paths[0] = outp;
	paths[1] = logp;
	if (run_tool(argv, outp, logp, why, sizeof why) == 0) {
		for (int i = 0; i < 2; i++) {
			FILE *f = fopen(paths[i], "r");
			char name[64], version[128];
			if (!f)
				continue;
			if (fgets(line, sizeof line, f) &&
			    sscanf(line, "%63s version %127s", name, version) == 2) {
				snprintf(out, n, "%s %s", tool, version);
				i = 2;
			}
			fclose(f);
		}
	}
done:
	if (outfd >= 0) {
		unlink(outp);
		close(outfd);
	}
	if (logfd >= 0) {
		unlink(logp);
		close(logfd);
	}
}

/* ---- one job --------------------------------------------------------- */

/* source_details fills the job's name and duration from its file row. */
static int source_details(struct db *db, struct job *j)
{
	sqlite3_stmt *st = fq_file(db, j->file_id);
	int rc;

	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	if (rc == 1) {
		json_t *root = json_loads(db_text(st, FQ_TECHMD), 0, NULL);
		json_t *d = json_object_get(root, "duration");
		snprintf(j->name, sizeof j->name, "%s", db_text(st, FQ_NAME));
		j->duration = json_is_number(d) ? json_number_value(d) : 0;
		if (!isfinite(j->duration) || j->duration < 0)
			j->duration = 0;
		json_decref(root);
	}
	sqlite3_reset(st);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

/* derivative_name: the source's name without its extension, then the
 * kind's suffix ("film.mkv" -> "film-access.mp4"). */
static void derivative_name(const struct job *j, const struct kind *k, char *out, size_t n)
{
	char base[256];
	const char *dot = strrchr(j->name, '.');
	size_t len = dot && dot != j->name ? (size_t)(dot - j->name) : strlen(j->name);

	if (len == 0)
		snprintf(base, sizeof base, "%.12s", j->sha256);
	else
		snprintf(base, sizeof base, "%.*s", (int)len, j->name);
	snprintf(out, n, "%s%s", base, k->suffix);
}

/* ms_text writes a time in seconds as "S.mmm" without the locale's help. */
static void ms_text(double seconds, char *out, size_t n)
{
	long long ms = seconds > 0 ? llround(seconds * 1000.0) : 0;
	snprintf(out, n, "%lld.%03lld", ms / 1000, ms % 1000);
}

/* make_derivative runs the program that makes the job's derivative into out. */
static int make_derivative(const struct job *j, const char *src, const char *out,
			   const char *logp, char *err, size_t errlen)
{
	char in_url[PATH_LEN + 8], out_url[PATH_LEN + 8], at[40], filter[160];
	const char *const base[] = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"};
	const char *argv[48];
	int n = 0;

	snprintf(in_url, sizeof in_url, "file:%s", src);	/* no protocol guessing from the name */
	snprintf(out_url, sizeof out_url, "file:%s", out);
	if (strcmp(j->kind, "page-image") == 0) {
		/* without an output root pdftoppm writes the page to standard output */
		snprintf(in_url, sizeof in_url, "%s%s", src[0] == '/' ? "" : "./", src);
		const char *pdf[] = {"pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1",
				     "-singlefile", in_url, NULL};
		return run_tool((char *const *)pdf, out, logp, err, errlen);
	}
	for (size_t i = 0; i < sizeof base / sizeof *base; i++)
		argv[n++] = base[i];
	if (strcmp(j->kind, "access-mp4") == 0) {
		const char *a[] = {"-i", in_url, "-map", "0:v:0", "-map", "0:a:0?",
				   "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
				   "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
				   "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
				   "-movflags", "+faststart", "-sn", "-dn", "-f", "mp4", out_url, NULL};
		for (int i = 0; a[i]; i++)
			argv[n++] = a[i];
	} else if (strcmp(j->kind, "poster") == 0) {
		ms_text(j->duration * 0.10, at, sizeof at);
		const char *a[] = {"-ss", at, "-i", in_url, "-map", "0:v:0", "-frames:v", "1",
				   "-an", "-sn", "-dn", "-c:v", "mjpeg", "-q:v", "3",
				   "-f", "image2", "-update", "1", out_url, NULL};
		for (int i = 0; a[i]; i++)
			argv[n++] = a[i];
	} else if (strcmp(j->kind, "contact-sheet") == 0) {
		/* SHEET_COLS x SHEET_ROWS frames evenly through the film */
		long long ms = llround(j->duration * 1000.0);
		if (ms > 0)
			snprintf(filter, sizeof filter, "fps=%d/%lld.%03lld,scale=%d:-2,tile=%dx%d",
				 SHEET_COLS * SHEET_ROWS, ms / 1000, ms % 1000, THUMB_WIDTH,
				 SHEET_COLS, SHEET_ROWS);
		else
			snprintf(filter, sizeof filter, "fps=1,scale=%d:-2,tile=%dx%d", THUMB_WIDTH,
				 SHEET_COLS, SHEET_ROWS);
		const char *a[] = {"-i", in_url, "-map", "0:v:0", "-an", "-sn", "-dn",
				   "-vf", filter, "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3",
				   "-f", "image2", "-update", "1", out_url, NULL};
		for (int i = 0; a[i]; i++)
			argv[n++] = a[i];
	} else {
		snprintf(err, errlen, "no such derivative \"%s\"", j->kind);
		return ERR_INVALID;
	}
	argv[n] = NULL;
	return run_tool((char *const *)argv, NULL, logp, err, errlen);
}

/* record writes the derivative's object, file, event and the job's end in
 * one transaction. */
static int record(struct db *db, const struct job *j, const struct kind *k, const struct digest *d,
		  const char *name, const char *mime, const char *techmd, const char *agent)
{
	char id[UUID_STR_LEN + 1], detail[400];
	struct file_new f = {.id = id, .record_id = j->record_id, .role = k->role, .digest = d,
			     .mime = mime, .name = name, .techmd = techmd,
			     .derived_from = j->file_id, .derivative = j->kind};
	int rc;

	uuid_v7(id);
	snprintf(detail, sizeof detail, "%s of %s (sha256 %s); %llu bytes", j->kind,
		 *j->name ? j->name : j->file_id, j->sha256, (unsigned long long)d->size);
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = fq_object_add(db, d)) || (rc = fq_file_add(db, &f)) ||
	    (rc = fq_event(db, "creation", id, d->sha256, agent, true, detail)) ||
	    (rc = fq_job_finish(db, j->id, true, NULL)) || (rc = db_commit(db))) {
		db_rollback(db);
		return rc;
	}
	return 0;
}

/* fail_job records a failed attempt: the job's error, and a failed
 * creation event on the source file. */
static int fail_job(struct db *db, const struct job *j, const char *agent, const char *err)
{
	char detail[ERR_LEN + 40];
	int rc;

	snprintf(detail, sizeof detail, "%s: %s", j->kind, err);
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = fq_job_finish(db, j->id, false, err)) ||
	    (rc = fq_event(db, "creation", j->file_id, j->sha256, agent, false, detail)) ||
	    (rc = db_commit(db))) {
		db_rollback(db);
		return rc;
	}
	return 0;
}

/* The programs' versions, asked once per run for the events' agent. */
struct versions {
	char ffmpeg[160];	/* "ffmpeg 5.1.9-0+deb12u1", "" until asked */
	char pdftoppm[160];
};

/* run_job makes one derivative. Returns 0, or an ERR_* with err filled. */
static int run_job(struct db *db, struct store *s, struct job *j, struct versions *v,
		   const char *agent_in, derive_say_fn say, void *arg, char *err, size_t errlen)
{
	const struct kind *k = kind_of(j->kind);
	char src[PATH_LEN], out[PATH_LEN], logp[PATH_LEN];
	char name[300], mime[64], agent[400], *techmd = NULL, *tool;
	struct digest d;
	struct stat sb;
	bool existed;
	int rc, outfd = -1, logfd = -1;

	err[0] = '\0';
	if (!k) {
		snprintf(err, errlen, "no such derivative \"%s\"", j->kind);
		return ERR_INVALID;
	}
	if ((rc = source_details(db, j))) {
		snprintf(err, errlen, "the source file is not in the catalogue");
		return rc;
	}
	if (!store_exists(s, j->sha256) || store_path(s, j->sha256, src, sizeof src)) {
		snprintf(err, errlen, "the source object %s is missing from the store", j->sha256);
		return ERR_NOTFOUND;
	}
	/* the programs write where the store stages, swept after a crash;
	 * the descriptors held keep those files from anyone else's sweep */
	outfd = store_scratch_open(s, j->kind, out, sizeof out);
	if (outfd < 0 || (logfd = store_scratch_open(s, "derive-log", logp, sizeof logp)) < 0) {
		snprintf(err, errlen, "cannot make a staging file for it: %s", strerror(errno));
		rc = ERR_IO;
		goto out;
	}

	rc = make_derivative(j, src, out, logp, err, errlen);
	if (rc) {
		log_tail(logp, err, errlen);
		goto out;
	}
	if (stat(out, &sb) != 0 || sb.st_size == 0) {
		snprintf(err, errlen, "%s made nothing", k->tool);
		log_tail(logp, err, errlen);
		rc = ERR_INVALID;
		goto out;
	}
	if (probe_file(out, &techmd, mime) != 0 || strcmp(mime, "application/octet-stream") == 0)
		snprintf(mime, sizeof mime, "%s", k->mime);
	rc = store_put(s, out, &d, &existed, NULL, NULL);
	if (rc) {
		snprintf(err, errlen, "cannot store the result: %s",
			 rc == ERR_IO ? strerror(errno) : err_str(rc));
		goto out;
	}
	tool = strcmp(k->tool, "ffmpeg") == 0 ? v->ffmpeg : v->pdftoppm;
	if (!*tool)
		tool_version(s, k->tool, tool, sizeof v->ffmpeg);
	snprintf(agent, sizeof agent, "%s; %s", tool, agent_in ? agent_in : "cinemateca");
	derivative_name(j, k, name, sizeof name);
	rc = record(db, j, k, &d, name, mime, techmd, agent);
	if (rc) {
		snprintf(err, errlen, "cannot record it: %s", db->err);
		goto out;
	}
	if (say) {
		char line[600];
		snprintf(line, sizeof line, "derived %s %s %s", j->kind, d.sha256, name);
		say(arg, false, line);
	}
out:
	if (outfd >= 0) {
		unlink(out);
		close(outfd);
	}
	if (logfd >= 0) {
		unlink(logp);
		close(logfd);
	}
	free(techmd);
	return rc;
}

int derive_run(struct db *db, struct store *s, const char *agent, int max_jobs,
	       derive_say_fn say, void *arg)
{
	struct versions v = {"", ""};
	long long *tried = NULL;	/* the jobs this run has tried, however many */
	int ntried = 0, cap = 0, failed = 0, rc = 0;

	while (max_jobs <= 0 || ntried < max_jobs) {
		sqlite3_stmt *st = fq_jobs_pending(db, DERIVE_MAX_ATTEMPTS);
		struct job j;
		bool found = false;
		char err[ERR_LEN];

		if (!st) {
			rc = ERR_DB;
			break;
		}
		/* the first job not yet tried in this run */
		while (!found && (rc = db_step(db, st)) == 1) {
			long long id = sqlite3_column_int64(st, 0);
			bool seen = false;
			for (int i = 0; i < ntried && !seen; i++)
				seen = tried[i] == id;
			if (seen)
				continue;
			memset(&j, 0, sizeof j);
			j.id = id;
			snprintf(j.file_id, sizeof j.file_id, "%s", db_text(st, 1));
			snprintf(j.kind, sizeof j.kind, "%s", db_text(st, 2));
			snprintf(j.sha256, sizeof j.sha256, "%s", db_text(st, 3));
			snprintf(j.record_id, sizeof j.record_id, "%s", db_text(st, 5));
			found = true;
		}
		sqlite3_reset(st);
		if (rc < 0 || !found)
			break;
		rc = 0;
		if (ntried == cap) {
			long long *more = realloc(tried, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *more);
			if (!more) {
				rc = ERR_NOMEM;
				break;
			}
			tried = more;
		}
		tried[ntried++] = j.id;
		if (run_job(db, s, &j, &v, agent, say, arg, err, sizeof err) == 0)
			continue;
		failed++;
		if (say) {
			char line[ERR_LEN + 400];
			snprintf(line, sizeof line, "%s of %s failed: %s", j.kind,
				 *j.name ? j.name : j.file_id, err);
			say(arg, true, line);
		}
		if ((rc = fail_job(db, &j, agent, err)))
			break;
	}
	free(tried);
	return rc < 0 ? rc : failed;
}
