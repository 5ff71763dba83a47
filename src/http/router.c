/* router.c: dispatch by the route table (see router.h). */
#include "router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "access/auth.h"
#include "catalog/archive.h"
#include "access/policy.h"
#include "core/str.h"
#include "db/db.h"
#include "interop/problem.h"
#include "req.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/layout.h"
#include "web/screener.h"
#include "interop/iiif.h"

static const struct route routes[] = {
#define ROUTE(method, path, kind, type, fn, flags, what) {method, path, kind, type, fn, flags, what},
#include "routes.def"
#undef ROUTE
};

#define NROUTES (sizeof routes / sizeof routes[0])
#define ROUTER_RETRY_AFTER "5"	/* seconds: about one busy timeout */

static bool token_valid(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '~'))
			return false;
	}
	return n > 0 && n < 200;
}

/* path_matches: does route r answer this path (setting rq->slug)? */
static bool path_matches(const struct route *r, struct req *rq)
{
	size_t n = strlen(r->path);

	if (r->kind == ROUTE_EXACT)
		return strcmp(rq->path, r->path) == 0;
	if (strncmp(rq->path, r->path, n) != 0)
		return false;
	if ((r->kind == ROUTE_SLUG && str_slug_valid(rq->path + n)) ||
	    (r->kind == ROUTE_TOKEN && token_valid(rq->path + n))) {
		rq->slug = rq->path + n;
		return true;
	}
	return false;
}

static enum route_format format_of_flags(unsigned flags)
{
	return flags & ROUTE_JSON ? ROUTE_FORMAT_JSON :
	       flags & ROUTE_XML ? ROUTE_FORMAT_XML : ROUTE_FORMAT_HTML;
}

/* shared_segments counts the whole leading path segments a and b share:
 * "/api/v1/x" and "/api/v1/" share 2, "/work/" and "/workx" none. */
static int shared_segments(const char *a, const char *b)
{
	int n = 0;

	while (*a == '/' && *b == '/') {
		size_t la = strcspn(a + 1, "/"), lb = strcspn(b + 1, "/");
		if (la == 0 || la != lb || memcmp(a + 1, b + 1, la) != 0)
			break;
		n++;
		a += 1 + la;
		b += 1 + lb;
	}
	return n;
}

enum route_format router_format_of(const char *path)
{
	int best = 0;
	enum route_format f = ROUTE_FORMAT_HTML;

	for (size_t i = 0; i < NROUTES; i++) {
		int n = shared_segments(path, routes[i].path);
		if (n > best) {
			best = n;
			f = format_of_flags(routes[i].flags);
		}
	}
	return f;
}

static bool method_matches(const struct route *r, const char *method)
{
	return strcmp(r->method, method) == 0 ||
	       (strcmp(r->method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

/* match finds the route for path and method; *path_known tells a 405 from
 * a 404 and allow lists the methods the path answers. */
static const struct route *match(struct req *rq, bool *path_known, char allow[32])
{
	const struct route *found = NULL;

	*path_known = false;
	allow[0] = '\0';
	for (size_t i = 0; i < NROUTES; i++) {
		if (!path_matches(&routes[i], rq))
			continue;
		if (!*path_known || !strstr(allow, routes[i].method)) {
			size_t n = strlen(allow);
			snprintf(allow + n, 32 - n, "%s%s", n ? ", " : "",
				 strcmp(routes[i].method, "GET") == 0 ? "GET, HEAD" : routes[i].method);
		}
		*path_known = true;
		if (!found && method_matches(&routes[i], rq->method))
			found = &routes[i];
	}
	if (found)
		path_matches(found, rq);	/* its slug, not the last tried */
	return found;
}

/* args_ok checks every query argument is valid UTF-8 without control
 * characters, so nothing malformed reaches a page or the database. */
static int args_ok(const struct req *rq)
{
	if (rq->too_many_args)
		return 0;
	for (int i = 0; i < rq->nargs; i++) {
		const char *v = rq->args[i].value, *k = rq->args[i].name;
		if (!str_utf8_valid(k, strlen(k)) || !str_utf8_valid(v, strlen(v)))
			return 0;
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t')
				return 0;
	}
	return 1;
}

/* who_is_asking turns the session and screener cookies into a principal.
 * A cookie that is forged, expired or revoked simply leaves the visitor
 * anonymous. */
static void who_is_asking(struct req *rq)
{
	long long now = (long long)time(NULL);

	policy_anonymous(&rq->principal);
	if (!rq->db)
		return;
	/* a IIIF viewer's access token is for the probe service alone, which
	 * reads it itself (interop/iiif_auth.c); the cookies still count */
	if (rq->authorization && strncasecmp(rq->authorization, "Bearer ", 7) == 0 &&
	    strncmp(rq->authorization + 7, IIIF_TOKEN_PREFIX, strlen(IIIF_TOKEN_PREFIX)) != 0) {
		/* a script's API token: one that fails is refused (401), never
		 * read as an anonymous visit, so a revoked token stops at once
		 * and says so instead of quietly seeing less. Other schemes
		 * (a proxy's Basic login in front of the site) are not ours. */
		if (auth_bearer_open(rq->db, rq->authorization, &rq->principal) != 1) {
			auth_release(&rq->principal);
			policy_anonymous(&rq->principal);
			rq->bearer_refused = 1;
		}
		rq->principal.viewers_contribute = rq->archive && rq->archive->viewers_contribute;
		return;
	}
	if (req_cookie(rq, "sid", rq->sid, sizeof rq->sid) &&
	    auth_session_open(rq->db, rq->sid, now, &rq->principal, rq->csrf) != 1) {
		rq->csrf[0] = '\0';
		policy_anonymous(&rq->principal);
	}
	screener_principal(rq, now);
	rq->principal.viewers_contribute = rq->archive && rq->archive->viewers_contribute;
}

/* csrf_ok checks a form's token against the session's (or, for the login
 * form, against the cookie the form was served with). */
static bool csrf_ok(struct req *rq, const struct route *r)
{
	const char *sent = req_form(rq, "csrf");
	char expect[AUTH_TOKEN_HEX + 1] = "";

	if (r->flags & ROUTE_LOGIN_CSRF)
		req_cookie(rq, "login_csrf", expect, sizeof expect);
	else
		snprintf(expect, sizeof expect, "%s", rq->csrf);
	return sent && strlen(expect) == AUTH_TOKEN_HEX && auth_equal(sent, expect);
}

int router_login_redirect(struct req *rq)
{
	/* back here after logging in: path and query, as one value */
	char to[600];
	struct buf b, back;

	buf_init(&back, 2048);
	buf_puts(&back, rq->path);
	for (int i = 0; i < rq->nargs; i++)
		buf_printf(&back, "%c%s=%s", i ? '&' : '?', rq->args[i].name, rq->args[i].value);
	buf_init(&b, sizeof to);
	buf_puts(&b, "/login?next=");
	html_url_path(&b, buf_str(&back));
	snprintf(to, sizeof to, "%s", back.err || b.err ? "/login" : buf_str(&b));
	buf_free(&back);
	buf_free(&b);
	return req_redirect(rq, to);
}

bool router_streams(const char *method, const char *path)
{
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->path);
		if (!(r->flags & ROUTE_STREAM) || strcmp(r->method, method) != 0)
			continue;
		if (r->kind == ROUTE_EXACT ? strcmp(path, r->path) == 0 :
		    strncmp(path, r->path, n) == 0 &&
		    (r->kind == ROUTE_SLUG ? str_slug_valid(path + n) : token_valid(path + n)))
			return true;
	}
	return false;
}

/* header_csrf_ok: a signed-in browser's request carries its session's
 * token in ROUTER_CSRF_HEADER. Requests with an API token, and requests
 * by nobody (which the handler refuses as such), need none. */
static bool header_csrf_ok(struct req *rq)
{
	const char *sent;

	if (rq->principal.user_id == 0 || (rq->authorization && !rq->csrf[0]))
		return true;
	sent = req_header_in(rq, ROUTER_CSRF_HEADER);
	return sent && strlen(rq->csrf) == AUTH_TOKEN_HEX && strlen(sent) == AUTH_TOKEN_HEX &&
	       auth_equal(sent, rq->csrf);
}

static int run(struct req *rq, const struct route *r)
{
	const char *ct = rq->content_type_in;
	int status;

	if (r->flags & ROUTE_FORM) {
		if (ct && strncmp(ct, "application/x-www-form-urlencoded", 33) != 0)
			return req_fail(rq, 415, NULL);
		if (req_parse_form(rq, rq->body_in ? rq->body_in : "", rq->body_in_len))
			return req_fail(rq, 400, NULL);
		if (!csrf_ok(rq, r))
			return req_fail(rq, 403, NULL);
	}
	if ((r->flags & ROUTE_HEADER_CSRF) && !header_csrf_ok(rq))
		return req_fail(rq, 403, "This request changes something and comes from a signed-in "
				"browser, so it must carry the session's CSRF token in the "
				ROUTER_CSRF_HEADER " header (the csrf field of the site's forms).");
	if ((r->flags & (ROUTE_EDIT | ROUTE_ADMIN)) && rq->principal.user_id == 0)
		return router_login_redirect(rq);
	if (((r->flags & ROUTE_EDIT) && !policy_can_edit(&rq->principal)) ||
	    ((r->flags & ROUTE_ADMIN) && !policy_can_admin(&rq->principal)))
		return req_fail(rq, 403, NULL);
	if (r->flags & ROUTE_STREAM) {
		rq->route = r;
		rq->stream = REQ_STREAM_OPEN;
		return r->fn(rq);
	}
	if (r->flags & ROUTE_WRITE)
		return r->fn(rq);
	if (db_read_begin(rq->db) != 0) {
		rq->cause = "cannot start reading the catalogue";
		return req_fail(rq, 500, NULL);
	}
	status = r->fn(rq);
	db_read_end(rq->db);
	return status;
}

/* finish completes the answer the handler gave status for: 503 for a
 * locked catalogue, caching, and the error page of an error without one. */
static void finish(struct req *rq, int status)
{
	/* A write that met another process's write lock (a long import) and
	 * waited the whole busy timeout: say so, and when to come back. */
	if (status == 500 && rq->db && rq->db->busy)
		status = 503;
	if (status == 503 && !req_has_header(rq, "Retry-After"))
		req_header(rq, "Retry-After", ROUTER_RETRY_AFTER);
	rq->status = status;
	/* pages that know who is reading are nobody else's to cache */
	if (!req_has_header(rq, "Cache-Control"))
		req_header(rq, "Cache-Control", rq->principal.role != ROLE_ANONYMOUS ||
			   rq->principal.screener_record[0] ? "private, no-store" : "no-cache");
	if (rq->body.err) {
		/* the page could not be built (too large, out of memory) */
		buf_reset(&rq->body);
		rq->status = 500;
		rq->cause = "the page could not be built (larger than the page limit, or out of memory)";
	}
	if (rq->status >= 400 && rq->body.len == 0 && !rq->static_body) {
		if (rq->format == ROUTE_FORMAT_JSON) {
			problem_json(rq);
		} else if (rq->format == ROUTE_FORMAT_XML) {
			problem_xml(rq);
		} else {
			rq->content_type = "text/html; charset=utf-8";
			layout_error_page(rq);
		}
	}
}

void router_dispatch(struct req *rq)
{
	const struct route *r;
	const char *lang_arg;
	char allow[32];
	bool known;
	int status;

	lang_arg = args_ok(rq) ? req_arg(rq, "lang") : NULL;
	rq->lang = i18n_pick(lang_arg, rq->cookie, rq->accept_language);
	if (lang_arg && strcmp(lang_arg, rq->lang) == 0) {
		/* remember an explicit choice for the pages that follow */
		char cookie[96];

		/* rq->lang is one of the languages present, letters and _ - @ */
		snprintf(cookie, sizeof cookie, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax",
			 rq->lang);
		req_header(rq, "Set-Cookie", cookie);
	}
	rq->content_type = "text/html; charset=utf-8";
	/* who is asking (a session, a screener, an API token) and in which
	 * language change the answer */
	req_header(rq, "Vary", "Cookie, Accept-Language, Authorization");
	/* Everything a page uses comes from this server, and no page may run
	 * a script, style or object from anywhere else or inline: a catalogue
	 * string that escaped its escaping still could not run. */
	req_header(rq, "Content-Security-Policy",
		   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		   "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
		   "frame-ancestors 'none'");
	if (rq->db) {
		/* what went wrong in this request, for the log of a 5xx */
		rq->db->err[0] = '\0';
		rq->db->busy = 0;
	}
	who_is_asking(rq);
	if (rq->db) {
		/* a skipped session touch is no failure of this request */
		rq->db->err[0] = '\0';
		rq->db->busy = 0;
		rq->db->principal = &rq->principal;
	}

	r = match(rq, &known, allow);
	rq->format = r ? format_of_flags(r->flags) : router_format_of(rq->path);
	if (rq->format != ROUTE_FORMAT_HTML) {
		/* data, not pages: nothing in them runs or is styled */
		rq->content_type = rq->format == ROUTE_FORMAT_JSON ? "application/json" :
				   "application/xml; charset=utf-8";
	}
	if (rq->body_too_large) {
		status = req_fail(rq, 413, NULL);
	} else if (!known) {
		status = req_fail(rq, 404, NULL);
	} else if (!r) {
		req_header(rq, "Allow", allow);
		status = req_fail(rq, 405, NULL);
	} else if (rq->bearer_refused) {
		req_header(rq, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		status = req_fail(rq, 401, "The API token is not valid: it was revoked, its user is "
				  "disabled, or it was never made here. Ask an administrator for a "
				  "new one (cinemateca token add).");
	} else if (!args_ok(rq)) {
		status = req_fail(rq, 400, NULL);
	} else if (!rq->db) {
		rq->cause = "this worker has no catalogue connection (see its message above)";
		status = req_fail(rq, 500, NULL);
	} else {
		rq->route_flags = r->flags;
		rq->route_type = r->type;
		status = run(rq, r);
	}
	if (status == 0 && rq->stream == REQ_STREAM_OPEN && rq->stream_write) {
		rq->status = 0;	/* the handler takes the body: answered at its end */
		if (rq->db)
			rq->db->principal = NULL;
		return;
	}
	if (status == 0) {
		rq->cause = "a streaming handler took no body and gave no answer";
		status = req_fail(rq, 500, NULL);
	}
	finish(rq, status);
	if (rq->db)
		rq->db->principal = NULL;
}

void router_stream_end(struct req *rq)
{
	const struct route *r = rq->route;
	int status;

	if (rq->db) {
		rq->db->err[0] = '\0';
		rq->db->busy = 0;
		rq->db->principal = &rq->principal;
	}
	rq->stream = REQ_STREAM_END;
	status = r->fn(rq);
	finish(rq, status);
	if (rq->db)
		rq->db->principal = NULL;
}
