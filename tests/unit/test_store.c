/* test_store.c: the object store: one-pass SHA-256 and MD5 against known
 * vectors and against coreutils, write-once naming, deduplication,
 * verification of corrupted and missing objects, and cleaning of staging
 * files left by a crash. */
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

#include "core/err.h"
#include "store/objects.h"

static char dir[] = "/tmp/cinemateca-store-XXXXXX";

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void known_vectors(void **state)
{
	char path[300];
	struct digest d;

	(void)state;
	snprintf(path, sizeof path, "%s/abc", dir);
	write_file(path, "abc", 3);
	assert_int_equal(store_hash_file(path, &d, NULL, NULL), 0);
	assert_string_equal(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(d.md5, "900150983cd24fb0d6963f7d28e17f72");
	assert_int_equal(d.size, 3);
	snprintf(path, sizeof path, "%s/empty", dir);
	write_file(path, "", 0);
	assert_int_equal(store_hash_file(path, &d, NULL, NULL), 0);
	assert_string_equal(d.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(d.md5, "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(d.size, 0);
}

/* a file of several chunks, against sha256sum and md5sum */
static void large_file_matches_coreutils(void **state)
{
	char path[300], cmd[400], expect[200];
	size_t n = (5u << 20) + 12345;	/* five chunks and a bit */
	unsigned char *data = malloc(n);
	struct digest d;
	FILE *p;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	snprintf(path, sizeof path, "%s/large", dir);
	write_file(path, data, n);
	free(data);
	assert_int_equal(store_hash_file(path, &d, NULL, NULL), 0);
	assert_int_equal(d.size, n);
	snprintf(cmd, sizeof cmd, "sha256sum '%s' | cut -c1-64", path);
	p = popen(cmd, "r");
	assert_non_null(fgets(expect, sizeof expect, p));
	pclose(p);
	expect[64] = '\0';
	assert_string_equal(d.sha256, expect);
	snprintf(cmd, sizeof cmd, "md5sum '%s' | cut -c1-32", path);
	p = popen(cmd, "r");
	assert_non_null(fgets(expect, sizeof expect, p));
	pclose(p);
	expect[32] = '\0';
	assert_string_equal(d.md5, expect);
}

static void put_dedupe_verify(void **state)
{
	char src[300], obj[600], part[300];
	struct store *s;
	struct digest d, d2, v;
	struct stat sb;
	bool existed;
	int removed;
	FILE *f;

	(void)state;
	assert_int_equal(store_open(dir, &s), 0);
	snprintf(src, sizeof src, "%s/film.bin", dir);
	write_file(src, "the reality of how we are", 25);
	assert_int_equal(store_put(s, src, &d, &existed, NULL, NULL), 0);
	assert_false(existed);
	assert_int_equal(store_path(s, d.sha256, obj, sizeof obj), 0);
	assert_non_null(strstr(obj, "/objects/sha256/"));
	assert_int_equal(stat(obj, &sb), 0);
	assert_int_equal(sb.st_size, 25);
	assert_int_equal(sb.st_mode & 0222, 0);		/* read-only */
	assert_true(store_exists(s, d.sha256));
	/* the same bytes again: nothing new */
	assert_int_equal(store_put(s, src, &d2, &existed, NULL, NULL), 0);
	assert_true(existed);
	assert_string_equal(d.sha256, d2.sha256);
	assert_int_equal(store_verify(s, d.sha256, &v, NULL, NULL), 0);
	/* one flipped byte is caught */
	chmod(obj, 0644);
	f = fopen(obj, "r+b");
	fputc('T' ^ 1, f);
	fclose(f);
	assert_int_equal(store_verify(s, d.sha256, &v, NULL, NULL), ERR_INVALID);
	assert_string_not_equal(v.sha256, d.sha256);
	/* and a missing one */
	assert_int_equal(store_remove(s, d.sha256), 0);
	assert_false(store_exists(s, d.sha256));
	assert_int_equal(store_verify(s, d.sha256, &v, NULL, NULL), ERR_NOTFOUND);
	/* errors leave nothing behind */
	assert_int_equal(store_put(s, "/nonexistent/file", &d, &existed, NULL, NULL), ERR_NOTFOUND);
	assert_int_equal(store_put(s, dir, &d, &existed, NULL, NULL), ERR_IO);	/* a folder */
	/* a staging file left by a crash is cleaned, nothing else in tmp/ */
	snprintf(part, sizeof part, "%s/tmp/ingest-crashed.part", dir);
	write_file(part, "half", 4);
	snprintf(src, sizeof src, "%s/tmp/notes.txt", dir);
	write_file(src, "keep", 4);
	assert_int_equal(store_clean_tmp(s, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_not_equal(access(part, F_OK), 0);
	assert_int_equal(access(src, F_OK), 0);
	store_close(s);
}

static int setup(void **state)
{
	char tmp[300];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(tmp, sizeof tmp, "%s/tmp", dir);
	return mkdir(tmp, 0755);
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(large_file_matches_coreutils),
		cmocka_unit_test(put_dedupe_verify),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
