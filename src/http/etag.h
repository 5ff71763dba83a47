/* etag.h: entity-tags in conditional requests (RFC 9110, section 8.8.3
 * and 13.1.2). One parser of If-None-Match's list, so that every page
 * that answers 304 reads the header the same way. */
#ifndef CINEMATECA_ETAG_H
#define CINEMATECA_ETAG_H

#include <stdbool.h>

/* etag_none_match_hit reports whether an If-None-Match field value (NULL:
 * no header) names the entity-tag etag (ours: "opaque" or W/"opaque"), so
 * that the answer is 304 Not Modified. Per RFC 9110 13.1.2: "*" on its
 * own matches any current representation; otherwise the value is a list
 * of entity-tags (W/ optional, the opaque part quoted, empty list elements
 * allowed) compared weakly, that is by their opaque parts alone. A value
 * that is not such a list (an unquoted tag, a "*" among tags, a stray
 * character) matches nothing, so the full answer is sent: never a 304
 * for a header we could not read. */
bool etag_none_match_hit(const char *if_none_match, const char *etag);

#endif
