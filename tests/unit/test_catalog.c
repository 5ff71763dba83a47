/* test_catalog.c: archive folders, import validation, export round trip,
 * and search, all against real SQLite catalogues in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "access/policy.h"
#include "catalog/archive.h"
#include "catalog/import.h"
#include "catalog/search.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "db/read_q.h"
#include "db/search_q.h"
#include "embedded.h"

static char tmpdir[] = "/tmp/cinemateca-test-XXXXXX";
static int archives;
static struct principal keeper;	/* reads everything, as the command line does */

/* new_archive makes a fresh archive folder and opens it for writing. */
static struct db *new_archive(char dir[256])
{
	struct archive a;
	struct db *db;
	char err[512];

	snprintf(dir, 256, "%s/a%d", tmpdir, archives++);
	assert_int_equal(archive_init(dir, err, sizeof err), 0);
	assert_int_equal(archive_open(dir, DB_WRITE, &a, &db, err, sizeof err), 0);
	policy_superuser(&keeper);
	db->principal = &keeper;
	return db;
}

static int count(struct db *db, const char *type)
{
	sqlite3_stmt *st = q_type_counts(db);
	int n = 0;

	while (db_step(db, st) == 1)
		if (!type || strcmp(type, db_text(st, 0)) == 0)
			n += sqlite3_column_int(st, 1);
	return n;
}

static int import_text(struct db *db, const char *text, struct buf *errors)
{
	struct import_stats st;

	buf_reset(errors);
	return import_json(db, text, strlen(text), "t.json", errors, &st);
}

static const char good[] =
	"{\"format\":\"cinemateca-import\",\"version\":1,\"records\":["
	"{\"type\":\"work\",\"slug\":\"dona-helena-palliri\",\"date\":\"1983\",\"country\":\"BO\","
	" \"titles\":[{\"text\":\"Doña Helena Palliri\",\"lang\":\"es\",\"kind\":\"original\"}],"
	" \"descriptions\":[{\"text\":\"Palliris sift through waste.\",\"lang\":\"en\"}],"
	" \"credits\":[{\"agent\":\"cesar-alarcon\",\"role\":\"director\"}],"
	" \"manifestations\":[{\"kind\":\"original\",\"format\":\"8mm\"}],"
	" \"relations\":[{\"type\":\"place\",\"to\":\"telamayu\"}]},"
	"{\"type\":\"agent\",\"kind\":\"person\",\"access\":\"public\",\"titles\":[{\"text\":\"César Alarcón\"}]},"
	"{\"type\":\"place\",\"slug\":\"telamayu\",\"access\":\"public\",\"country\":\"BO\",\"titles\":[{\"text\":\"Telamayu\"}]},"
	"{\"type\":\"event\",\"slug\":\"tin-crash\",\"date\":\"1985\",\"titles\":[{\"text\":\"<script>alert(1)</script>\"}]}"
	"]}";

static void imports_and_finds(void **state)
{
	char dir[256];
	struct db *db = new_archive(dir);
	struct buf errors;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(import_text(db, good, &errors), 0);
	assert_string_equal(buf_str(&errors), "");
	assert_int_equal(count(db, NULL), 4);
	/* the slug made from the name, with its accents folded */
	sqlite3_stmt *st = q_record(db, "agent", "cesar-alarcon", "es");
	assert_int_equal(db_step(db, st), 1);
	sqlite3_reset(st);

	struct search_query q = {.text = "dona helena", .page = 1};
	assert_int_equal(search_run(db, &q), 1);
	q.text = "DONA";
	assert_int_equal(search_run(db, &q), 1);
	q.text = "pall";
	assert_int_equal(search_run(db, &q), 1);
	q.text = "alarcon";	/* a credited name finds the work and the person */
	assert_int_equal(search_run(db, &q), 2);
	q.text = "telamayu";
	q.type = "work";
	assert_int_equal(search_run(db, &q), 1);
	q.type = NULL;
	q.text = NULL;
	q.place = "telamayu";
	assert_int_equal(search_run(db, &q), 1);
	q.place = NULL;
	q.decade = "1980";
	assert_int_equal(search_run(db, &q), 2);
	buf_free(&errors);
	db_close(db);
}

static void hostile_queries_are_plain_text(void **state)
{
	static const char *const queries[] = {
		"\"", "AND", "*", "OR OR", "NEAR(", "title:x", "^a", "a\"b", "(", "-", "—",
		"doña\"", "\xc3", "NOT palliri", "'; DROP TABLE record; --",
	};
	char dir[256], big[10241];
	struct db *db = new_archive(dir);
	struct buf errors;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(import_text(db, good, &errors), 0);
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		struct search_query q = {.text = queries[i], .page = 1};
		assert_true(search_run(db, &q) >= 0);
	}
	for (size_t i = 0; i < sizeof big - 1; i++)
		big[i] = "palliri \"AND* "[i % 14];
	big[sizeof big - 1] = '\0';
	struct search_query q = {.text = big, .page = 1};
	assert_true(search_run(db, &q) >= 0);
	assert_int_equal(count(db, NULL), 4);	/* nothing was dropped */
	buf_free(&errors);
	db_close(db);
}

static void expressions(void **state)
{
	char out[SEARCH_EXPR_MAX], big[5000];

	(void)state;
	assert_int_equal(search_expr("dona helena", out), 2);
	assert_string_equal(out, "\"dona\"* \"helena\"*");
	assert_int_equal(search_expr("\"", out), 0);
	assert_string_equal(out, "");
	assert_int_equal(search_expr("AND", out), 1);
	assert_string_equal(out, "\"AND\"*");
	assert_int_equal(search_expr("title:x* NEAR(a b)", out), 5);
	assert_string_equal(out, "\"title\"* \"x\"* \"NEAR\"* \"a\"* \"b\"*");
	assert_int_equal(search_expr("Doña", out), 1);
	assert_string_equal(out, "\"Doña\"*");
	memset(big, 'a', sizeof big);
	big[sizeof big - 1] = '\0';
	search_expr(big, out);
	assert_true(strlen(out) <= SEARCH_TEXT_MAX + 4);
	for (int i = 0; i < 2000; i++)
		memcpy(big + 2 * i, "a ", 2);
	assert_int_equal(search_expr(big, out), SEARCH_TERMS_MAX);
	/* a cut never splits a UTF-8 character */
	for (size_t i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "ñ", 2);
	big[sizeof big - 1] = '\0';
	search_expr(big, out);
	assert_true(strlen(out) % 2 == 1);	/* "…"* around whole 2-byte letters */
}

static void bad_records_are_all_reported(void **state)
{
	static const char bad[] =
		"{\"records\":["
		"{\"type\":\"work\",\"slug\":\"ok\",\"titles\":[{\"text\":\"Fine\"}]},"
		"{\"type\":\"film\",\"slug\":\"x1\",\"titles\":[{\"text\":\"T\"}]},"
		"{\"type\":\"work\",\"slug\":\"Bad Slug\",\"titles\":[{\"text\":\"T\"}]},"
		"{\"type\":\"work\",\"slug\":\"x3\",\"date\":\"19833\",\"titles\":[]},"
		"{\"type\":\"work\",\"slug\":\"x4\",\"titles\":[{\"text\":\"T\"}],"
		" \"credits\":[{\"agent\":\"nobody\",\"role\":\"director\"}]},"
		"{\"type\":\"event\",\"slug\":\"x5\",\"titles\":[{\"text\":\"T\"}]},"
		"{\"type\":\"work\",\"slug\":\"ok\",\"titles\":[{\"text\":\"T\"}],\"colour\":\"red\"},"
		"{\"type\":\"place\",\"slug\":\"x7\",\"titles\":[{\"text\":\"T\"}],\"lat\":95,\"lon\":0},"
		"{\"type\":\"agent\",\"slug\":\"x8\",\"titles\":[{\"text\":\"T\"}]},"
		"{\"type\":\"work\",\"slug\":\"x9\",\"titles\":[{\"text\":\"T\"}],"
		" \"relations\":[{\"type\":\"part_of\",\"to\":\"ok\"}]},"
		"42"
		"]}";
	static const char *const expect[] = {
		"records[1] (x1): type: \"film\" is not one of",
		"records[2] (\"T\"): slug: \"Bad Slug\" must be lower-case",
		"records[3] (x3): titles: is required",
		"records[3] (x3): date: \"19833\" is not YYYY",
		"records[4] (x4): credits[0].agent: no record \"nobody\"",
		"records[5] (x5): date: is required for this type",
		"records[6] (ok): slug: \"ok\" is also the slug of records[0]",
		"records[6] (ok): colour: unknown field",
		"records[7] (x7): lat: must be a number of degrees between -90 and 90",
		"records[8] (x8): kind: is required",
		"records[9] (x9): relations[0].to: \"ok\" is a work, expected a collection",
		"records[10]: must be an object",
	};
	char dir[256];
	struct db *db = new_archive(dir);
	struct buf errors;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(import_text(db, bad, &errors), ERR_INVALID);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		if (!strstr(buf_str(&errors), expect[i]))
			fail_msg("missing \"%s\" in:\n%s", expect[i], buf_str(&errors));
	}
	assert_int_equal(count(db, NULL), 0);	/* all or nothing */

	assert_int_equal(import_text(db, "{\"records\": [", &errors), ERR_INVALID);
	assert_non_null(strstr(buf_str(&errors), "t.json:1:"));
	assert_int_equal(import_text(db, "[]", &errors), ERR_INVALID);
	assert_int_equal(import_text(db, "{\"records\":[{\"type\":\"work\",\"type\":\"agent\"}]}",
				     &errors), ERR_INVALID);
	assert_int_equal(count(db, NULL), 0);
	buf_free(&errors);
	db_close(db);
}

/* export_text exports db into a string (caller frees). */
static char *export_text(struct db *db)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(export_json(db, f), 0);
	fclose(f);
	return text;
}

static void export_round_trips(void **state)
{
	char dir1[256], dir2[256];
	struct db *a = new_archive(dir1), *b = new_archive(dir2);
	struct buf errors;
	struct import_stats st;
	char *first, *second;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(import_json(a, (const char *)demo_json, demo_json_len, "demo", &errors, &st), 0);
	assert_true(st.created > 100);
	first = export_text(a);
	assert_int_equal(import_text(b, first, &errors), 0);
	second = export_text(b);
	assert_string_equal(first, second);
	/* importing the export again changes nothing */
	assert_int_equal(import_json(b, second, strlen(second), "again", &errors, &st), 0);
	assert_int_equal(st.created + st.updated, 0);
	assert_int_equal(st.unchanged, count(b, NULL));
	free(first);
	free(second);
	buf_free(&errors);
	db_close(a);
	db_close(b);
}

static void archives_refuse_the_wrong_folder(void **state)
{
	char dir[256], path[300], err[512];
	struct archive a;
	struct db *db;
	FILE *f;

	(void)state;
	assert_int_equal(archive_open("/nonexistent/folder", DB_READ, &a, &db, err, sizeof err),
			 ERR_NOTFOUND);
	assert_non_null(strstr(err, "is not a folder"));
	snprintf(dir, sizeof dir, "%s/empty", tmpdir);
	mkdir(dir, 0755);
	assert_int_equal(archive_open(dir, DB_READ, &a, &db, err, sizeof err), ERR_NOTFOUND);
	assert_non_null(strstr(err, "not a cinemateca archive"));
	/* a catalog.db that is not ours */
	snprintf(path, sizeof path, "%s/catalog.db", dir);
	f = fopen(path, "w");
	fputs("this is not SQLite", f);
	fclose(f);
	assert_int_equal(archive_open(dir, DB_READ, &a, &db, err, sizeof err), ERR_INVALID);
	assert_non_null(strstr(err, "not a cinemateca catalogue"));
	/* init refuses an existing archive */
	db = new_archive(dir);
	db_close(db);
	assert_int_equal(archive_init(dir, err, sizeof err), ERR_EXISTS);
}

static void newer_schema_is_refused(void **state)
{
	char dir[256], err[512];
	struct archive a;
	struct db *db = new_archive(dir);

	(void)state;
	assert_int_equal(db_exec(db, "PRAGMA user_version = 999"), 0);
	db_close(db);
	assert_int_equal(archive_open(dir, DB_WRITE, &a, &db, err, sizeof err), ERR_INVALID);
	assert_non_null(strstr(err, "newer than this program"));
}

/* The policy inside SQL: what a visitor may not read is missing from
 * counts, searches, facets and lists, and a private person's name does not
 * make a public film findable. */
static void queries_ask_the_policy(void **state)
{
	static const char text[] =
		"{\"records\":["
		"{\"type\":\"agent\",\"slug\":\"secret-person\",\"kind\":\"person\","
		" \"titles\":[{\"text\":\"Quispeoculto\"}]},"
		"{\"type\":\"place\",\"slug\":\"open-place\",\"access\":\"public\","
		" \"titles\":[{\"text\":\"Lugarabierto\"}]},"
		"{\"type\":\"work\",\"slug\":\"open-film\",\"access\":\"public\",\"date\":\"1983\","
		" \"titles\":[{\"text\":\"Pelicula abierta\"}],"
		" \"credits\":[{\"agent\":\"secret-person\",\"role\":\"director\"}],"
		" \"relations\":[{\"type\":\"place\",\"to\":\"open-place\"}]},"
		"{\"type\":\"work\",\"slug\":\"closed-film\",\"access\":\"private\",\"date\":\"1983\","
		" \"titles\":[{\"text\":\"Pelicula cerrada\"}],"
		" \"relations\":[{\"type\":\"place\",\"to\":\"open-place\"}]},"
		"{\"type\":\"work\",\"slug\":\"opened-film\",\"access\":\"private\","
		" \"embargo_until\":\"2000-01-01\",\"titles\":[{\"text\":\"Pelicula liberada\"}]}"
		"]}";
	char dir[256];
	struct db *db = new_archive(dir);
	struct principal nobody;
	struct buf errors;
	sqlite3_stmt *st;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(import_text(db, text, &errors), 0);
	assert_int_equal(count(db, NULL), 5);
	policy_anonymous(&nobody);
	db->principal = &nobody;
	assert_int_equal(count(db, NULL), 3);	/* place, open film, opened film */
	struct search_query q = {.text = "pelicula", .page = 1};
	assert_int_equal(search_run(db, &q), 2);
	q.text = "quispeoculto";	/* the private director's name */
	assert_int_equal(search_run(db, &q), 0);
	q.text = "pelicula";
	search_run(db, &q);
	st = sq_facet(db, SQ_FACET_PLACE, "es");
	assert_int_equal(db_step(db, st), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 1);	/* only the open film is counted */
	sqlite3_reset(st);
	st = q_record(db, "work", "closed-film", "es");
	assert_int_equal(db_step(db, st), 0);
	st = q_record(db, "place", "open-place", "es");
	assert_int_equal(db_step(db, st), 1);
	sqlite3_reset(st);
	sqlite3_stmt *rec = q_record(db, "place", "open-place", "es");
	assert_int_equal(db_step(db, rec), 1);
	char id[40];
	snprintf(id, sizeof id, "%s", db_text(rec, QR_ID));
	sqlite3_reset(rec);
	st = q_links_in(db, id, "es");
	int links = 0;
	while (db_step(db, st) == 1) {
		assert_string_not_equal(db_text(st, QL_SLUG), "closed-film");
		links++;
	}
	assert_int_equal(links, 1);
	db->principal = &keeper;
	buf_free(&errors);
	db_close(db);
}

static void nested_transactions(void **state)
{
	char dir[256];
	struct db *db = new_archive(dir);
	struct buf errors;

	(void)state;
	buf_init(&errors, 65536);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(import_text(db, good, &errors), 0);	/* a savepoint inside */
	assert_int_equal(count(db, NULL), 4);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(count(db, NULL), 0);
	buf_free(&errors);
	db_close(db);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(imports_and_finds),
		cmocka_unit_test(hostile_queries_are_plain_text),
		cmocka_unit_test(expressions),
		cmocka_unit_test(bad_records_are_all_reported),
		cmocka_unit_test(export_round_trips),
		cmocka_unit_test(archives_refuse_the_wrong_folder),
		cmocka_unit_test(newer_schema_is_refused),
		cmocka_unit_test(queries_ask_the_policy),
		cmocka_unit_test(nested_transactions),
	};
	return cmocka_run_group_tests_name("catalog", tests, setup, teardown);
}
