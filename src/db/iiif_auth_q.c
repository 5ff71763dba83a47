/* iiif_auth_q.c: the SQL of IIIF access tokens (see iiif_auth_q.h). */
#include "iiif_auth_q.h"

#include <stdio.h>

#include "core/err.h"
#include "db.h"

int iaq_token_add(struct db *db, const char *hash, long long user_id, const char *screener_id,
		  const char *origin, long long now, long long expires)
{
	char created[21];
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM iiif_token WHERE expires < ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, now);
	rc = db_run(db, st);
	if (rc)
		return rc;
	st = db_prepare(db, "INSERT INTO iiif_token (hash, user_id, screener_id, origin, created, expires) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return ERR_DB;
	db_now(created);
	db_bind_text(st, 1, hash);
	if (user_id > 0)
		db_bind_int(st, 2, user_id);
	else
		db_bind_text(st, 2, NULL);
	db_bind_text(st, 3, screener_id);
	db_bind_text(st, 4, origin);
	db_bind_text(st, 5, created);
	db_bind_int(st, 6, expires);
	return db_run(db, st);
}

int iaq_token_get(struct db *db, const char *hash, long long now, struct iiif_token_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(user_id, 0), coalesce(screener_id, ''), "
				      "origin, expires FROM iiif_token WHERE hash = ?1 AND expires >= ?2");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, now);
	rc = db_step(db, st);
	if (rc == 1) {
		out->user_id = sqlite3_column_int64(st, 0);
		snprintf(out->screener_id, sizeof out->screener_id, "%s", db_text(st, 1));
		snprintf(out->origin, sizeof out->origin, "%s", db_text(st, 2));
		out->expires = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc;
}

int iaq_tokens_end_user(struct db *db, long long user_id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM iiif_token WHERE user_id = ?1");

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, user_id);
	return db_run(db, st);
}
