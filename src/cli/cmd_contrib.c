/* cmd_contrib.c: contributions and keepers from the command line
 * (`cinemateca contrib`, `cinemateca keeper`). The command line acts as
 * the archive's administrator: it moderates every contribution. The work
 * itself is catalog/contrib.c's, which the web forms call too. */
#include <stdio.h>
#include <string.h>

#include "catalog/archive.h"
#include "catalog/contrib.h"
#include "cli.h"
#include "core/err.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/contrib_q.h"
#include "db/db.h"
#include "store/objects.h"

static int contrib_list(struct cli *cli)
{
	const char *state = NULL;
	struct archive a;
	sqlite3_stmt *st;
	struct db *db;
	int rc, n = 0;

	for (int i = 2; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--state") == 0 && i + 1 < cli->argc)
			state = cli->argv[++i];
		else
			return cli_usage(cli_find("contrib"));
	}
	if (state && !contrib_in(contrib_states, state))
		return cli_fail("\"%s\" is not a state: pending, published or hidden", state);
	if (!(db = cli_open_archive(cli, DB_READ, &a)))
		return 1;
	st = cq_queue(db, state, 1000000, NULL);
	while (st && (rc = db_step(db, st)) == 1) {
		char at[32] = "";
		if (strcmp(db_text(st, CQ_KIND), "time") == 0)
			snprintf(at, sizeof at, "#t=%lld", sqlite3_column_int64(st, CQ_START) / 1000);
		else if (strcmp(db_text(st, CQ_KIND), "region") == 0)
			snprintf(at, sizeof at, "#xywh=%lld,%lld,%lld,%lld",
				 sqlite3_column_int64(st, CQ_X), sqlite3_column_int64(st, CQ_Y),
				 sqlite3_column_int64(st, CQ_W), sqlite3_column_int64(st, CQ_H));
		printf("%s\t%s\t%s\t%s/%s%s\t%s\t%s\t%s\t%.60s\n", db_text(st, CQ_ID),
		       db_text(st, CQ_STATE), db_text(st, CQ_KIND), db_text(st, CQ_RECORD_TYPE),
		       db_text(st, CQ_RECORD_SLUG), at, db_text(st, CQ_CONSENT),
		       db_text_or_null(st, CQ_ATTRIBUTION_TEXT) ? db_text(st, CQ_ATTRIBUTION_TEXT) :
								  "(anonymous)",
		       db_text(st, CQ_LANG), db_text(st, CQ_BODY));
		n++;
	}
	rc = st ? rc : ERR_DB;
	if (st)
		sqlite3_reset(st);
	if (rc < 0) {
		cli_fail("cannot read the contributions: %s", db->err);
		db_close(db);
		return 1;
	}
	db_close(db);
	fprintf(stderr, "cinemateca: %d contribution%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* say_refusal prints why a change was refused and returns 1. */
static int say_refusal(struct db *db, int rc, const char *id, enum contrib_problem why)
{
	if (rc == ERR_NOTFOUND)
		return cli_fail("no contribution %s ('cinemateca contrib list' shows them)", id);
	if (rc == ERR_INVALID)
		return cli_fail("refused: %s", contrib_problem_text(why));
	return cli_fail("nothing was changed: %s", db->err);
}

static int contrib_change(struct cli *cli, const char *what)
{
	const char *id = cli->argc > 2 ? cli->argv[2] : NULL, *reason = NULL;
	char recording[UUID_STR_LEN + 1] = "";
	enum contrib_problem why = CP_OK;
	struct archive a;
	struct db *db;
	int rc;

	if (!id)
		return cli_usage(cli_find("contrib"));
	for (int i = 3; i < cli->argc; i++) {
		if (strcmp(what, "hide") == 0 && strcmp(cli->argv[i], "--reason") == 0 &&
		    i + 1 < cli->argc)
			reason = cli->argv[++i];
		else
			return cli_usage(cli_find("contrib"));
	}
	if (strcmp(what, "hide") == 0 && !reason)
		return cli_fail("hide needs --reason TEXT: the reason is kept with it and shown to "
				"its author");
	if (!uuid_valid(id))
		return cli_fail("\"%s\" is not a contribution id ('cinemateca contrib list' shows "
				"them)", id);
	if (!(db = cli_open_archive(cli, DB_WRITE, &a)))
		return 1;
	if (strcmp(what, "publish") == 0)
		rc = contrib_publish(db, id, cli_actor());
	else if (strcmp(what, "hide") == 0)
		rc = contrib_hide(db, id, reason, cli_actor(), &why);
	else
		rc = contrib_withdraw(db, id, cli_actor(), recording);
	if (rc) {
		say_refusal(db, rc, id, why);
		db_close(db);
		return 1;
	}
	if (recording[0] && strcmp(what, "withdraw") == 0) {
		/* after the withdrawal's commit: its recording's bytes leave the store */
		struct store *s = NULL;
		char err[1024] = "cannot open the object store";
		if (store_open(a.dir, &s) ||
		    contrib_delete_recording(db, s, recording, cli_actor(), err, sizeof err)) {
			store_close(s);
			db_close(db);
			return cli_fail("%s is withdrawn, but its recording %s could not be deleted: %s; "
					"'cinemateca delete %s --reason withdrawn' deletes it", id, recording,
					err, recording);
		}
		store_close(s);
	}
	db_close(db);
	printf("cinemateca: %s %s\n", id, strcmp(what, "publish") == 0 ? "published" :
	       strcmp(what, "hide") == 0 ? "hidden" : "withdrawn (a tombstone remains)");
	return 0;
}

int cmd_contrib(struct cli *cli)
{
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";

	if (strcmp(sub, "list") == 0)
		return contrib_list(cli);
	if (strcmp(sub, "publish") == 0 || strcmp(sub, "hide") == 0 || strcmp(sub, "withdraw") == 0)
		return contrib_change(cli, sub);
	return cli_usage(cli_find("contrib"));
}

int cmd_keeper(struct cli *cli)
{
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	struct archive a;
	struct user_row u;
	struct db *db;
	int rc;

	if (strcmp(sub, "list") == 0 && cli->argc == 2) {
		sqlite3_stmt *st;
		if (!(db = cli_open_archive(cli, DB_READ, &a)))
			return 1;
		st = kq_list(db);
		while (st && (rc = db_step(db, st)) == 1)
			printf("%s\t%s/%s\t%s\n", db_text(st, 0), db_text(st, 1), db_text(st, 2),
			       db_text(st, 3));
		rc = st ? rc : ERR_DB;
		if (st)
			sqlite3_reset(st);
		if (rc < 0)
			cli_fail("cannot read the keepers: %s", db->err);
		db_close(db);
		return rc < 0;
	}
	if ((strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0) || cli->argc != 4)
		return cli_usage(cli_find("keeper"));
	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = aq_user_find(db, cli->argv[2], &u);
	if (rc != 1) {
		cli_fail(rc < 0 ? "cannot read the accounts: %s" : "no account \"%s\"",
			 rc < 0 ? db->err : cli->argv[2]);
		goto fail;
	}
	if (strcmp(u.role, "keeper") != 0) {
		cli_fail("%s is a %s account, not a keeper ('cinemateca user add NAME --role "
			 "keeper' makes one)", u.name, u.role);
		goto fail;
	}
	rc = aq_record_ref(db, cli->argv[3], id, type, slug);
	if (rc != 1) {
		cli_fail(rc < 0 ? "cannot read the catalogue: %s" : "no record \"%s\" (give its "
			 "slug or id)", rc < 0 ? db->err : cli->argv[3]);
		goto fail;
	}
	rc = strcmp(sub, "add") == 0 ? kq_add(db, u.id, id) : kq_remove(db, u.id, id);
	if (rc == 0 && strcmp(sub, "remove") == 0) {
		cli_fail("%s did not keep %s", u.name, slug);
		goto fail;
	}
	if (rc < 0 || aq_audit(db, cli_actor(), strcmp(sub, "add") == 0 ? "keeper add" :
			       "keeper remove", id, u.name) || db_commit(db)) {
		cli_fail("nothing was changed: %s", db->err);
		goto fail;
	}
	db_close(db);
	printf("cinemateca: %s %s %s%s\n", u.name, strcmp(sub, "add") == 0 ? "keeps" :
	       "no longer keeps", slug, strcmp(type, "collection") == 0 ?
	       " (and every record part of it)" : "");
	return 0;
fail:
	db_rollback(db);
	db_close(db);
	return 1;
}
