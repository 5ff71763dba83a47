/* test_store.c: the object store: one-pass SHA-256 and MD5 against known
 * vectors and against coreutils, write-once naming, deduplication,
 * verification of corrupted and missing objects, cleaning of staging
 * files left by a crash; a stage written in pieces against the file of the
 * same bytes, an aborted stage leaving nothing; a listing of 600 objects
 * that passes over stray files; reading by name; scratch files; a sweep
 * leaves alone what is still being written. */
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

/* count_tmp: the staging files left in the store at d. */
static int count_tmp(const char *d)
{
	char cmd[400], line[32];
	FILE *p;

	snprintf(cmd, sizeof cmd, "find '%s/tmp' -type f | wc -l", d);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	return (int)strtol(line, NULL, 10);
}

/* bytes written in pieces give the digest of the whole, the same object
 * store_put makes of a file holding them, and nothing when aborted */
static void stage_in_pieces(void **state)
{
	char sub[300], src[300], obj[600];
	unsigned char chunk[7001];
	struct store *s;
	struct store_stage *st;
	struct digest d, want;
	struct stat sb;
	bool existed;
	FILE *f;

	(void)state;
	snprintf(sub, sizeof sub, "%s/staged", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(store_create(sub), 0);
	assert_int_equal(store_open(sub, &s), 0);
	snprintf(src, sizeof src, "%s/whole.bin", dir);
	f = fopen(src, "wb");
	assert_non_null(f);
	assert_int_equal(store_stage_begin(s, &st), 0);
	for (int i = 0; i < 300; i++) {	/* 2 MiB in odd-sized pieces, across hash blocks */
		for (size_t k = 0; k < sizeof chunk; k++)
			chunk[k] = (unsigned char)(i * 31 + k * 7);
		assert_int_equal(store_stage_write(st, chunk, sizeof chunk), 0);
		assert_int_equal(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(count_tmp(sub), 1);
	assert_int_equal(store_stage_commit(st, &d, &existed), 0);
	assert_false(existed);
	assert_int_equal(count_tmp(sub), 0);
	assert_int_equal(store_hash_file(src, &want, NULL, NULL), 0);
	assert_string_equal(d.sha256, want.sha256);
	assert_string_equal(d.md5, want.md5);
	assert_int_equal(d.size, 300 * sizeof chunk);
	assert_int_equal(store_path(s, d.sha256, obj, sizeof obj), 0);
	assert_int_equal(stat(obj, &sb), 0);
	assert_int_equal(sb.st_mode & 0222, 0);		/* read-only, as store_put leaves it */
	assert_int_equal(store_verify(s, d.sha256, &want, NULL, NULL), 0);
	/* the same bytes from a file: already there */
	assert_int_equal(store_put(s, src, &want, &existed, NULL, NULL), 0);
	assert_true(existed);
	/* empty */
	assert_int_equal(store_stage_begin(s, &st), 0);
	assert_int_equal(store_stage_commit(st, &d, &existed), 0);
	assert_string_equal(d.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* a stage in progress survives a sweep by someone else, and commits */
	assert_int_equal(store_stage_begin(s, &st), 0);
	assert_int_equal(store_stage_write(st, "in flight", 9), 0);
	{
		int removed;
		assert_int_equal(store_clean_tmp(s, &removed), 0);
		assert_int_equal(removed, 0);
	}
	assert_int_equal(store_stage_commit(st, &d, &existed), 0);
	assert_true(store_exists(s, d.sha256));
	/* aborted: nothing stays */
	assert_int_equal(store_stage_begin(s, &st), 0);
	assert_int_equal(store_stage_write(st, "half a film", 11), 0);
	store_stage_abort(st);
	store_stage_abort(NULL);
	assert_int_equal(count_tmp(sub), 0);
	assert_int_equal(store_put_bytes(s, "half a film", 11, &d, &existed), 0);
	assert_false(existed);
	assert_int_equal(count_tmp(sub), 0);
	store_close(s);
}

/* the listing gives every object once, however many, and nothing else;
 * open-for-reading gives the bytes; scratch files are swept */
static void list_open_scratch(void **state)
{
	char sub[300], stray[700], name[SHA256_HEX + 1], scratch[600], buf[64];
	struct store *s;
	struct store_iter *it;
	struct digest d;
	bool existed;
	int n = 0, fd, removed, rc;
	uint64_t size;
	FILE *f;

	(void)state;
	snprintf(sub, sizeof sub, "%s/listed", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(store_create(sub), 0);
	assert_int_equal(store_open(sub, &s), 0);
	assert_int_equal(store_iter_open(s, &it), 0);
	assert_int_equal(store_iter_next(it, name), 0);	/* empty */
	store_iter_close(it);
	{
		struct store *bare;	/* not even an objects folder yet: no objects */
		char none[300];
		snprintf(none, sizeof none, "%s/bare", dir);
		assert_int_equal(mkdir(none, 0755), 0);
		assert_int_equal(store_open(none, &bare), 0);
		assert_int_equal(store_iter_open(bare, &it), 0);
		assert_int_equal(store_iter_next(it, name), 0);
		store_iter_close(it);
		store_close(bare);
	}
	for (int i = 0; i < 600; i++) {	/* past any small fixed array */
		char text[32];
		int len = snprintf(text, sizeof text, "object %d", i);
		assert_int_equal(store_put_bytes(s, text, (size_t)len, &d, &existed), 0);
	}
	/* a stray file, and a file misfiled under the wrong folder, are no objects */
	snprintf(stray, sizeof stray, "%s/objects/sha256/%.2s/README", sub, d.sha256);
	f = fopen(stray, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(stray, sizeof stray, "%s/objects/sha256/%.2s/%.2s/%s0", sub, d.sha256, d.sha256 + 2,
		 d.sha256);
	f = fopen(stray, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(store_iter_open(s, &it), 0);
	while ((rc = store_iter_next(it, name)) == 1) {
		assert_int_equal(strlen(name), SHA256_HEX);
		assert_true(store_exists(s, name));
		n++;
	}
	assert_int_equal(rc, 0);
	store_iter_close(it);
	store_iter_close(NULL);
	assert_int_equal(n, 600);
	/* reading */
	assert_int_equal(store_open_read(s, d.sha256, &fd, &size), 0);
	assert_int_equal(size, strlen("object 599"));
	assert_int_equal(read(fd, buf, sizeof buf), (ssize_t)size);
	assert_memory_equal(buf, "object 599", size);
	close(fd);
	assert_int_equal(store_open_read(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
					 &fd, &size), ERR_NOTFOUND);
	assert_int_equal(fd, -1);
	assert_int_equal(store_open_read(s, "../../../../etc/passwd", &fd, &size), ERR_INVALID);
	/* scratch files live where staging files do; swept once nobody holds them */
	fd = store_scratch_open(s, "poster", scratch, sizeof scratch);
	assert_true(fd >= 0);
	assert_non_null(strstr(scratch, "poster"));
	assert_int_equal(store_scratch_open(s, "../x", stray, sizeof stray), -1);
	assert_int_equal(count_tmp(sub), 1);
	assert_int_equal(store_clean_tmp(s, &removed), 0);
	assert_int_equal(removed, 0);		/* in use */
	assert_int_equal(access(scratch, F_OK), 0);
	close(fd);
	assert_int_equal(store_clean_tmp(s, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(count_tmp(sub), 0);
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
		cmocka_unit_test(stage_in_pieces),
		cmocka_unit_test(list_open_scratch),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
