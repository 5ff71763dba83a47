/* subtitle.h: storing a subtitle or transcript file for a record, as the
 * command line does it and a web upload will: the file as submitted kept
 * as the preservation original (role subtitle, its own hash and events),
 * the WebVTT made from it (an SRT, or a file in another encoding) as its
 * derivative, and the cues, their ids and settings and the file's other
 * blocks in the catalogue. Nothing here prints or exits. */
#ifndef CINEMATECA_PRESERVE_SUBTITLE_H
#define CINEMATECA_PRESERVE_SUBTITLE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct db;
struct store;

struct subtitle_opts {
	const char *name;	/* the name the file came under (no folders), or NULL */
	const char *encoding;	/* the file's encoding for iconv (windows-1252...), NULL: UTF-8 */
	const char *agent;	/* who stores it, for events and the audit log */
};

struct subtitle_result {
	char sha256[65];	/* the original's */
	char file_id[40];	/* the original's file (empty when already stored) */
	char track_id[40];	/* the WebVTT file players get: the original or its derivative */
	char track_name[256];	/* the derivative's name, or "" when the original is the track */
	int cues;
	bool srt;		/* the original was SRT */
	bool already;		/* the same file was already this record's in that language */
};

/* subtitle_store reads bytes (len of them, at most SUBS_FILE_MAX) as
 * WebVTT or SRT and stores them for the record record_id in language lang
 * (a tag such as es, en, qu). A later file for the same language replaces
 * that language's cues; the same file again changes nothing (res->already).
 * Returns 0 with res filled, or an ERR_* with msg saying what was wrong
 * and what to do: ERR_INVALID (one line per problem of the file, each
 * with its line number; nothing was stored), ERR_IO (the store), ERR_DB
 * or ERR_BUSY (the catalogue; nothing was recorded), ERR_NOMEM. */
int subtitle_store(struct db *db, struct store *s, const char *record_id, const char *lang,
		   const char *bytes, size_t len, const struct subtitle_opts *o,
		   struct subtitle_result *res, struct buf *msg);

#endif
