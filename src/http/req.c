/* req.c: request helpers (see req.h). */
#include "req.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

const char *req_arg(const struct req *rq, const char *name)
{
	for (int i = 0; i < rq->nargs; i++)
		if (strcmp(rq->args[i].name, name) == 0)
			return rq->args[i].value;
	return NULL;
}

int req_header(struct req *rq, const char *name, const char *value)
{
	char *v;

	if (rq->nheaders == REQ_MAX_HEADERS)
		return ERR_TOOBIG;
	v = strdup(value);
	if (!v)
		return ERR_NOMEM;
	rq->headers[rq->nheaders].name = name;
	rq->headers[rq->nheaders].value = v;
	rq->nheaders++;
	return 0;
}

int req_fail(struct req *rq, int status, const char *detail)
{
	rq->status = status;
	rq->error_detail = detail;
	return status;
}

void req_free(struct req *rq)
{
	buf_free(&rq->body);
	for (int i = 0; i < rq->nheaders; i++)
		free(rq->headers[i].value);
	rq->nheaders = 0;
}
