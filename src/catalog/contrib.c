/* contrib.c: contributions and their moderation (see contrib.h). */
#include "contrib.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "preserve/preserve.h"
#include "store/objects.h"

const char *const contrib_kinds[] = {"time", "region", "testimony", NULL};
const char *const contrib_motivations[] = {"commenting", "describing", "identifying", "tagging",
					   NULL};
const char *const contrib_attributions[] = {"name", "initials", "phrase", "anonymous", NULL};
const char *const contrib_consents[] = {"public", "community", NULL};
const char *const contrib_states[] = {"pending", "published", "hidden", NULL};

static const char *const problem_text[CP_COUNT] = {
	[CP_OK] = "no problem",
	[CP_KIND] = "the kind is time, region or testimony",
	[CP_MOTIVATION] = "the motivation is commenting, describing, identifying or tagging",
	[CP_LANG] = "the language is a language tag such as es, en or qu",
	[CP_ATTRIBUTION] = "the attribution is name, initials, phrase or anonymous",
	[CP_ATTRIBUTION_TEXT] = "a name, initials or phrase to show is needed",
	[CP_ATTRIBUTION_LONG] = "the name, initials or phrase is longer than 200 bytes",
	[CP_CONSENT] = "consent is public or community",
	[CP_BODY_EMPTY] = "the text is empty",
	[CP_BODY_LONG] = "the text is longer than 8000 bytes",
	[CP_START] = "the start is a moment of the film (mm:ss)",
	[CP_END] = "the end comes after the start",
	[CP_PAST_END] = "the moment is past the end of the film",
	[CP_FILE] = "the page is not an image of this document that can be read",
	[CP_XYWH] = "the region is x,y,w,h in pixels",
	[CP_OUTSIDE] = "the region is outside the page image",
	[CP_LINK] = "a record named cannot be found or read",
	[CP_TOO_MANY_LINKS] = "a testimony names at most 20 records",
	[CP_REASON] = "a reason is needed",
	[CP_REASON_LONG] = "the reason or note is longer than 1000 bytes",
	[CP_NOTE] = "an edit needs a note saying what changed",
	[CP_NOT_PENDING] = "only a pending contribution of yours can be edited",
	[CP_UPLOAD] = "there is no finished upload of yours with that id",
	[CP_UPLOAD_TYPE] = "a recording is audio or video",
};

const char *contrib_problem_text(enum contrib_problem p)
{
	return p < CP_COUNT && problem_text[p] ? problem_text[p] : "invalid";
}

bool contrib_in(const char *const *words, const char *s)
{
	for (int i = 0; s && words[i]; i++)
		if (strcmp(words[i], s) == 0)
			return true;
	return false;
}

/* digits reads a run of at least one and at most max decimal digits at
 * *s into *v; returns the count read (0: none, or more than max). */
static int digits(const char **s, int max, long long *v)
{
	int n = 0;

	*v = 0;
	while (**s >= '0' && **s <= '9') {
		if (++n > max)
			return 0;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return n;
}

long long contrib_parse_time(const char *s)
{
	long long part[3], ms = 0, frac;
	int nparts = 0, n;

	if (!s || !*s)
		return -1;
	for (;;) {
		if (nparts == 3)
			return -1;
		/* the first part may be long (seconds alone); the others two digits */
		n = digits(&s, nparts == 0 ? 9 : 2, &part[nparts]);
		if (n == 0 || (nparts > 0 && n != 2))
			return -1;
		nparts++;
		if (*s != ':')
			break;
		s++;
	}
	if (*s == '.') {
		const char *f = ++s;
		n = digits(&s, 3, &frac);
		if (n == 0)
			return -1;
		(void)f;
		for (int i = n; i < 3; i++)
			frac *= 10;
		ms = frac;
	}
	if (*s)
		return -1;
	for (int i = 1; i < nparts; i++)
		if (part[i] >= 60)
			return -1;
	if (nparts == 3 && part[1] >= 60)
		return -1;
	{
		long long secs = 0;
		for (int i = 0; i < nparts; i++)
			secs = secs * 60 + part[i];
		if (secs > 100LL * 3600)
			return -1;
		ms += secs * 1000;
	}
	return ms > 100LL * 3600 * 1000 ? -1 : ms;
}

int contrib_parse_xywh(const char *s, long long out[4])
{
	if (!s)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (digits(&s, 7, &out[i]) == 0 || out[i] > CONTRIB_COORD_MAX)
			return -1;
		if (*s != (i < 3 ? ',' : '\0'))
			return -1;
		if (i < 3)
			s++;
	}
	return out[2] > 0 && out[3] > 0 ? 0 : -1;
}

/* refuse sets *why and returns ERR_INVALID. */
static int refuse(enum contrib_problem *why, enum contrib_problem p)
{
	*why = p;
	return ERR_INVALID;
}

/* text_ok: valid UTF-8 with no control character but newline and tab. */
static bool text_ok(const char *s)
{
	size_t n = strlen(s);

	if (!str_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* blank: nothing but spaces. */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
			return false;
	return true;
}

static int check_body(const char *body, enum contrib_problem *why)
{
	if (!body || blank(body))
		return refuse(why, CP_BODY_EMPTY);
	if (strlen(body) > CONTRIB_BODY_MAX)
		return refuse(why, CP_BODY_LONG);
	if (!text_ok(body))
		return refuse(why, CP_BODY_EMPTY);
	return 0;
}

int contrib_check(struct db *db, const struct cq_new *c, int nlinks, enum contrib_problem *why)
{
	int rc;

	*why = CP_OK;
	if (!contrib_in(contrib_kinds, c->kind))
		return refuse(why, CP_KIND);
	if (!contrib_in(contrib_motivations, c->motivation))
		return refuse(why, CP_MOTIVATION);
	if (!c->lang || !str_lang_valid(c->lang))
		return refuse(why, CP_LANG);
	if (!contrib_in(contrib_attributions, c->attribution))
		return refuse(why, CP_ATTRIBUTION);
	if (strcmp(c->attribution, "anonymous") != 0) {
		if (!c->attribution_text || blank(c->attribution_text))
			return refuse(why, CP_ATTRIBUTION_TEXT);
		if (strlen(c->attribution_text) > CONTRIB_NAME_MAX)
			return refuse(why, CP_ATTRIBUTION_LONG);
		if (!text_ok(c->attribution_text) || strchr(c->attribution_text, '\n'))
			return refuse(why, CP_ATTRIBUTION_TEXT);
	}
	if (!contrib_in(contrib_consents, c->consent))
		return refuse(why, CP_CONSENT);
	if ((rc = check_body(c->body, why)))
		return rc;
	if (nlinks > CONTRIB_LINKS_MAX)
		return refuse(why, CP_TOO_MANY_LINKS);
	if (strcmp(c->kind, "time") == 0) {
		long long dur;
		if (c->start_ms < 0)
			return refuse(why, CP_START);
		if (c->end_ms >= 0 && c->end_ms <= c->start_ms)
			return refuse(why, CP_END);
		if ((rc = cq_duration_ms(db, c->record_id, &dur)))
			return rc;
		if (dur > 0 && (c->start_ms >= dur || c->end_ms > dur))
			return refuse(why, CP_PAST_END);
	} else if (strcmp(c->kind, "region") == 0) {
		long long w, h;
		if (!c->file_id)
			return refuse(why, CP_FILE);
		if (c->x < 0 || c->y < 0 || c->w <= 0 || c->h <= 0 || c->x > CONTRIB_COORD_MAX ||
		    c->y > CONTRIB_COORD_MAX || c->w > CONTRIB_COORD_MAX || c->h > CONTRIB_COORD_MAX)
			return refuse(why, CP_XYWH);
		rc = cq_page_image(db, c->record_id, c->file_id, &w, &h);
		if (rc < 0)
			return rc;
		if (rc == 0 || w <= 0 || h <= 0)
			return refuse(why, CP_FILE);
		if (c->x + c->w > w || c->y + c->h > h)
			return refuse(why, CP_OUTSIDE);
	} else if (c->start_ms >= 0 || c->file_id) {
		return refuse(why, CP_KIND);
	}
	return 0;
}

/* finish commits (rc 0) or rolls back, and returns rc or the commit's error. */
static int finish(struct db *db, int rc)
{
	if (rc == 0)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int contrib_add(struct db *db, const struct cq_new *c, const char *const *links, int nlinks,
		const char *actor, char id_out[UUID_STR_LEN + 1], enum contrib_problem *why)
{
	struct cq_new v = *c;
	long long n;
	int rc;

	if (strcmp(c->attribution ? c->attribution : "", "anonymous") == 0)
		v.attribution_text = NULL;
	if (strcmp(c->kind ? c->kind : "", "region") != 0)
		v.file_id = NULL;
	if (strcmp(c->kind ? c->kind : "", "time") != 0)
		v.start_ms = v.end_ms = -1;
	uuid_v7(id_out);
	if ((rc = db_begin(db)))
		return rc;
	rc = contrib_check(db, &v, nlinks, why);
	if (rc == 0)
		rc = cq_insert(db, id_out, &v, &n);
	for (int i = 0; rc == 0 && i < nlinks; i++)
		if (strcmp(links[i], v.record_id) != 0)
			rc = cq_link(db, n, links[i]);
	if (rc == 0)
		rc = cq_sync_recording(db, id_out);
	if (rc == 0)
		rc = aq_audit(db, actor, "contribution add", v.record_id, id_out);
	return finish(db, rc);
}

/* exists: 1 when contribution id exists, 0 if not, or ERR_*. */
static int exists(struct db *db, const char *id)
{
	int rc;
	sqlite3_stmt *st = cq_get(db, id, NULL, &rc);

	if (st)
		sqlite3_reset(st);
	return rc;
}

/* decide runs one moderation change of id in a transaction with its audit line. */
static int decide(struct db *db, const char *id, const char *action, const char *state,
		  const char *reason, const char *body, const char *note, const char *actor)
{
	char record[UUID_STR_LEN + 1] = "";
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	st = cq_get(db, id, NULL, &rc);
	if (!st)
		return finish(db, rc == 0 ? ERR_NOTFOUND : rc);
	snprintf(record, sizeof record, "%s", db_text(st, CQ_RECORD_ID));
	sqlite3_reset(st);
	rc = state ? cq_set_state(db, id, state, reason) : cq_set_body(db, id, body, note);
	if (rc == 0)
		rc = cq_sync_recording(db, id);
	if (rc == 0)
		rc = aq_audit(db, actor, action, record, reason ? reason : note ? note : id);
	return finish(db, rc);
}

int contrib_publish(struct db *db, const char *id, const char *actor)
{
	return decide(db, id, "contribution publish", "published", NULL, NULL, NULL, actor);
}

static int check_reason(const char *r, enum contrib_problem *why, enum contrib_problem empty)
{
	if (!r || blank(r))
		return refuse(why, empty);
	if (strlen(r) > CONTRIB_REASON_MAX)
		return refuse(why, CP_REASON_LONG);
	if (!text_ok(r))
		return refuse(why, empty);
	return 0;
}

int contrib_hide(struct db *db, const char *id, const char *reason, const char *actor,
		 enum contrib_problem *why)
{
	int rc;

	*why = CP_OK;
	if ((rc = check_reason(reason, why, CP_REASON)))
		return rc;
	return decide(db, id, "contribution hide", "hidden", reason, NULL, NULL, actor);
}

int contrib_edit(struct db *db, const char *id, const char *body, const char *note,
		 const char *actor, enum contrib_problem *why)
{
	int rc;

	*why = CP_OK;
	if ((rc = check_body(body, why)) || (rc = check_reason(note, why, CP_NOTE)))
		return rc;
	return decide(db, id, "contribution edit", NULL, NULL, body, note, actor);
}

int contrib_edit_own(struct db *db, const char *id, long long user_id, const char *body,
		     const char *motivation, const char *lang, const char *consent,
		     const char *actor, enum contrib_problem *why)
{
	int rc;

	*why = CP_OK;
	if ((rc = check_body(body, why)))
		return rc;
	if (!contrib_in(contrib_motivations, motivation))
		return refuse(why, CP_MOTIVATION);
	if (!lang || !str_lang_valid(lang))
		return refuse(why, CP_LANG);
	if (!contrib_in(contrib_consents, consent))
		return refuse(why, CP_CONSENT);
	if ((rc = db_begin(db)))
		return rc;
	rc = cq_update_own(db, id, user_id, body, motivation, lang, consent);
	if (rc == 0) {
		*why = CP_NOT_PENDING;
		rc = ERR_INVALID;
	} else if (rc == 1) {
		rc = aq_audit(db, actor, "contribution edit own", NULL, id);
	}
	return finish(db, rc);
}

int contrib_withdraw(struct db *db, const char *id, const char *actor,
		     char recording_out[UUID_STR_LEN + 1])
{
	int rc;

	recording_out[0] = '\0';
	if ((rc = db_begin(db)))
		return rc;
	rc = exists(db, id);
	if (rc == 1)
		rc = cq_withdraw(db, id, recording_out);
	if (rc == 1 && recording_out[0] && fq_file_set_access(db, recording_out, "private"))
		rc = ERR_DB;	/* until its deletion, nobody but archivists hears it */
	if (rc == 1 && recording_out[0]) {
		/* the same bytes on the same record are one file: another
		 * testimony may still hold it */
		int users;
		if (cq_recording_users(db, recording_out, &users) < 0)
			rc = ERR_DB;
		else if (users > 0)
			recording_out[0] = '\0';
	}
	if (rc == 0)
		rc = ERR_NOTFOUND;
	else if (rc == 1)
		rc = aq_audit(db, actor, "contribution withdraw", NULL, id);
	return finish(db, rc);
}

int contrib_delete_recording(struct db *db, struct store *s, const char *file_id,
			     const char *actor, char *err, size_t n)
{
	struct preserve p = {.db = db, .store = s, .agent = actor};
	struct preserve_delete_result r;
	int rc = preserve_delete(&p, file_id, "a contribution was withdrawn", &r);

	if (rc)
		snprintf(err, n, "%s", p.err);
	return rc;
}

int contrib_add_recording(struct db *db, struct store *s, const char *record_id,
			  const char *path, const char *actor, char file_out[UUID_STR_LEN + 1],
			  char *err, size_t n)
{
	struct preserve p = {.db = db, .store = s, .agent = actor};
	char *files[1] = {(char *)path};
	struct preserve_ingest_opts o = {.record = record_id, .role = "testimony", .files = files,
					 .nfiles = 1, .jobs = 1, .derive = false,
					 .source = "a contribution's upload"};
	struct preserve_ingest_result r = {0};
	struct digest d;
	char id[40];
	int rc;

	file_out[0] = '\0';
	if ((rc = store_hash_file(path, &d, NULL, NULL))) {
		snprintf(err, n, "cannot read the upload: %s", err_str(rc));
		return rc;
	}
	if ((rc = preserve_ingest(&p, &o, &r))) {
		snprintf(err, n, "%s", p.err[0] ? p.err : err_str(rc));
		return rc;
	}
	rc = fq_file_find(db, record_id, d.sha256, "testimony", id);
	if (rc != 1) {
		snprintf(err, n, "the recording was stored but its file cannot be found: %s", db->err);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	if (strlen(id) > UUID_STR_LEN) {
		snprintf(err, n, "the recording's file id is not a UUID");
		return ERR_INVALID;
	}
	memcpy(file_out, id, strlen(id) + 1);
	return 0;
}
