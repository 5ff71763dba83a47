/* range.h: HTTP Range requests (RFC 9110, section 14) for one
 * representation of a known size: which bytes to send. */
#ifndef CINEMATECA_RANGE_H
#define CINEMATECA_RANGE_H

#include <stdint.h>

#define RANGE_MAX_SPECS 16	/* more range-specs than this: the header is ignored */

enum range_result {
	RANGE_NONE,		/* no usable Range: send the whole body (200) */
	RANGE_ONE,		/* one range: send *first..*last (206) */
	RANGE_UNSATISFIABLE,	/* a valid header none of whose ranges fits (416) */
};

/* range_parse reads a Range header value for a body of size bytes.
 * Malformed headers, other units, a range whose last byte comes before its
 * first, too many ranges, and several ranges that do not merge into one
 * give RANGE_NONE (the RFC lets a server ignore Range and send all of it).
 * Ranges are clipped to the body; overlapping or adjacent ones merge. */
enum range_result range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last);

#endif
