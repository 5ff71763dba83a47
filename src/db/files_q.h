/* files_q.h: the SQL of stored objects, files, preservation events,
 * derivative jobs and deletions. Functions return 0 (1 for "found") or a
 * negative ERR_* with db->err set. */
#ifndef CINEMATECA_FILES_Q_H
#define CINEMATECA_FILES_Q_H

#include <stdbool.h>
#include <sqlite3.h>

#include "store/objects.h"

struct db;

/* fq_object_add records an object (nothing if already recorded). */
int fq_object_add(struct db *db, const struct digest *d);

/* A file to record: a use of an object by a record. */
struct file_new {
	const char *id;			/* UUID */
	const char *record_id;
	const char *role;		/* master, mezzanine, access, poster, subtitle, transcript, scan, other */
	const struct digest *digest;
	const char *mime;		/* or NULL */
	const char *name;		/* the name it came under, or NULL */
	const char *techmd;		/* JSON from probe_file(), or NULL */
	const char *derived_from;	/* the source file's id for a derivative, else NULL */
	const char *derivative;		/* access-mp4, poster, contact-sheet, page-image, or NULL */
};
int fq_file_add(struct db *db, const struct file_new *f);

/* fq_file_find: the live file of this record already holding this object
 * with this role: 1 and its id, 0 if none. */
int fq_file_find(struct db *db, const char *record_id, const char *sha256, const char *role,
		 char id[40]);

/* fq_event records a preservation event (type: ingestion, fixity check,
 * creation, replication, deletion; agent: who or what did it). */
int fq_event(struct db *db, const char *type, const char *file_id, const char *sha256,
	     const char *agent, bool success, const char *detail);

/* Columns of fq_files_of and fq_file. */
enum { FQ_ID, FQ_ROLE, FQ_NAME, FQ_SIZE, FQ_MIME, FQ_SHA256, FQ_MD5, FQ_TECHMD,
       FQ_DERIVATIVE, FQ_DERIVED_FROM, FQ_CREATED, FQ_RECORD_ID, FQ_DELETED };
/* the live files of a record that db->principal may read (the file's own
 * level, else the record's), masters first then derivatives */
sqlite3_stmt *fq_files_of(struct db *db, const char *record_id);
/* fq_files_shown_of: every live file of a record, readable or not, for a
 * caller that has checked the record itself is readable (a IIIF manifest
 * shows a film the asker may not play yet, with the service that asks for
 * access): the columns of fq_files_of, then FQ_READABLE (db->principal may
 * read it) and FQ_PUBLIC (everyone may). Same order as fq_files_of. */
enum { FQ_READABLE = FQ_DELETED + 1, FQ_PUBLIC };
sqlite3_stmt *fq_files_shown_of(struct db *db, const char *record_id);
/* one file by id, live or deleted */
sqlite3_stmt *fq_file(struct db *db, const char *file_id);

/* fq_file_readable: a live file db->principal may read (its own level,
 * else its record's): 1 with sha256, mime, size, created and whether it
 * is public to everyone, 0 when not (missing, deleted or not allowed). */
struct file_ref {
	char sha256[65];
	char mime[64];
	long long size;
	char created[21];
	int public_to_all;
};
int fq_file_readable(struct db *db, const char *file_id, struct file_ref *out);

/* the events of a file, oldest first: 0 at, 1 type, 2 agent, 3 outcome, 4 detail */
sqlite3_stmt *fq_events_of(struct db *db, const char *file_id);

/* fq_job_add queues a derivative of a file (nothing if already queued). */
int fq_job_add(struct db *db, const char *file_id, const char *kind);
/* the jobs still to do: 0 job id, 1 file id, 2 kind, 3 source sha256, 4 source mime,
 * 5 record id, 6 attempts */
sqlite3_stmt *fq_jobs_pending(struct db *db, int max_attempts);
int fq_job_finish(struct db *db, long long job_id, bool success, const char *error);

/* Objects to check for fixity: live objects not checked since the cutoff
 * (ISO time, NULL: all), in a random order when sampling:
 * 0 sha256, 1 md5, 2 size. */
sqlite3_stmt *fq_objects_to_check(struct db *db, const char *checked_before);
int fq_object_checked(struct db *db, const char *sha256, bool ok);
/* the live files using an object: 0 file id, 1 record slug, 2 record type, 3 name */
sqlite3_stmt *fq_files_using(struct db *db, const char *sha256);

/* every live file of a record, whoever may read it (for deleting them
 * all): 0 file id */
sqlite3_stmt *fq_file_ids_of(struct db *db, const char *record_id);
/* the live files made from a file (its derivatives: an access copy, the
 * WebVTT of an SRT): 0 file id */
sqlite3_stmt *fq_derivative_ids_of(struct db *db, const char *file_id);
/* fq_object_live: 1 when a live file uses the object, 0 when none does. */
int fq_object_live(struct db *db, const char *sha256);

/* fq_file_delete marks a file deleted (its row stays); returns 1 if the
 * object is no longer used by any live file, 0 if still used. */
int fq_file_delete(struct db *db, const char *file_id, const char *sha256);

/* fq_record_delete deletes a record, leaving a tombstone and a change-log
 * entry. Its file rows go with it: the caller first deletes each file
 * (fq_file_delete and a deletion event, which outlives the row). */
int fq_record_delete(struct db *db, const char *record_id, const char *actor, const char *reason);

/* fq_cues_clear removes a record's cues in one language (a new subtitle
 * file for that language replaces them). */
int fq_cues_clear(struct db *db, const char *record_id, const char *lang);
int fq_cue_add(struct db *db, const char *record_id, const char *file_id, const char *lang,
	       long long start_ms, long long end_ms, const char *text);

/* A cue to record, with what subtitle files say besides its words. */
struct cue_new {
	const char *record_id, *file_id, *lang;
	long long start_ms, end_ms;
	const char *text;		/* the words (subs_plain), for search and the transcript */
	const char *ident;		/* its identifier as written, or NULL */
	const char *settings;		/* its settings as written, or NULL */
	const char *markup;		/* its WebVTT cue text when not text itself, or NULL */
};
int fq_cue_put(struct db *db, const struct cue_new *c);
/* fq_cue_block_add records a block of a subtitle file that is not a cue
 * (kind: header, note, style, region), ord-th in the file, after
 * before_cue cues. */
int fq_cue_block_add(struct db *db, const char *file_id, int ord, const char *kind,
		     int before_cue, const char *text);
/* A subtitle file's blocks in their order: 0 kind, 1 before_cue, 2 text. */
sqlite3_stmt *fq_cue_blocks(struct db *db, const char *file_id);

/* The subtitle tracks of a record that db->principal may read, one per
 * language (the file holding that language's cues): 0 lang, 1 file id,
 * 2 number of cues; by language. */
sqlite3_stmt *fq_tracks(struct db *db, const char *record_id);
/* A record's cues in one language, in the order they are said, at most
 * limit, when db->principal may read their file: 0 start_ms, 1 end_ms,
 * 2 text. */
sqlite3_stmt *fq_cues_of(struct db *db, const char *record_id, const char *lang, int limit);
/* fq_subtitle_current: 1 when this record's cues in lang already come
 * from a live subtitle file holding this object, or from the WebVTT made
 * from it (the same file given again), else 0. */
int fq_subtitle_current(struct db *db, const char *record_id, const char *sha256, const char *lang);
/* fq_file_set_access gives a live file its own level (NULL: its record's). */
int fq_file_set_access(struct db *db, const char *file_id, const char *level);

#endif
