/* auth.c: passwords, tokens, sessions, screener signatures (see auth.h). */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/str.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/token_q.h"

#define SESSION_TOUCH 300	/* seconds between writes of a session's last use */

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_NOMEM;
	return 0;
}

bool auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_random_token(char out[AUTH_TOKEN_HEX + 1])
{
	unsigned char b[AUTH_TOKEN_HEX / 2];

	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, b, sizeof b);
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX + 1])
{
	unsigned char h[AUTH_TOKEN_HEX / 2];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, h, sizeof h);
}

bool auth_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* token_shape: exactly 64 lower-case hex digits. */
static bool token_shape(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == AUTH_TOKEN_HEX;
}

int auth_login_user(struct db *db, long long user_id, struct principal *p)
{
	struct user_row u;
	sqlite3_stmt *st;
	int rc, cap = 16;

	policy_anonymous(p);
	rc = aq_user_get(db, user_id, &u);
	if (rc != 1 || u.disabled)
		return rc < 0 ? rc : 0;
	p->user_id = u.id;
	p->role = policy_role(u.role);
	if (p->role == ROLE_INVALID)
		p->role = ROLE_VIEWER;
	snprintf(p->name, sizeof p->name, "%s", u.name);
	st = aq_grants_of(db, u.id, p->today);
	if (!st)
		return ERR_DB;
	while ((rc = db_step(db, st)) == 1 && p->ngrants < POLICY_MAX_GRANTS) {
		if (!p->grants || p->ngrants == cap) {
			void *g = realloc(p->grants, (size_t)(cap *= 2) * sizeof *p->grants);
			if (!g) {
				sqlite3_reset(st);
				auth_release(p);
				return ERR_NOMEM;
			}
			p->grants = g;
		}
		snprintf(p->grants[p->ngrants++], UUID_STR_LEN + 1, "%s", db_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	/* the groups, for the ties of Local Contexts labels */
	st = aq_groups_of(db, u.id);
	if (!st)
		return ERR_DB;
	cap = 0;
	while ((rc = db_step(db, st)) == 1) {
		if (p->ngroups == cap) {
			void *g = realloc(p->groups, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *p->groups);
			if (!g) {
				sqlite3_reset(st);
				auth_release(p);
				return ERR_NOMEM;
			}
			p->groups = g;
		}
		p->groups[p->ngroups++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : 1;
}

void auth_release(struct principal *p)
{
	free(p->grants);
	p->grants = NULL;
	p->ngrants = 0;
	free(p->groups);
	p->groups = NULL;
	p->ngroups = 0;
}

int auth_session_open(struct db *db, const char *cookie, long long now, struct principal *p,
		      char csrf[AUTH_TOKEN_HEX + 1])
{
	char hash[AUTH_TOKEN_HEX + 1];
	struct session_row s;
	int rc;

	policy_anonymous(p);
	if (!cookie || !token_shape(cookie))
		return 0;
	auth_token_hash(cookie, hash);
	rc = aq_session_get(db, hash, &s);
	if (rc != 1)
		return rc;
	/* Both writes are best effort and never wait for another writer (an
	 * import holding the lock would otherwise hold every page of every
	 * logged-in reader for the whole busy timeout, and with them the
	 * server's workers): an expired session is refused all the same and
	 * swept at the next login; a touch skipped is tried on the next page. */
	if (now - s.last_seen > SESSION_IDLE || now - s.created > SESSION_MAX) {
		aq_session_delete(db, hash, false);
		return 0;
	}
	if (now - s.last_seen > SESSION_TOUCH)
		aq_session_touch(db, hash, now);
	rc = auth_login_user(db, s.user_id, p);
	if (rc == 1)
		snprintf(csrf, AUTH_TOKEN_HEX + 1, "%s", s.csrf);
	return rc;
}

int auth_session_new(struct db *db, long long user_id, long long now, const char *addr,
		     char cookie[AUTH_TOKEN_HEX + 1], char csrf[AUTH_TOKEN_HEX + 1])
{
	char hash[AUTH_TOKEN_HEX + 1];

	auth_random_token(cookie);
	auth_random_token(csrf);
	auth_token_hash(cookie, hash);
	/* a login is also the moment to sweep sessions that have run out */
	aq_session_expire(db, now - SESSION_IDLE, now - SESSION_MAX);
	return aq_session_add(db, hash, user_id, csrf, now, addr);
}

int auth_session_end(struct db *db, const char *cookie)
{
	char hash[AUTH_TOKEN_HEX + 1];

	if (!cookie || !token_shape(cookie))
		return 0;
	auth_token_hash(cookie, hash);
	return aq_session_delete(db, hash, true);
}

int auth_bearer_open(struct db *db, const char *authorization, struct principal *p)
{
	char hash[AUTH_TOKEN_HEX + 1];
	long long id, user_id;
	int rc;

	policy_anonymous(p);
	/* RFC 6750 2.1: the scheme is case-insensitive, then one space */
	if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return 0;
	authorization += 7;
	while (*authorization == ' ')
		authorization++;
	if (!token_shape(authorization))
		return 0;
	auth_token_hash(authorization, hash);
	rc = tq_find(db, hash, &id, &user_id);
	if (rc != 1)
		return rc;
	rc = auth_login_user(db, user_id, p);
	if (rc == 1)
		tq_touch(db, id);	/* best effort, as a session's touch */
	return rc;
}

int auth_token_make(struct db *db, const char *name, long long user_id,
		    char out[AUTH_TOKEN_HEX + 1])
{
	char hash[AUTH_TOKEN_HEX + 1];

	auth_random_token(out);
	auth_token_hash(out, hash);
	return tq_add(db, name, user_id, hash);
}

/* sign writes the hex HMAC-SHA-256 of msg under the hex secret. */
static int sign(const char *secret_hex, const char *msg, char out[AUTH_TOKEN_HEX + 1])
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	size_t keylen;

	if (sodium_hex2bin(key, sizeof key, secret_hex, strlen(secret_hex), NULL, &keylen, NULL) ||
	    keylen != sizeof key)
		return ERR_INVALID;
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, mac, sizeof mac);
	return 0;
}

int screener_sign(const char *secret_hex, const char *id, long long expires,
		  char out[SCREENER_TOKEN_MAX])
{
	char msg[UUID_STR_LEN + 32], mac[AUTH_TOKEN_HEX + 1];
	int rc;

	snprintf(msg, sizeof msg, "%s.%lld", id, expires);
	if ((rc = sign(secret_hex, msg, mac)))
		return rc;
	snprintf(out, SCREENER_TOKEN_MAX, "%s.%s", msg, mac);
	return 0;
}

int screener_verify(const char *secret_hex, const char *token, char id[UUID_STR_LEN + 1],
		    long long *expires)
{
	char msg[UUID_STR_LEN + 32], mac[AUTH_TOKEN_HEX + 1], exp[24];
	const char *dot1, *dot2;
	unsigned long long e;
	size_t n;

	if (!token || strlen(token) >= SCREENER_TOKEN_MAX)
		return ERR_INVALID;
	dot1 = strchr(token, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot1 || !dot2 || dot1 - token != UUID_STR_LEN)
		return ERR_INVALID;
	n = (size_t)(dot2 - dot1 - 1);
	if (n == 0 || n >= sizeof exp)
		return ERR_INVALID;
	memcpy(exp, dot1 + 1, n);
	exp[n] = '\0';
	memcpy(id, token, UUID_STR_LEN);
	id[UUID_STR_LEN] = '\0';
	if (!uuid_valid(id) || !str_parse_u64(exp, (unsigned long long)1 << 62, &e))
		return ERR_INVALID;
	memcpy(msg, token, (size_t)(dot2 - token));
	msg[dot2 - token] = '\0';
	if (sign(secret_hex, msg, mac) || !auth_equal(mac, dot2 + 1))
		return ERR_INVALID;
	*expires = (long long)e;
	return 0;
}
