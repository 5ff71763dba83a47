/* contrib_q.h: the SQL of contributions (community memories), their
 * links, tombstones and search, and of keepers' scopes. Every list asks
 * the policy inside the query (CONTRIB_READABLE, CONTRIB_MODERATES in
 * readable.h). Functions return 0 (1 for "found") or a negative ERR_* with
 * db->err set, unless said otherwise. */
#ifndef CINEMATECA_CONTRIB_Q_H
#define CINEMATECA_CONTRIB_Q_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/uuid.h"

struct db;

/* The columns of every statement that lists contributions (CQ_*). Record
 * labels are in lang, the reader's language (else the main title). */
enum cq_col {
	CQ_ID, CQ_KIND, CQ_RECORD_ID, CQ_START, CQ_END, CQ_FILE_ID, CQ_X, CQ_Y, CQ_W, CQ_H,
	CQ_MOTIVATION, CQ_BODY, CQ_LANG, CQ_ATTRIBUTION, CQ_ATTRIBUTION_TEXT, CQ_CONSENT,
	CQ_STATE, CQ_HIDDEN_REASON, CQ_EDIT_NOTE, CQ_RECORDING, CQ_CREATED, CQ_UPDATED,
	CQ_RECORD_TYPE, CQ_RECORD_SLUG, CQ_RECORD_LABEL, CQ_USER_ID, CQ_RECORD_READABLE,
	CQ_LINKS
};

/* What a new contribution holds (strings NULL when not given). */
struct cq_new {
	const char *kind;		/* time, region, testimony */
	const char *record_id;
	long long start_ms, end_ms;	/* -1: not given */
	const char *file_id;		/* region: the page image */
	long long x, y, w, h;
	const char *motivation, *body, *lang, *attribution, *attribution_text, *consent;
	long long user_id;		/* the author, 0 for the command line */
	const char *recording_file_id;	/* testimony: its recording's file, or NULL */
};

/* cq_insert stores c as pending with id; *n_out its row number. */
int cq_insert(struct db *db, const char *id, const struct cq_new *c, long long *n_out);
/* cq_link adds another record a testimony speaks of. */
int cq_link(struct db *db, long long n, const char *record_id);

/* cq_duration_ms: the longest known duration of a work (its catalogued
 * duration, its files' technical metadata), 0 when none is known. */
int cq_duration_ms(struct db *db, const char *record_id, long long *out);

/* cq_page_image: is file_id a live image file of record_id that the
 * principal may read? 1 with its width and height (0 when unknown), 0 if
 * not. */
int cq_page_image(struct db *db, const char *record_id, const char *file_id, long long *w,
		  long long *h);

/* cq_get reads one contribution whoever asks (for moderation and the CLI:
 * callers ask the policy): a stepped statement on its row (reset it), or
 * NULL with *rc 0 when there is none, or NULL with *rc < 0. Also
 * CQ_USER_ID, and CQ_RECORD_READABLE: the principal may moderate it (1/0). */
sqlite3_stmt *cq_get(struct db *db, const char *id, const char *lang, int *rc);

/* cq_on_record: the published contributions on a record (or naming it)
 * the principal may read, by start then creation. */
sqlite3_stmt *cq_on_record(struct db *db, const char *record_id, const char *lang);
/* cq_of_file: the published readable region notes on one page image. */
sqlite3_stmt *cq_of_file(struct db *db, const char *file_id);
/* cq_mine: an account's own contributions, newest first; CQ_RECORD_READABLE
 * says whether it may still read the record (its title is "" if not). */
sqlite3_stmt *cq_mine(struct db *db, long long user_id, const char *lang);
/* cq_queue: what the principal moderates in state (NULL: every state),
 * pending first, oldest first; at most limit. */
sqlite3_stmt *cq_queue(struct db *db, const char *state, int limit, const char *lang);

/* cq_set_state publishes (reason NULL) or hides a contribution. */
int cq_set_state(struct db *db, const char *id, const char *state, const char *reason);
/* cq_set_body replaces the text; note: a moderator's visible note (NULL:
 * the author's own edit, which clears none). */
int cq_set_body(struct db *db, const char *id, const char *body, const char *note);
/* cq_update_own: the author's edit of a pending contribution. Returns 1
 * when changed, 0 when it is not theirs or no longer pending. */
int cq_update_own(struct db *db, const char *id, long long user_id, const char *body,
		  const char *motivation, const char *lang, const char *consent);
/* cq_withdraw deletes the contribution and leaves a tombstone with only
 * its id and the time. *recording_out gets its recording's file id, ""
 * when none. Returns 1 done, 0 when there was none. */
int cq_withdraw(struct db *db, const char *id, char recording_out[UUID_STR_LEN + 1]);

/* cq_sync_recording gives contribution id's recording (if any) the level
 * its state and consent call for: private unless published; published,
 * its record's own level for a public one (the file inherits), community
 * for a community-only one (private when the record is private). */
int cq_sync_recording(struct db *db, const char *id);

/* cq_recording_users: how many contributions have file_id as recording. */
int cq_recording_users(struct db *db, const char *file_id, int *n);

/* cq_tombstones: 0 id, 1 withdrawn. */
sqlite3_stmt *cq_tombstones(struct db *db);

/* Keepers' scopes. */
int kq_add(struct db *db, long long user_id, const char *record_id);
/* kq_remove: 1 when there was such a scope, 0 if not. */
int kq_remove(struct db *db, long long user_id, const char *record_id);
/* kq_list: 0 user name, 1 record type, 2 record slug, 3 created. */
sqlite3_stmt *kq_list(struct db *db);

#endif
