/* api.c: the JSON API under /api/v1/ for scripts and other tools.
 *
 * Every answer is built with jansson (so every catalogue string is
 * escaped by construction) and every read goes through the same queries
 * and the same policy as the pages. Errors are RFC 9457 problem documents:
 * the route table marks these routes ROUTE_JSON, so a handler returns
 * req_fail(rq, status, detail) and the router writes the document. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "http/req.h"
#include "http/router.h"

/* send_json puts o (consumed) in the response as compact JSON. Returns
 * 200, or 500 when it could not be written. */
static int send_json(struct req *rq, json_t *o, int status)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc = status;

	json_decref(o);
	rq->content_type = "application/json";
	if (!text || buf_puts(&rq->body, text) || buf_putc(&rq->body, '\n')) {
		buf_reset(&rq->body);
		rq->cause = "the API answer could not be built (out of memory or too large)";
		rc = req_fail(rq, 500, NULL);
	}
	free(text);
	return rc;
}

int api_index(struct req *rq)
{
	return send_json(rq, json_pack("{s:s, s:s, s:s, s:s, s:s}",
				       "openapi", "/api/v1/openapi.json",
				       "records", "/api/v1/records",
				       "search", "/api/v1/search",
				       "changes", "/api/v1/changes",
				       "files", "/api/v1/files/{id}"), 200);
}
