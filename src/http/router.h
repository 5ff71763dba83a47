/* router.h: from a request to a handler, with the checks every route
 * shares done once: who is asking (session or screener cookie), method
 * (405), query arguments and form bodies (400 when malformed), CSRF tokens
 * (403), login and role (303 to the login form, 403), language, unknown
 * paths (404), error pages, and a 500 when a page could not be built. */
#ifndef CINEMATECA_ROUTER_H
#define CINEMATECA_ROUTER_H

#include <stdbool.h>

struct req;

enum route_kind { ROUTE_EXACT, ROUTE_SLUG, ROUTE_TOKEN };

enum route_flag {
	ROUTE_FORM = 1 << 0,		/* urlencoded body, CSRF-checked */
	ROUTE_LOGIN_CSRF = 1 << 1,	/* CSRF token from the login form's cookie */
	ROUTE_WRITE = 1 << 2,		/* no read transaction around the handler */
	ROUTE_EDIT = 1 << 3,		/* archivists and administrators only */
	ROUTE_ADMIN = 1 << 4,		/* administrators only */
	/* The response kind: HTML unless one of these. The router's own
	 * errors (400, 404, 405, 413, 415, 500, 503, and any error status a
	 * handler returns without a body) come back in the route's kind:
	 * application/problem+json (RFC 9457) or a small XML error. */
	ROUTE_JSON = 1 << 5,		/* answers JSON */
	ROUTE_XML = 1 << 6,		/* answers XML */
	/* A state change that is no form (a script's PATCH, DELETE, POST):
	 * from a signed-in browser it must carry the session's CSRF token in
	 * the header ROUTER_CSRF_HEADER (403 otherwise); an API token
	 * (Authorization: Bearer) needs none, as no browser sends it by
	 * itself. */
	ROUTE_HEADER_CSRF = 1 << 7,
	/* The body is not kept whole but given to the handler a piece at a
	 * time as it arrives (enum req_stream in req.h), so it may be as
	 * large as the handler lets it be. Implies ROUTE_WRITE. */
	ROUTE_STREAM = 1 << 8,
};

#define ROUTER_CSRF_HEADER "X-CSRF-Token"

/* The response kind a route's flags say. */
enum route_format { ROUTE_FORMAT_HTML, ROUTE_FORMAT_JSON, ROUTE_FORMAT_XML };

/* A handler fills rq->body (or rq->static_body) and returns the HTTP
 * status; for an error status with an empty body the router renders the
 * error page. */
typedef int (*route_fn)(struct req *rq);

struct route {
	const char *method;	/* "GET" (HEAD too) or "POST" */
	const char *path;
	enum route_kind kind;
	const char *type;	/* the record type of SLUG routes */
	route_fn fn;
	unsigned flags;		/* ROUTE_* */
	const char *what;
};

#define ROUTE(method, path, kind, type, fn, flags, what) int fn(struct req *rq);
#include "routes.def"
#undef ROUTE

/* router_format_of returns the kind of response the route for path gives,
 * or, for a path no route answers, the kind of the route sharing the most
 * leading path segments with it (at least one; HTML otherwise), so that
 * /api/v1/nothing is a JSON 404 and /nothing an HTML one. */
enum route_format router_format_of(const char *path);

/* router_dispatch answers the request: afterwards rq->status, content type,
 * body and headers are set. Never fails: errors become error pages. */
void router_dispatch(struct req *rq);

/* router_streams reports whether the route for this method and path
 * takes its body streamed (ROUTE_STREAM), so that the server does not
 * keep it nor cap it at REQ_BODY_IN_MAX. */
bool router_streams(const char *method, const char *path);

/* After router_dispatch, a request to a ROUTE_STREAM route whose handler
 * took the body has rq->status 0 and rq->stream_write set: the server
 * feeds it the body, then calls router_stream_end to have the handler
 * answer (rq->status and the rest set as by router_dispatch), and in
 * every case rq->stream_close (if set) before freeing the request. */
void router_stream_end(struct req *rq);

/* router_login_redirect answers 303 to the login form, which comes back
 * to this very request's path and query once someone is signed in. */
int router_login_redirect(struct req *rq);

#endif
