/* upload_q.h: the SQL of uploads in progress (schema 010_uploads.sql). */
#ifndef CINEMATECA_UPLOAD_Q_H
#define CINEMATECA_UPLOAD_Q_H

#include <sqlite3.h>

struct db;

#define UPLOAD_ID_LEN 32	/* hex digits of an upload's id */
#define UPLOAD_NAME_MAX 255	/* bytes of a client's file name */
#define UPLOAD_TYPE_MAX 127	/* bytes of a client's media type */
#define UPLOAD_META_MAX 4096	/* bytes of an Upload-Metadata header */

/* One upload's row. */
struct upload_row {
	char id[UPLOAD_ID_LEN + 1];
	long long user_id;		/* whose it is */
	long long length;		/* bytes it will have */
	long long received;		/* bytes known to be on disk */
	char metadata[UPLOAD_META_MAX + 1];	/* Upload-Metadata as sent */
	char filename[UPLOAD_NAME_MAX + 1];	/* decoded, "" when not given */
	char filetype[UPLOAD_TYPE_MAX + 1];	/* decoded, "" when not given */
	char state[12];			/* receiving, partial, done or claimed */
	long long created, expires;	/* Unix seconds */
};

/* uq_add stores a new upload (received 0, state as given). Returns 0 or ERR_DB. */
int uq_add(struct db *db, const struct upload_row *u);

/* uq_get reads upload id into *u: 1 when there is one (of user_id, unless
 * user_id is 0), 0 when not, or ERR_DB. */
int uq_get(struct db *db, const char *id, long long user_id, struct upload_row *u);

/* uq_set_received records what is on disk: received, the state (done when
 * it is all in) and the new expiry. Returns 0 or ERR_DB (no row is fine). */
int uq_set_received(struct db *db, const char *id, long long received, const char *state,
		    long long expires);

/* uq_finish makes a receiving upload done with this length (all of it
 * received) and expiry. Returns 0 or ERR_DB. */
int uq_finish(struct db *db, const char *id, long long length, long long expires);

/* uq_claim marks a done upload of user_id claimed: 1 when it did, 0 when
 * there is no done upload of that id and user, or ERR_DB. */
int uq_claim(struct db *db, const char *id, long long user_id);

/* uq_delete removes the row (none is fine). Returns 0 or ERR_DB. */
int uq_delete(struct db *db, const char *id);

/* uq_expired: the ids of partial and done uploads whose expiry is before
 * now, one a row (column 0). NULL with db->err on failure. */
sqlite3_stmt *uq_expired(struct db *db, long long now);

/* uq_list: every upload, newest first: 0 id, 1 the account's name,
 * 2 length, 3 received, 4 state, 5 filename, 6 filetype, 7 created,
 * 8 expires. NULL with db->err on failure. */
sqlite3_stmt *uq_list(struct db *db);

/* uq_count_open: how many partial uploads user_id has. ERR_DB on failure. */
long long uq_count_open(struct db *db, long long user_id);

#endif
