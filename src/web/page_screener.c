/* page_screener.c: /screener/TOKEN opens a screener link (see screener.h).
 * Every opening, refusal and use is logged in screener_use. */
#include "screener.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "access/auth.h"
#include "db/access_q.h"
#include "db/db.h"
#include "html.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"

/* The cookie is "ID.KEY": the screener's id and this browser's key. */
#define COOKIE_MAX (UUID_STR_LEN + 1 + AUTH_TOKEN_HEX + 1)

/* live_screener loads a screener that is neither revoked nor expired:
 * 1, or 0 (with the reason's HTTP status in *status), or a negative ERR_*. */
static int live_screener(struct db *db, const char *id, long long now, struct screener_row *s,
			 int *status)
{
	int rc = aq_screener_get(db, id, s);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		*status = 403;
		return 0;
	}
	if (s->revoked || now > s->expires) {
		*status = 410;
		return 0;
	}
	return 1;
}

void screener_principal(struct req *rq, long long now)
{
	char cookie[COOKIE_MAX], hash[AUTH_TOKEN_HEX + 1];
	struct screener_row s;
	int status;

	if (!req_cookie(rq, "screener", cookie, sizeof cookie) ||
	    strlen(cookie) != COOKIE_MAX - 1 || cookie[UUID_STR_LEN] != '.')
		return;
	cookie[UUID_STR_LEN] = '\0';
	if (live_screener(rq->db, cookie, now, &s, &status) != 1)
		return;
	auth_token_hash(cookie + UUID_STR_LEN + 1, hash);
	if (!s.bound_hash[0] || !auth_equal(hash, s.bound_hash))
		return;
	snprintf(rq->principal.screener_record, sizeof rq->principal.screener_record, "%s",
		 s.record_id);
	/* A use is a page of the work itself, not every stylesheet fetch.
	 * It is written without waiting for another writer (a long import
	 * would hold the page for the whole busy timeout); a use that could
	 * not be written is said in the server's log instead, never lost
	 * silently. */
	if (rq->path && strncmp(rq->path, "/work/", 6) == 0 && strcmp(rq->path + 6, s.slug) == 0 &&
	    aq_screener_use(rq->db, s.id, rq->addr) != 0)
		fprintf(stderr, "cinemateca: screener %s used from %s, not recorded: %s\n", s.id,
			rq->addr && *rq->addr ? rq->addr : "?", rq->db->err);
}

static int refuse(struct req *rq, int status, const char *id, const char *outcome)
{
	if (id)
		aq_screener_log(rq->db, id, rq->addr, outcome);
	layout_begin(rq, T(rq, MSG_SCREENER_TITLE), NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n<p class=\"status\">%d</p>\n<p>%s</p>\n",
		    T(rq, MSG_SCREENER_TITLE), status,
		    T(rq, status == 410 ? MSG_SCREENER_GONE :
			  strcmp(outcome, "other-browser") == 0 ? MSG_SCREENER_TAKEN :
								  MSG_SCREENER_INVALID));
	layout_end(rq);
	return status;
}

int page_screener(struct req *rq)
{
	char secret[65], id[UUID_STR_LEN + 1], cookie[COOKIE_MAX], key[AUTH_TOKEN_HEX + 1];
	char hash[AUTH_TOKEN_HEX + 1], header[COOKIE_MAX + 128], location[100];
	struct screener_row s;
	long long expires, now = (long long)time(NULL);
	int status = 403, rc;

	if (aq_secret(rq->db, secret))
		return req_fail(rq, 500, NULL);
	rc = screener_verify(secret, rq->slug, id, &expires);
	sodium_memzero(secret, sizeof secret);
	if (rc)
		return refuse(rq, 403, NULL, "bad-signature");
	rc = live_screener(rq->db, id, now, &s, &status);
	if (rc < 0)
		return req_fail(rq, 500, NULL);
	if (rc == 0)
		return refuse(rq, status, status == 403 ? NULL : id,
			      status == 410 ? "expired-or-revoked" : "unknown");
	if (s.expires != expires)
		return refuse(rq, 403, id, "bad-signature");
	if (s.bound_hash[0]) {
		/* already opened: only by the browser that holds its key */
		if (!req_cookie(rq, "screener", cookie, sizeof cookie) ||
		    strncmp(cookie, id, UUID_STR_LEN) != 0 || cookie[UUID_STR_LEN] != '.')
			return refuse(rq, 403, id, "other-browser");
		auth_token_hash(cookie + UUID_STR_LEN + 1, hash);
		if (!auth_equal(hash, s.bound_hash))
			return refuse(rq, 403, id, "other-browser");
		aq_screener_log(rq->db, id, rq->addr, "reopened");
	} else {
		auth_random_token(key);
		auth_token_hash(key, hash);
		rc = aq_screener_bind(rq->db, id, hash);
		if (rc != 1)	/* another browser was quicker */
			return rc < 0 ? req_fail(rq, 500, NULL) : refuse(rq, 403, id, "other-browser");
		aq_screener_log(rq->db, id, rq->addr, "opened");
		snprintf(header, sizeof header, "screener=%s.%s; Path=/; Max-Age=%lld; HttpOnly; "
			 "SameSite=Lax%s", id, key, s.expires - now, req_secure(rq) ? "; Secure" : "");
		req_header(rq, "Set-Cookie", header);
		sodium_memzero(key, sizeof key);
	}
	snprintf(location, sizeof location, "/work/%s", s.slug);
	return req_redirect(rq, location);
}
