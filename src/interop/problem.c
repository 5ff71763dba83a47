/* problem.c: RFC 9457 problem documents and their XML twin (problem.h).
 * Built with jansson and an escaping writer, so a detail that quotes
 * what a client sent cannot break the document. */
#include "problem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/req.h"
#include "interop/xml.h"

static const struct {
	int status;
	const char *title;
} titles[] = {
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{406, "Not Acceptable"},
	{409, "Conflict"},
	{410, "Gone"},
	{412, "Precondition Failed"},
	{413, "Content Too Large"},
	{415, "Unsupported Media Type"},
	{429, "Too Many Requests"},
	{500, "Internal Server Error"},
	{503, "Service Unavailable"},
	{507, "Insufficient Storage"},
};

const char *problem_title(int status)
{
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (titles[i].status == status)
			return titles[i].title;
	return "Error";
}

void problem_json(struct req *rq)
{
	json_t *o = json_object();
	char *text = NULL;

	buf_reset(&rq->body);
	rq->content_type = "application/problem+json";
	if (!o || json_object_set_new(o, "type", json_string("about:blank")) ||
	    json_object_set_new(o, "title", json_string(problem_title(rq->status))) ||
	    json_object_set_new(o, "status", json_integer(rq->status)) ||
	    (rq->error_detail &&
	     json_object_set_new(o, "detail", json_string(rq->error_detail))))
		goto out;
	text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (text && (buf_puts(&rq->body, text) || buf_putc(&rq->body, '\n')))
		buf_reset(&rq->body);
out:
	free(text);
	json_decref(o);
}

void problem_xml(struct req *rq)
{
	struct buf *b = &rq->body;

	buf_reset(b);
	rq->content_type = "application/xml; charset=utf-8";
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error status=\"%d\">"
		   "<title>%s</title>", rq->status, problem_title(rq->status));
	if (rq->error_detail) {
		buf_puts(b, "<detail>");
		xml_text(b, rq->error_detail);
		buf_puts(b, "</detail>");
	}
	buf_puts(b, "</error>\n");
	if (b->err)
		buf_reset(b);
}
