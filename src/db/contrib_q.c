/* contrib_q.c: the SQL of contributions and keepers (see contrib_q.h). */
#include "contrib_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db.h"
#include "readable.h"

/* The label of record r in ?9 (the reader's language), else its main title. */
#define LABEL(r) "(SELECT text FROM title WHERE record_id = " r \
	" ORDER BY lang IS ?9 DESC, ord LIMIT 1)"

/* The CQ_* columns of contribution c on record r. */
#define CQ_COLS "c.id, c.kind, c.record_id, c.start_ms, c.end_ms, c.file_id, c.x, c.y, c.w, " \
	"c.h, c.motivation, c.body, c.lang, c.attribution, c.attribution_text, c.consent, " \
	"c.state, c.hidden_reason, c.edit_note, c.recording_file_id, c.created, c.updated, " \
	"r.type, r.slug, " LABEL("r.id") ", c.user_id"
/* and the other records a testimony names that the principal may read,
 * as "type/slug\x1flabel" lines */
#define CQ_LINKS_COL "(SELECT group_concat(lr.type || '/' || lr.slug || char(31) || " \
	LABEL("lr.id") ", char(10)) FROM contribution_link cl JOIN record lr ON lr.id = cl.record_id " \
	"WHERE cl.contribution_n = c.n AND " READABLE("lr") ")"

int cq_insert(struct db *db, const char *id, const struct cq_new *c, long long *n_out)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO contribution (id, kind, record_id, start_ms, end_ms, file_id, x, y, w, h, "
		"motivation, body, lang, user_id, attribution, attribution_text, consent, state, "
		"recording_file_id, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
		"?11, ?12, ?13, nullif(?14, 0), ?15, ?16, ?17, 'pending', ?19, ?18, ?18)");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, c->kind);
	db_bind_text(st, 3, c->record_id);
	if (c->start_ms >= 0)
		db_bind_int(st, 4, c->start_ms);
	if (c->end_ms >= 0)
		db_bind_int(st, 5, c->end_ms);
	db_bind_text(st, 6, c->file_id);
	if (c->file_id) {
		db_bind_int(st, 7, c->x);
		db_bind_int(st, 8, c->y);
		db_bind_int(st, 9, c->w);
		db_bind_int(st, 10, c->h);
	}
	db_bind_text(st, 11, c->motivation);
	db_bind_text(st, 12, c->body);
	db_bind_text(st, 13, c->lang);
	db_bind_int(st, 14, c->user_id);
	db_bind_text(st, 15, c->attribution);
	db_bind_text(st, 16, c->attribution_text);
	db_bind_text(st, 17, c->consent);
	db_bind_text(st, 18, now);
	db_bind_text(st, 19, c->recording_file_id);
	rc = db_run(db, st);
	if (rc == 0 && n_out)
		*n_out = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int cq_link(struct db *db, long long n, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO contribution_link "
				      "(contribution_n, record_id) VALUES (?1, ?2)");
	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, n);
	db_bind_text(st, 2, record_id);
	return db_run(db, st);
}

int cq_duration_ms(struct db *db, const char *record_id, long long *out)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT max(coalesce((SELECT duration * 1000 FROM work WHERE id = ?1), 0), "
		"  coalesce((SELECT max(CAST(json_extract(techmd, '$.duration') * 1000 AS INTEGER)) "
		"    FROM file WHERE record_id = ?1 AND deleted IS NULL AND json_valid(techmd)), 0))");
	int rc;

	*out = 0;
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	rc = db_step(db, st);
	if (rc == 1)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int cq_page_image(struct db *db, const char *record_id, const char *file_id, long long *w,
		  long long *h)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT coalesce(json_extract(f.techmd, '$.streams[0].width'), 0), "
		"  coalesce(json_extract(f.techmd, '$.streams[0].height'), 0) "
		"FROM file f JOIN record r ON r.id = f.record_id "
		"WHERE f.id = ?2 AND f.record_id = ?1 AND f.deleted IS NULL AND f.mime LIKE 'image/%' "
		"AND json_valid(f.techmd) AND " FILE_READABLE("f", "r"));
	int rc;

	*w = *h = 0;
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, file_id);
	rc = db_step(db, st);
	if (rc == 1) {
		*w = sqlite3_column_int64(st, 0);
		*h = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc;
}

sqlite3_stmt *cq_get(struct db *db, const char *id, const char *lang, int *rc)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT " CQ_COLS ", " CONTRIB_MODERATES("c", "r") ", " CQ_LINKS_COL
		" FROM contribution c JOIN record r ON r.id = c.record_id WHERE c.id = ?1");

	*rc = ERR_DB;
	if (!st)
		return NULL;
	db_bind_text(st, 1, id);
	db_bind_text(st, 9, lang);
	*rc = db_step(db, st);
	if (*rc == 1)
		return st;
	sqlite3_reset(st);
	return NULL;
}

sqlite3_stmt *cq_on_record(struct db *db, const char *record_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT " CQ_COLS ", 1, " CQ_LINKS_COL " FROM contribution c "
		"JOIN record r ON r.id = c.record_id "
		"WHERE (c.record_id = ?1 OR c.n IN (SELECT contribution_n FROM contribution_link "
		"  WHERE record_id = ?1)) AND c.state = 'published' AND " CONTRIB_READABLE("c", "r")
		" ORDER BY c.start_ms IS NULL, c.start_ms, c.created, c.n");
	if (st) {
		db_bind_text(st, 1, record_id);
		db_bind_text(st, 9, lang);
	}
	return st;
}

sqlite3_stmt *cq_of_file(struct db *db, const char *file_id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT " CQ_COLS ", 1, NULL FROM contribution c JOIN record r ON r.id = c.record_id "
		"WHERE c.file_id = ?1 AND c.kind = 'region' AND c.state = 'published' AND "
		CONTRIB_READABLE("c", "r") " ORDER BY c.created, c.n");
	if (st)
		db_bind_text(st, 1, file_id);
	return st;
}

sqlite3_stmt *cq_mine(struct db *db, long long user_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.id, c.kind, c.record_id, c.start_ms, c.end_ms, c.file_id, c.x, c.y, c.w, "
		"c.h, c.motivation, c.body, c.lang, c.attribution, c.attribution_text, c.consent, "
		"c.state, c.hidden_reason, c.edit_note, c.recording_file_id, c.created, c.updated, "
		"r.type, r.slug, CASE WHEN " READABLE("r") " THEN " LABEL("r.id") " ELSE '' END, "
		"c.user_id, " READABLE("r") ", " CQ_LINKS_COL
		" FROM contribution c JOIN record r ON r.id = c.record_id WHERE c.user_id = ?1 "
		"ORDER BY c.created DESC, c.n DESC");
	if (st) {
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 9, lang);
	}
	return st;
}

sqlite3_stmt *cq_queue(struct db *db, const char *state, int limit, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT " CQ_COLS ", 1, " CQ_LINKS_COL " FROM contribution c "
		"JOIN record r ON r.id = c.record_id "
		"WHERE (?1 IS NULL OR c.state = ?1) AND " CONTRIB_MODERATES("c", "r")
		" ORDER BY c.state != 'pending', c.created, c.n LIMIT ?2");
	if (st) {
		db_bind_text(st, 1, state);
		db_bind_int(st, 2, limit);
		db_bind_text(st, 9, lang);
	}
	return st;
}

int cq_set_state(struct db *db, const char *id, const char *state, const char *reason)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE contribution SET state = ?2, hidden_reason = ?3, "
				      "updated = ?4 WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, reason);
	db_bind_text(st, 4, now);
	return db_run(db, st);
}

int cq_set_body(struct db *db, const char *id, const char *body, const char *note)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE contribution SET body = ?2, "
				      "edit_note = coalesce(?3, edit_note), updated = ?4 WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, body);
	db_bind_text(st, 3, note);
	db_bind_text(st, 4, now);
	return db_run(db, st);
}

int cq_update_own(struct db *db, const char *id, long long user_id, const char *body,
		  const char *motivation, const char *lang, const char *consent)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE contribution SET body = ?3, motivation = ?4, "
				      "lang = ?5, consent = ?6, updated = ?7 "
				      "WHERE id = ?1 AND user_id = ?2 AND state = 'pending'");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, body);
	db_bind_text(st, 4, motivation);
	db_bind_text(st, 5, lang);
	db_bind_text(st, 6, consent);
	db_bind_text(st, 7, now);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}

int cq_withdraw(struct db *db, const char *id, char recording_out[UUID_STR_LEN + 1])
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM contribution WHERE id = ?1 "
				      "RETURNING coalesce(recording_file_id, '')");
	int rc, found = 0;

	recording_out[0] = '\0';
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	while ((rc = db_step(db, st)) == 1) {
		found = 1;
		snprintf(recording_out, UUID_STR_LEN + 1, "%s", db_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc < 0 || !found)
		return rc;
	db_now(now);
	st = db_prepare(db, "INSERT OR REPLACE INTO contribution_tombstone (id, withdrawn) "
			"VALUES (?1, ?2)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	rc = db_run(db, st);
	return rc < 0 ? rc : 1;
}

int cq_sync_recording(struct db *db, const char *id)
{
	sqlite3_stmt *st = db_prepare(db,
		"UPDATE file SET access = (SELECT CASE WHEN c.state != 'published' THEN 'private' "
		"  WHEN c.consent = 'public' THEN NULL WHEN r.access = 'private' THEN 'private' "
		"  ELSE 'community' END FROM contribution c JOIN record r ON r.id = c.record_id "
		"  WHERE c.id = ?1) "
		"WHERE id = (SELECT recording_file_id FROM contribution WHERE id = ?1)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(db, st);
}

int cq_recording_users(struct db *db, const char *file_id, int *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM contribution WHERE recording_file_id = ?1");
	int rc;

	*n = 0;
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	rc = db_step(db, st);
	if (rc == 1)
		*n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

sqlite3_stmt *cq_tombstones(struct db *db)
{
	return db_prepare(db, "SELECT id, withdrawn FROM contribution_tombstone ORDER BY withdrawn, id");
}

int kq_add(struct db *db, long long user_id, const char *record_id)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO keeper_scope (user_id, record_id, "
				      "created) VALUES (?1, ?2, ?3)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, record_id);
	db_bind_text(st, 3, now);
	return db_run(db, st);
}

int kq_remove(struct db *db, long long user_id, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM keeper_scope WHERE user_id = ?1 AND "
				      "record_id = ?2");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, record_id);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}

sqlite3_stmt *kq_list(struct db *db)
{
	return db_prepare(db, "SELECT u.name, r.type, r.slug, k.created FROM keeper_scope k "
			  "JOIN user u ON u.id = k.user_id JOIN record r ON r.id = k.record_id "
			  "ORDER BY u.name, r.slug");
}
