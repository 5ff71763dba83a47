/* router.h: from a request to a handler, with the checks every route
 * shares done once: method (405), query arguments (400 when malformed),
 * language, unknown paths (404), error pages, and a 500 when a page could
 * not be built. */
#ifndef CINEMATECA_ROUTER_H
#define CINEMATECA_ROUTER_H

struct req;

enum route_kind { ROUTE_EXACT, ROUTE_SLUG };

/* A handler fills rq->body (or rq->static_body) and returns the HTTP
 * status; for an error status with an empty body the router renders the
 * error page. */
typedef int (*route_fn)(struct req *rq);

struct route {
	const char *path;
	enum route_kind kind;
	const char *type;	/* the record type of SLUG routes */
	route_fn fn;
	const char *what;
};

#define ROUTE(path, kind, type, fn, what) int fn(struct req *rq);
#include "routes.def"
#undef ROUTE

/* router_dispatch answers the request: afterwards rq->status, content type,
 * body and headers are set. Never fails: errors become error pages. */
void router_dispatch(struct req *rq);

#endif
