/* test_bagit.c: the BagIt tag-file readers (interop/bagit.c), with the
 * shapes RFC 8493 gives and those other tools write: line endings LF,
 * CRLF and CR, one or more spaces or tabs after a checksum, %0A %0D %25 in
 * paths, continuation lines in bag-info.txt; and the paths that must be
 * refused because they could name something outside the bag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "interop/bagit.h"

#define H64 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* collect joins what a parse gave, one "HEX|PATH" or "LABEL=VALUE" per line. */
static int on_entry(void *arg, int line, const char *hex, const char *path, char *err,
		    size_t errlen)
{
	(void)line, (void)err, (void)errlen;
	return buf_printf(arg, "%s|%s\n", hex, path);
}

static int on_tag(void *arg, int line, const char *label, const char *value, char *err,
		  size_t errlen)
{
	(void)line, (void)err, (void)errlen;
	return buf_printf(arg, "%s=%s\n", label, value);
}

static void manifests(void **state)
{
	static const struct {
		const char *text;
		bool payload;
		const char *want;	/* what the callback saw, or the error's start */
		int rc;
	} t[] = {
		{H64 "  data/a.txt\n", true, H64 "|data/a.txt\n", 0},
		{H64 " data/a b.txt\r\n" H64 "\t\tdata/c\r", true,
		 H64 "|data/a b.txt\n" H64 "|data/c\n", 0},
		{"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855  data/x", true,
		 H64 "|data/x\n", 0},
		{H64 "  data/100%25 done\n", true, H64 "|data/100% done\n", 0},
		{H64 "  data/%zz and %2\n", true, H64 "|data/%zz and %2\n", 0},
		{H64 "  data/Año ñandú 東京\n", true, H64 "|data/Año ñandú 東京\n", 0},
		{H64 "  data/a%0Ab\n", true, "line 1: a path with a control character", ERR_INVALID},
		{H64 "  data/../../etc/passwd\n", true, "line 1: the path \"data/../../etc/passwd\" has a \"..\" part", ERR_INVALID},
		{H64 "  /etc/passwd\n", true, "line 1: an absolute path", ERR_INVALID},
		{H64 "  data//x\n", true, "line 1: the path \"data//x\" has an empty part", ERR_INVALID},
		{H64 "  data/./x\n", true, "line 1: the path \"data/./x\" has a \".\" part", ERR_INVALID},
		{H64 "  data\\x\n", true, "line 1: a path with a backslash", ERR_INVALID},
		{H64 "  bagit.txt\n", true, "line 1: \"bagit.txt\" is not under data/", ERR_INVALID},
		{H64 "  data/x\n", false, "line 1: \"data/x\" is payload", ERR_INVALID},
		{H64 "  data/x\n\n", true, "line 2: empty", ERR_INVALID},
		{"abc  data/x\n", true, "line 1: does not begin with a sha256 checksum", ERR_INVALID},
		{H64 "0  data/x\n", true, "line 1: does not begin with a sha256 checksum", ERR_INVALID},
		{H64 "\n", true, "line 1: a checksum with no path", ERR_INVALID},
		{H64 "  data/\xff\n", true, "line 1: not UTF-8", ERR_INVALID},
		{"", true, "", 0},
	};
	char err[8192];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct buf got;
		int rc;
		buf_init(&got, 1 << 16);
		err[0] = '\0';
		rc = bagit_manifest_parse(t[i].text, strlen(t[i].text), BAGIT_SHA256, t[i].payload,
					  on_entry, &got, err, sizeof err);
		if (rc != t[i].rc)
			fail_msg("case %zu: rc %d, want %d (%s)", i, rc, t[i].rc, err);
		if (rc == 0 && strcmp(buf_str(&got), t[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, buf_str(&got), t[i].want);
		if (rc != 0 && strncmp(err, t[i].want, strlen(t[i].want)) != 0)
			fail_msg("case %zu: error '%s', want '%s...'", i, err, t[i].want);
		buf_free(&got);
	}
}

static void tags(void **state)
{
	char err[1024];
	struct buf got;
	static const char info[] = "Source-Organization: Cinemateca\r\n"
				   "External-Description: a long\n   description\n\tin three lines\n"
				   "Contact-Name:Ana\n"
				   "Payload-Oxum: 12.3\n";

	(void)state;
	buf_init(&got, 1 << 16);
	assert_int_equal(bagit_tags_parse(info, strlen(info), on_tag, &got, err, sizeof err), 0);
	assert_string_equal(buf_str(&got), "Source-Organization=Cinemateca\n"
			    "External-Description=a long description in three lines\n"
			    "Contact-Name=Ana\nPayload-Oxum=12.3\n");
	buf_free(&got);
	assert_int_equal(bagit_tags_parse(" lead\n", 6, on_tag, &got, err, sizeof err), ERR_INVALID);
	assert_string_equal(err, "line 1: a continuation line with no element before it");
	assert_int_equal(bagit_tags_parse("A: 1\nno colon\n", 14, on_tag, &got, err, sizeof err),
			 ERR_INVALID);
	assert_string_equal(err, "line 2: not \"Label: value\"");
	buf_free(&got);
}

static void declaration(void **state)
{
	char err[1024];
	static const char ok1[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	static const char ok2[] = "BagIt-Version: 0.97\r\nTag-File-Character-Encoding: utf-8\r\n";
	static const char bad1[] = "BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n";
	static const char bad2[] = "BagIt-Version: 1.0\n";
	static const char bad3[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n";

	(void)state;
	assert_int_equal(bagit_declaration_check(ok1, strlen(ok1), err, sizeof err), 0);
	assert_int_equal(bagit_declaration_check(ok2, strlen(ok2), err, sizeof err), 0);
	assert_int_equal(bagit_declaration_check(bad1, strlen(bad1), err, sizeof err), ERR_INVALID);
	assert_string_equal(err, "line 1: BagIt-Version \"2.0\" (1.0 and 0.97 are read)");
	assert_int_equal(bagit_declaration_check(bad2, strlen(bad2), err, sizeof err), ERR_INVALID);
	assert_string_equal(err, "no Tag-File-Character-Encoding line");
	assert_int_equal(bagit_declaration_check(bad3, strlen(bad3), err, sizeof err), ERR_INVALID);
}

static void writing(void **state)
{
	struct buf b;
	uint64_t o, c;
	char size[32];

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(bagit_path_encode(&b, "data/100% a\nb\rc"), 0);
	assert_string_equal(buf_str(&b), "data/100%25 a%0Ab%0Dc");
	buf_free(&b);
	assert_true(bagit_oxum_parse("4000000000.12", &o, &c));
	assert_true(o == 4000000000ULL && c == 12);
	assert_false(bagit_oxum_parse("12", &o, &c));
	assert_false(bagit_oxum_parse(".3", &o, &c));
	assert_false(bagit_oxum_parse("1.2.3", &o, &c));
	assert_false(bagit_oxum_parse("1. 2", &o, &c));
	assert_false(bagit_oxum_parse("-1.2", &o, &c));
	bagit_size_human(12, size);
	assert_string_equal(size, "12 bytes");
	bagit_size_human(3015709, size);
	assert_string_equal(size, "3.0 MB");
	bagit_size_human(4000000000ULL, size);
	assert_string_equal(size, "4.0 GB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifests),
		cmocka_unit_test(tags),
		cmocka_unit_test(declaration),
		cmocka_unit_test(writing),
	};
	return cmocka_run_group_tests_name("bagit", tests, NULL, NULL);
}
