/* page_contrib.h: community memories on a record's page: the published
 * contributions the visitor may read, and for a contributor the forms
 * that add a time-coded note (works), a region note (documents with page
 * images) or a testimony (any record). The routes (/contribute/SLUG,
 * /my/contributions, /moderate) are in routes.def. */
#ifndef CINEMATECA_PAGE_CONTRIB_H
#define CINEMATECA_PAGE_CONTRIB_H

#include "core/uuid.h"

struct req;
struct files;

/* contrib_section writes the "Memories" section of a record rq's
 * principal may read: its published contributions that the policy lets
 * the principal read (CONTRIB_READABLE), and the forms when
 * policy_can_contribute. fl: the record's readable files (page images). */
void contrib_section(struct req *rq, const char *record_id, const char *type, const char *slug,
		     const struct files *fl);

/* One published time-coded note the principal may read, for the player's
 * marks and the transcript. */
struct contrib_note {
	char id[UUID_STR_LEN + 1];
	long long start_ms, end_ms;	/* end -1 when none */
	char *who;			/* the chosen attribution, NULL when anonymous */
	char *body;
};

/* contrib_notes_load reads the published time-coded notes on a work that
 * rq's principal may read, by start (all of them: the array grows).
 * Returns 0, or -1 with nothing loaded. Free with contrib_notes_free. */
int contrib_notes_load(struct req *rq, const char *record_id, struct contrib_note **out, int *n);
void contrib_notes_free(struct contrib_note *notes, int n);

/* contrib_note_excerpt writes a note's attribution (or "Anonymous") and
 * the start of its text, at most 140 bytes of it with "…" when cut. */
void contrib_note_excerpt(struct req *rq, const struct contrib_note *c);

#endif
