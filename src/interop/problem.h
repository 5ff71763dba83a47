/* problem.h: the router's errors for machine clients. A JSON route's
 * error is an RFC 9457 problem document (application/problem+json), an
 * XML route's a small XML document with the same fields, so a script
 * reading the API or a harvester never has to parse an HTML error page. */
#ifndef CINEMATECA_PROBLEM_H
#define CINEMATECA_PROBLEM_H

struct req;

/* problem_json replaces rq->body with the problem document of rq->status
 * (type about:blank, title the status's reason phrase, status, and
 * rq->error_detail as detail when set) and sets the content type. On
 * failure to build it (out of memory) the body is left empty. */
void problem_json(struct req *rq);

/* problem_xml does the same as an XML document:
 * <error status="404"><title>Not Found</title><detail>...</detail></error>,
 * application/xml. */
void problem_xml(struct req *rq);

/* problem_title returns the reason phrase of an HTTP status (a literal;
 * "Error" for one it does not know). */
const char *problem_title(int status);

#endif
