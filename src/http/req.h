/* req.h: one HTTP request and its response, as the handlers see them.
 *
 * server.c (the only file that knows libmicrohttpd) fills a struct req,
 * calls router_dispatch(), and sends what the handler left in rq->resp.
 * Everything a handler needs is here, passed explicitly: no globals, no
 * exit(). */
#ifndef CINEMATECA_REQ_H
#define CINEMATECA_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "access/auth.h"
#include "access/policy.h"
#include "core/buf.h"

#define REQ_MAX_ARGS 32		/* query arguments kept; more is a 400 */
#define REQ_MAX_HEADERS 12	/* response headers a handler may add */
#define REQ_MAX_FORM 64		/* form fields kept; more is a 400 */
#define REQ_BODY_MAX (4u << 20)	/* largest page we build */
#define REQ_BODY_IN_MAX (64u << 10)	/* largest request body accepted */

struct archive;
struct db;
struct range_multipart;

/* The phases of a route whose body is streamed (ROUTE_STREAM): the
 * handler is called once with the headers (REQ_STREAM_OPEN: it checks
 * them and sets stream_write, or answers at once), the body is given to
 * stream_write a piece at a time as it arrives, and the handler is called
 * again when it is all in (REQ_STREAM_END) to answer. stream_close is
 * called last in every case, also when the client went away midway or
 * the server stopped (then there is no answer). */
enum req_stream { REQ_STREAM_NONE, REQ_STREAM_OPEN, REQ_STREAM_END };

struct req_arg {
	const char *name;	/* owned by the server for the request's life */
	const char *value;	/* "" for ?flag */
};

struct resp_header {
	const char *name;	/* a literal */
	char *value;		/* owned by the request */
};

struct req {
	/* request */
	const char *method;		/* "GET", "HEAD", ... */
	const char *path;		/* percent-decoded path, from "/" */
	struct req_arg args[REQ_MAX_ARGS];
	int nargs;
	int too_many_args;		/* more than REQ_MAX_ARGS were sent */
	const char *cookie;		/* Cookie header or NULL */
	const char *accept_language;	/* Accept-Language header or NULL */
	const char *if_none_match;	/* If-None-Match header or NULL */
	const char *range;		/* Range header or NULL */
	const char *if_range;		/* If-Range header or NULL */
	int body_too_large;		/* the body passed REQ_BODY_IN_MAX (413) */
	const char *content_type_in;	/* Content-Type of the request body or NULL */
	const char *authorization;	/* Authorization header or NULL */
	const char *host;		/* Host header or NULL */
	const char *origin;		/* Origin header or NULL */
	const char *forwarded_proto;	/* X-Forwarded-Proto from a proxy in front, or NULL */
	const char *addr;		/* the client's address, "" when unknown */
	char *body_in;			/* the request body, NUL-terminated (owned by the server) */
	size_t body_in_len;
	struct req_arg form[REQ_MAX_FORM];	/* the body's fields (urlencoded) */
	int nform;
	char *form_buf;			/* storage of the decoded fields (owned) */
	const char *(*header_in)(void *conn, const char *name);	/* the server's
					 * lookup of a request header (NULL: none) */
	void *conn;			/* the server's handle for header_in */

	/* a streamed body (ROUTE_STREAM; see enum req_stream) */
	enum req_stream stream;		/* the phase the handler is called in */
	const void *route;		/* the matched route (router.c's) */
	int (*stream_write)(struct req *rq, const char *data, size_t len);
					/* takes the next piece: 0, or an HTTP
					 * status that ends the taking (the rest
					 * of the body is read and dropped) */
	void (*stream_close)(struct req *rq);	/* frees the stream's state */
	void *stream_ctx;		/* the handler's state, for the two above */
	int stream_status;		/* what stream_write last refused with, or 0 */
	char detail_buf[512];		/* the text of a req_failf detail */

	/* context */
	const struct archive *archive;	/* settings */
	struct db *db;			/* this worker thread's connection */
	const char *lang;		/* "es" or "en": the interface language */
	const char *slug;		/* the path's last segment for /TYPE/SLUG routes */
	struct principal principal;	/* who is asking (the policy's subject) */
	char csrf[AUTH_TOKEN_HEX + 1];	/* the session's form token, "" when anonymous */
	char sid[AUTH_TOKEN_HEX + 1];	/* the session cookie as presented, "" if none */
	int bearer_refused;		/* an Authorization header was sent and refused (401) */
	unsigned route_flags;		/* the matched route's ROUTE_* flags */
	const char *route_type;		/* the matched route's record type, or NULL */
	int format;			/* enum route_format of the response (router.h) */

	/* response */
	int status;			/* HTTP status */
	const char *content_type;	/* a literal */
	struct buf body;
	const unsigned char *static_body;	/* when set, sent instead of body */
	size_t static_len;
	int file_fd;			/* when has_file: bytes sent from this open file */
	int has_file;			/* (the server closes it) */
	uint64_t file_offset, file_len;
	struct range_multipart *multipart;	/* with has_file: send these parts of
						 * it instead (malloc'd; freed with rq) */
	struct resp_header headers[REQ_MAX_HEADERS];
	int nheaders;
	const char *error_detail;	/* shown on error pages, a literal or NULL */
	const char *cause;		/* why a 5xx, for the server's log: a literal
					 * or NULL (then the catalogue's last error) */
};

/* req_arg returns the value of query argument name, or NULL. */
const char *req_arg(const struct req *rq, const char *name);

/* req_form returns the value of form field name, or NULL. */
const char *req_form(const struct req *rq, const char *name);

/* req_parse_form decodes an application/x-www-form-urlencoded body into
 * rq->form. Returns 0, or ERR_INVALID for a malformed body (bad escape,
 * invalid UTF-8, a control character, too many fields), ERR_NOMEM. */
int req_parse_form(struct req *rq, const char *body, size_t len);

/* req_cookie copies the value of cookie name into out (n bytes) and
 * returns true, or returns false when there is none or it does not fit. */
bool req_cookie(const struct req *rq, const char *name, char *out, size_t n);

/* req_secure reports whether the browser reached us over TLS (through a
 * proxy that says so, or a base_url that starts with https://): cookies
 * then get the Secure flag. */
bool req_secure(const struct req *rq);

/* req_base_url writes the site's public address without a trailing slash
 * ("https://archive.example.org") into out: base_url from cinemateca.conf
 * when set, else the scheme (https when req_secure) and the request's
 * Host. Returns 0, or ERR_INVALID when base_url is unset and Host is
 * missing or not a host name[:port] (nothing usable to link to), or
 * ERR_TOOBIG when it does not fit in n bytes. */
int req_base_url(const struct req *rq, char *out, size_t n);

/* req_redirect answers 303 See Other to a local path (a literal or a
 * checked path); returns 303. */
int req_redirect(struct req *rq, const char *location);

/* req_header adds a response header (value copied). Returns 0 or ERR_*. */
int req_header(struct req *rq, const char *name, const char *value);

/* req_header_set replaces the value of a response header already added
 * (a route's own Content-Security-Policy, say), or adds it. */
int req_header_set(struct req *rq, const char *name, const char *value);
/* req_has_header reports whether the response already has header name. */
bool req_has_header(const struct req *rq, const char *name);

/* req_fail records an error status with an explanation for the error page
 * and returns the status, so a handler can `return req_fail(rq, 404, "…")`. */
int req_fail(struct req *rq, int status, const char *detail);

/* req_failf is req_fail with a detail made from a format (kept in
 * rq->detail_buf, cut to fit). */
int req_failf(struct req *rq, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* req_header_in returns the value of request header name (any case), or
 * NULL when it was not sent. */
const char *req_header_in(const struct req *rq, const char *name);

/* req_free releases what the request owns (body, header values, form). */
void req_free(struct req *rq);

#endif
