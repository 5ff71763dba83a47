/* files_section.c: the files of a record on its page (see files_section.h).
 *
 * Reads top to bottom: copy the record's live files out of their query
 * (the events of each are another query, run while rendering), then print
 * each file that is not a derivative of another one listed, with its
 * derivatives indented under it. A file shows its name, role, size, MIME
 * type, SHA-256 (shortened; the full value in the title), a summary of its
 * technical metadata (the JSON probe.c wrote) and, folded away in a
 * <details>, its preservation events, and a link to its bytes at
 * /media/FILE-ID. */
#include "files_section.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/buf.h"
#include "db/db.h"
#include "db/files_q.h"
#include "html.h"
#include "http/req.h"
#include "i18n.h"

#define MAX_FILES 500		/* files listed on one page */
#define SHA_SHOWN 12		/* hex digits of the SHA-256 shown */
#define SUMMARY_MAX 4096	/* bytes of one technical summary */


static const struct {
	const char *value;
	enum msg msg;
} roles[] = {
	{"master", MSG_FILES_ROLE_MASTER}, {"mezzanine", MSG_FILES_ROLE_MEZZANINE},
	{"access", MSG_FILES_ROLE_ACCESS}, {"poster", MSG_FILES_ROLE_POSTER},
	{"subtitle", MSG_FILES_ROLE_SUBTITLE}, {"transcript", MSG_FILES_ROLE_TRANSCRIPT},
	{"scan", MSG_FILES_ROLE_SCAN}, {"testimony", MSG_FILES_ROLE_TESTIMONY},
	{"other", MSG_FILES_ROLE_OTHER},
}, kinds[] = {
	{"access-mp4", MSG_FILES_KIND_ACCESS_MP4}, {"poster", MSG_FILES_KIND_POSTER},
	{"contact-sheet", MSG_FILES_KIND_CONTACT_SHEET}, {"page-image", MSG_FILES_KIND_PAGE_IMAGE},
	{"webvtt", MSG_FILES_KIND_WEBVTT},
}, events[] = {
	{"ingestion", MSG_FILES_EV_INGESTION}, {"fixity check", MSG_FILES_EV_FIXITY},
	{"creation", MSG_FILES_EV_CREATION}, {"replication", MSG_FILES_EV_REPLICATION},
	{"deletion", MSG_FILES_EV_DELETION},
}, stream_types[] = {
	{"video", MSG_FILES_VIDEO}, {"audio", MSG_FILES_AUDIO}, {"subtitle", MSG_FILES_SUBTITLES},
	{"image", MSG_FILES_IMAGE}, {"data", MSG_FILES_DATA},
};

#define WORD(rq, table, value) word((rq), (table), sizeof(table) / sizeof(*(table)), (value))

/* word translates a stored value through one of the tables above; an
 * unknown value is shown as it is. */
static const char *word(const struct req *rq, const void *table, size_t n, const char *value)
{
	const struct {
		const char *value;
		enum msg msg;
	} *t = table;

	for (size_t i = 0; i < n; i++)
		if (value && strcmp(t[i].value, value) == 0)
			return T(rq, t[i].msg);
	return value ? value : "";
}

static char *dup(const char *s)
{
	return strdup(s ? s : "");
}

/* decimal writes v with the given decimals and the language's decimal
 * mark (a comma in Spanish), dropping a fraction that is all zeros. */
static void decimal(const struct req *rq, double v, int places, char *out, size_t n)
{
	char *dot;

	snprintf(out, n, "%.*f", places, v);
	if ((dot = strchr(out, '.'))) {
		size_t len = strlen(out);
		while (len > 0 && out[len - 1] == '0')
			out[--len] = '\0';
		if (out[len - 1] == '.')
			out[len - 1] = '\0';
		else if (strcmp(rq->lang, "es") == 0)
			*dot = ',';
	}
}

/* human_size: 829606 -> "810,2 KiB" (binary units, as the command line). */
static void human_size(const struct req *rq, long long bytes, char *out, size_t n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	char num[32];
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	decimal(rq, v, u ? 1 : 0, num, sizeof num);
	snprintf(out, n, "%s %s", num, units[u]);
}

/* clock_text: seconds as h:mm:ss. */
static void clock_text(double seconds, char *out, size_t n)
{
	long long s = isfinite(seconds) && seconds > 0 ? llround(seconds) : 0;
	snprintf(out, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* stream_line describes one stream: "vídeo: ffv1, 320×240, 25 fps". */
static void stream_line(const struct req *rq, json_t *s, struct buf *b)
{
	const char *type = jstr(s, "type"), *codec = jstr(s, "codec"), *layout;
	long long w = jint(s, "width"), h = jint(s, "height"), rate = jint(s, "sample_rate"),
		  ch = jint(s, "channels");
	json_t *fps = json_object_get(s, "fps");
	char num[32];

	buf_printf(b, "%s: %s", WORD(rq, stream_types, type ? type : "data"), codec ? codec : "?");
	if (w > 0 && h > 0)
		buf_printf(b, ", %lld×%lld", w, h);
	if (json_is_number(fps) && json_number_value(fps) > 0) {
		decimal(rq, json_number_value(fps), 3, num, sizeof num);
		buf_printf(b, ", %s fps", num);
	}
	if (rate > 0) {
		decimal(rq, (double)rate / 1000.0, 3, num, sizeof num);
		buf_printf(b, ", %s kHz", num);
	}
	if (ch > 0) {
		char chans[128];

		i18n_count(rq, MSG_FILES_CHANNELS, (unsigned long)ch, chans, sizeof chans);
		buf_printf(b, ", %s", chans);
		if ((layout = jstr(s, "channel_layout")))
			buf_printf(b, " (%s)", layout);
	}
}

/* image_reader: libavformat's demuxers of single images end in "_pipe". */
static bool image_reader(const char *container)
{
	size_t n = strlen(container);
	return n > 5 && strcmp(container + n - 5, "_pipe") == 0;
}

/* techmd_summary writes the technical metadata as lines of text: the
 * container and duration, then one line per stream. */
static void techmd_summary(struct req *rq, const char *techmd)
{
	json_t *root = json_loads(techmd, 0, NULL), *streams, *s;
	struct buf line;
	const char *container;
	json_t *dur;
	size_t i;
	char clock[32];

	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	buf_init(&line, SUMMARY_MAX);
	/* a still image's "container" is libavformat's image reader ("piped
	 * png sequence"): its stream line says all there is */
	container = jstr(root, "container");
	if (container && !image_reader(container))
		buf_puts(&line, jstr(root, "container_long") ? jstr(root, "container_long") : container);
	dur = json_object_get(root, "duration");
	if (json_is_number(dur)) {
		clock_text(json_number_value(dur), clock, sizeof clock);
		buf_printf(&line, "%s%s", line.len ? " · " : "", clock);
	}
	html_text(&rq->body, buf_str(&line));
	streams = json_object_get(root, "streams");
	json_array_foreach(streams, i, s) {
		if (line.len)
			html_raw(&rq->body, "<br>");
		buf_reset(&line);
		stream_line(rq, s, &line);
		html_text(&rq->body, buf_str(&line));
	}
	buf_free(&line);
	json_decref(root);
}

/* file_events writes the <details> with the file's preservation events. */
static void file_events(struct req *rq, const char *file_id)
{
	sqlite3_stmt *st = fq_events_of(rq->db, file_id);
	struct buf rows;
	int n = 0;

	if (!st)
		return;
	buf_init(&rows, REQ_BODY_MAX);
	while (db_step(rq->db, st) == 1) {
		bool ok = strcmp(db_text(st, 3), "success") == 0;
		const char *at = db_text(st, 0);
		/* 2026-01-02T03:04:05Z reads as 2026-01-02 03:04 UTC */
		html_printf(&rows, "<tr><td><time datetime=\"%s\">", at);
		if (strlen(at) >= 16 && at[10] == 'T') {
			html_textn(&rows, at, 10);
			html_raw(&rows, " ");
			html_textn(&rows, at + 11, 5);
			html_raw(&rows, " UTC");
		} else {
			html_text(&rows, at);
		}
		html_printf(&rows, "</time></td><td>%s</td><td>%s</td><td>%s",
			    WORD(rq, events, db_text(st, 1)), db_text(st, 2),
			    T(rq, ok ? MSG_FILES_OK : MSG_FILES_FAILED));
		if (!ok && *db_text(st, 4))
			html_printf(&rows, ": %s", db_text(st, 4));
		html_raw(&rows, "</td></tr>\n");
		n++;
	}
	sqlite3_reset(st);
	if (n > 0 && rows.err == 0) {
		html_printf(&rq->body,
			    "<details><summary>%s (%d)</summary>\n<table class=\"audit\">\n"
			    "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
			    "<tbody>\n",
			    T(rq, MSG_FILES_EVENTS), n, T(rq, MSG_FILES_EVENT_DATE),
			    T(rq, MSG_FILES_EVENT_TYPE), T(rq, MSG_FILES_EVENT_AGENT),
			    T(rq, MSG_FILES_EVENT_OUTCOME));
		buf_append(&rq->body, rows.data, rows.len);
		html_raw(&rq->body, "</tbody>\n</table>\n</details>\n");
	}
	buf_free(&rows);
}

/* file_card writes one file; its derivatives follow inside it when
 * depth is 0. */
static void file_card(struct req *rq, struct file *files, int n, int i, int depth)
{
	struct file *f = &files[i];
	struct buf *b = &rq->body;
	char size[48], sha[SHA_SHOWN + 1];
	bool open = false;

	f->shown = true;
	if (depth)
		html_printf(b, "<li class=\"card\">\n<h4>%s</h4>\n",
			    *f->name ? f->name : T(rq, MSG_FILES_UNNAMED));
	else
		html_printf(b, "<li class=\"card\">\n<h3>%s</h3>\n",
			    *f->name ? f->name : T(rq, MSG_FILES_UNNAMED));
	html_printf(b, "<dl class=\"facts\">\n<dt>%s</dt><dd>%s", T(rq, MSG_FILES_ROLE),
		    WORD(rq, roles, f->role));
	/* the kind of derivative, unless the role already says it (a poster) */
	if (*f->derivative &&
	    strcasecmp(WORD(rq, kinds, f->derivative), WORD(rq, roles, f->role)) != 0)
		html_printf(b, " <span class=\"meta\">(%s)</span>", WORD(rq, kinds, f->derivative));
	human_size(rq, f->size, size, sizeof size);
	/* the bytes, through /media, which asks the policy again */
	html_printf(b, "</dd>\n<dt>%s</dt><dd>%s · <a href=\"/media/%p\" download>%s</a></dd>\n",
		    T(rq, MSG_FILES_SIZE), size, f->id, T(rq, MSG_FILES_DOWNLOAD));
	if (*f->mime)
		html_printf(b, "<dt>%s</dt><dd>%s</dd>\n", T(rq, MSG_FILES_MIME), f->mime);
	snprintf(sha, sizeof sha, "%s", f->sha256);
	html_printf(b, "<dt>%s</dt><dd><code title=\"%s\">%s…</code></dd>\n", T(rq, MSG_FILES_SHA256),
		    f->sha256, sha);
	if (*f->techmd) {
		html_printf(b, "<dt>%s</dt><dd>", T(rq, MSG_FILES_TECHMD));
		techmd_summary(rq, f->techmd);
		html_raw(b, "</dd>\n");
	}
	html_raw(b, "</dl>\n");
	file_events(rq, f->id);
	for (int k = 0; depth == 0 && k < n; k++) {
		if (files[k].shown || strcmp(files[k].derived_from, f->id) != 0)
			continue;
		if (!open) {
			html_printf(b, "<p class=\"meta\">%s</p>\n<ul class=\"plain derivatives\">\n",
				    T(rq, MSG_FILES_DERIVED));
			open = true;
		}
		file_card(rq, files, n, k, 1);
	}
	if (open)
		html_raw(b, "</ul>\n");
	html_raw(b, "</li>\n");
}

int files_load(struct req *rq, const char *record_id, struct files *out)
{
	sqlite3_stmt *st = fq_files_of(rq->db, record_id);
	int rc = 0;

	out->f = NULL;
	out->n = 0;
	if (!st)
		return -1;
	while (out->n < MAX_FILES && (rc = db_step(rq->db, st)) == 1) {
		struct file *f;
		if (!out->f && !(out->f = calloc(MAX_FILES, sizeof *out->f))) {
			rc = -1;
			break;
		}
		f = &out->f[out->n++];
		f->id = dup(db_text(st, FQ_ID));
		f->role = dup(db_text(st, FQ_ROLE));
		f->name = dup(db_text(st, FQ_NAME));
		f->mime = dup(db_text(st, FQ_MIME));
		f->sha256 = dup(db_text(st, FQ_SHA256));
		f->techmd = dup(db_text(st, FQ_TECHMD));
		f->derivative = dup(db_text(st, FQ_DERIVATIVE));
		f->derived_from = dup(db_text(st, FQ_DERIVED_FROM));
		f->size = sqlite3_column_int64(st, FQ_SIZE);
		if (!f->id || !f->role || !f->name || !f->mime || !f->sha256 || !f->techmd ||
		    !f->derivative || !f->derived_from) {
			rc = -1;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc < 0) {
		files_free(out);
		return -1;
	}
	return 0;
}

void files_free(struct files *fl)
{
	for (int i = 0; i < fl->n; i++) {
		free(fl->f[i].id);
		free(fl->f[i].role);
		free(fl->f[i].name);
		free(fl->f[i].mime);
		free(fl->f[i].sha256);
		free(fl->f[i].techmd);
		free(fl->f[i].derivative);
		free(fl->f[i].derived_from);
	}
	free(fl->f);
	fl->f = NULL;
	fl->n = 0;
}

void files_section(struct req *rq, struct files *fl)
{
	struct file *files = fl->f;
	int n = fl->n;

	if (n == 0)
		return;
	html_printf(&rq->body, "<section class=\"files\">\n<h2>%s</h2>\n<ul class=\"plain\">\n",
		    T(rq, MSG_FILES_TITLE));
	/* sources first, each with its derivatives; then derivatives whose
	 * source is not listed (deleted) */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			bool source_listed = false;
			if (files[i].shown)
				continue;
			for (int k = 0; k < n && *files[i].derived_from; k++)
				source_listed |= strcmp(files[k].id, files[i].derived_from) == 0;
			if (pass == 1 || !source_listed)
				file_card(rq, files, n, i, 0);
		}
	html_raw(&rq->body, "</ul>\n</section>\n");
}
