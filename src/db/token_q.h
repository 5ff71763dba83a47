/* token_q.h: the SQL of API tokens (schema 006_api.sql). Only a hash of
 * each token is stored; the token itself is never in the catalogue. */
#ifndef CINEMATECA_TOKEN_Q_H
#define CINEMATECA_TOKEN_Q_H

#include <sqlite3.h>

struct db;

/* tq_add stores a token of user_id under name. Returns 0, ERR_EXISTS when
 * a token of that name exists (names ignore case), ERR_DB. */
int tq_add(struct db *db, const char *name, long long user_id, const char *hash);

/* tq_find: 1 with the token's id and user when a token has this hash,
 * 0 when none has (revoked or never made), or ERR_DB. */
int tq_find(struct db *db, const char *hash, long long *id, long long *user_id);

/* tq_touch records the token's last use (to the minute: it writes only
 * when the last one recorded is older), without waiting for another
 * writer (ERR_BUSY then: the use is recorded at a later request). */
int tq_touch(struct db *db, long long id);

/* tq_list: every token by name: 0 name, 1 user name, 2 created,
 * 3 last_used (NULL: never), 4 1 when the user is disabled. */
sqlite3_stmt *tq_list(struct db *db);

/* tq_revoke deletes the token of that name: 1 when one was, 0 when no
 * token has that name, or ERR_DB. */
int tq_revoke(struct db *db, const char *name);

#endif
