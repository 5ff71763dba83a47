/* contrib.h: community memories (contributions) and their moderation, as
 * a library that the web forms and the command line both call.
 *
 * A contribution is a W3C Web Annotation: a time-coded note on a work
 * (target #t=START,END), a region note on a document's page image
 * (#xywh=X,Y,W,H on that page's file) or a testimony on one or more
 * records; a motivation (commenting, describing, identifying, tagging), a
 * language, an attribution its author chose (name, initials, a phrase,
 * or anonymous: then no surface ever shows the account), and consent
 * (community only, or public). It is pending until a moderator
 * (policy_can_moderate) publishes or hides it; its author may edit it
 * while pending and withdraw it at any time, which deletes it and leaves
 * a tombstone that says only that something was withdrawn.
 *
 * Every function that writes does it in one transaction with its audit
 * line. Callers check who may do what (the policy); these functions check
 * what is written. */
#ifndef CINEMATECA_CONTRIB_H
#define CINEMATECA_CONTRIB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/uuid.h"
#include "db/contrib_q.h"

/* Limits on what a contribution holds; more is refused, never cut. */
#define CONTRIB_BODY_MAX 8000		/* bytes of a note's text */
#define CONTRIB_NAME_MAX 200		/* bytes of an attribution */
#define CONTRIB_REASON_MAX 1000		/* bytes of a reason or a moderator's note */
#define CONTRIB_LINKS_MAX 20		/* records one testimony names */
#define CONTRIB_COORD_MAX 1000000	/* largest x, y, w or h */

/* Why a contribution or a decision was refused. */
enum contrib_problem {
	CP_OK, CP_KIND, CP_MOTIVATION, CP_LANG, CP_ATTRIBUTION, CP_ATTRIBUTION_TEXT,
	CP_ATTRIBUTION_LONG, CP_CONSENT, CP_BODY_EMPTY, CP_BODY_LONG, CP_START, CP_END,
	CP_PAST_END, CP_FILE, CP_XYWH, CP_OUTSIDE, CP_LINK, CP_TOO_MANY_LINKS, CP_REASON,
	CP_REASON_LONG, CP_NOTE, CP_NOT_PENDING, CP_UPLOAD, CP_UPLOAD_TYPE, CP_COUNT
};

/* The vocabularies, NULL-ended. */
extern const char *const contrib_kinds[];
extern const char *const contrib_motivations[];
extern const char *const contrib_attributions[];
extern const char *const contrib_consents[];
extern const char *const contrib_states[];

/* contrib_in reports whether s is one of the NULL-ended words. */
bool contrib_in(const char *const *words, const char *s);

/* contrib_parse_time reads a moment typed by a person: seconds ("133"),
 * m:ss or mm:ss ("2:13"), or h:mm:ss ("1:02:13"), each with an optional
 * fraction of up to three digits ("2:13.5"). Returns it in ms, or -1 when
 * malformed (a sign, a space, 60 seconds or minutes after a colon) or past
 * 100 hours. */
long long contrib_parse_time(const char *s);

/* contrib_parse_xywh reads "X,Y,W,H" (Media Fragments' xywh in pixels):
 * four decimal integers, X and Y from 0, W and H from 1, each at most
 * CONTRIB_COORD_MAX. Returns 0 with out filled, or -1. */
int contrib_parse_xywh(const char *s, long long out[4]);

/* contrib_problem_text says a problem in English (for the command line). */
const char *contrib_problem_text(enum contrib_problem p);

/* contrib_check checks a new contribution against its vocabularies and
 * limits, its times against the work's duration and its region against
 * its page image (which the principal must be able to read). Returns 0
 * and CP_OK, ERR_INVALID with *why, or another ERR_*. */
int contrib_check(struct db *db, const struct cq_new *c, int nlinks, enum contrib_problem *why);

/* contrib_add checks and stores c as pending, with the other records a
 * testimony names (ids), and audits it as actor. id_out gets its id.
 * Returns as contrib_check. */
int contrib_add(struct db *db, const struct cq_new *c, const char *const *links, int nlinks,
		const char *actor, char id_out[UUID_STR_LEN + 1], enum contrib_problem *why);

/* contrib_publish, contrib_hide (reason required) and contrib_edit (a
 * moderator's new text with a note, both required) change contribution
 * id and audit the decision as actor. ERR_NOTFOUND when there is none,
 * ERR_INVALID with *why. */
int contrib_publish(struct db *db, const char *id, const char *actor);
int contrib_hide(struct db *db, const char *id, const char *reason, const char *actor,
		 enum contrib_problem *why);
int contrib_edit(struct db *db, const char *id, const char *body, const char *note,
		 const char *actor, enum contrib_problem *why);

/* contrib_edit_own: the author's own edit of a pending contribution.
 * ERR_INVALID with CP_NOT_PENDING when it is no longer pending (or not
 * theirs). */
int contrib_edit_own(struct db *db, const char *id, long long user_id, const char *body,
		     const char *motivation, const char *lang, const char *consent,
		     const char *actor, enum contrib_problem *why);

/* contrib_withdraw deletes contribution id and leaves its tombstone, and
 * audits it as actor (with no text and no author). recording_out gets the
 * file id of its recording when no other contribution holds it ("" when
 * none), which the caller then deletes (contrib_delete_recording, after
 * this commit). ERR_NOTFOUND when none. */
int contrib_withdraw(struct db *db, const char *id, const char *actor,
		     char recording_out[UUID_STR_LEN + 1]);

struct store;

/* contrib_delete_recording deletes a withdrawn testimony's recording
 * file with preserve_delete (its object leaves the store unless another
 * file uses it), the deletion event and audit line naming actor and
 * saying only that a contribution was withdrawn. Returns 0 or ERR_*, with
 * why (err, n bytes) said. */
int contrib_delete_recording(struct db *db, struct store *s, const char *file_id,
			     const char *actor, char *err, size_t n);

/* contrib_add_recording ingests an uploaded file (its bytes at path) as
 * the recording of a testimony on record_id: role testimony, private
 * until published, the ingestion event's agent actor. file_out gets its
 * file id (the record's existing file when it already holds these
 * bytes). Returns 0 or ERR_*, with why said in err. */
int contrib_add_recording(struct db *db, struct store *s, const char *record_id,
			  const char *path, const char *actor, char file_out[UUID_STR_LEN + 1],
			  char *err, size_t n);

#endif
