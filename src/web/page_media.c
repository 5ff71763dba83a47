/* page_media.c: /media/FILE-ID, the bytes of a stored file, for whoever
 * may read it (the policy decides through fq_file_readable; anyone else
 * gets the same 404 as for a file that does not exist).
 *
 * HTTP semantics per RFC 9110: a strong ETag from the SHA-256 (objects
 * never change), Last-Modified, If-None-Match (304), Range (206 with
 * Content-Range for one range; several separate ranges asked in ascending
 * order as multipart/byteranges; a malformed header, or ranges out of
 * order, get the whole body, as the RFC allows), If-Range, 416 for ranges
 * outside the file, Accept-Ranges. One range or the whole file goes from
 * file to socket with sendfile() in the server. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "catalog/archive.h"
#include "core/err.h"
#include "db/files_q.h"
#include "http/etag.h"
#include "http/range.h"
#include "http/req.h"
#include "http/router.h"
#include "store/objects.h"

/* http_date writes an ISO time (YYYY-MM-DDTHH:MM:SSZ) as an HTTP date. */
static void http_date(const char *iso, char out[40])
{
	struct tm tm = {0};

	if (!strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		out[0] = '\0';
		return;
	}
	strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* multipart answers several ranges as one multipart/byteranges body
 * (RFC 9110, 14.6), each part with its own Content-Type and
 * Content-Range, read from fd by the server as it sends. The boundary is
 * random, so no file can be made to contain it. */
static int multipart(struct req *rq, int fd, const struct range_set *set, uint64_t size,
		     const char *mime)
{
	unsigned char rnd[12];
	char boundary[RANGE_BOUNDARY_MAX], type[RANGE_BOUNDARY_MAX + 40];
	struct range_multipart *m = malloc(sizeof *m);

	randombytes_buf(rnd, sizeof rnd);
	memcpy(boundary, "cinemateca-", 11);
	sodium_bin2hex(boundary + 11, sizeof boundary - 11, rnd, sizeof rnd);
	if (!m || range_multipart(set, size, *mime ? mime : "application/octet-stream", boundary, m)) {
		free(m);
		close(fd);
		return req_fail(rq, 500, NULL);
	}
	snprintf(type, sizeof type, "multipart/byteranges; boundary=%s", boundary);
	rq->content_type = NULL;
	req_header(rq, "Content-Type", type);
	rq->has_file = 1;
	rq->file_fd = fd;
	rq->multipart = m;
	return 206;
}

int page_media(struct req *rq)
{
	char etag[80], date[40], header[120];
	struct file_ref f;
	struct store *s;
	struct range_set set;
	uint64_t size;
	enum range_result r = RANGE_NONE;
	int fd, rc;

	rc = fq_file_readable(rq->db, rq->slug, &f);
	if (rc != 1)
		return req_fail(rq, rc < 0 ? 500 : 404, NULL);
	if (store_open(rq->archive->dir, &s))
		return req_fail(rq, 500, NULL);
	rc = store_open_read(s, f.sha256, &fd, &size);
	store_close(s);
	if (rc == ERR_NOTFOUND)	/* catalogued but gone from the store: fixity will name it */
		return req_fail(rq, 404, NULL);
	if (rc)
		return req_fail(rq, 500, NULL);
	snprintf(etag, sizeof etag, "\"%s\"", f.sha256);
	http_date(f.created, date);
	req_header(rq, "ETag", etag);
	if (*date)
		req_header(rq, "Last-Modified", date);
	req_header(rq, "Accept-Ranges", "bytes");
	/* a IIIF viewer on another site may load what everyone may read */
	if (f.public_to_all)
		req_header(rq, "Access-Control-Allow-Origin", "*");
	/* The bytes never change, so a browser keeps them a year; but access
	 * may change, so a shared cache asks again within the hour (and then
	 * gets the 404 of a file withdrawn). */
	req_header(rq, "Cache-Control", f.public_to_all ? "public, max-age=31536000, s-maxage=3600, immutable"
							: "private, max-age=3600");
	if (etag_none_match_hit(rq->if_none_match, etag)) {
		close(fd);
		rq->static_body = (const unsigned char *)"";
		rq->static_len = 0;
		return 304;
	}
	/* If-Range: the range only if the representation is still this one */
	if (rq->range && (!rq->if_range || strcmp(rq->if_range, etag) == 0 ||
			  (*date && strcmp(rq->if_range, date) == 0)))
		r = range_parse(rq->range, size, &set);
	if (r == RANGE_MANY)
		return multipart(rq, fd, &set, size, f.mime);
	rq->content_type = *f.mime ? NULL : "application/octet-stream";
	if (*f.mime)
		req_header(rq, "Content-Type", f.mime);
	if (r == RANGE_UNSATISFIABLE) {
		close(fd);
		snprintf(header, sizeof header, "bytes */%llu", (unsigned long long)size);
		req_header(rq, "Content-Range", header);
		return req_fail(rq, 416, NULL);
	}
	rq->has_file = 1;
	rq->file_fd = fd;
	if (r == RANGE_ONE) {
		rq->file_offset = set.first[0];
		rq->file_len = set.last[0] - set.first[0] + 1;
		snprintf(header, sizeof header, "bytes %llu-%llu/%llu", (unsigned long long)set.first[0],
			 (unsigned long long)set.last[0], (unsigned long long)size);
		req_header(rq, "Content-Range", header);
		return 206;
	}
	rq->file_offset = 0;
	rq->file_len = size;
	return 200;
}
