/* delete.c: taking files and records out of the archive (see
 * preserve.h). The catalogue changes first, in one transaction: each file
 * is marked deleted with a deletion event (which outlives the row), a
 * record leaves a tombstone and a change-log entry. Only after the commit
 * do objects that no live file uses any more leave the store, so a failure
 * before it deletes nothing, and a crash after it leaves at worst an
 * object no file uses, which fixity names. */
#include "preserve.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/record_q.h"
#include "preserve/idlist.h"

static int delete_derivatives(struct preserve *p, const char *file_id, const char *reason,
			      struct idlist *gone);

/* delete_file marks one live file deleted, with its event, and adds its
 * object to gone when no live file uses it any more. Runs inside the
 * caller's transaction. ERR_NOTFOUND when there is no such live file. */
static int delete_file(struct preserve *p, const char *file_id, const char *reason,
		       struct idlist *gone)
{
	sqlite3_stmt *st = fq_file(p->db, file_id);
	char sha[SHA256_HEX + 1];
	struct buf detail;		/* the file's name and the reason, whole */
	int rc;

	buf_init(&detail, 1u << 20);
	if (!st)
		return ERR_DB;
	rc = db_step(p->db, st);
	if (rc != 1 || db_text_or_null(st, FQ_DELETED)) {
		sqlite3_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	snprintf(sha, sizeof sha, "%s", db_text(st, FQ_SHA256));
	rc = buf_printf(&detail, "%s; %s", db_text(st, FQ_NAME), reason);
	sqlite3_reset(st);
	if (rc == 0)
		rc = fq_file_delete(p->db, file_id, sha);
	if (rc == 1)
		rc = idlist_add(gone, sha);
	if (rc == 0)
		rc = fq_event(p->db, "deletion", file_id, sha, p->agent, true, buf_str(&detail));
	buf_free(&detail);
	if (rc == 0)
		rc = delete_derivatives(p, file_id, reason, gone);
	return rc;
}

/* delete_derivatives deletes the live files made from file_id (an access
 * copy of a deleted master, the WebVTT and cues of a deleted SRT), each
 * with its own deletion event: a derivative left live would go on showing
 * and being searched for what was deleted. */
static int delete_derivatives(struct preserve *p, const char *file_id, const char *reason,
			      struct idlist *gone)
{
	struct idlist kids = {0};
	struct buf why;
	int rc = idlist_collect(&kids, p->db, fq_derivative_ids_of(p->db, file_id));

	buf_init(&why, 1u << 20);
	if (rc == 0 && kids.n)
		rc = buf_printf(&why, "made from %s, which was deleted: %s", file_id, reason);
	for (size_t i = 0; i < kids.n && rc == 0; i++)
		rc = delete_file(p, kids.v[i], buf_str(&why), gone);
	buf_free(&why);
	idlist_free(&kids);
	return rc;
}

/* delete_record deletes every live file of a record, then the record. */
static int delete_record(struct preserve *p, const char *id, const char *reason,
			 struct idlist *gone)
{
	struct idlist files = {0};
	/* collect first: the statement must be done before the writes */
	int rc = idlist_collect(&files, p->db, fq_file_ids_of(p->db, id));

	for (size_t i = 0; i < files.n && rc == 0; i++)
		rc = delete_file(p, files.v[i], reason, gone);
	if (rc == 0)
		rc = fq_record_delete(p->db, id, p->agent, reason);
	if (rc == 0)
		rc = aq_audit(p->db, p->agent, "delete", id, reason);
	if (rc == 0)
		rc = rq_reindex_all(p->db);	/* names of the deleted record leave its neighbours */
	idlist_free(&files);
	return rc;
}

int preserve_delete(struct preserve *p, const char *target, const char *reason,
		    struct preserve_delete_result *r)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	struct idlist gone = {0};
	int rc;

	memset(r, 0, sizeof *r);
	p->err[0] = '\0';
	if (strlen(reason) > PRESERVE_REASON_MAX) {
		snprintf(p->err, sizeof p->err, "the reason is %zu bytes long, more than the %d kept "
			 "with each deletion event; say it in fewer words (nothing was deleted)",
			 strlen(reason), PRESERVE_REASON_MAX);
		return ERR_TOOBIG;
	}
	if ((rc = db_begin(p->db)))
		goto done;
	rc = aq_record_ref(p->db, target, id, type, slug);
	if (rc == 1) {
		snprintf(r->what, sizeof r->what, "%s", slug);
		rc = delete_record(p, id, reason, &gone);
	} else if (rc == 0) {
		snprintf(r->what, sizeof r->what, "file %s", target);
		rc = delete_file(p, target, reason, &gone);
		if (rc == 0)
			rc = aq_audit(p->db, p->agent, "delete file", NULL, target);
	}
	if (rc == 0)
		rc = db_commit(p->db);
done:
	if (rc) {
		/* the message first: rolling back replaces the connection's error */
		if (rc == ERR_NOTFOUND)
			snprintf(p->err, sizeof p->err, "no record or live file \"%s\"", target);
		else
			snprintf(p->err, sizeof p->err, "nothing was deleted: %s",
				 rc == ERR_BUSY ? "the catalogue is locked by another process; try "
				 "again when it has finished" : rc == ERR_NOMEM ? "out of memory" :
				 p->db->err);
		if (p->db->depth)
			db_rollback(p->db);
		idlist_free(&gone);
		return rc;
	}
	/* the catalogue no longer points at them: now the bytes may go */
	for (size_t i = 0; i < gone.n; i++) {
		if (store_remove(p->store, gone.v[i]) == 0) {
			r->objects_removed++;
		} else {
			r->objects_kept++;
			if (p->say) {
				char line[300];
				snprintf(line, sizeof line, "could not remove object %s: %s (fixity "
					 "will name it)", gone.v[i], strerror(errno));
				p->say(p->arg, true, line);
			}
		}
	}
	idlist_free(&gone);
	return 0;
}
