/* test_uploads.c: the interface other code takes finished uploads through
 * (web/uploads.h): upload_claim gives a finished upload's path, name and
 * type to its own account once (a second claim, another account, a
 * partial upload and a made-up id get ERR_NOTFOUND; a buffer too small
 * claims nothing), upload_release removes bytes and row; upload_lock
 * counts bytes a stopped writer left and cuts bytes past the length;
 * upload_clean removes the expired but not the claimed nor one a request
 * is still writing; and the
 * Upload-Metadata parser against a table of good and bad headers. */
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

#include "catalog/archive.h"
#include "core/err.h"
#include "db/access_q.h"
#include "db/db.h"
#include "web/uploads.h"

static char dir[] = "/tmp/cinemateca-uploads-XXXXXX";
static struct archive a;
static struct db *db;
static long long ana, luis;

static int setup(void **state)
{
	char err[512], path[600];
	struct user_row u;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/archive", dir);
	if (archive_init(path, err, sizeof err) ||
	    archive_open(path, DB_WRITE, &a, &db, err, sizeof err))
		return -1;
	if (aq_user_add(db, "ana", "community", "x") || aq_user_add(db, "luis", "community", "x") ||
	    aq_user_find(db, "ana", &u) != 1)
		return -1;
	ana = u.id;
	if (aq_user_find(db, "luis", &u) != 1)
		return -1;
	luis = u.id;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* make: an upload of ana's with these bytes written and synced */
static void make(struct upload_row *u, const char *bytes, long long length)
{
	struct upload_meta m = {"Doña Helena.mp4", "video/mp4"};
	int fd;

	assert_int_equal(upload_create(db, &a, ana, length, "filename x", &m, 1000, u), 0);
	assert_int_equal(upload_lock(db, &a, u, &fd, 1000), 0);
	assert_int_equal(write(fd, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
	assert_int_equal(upload_sync(db, u, fd, 1000, 3600), 0);
	close(fd);
}

static void claim_and_release(void **state)
{
	struct upload_row u, partial;
	char path[ARCHIVE_PATH_MAX], name[UPLOAD_NAME_MAX + 1], type[UPLOAD_TYPE_MAX + 1];
	char small[4];
	struct stat sb;
	FILE *f;

	(void)state;
	make(&u, "hello", 5);
	assert_string_equal(u.state, "done");
	make(&partial, "hel", 5);
	assert_string_equal(partial.state, "partial");
	/* not luis's, not partial, not made up */
	assert_int_equal(upload_claim(db, &a, luis, u.id, path, sizeof path, name, sizeof name,
				      type, sizeof type), ERR_NOTFOUND);
	assert_int_equal(upload_claim(db, &a, ana, partial.id, path, sizeof path, name,
				      sizeof name, type, sizeof type), ERR_NOTFOUND);
	assert_int_equal(upload_claim(db, &a, ana, "0123456789abcdef0123456789abcdef", path,
				      sizeof path, name, sizeof name, type, sizeof type),
			 ERR_NOTFOUND);
	assert_int_equal(upload_claim(db, &a, ana, "../../catalog.db", path, sizeof path, name,
				      sizeof name, type, sizeof type), ERR_NOTFOUND);
	/* a name buffer too small claims nothing */
	assert_int_equal(upload_claim(db, &a, ana, u.id, path, sizeof path, small, sizeof small,
				      type, sizeof type), ERR_TOOBIG);
	/* the claim */
	assert_int_equal(upload_claim(db, &a, ana, u.id, path, sizeof path, name, sizeof name,
				      type, sizeof type), 0);
	assert_string_equal(name, "Doña Helena.mp4");
	assert_string_equal(type, "video/mp4");
	f = fopen(path, "rb");
	assert_non_null(f);
	{
		char got[16] = "";
		assert_int_equal(fread(got, 1, sizeof got, f), 5);
		assert_memory_equal(got, "hello", 5);
	}
	fclose(f);
	/* once only */
	assert_int_equal(upload_claim(db, &a, ana, u.id, path, sizeof path, name, sizeof name,
				      type, sizeof type), ERR_NOTFOUND);
	/* a claimed upload outlives its expiry; the partial one does not */
	{
		int removed;
		assert_int_equal(upload_clean(db, &a, 1000000, &removed), 0);
		assert_int_equal(removed, 1);
		assert_int_equal(stat(path, &sb), 0);
		struct upload_row again;
		assert_int_equal(uq_get(db, partial.id, 0, &again), 0);
		assert_int_equal(uq_get(db, u.id, 0, &again), 1);
		assert_string_equal(again.state, "claimed");
	}
	upload_release(db, &a, u.id);
	assert_int_not_equal(stat(path, &sb), 0);
	{
		struct upload_row gone;
		assert_int_equal(uq_get(db, u.id, 0, &gone), 0);
	}
}

/* a writer killed before it recorded its bytes: the next lock counts
 * them; bytes past the length are cut */
static void lock_counts_what_is_on_disk(void **state)
{
	struct upload_row u;
	char path[ARCHIVE_PATH_MAX];
	struct stat sb;
	FILE *f;
	int fd;

	(void)state;
	make(&u, "ab", 6);
	assert_int_equal(u.received, 2);
	assert_int_equal(upload_path(&a, u.id, path, sizeof path), 0);
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs("cdefgh", f);	/* two bytes too many */
	fclose(f);
	assert_int_equal(upload_lock(db, &a, &u, &fd, 2000), 0);
	assert_int_equal(u.received, 6);
	assert_string_equal(u.state, "done");
	close(fd);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 6);
	/* one writer at a time */
	{
		int fd2;
		assert_int_equal(upload_lock(db, &a, &u, &fd, 2000), 0);
		assert_int_equal(upload_lock(db, &a, &u, &fd2, 2000), ERR_BUSY);
		close(fd);
	}
	upload_release(db, &a, u.id);
}

/* an expired upload that a request is still writing is left to it */
static void clean_leaves_what_is_being_written(void **state)
{
	struct upload_row u, again;
	int fd, removed;

	(void)state;
	make(&u, "abc", 10);	/* partial, expires at 1000 + 3600 */
	assert_int_equal(upload_lock(db, &a, &u, &fd, 1000), 0);
	assert_int_equal(upload_clean(db, &a, 1000000, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(uq_get(db, u.id, 0, &again), 1);
	close(fd);
	assert_int_equal(upload_clean(db, &a, 1000000, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(uq_get(db, u.id, 0, &again), 0);
}

static void metadata_table(void **state)
{
	static const struct {
		const char *header;
		int ok;
		const char *filename, *filetype;
	} cases[] = {
		{NULL, 1, "", ""},
		{"", 1, "", ""},
		{"filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential", 1,
		 "world_domination_plan.pdf", ""},
		{"filename YQ==,filetype dmlkZW8vbXA0", 1, "a", "video/mp4"},
		{"filetype dGV4dC9wbGFpbjsgY2hhcnNldD11dGYtOA==", 1, "", "text/plain; charset=utf-8"},
		{"filename ", 1, "", ""},	/* a key and an empty value */
		{"filename YQ", 0, NULL, NULL},	/* no padding */
		{"filename YR==", 0, NULL, NULL},	/* bits past the last byte */
		{"filename YQ==,", 0, NULL, NULL},
		{",filename YQ==", 0, NULL, NULL},
		{"filename YQ==,filename Yg==", 0, NULL, NULL},
		{"filename L2V0Yw==", 0, NULL, NULL},	/* "/etc" */
		{"filename AA==", 0, NULL, NULL},	/* a NUL */
		{"filetype dmlkZW8=", 0, NULL, NULL},	/* "video" */
		{"filename YQ== Yg==", 0, NULL, NULL},
		{"file\x01name YQ==", 0, NULL, NULL},
	};
	struct upload_meta m;
	char why[200];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = upload_metadata_parse(cases[i].header, &m, why, sizeof why);
		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_string_equal(m.filename, cases[i].filename);
			assert_string_equal(m.filetype, cases[i].filetype);
		} else {
			assert_int_equal(rc, ERR_INVALID);
			assert_true(strlen(why) > 10);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claim_and_release),
		cmocka_unit_test(lock_counts_what_is_on_disk),
		cmocka_unit_test(clean_leaves_what_is_being_written),
		cmocka_unit_test(metadata_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
