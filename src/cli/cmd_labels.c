/* cmd_labels.c: Local Contexts labels and Notices from the command line:
 * import a Hub project's labels onto a record, add, list and remove
 * labels, and tie a restricting label to an access rule. Every change is
 * audited and recorded in the change log (OAI-PMH and the API see it). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/archive.h"
#include "catalog/labels.h"
#include "cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/label_q.h"

/* finish commits (status 0) or rolls back, and closes. */
static int finish(struct db *db, int status)
{
	if (status == 0 && db_commit(db) != 0)
		status = cli_fail("nothing was changed: %s", db->err);
	if (status != 0 && db->depth)
		db_rollback(db);
	db_close(db);
	return status;
}

/* find_record resolves a slug or id, or says why not (returns 1). */
static int find_record(struct db *db, const char *ref, char id[UUID_STR_LEN + 1])
{
	char type[16], slug[81];
	int rc = aq_record_ref(db, ref, id, type, slug);

	if (rc < 0)
		return cli_fail("cannot read the catalogue: %s", db->err);
	if (rc == 0)
		return cli_fail("no record \"%s\" (give its slug or id)", ref);
	return 0;
}

/* find_file checks that file_id is a file of record id (returns 1 if not). */
static int find_file(struct db *db, const char *file_id, const char *id)
{
	char owner[UUID_STR_LEN + 1];
	int rc = lq_file_record(db, file_id, owner);

	if (rc < 0)
		return cli_fail("cannot read the catalogue: %s", db->err);
	if (rc == 0 || strcmp(owner, id) != 0)
		return cli_fail("no file %s on this record (/api/v1/files?record=SLUG lists its files)",
				file_id);
	return 0;
}

static long long label_id(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || *end || end == s || v <= 0 ? -1 : v;
}

static int labels_import(struct cli *cli)
{
	const char *path = NULL, *record = NULL, *file = NULL;
	char id[UUID_STR_LEN + 1];
	struct hub_project p;
	struct buf text, errors;
	int rc, added, updated, status;
	struct db *db;
	FILE *f;

	for (int i = 2; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--record") == 0 && i + 1 < cli->argc)
			record = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--file") == 0 && i + 1 < cli->argc)
			file = cli->argv[++i];
		else if (!path && (cli->argv[i][0] != '-' || strcmp(cli->argv[i], "-") == 0))
			path = cli->argv[i];
		else
			return cli_usage(cli_find("labels"));
	}
	if (!path || !record)
		return cli_usage(cli_find("labels"));
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cli_fail("cannot read %s: %s", path, strerror(errno));
	buf_init(&text, LABELS_HUB_MAX);
	rc = 0;
	{
		char chunk[65536];
		size_t n;
		while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
			rc = buf_append(&text, chunk, n);
		if (rc == 0 && ferror(f))
			rc = ERR_IO;
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		buf_free(&text);
		return cli_fail("cannot read %s: %s", path, rc == ERR_TOOBIG ?
				"larger than the 4 MiB a Local Contexts project file may have" :
				rc == ERR_IO ? strerror(errno) : err_str(rc));
	}
	buf_init(&errors, 1 << 20);
	rc = labels_read_hub(buf_str(&text), text.len, path, &p, &errors);
	buf_free(&text);
	fputs(buf_str(&errors), stderr);
	buf_free(&errors);
	if (rc == ERR_INVALID)
		return cli_fail("%s: no label was imported; it is not a Local Contexts project as "
				"the Hub gives it (see above)", path);
	if (rc)
		return cli_fail("%s: no label was imported (%s)", path, err_str(rc));
	if (!(db = cli_begin_write(cli))) {
		labels_hub_free(&p);
		return 1;
	}
	status = find_record(db, record, id) || (file && find_file(db, file, id));
	if (status == 0) {
		char detail[200];
		rc = labels_apply_hub(db, id, file, &p, &added, &updated);
		snprintf(detail, sizeof detail, "Local Contexts project %s: %d added, %d updated",
			 p.project_id, added, updated);
		if (rc || aq_audit(db, cli_actor(), "labels import", id, detail))
			status = cli_fail("cannot write the labels: %s", db->err);
	}
	status = finish(db, status);
	if (status == 0)
		printf("cinemateca: %s: project %s \"%s\": %d labels added, %d updated\n", path,
		       p.project_id, p.title, added, updated);
	labels_hub_free(&p);
	return status;
}

static int labels_add(struct cli *cli)
{
	struct label_row l = {0};
	const char *record = NULL;
	const struct label_type *t;
	char id[UUID_STR_LEN + 1], detail[200];
	long long lid;
	struct db *db;
	int rc;

	for (int i = 2; i < cli->argc; i++) {
		const char *a = cli->argv[i], *v = i + 1 < cli->argc ? cli->argv[i + 1] : NULL;
		const char **to = strcmp(a, "--kind") == 0 ? &l.kind :
				  strcmp(a, "--type") == 0 ? &l.type :
				  strcmp(a, "--community") == 0 ? &l.community :
				  strcmp(a, "--name") == 0 ? &l.name :
				  strcmp(a, "--text") == 0 ? &l.text :
				  strcmp(a, "--lang") == 0 ? &l.lang :
				  strcmp(a, "--project") == 0 ? &l.project_id :
				  strcmp(a, "--file") == 0 ? &l.file_id : NULL;
		if (to && v) {
			*to = v;
			i++;
		} else if (!record && a[0] != '-') {
			record = a;
		} else {
			return cli_usage(cli_find("labels"));
		}
	}
	if (!record || !l.kind || !l.type || !l.text)
		return cli_usage(cli_find("labels"));
	if (!(t = labels_type(l.kind, l.type))) {
		struct buf known;
		buf_init(&known, 2048);
		if (strcmp(l.kind, "tk") && strcmp(l.kind, "bc") && strcmp(l.kind, "notice"))
			buf_printf(&known, "the kind is tk, bc or notice");
		else
			labels_type_list(l.kind, &known);
		rc = cli_fail("\"%s %s\" is not a published Local Contexts type (%s)", l.kind, l.type,
			      buf_str(&known));
		buf_free(&known);
		return rc;
	}
	if (strcmp(l.kind, "notice") != 0 && (!l.community || !*l.community))
		return cli_fail("a label needs --community: the community that applied it");
	if (l.lang && !str_lang_valid(l.lang))
		return cli_fail("\"%s\" is not a language tag such as es, en, qu", l.lang);
	if (l.project_id && !uuid_valid(l.project_id))
		return cli_fail("\"%s\" is not a Local Contexts project id (a UUID)", l.project_id);
	if (strlen(l.text) > LABELS_TEXT_MAX || (l.name && strlen(l.name) > LABELS_NAME_MAX) ||
	    (l.community && strlen(l.community) > LABELS_NAME_MAX))
		return cli_fail("the name and community may have %d bytes, the text %d",
				LABELS_NAME_MAX, LABELS_TEXT_MAX);
	if (!str_utf8_valid(l.text, strlen(l.text)) ||
	    (l.name && !str_utf8_valid(l.name, strlen(l.name))) ||
	    (l.community && !str_utf8_valid(l.community, strlen(l.community))))
		return cli_fail("the texts must be UTF-8");
	if (!l.name)
		l.name = t->name;
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (find_record(db, record, id) || (l.file_id && find_file(db, l.file_id, id)))
		return finish(db, 1);
	rc = lq_add(db, id, &l, &lid);
	if (rc == ERR_EXISTS)
		return finish(db, cli_fail("the record already has a %s label from \"%s\"; "
					   "'cinemateca labels list %s' shows it", t->name,
					   l.community ? l.community : "", record));
	snprintf(detail, sizeof detail, "%s %s%s%s", l.kind, l.type, l.file_id ? " on file " : "",
		 l.file_id ? l.file_id : "");
	if (rc || lq_touch(db, id) || aq_audit(db, cli_actor(), "labels add", id, detail))
		return finish(db, cli_fail("cannot add the label: %s", db->err));
	if (finish(db, 0))
		return 1;
	printf("cinemateca: label %lld: %s on %s%s\n", lid, l.name, record,
	       t->restricts != LABEL_OPEN ? "; it restricts nothing until it is tied to a rule "
	       "('cinemateca labels tie')" : "");
	return 0;
}

static int labels_list(struct cli *cli)
{
	char id[UUID_STR_LEN + 1];
	struct archive a;
	sqlite3_stmt *st;
	struct db *db;
	int rc, n = 0;

	if (cli->argc != 3)
		return cli_usage(cli_find("labels"));
	if (!(db = cli_open_archive(cli, DB_READ, &a)))
		return 1;
	if (find_record(db, cli->argv[2], id)) {
		db_close(db);
		return 1;
	}
	st = lq_list(db, id, NULL);
	while (st && (rc = db_step(db, st)) == 1) {
		const struct label_type *t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
		printf("%lld\t%s\t%s %s\t%s\t%s", (long long)sqlite3_column_int64(st, LQ_ID),
		       t ? t->badge : "?", db_text(st, LQ_KIND), db_text(st, LQ_TYPE),
		       db_text(st, LQ_COMMUNITY), db_text(st, LQ_NAME));
		if (db_text_or_null(st, LQ_FILE))
			printf("\ton file %s (%s)", db_text(st, LQ_FILE), db_text(st, LQ_FILE_NAME));
		if (db_text_or_null(st, LQ_TIE_ROLE))
			printf("\ttied: community members only");
		else if (db_text_or_null(st, LQ_TIE_GROUP))
			printf("\ttied: group %s only", db_text(st, LQ_GROUP_NAME));
		else if (db_text_or_null(st, LQ_TIE_FROM))
			printf("\ttied: readable in months %d-%d only", sqlite3_column_int(st, LQ_TIE_FROM),
			       sqlite3_column_int(st, LQ_TIE_TO));
		else if (t && t->restricts != LABEL_OPEN && !db_text_or_null(st, LQ_FILE))
			printf("\tnot tied: restricts nothing");
		putchar('\n');
		n++;
	}
	if (st)
		sqlite3_reset(st);
	if (n == 0)
		printf("cinemateca: %s has no labels\n", cli->argv[2]);
	db_close(db);
	return 0;
}

static int labels_remove(struct cli *cli)
{
	char id[UUID_STR_LEN + 1];
	long long lid;
	struct db *db;
	int rc;

	if (cli->argc != 4 || (lid = label_id(cli->argv[3])) < 0)
		return cli_usage(cli_find("labels"));
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (find_record(db, cli->argv[2], id))
		return finish(db, 1);
	rc = lq_remove(db, id, lid);
	if (rc == 0)
		return finish(db, cli_fail("%s has no label %lld ('cinemateca labels list %s')",
					   cli->argv[2], lid, cli->argv[2]));
	if (rc < 0 || lq_touch(db, id) || aq_audit(db, cli_actor(), "labels remove", id, cli->argv[3]))
		return finish(db, cli_fail("cannot remove the label: %s", db->err));
	if (finish(db, 0))
		return 1;
	printf("cinemateca: removed label %lld from %s\n", lid, cli->argv[2]);
	return 0;
}

/* parse_months reads "M-N" (months 1-12). */
static bool parse_months(const char *s, int *from, int *to)
{
	char *end;
	long a, b;

	a = strtol(s, &end, 10);
	if (end == s || *end != '-')
		return false;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end || a < 1 || a > 12 || b < 1 || b > 12)
		return false;
	*from = (int)a;
	*to = (int)b;
	return true;
}

static int labels_tie(struct cli *cli, bool untie)
{
	const char *role = NULL, *group = NULL, *months = NULL;
	char id[UUID_STR_LEN + 1], detail[200];
	const struct label_type *t = NULL;
	long long lid, grp = 0;
	int from = 0, to = 0, rc;
	bool found = false, on_file = false;
	sqlite3_stmt *st;
	struct db *db;

	if (cli->argc < 4 || (lid = label_id(cli->argv[3])) < 0)
		return cli_usage(cli_find("labels"));
	for (int i = 4; i < cli->argc; i++) {
		if (!untie && strcmp(cli->argv[i], "--community-members") == 0)
			role = "community";
		else if (!untie && strcmp(cli->argv[i], "--group") == 0 && i + 1 < cli->argc)
			group = cli->argv[++i];
		else if (!untie && strcmp(cli->argv[i], "--months") == 0 && i + 1 < cli->argc)
			months = cli->argv[++i];
		else
			return cli_usage(cli_find("labels"));
	}
	if (!untie && (!!role + !!group + !!months) != 1)
		return cli_fail("tie a label to one rule: --community-members, --group GROUP or "
				"--months M-N");
	if (months && !parse_months(months, &from, &to))
		return cli_fail("\"%s\" is not a span of months such as 3-5 (March to May) or 11-2 "
				"(November to February)", months);
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (find_record(db, cli->argv[2], id))
		return finish(db, 1);
	st = lq_list(db, id, NULL);
	while (st && (rc = db_step(db, st)) == 1)
		if (sqlite3_column_int64(st, LQ_ID) == lid) {
			found = true;
			on_file = db_text_or_null(st, LQ_FILE) != NULL;
			t = labels_type(db_text(st, LQ_KIND), db_text(st, LQ_TYPE));
			snprintf(detail, sizeof detail, "%s %s", db_text(st, LQ_KIND),
				 db_text(st, LQ_TYPE));
			break;
		}
	if (st)
		sqlite3_reset(st);
	if (!found)
		return finish(db, cli_fail("%s has no label %lld ('cinemateca labels list %s')",
					   cli->argv[2], lid, cli->argv[2]));
	if (!untie) {
		if (on_file)
			return finish(db, cli_fail("label %lld is on a file: a tie binds a label on the "
						   "record itself, which its files follow", lid));
		if (!t || t->restricts == LABEL_OPEN)
			return finish(db, cli_fail("%s does not restrict access; only Community Use "
						   "Only, Secret / Sacred, Men Restricted, Women "
						   "Restricted and Seasonal labels can be tied to a rule",
						   t ? t->name : detail));
		if (t->restricts == LABEL_SEASONAL && !months)
			return finish(db, cli_fail("a Seasonal label is tied to months: --months M-N"));
		if (t->restricts == LABEL_MEMBERS && months)
			return finish(db, cli_fail("%s is tied to --community-members or --group GROUP; "
						   "months are for a Seasonal label", t->name));
		if (group) {
			rc = aq_group_find(db, group, &grp);
			if (rc < 0)
				return finish(db, cli_fail("cannot read groups: %s", db->err));
			if (rc == 0)
				return finish(db, cli_fail("no group \"%s\"; 'cinemateca group list' shows "
							   "them", group));
		}
	}
	rc = lq_tie(db, id, lid, role, grp, from, to);
	if (rc < 0 || lq_touch(db, id) ||
	    aq_audit(db, cli_actor(), untie ? "labels untie" : "labels tie", id,
		     untie ? detail : role ? "community members" : group ? group : months))
		return finish(db, cli_fail("cannot change the tie: %s", db->err));
	if (finish(db, 0))
		return 1;
	if (untie)
		printf("cinemateca: label %lld of %s is tied to no rule: it restricts nothing\n", lid,
		       cli->argv[2]);
	else
		printf("cinemateca: label %lld of %s: only %s%s may read the record\n", lid,
		       cli->argv[2], role ? "community members" : group ? "members of group " :
		       "readers in months ", role ? "" : group ? group : months);
	return 0;
}

int cmd_labels(struct cli *cli)
{
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";

	if (strcmp(sub, "import") == 0)
		return labels_import(cli);
	if (strcmp(sub, "add") == 0)
		return labels_add(cli);
	if (strcmp(sub, "list") == 0)
		return labels_list(cli);
	if (strcmp(sub, "remove") == 0)
		return labels_remove(cli);
	if (strcmp(sub, "tie") == 0)
		return labels_tie(cli, false);
	if (strcmp(sub, "untie") == 0)
		return labels_tie(cli, true);
	return cli_usage(cli_find("labels"));
}
