/* range.h: HTTP Range requests (RFC 9110, section 14) for one
 * representation of a known size: which bytes to send, and how several
 * ranges are laid out as a multipart/byteranges body (section 14.6). */
#ifndef CINEMATECA_RANGE_H
#define CINEMATECA_RANGE_H

#include <stddef.h>
#include <stdint.h>

#define RANGE_MAX_SPECS 16	/* more range-specs than this: the header is ignored */
#define RANGE_BOUNDARY_MAX 64	/* bytes of a multipart boundary, with its NUL */
#define RANGE_HEAD_MAX 256	/* bytes of the header lines before one part */

enum range_result {
	RANGE_NONE,		/* no usable Range: send the whole body (200) */
	RANGE_ONE,		/* one range: send set->first[0]..set->last[0] (206) */
	RANGE_MANY,		/* several: a multipart/byteranges body of set's ranges (206) */
	RANGE_UNSATISFIABLE,	/* a valid header none of whose ranges fits (416) */
};

/* The ranges to send, in the order they are sent; no two overlap or touch. */
struct range_set {
	int n;
	uint64_t first[RANGE_MAX_SPECS], last[RANGE_MAX_SPECS];
};

/* range_parse reads a Range header value for a body of size bytes into
 * set. Ranges are clipped to the body, ranges outside it dropped, and
 * overlapping or adjacent ones merged; empty list elements ("bytes=0-1,"
 * or "bytes=,0-1") are ignored wherever they are, as RFC 9110 5.6.1
 * asks, but at least one range must be given; ranges that merge into one are
 * RANGE_ONE whatever their order. Several ranges that stay apart are
 * RANGE_MANY when they were asked for in ascending order. Malformed
 * headers, other units, a range whose last byte comes before its first,
 * more than RANGE_MAX_SPECS ranges, and several separate ranges out of
 * order give RANGE_NONE (the RFC lets a server ignore Range and send the
 * whole representation, and asks that parts keep the order they were
 * asked in). */
enum range_result range_parse(const char *header, uint64_t size, struct range_set *set);

/* A multipart/byteranges body: before each range its delimiter and header
 * lines (head), after the last range the closing delimiter. */
struct range_multipart {
	int n;
	char head[RANGE_MAX_SPECS][RANGE_HEAD_MAX];
	size_t head_len[RANGE_MAX_SPECS];
	uint64_t first[RANGE_MAX_SPECS], last[RANGE_MAX_SPECS];
	char tail[RANGE_BOUNDARY_MAX + 16];
	size_t tail_len;
	uint64_t length;	/* of the whole body */
};

/* range_multipart lays out the body for set (RANGE_MANY) of a
 * representation of size bytes and type mime (NULL: none), with boundary
 * (at most RANGE_BOUNDARY_MAX - 1 bytes of [0-9A-Za-z'()+_,-./:=?]).
 * Returns 0, or -1 if mime is too long for a part's header. */
int range_multipart(const struct range_set *set, uint64_t size, const char *mime,
		    const char *boundary, struct range_multipart *out);

#endif
