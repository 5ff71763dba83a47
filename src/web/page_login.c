/* page_login.c: /login (form and submission) and /logout.
 *
 * The login form is protected from cross-site posting by a token that is
 * both in a cookie and in the form. Failed logins are counted per account
 * and per client address: past a few, further attempts are refused for a
 * while that doubles with every failure (up to 15 minutes), before any
 * password is checked, so a flood costs the server nothing. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "access/auth.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/iiif_auth_q.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

#define ACCOUNT_FREE 5		/* failures allowed per account before waiting */
#define ADDR_FREE 20		/* per client address (many people share one) */
#define WAIT_BASE 30		/* seconds after the first failure past those */
#define WAIT_MAX 900

/* wait_left: seconds still to wait for key, 0 when a try is allowed. */
static long long wait_left(struct db *db, const char *key, long long free_tries, long long now)
{
	long long failures, last, wait;

	if (aq_throttle_get(db, key, &failures, &last) || failures < free_tries)
		return 0;
	wait = WAIT_BASE << (failures - free_tries > 5 ? 5 : failures - free_tries);
	if (wait > WAIT_MAX)
		wait = WAIT_MAX;
	return last + wait > now ? last + wait - now : 0;
}

/* safe_next accepts only a local path ("/…", not "//…") to return to. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 500)
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return "/";
	return next;
}

static void form(struct req *rq, const char *token, const char *name, const char *next,
		 enum msg error)
{
	struct buf *b = &rq->body;

	layout_begin(rq, T(rq, MSG_LOGIN_TITLE), NULL);
	html_printf(b, "<h1>%s</h1>\n", T(rq, MSG_LOGIN_TITLE));
	if (error != MSG_COUNT)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", T(rq, error));
	html_printf(b, "<form class=\"edit\" method=\"post\" action=\"/login\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"next\" value=\"%s\">\n"
		    "<label>%s <input name=\"name\" autocomplete=\"username\" required maxlength=\"63\" "
		    "value=\"%s\"></label>\n"
		    "<label>%s <input name=\"password\" type=\"password\" "
		    "autocomplete=\"current-password\" required maxlength=\"1024\"></label>\n"
		    "<p><button type=\"submit\">%s</button></p>\n</form>\n",
		    token, safe_next(next), T(rq, MSG_LOGIN_NAME), name ? name : "",
		    T(rq, MSG_LOGIN_PASSWORD), T(rq, MSG_LOGIN));
	layout_end(rq);
}

/* login_token reuses the form's cookie token or makes a new one. */
static void login_token(struct req *rq, char token[AUTH_TOKEN_HEX + 1])
{
	char header[AUTH_TOKEN_HEX + 100];

	if (req_cookie(rq, "login_csrf", token, AUTH_TOKEN_HEX + 1) &&
	    strlen(token) == AUTH_TOKEN_HEX)
		return;
	auth_random_token(token);
	snprintf(header, sizeof header, "login_csrf=%s; Path=/; HttpOnly; SameSite=Strict%s",
		 token, req_secure(rq) ? "; Secure" : "");
	req_header(rq, "Set-Cookie", header);
}

int page_login_form(struct req *rq)
{
	char token[AUTH_TOKEN_HEX + 1];

	login_token(rq, token);
	form(rq, token, NULL, req_arg(rq, "next"), MSG_COUNT);
	return 200;
}

/* A hash to check against when the account does not exist, so that the
 * answer takes as long either way; made once, by whichever thread is first. */
static char dummy[AUTH_HASH_MAX];
static int have_dummy;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	have_dummy = auth_hash_password("not a password of anyone", dummy) == 0;
}

int page_login(struct req *rq)
{	const char *name = req_form(rq, "name"), *password = req_form(rq, "password");
	const char *next = req_form(rq, "next");
	char token[AUTH_TOKEN_HEX + 1], user_key[80], addr_key[80], header[200];
	char cookie[AUTH_TOKEN_HEX + 1], csrf[AUTH_TOKEN_HEX + 1];
	long long now = (long long)time(NULL), wait;
	struct user_row u;
	int found;
	bool ok;

	login_token(rq, token);
	if (!name || !*name || !password || !*password || strlen(name) > 63 ||
	    strlen(password) > 1024) {
		form(rq, token, name && strlen(name) <= 63 ? name : NULL, next, MSG_LOGIN_MISSING);
		return 400;
	}
	snprintf(user_key, sizeof user_key, "user:%s", name);
	for (char *p = user_key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	snprintf(addr_key, sizeof addr_key, "addr:%s", rq->addr);
	wait = wait_left(rq->db, user_key, ACCOUNT_FREE, now);
	if (wait < wait_left(rq->db, addr_key, ADDR_FREE, now))
		wait = wait_left(rq->db, addr_key, ADDR_FREE, now);
	if (wait > 0) {
		snprintf(header, sizeof header, "%lld", wait);
		req_header(rq, "Retry-After", header);
		form(rq, token, name, next, MSG_LOGIN_THROTTLED);
		return 429;
	}
	found = aq_user_find(rq->db, name, &u);
	if (found < 0)
		return req_fail(rq, 500, NULL);
	if (found != 1 || u.disabled) {
		pthread_once(&dummy_once, make_dummy);
		if (have_dummy)
			auth_check_password(dummy, password);
	}
	ok = found == 1 && !u.disabled && auth_check_password(u.pw_hash, password);
	/* The outcome is told only once it is recorded: a failure must count
	 * towards the throttle, so when another process holds the write lock
	 * (a long import) the answer is 503 (the router adds Retry-After),
	 * whether the password was right or not, after one busy wait. */
	if (db_begin(rq->db))
		return req_fail(rq, 500, NULL);
	if (!ok) {
		if (aq_throttle_fail(rq->db, user_key, now) || aq_throttle_fail(rq->db, addr_key, now))
			goto fail;
		if (db_commit(rq->db))
			goto fail;
		form(rq, token, name, next, MSG_LOGIN_FAILED);
		return 403;
	}
	if (aq_throttle_clear(rq->db, user_key) ||
	    auth_session_new(rq->db, u.id, now, rq->addr, cookie, csrf) || db_commit(rq->db))
		goto fail;
	snprintf(header, sizeof header, "sid=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
		 cookie, SESSION_MAX, req_secure(rq) ? "; Secure" : "");
	req_header(rq, "Set-Cookie", header);
	sodium_memzero(cookie, sizeof cookie);
	return req_redirect(rq, safe_next(next));
fail:
	sodium_memzero(cookie, sizeof cookie);
	if (rq->db->depth)
		db_rollback(rq->db);
	return req_fail(rq, 500, NULL);
}

int page_logout(struct req *rq)
{
	/* a session that could not be ended (the catalogue busy) is not
	 * reported as a logout: the visitor is still logged in */
	if (auth_session_end(rq->db, rq->sid) < 0)
		return req_fail(rq, 500, NULL);
	/* and the IIIF viewers' tokens it gave (interop/iiif_auth.c) */
	if (rq->principal.user_id && iaq_tokens_end_user(rq->db, rq->principal.user_id) < 0)
		return req_fail(rq, 500, NULL);
	req_header(rq, "Set-Cookie", "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	return req_redirect(rq, "/");
}
