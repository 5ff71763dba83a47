/* page_upload.c: resumable uploads with tus 1.0.0 at /uploads/ (core,
 * creation, termination and expiration; https://tus.io/protocols/
 * resumable-upload), for contributors on a slow link whose file must
 * survive a cut: POST makes an upload, HEAD says how much of it is in,
 * PATCH adds bytes from there (streamed to disk, never held whole),
 * DELETE gives it up, OPTIONS says what the server speaks. The bytes and
 * rows are web/uploads.c's.
 *
 * Who: only an account the policy lets contribute (policy_can_contribute);
 * an upload is its account's alone, and another's answers exactly as a
 * missing one (404). A browser's requests carry the session's CSRF token
 * in X-CSRF-Token (the router checks it: ROUTE_HEADER_CSRF); an API token
 * (Authorization: Bearer) needs none.
 *
 * Offsets: a PATCH's bytes count only once fsync'ed; a PATCH cut short
 * (the client gone, the server stopped) records what it wrote; a server
 * killed midway leaves bytes that the next HEAD or PATCH finds on disk
 * and counts (upload_lock). A write that fails (a full disk) keeps the
 * offset at what is on disk and says why (507 for no space, 500 else). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access/policy.h"
#include "catalog/archive.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "http/req.h"
#include "http/router.h"
#include "web/uploads.h"

#define TUS_VERSION "1.0.0"
#define TUS_EXTENSIONS "creation,termination,expiration"
#define TUS_CONTENT_TYPE "application/offset+octet-stream"

/* http_date writes t as an HTTP date (RFC 9110 IMF-fixdate), whatever
 * the locale. */
static void http_date(long long t, char out[40])
{
	static const char *const day[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", day[tm.tm_wday], tm.tm_mday,
		 mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void header_ll(struct req *rq, const char *name, long long v)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", v);
	req_header(rq, name, s);
}

static void header_expires(struct req *rq, const struct upload_row *u)
{
	char d[40];

	if (strcmp(u->state, "partial") != 0)
		return;	/* only unfinished uploads expire (a done one waits for its claim) */
	http_date(u->expires, d);
	req_header(rq, "Upload-Expires", d);
}

/* tus_check: what every tus request but OPTIONS shares. Returns 0, or the
 * status it answered with. */
static int tus_check(struct req *rq)
{
	const char *v = req_header_in(rq, "Tus-Resumable");

	req_header(rq, "Tus-Resumable", TUS_VERSION);
	if (!v || strcmp(v, TUS_VERSION) != 0) {
		req_header(rq, "Tus-Version", TUS_VERSION);
		return req_failf(rq, 412, "This server speaks tus %s: send Tus-Resumable: %s "
				 "(got %s).", TUS_VERSION, TUS_VERSION, v ? "another version" : "none");
	}
	if (rq->principal.user_id == 0) {
		req_header(rq, "WWW-Authenticate", "Bearer");
		return req_fail(rq, 401, "Sign in (or send an API token) to upload.");
	}
	if (!policy_can_contribute(&rq->principal))
		return req_fail(rq, 403, "This account may not contribute to the archive: ask "
				"an archivist for a community account.");
	return 0;
}

/* find: the asker's upload of the path's id into *u, or the status
 * answered (404: none of theirs; 410: expired, not yet removed). */
static int find(struct req *rq, struct upload_row *u)
{
	int rc = uq_get(rq->db, rq->slug, rq->principal.user_id, u);

	if (rc < 0)
		return req_fail(rq, 500, NULL);
	if (rc == 0 || strcmp(u->state, "claimed") == 0 || strcmp(u->state, "receiving") == 0)
		return req_fail(rq, 404, "No upload of yours has this address.");
	if (strcmp(u->state, "partial") == 0 && u->expires < (long long)time(NULL))
		return req_failf(rq, 410, "This upload was left unfinished for more than %u hours "
				 "and has expired: start it again.", rq->archive->upload_expire_hours);
	return 0;
}

/* io_fail answers a failed write or fsync (errno): 507 when the disk is
 * full, 500 otherwise, with the reason. */
static int io_fail(struct req *rq, const char *what)
{
	int e = errno;

	if (e == ENOSPC || e == EDQUOT)
		return req_failf(rq, 507, "The archive's disk is full: %s stopped. What was "
				 "received so far is kept; try again later.", what);
	rq->cause = "an upload's bytes could not be written";
	return req_failf(rq, 500, "The archive could not write the upload (%s: %s). What was "
			 "received so far is kept.", what, strerror(e));
}

int tus_options(struct req *rq)
{
	char max[24];

	snprintf(max, sizeof max, "%llu", rq->archive->upload_max_bytes);
	req_header(rq, "Tus-Resumable", TUS_VERSION);
	req_header(rq, "Tus-Version", TUS_VERSION);
	req_header(rq, "Tus-Extension", TUS_EXTENSIONS);
	req_header(rq, "Tus-Max-Size", max);
	return 204;
}

int tus_create(struct req *rq)
{
	const char *len = req_header_in(rq, "Upload-Length");
	const char *meta = req_header_in(rq, "Upload-Metadata");
	unsigned long long n;
	struct upload_meta m;
	struct upload_row u;
	char why[200], loc[64];
	long long now = (long long)time(NULL), open;
	int removed, status, rc;

	if ((status = tus_check(rq)))
		return status;
	if (req_header_in(rq, "Upload-Defer-Length"))
		return req_fail(rq, 400, "Upload-Defer-Length is not supported: send Upload-Length.");
	if (!len)
		return req_fail(rq, 400, "Upload-Length is missing: say the file's size in bytes.");
	if (!str_parse_u64(len, (unsigned long long)-1, &n) || n > (unsigned long long)INT64_MAX)
		return req_fail(rq, 400, "Upload-Length must be a whole number of bytes (digits only).");
	if (n > rq->archive->upload_max_bytes) {
		char max[24];
		snprintf(max, sizeof max, "%llu", rq->archive->upload_max_bytes);
		req_header(rq, "Tus-Max-Size", max);
		return req_failf(rq, 413, "The file is %llu bytes, larger than this archive takes: "
				 "at most %llu bytes (upload_max_bytes in cinemateca.conf).", n,
				 rq->archive->upload_max_bytes);
	}
	if (upload_metadata_parse(meta, &m, why, sizeof why))
		return req_failf(rq, 400, "%s.", why);
	if (rq->body_in_len)
		return req_fail(rq, 400, "Send the bytes with PATCH: creation with upload is not "
				"supported.");
	/* the expired go first, so that they neither count nor fill the disk */
	upload_clean(rq->db, rq->archive, now, &removed);
	open = uq_count_open(rq->db, rq->principal.user_id);
	if (open < 0)
		return req_fail(rq, 500, NULL);
	if (open >= UPLOAD_MAX_OPEN)
		return req_failf(rq, 429, "You have %lld unfinished uploads, the most one account may "
				 "have at once: finish or delete one first.", open);
	rc = upload_create(rq->db, rq->archive, rq->principal.user_id, (long long)n, meta, &m,
			   now, &u);
	if (rc == ERR_IO)
		return io_fail(rq, "making the upload");
	if (rc)
		return req_fail(rq, 500, NULL);
	snprintf(loc, sizeof loc, "/uploads/%s", u.id);
	req_header(rq, "Location", loc);
	header_expires(rq, &u);
	return 201;
}

int tus_head(struct req *rq)
{
	struct upload_row u;
	int status, fd, rc;

	if ((status = tus_check(rq)) || (status = find(rq, &u)))
		return status;
	/* no writer: count what a stopped one left on disk */
	rc = upload_lock(rq->db, rq->archive, &u, &fd, (long long)time(NULL));
	if (rc == 0)
		close(fd);
	else if (rc != ERR_BUSY)
		return rc == ERR_IO ? io_fail(rq, "reading the upload") : req_fail(rq, 500, NULL);
	header_ll(rq, "Upload-Offset", u.received);
	header_ll(rq, "Upload-Length", u.length);
	if (u.metadata[0])
		req_header(rq, "Upload-Metadata", u.metadata);
	header_expires(rq, &u);
	req_header(rq, "Cache-Control", "no-store");
	return 200;
}

/* drop_header takes back a response header the open phase of a PATCH
 * added for a refusal it did not make. */
static void drop_header(struct req *rq, const char *name)
{
	for (int i = 0; i < rq->nheaders; i++)
		if (strcmp(rq->headers[i].name, name) == 0) {
			free(rq->headers[i].value);
			rq->headers[i] = rq->headers[--rq->nheaders];
			return;
		}
}

/* A PATCH being received. */
struct patch {
	struct upload_row u;
	int fd;			/* the upload's bytes, locked */
	long long at;		/* where the next byte goes */
	int write_errno;	/* why writing stopped, or 0 */
	bool recorded;		/* what was written is in the row */
};

static int patch_write(struct req *rq, const char *data, size_t len)
{
	struct patch *pt = rq->stream_ctx;

	if ((long long)len > pt->u.length - pt->at) {
		/* a body longer than it said (chunked, or Content-Length lied):
		 * take what fits, refuse the rest */
		len = (size_t)(pt->u.length - pt->at);
		rq->stream_status = 413;
	}
	while (len) {
		ssize_t w = write(pt->fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pt->write_errno = w < 0 ? errno : ENOSPC;
			return 507;
		}
		data += w;
		len -= (size_t)w;
		pt->at += w;
	}
	return rq->stream_status;
}

static void patch_close(struct req *rq)
{
	struct patch *pt = rq->stream_ctx;

	if (!pt)
		return;
	if (!pt->recorded)	/* cut short: keep what is on disk */
		upload_sync(rq->db, &pt->u, pt->fd, (long long)time(NULL),
			    (long long)rq->archive->upload_expire_hours * 3600);
	close(pt->fd);
	free(pt);
	rq->stream_ctx = NULL;
}

int tus_patch(struct req *rq)
{
	struct patch *pt = rq->stream_ctx;
	const char *off, *cl, *ct = rq->content_type_in;
	unsigned long long o, n;
	long long now = (long long)time(NULL);
	int status, rc, e;

	if (rq->stream == REQ_STREAM_END) {
		/* the body is all in (or was refused midway): make it sure */
		e = pt->write_errno;
		rc = upload_sync(rq->db, &pt->u, pt->fd, now,
				 (long long)rq->archive->upload_expire_hours * 3600);
		pt->recorded = true;
		req_header(rq, "Tus-Resumable", TUS_VERSION);
		header_ll(rq, "Upload-Offset", pt->u.received);
		header_expires(rq, &pt->u);
		if (rc == ERR_IO)
			return io_fail(rq, "writing the upload");
		if (rc)
			return req_fail(rq, 500, NULL);
		if (e) {
			errno = e;
			return io_fail(rq, "writing the upload");
		}
		if (rq->stream_status == 413)
			return req_failf(rq, 413, "The body goes past the upload's length of %lld "
					 "bytes; the bytes up to it are kept.", pt->u.length);
		return 204;
	}
	if ((status = tus_check(rq)))
		return status;
	if (!ct || strcmp(ct, TUS_CONTENT_TYPE) != 0)
		return req_fail(rq, 415, "A PATCH's body must be sent as Content-Type: "
				TUS_CONTENT_TYPE ".");
	off = req_header_in(rq, "Upload-Offset");
	if (!off || !str_parse_u64(off, (unsigned long long)INT64_MAX, &o))
		return req_fail(rq, 400, "Upload-Offset must be a whole number of bytes (digits only).");
	pt = calloc(1, sizeof *pt);
	if (!pt)
		return req_fail(rq, 500, NULL);
	pt->fd = -1;
	if ((status = find(rq, &pt->u)))
		goto refuse;
	rc = upload_lock(rq->db, rq->archive, &pt->u, &pt->fd, now);
	if (rc == ERR_BUSY) {
		status = req_fail(rq, 409, "Another request is sending bytes of this upload now: "
				  "wait for it, then ask (HEAD) where to go on from.");
		goto refuse;
	}
	if (rc) {
		status = rc == ERR_IO ? io_fail(rq, "opening the upload") : req_fail(rq, 500, NULL);
		goto refuse;
	}
	header_ll(rq, "Upload-Offset", pt->u.received);
	if ((long long)o != pt->u.received) {
		status = req_failf(rq, 409, "Upload-Offset is %llu but the upload has %lld bytes: "
				   "go on from there (HEAD tells).", o, pt->u.received);
		goto refuse;
	}
	cl = req_header_in(rq, "Content-Length");
	if (cl && str_parse_u64(cl, (unsigned long long)-1, &n) &&
	    n > (unsigned long long)(pt->u.length - pt->u.received)) {
		status = req_failf(rq, 413, "The body of %llu bytes goes past the upload's length "
				   "of %lld bytes (%lld are in).", n, pt->u.length, pt->u.received);
		goto refuse;
	}
	if (lseek(pt->fd, (off_t)pt->u.received, SEEK_SET) < 0) {
		status = io_fail(rq, "opening the upload");
		goto refuse;
	}
	pt->at = pt->u.received;
	/* the answer's headers are the end's, when the body is in */
	drop_header(rq, "Upload-Offset");
	drop_header(rq, "Tus-Resumable");
	rq->stream_ctx = pt;
	rq->stream_write = patch_write;
	rq->stream_close = patch_close;
	return 0;
refuse:
	if (pt->fd >= 0)
		close(pt->fd);
	free(pt);
	return status;
}

int tus_delete(struct req *rq)
{
	struct upload_row u;
	int status;

	if ((status = tus_check(rq)) || (status = find(rq, &u)))
		return status;
	if (upload_remove(rq->db, rq->archive, u.id))
		return req_fail(rq, 500, NULL);
	return 204;
}
