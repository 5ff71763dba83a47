/* cmd_catalog.c: the commands that make, fill and read the catalogue:
 * init, import, export-json, search, demo. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/policy.h"
#include "catalog/archive.h"
#include "catalog/import.h"
#include "catalog/search.h"
#include "cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/read_q.h"
#include "db/search_q.h"
#include "embedded.h"

#define IMPORT_MAX ((size_t)1 << 30)	/* 1 GiB of JSON */

/* open_archive opens cli->archive or prints why not. The command line is
 * the archive keeper's own tool: it reads as an administrator. */
struct db *cli_open_archive(struct cli *cli, enum db_mode mode, struct archive *a)
{
	static struct principal keeper;
	char err[1024];
	struct db *db;
	int rc = archive_open(cli->archive, mode, a, &db, err, sizeof err);

	if (rc == 0) {
		policy_superuser(&keeper);
		db->principal = &keeper;
	}

	if (rc == ERR_BUSY)
		cli_fail("%s: the catalogue is locked by another process (an import or another "
			 "writer); try again when it has finished", cli->archive);
	else if (rc)
		cli_fail("%s", err);
	return rc ? NULL : db;
}

int cmd_init(struct cli *cli)
{
	char err[1024];

	if (cli->argc != 1)
		return cli_usage(cli_find("init"));
	if (archive_init(cli->archive, err, sizeof err))
		return cli_fail("%s", err);
	printf("cinemateca: created an archive in %s\n", cli->archive);
	return 0;
}

static int read_all(FILE *f, struct buf *b)
{
	char chunk[65536];
	size_t n;
	int rc = 0;

	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rc = buf_append(b, chunk, n);
	if (rc == 0 && ferror(f))
		rc = ERR_IO;
	return rc;
}

/* report says what an import did (rc, errors, st) to a person; returns
 * the exit status. */
static int report(int rc, struct buf *errors, const struct import_stats *st, const char *name)
{
	fputs(buf_str(errors), stderr);
	if (rc == ERR_INVALID)
		return cli_fail("%s: nothing was imported; correct the records above and run "
				"the import again", name);
	if (rc == ERR_BUSY)
		return cli_fail("the catalogue is locked by another process; nothing was imported, "
				"try again when it has finished");
	if (rc == ERR_IO)
		return cli_fail("%s: nothing was imported", name);
	if (rc)
		return cli_fail("%s: nothing was imported (%s)", name, err_str(rc));
	printf("cinemateca: %s: %d records created, %d updated, %d unchanged\n", name, st->created,
	       st->updated, st->unchanged);
	return 0;
}

/* run_import imports text, auditing each record it writes under action,
 * and reports; returns the exit status. */
static int run_import(struct db *db, const char *text, size_t len, const char *name,
		      const char *action)
{
	struct buf errors;
	struct import_stats st;
	int rc;

	buf_init(&errors, 1 << 20);
	rc = import_json_as(db, text, len, name, cli_actor(), action, &errors, &st);
	rc = report(rc, &errors, &st, name);
	buf_free(&errors);
	return rc;
}

/* import_stdin imports what standard input gives; returns the exit status. */
static int import_stdin(struct db *db)
{
	struct buf text;
	int rc;

	buf_init(&text, IMPORT_MAX);
	rc = read_all(stdin, &text);
	if (rc) {
		buf_free(&text);
		return cli_fail("cannot read standard input: %s",
				rc == ERR_TOOBIG ? "larger than 1 GiB; give a file instead" :
				rc == ERR_IO ? strerror(errno) : err_str(rc));
	}
	rc = run_import(db, buf_str(&text), text.len, "-", "import");
	buf_free(&text);
	return rc;
}

int cmd_import(struct cli *cli)
{
	struct archive a;
	struct db *db;
	int rc = 0;

	if (cli->argc < 2)
		return cli_usage(cli_find("import"));
	db = cli_open_archive(cli, DB_WRITE, &a);
	if (!db)
		return 1;
	for (int i = 1; i < cli->argc && rc == 0; i++) {
		const char *path = cli->argv[i];
		struct buf errors;
		struct import_stats st;

		if (strcmp(path, "-") == 0) {
			rc = import_stdin(db);
			continue;
		}
		buf_init(&errors, 1 << 20);
		rc = report(import_file_as(db, path, cli_actor(), "import", &errors, &st), &errors,
			    &st, path);
		buf_free(&errors);
	}
	db_close(db);
	return rc;
}

int cmd_export_json(struct cli *cli)
{
	struct archive a;
	struct db *db;
	FILE *out = stdout;
	int rc;

	if (cli->argc > 2)
		return cli_usage(cli_find("export-json"));
	db = cli_open_archive(cli, DB_READ, &a);
	if (!db)
		return 1;
	if (cli->argc == 2 && strcmp(cli->argv[1], "-") != 0) {
		out = fopen(cli->argv[1], "w");
		if (!out) {
			db_close(db);
			return cli_fail("cannot write %s: %s", cli->argv[1], strerror(errno));
		}
	}
	rc = export_json(db, out);
	if ((out == stdout ? fflush(out) : fclose(out)) != 0 && rc == 0)
		rc = ERR_IO;
	db_close(db);
	if (rc)
		return cli_fail("export failed: %s", rc == ERR_IO ? strerror(errno) : err_str(rc));
	return 0;
}

/* print_snippet prints a search snippet with the matched words in [ ]. */
static void print_snippet(const char *s)
{
	for (; *s; s++) {
		if (*s == '\x01')
			putchar('[');
		else if (*s == '\x02')
			putchar(']');
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			putchar(' ');
		else
			putchar(*s);
	}
}

/* print_cues prints the lines said in a found record that match, each
 * with its moment: "           at 03:12 (es): …the line…". */
static void print_cues(struct db *db, const char *expr, const char *record_id)
{
	sqlite3_stmt *st;
	char at[16];

	if (!*expr)
		return;
	st = sq_cues(db, expr, record_id, NULL, SEARCH_CUES_PER_HIT);
	while (st && db_step(db, st) == 1) {
		str_clock(sqlite3_column_int64(st, 0), at);
		printf("           at %s (%s): ", at, db_text(st, 1));
		print_snippet(db_text(st, 2));
		putchar('\n');
	}
}

int cmd_search(struct cli *cli)
{
	struct search_query q = {.page = 1};
	struct archive a;
	struct buf text;
	struct db *db;
	sqlite3_stmt *st;
	int i = 1, total, rc = 0, shown = 0;

	if (cli->argc > 2 && strcmp(cli->argv[1], "--page") == 0) {
		unsigned long long p;
		if (!str_parse_u64(cli->argv[2], SEARCH_PAGE_MAX, &p) || p == 0)
			return cli_fail("--page takes a number from 1 to %d", SEARCH_PAGE_MAX);
		q.page = (int)p;
		i = 3;
	}
	if (i >= cli->argc)
		return cli_usage(cli_find("search"));
	buf_init(&text, SEARCH_TEXT_MAX);
	for (; i < cli->argc; i++)
		if (buf_printf(&text, "%s%s", text.len ? " " : "", cli->argv[i]))
			break;	/* longer than searched anyway */
	q.text = buf_str(&text);
	db = cli_open_archive(cli, DB_READ, &a);
	if (!db) {
		buf_free(&text);
		return 1;
	}
	total = search_run(db, &q);
	if (total < 0) {
		rc = cli_fail("search failed: %s", db->err);
		goto out;
	}
	st = sq_page(db, NULL, SEARCH_PER_PAGE, (q.page - 1) * SEARCH_PER_PAGE);
	while (st && (rc = db_step(db, st)) == 1) {
		printf("%-10s %-40s %s%s%s\n", db_text(st, QR_TYPE), db_text(st, QR_SLUG),
		       db_text(st, QR_LABEL), *db_text(st, QR_DATE) ? " · " : "",
		       db_text(st, QR_DATE));
		if (db_text_or_null(st, SQ_SNIPPET)) {
			fputs("           ", stdout);
			print_snippet(db_text(st, SQ_SNIPPET));
			putchar('\n');
		}
		print_cues(db, q.expr, db_text(st, QR_ID));
		shown++;
	}
	if (rc < 0) {
		rc = cli_fail("search failed: %s", db->err);
		goto out;
	}
	rc = 0;
	printf("%d %s", total, total == 1 ? "record" : "records");
	if (total > SEARCH_PER_PAGE)
		printf(", page %d of %d", q.page, (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE);
	putchar('\n');
	(void)shown;
out:
	buf_free(&text);
	db_close(db);
	return rc;
}

int cmd_demo(struct cli *cli)
{
	char err[1024];
	struct archive a;
	struct db *db;
	int rc;

	if (cli->argc != 1)
		return cli_usage(cli_find("demo"));
	rc = archive_init(cli->archive, err, sizeof err);
	if (rc && rc != ERR_EXISTS)
		return cli_fail("%s", err);
	db = cli_open_archive(cli, DB_WRITE, &a);
	if (!db)
		return 1;
	rc = run_import(db, (const char *)demo_json, demo_json_len, "demo collection", "demo");
	db_close(db);
	if (rc == 0)
		printf("cinemateca: the demo archive is ready in %s; serve it with "
		       "'cinemateca -a %s serve'\n", cli->archive, cli->archive);
	return rc;
}
