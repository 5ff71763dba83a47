/* label_q.h: SQL of Local Contexts labels and Notices and their ties to
 * access rules (schema 013_labels.sql). */
#ifndef CINEMATECA_LABEL_Q_H
#define CINEMATECA_LABEL_Q_H

#include <sqlite3.h>

#include "core/uuid.h"

struct db;

/* One label as written: every text borrowed from the caller. file_id
 * NULL: on the record itself. tie_role "community" or NULL; tie_group a
 * group id or 0; tie_from..tie_to months 1-12, or 0 for none. */
struct label_row {
	const char *file_id;
	const char *kind;	/* tk, bc, notice */
	const char *type;	/* the Hub's label_type or notice_type */
	const char *community;	/* who applied it; "" when unknown (Notices) */
	const char *name;
	const char *text;
	const char *lang;	/* language of name and text, or NULL */
	const char *project_id;	/* the Local Contexts project's unique_id, or NULL */
	const char *hub_id;	/* the label's unique_id on the Hub, or NULL */
	const char *tie_role;
	long long tie_group;
	int tie_from, tie_to;
};

/* lq_add inserts a label on record_id (after its others) and sets *id to
 * its row id. Returns 0, or a negative ERR_* (ERR_EXISTS: the record, or
 * that file, already has a label of this kind, type and community). */
int lq_add(struct db *db, const char *record_id, const struct label_row *l, long long *id);

/* lq_find returns 1 and sets *id when record_id (file_id: NULL for the
 * record itself) has a label of this kind, type and community; 0 when
 * not; a negative ERR_*. */
int lq_find(struct db *db, const char *record_id, const char *file_id, const char *kind,
	    const char *type, const char *community, long long *id);

/* lq_update_text replaces a label's name, text, language and Hub ids
 * (its tie and place stay), and drops its translations. */
int lq_update_text(struct db *db, long long id, const struct label_row *l);

/* lq_add_translation adds the label's name and text in one language
 * (replacing one already in that language). */
int lq_add_translation(struct db *db, long long id, const char *lang, const char *name,
		       const char *text);

/* lq_clear_record deletes the labels on the record itself (not those on
 * its files), with their ties: the import format replaces them whole. */
int lq_clear_record(struct db *db, const char *record_id);

/* lq_remove deletes label id of record_id; 1 when it was there, 0 when
 * not, or a negative ERR_*. */
int lq_remove(struct db *db, const char *record_id, long long id);

/* lq_tie sets (or, with all zero/NULL, clears) label id's tie; 1 when
 * the label is record_id's, 0 when not, or a negative ERR_*. */
int lq_tie(struct db *db, const char *record_id, long long id, const char *role, long long grp,
	   int from, int to);

/* lq_touch says the record changed (its labels): a change_log entry for
 * OAI-PMH and the API, its updated time, and its import digest forgotten
 * (importing the earlier JSON again restores the earlier labels). */
int lq_touch(struct db *db, const char *record_id);

/* Columns of lq_list and lq_get. */
enum {
	LQ_ID, LQ_FILE, LQ_KIND, LQ_TYPE, LQ_COMMUNITY, LQ_NAME, LQ_TEXT, LQ_LANG, LQ_PROJECT,
	LQ_HUB, LQ_TIE_ROLE, LQ_TIE_GROUP, LQ_TIE_FROM, LQ_TIE_TO, LQ_GROUP_NAME,
	LQ_FILE_NAME, LQ_TR_NAME, LQ_TR_TEXT
};

/* lq_list: the record's labels, on the record first and then on its
 * files (those db->principal may read), in order; LQ_TR_NAME and LQ_TR_TEXT are the translation into
 * lang (NULL when there is none, or lang is NULL). LQ_FILE_NAME is the
 * file's original name or role. The caller steps and resets. */
sqlite3_stmt *lq_list(struct db *db, const char *record_id, const char *lang);

/* lq_translations: a label's translations, 0 lang, 1 name, 2 text. */
sqlite3_stmt *lq_translations(struct db *db, long long id);

/* lq_file_record sets record_out to the record that holds file_id; 1,
 * 0 when there is no such file, or a negative ERR_*. */
int lq_file_record(struct db *db, const char *file_id, char record_out[UUID_STR_LEN + 1]);

#endif
