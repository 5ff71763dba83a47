/* subtitle.c: a subtitle file into the archive (see subtitle.h).
 *
 * Reads top to bottom: decode and parse (every problem reported, nothing
 * stored), write the WebVTT, put the bytes in the store, then one
 * transaction records the original, its derivative, the cues and blocks,
 * their events and the audit line. The objects go in before the
 * transaction, as ingest does: a failure after them leaves bytes that no
 * row names yet and that a later store of the same file reuses. */
#include "subtitle.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "interop/subs.h"
#include "preserve/preserve.h"
#include "store/objects.h"

/* track_name: the derivative's name, NAME with its extension made .vtt
 * (".utf-8.vtt" when that is NAME itself: a WebVTT in another encoding). */
static void track_name(const char *name, char out[256])
{
	const char *dot = strrchr(name, '.');
	int base = dot && dot != name ? (int)(dot - name) : (int)strlen(name);

	if (base > 200)
		base = 200;
	snprintf(out, 256, "%.*s.vtt", base, name);
	if (strcmp(out, name) == 0)
		snprintf(out, 256, "%.*s.utf-8.vtt", base, name);
}

/* techmd: what the file is, as JSON; caller frees. NULL if out of memory. */
static char *techmd(const struct cue_list *l, const char *lang, const char *format,
		    const char *encoding, const char *converted_from)
{
	json_t *o = json_pack("{s:i, s:s, s:s}", "cues", l->n, "lang", lang, "format", format);
	char *s;

	if (o && encoding)
		json_object_set_new(o, "encoding", json_string(encoding));
	if (o && converted_from)
		json_object_set_new(o, "converted_from", json_string(converted_from));
	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

/* drop_new takes back an object this call put in the store, when no live
 * file uses it (the transaction that would have recorded it failed, or it
 * was not needed). */
static void drop_new(struct db *db, struct store *s, const char *sha256, bool is_new)
{
	if (is_new)
		preserve_drop_unused(db, s, sha256);
}

/* record_cues writes the cues and blocks of the track file. */
static int record_cues(struct db *db, const char *record_id, const char *lang, const char *track,
		       const struct cue_list *l)
{
	struct buf plain;
	int rc;

	buf_init(&plain, SUBS_MAX_TEXT * 2);
	rc = fq_cues_clear(db, record_id, lang);
	for (int i = 0; i < l->n && rc == 0; i++) {
		const struct cue *c = &l->cues[i];
		struct cue_new cn = {.record_id = record_id, .file_id = track, .lang = lang,
				     .start_ms = c->start_ms, .end_ms = c->end_ms,
				     .ident = c->id, .settings = c->settings};

		buf_reset(&plain);
		if ((rc = subs_plain(c->text, &plain)))
			break;
		cn.text = buf_str(&plain);
		cn.markup = strcmp(cn.text, c->text) != 0 ? c->text : NULL;
		rc = fq_cue_put(db, &cn);
	}
	for (int i = 0; i < l->nblocks && rc == 0; i++)
		rc = fq_cue_block_add(db, track, i, subs_block_kind_name(l->blocks[i].kind),
				      l->blocks[i].before, l->blocks[i].text);
	buf_free(&plain);
	return rc;
}

int subtitle_store(struct db *db, struct store *s, const char *record_id, const char *lang,
		   const char *bytes, size_t len, const struct subtitle_opts *o,
		   struct subtitle_result *res, struct buf *msg)
{
	const char *name = o->name && *o->name ? o->name : "subtitles";
	const char *text = bytes;
	size_t tlen = len;
	struct buf utf8, vtt;
	struct cue_list l;
	struct digest d = {0}, dv = {0};
	bool existed = true, existed_v = true, derive = false;
	char *tm = NULL, *tmv = NULL, detail[400], what[400];
	int rc;

	memset(res, 0, sizeof *res);
	memset(&l, 0, sizeof l);
	buf_init(&utf8, (size_t)SUBS_FILE_MAX * 4);
	buf_init(&vtt, (size_t)SUBS_FILE_MAX * 2);
	if (!str_lang_valid(lang)) {
		buf_printf(msg, "\"%s\" is not a language tag such as es, en, qu\n", lang);
		rc = ERR_INVALID;
		goto out;
	}
	if (len > SUBS_FILE_MAX) {
		buf_printf(msg, "%s: larger than %u MiB: not a subtitle file, or split it\n", name,
			   SUBS_FILE_MAX >> 20);
		rc = ERR_TOOBIG;
		goto out;
	}
	if (o->encoding) {
		if ((rc = subs_decode(bytes, len, o->encoding, name, &utf8, msg)))
			goto out;
		text = buf_str(&utf8);
		tlen = utf8.len;
	}
	if ((rc = subs_parse(text, tlen, name, &l, msg)))
		goto out;
	if ((rc = subs_write_webvtt(&l, &vtt))) {
		buf_printf(msg, "cannot write the WebVTT: %s\n", err_str(rc));
		goto out;
	}
	/* the original is the track when it is already UTF-8 WebVTT; an SRT
	 * or another encoding gets a WebVTT made from it */
	derive = l.srt || tlen != len || memcmp(text, bytes, len) != 0;
	res->srt = l.srt;
	res->cues = l.n;
	if ((rc = store_put_bytes(s, bytes, len, &d, &existed)) == 0 && derive &&
	    (rc = store_put_bytes(s, vtt.data, vtt.len, &dv, &existed_v)) != 0)
		drop_new(db, s, d.sha256, !existed);
	if (rc) {
		buf_printf(msg, "cannot store the subtitles: %s\n",
			   rc == ERR_IO ? strerror(errno) : err_str(rc));
		existed = existed_v = true;	/* nothing of ours to take back */
		goto out;
	}
	snprintf(res->sha256, sizeof res->sha256, "%s", d.sha256);
	rc = fq_subtitle_current(db, record_id, d.sha256, lang);
	if (rc == 1) {
		res->already = true;
		rc = 0;
		goto out;
	} else if (rc < 0) {
		buf_printf(msg, "cannot read the catalogue: %s\n", db->err);
		goto out;
	}
	uuid_v7(res->file_id);
	snprintf(res->track_id, sizeof res->track_id, "%s", res->file_id);
	if (derive) {
		uuid_v7(res->track_id);
		track_name(name, res->track_name);
	}
	tm = techmd(&l, lang, l.srt ? "srt" : "webvtt", o->encoding, NULL);
	tmv = derive ? techmd(&l, lang, "webvtt", NULL, l.srt ? "srt" : o->encoding) : NULL;
	if (!tm || (derive && !tmv)) {
		rc = ERR_NOMEM;
		buf_puts(msg, "out of memory\n");
		goto out;
	}
	struct file_new orig = {.id = res->file_id, .record_id = record_id, .role = "subtitle",
				.digest = &d, .mime = l.srt ? "application/x-subrip" : "text/vtt",
				.name = name, .techmd = tm};
	struct file_new made = {.id = res->track_id, .record_id = record_id, .role = "subtitle",
				.digest = &dv, .mime = "text/vtt", .name = res->track_name,
				.techmd = tmv, .derived_from = res->file_id, .derivative = "webvtt"};
	snprintf(detail, sizeof detail, "%s (%s, %d cues%s%s); sha256 %s", name, lang, l.n,
		 o->encoding ? ", " : "", o->encoding ? o->encoding : "", d.sha256);
	snprintf(what, sizeof what, "webvtt of %s (sha256 %s); %llu bytes", name, d.sha256,
		 derive ? (unsigned long long)dv.size : 0ULL);
	rc = db_begin(db);
	if (rc == 0)
		rc = fq_object_add(db, &d);
	if (rc == 0)
		rc = fq_file_add(db, &orig);
	if (rc == 0)
		rc = fq_event(db, "ingestion", res->file_id, d.sha256, o->agent, true, detail);
	if (rc == 0 && derive)
		rc = fq_object_add(db, &dv);
	if (rc == 0 && derive)
		rc = fq_file_add(db, &made);
	if (rc == 0 && derive)
		rc = fq_event(db, "creation", res->track_id, dv.sha256, o->agent, true, what);
	if (rc == 0)
		rc = record_cues(db, record_id, lang, res->track_id, &l);
	if (rc == 0)
		rc = aq_audit(db, o->agent, "subtitle", record_id, detail);
	if (rc == 0)
		rc = preserve_object_held(db, s, d.sha256);
	if (rc == 0 && derive)
		rc = preserve_object_held(db, s, dv.sha256);
	if (rc == 0)
		rc = db_commit(db);
	if (rc) {
		buf_printf(msg, "cannot record the subtitles: %s\n",
			   *db->err ? db->err : err_str(rc));
		if (db->depth)
			db_rollback(db);
		res->file_id[0] = res->track_id[0] = '\0';
	}
out:
	/* after a failure (or the same file again), bytes put above that no
	 * row names go again */
	if (rc || res->already) {
		drop_new(db, s, d.sha256, !existed);
		if (derive)
			drop_new(db, s, dv.sha256, !existed_v);
	}
	free(tm);
	free(tmv);
	subs_free(&l);
	buf_free(&utf8);
	buf_free(&vtt);
	return rc;
}
