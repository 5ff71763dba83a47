/* page_static.c: files built into the binary (the stylesheet and the
 * player's script). */
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "http/etag.h"
#include "http/req.h"
#include "http/router.h"

/* serve answers with bytes built into the binary. The ETag is their
 * length and a hash of them, so it changes with every build that changes
 * the file; a day's caching, then a revalidation that usually is a 304. */
static int serve(struct req *rq, const unsigned char *data, size_t len, const char *type)
{
	char etag[40];
	unsigned long h = 5381;

	for (size_t i = 0; i < len; i++)
		h = h * 33 + data[i];
	snprintf(etag, sizeof etag, "\"%zx-%lx\"", len, h & 0xffffffffUL);
	req_header(rq, "ETag", etag);
	req_header(rq, "Cache-Control", "public, max-age=86400");
	rq->content_type = type;
	if (etag_none_match_hit(rq->if_none_match, etag)) {
		rq->static_body = (const unsigned char *)"";
		rq->static_len = 0;
		return 304;
	}
	rq->static_body = data;
	rq->static_len = len;
	return 200;
}

int page_style(struct req *rq)
{
	return serve(rq, style_css, style_css_len, "text/css; charset=utf-8");
}

int page_script(struct req *rq)
{
	return serve(rq, player_js, player_js_len, "text/javascript; charset=utf-8");
}

int page_upload_script(struct req *rq)
{
	return serve(rq, upload_js, upload_js_len, "text/javascript; charset=utf-8");
}

int page_iiif_script(struct req *rq)
{
	return serve(rq, iiif_auth_js, iiif_auth_js_len, "text/javascript; charset=utf-8");
}

int page_contrib_script(struct req *rq)
{
	return serve(rq, contrib_js, contrib_js_len, "text/javascript; charset=utf-8");
}
