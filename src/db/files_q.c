/* files_q.c: SQL of objects, files, events, jobs, deletions (see files_q.h). */
#include "files_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db.h"
#include "readable.h"

int fq_object_add(struct db *db, const struct digest *d)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO object (sha256, md5, size, created) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, d->sha256);
	db_bind_text(st, 2, d->md5);
	db_bind_int(st, 3, (long long)d->size);
	db_bind_text(st, 4, now);
	return db_run(db, st);
}

int fq_file_add(struct db *db, const struct file_new *f)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO file (id, record_id, role, sha256, md5, size, mime, techmd, created, name, "
		"derived_from, derivative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, f->id);
	db_bind_text(st, 2, f->record_id);
	db_bind_text(st, 3, f->role);
	db_bind_text(st, 4, f->digest->sha256);
	db_bind_text(st, 5, f->digest->md5);
	db_bind_int(st, 6, (long long)f->digest->size);
	db_bind_text(st, 7, f->mime);
	db_bind_text(st, 8, f->techmd);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, f->name);
	db_bind_text(st, 11, f->derived_from);
	db_bind_text(st, 12, f->derivative);
	return db_run(db, st);
}

int fq_file_find(struct db *db, const char *record_id, const char *sha256, const char *role,
		 char id[40])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM file WHERE record_id = ?1 AND sha256 = ?2 "
				      "AND role = ?3 AND deleted IS NULL LIMIT 1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, role);
	rc = db_step(db, st);
	if (rc == 1)
		snprintf(id, 40, "%s", db_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

int fq_event(struct db *db, const char *type, const char *file_id, const char *sha256,
	     const char *agent, bool success, const char *detail)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO premis_event (at, type, file_id, sha256, agent, "
				      "outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, type);
	db_bind_text(st, 3, file_id);
	db_bind_text(st, 4, sha256);
	db_bind_text(st, 5, agent);
	db_bind_text(st, 6, success ? "success" : "failure");
	db_bind_text(st, 7, detail);
	return db_run(db, st);
}

#define FILE_COLS "f.id, f.role, f.name, f.size, f.mime, f.sha256, f.md5, f.techmd, f.derivative, " \
	"f.derived_from, f.created, f.record_id, f.deleted"

sqlite3_stmt *fq_files_of(struct db *db, const char *record_id)
{
	/* a file's own level when it has one, else its record's; a grant on
	 * the record opens its files too */
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS " FROM file f JOIN record r ON r.id = f.record_id "
				      "WHERE f.record_id = ?1 AND f.deleted IS NULL AND " FILE_READABLE("f", "r")
				      " ORDER BY f.derived_from IS NOT NULL, f.created, f.id");
	if (st)
		db_bind_text(st, 1, record_id);
	return st;
}

sqlite3_stmt *fq_files_shown_of(struct db *db, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS ", " FILE_READABLE("f", "r") ", "
				      FILE_PUBLIC("f", "r") " FROM file f JOIN record r ON r.id = f.record_id "
				      "WHERE f.record_id = ?1 AND f.deleted IS NULL"
				      " ORDER BY f.derived_from IS NOT NULL, f.created, f.id");
	if (st)
		db_bind_text(st, 1, record_id);
	return st;
}

sqlite3_stmt *fq_file(struct db *db, const char *file_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS " FROM file f WHERE f.id = ?1");

	if (st)
		db_bind_text(st, 1, file_id);
	return st;
}

int fq_file_readable(struct db *db, const char *file_id, struct file_ref *out)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT f.sha256, f.mime, f.size, f.created, " FILE_PUBLIC("f", "r") " "
		"FROM file f JOIN record r ON r.id = f.record_id "
		"WHERE f.id = ?1 AND f.deleted IS NULL AND " FILE_READABLE("f", "r"));
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	rc = db_step(db, st);
	if (rc == 1) {
		snprintf(out->sha256, sizeof out->sha256, "%s", db_text(st, 0));
		snprintf(out->mime, sizeof out->mime, "%s", db_text(st, 1));
		out->size = sqlite3_column_int64(st, 2);
		snprintf(out->created, sizeof out->created, "%s", db_text(st, 3));
		out->public_to_all = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	return rc;
}

sqlite3_stmt *fq_events_of(struct db *db, const char *file_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT at, type, agent, outcome, detail FROM premis_event "
				      "WHERE file_id = ?1 ORDER BY id");
	if (st)
		db_bind_text(st, 1, file_id);
	return st;
}

int fq_job_add(struct db *db, const char *file_id, const char *kind)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO derivative_job (file_id, kind, updated) "
				      "VALUES (?1, ?2, ?3)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, file_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, now);
	return db_run(db, st);
}

sqlite3_stmt *fq_jobs_pending(struct db *db, int max_attempts)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT j.id, j.file_id, j.kind, f.sha256, f.mime, f.record_id, j.attempts "
		"FROM derivative_job j JOIN file f ON f.id = j.file_id "
		"WHERE f.deleted IS NULL AND (j.state = 'pending' OR (j.state = 'failed' AND j.attempts < ?1)) "
		"ORDER BY j.id");
	if (st)
		db_bind_int(st, 1, max_attempts);
	return st;
}

int fq_job_finish(struct db *db, long long job_id, bool success, const char *error)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE derivative_job SET state = ?2, error = ?3, "
				      "attempts = attempts + 1, updated = ?4 WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_int(st, 1, job_id);
	db_bind_text(st, 2, success ? "done" : "failed");
	db_bind_text(st, 3, error);
	db_bind_text(st, 4, now);
	return db_run(db, st);
}

sqlite3_stmt *fq_objects_to_check(struct db *db, const char *checked_before)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT o.sha256, o.md5, o.size FROM object o "
		"WHERE EXISTS (SELECT 1 FROM file f WHERE f.sha256 = o.sha256 AND f.deleted IS NULL) "
		"AND (?1 IS NULL OR o.last_fixity IS NULL OR o.last_fixity < ?1) ORDER BY random()");
	if (st)
		db_bind_text(st, 1, checked_before);
	return st;
}

int fq_object_checked(struct db *db, const char *sha256, bool ok)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE object SET last_fixity = ?2, fixity_ok = ?3 "
				      "WHERE sha256 = ?1");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, sha256);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, ok);
	return db_run(db, st);
}

sqlite3_stmt *fq_files_using(struct db *db, const char *sha256)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT f.id, r.slug, r.type, f.name FROM file f "
				      "JOIN record r ON r.id = f.record_id "
				      "WHERE f.sha256 = ?1 AND f.deleted IS NULL ORDER BY f.created");
	if (st)
		db_bind_text(st, 1, sha256);
	return st;
}

sqlite3_stmt *fq_file_ids_of(struct db *db, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM file WHERE record_id = ?1 "
				      "AND deleted IS NULL ORDER BY created, id");
	if (st)
		db_bind_text(st, 1, record_id);
	return st;
}

sqlite3_stmt *fq_derivative_ids_of(struct db *db, const char *file_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM file WHERE derived_from = ?1 "
				      "AND deleted IS NULL ORDER BY created, id");
	if (st)
		db_bind_text(st, 1, file_id);
	return st;
}

int fq_object_live(struct db *db, const char *sha256)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM file WHERE sha256 = ?1 AND deleted IS NULL "
				      "LIMIT 1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, sha256);
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc;
}

int fq_file_delete(struct db *db, const char *file_id, const char *sha256)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE file SET deleted = ?2 WHERE id = ?1 AND deleted IS NULL");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, file_id);
	db_bind_text(st, 2, now);
	if ((rc = db_run(db, st)))
		return rc;
	/* the lines of a deleted subtitle file are no longer said anywhere */
	st = db_prepare(db, "DELETE FROM cue WHERE file_id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "SELECT NOT EXISTS (SELECT 1 FROM file WHERE sha256 = ?1 AND deleted IS NULL)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, sha256);
	rc = db_step(db, st);
	if (rc == 1)
		rc = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc;
}

int fq_record_delete(struct db *db, const char *record_id, const char *actor, const char *reason)
{
	char now[21];
	sqlite3_stmt *st;
	int rc;

	db_now(now);
	st = db_prepare(db, "INSERT OR REPLACE INTO tombstone (record_id, type, slug, deleted, actor, "
			"reason) SELECT id, type, slug, ?2, ?3, ?4 FROM record WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, reason);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "INSERT INTO change_log (record_id, type, op, at) "
			"SELECT id, type, 'delete', ?2 FROM record WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, now);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "DELETE FROM search WHERE rowid = (SELECT n FROM record WHERE id = ?1)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	if ((rc = db_run(db, st)))
		return rc;
	/* the record's file rows go with it (the caller has logged a deletion
	 * event for each, which keeps their ids, names and hashes) */
	st = db_prepare(db, "DELETE FROM record WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	return db_run(db, st);
}

int fq_cues_clear(struct db *db, const char *record_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM cue WHERE record_id = ?1 AND lang IS ?2");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, lang);
	return db_run(db, st);
}

int fq_cue_add(struct db *db, const char *record_id, const char *file_id, const char *lang,
	       long long start_ms, long long end_ms, const char *text)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO cue (record_id, file_id, lang, start_ms, end_ms, "
				      "text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, file_id);
	db_bind_text(st, 3, lang);
	db_bind_int(st, 4, start_ms);
	db_bind_int(st, 5, end_ms);
	db_bind_text(st, 6, text);
	return db_run(db, st);
}

int fq_cue_put(struct db *db, const struct cue_new *c)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO cue (record_id, file_id, lang, start_ms, end_ms, "
				      "text, ident, settings, markup) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, c->record_id);
	db_bind_text(st, 2, c->file_id);
	db_bind_text(st, 3, c->lang);
	db_bind_int(st, 4, c->start_ms);
	db_bind_int(st, 5, c->end_ms);
	db_bind_text(st, 6, c->text);
	db_bind_text(st, 7, c->ident);
	db_bind_text(st, 8, c->settings);
	db_bind_text(st, 9, c->markup);
	return db_run(db, st);
}

int fq_cue_block_add(struct db *db, const char *file_id, int ord, const char *kind,
		     int before_cue, const char *text)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO cue_block (file_id, ord, kind, before_cue, text) "
				      "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	db_bind_int(st, 2, ord);
	db_bind_text(st, 3, kind);
	db_bind_int(st, 4, before_cue);
	db_bind_text(st, 5, text);
	return db_run(db, st);
}

sqlite3_stmt *fq_cue_blocks(struct db *db, const char *file_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT kind, before_cue, text FROM cue_block "
				      "WHERE file_id = ?1 ORDER BY ord");
	if (st)
		db_bind_text(st, 1, file_id);
	return st;
}

/* Cue lines are readable as the subtitle file that holds them is. */
#define CUE_FILE_READABLE "f.deleted IS NULL AND " FILE_READABLE("f", "r")

sqlite3_stmt *fq_tracks(struct db *db, const char *record_id)
{
	/* a language's cues all come from its newest subtitle file (a new
	 * file replaces them), so the files holding cues are the tracks */
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.lang, c.file_id, count(*) FROM cue c "
		"CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"WHERE c.record_id = ?1 AND " CUE_FILE_READABLE " "
		"GROUP BY c.lang, c.file_id ORDER BY c.lang, c.file_id");

	if (st)
		db_bind_text(st, 1, record_id);
	return st;
}

sqlite3_stmt *fq_cues_of(struct db *db, const char *record_id, const char *lang, int limit)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT c.start_ms, c.end_ms, c.text FROM cue c "
		"CROSS JOIN file f ON f.id = c.file_id CROSS JOIN record r ON r.id = c.record_id "
		"WHERE c.record_id = ?1 AND c.lang = ?2 AND " CUE_FILE_READABLE " "
		"ORDER BY c.start_ms, c.id LIMIT ?3");

	if (st) {
		db_bind_text(st, 1, record_id);
		db_bind_text(st, 2, lang);
		db_bind_int(st, 3, limit);
	}
	return st;
}

int fq_subtitle_current(struct db *db, const char *record_id, const char *sha256, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT 1 FROM file f WHERE f.record_id = ?1 AND f.sha256 = ?2 AND f.role = 'subtitle' "
		"AND f.deleted IS NULL AND EXISTS (SELECT 1 FROM cue c JOIN file t ON t.id = c.file_id "
		"WHERE c.lang = ?3 AND t.deleted IS NULL AND (t.id = f.id OR t.derived_from = f.id))");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, lang);
	rc = db_step(db, st);
	sqlite3_reset(st);
	return rc;
}

int fq_file_set_access(struct db *db, const char *file_id, const char *level)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE file SET access = ?2 WHERE id = ?1 AND deleted IS NULL");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	db_bind_text(st, 2, level);
	return db_run(db, st);
}
