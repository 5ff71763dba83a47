/* page_upload_form.c: the upload form that works without JavaScript.
 *
 * GET /upload?return=LOCAL_PATH shows a form with a file input; POST
 * /upload (multipart/form-data) streams the file to disk as it arrives
 * (http/multipart.c, never held whole), makes it a finished upload of the
 * asker (web/uploads.h) and answers 303 to the return path with upload=ID
 * added, for the page that asked to go on with it (a contribution form
 * claims it with upload_claim). With JavaScript, assets/upload.js sends
 * the same file over tus instead (resumable) and goes to the same place.
 *
 * The form's csrf field must come before its file (browsers send fields
 * in the form's order): the token is checked before a byte of the file is
 * written, and a file before a valid token is refused (403). Only accounts
 * the policy lets contribute; the return path must be local ("/...", not
 * "//..."). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access/auth.h"
#include "access/policy.h"
#include "catalog/archive.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "html.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n.h"
#include "layout.h"
#include "uploads.h"

#define RETURN_MAX 500		/* bytes of a return path */
#define FORM_OVERHEAD (64u << 10)	/* a form's bytes besides its file, at most */

/* return_ok: a local path to go back to: "/..." but not "//..." nor
 * "/\...", printable ASCII without quotes, angle brackets, backslashes
 * or a fragment, at most RETURN_MAX bytes. */
static bool return_ok(const char *r)
{
	if (!r || r[0] != '/' || r[1] == '/' || r[1] == '\\' || strlen(r) > RETURN_MAX)
		return false;
	for (const char *p = r; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e || strchr("\"<>\\#'`", *p))
			return false;
	return true;
}

/* who_may: the checks the form and its submission share. 0, or the status. */
static int who_may(struct req *rq)
{
	if (rq->principal.user_id == 0)
		return router_login_redirect(rq);
	if (!policy_can_contribute(&rq->principal))
		return req_fail(rq, 403, T(rq, MSG_UPLOAD_REFUSED));
	if (!return_ok(req_arg(rq, "return")))
		return req_fail(rq, 400, T(rq, MSG_UPLOAD_BAD_RETURN));
	return 0;
}

int page_upload_form(struct req *rq)
{
	struct buf *b = &rq->body;
	const char *ret = req_arg(rq, "return");
	int status;

	if ((status = who_may(rq)))
		return status;
	layout_begin(rq, T(rq, MSG_UPLOAD_TITLE), NULL);
	html_printf(b, "<h1>%s</h1>\n<p>%s %lld MB.</p>\n", T(rq, MSG_UPLOAD_TITLE),
		    T(rq, MSG_UPLOAD_HINT),
		    (long long)((rq->archive->upload_max_bytes + 999999) / 1000000));
	html_printf(b, "<form class=\"edit upload\" method=\"post\" action=\"/upload?return=%u\" "
		    "enctype=\"multipart/form-data\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<label>%s <input type=\"file\" name=\"file\" required "
		    "data-upload-return=\"%s\"></label>\n"
		    "<p><button type=\"submit\">%s</button></p>\n</form>\n"
		    "<script src=\"/static/upload.js\" defer></script>\n",
		    ret, rq->csrf, T(rq, MSG_UPLOAD_FILE), ret, T(rq, MSG_UPLOAD_SEND));
	layout_end(rq);
	return 200;
}

/* A form's submission being received. */
struct form_up {
	struct multipart mp;
	struct req *rq;
	struct upload_row u;
	int fd;			/* the file's bytes, or -1 */
	bool made;		/* u exists (its row and file) */
	bool finished;		/* u is done: keep it */
	bool in_csrf, in_file, had_file, csrf_ok;
	char csrf[AUTH_TOKEN_HEX + 1];
	size_t csrf_len;
	long long bytes;	/* of the file so far */
	int status;		/* the answer decided midway, or 0 */
	int write_errno;
};

/* stop: decide the answer midway (status, detail) and stop reading. */
static int stop(struct form_up *f, int status)
{
	f->status = status;
	return status;
}

static int on_part(void *arg, const struct multipart_part *p)
{
	struct form_up *f = arg;
	struct req *rq = f->rq;
	struct upload_meta m = {"", ""};
	const char *name = p->filename, *slash;
	int rc;

	f->in_csrf = f->in_file = false;
	if (strcmp(p->name, "csrf") == 0) {
		f->in_csrf = true;
		f->csrf_len = 0;
		return 0;
	}
	if (strcmp(p->name, "file") != 0)
		return 0;	/* another field: its bytes are read and left */
	if (!f->csrf_ok) {
		req_fail(rq, 403, T(rq, MSG_UPLOAD_CSRF));
		return stop(f, 403);
	}
	if (f->had_file) {
		req_fail(rq, 400, T(rq, MSG_UPLOAD_ONE));
		return stop(f, 400);
	}
	f->had_file = true;
	if (!p->has_filename || !p->filename[0]) {
		req_fail(rq, 400, T(rq, MSG_UPLOAD_NONE));
		return stop(f, 400);
	}
	/* an old browser's whole path: the name is its last part */
	if ((slash = strrchr(name, '/')))
		name = slash + 1;
	if ((slash = strrchr(name, '\\')))
		name = slash + 1;
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			req_fail(rq, 400, T(rq, MSG_UPLOAD_BAD_NAME));
			return stop(f, 400);
		}
	if (strlen(name) > UPLOAD_NAME_MAX || !*name) {
		req_fail(rq, 400, T(rq, MSG_UPLOAD_BAD_NAME));
		return stop(f, 400);
	}
	memcpy(m.filename, name, strlen(name) + 1);	/* it fits: checked above */
	if (upload_type_valid(p->type) && strlen(p->type) < sizeof m.filetype)
		memcpy(m.filetype, p->type, strlen(p->type) + 1);
	rc = upload_create(rq->db, rq->archive, rq->principal.user_id, -1, "", &m,
			   (long long)time(NULL), &f->u);
	if (rc == 0) {
		f->made = true;
		rc = upload_lock(rq->db, rq->archive, &f->u, &f->fd, (long long)time(NULL));
	}
	if (rc) {
		if (rc == ERR_IO && (errno == ENOSPC || errno == EDQUOT)) {
			req_fail(rq, 507, T(rq, MSG_UPLOAD_FULL));
			return stop(f, 507);
		}
		rq->cause = "a form's upload could not be made";
		req_fail(rq, 500, NULL);
		return stop(f, 500);
	}
	f->in_file = true;
	return 0;
}

static int on_data(void *arg, const char *data, size_t n)
{
	struct form_up *f = arg;
	struct req *rq = f->rq;

	if (f->in_csrf) {
		if (f->csrf_len + n > AUTH_TOKEN_HEX) {
			req_fail(rq, 403, T(rq, MSG_UPLOAD_CSRF));
			return stop(f, 403);
		}
		memcpy(f->csrf + f->csrf_len, data, n);
		f->csrf_len += n;
		return 0;
	}
	if (!f->in_file)
		return 0;
	if ((unsigned long long)f->bytes + n > rq->archive->upload_max_bytes) {
		req_failf(rq, 413, "%s %llu bytes (upload_max_bytes).", T(rq, MSG_UPLOAD_TOO_LARGE),
			  rq->archive->upload_max_bytes);
		return stop(f, 413);
	}
	while (n) {
		ssize_t w = write(f->fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			f->write_errno = w < 0 ? errno : ENOSPC;
			if (f->write_errno == ENOSPC || f->write_errno == EDQUOT) {
				req_fail(rq, 507, T(rq, MSG_UPLOAD_FULL));
				return stop(f, 507);
			}
			rq->cause = "a form's upload could not be written";
			req_fail(rq, 500, NULL);
			return stop(f, 500);
		}
		data += w;
		n -= (size_t)w;
		f->bytes += w;
	}
	return 0;
}

static int on_end(void *arg)
{
	struct form_up *f = arg;

	if (f->in_csrf) {
		f->csrf[f->csrf_len] = '\0';
		f->csrf_ok = f->csrf_len == AUTH_TOKEN_HEX && strlen(f->rq->csrf) == AUTH_TOKEN_HEX &&
			     auth_equal(f->csrf, f->rq->csrf);
	}
	f->in_csrf = f->in_file = false;
	return 0;
}

static int form_write(struct req *rq, const char *data, size_t n)
{
	struct form_up *f = rq->stream_ctx;
	int rc = multipart_feed(&f->mp, data, n);

	if (rc == 0)
		return 0;
	if (!f->status) {
		req_failf(rq, 400, "%s (%s).", T(rq, MSG_UPLOAD_MALFORMED),
			  f->mp.why ? f->mp.why : "malformed");
		f->status = 400;
	}
	return f->status;
}

static void form_close(struct req *rq)
{
	struct form_up *f = rq->stream_ctx;

	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->made && !f->finished)
		upload_remove(rq->db, rq->archive, f->u.id);
	free(f);
	rq->stream_ctx = NULL;
}

int page_upload_post(struct req *rq)
{
	struct form_up *f = rq->stream_ctx;
	const char *cl, *ret = req_arg(rq, "return");
	unsigned long long n;
	struct multipart_cb cb = {on_part, on_data, on_end, NULL};
	struct buf loc;
	int status, rc;

	if (rq->stream == REQ_STREAM_END) {
		if (f->status)
			return f->status;	/* its detail was set when it was decided */
		if (multipart_finish(&f->mp))
			return req_failf(rq, 400, "%s (%s).", T(rq, MSG_UPLOAD_MALFORMED), f->mp.why);
		if (!f->csrf_ok)
			return req_fail(rq, 403, T(rq, MSG_UPLOAD_CSRF));
		if (!f->had_file)
			return req_fail(rq, 400, T(rq, MSG_UPLOAD_NONE));
		rc = upload_finish(rq->db, &f->u, f->fd, (long long)time(NULL),
				   (long long)rq->archive->upload_expire_hours * 3600);
		if (rc == ERR_IO && (errno == ENOSPC || errno == EDQUOT))
			return req_fail(rq, 507, T(rq, MSG_UPLOAD_FULL));
		if (rc) {
			rq->cause = "a form's upload could not be finished";
			return req_fail(rq, 500, NULL);
		}
		f->finished = true;
		buf_init(&loc, RETURN_MAX + 64);
		buf_printf(&loc, "%s%cupload=%s", ret, strchr(ret, '?') ? '&' : '?', f->u.id);
		if (loc.err) {
			buf_free(&loc);
			return req_fail(rq, 500, NULL);
		}
		status = req_redirect(rq, buf_str(&loc));
		buf_free(&loc);
		return status;
	}
	if ((status = who_may(rq)))
		return status;
	cl = req_header_in(rq, "Content-Length");
	if (cl && str_parse_u64(cl, (unsigned long long)-1, &n) &&
	    n > rq->archive->upload_max_bytes + FORM_OVERHEAD)
		return req_failf(rq, 413, "%s %llu bytes (upload_max_bytes).", T(rq, MSG_UPLOAD_TOO_LARGE),
				 rq->archive->upload_max_bytes);
	f = calloc(1, sizeof *f);
	if (!f)
		return req_fail(rq, 500, NULL);
	f->rq = rq;
	f->fd = -1;
	cb.arg = f;
	if (multipart_init(&f->mp, rq->content_type_in, &cb)) {
		status = req_failf(rq, 415, "%s (%s).", T(rq, MSG_UPLOAD_MALFORMED), f->mp.why);
		free(f);
		return status;
	}
	rq->stream_ctx = f;
	rq->stream_write = form_write;
	rq->stream_close = form_close;
	return 0;
}
