/* edit_q.c: SQL of the web editor (see edit_q.h). */
#include "edit_q.h"

#include "core/err.h"
#include "db.h"
#include "readable.h"

sqlite3_stmt *eq_list(struct db *db, const char *type, const char *lang, int limit, int offset)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.id, r.type, r.slug, r.date, r.date_end, r.source, "
		"(SELECT text FROM title WHERE record_id = r.id ORDER BY lang IS ?9 DESC, ord LIMIT 1), "
		"r.created, r.updated, r.access, r.embargo_until FROM record r "
		"WHERE (?1 IS NULL OR r.type = ?1) AND " READABLE("r") " "
		"ORDER BY r.updated DESC, r.n DESC LIMIT ?2 OFFSET ?3");

	if (st) {
		db_bind_text(st, 1, type);
		db_bind_int(st, 2, limit);
		db_bind_int(st, 3, offset);
		db_bind_text(st, 9, lang);
	}
	return st;
}

int eq_forget_digest(struct db *db, const char *id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE record SET digest = NULL WHERE id = ?1");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(db, st);
}
