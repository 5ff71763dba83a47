/* upload_q.c: the SQL of uploads in progress (see upload_q.h). */
#include "upload_q.h"

#include <stdio.h>

#include "core/err.h"
#include "db.h"

int uq_add(struct db *db, const struct upload_row *u)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO upload (id, user_id, length, received, "
				      "metadata, filename, filetype, state, created, expires) "
				      "VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9)");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, u->id);
	db_bind_int(st, 2, u->user_id);
	db_bind_int(st, 3, u->length);
	db_bind_text(st, 4, u->metadata);
	db_bind_text(st, 5, u->filename);
	db_bind_text(st, 6, u->filetype);
	db_bind_text(st, 7, u->state);
	db_bind_int(st, 8, u->created);
	db_bind_int(st, 9, u->expires);
	return db_run(db, st);
}

int uq_get(struct db *db, const char *id, long long user_id, struct upload_row *u)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, user_id, length, received, metadata, "
				      "filename, filetype, state, created, expires FROM upload "
				      "WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, user_id);
	rc = db_step(db, st);
	if (rc == 1) {
		snprintf(u->id, sizeof u->id, "%s", db_text(st, 0));
		u->user_id = sqlite3_column_int64(st, 1);
		u->length = sqlite3_column_int64(st, 2);
		u->received = sqlite3_column_int64(st, 3);
		snprintf(u->metadata, sizeof u->metadata, "%s", db_text(st, 4));
		snprintf(u->filename, sizeof u->filename, "%s", db_text(st, 5));
		snprintf(u->filetype, sizeof u->filetype, "%s", db_text(st, 6));
		snprintf(u->state, sizeof u->state, "%s", db_text(st, 7));
		u->created = sqlite3_column_int64(st, 8);
		u->expires = sqlite3_column_int64(st, 9);
	}
	sqlite3_reset(st);
	return rc;
}

int uq_set_received(struct db *db, const char *id, long long received, const char *state,
		    long long expires)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE upload SET received = ?2, state = ?3, "
				      "expires = ?4 WHERE id = ?1 AND state <> 'claimed'");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, received);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, expires);
	return db_run(db, st);
}

int uq_finish(struct db *db, const char *id, long long length, long long expires)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE upload SET length = ?2, received = ?2, "
				      "state = 'done', expires = ?3 WHERE id = ?1 AND state = 'receiving'");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, length);
	db_bind_int(st, 3, expires);
	return db_run(db, st);
}

int uq_claim(struct db *db, const char *id, long long user_id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE upload SET state = 'claimed' WHERE id = ?1 "
				      "AND user_id = ?2 AND state = 'done'");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, user_id);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}

int uq_delete(struct db *db, const char *id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM upload WHERE id = ?1");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(db, st);
}

sqlite3_stmt *uq_expired(struct db *db, long long now)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM upload WHERE state <> 'claimed' "
				      "AND expires < ?1 ORDER BY id");

	if (st && db_bind_int(st, 1, now))
		return NULL;
	return st;
}

sqlite3_stmt *uq_list(struct db *db)
{
	return db_prepare(db, "SELECT p.id, u.name, p.length, p.received, p.state, p.filename, "
			  "p.filetype, p.created, p.expires FROM upload p JOIN user u ON "
			  "u.id = p.user_id ORDER BY p.created DESC, p.id");
}

long long uq_count_open(struct db *db, long long user_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM upload WHERE user_id = ?1 "
				      "AND state = 'partial'");
	long long n;
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, user_id);
	rc = db_step(db, st);
	n = rc == 1 ? sqlite3_column_int64(st, 0) : ERR_DB;
	sqlite3_reset(st);
	return n;
}
