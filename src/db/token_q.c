/* token_q.c: the SQL of API tokens (see token_q.h). */
#include "token_q.h"

#include "core/err.h"
#include "db.h"

int tq_add(struct db *db, const char *name, long long user_id, const char *hash)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO api_token (name, user_id, hash, created) "
				      "VALUES (?1, ?2, ?3, ?4)");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, name);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, now);
	rc = db_run(db, st);
	if (rc == ERR_DB && sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE)
		return ERR_EXISTS;
	return rc;
}

int tq_find(struct db *db, const char *hash, long long *id, long long *user_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, user_id FROM api_token WHERE hash = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, hash);
	rc = db_step(db, st);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		*user_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc;
}

int tq_touch(struct db *db, long long id)
{
	char now[21];
	/* at most once a minute: a script's every request need not write */
	sqlite3_stmt *st = db_prepare(db, "UPDATE api_token SET last_used = ?2 WHERE id = ?1 "
				      "AND (last_used IS NULL OR last_used < "
				      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-60 seconds'))");

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	return db_try_run(db, st);
}

sqlite3_stmt *tq_list(struct db *db)
{
	return db_prepare(db, "SELECT t.name, u.name, t.created, t.last_used, u.disabled "
			  "FROM api_token t JOIN user u ON u.id = t.user_id ORDER BY t.name");
}

int tq_revoke(struct db *db, const char *name)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM api_token WHERE name = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, name);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}
