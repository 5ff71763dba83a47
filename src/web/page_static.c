/* page_static.c: files built into the binary (the stylesheet). */
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "http/req.h"
#include "http/router.h"

int page_style(struct req *rq)
{
	/* The ETag is the stylesheet's length and a hash of its bytes, so it
	 * changes with every build that changes the CSS. */
	char etag[40];
	unsigned long h = 5381;

	for (size_t i = 0; i < style_css_len; i++)
		h = h * 33 + style_css[i];
	snprintf(etag, sizeof etag, "\"%zx-%lx\"", style_css_len, h & 0xffffffffUL);
	req_header(rq, "ETag", etag);
	req_header(rq, "Cache-Control", "public, max-age=86400");
	rq->content_type = "text/css; charset=utf-8";
	if (rq->if_none_match && strstr(rq->if_none_match, etag)) {
		rq->static_body = (const unsigned char *)"";
		rq->static_len = 0;
		return 304;
	}
	rq->static_body = style_css;
	rq->static_len = style_css_len;
	return 200;
}
