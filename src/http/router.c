/* router.c: dispatch by the route table (see router.h). */
#include "router.h"

#include <string.h>

#include "core/str.h"
#include "db/db.h"
#include "req.h"
#include "web/layout.h"
#include "web/i18n.h"

static const struct route routes[] = {
#define ROUTE(path, kind, type, fn, what) {path, kind, type, fn, what},
#include "routes.def"
#undef ROUTE
};

static const struct route *match(struct req *rq)
{
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->path);

		if (r->kind == ROUTE_EXACT && strcmp(rq->path, r->path) == 0)
			return r;
		if (r->kind == ROUTE_SLUG && strncmp(rq->path, r->path, n) == 0 &&
		    str_slug_valid(rq->path + n)) {
			rq->slug = rq->path + n;
			return r;
		}
	}
	return NULL;
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

void router_dispatch(struct req *rq)
{
	const struct route *r;
	const char *lang_arg;
	int status;

	lang_arg = args_ok(rq) ? req_arg(rq, "lang") : NULL;
	rq->lang = i18n_pick(lang_arg, rq->cookie, rq->accept_language);
	if (lang_arg && strcmp(lang_arg, rq->lang) == 0) {
		/* remember an explicit choice for the pages that follow */
		req_header(rq, "Set-Cookie", strcmp(rq->lang, "en") == 0 ?
			   "lang=en; Path=/; Max-Age=31536000; SameSite=Lax" :
			   "lang=es; Path=/; Max-Age=31536000; SameSite=Lax");
	}
	rq->content_type = "text/html; charset=utf-8";
	req_header(rq, "Vary", "Cookie, Accept-Language");

	r = match(rq);
	if (rq->body_too_large) {
		status = req_fail(rq, 413, NULL);
	} else if (!r) {
		status = req_fail(rq, 404, NULL);
	} else if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		req_header(rq, "Allow", "GET, HEAD");
		status = req_fail(rq, 405, NULL);
	} else if (!args_ok(rq)) {
		status = req_fail(rq, 400, NULL);
	} else if (!rq->db || db_read_begin(rq->db) != 0) {
		status = req_fail(rq, 500, NULL);
	} else {
		status = r->fn(rq);
		db_read_end(rq->db);
	}
	rq->status = status;
	if (rq->body.err) {
		/* the page could not be built (too large, out of memory) */
		buf_reset(&rq->body);
		rq->status = 500;
	}
	if (rq->status >= 400 && rq->body.len == 0 && !rq->static_body) {
		rq->content_type = "text/html; charset=utf-8";
		layout_error_page(rq);
	}
}
