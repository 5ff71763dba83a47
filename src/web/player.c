/* player.c: the film on its work page (see player.h).
 *
 * Reads top to bottom: pick the files the player needs out of the
 * record's readable files (the access copy, and the poster and contact
 * sheet made from the same source), the subtitle tracks, the moment asked
 * for; then write the video, the transcript in one language, and the
 * frames. */
#include "player.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "db/files_q.h"
#include "files_section.h"
#include "html.h"
#include "http/req.h"
#include "i18n.h"
#include "ingest/derive.h"
#include "page_contrib.h"
#include "interop/subs.h"

#define MAX_TRACKS 16		/* subtitle languages offered */
#define MAX_CUES 5000		/* lines of one transcript on the page */
#define T_MAX_MS (SUBS_MAX_MS + 1)	/* a moment as late as any cue may be */

struct player {
	const struct file *video, *poster, *sheet;
	double duration;	/* seconds, 0 unknown */
	struct {
		char lang[36], file[40];
	} tracks[MAX_TRACKS];
	int ntracks;
	const char *transcript;	/* the transcript's language, or NULL */
	long long t_ms;		/* the moment asked for, or -1 */
	struct contrib_note *notes;	/* published time-coded notes, by start */
	int nnotes;
};

long long player_parse_t(const char *s)
{
	long long parts[3] = {0}, frac = 0;
	int n = 0, digits = 0, fdigits = 0;

	if (!s || !*s)
		return -1;
	for (; *s && *s != '.'; s++) {
		if (*s == ':') {
			if (digits == 0 || ++n > 2)
				return -1;
			digits = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || ++digits > 7)
			return -1;
		parts[n] = parts[n] * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (fdigits < 3) {
				frac = frac * 10 + (*s - '0');
				fdigits++;
			}
		if (*s || fdigits == 0)
			return -1;
		while (fdigits++ < 3)
			frac *= 10;
	}
	/* in h:mm:ss and mm:ss the later fields are minutes and seconds */
	for (int i = 1; i <= n; i++)
		if (parts[i] > 59)
			return -1;
	long long secs = n == 0 ? parts[0] : n == 1 ? parts[0] * 60 + parts[1] :
			 parts[0] * 3600 + parts[1] * 60 + parts[2];
	long long ms = secs * 1000 + frac;
	return ms > T_MAX_MS ? -1 : ms;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static double techmd_duration(const char *techmd)
{
	json_t *root = *techmd ? json_loads(techmd, 0, NULL) : NULL;
	json_t *d = json_object_get(root, "duration");
	double v = json_is_number(d) ? json_number_value(d) : 0;

	json_decref(root);
	return isfinite(v) && v > 0 ? v : 0;
}

/* playable: 2 for an access copy someone ingested as such (a person's
 * choice), 1 for one ffmpeg made, 0 for anything else */
static int playable(const struct file *f)
{
	if (strcmp(f->role, "access") == 0 && !*f->derived_from &&
	    (strcmp(f->mime, "video/mp4") == 0 || strcmp(f->mime, "video/webm") == 0))
		return 2;
	return strcmp(f->derivative, "access-mp4") == 0;
}

/* source_of: the file a derivative was made from, or the file itself. */
static const char *source_of(const struct file *f)
{
	return *f->derived_from ? f->derived_from : f->id;
}

/* choose fills pl's files from the record's: the newest ingested access
 * copy, else the newest made one; then the poster and contact sheet made
 * from its source (any poster file when no frame was made) and the
 * film's duration. */
static void choose(struct player *pl, const struct files *fl)
{
	const char *src;
	int best = 0;

	for (int i = 0; i < fl->n; i++) {
		int p = playable(&fl->f[i]);
		if (p && p >= best) {
			pl->video = &fl->f[i];
			best = p;
		}
	}
	if (!pl->video)
		return;
	src = source_of(pl->video);
	pl->duration = techmd_duration(pl->video->techmd);
	for (int i = 0; i < fl->n; i++) {
		const struct file *f = &fl->f[i];
		bool from_src = strcmp(f->derived_from, src) == 0;

		if (strcmp(f->derivative, "poster") == 0 && from_src)
			pl->poster = f;
		else if (strcmp(f->role, "poster") == 0 && !pl->poster && strncmp(f->mime, "image/", 6) == 0)
			pl->poster = f;
		else if (strcmp(f->derivative, "contact-sheet") == 0 && from_src)
			pl->sheet = f;
		if (pl->duration <= 0 && strcmp(f->id, src) == 0)
			pl->duration = techmd_duration(f->techmd);
	}
}

static int gather(struct req *rq, const char *record_id, const struct files *fl,
		  struct player *pl)
{
	sqlite3_stmt *st;
	int rc;

	choose(pl, fl);
	st = fq_tracks(rq->db, record_id);
	if (!st)
		return -1;
	while ((rc = db_step(rq->db, st)) == 1 && pl->ntracks < MAX_TRACKS) {
		copy(pl->tracks[pl->ntracks].lang, sizeof pl->tracks[0].lang, db_text(st, 0));
		copy(pl->tracks[pl->ntracks].file, sizeof pl->tracks[0].file, db_text(st, 1));
		pl->ntracks++;
	}
	sqlite3_reset(st);
	if (rc < 0)
		return -1;

	/* the transcript: the language asked for, else the page's, else the first */
	const char *want = req_arg(rq, "transcript");
	for (int pass = 0; pass < 2 && !pl->transcript; pass++)
		for (int i = 0; i < pl->ntracks; i++)
			if (strcmp(pl->tracks[i].lang, pass == 0 && want ? want : rq->lang) == 0)
				pl->transcript = pl->tracks[i].lang;
	if (!pl->transcript && pl->ntracks)
		pl->transcript = pl->tracks[0].lang;
	pl->t_ms = player_parse_t(req_arg(rq, "t"));
	return 0;
}

/* moment_link opens a link to the player at ms: ?t=S, keeping the
 * transcript's language when it is not the page's own. */
static void moment_link(struct req *rq, const struct player *pl, long long ms)
{
	char s[32];

	str_seconds(s, sizeof s, ms);
	html_printf(&rq->body, "<a href=\"?t=%s", s);
	if (pl->transcript && strcmp(pl->transcript, rq->lang) != 0)
		html_printf(&rq->body, "%stranscript=%u", "&", pl->transcript);	/* %s: &amp; */
	html_printf(&rq->body, "#player\" data-t=\"%s\"", s);
}

static void video(struct req *rq, const struct player *pl)
{
	struct buf *b = &rq->body;
	char t[32] = "";

	if (pl->t_ms > 0) {
		t[0] = '#';
		snprintf(t + 1, sizeof t - 1, "t=");
		str_seconds(t + 3, sizeof t - 3, pl->t_ms);
	}
	html_printf(b, "<div class=\"screen\">\n<video id=\"video\" controls preload=\"metadata\" "
		    "playsinline src=\"/media/%p%s\"", pl->video->id, t);
	if (pl->poster)
		html_printf(b, " poster=\"/media/%p\"", pl->poster->id);
	html_raw(b, ">\n");
	for (int i = 0; i < pl->ntracks; i++)
		html_printf(b, "<track kind=\"subtitles\" srclang=\"%s\" label=\"%s\" src=\"/media/%p\"%s>\n",
			    pl->tracks[i].lang, i18n_lang_name(pl->tracks[i].lang), pl->tracks[i].file,
			    strcmp(pl->tracks[i].lang, rq->lang) == 0 ? " default" : "");
	html_printf(b, "<p>%s <a href=\"/media/%p\" download>%s</a></p>\n</video>\n</div>\n",
		    T(rq, MSG_NO_VIDEO), pl->video->id,
		    *pl->video->name ? pl->video->name : pl->video->id);
}

/* line_notes writes, beside the line just written, the notes that start
 * before until (-1: every note left), from *next on. */
static void line_notes(struct req *rq, const struct player *pl, int *next, long long until)
{
	struct buf *b = &rq->body;

	for (; *next < pl->nnotes && (until < 0 || pl->notes[*next].start_ms < until); (*next)++) {
		const struct contrib_note *c = &pl->notes[*next];
		html_printf(b, "<p class=\"line-memory\"><a href=\"#memory-%s\">", c->id);
		contrib_note_excerpt(rq, c);
		html_raw(b, "</a></p>");
	}
}

/* marks writes the published notes as marks of the film's timeline: a
 * list of links to their moments, which player.js lays along the film's
 * length. */
static void marks(struct req *rq, const struct player *pl)
{
	struct buf *b = &rq->body;
	char at[16], e[32];

	html_printf(b, "<ol class=\"marks plain\" id=\"marks\" aria-label=\"%s\">\n",
		    T(rq, MSG_CONTRIB_TITLE));
	for (int i = 0; i < pl->nnotes; i++) {
		const struct contrib_note *c = &pl->notes[i];
		str_clock(c->start_ms, at);
		str_seconds(e, sizeof e, c->end_ms >= 0 ? c->end_ms : c->start_ms);
		html_raw(b, "<li>");
		moment_link(rq, pl, c->start_ms);
		html_printf(b, " data-end=\"%s\"><time datetime=\"PT%lldS\">%s</time> ", e,
			    c->start_ms / 1000, at);
		contrib_note_excerpt(rq, c);
		html_raw(b, "</a></li>\n");
	}
	html_raw(b, "</ol>\n");
}

static void transcript(struct req *rq, const char *record_id, const struct player *pl)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st;
	char at[16];
	bool open = false;	/* a line's <li> is open */
	int next = 0;		/* the first note not yet beside a line */

	html_raw(b, "<section class=\"transcript\" aria-labelledby=\"transcript-h\">\n");
	if (pl->video)
		html_printf(b, "<h3 id=\"transcript-h\">%s</h3>\n", T(rq, MSG_TRANSCRIPT));
	else	/* without a film the section's own heading already says it */
		html_printf(b, "<h3 id=\"transcript-h\" class=\"vh\">%s</h3>\n", T(rq, MSG_TRANSCRIPT));
	if (pl->ntracks > 1) {
		html_raw(b, "<p class=\"langs\">");
		for (int i = 0; i < pl->ntracks; i++) {
			const char *lang = pl->tracks[i].lang;
			html_printf(b, "%s<a href=\"?transcript=%u#player\" lang=\"%s\" hreflang=\"%s\"",
				    i ? " · " : "", lang, lang, lang);
			if (strcmp(lang, pl->transcript) == 0)
				html_raw(b, " aria-current=\"true\"");
			html_printf(b, ">%s</a>", i18n_lang_name(lang));
		}
		html_raw(b, "</p>\n");
	}
	if (pl->video)
		html_printf(b, "<p class=\"meta\">%s</p>\n", T(rq, MSG_TRANSCRIPT_HINT));
	html_printf(b, "<ol id=\"transcript\" class=\"plain\" lang=\"%s\">\n", pl->transcript);
	st = fq_cues_of(rq->db, record_id, pl->transcript, MAX_CUES);
	while (st && db_step(rq->db, st) == 1) {
		long long start = sqlite3_column_int64(st, 0), end = sqlite3_column_int64(st, 1);
		char e[32];

		/* the notes made during the line before this one stand beside it */
		if (open)
			line_notes(rq, pl, &next, start);
		str_clock(start, at);
		str_seconds(e, sizeof e, end);
		if (open)
			html_raw(b, "</li>\n");
		open = true;
		html_raw(b, "<li>");
		if (pl->video) {
			moment_link(rq, pl, start);
			html_printf(b, " data-end=\"%s\">", e);
		}
		html_printf(b, "<time datetime=\"PT%lldS\">%s</time> %s", start / 1000, at, db_text(st, 2));
		if (pl->video)
			html_raw(b, "</a>");
	}
	if (open) {
		line_notes(rq, pl, &next, -1);
		html_raw(b, "</li>\n");
	}
	html_raw(b, "</ol>\n</section>\n");
}

static void frames(struct req *rq, const struct player *pl)
{
	struct buf *b = &rq->body;
	int n = DERIVE_SHEET_COLS * DERIVE_SHEET_ROWS;
	char at[16];

	html_printf(b, "<section class=\"frames\" aria-labelledby=\"frames-h\">\n<h3 id=\"frames-h\">%s</h3>\n"
		    "<div class=\"sheet\">\n<img src=\"/media/%p\" alt=\"\" loading=\"lazy\">\n<ol class=\"plain\">\n",
		    T(rq, MSG_FRAMES), pl->sheet->id);
	for (int k = 0; k < n; k++) {
		/* where frame k was taken (see derive.h), to the tenth of a second */
		long long ms = llround(pl->duration * 10.0 * (k + 0.5) / n) * 100;

		str_clock(ms, at);
		html_raw(b, "<li>");
		moment_link(rq, pl, ms);
		html_printf(b, "><span class=\"vh\">%s </span>%s</a></li>\n",
			    T(rq, MSG_FRAME_AT), at);
	}
	html_raw(b, "</ol>\n</div>\n</section>\n");
}

void player_section(struct req *rq, const char *record_id, const struct files *fl)
{
	struct player pl = {.t_ms = -1};
	struct buf *b = &rq->body;

	if (gather(rq, record_id, fl, &pl) < 0 || (!pl.video && !pl.ntracks))
		return;
	if (contrib_notes_load(rq, record_id, &pl.notes, &pl.nnotes)) {
		b->err = ERR_DB;	/* the page fails whole, never shows half */
		return;
	}
	html_printf(b, "<section class=\"player\" id=\"player\" aria-labelledby=\"player-h\">\n"
		    "<h2 id=\"player-h\">%s</h2>\n", T(rq, pl.video ? MSG_PLAYER : MSG_TRANSCRIPT));
	html_printf(b, "<div class=\"player-layout%s\">\n", pl.ntracks && pl.video ? " with-transcript" : "");
	if (pl.video) {
		html_raw(b, "<div class=\"screen-and-marks\">\n");
		video(rq, &pl);
		if (pl.nnotes)
			marks(rq, &pl);
		html_raw(b, "</div>\n");
	}
	if (pl.ntracks)
		transcript(rq, record_id, &pl);
	html_raw(b, "</div>\n");
	if (pl.video && pl.sheet && pl.duration > 0)
		frames(rq, &pl);
	html_raw(b, "</section>\n");
	if (pl.video)
		html_raw(b, "<script src=\"/static/player.js\" defer></script>\n");
	contrib_notes_free(pl.notes, pl.nnotes);
}
