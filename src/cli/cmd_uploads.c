/* cmd_uploads.c: `cinemateca uploads list|clean`, the uploads in progress
 * (web/uploads.h) as an operator sees them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "web/uploads.h"

static void utc(long long t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int uploads_list(struct cli *cli)
{
	struct archive a;
	struct db *db = cli_open_archive(cli, DB_READ, &a);
	sqlite3_stmt *st;
	int rc, n = 0;

	if (!db)
		return 1;
	st = uq_list(db);
	if (!st) {
		cli_fail("cannot read the uploads: %s", db->err);
		db_close(db);
		return 1;
	}
	while ((rc = db_step(db, st)) == 1) {
		char created[21], expires[21], size[48];
		const char *state = db_text(st, 4);

		utc(sqlite3_column_int64(st, 7), created);
		utc(sqlite3_column_int64(st, 8), expires);
		snprintf(size, sizeof size, "%lld/%lld", (long long)sqlite3_column_int64(st, 3),
			 (long long)sqlite3_column_int64(st, 2));
		if (!n++)
			printf("%-32s  %-16s  %-7s  %-23s  %-20s  %-20s  %s\n", "ID", "ACCOUNT",
			       "STATE", "RECEIVED/LENGTH", "CREATED", "EXPIRES", "FILE (TYPE)");
		printf("%-32s  %-16s  %-7s  %-23s  %-20s  %-20s  %s (%s)\n", db_text(st, 0),
		       db_text(st, 1), state, size, created,
		       strcmp(state, "claimed") == 0 ? "-" : expires, db_text(st, 5),
		       db_text(st, 6));
	}
	sqlite3_reset(st);
	db_close(db);
	if (rc < 0)
		return cli_fail("cannot read the uploads");
	if (!n)
		printf("no uploads\n");
	return 0;
}

static int uploads_clean(struct cli *cli)
{
	struct archive a;
	struct db *db = cli_open_archive(cli, DB_WRITE, &a);
	int removed = 0, rc;

	if (!db)
		return 1;
	rc = upload_clean(db, &a, (long long)time(NULL), &removed);
	if (rc)
		cli_fail("removed %d expired upload%s, then: %s", removed, removed == 1 ? "" : "s",
			 rc == ERR_IO ? strerror(errno) : rc == ERR_DB || rc == ERR_BUSY ? db->err :
			 err_str(rc));
	else
		printf("removed %d expired upload%s\n", removed, removed == 1 ? "" : "s");
	db_close(db);
	return rc ? 1 : 0;
}

int cmd_uploads(struct cli *cli)
{
	if (cli->argc == 2 && strcmp(cli->argv[1], "list") == 0)
		return uploads_list(cli);
	if (cli->argc == 2 && strcmp(cli->argv[1], "clean") == 0)
		return uploads_clean(cli);
	return cli_usage(cli_find("uploads"));
}
