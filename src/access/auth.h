/* auth.h: passwords, random tokens, sessions and screener links: turning
 * what a browser presents (a cookie, a link) into a principal for the
 * policy. Secrets are compared in constant time; only hashes of session
 * cookies are stored. */
#ifndef CINEMATECA_AUTH_H
#define CINEMATECA_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

struct db;

#define AUTH_HASH_MAX 128	/* argon2id strings are shorter than this */
#define AUTH_TOKEN_HEX 64	/* 256-bit tokens as hex */
#define SESSION_IDLE (7 * 24 * 3600)	/* a session unused this long ends */
#define SESSION_MAX (30 * 24 * 3600)	/* and any session ends this long after login */
#define SCREENER_TOKEN_MAX 160

/* auth_hash_password hashes with argon2id (libsodium's interactive
 * limits). Returns 0, or ERR_NOMEM when the hashing memory is not there. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);

/* auth_check_password reports whether password matches hash. */
bool auth_check_password(const char *hash, const char *password);

/* auth_random_token writes 256 random bits as 64 hex digits plus NUL. */
void auth_random_token(char out[AUTH_TOKEN_HEX + 1]);

/* auth_token_hash writes the BLAKE2b-256 of a token as hex: what is stored
 * for a session cookie, so a copy of the database opens no session. */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX + 1]);

/* auth_equal compares two strings in time that depends only on their
 * lengths. */
bool auth_equal(const char *a, const char *b);

/* auth_login_user fills p for account user_id (role, name, grants for
 * today). Returns 1, 0 if the account is missing or disabled, or a
 * negative ERR_*. The principal owns its grant list: auth_release frees it. */
int auth_login_user(struct db *db, long long user_id, struct principal *p);
void auth_release(struct principal *p);

/* auth_session_open checks a session cookie: 1 with p filled and csrf
 * (the session's form token) copied when it is a live session, 0 when it
 * is unknown, expired or malformed (p stays anonymous), or a negative
 * ERR_*. Extends the session's idle time at most every few minutes. */
int auth_session_open(struct db *db, const char *cookie, long long now, struct principal *p,
		      char csrf[AUTH_TOKEN_HEX + 1]);

/* auth_session_new starts a session for a user: writes the cookie value
 * and the session's form token. */
int auth_session_new(struct db *db, long long user_id, long long now, const char *addr,
		     char cookie[AUTH_TOKEN_HEX + 1], char csrf[AUTH_TOKEN_HEX + 1]);

/* auth_session_end ends the session of a cookie (nothing if unknown). */
int auth_session_end(struct db *db, const char *cookie);

/* API tokens are AUTH_TOKEN_HEX random hex digits, sent by scripts as
 * "Authorization: Bearer TOKEN"; only their hash is stored (token_q.h).
 * auth_bearer_open checks an Authorization header value: 1 with p filled
 * for the token's user, 0 when it is no Bearer credential we made, a
 * revoked token, or a disabled user's (p stays anonymous), or a negative
 * ERR_*. Records the token's last use without waiting for a writer. */
int auth_bearer_open(struct db *db, const char *authorization, struct principal *p);

/* auth_token_make makes a new API token named name for user_id: writes
 * the token (shown once, never stored) into out. Returns 0, ERR_EXISTS
 * when the name is taken, ERR_DB. */
int auth_token_make(struct db *db, const char *name, long long user_id,
		    char out[AUTH_TOKEN_HEX + 1]);

/* Screener tokens are "ID.EXPIRES.SIGNATURE": the screener's UUID, its
 * expiry in Unix seconds, and HMAC-SHA-256 over "ID.EXPIRES" with the
 * archive's secret, in hex. */

/* screener_sign writes the token for a screener. Returns 0 or ERR_*. */
int screener_sign(const char *secret_hex, const char *id, long long expires,
		  char out[SCREENER_TOKEN_MAX]);

/* screener_verify checks a token's shape and signature (not expiry or
 * revocation, which need the database): 0 with id and expiry filled, or
 * ERR_INVALID. */
int screener_verify(const char *secret_hex, const char *token, char id[UUID_STR_LEN + 1],
		    long long *expires);

#endif
