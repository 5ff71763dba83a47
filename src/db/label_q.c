/* label_q.c: SQL of Local Contexts labels and their ties (see label_q.h). */
#include "label_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db.h"
#include "readable.h"
#include "record_q.h"

/* bind_tie binds a label's tie to parameters i..i+3 (NULL when none). */
static void bind_tie(sqlite3_stmt *st, int i, const char *role, long long grp, int from, int to)
{
	db_bind_text(st, i, role);
	if (grp > 0)
		db_bind_int(st, i + 1, grp);
	if (from > 0 && to > 0) {
		db_bind_int(st, i + 2, from);
		db_bind_int(st, i + 3, to);
	}
}

int lq_add(struct db *db, const char *record_id, const struct label_row *l, long long *id)
{
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO label (record_id, file_id, ord, kind, type, community, name, text, "
		"lang, project_id, hub_id, tie_role, tie_group, tie_from, tie_to) VALUES (?1, ?2, "
		"(SELECT coalesce(max(ord), -1) + 1 FROM label WHERE record_id = ?1), ?3, ?4, ?5, ?6, "
		"?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, l->file_id);
	db_bind_text(st, 3, l->kind);
	db_bind_text(st, 4, l->type);
	db_bind_text(st, 5, l->community ? l->community : "");
	db_bind_text(st, 6, l->name);
	db_bind_text(st, 7, l->text);
	db_bind_text(st, 8, l->lang);
	db_bind_text(st, 9, l->project_id);
	db_bind_text(st, 10, l->hub_id);
	bind_tie(st, 11, l->tie_role, l->tie_group, l->tie_from, l->tie_to);
	rc = db_run(db, st);
	if (rc == ERR_DB && (sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE))
		return ERR_EXISTS;
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int lq_find(struct db *db, const char *record_id, const char *file_id, const char *kind,
	    const char *type, const char *community, long long *id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT id FROM label WHERE record_id = ?1 AND coalesce(file_id, '') = coalesce(?2, '') "
		"AND kind = ?3 AND type = ?4 AND community = ?5");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, file_id);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, type);
	db_bind_text(st, 5, community ? community : "");
	rc = db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

int lq_update_text(struct db *db, long long id, const struct label_row *l)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE label SET name = ?2, text = ?3, lang = ?4, "
				      "project_id = ?5, hub_id = ?6 WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, l->name);
	db_bind_text(st, 3, l->text);
	db_bind_text(st, 4, l->lang);
	db_bind_text(st, 5, l->project_id);
	db_bind_text(st, 6, l->hub_id);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "DELETE FROM label_translation WHERE label_id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	return db_run(db, st);
}

int lq_add_translation(struct db *db, long long id, const char *lang, const char *name,
		       const char *text)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR REPLACE INTO label_translation "
				      "(label_id, lang, name, text) VALUES (?1, ?2, ?3, ?4)");

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, lang);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, text);
	return db_run(db, st);
}

int lq_clear_record(struct db *db, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM label WHERE record_id = ?1 AND file_id IS NULL");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	return db_run(db, st);
}

int lq_remove(struct db *db, const char *record_id, long long id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM label WHERE id = ?2 AND record_id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_int(st, 2, id);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}

int lq_tie(struct db *db, const char *record_id, long long id, const char *role, long long grp,
	   int from, int to)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE label SET tie_role = ?3, tie_group = ?4, "
				      "tie_from = ?5, tie_to = ?6 WHERE id = ?2 AND record_id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_int(st, 2, id);
	bind_tie(st, 3, role, grp, from, to);
	rc = db_run(db, st);
	return rc < 0 ? rc : sqlite3_changes(db->h) > 0;
}

int lq_touch(struct db *db, const char *record_id)
{
	char now[21];
	sqlite3_stmt *st;
	int rc;

	db_now(now);
	st = db_prepare(db, "UPDATE record SET updated = ?2, digest = NULL WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, now);
	if ((rc = db_run(db, st)))
		return rc;
	st = db_prepare(db, "INSERT INTO change_log (record_id, type, op, at) "
			"SELECT id, type, 'update', ?2 FROM record WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	db_bind_text(st, 2, now);
	if ((rc = db_run(db, st)))
		return rc;
	/* the search index gives the names of public linked records to the
	 * records that link them; a tied record's no longer counts */
	return rq_reindex(db, &record_id, 1);
}

sqlite3_stmt *lq_list(struct db *db, const char *record_id, const char *lang)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT l.id, l.file_id, l.kind, l.type, l.community, l.name, l.text, l.lang, "
		"l.project_id, l.hub_id, l.tie_role, l.tie_group, l.tie_from, l.tie_to, g.name, "
		"coalesce(f.name, f.role), t.name, t.text "
		"FROM label l LEFT JOIN grp g ON g.id = l.tie_group "
		"LEFT JOIN file f ON f.id = l.file_id "
		"LEFT JOIN label_translation t ON t.label_id = l.id AND t.lang = ?2 "
		"JOIN record r ON r.id = l.record_id "
		"WHERE l.record_id = ?1 AND (l.file_id IS NULL OR " FILE_READABLE("f", "r") ") "
		"ORDER BY l.file_id IS NOT NULL, l.file_id, l.ord");

	if (st) {
		db_bind_text(st, 1, record_id);
		db_bind_text(st, 2, lang);
	}
	return st;
}

sqlite3_stmt *lq_translations(struct db *db, long long id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT lang, name, text FROM label_translation "
				      "WHERE label_id = ?1 ORDER BY lang");

	if (st)
		db_bind_int(st, 1, id);
	return st;
}

int lq_file_record(struct db *db, const char *file_id, char record_out[UUID_STR_LEN + 1])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT record_id FROM file WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, file_id);
	rc = db_step(db, st);
	if (rc == 1)
		snprintf(record_out, UUID_STR_LEN + 1, "%s", db_text(st, 0));
	sqlite3_reset(st);
	return rc;
}
