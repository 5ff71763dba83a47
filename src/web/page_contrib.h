/* page_contrib.h: community memories on a record's page: the published
 * contributions the visitor may read, and for a contributor the forms
 * that add a time-coded note (works), a region note (documents with page
 * images) or a testimony (any record). The routes (/contribute/SLUG,
 * /my/contributions, /moderate) are in routes.def. */
#ifndef CINEMATECA_PAGE_CONTRIB_H
#define CINEMATECA_PAGE_CONTRIB_H

struct req;
struct files;

/* contrib_section writes the "Memories" section of a record rq's
 * principal may read: its published contributions that the policy lets
 * the principal read (CONTRIB_READABLE), and the forms when
 * policy_can_contribute. fl: the record's readable files (page images). */
void contrib_section(struct req *rq, const char *record_id, const char *type, const char *slug,
		     const struct files *fl);

#endif
