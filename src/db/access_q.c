/* access_q.c: SQL of accounts, sessions, grants, screeners, audit (see
 * access_q.h). */
#include "access_q.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "db.h"
#include "iiif_auth_q.h"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int aq_user_add(struct db *db, const char *name, const char *role, const char *pw_hash)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO user (name, role, pw_hash, created, pw_changed) "
				      "VALUES (?1, ?2, ?3, ?4, ?4)");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, pw_hash);
	db_bind_text(st, 4, now);
	rc = db_run(db, st);
	if (rc == ERR_DB && sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE)
		return ERR_EXISTS;
	return rc;
}

static int user_row(struct db *db, sqlite3_stmt *st, struct user_row *out)
{
	int rc = db_step(db, st);

	if (rc == 1) {
		out->id = sqlite3_column_int64(st, 0);
		copy(out->name, sizeof out->name, db_text(st, 1));
		copy(out->role, sizeof out->role, db_text(st, 2));
		copy(out->pw_hash, sizeof out->pw_hash, db_text(st, 3));
		out->disabled = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	return rc;
}

int aq_user_find(struct db *db, const char *name, struct user_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, name, role, pw_hash, disabled FROM user "
				      "WHERE name = ?1");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, name);
	return user_row(db, st, out);
}

int aq_user_get(struct db *db, long long id, struct user_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, name, role, pw_hash, disabled FROM user "
				      "WHERE id = ?1");
	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	return user_row(db, st, out);
}

sqlite3_stmt *aq_user_list(struct db *db)
{
	return db_prepare(db, "SELECT u.name, u.role, u.disabled, u.created, "
			  "(SELECT group_concat(g.name, ',') FROM grp_member m JOIN grp g ON g.id = m.grp_id "
			  " WHERE m.user_id = u.id) FROM user u ORDER BY u.name");
}

/* end_sessions ends an account's sessions, and the IIIF viewers' tokens
 * they gave (iiif_auth_q.h), in the caller's transaction. */
static int end_sessions(struct db *db, long long id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM session WHERE user_id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	rc = db_run(db, st);
	return rc ? rc : iaq_tokens_end_user(db, id);
}

int aq_user_set_password(struct db *db, long long id, const char *pw_hash)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE user SET pw_hash = ?2, pw_changed = ?3 WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, pw_hash);
	db_bind_text(st, 3, now);
	if ((rc = db_run(db, st)))
		return rc;
	return end_sessions(db, id);
}

int aq_user_disable(struct db *db, long long id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE user SET disabled = 1 WHERE id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, id);
	if ((rc = db_run(db, st)))
		return rc;
	return end_sessions(db, id);
}

int aq_group_add(struct db *db, const char *name)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO grp (name) VALUES (?1)");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, name);
	rc = db_run(db, st);
	if (rc == ERR_DB && sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE)
		return ERR_EXISTS;
	return rc;
}

int aq_group_find(struct db *db, const char *name, long long *id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM grp WHERE name = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, name);
	rc = db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

int aq_group_join(struct db *db, long long grp, long long user)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO grp_member (grp_id, user_id) "
				      "VALUES (?1, ?2)");
	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, grp);
	db_bind_int(st, 2, user);
	return db_run(db, st);
}

int aq_group_leave(struct db *db, long long grp, long long user)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM grp_member WHERE grp_id = ?1 AND user_id = ?2");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, grp);
	db_bind_int(st, 2, user);
	rc = db_run(db, st);
	return rc ? rc : sqlite3_changes(db->h) > 0;
}

sqlite3_stmt *aq_group_list(struct db *db)
{
	return db_prepare(db, "SELECT g.name, (SELECT group_concat(u.name, ',') FROM grp_member m "
			  "JOIN user u ON u.id = m.user_id WHERE m.grp_id = g.id) FROM grp g ORDER BY g.name");
}

int aq_grant_add(struct db *db, const char *record_id, long long user, long long grp,
		 const char *until)
{
	char now[21];
	sqlite3_stmt *st;
	int rc;

	if ((rc = aq_grant_revoke(db, record_id, user, grp)) < 0)
		return rc;
	st = db_prepare(db, "INSERT INTO access_grant (record_id, user_id, grp_id, until, created) "
			"VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, record_id);
	if (user)
		db_bind_int(st, 2, user);
	if (grp)
		db_bind_int(st, 3, grp);
	db_bind_text(st, 4, until);
	db_bind_text(st, 5, now);
	return db_run(db, st);
}

int aq_grant_revoke(struct db *db, const char *record_id, long long user, long long grp)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM access_grant WHERE record_id = ?1 AND "
				      "user_id IS ?2 AND grp_id IS ?3");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, record_id);
	if (user)
		db_bind_int(st, 2, user);
	if (grp)
		db_bind_int(st, 3, grp);
	rc = db_run(db, st);
	return rc ? rc : sqlite3_changes(db->h);
}

sqlite3_stmt *aq_grant_list(struct db *db, const char *record_id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.slug, coalesce(u.name, '@' || g.name), a.until, a.created "
		"FROM access_grant a JOIN record r ON r.id = a.record_id "
		"LEFT JOIN user u ON u.id = a.user_id LEFT JOIN grp g ON g.id = a.grp_id "
		"WHERE ?1 IS NULL OR a.record_id = ?1 ORDER BY r.slug, 2");
	if (st)
		db_bind_text(st, 1, record_id);
	return st;
}

sqlite3_stmt *aq_grants_of(struct db *db, long long user, const char *today)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT DISTINCT record_id FROM access_grant "
		"WHERE (user_id = ?1 OR grp_id IN (SELECT grp_id FROM grp_member WHERE user_id = ?1)) "
		"AND (until IS NULL OR until >= ?2) ORDER BY record_id");
	if (st) {
		db_bind_int(st, 1, user);
		db_bind_text(st, 2, today);
	}
	return st;
}

sqlite3_stmt *aq_groups_of(struct db *db, long long user)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT grp_id FROM grp_member WHERE user_id = ?1 "
				      "ORDER BY grp_id");

	if (st)
		db_bind_int(st, 1, user);
	return st;
}

int aq_session_add(struct db *db, const char *id_hash, long long user, const char *csrf,
		   long long now, const char *addr)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO session (id_hash, user_id, csrf, created, "
				      "last_seen, addr) VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id_hash);
	db_bind_int(st, 2, user);
	db_bind_text(st, 3, csrf);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, addr);
	return db_run(db, st);
}

int aq_session_get(struct db *db, const char *id_hash, struct session_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.user_id, s.csrf, s.created, s.last_seen "
				      "FROM session s JOIN user u ON u.id = s.user_id "
				      "WHERE s.id_hash = ?1 AND u.disabled = 0");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id_hash);
	rc = db_step(db, st);
	if (rc == 1) {
		out->user_id = sqlite3_column_int64(st, 0);
		copy(out->csrf, sizeof out->csrf, db_text(st, 1));
		out->created = sqlite3_column_int64(st, 2);
		out->last_seen = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc;
}

int aq_session_touch(struct db *db, const char *id_hash, long long now)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE session SET last_seen = ?2 WHERE id_hash = ?1");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id_hash);
	db_bind_int(st, 2, now);
	/* never waits: while another process writes, the touch is skipped
	 * and tried again on the next page */
	return db_try_run(db, st);
}

int aq_session_delete(struct db *db, const char *id_hash, bool wait)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM session WHERE id_hash = ?1");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id_hash);
	return wait ? db_run(db, st) : db_try_run(db, st);
}

int aq_session_expire(struct db *db, long long idle_before, long long created_before)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM session WHERE last_seen < ?1 OR created < ?2");

	if (!st)
		return ERR_DB;
	db_bind_int(st, 1, idle_before);
	db_bind_int(st, 2, created_before);
	return db_run(db, st);
}

int aq_throttle_get(struct db *db, const char *key, long long *failures, long long *last_at)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT failures, last_at FROM login_throttle WHERE key = ?1");
	int rc;

	*failures = *last_at = 0;
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, key);
	rc = db_step(db, st);
	if (rc == 1) {
		*failures = sqlite3_column_int64(st, 0);
		*last_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int aq_throttle_fail(struct db *db, const char *key, long long now)
{
	/* failures older than a day are forgotten */
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO login_throttle (key, failures, last_at) VALUES (?1, 1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN last_at < ?2 - 86400 THEN 1 "
		"ELSE failures + 1 END, last_at = ?2");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	return db_run(db, st);
}

int aq_throttle_clear(struct db *db, const char *key)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key = ?1");

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, key);
	return db_run(db, st);
}

int aq_screener_add(struct db *db, const char *id, const char *record_id, const char *for_whom,
		    long long expires)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO screener (id, record_id, for_whom, created, "
				      "expires) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, record_id);
	db_bind_text(st, 3, for_whom);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, expires);
	return db_run(db, st);
}

int aq_screener_get(struct db *db, const char *id, struct screener_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.id, s.record_id, r.slug, s.expires, "
				      "s.revoked IS NOT NULL, s.bound_hash FROM screener s "
				      "JOIN record r ON r.id = s.record_id WHERE s.id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	rc = db_step(db, st);
	if (rc == 1) {
		copy(out->id, sizeof out->id, db_text(st, 0));
		copy(out->record_id, sizeof out->record_id, db_text(st, 1));
		copy(out->slug, sizeof out->slug, db_text(st, 2));
		out->expires = sqlite3_column_int64(st, 3);
		out->revoked = sqlite3_column_int(st, 4);
		copy(out->bound_hash, sizeof out->bound_hash, db_text(st, 5));
	}
	sqlite3_reset(st);
	return rc;
}

int aq_screener_bind(struct db *db, const char *id, const char *bound_hash)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE screener SET bound_hash = ?2 WHERE id = ?1 "
				      "AND bound_hash IS NULL");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, bound_hash);
	rc = db_run(db, st);
	return rc ? rc : sqlite3_changes(db->h) > 0;
}

int aq_screener_revoke(struct db *db, const char *id)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "UPDATE screener SET revoked = ?2 WHERE id = ?1 "
				      "AND revoked IS NULL");
	int rc;

	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	rc = db_run(db, st);
	return rc ? rc : sqlite3_changes(db->h) > 0;
}

sqlite3_stmt *aq_screener_list(struct db *db)
{
	return db_prepare(db, "SELECT s.id, r.slug, s.for_whom, s.created, s.expires, s.revoked, "
			  "(SELECT count(*) FROM screener_use u WHERE u.screener_id = s.id) "
			  "FROM screener s JOIN record r ON r.id = s.record_id ORDER BY s.created, s.id");
}

int aq_screener_log(struct db *db, const char *id, const char *addr, const char *outcome)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO screener_use (screener_id, at, addr, outcome) "
				      "VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, addr);
	db_bind_text(st, 4, outcome);
	return db_run(db, st);
}

int aq_screener_use(struct db *db, const char *id, const char *addr)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO screener_use (screener_id, at, addr, outcome) "
				      "VALUES (?1, ?2, ?3, 'use')");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, addr);
	return db_try_run(db, st);
}

int aq_audit(struct db *db, const char *actor, const char *action, const char *record_id,
	     const char *detail)
{
	char now[21];
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO audit (at, actor, action, record_id, detail) "
				      "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return ERR_DB;
	db_now(now);
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, record_id);
	db_bind_text(st, 5, detail);
	return db_run(db, st);
}

sqlite3_stmt *aq_audit_list(struct db *db, int limit, int offset)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT a.at, a.actor, a.action, r.slug, r.type, a.detail, "
				      "a.record_id FROM audit a LEFT JOIN record r ON r.id = a.record_id "
				      "ORDER BY a.seq DESC LIMIT ?1 OFFSET ?2");
	if (st) {
		db_bind_int(st, 1, limit);
		db_bind_int(st, 2, offset);
	}
	return st;
}

int aq_secret(struct db *db, char out[65])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value FROM setting WHERE key = 'secret'");
	int rc;

	if (!st)
		return ERR_DB;
	rc = db_step(db, st);
	if (rc == 1)
		copy(out, 65, db_text(st, 0));
	sqlite3_reset(st);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

int aq_record_ref(struct db *db, const char *ref, char id[UUID_STR_LEN + 1], char type[16],
		  char slug[81])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, type, slug FROM record WHERE slug = ?1 OR id = ?1");
	int rc;

	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, ref);
	rc = db_step(db, st);
	if (rc == 1) {
		copy(id, UUID_STR_LEN + 1, db_text(st, 0));
		copy(type, 16, db_text(st, 1));
		copy(slug, 81, db_text(st, 2));
	}
	sqlite3_reset(st);
	return rc;
}
