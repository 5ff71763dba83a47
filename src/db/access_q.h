/* access_q.h: the SQL of accounts, groups, grants, sessions, the login
 * throttle, screener links and the audit log. Functions return 0 (or 1 for
 * "found") or a negative ERR_* with db->err set, unless said otherwise. */
#ifndef CINEMATECA_ACCESS_Q_H
#define CINEMATECA_ACCESS_Q_H

#include <stdbool.h>
#include <sqlite3.h>

#include "core/uuid.h"

struct db;

struct user_row {
	long long id;
	char name[64];
	char role[16];
	char pw_hash[160];	/* argon2id string */
	int disabled;
};

/* aq_user_add creates an account; ERR_EXISTS if the name is taken. */
int aq_user_add(struct db *db, const char *name, const char *role, const char *pw_hash);
/* aq_user_find / aq_user_get: 1 and *out filled if found, 0 if not. */
int aq_user_find(struct db *db, const char *name, struct user_row *out);
int aq_user_get(struct db *db, long long id, struct user_row *out);
/* aq_user_list: 0 name, 1 role, 2 disabled, 3 created, 4 groups (comma list) */
sqlite3_stmt *aq_user_list(struct db *db);
/* aq_user_set_password replaces the hash and ends every session of the user. */
int aq_user_set_password(struct db *db, long long id, const char *pw_hash);
/* aq_user_disable disables the account and ends its sessions. */
int aq_user_disable(struct db *db, long long id);

int aq_group_add(struct db *db, const char *name);
/* aq_group_find: 1 and *id if found, 0 if not */
int aq_group_find(struct db *db, const char *name, long long *id);
int aq_group_join(struct db *db, long long grp, long long user);
/* aq_group_leave: 1 if the user was a member, 0 if not */
int aq_group_leave(struct db *db, long long grp, long long user);
/* aq_group_list: 0 name, 1 members (comma list) */
sqlite3_stmt *aq_group_list(struct db *db);

/* aq_grant_add gives a user (grp 0) or a group (user 0) a record until a
 * date (NULL: for good), replacing an earlier grant of the same pair. */
int aq_grant_add(struct db *db, const char *record_id, long long user, long long grp,
		 const char *until);
/* aq_grant_revoke: the number of grants removed (0 when there was none) */
int aq_grant_revoke(struct db *db, const char *record_id, long long user, long long grp);
/* aq_grant_list: 0 record slug, 1 "user" or "@group" name, 2 until, 3 created;
 * record_id NULL lists all */
sqlite3_stmt *aq_grant_list(struct db *db, const char *record_id);
/* aq_grants_of: the record ids a user may read by grant (to the user or
 * one of their groups) on day today, sorted: 0 record id */
sqlite3_stmt *aq_grants_of(struct db *db, long long user, const char *today);
/* aq_groups_of: the ids of the groups the account is in (0 grp_id), in order. */
sqlite3_stmt *aq_groups_of(struct db *db, long long user);

struct session_row {
	long long user_id;
	char csrf[65];
	long long created, last_seen;
};
int aq_session_add(struct db *db, const char *id_hash, long long user, const char *csrf,
		   long long now, const char *addr);
/* aq_session_get: 1 and *out if found, 0 if not */
int aq_session_get(struct db *db, const char *id_hash, struct session_row *out);
/* aq_session_touch records the session's last use without waiting: it
 * returns ERR_BUSY at once while another process holds the write lock
 * (best effort, for pages that only read). */
int aq_session_touch(struct db *db, const char *id_hash, long long now);
/* aq_session_delete deletes a session; with wait false it does not wait
 * for the lock (ERR_BUSY at once: an expired session seen by a page that
 * only reads), with wait true it waits as every write does (a logout). */
int aq_session_delete(struct db *db, const char *id_hash, bool wait);
/* aq_session_expire deletes sessions idle since idle_before or begun
 * before created_before. */
int aq_session_expire(struct db *db, long long idle_before, long long created_before);

/* aq_throttle_get: failures and time of the last one for key (0, 0 when none) */
int aq_throttle_get(struct db *db, const char *key, long long *failures, long long *last_at);
int aq_throttle_fail(struct db *db, const char *key, long long now);
int aq_throttle_clear(struct db *db, const char *key);

struct screener_row {
	char id[UUID_STR_LEN + 1];
	char record_id[UUID_STR_LEN + 1];
	char slug[81];
	long long expires;
	int revoked;
	char bound_hash[65];	/* "" until a browser opened it */
};
int aq_screener_add(struct db *db, const char *id, const char *record_id, const char *for_whom,
		    long long expires);
/* aq_screener_get: 1 and *out if found, 0 if not */
int aq_screener_get(struct db *db, const char *id, struct screener_row *out);
int aq_screener_bind(struct db *db, const char *id, const char *bound_hash);
/* aq_screener_revoke: 1 if it was live, 0 if unknown or already revoked */
int aq_screener_revoke(struct db *db, const char *id);
/* aq_screener_list: 0 id, 1 record slug, 2 for, 3 created, 4 expires (Unix), 5 revoked,
 * 6 uses */
sqlite3_stmt *aq_screener_list(struct db *db);
int aq_screener_log(struct db *db, const char *id, const char *addr, const char *outcome);
/* aq_screener_use logs a use ("use") of screener id from addr without
 * waiting for another writer: ERR_BUSY at once while the write lock is
 * held (a page of the work must not wait for a long import). */
int aq_screener_use(struct db *db, const char *id, const char *addr);

/* aq_audit records who changed what. */
int aq_audit(struct db *db, const char *actor, const char *action, const char *record_id,
	     const char *detail);
/* aq_audit_list: newest first: 0 at, 1 actor, 2 action, 3 record slug (NULL
 * if gone), 4 record type, 5 detail, 6 record id */
sqlite3_stmt *aq_audit_list(struct db *db, int limit, int offset);

/* aq_secret copies the archive's signing secret (64 hex digits). */
int aq_secret(struct db *db, char out[65]);

/* aq_record_ref resolves a slug or id to the record's id, type and slug:
 * 1 if found, 0 if not. */
int aq_record_ref(struct db *db, const char *ref, char id[UUID_STR_LEN + 1], char type[16],
		  char slug[81]);

#endif
