/* test_po.c: the PO reader (what msgfmt accepts, what it refuses, with
 * file:line), the Plural-Forms evaluator against the expressions gettext's
 * manual lists, and the interface's lookups: fallback, plurals, numbers,
 * Accept-Language with q-values, a language from an archive's po/. */
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

#include "core/buf.h"
#include "http/req.h"
#include "web/i18n.h"
#include "web/po.h"

static int parse(const char *text, struct po_file *po, char *err)
{
	return po_parse(text, strlen(text), "t.po", po, err, 256);
}

#define HEADER "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
	"\"Plural-Forms: nplurals=2; plural=n != 1;\\n\"\n\n"

static void reads_entries(void **state)
{
	static const char text[] =
		"# a translator's comment\n" HEADER
		"#: src/web/layout.c:12\n"
		"msgctxt \"NAV_HOME\"\nmsgid \"Inicio\"\nmsgstr \"Home\"\n\n"
		"msgctxt \"MULTI\"\nmsgid \"\"\n\"dos \"\n\"líneas\"\nmsgstr \"\"\n\"two \" \"lines\\n\\t\\\"q\\\" \\\\ \\x41\\101\"\n\n"
		"#, fuzzy\nmsgctxt \"FUZZY\"\nmsgid \"x\"\nmsgstr \"not used\"\n\n"
		"#~ msgid \"obsolete\"\n#~ msgstr \"gone\"\n\n"
		"msgctxt \"COUNT\"\nmsgid \"{n} registro\"\nmsgid_plural \"{n} registros\"\n"
		"msgstr[0] \"{n} record\"\nmsgstr[1] \"{n} records\"\n"
		"msgid \"no context\"\nmsgstr \"sin contexto\"\r\n";
	struct po_file po;
	char err[256];

	(void)state;
	if (parse(text, &po, err))
		fail_msg("%s", err);
	assert_int_equal(po.n, 4);
	assert_int_equal(po.fuzzy, 1);
	assert_int_equal(po.nplurals, 2);
	assert_string_equal(po.plural, "n != 1");
	assert_string_equal(po.entries[0].ctxt, "NAV_HOME");
	assert_string_equal(po.entries[0].str[0], "Home");
	assert_int_equal(po.entries[0].line, 8);
	assert_string_equal(po.entries[1].id, "dos líneas");
	assert_string_equal(po.entries[1].str[0], "two lines\n\t\"q\" \\ AA");
	assert_string_equal(po.entries[2].id_plural, "{n} registros");
	assert_int_equal(po.entries[2].nstr, 2);
	assert_string_equal(po.entries[2].str[1], "{n} records");
	assert_null(po.entries[3].ctxt);
	assert_string_equal(po.entries[3].str[0], "sin contexto");
	assert_int_equal(po_plural_form(&po, 1), 0);
	assert_int_equal(po_plural_form(&po, 0), 1);
	po_free(&po);
}

static void refuses_with_line(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{"msgid \"a\\q\"\nmsgstr \"b\"\n", "t.po:1: invalid escape \\q"},
		{"msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", "t.po:1: msgid without msgstr"},
		{"msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\"\n", "t.po:3: msgid without msgstr"},
		{"msgid \"a\nmsgstr \"b\"\n", "t.po:1: string not closed by \""},
		{"msgid \"a\" x\nmsgstr \"b\"\n", "t.po:1: text after the closing \""},
		{"msgstr \"b\"\n", "t.po:1: msgstr without msgid"},
		{"msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "t.po:3: a second msgstr"},
		{"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"b\"\n", "t.po:3: a plural message needs msgstr[0], msgstr[1]…"},
		{"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n", "t.po:3: msgstr[1] where msgstr[0] was expected"},
		{"msgid \"a\"\nmsgstr[0] \"b\"\n", "t.po:2: msgstr[0] without msgid_plural"},
		{HEADER "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n",
		 "t.po:6: 1 plural forms, but the header's Plural-Forms says nplurals=2"},
		{"msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n", "t.po:4: duplicate message (first at line 1)"},
		{"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n %% 0;\\n\"\n",
		 "t.po:1: Plural-Forms: unexpected character at \"% 0\""},
		{"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n / 0;\\n\"\n",
		 "t.po:1: Plural-Forms: division by zero at \"\""},
		{"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n > 1 ? 2 : 0;\\n\"\n",
		 "t.po:1: Plural-Forms: plural form 2 for n=2, but nplurals=2"},
		{"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=(n == 1;\\n\"\n",
		 "t.po:1: Plural-Forms: missing ) at \"\""},
		{"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=0; plural=0;\\n\"\n",
		 "t.po:1: Plural-Forms: nplurals must be 1 to 8"},
		{"msgid \"\"\nmsgstr \"Plural-Forms: plural=0;\\n\"\n", "t.po:1: Plural-Forms: expected nplurals=N"},
		{"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n",
		 "t.po:1: the header's charset must be UTF-8"},
		{"msgid \"\xc3(\"\nmsgstr \"b\"\n", "t.po:1: invalid UTF-8"},
		{"msgid \"a\"\nmsgstr \"b\"\nhello\n", "t.po:3: expected msgctxt, msgid, msgid_plural, msgstr or a comment"},
		{"\"orphan\"\n", "t.po:1: a string with no keyword before it"},
		{"msgctxt \"K\"\n\nmsgid \"a\"\nmsgstr \"b\"\n", "t.po:1: msgctxt without msgid"},
		{"msgid \"a\\0\"\nmsgstr \"b\"\n", "t.po:1: escape gives a NUL or a value above 255"},
		{"msgid \"a\"\nmsgstr \"\\x\"\n", "t.po:2: \\x without hex digits"},
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct po_file po;
		err[0] = '\0';
		if (parse(cases[i].text, &po, err) != -1)
			fail_msg("case %zu accepted: %s", i, cases[i].text);
		if (strcmp(err, cases[i].err) != 0)
			fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, err, cases[i].err);
	}
}

/* the Plural-Forms of gettext's manual ("Plural forms"), each with the
 * form for a few n */
static void plural_expressions(void **state)
{
	static const struct {
		const char *expr;
		unsigned long n[6], form[6];
	} cases[] = {
		{"0", {0, 1, 2, 5, 11, 101}, {0, 0, 0, 0, 0, 0}},
		{"n != 1", {0, 1, 2, 5, 11, 101}, {1, 0, 1, 1, 1, 1}},
		{"n>1", {0, 1, 2, 5, 11, 101}, {0, 0, 1, 1, 1, 1}},
		/* Latvian */
		{"n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2", {0, 1, 2, 11, 21, 111}, {2, 0, 1, 1, 0, 1}},
		/* Irish */
		{"n==1 ? 0 : n==2 ? 1 : 2", {0, 1, 2, 3, 11, 101}, {2, 0, 1, 2, 2, 2}},
		/* Russian */
		{"n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2",
		 {1, 2, 5, 11, 22, 112}, {0, 1, 2, 2, 1, 2}},
		/* Polish */
		{"n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2",
		 {1, 2, 5, 12, 22, 25}, {0, 1, 2, 2, 1, 2}},
		/* Slovenian */
		{"n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3",
		 {1, 2, 3, 5, 101, 104}, {0, 1, 2, 3, 0, 2}},
		{"!(n == 1)", {0, 1, 2, 3, 4, 5}, {1, 0, 1, 1, 1, 1}},
		{"n >= 2 ? (n - 2) * 0 + 1 : 0", {0, 1, 2, 3, 4, 5}, {0, 0, 1, 1, 1, 1}},
		/* a division by zero in the branch not taken is no error */
		{"n == 0 ? 0 : 10 / n > 1", {0, 1, 2, 5, 10, 20}, {0, 1, 1, 1, 0, 0}},
	};
	char err[128];
	unsigned long v;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (int k = 0; k < 6; k++) {
			if (po_plural_eval(cases[i].expr, cases[i].n[k], &v, err, sizeof err))
				fail_msg("%s: %s", cases[i].expr, err);
			if (v != cases[i].form[k])
				fail_msg("%s for n=%lu: %lu, wanted %lu", cases[i].expr, cases[i].n[k], v,
					 cases[i].form[k]);
		}
	assert_int_equal(po_plural_eval("n ==", 1, &v, NULL, 0), -1);
	assert_int_equal(po_plural_eval("n = 1", 1, &v, NULL, 0), -1);
	assert_int_equal(po_plural_eval("n ? 1", 1, &v, NULL, 0), -1);
	assert_int_equal(po_plural_eval("m", 1, &v, NULL, 0), -1);
	assert_int_equal(po_plural_eval("", 1, &v, NULL, 0), -1);
	assert_int_equal(po_plural_eval("99999999999999999999999", 1, &v, NULL, 0), -1);
	{
		/* deep nesting is refused, not a stack overflow */
		char deep[2100];
		memset(deep, '(', 1000);
		memcpy(deep + 1000, "n", 1);
		memset(deep + 1001, ')', 1000);
		deep[2001] = '\0';
		assert_int_equal(po_plural_eval(deep, 1, &v, NULL, 0), -1);
	}
}

static void builtin_languages(void **state)
{
	struct req es = {.lang = "es"}, en = {.lang = "en"}, none = {.lang = "zz"};
	char num[32];

	(void)state;
	assert_int_equal(i18n_load(NULL, "es en", num, sizeof num), 0);
	assert_string_equal(i18n_langs[0], "es");
	assert_string_equal(T(&es, MSG_NAV_HOME), "Inicio");
	assert_string_equal(T(&en, MSG_NAV_HOME), "Home");
	assert_string_equal(T(&none, MSG_NAV_HOME), "Inicio");
	assert_string_equal(TN(&es, MSG_RECORDS_FOUND, 1), "{n} registro");
	assert_string_equal(TN(&es, MSG_RECORDS_FOUND, 2), "{n} registros");
	assert_string_equal(TN(&es, MSG_RECORDS_FOUND, 0), "{n} registros");
	assert_string_equal(TN(&en, MSG_RECORDS_FOUND, 1), "{n} record");
	assert_string_equal(TN(&en, MSG_RECORDS_FOUND, 1234), "{n} records");
	i18n_number(&es, 1234, num, sizeof num);
	assert_string_equal(num, "1.234");
	i18n_number(&en, 1234567, num, sizeof num);
	assert_string_equal(num, "1,234,567");
	i18n_number(&en, 999, num, sizeof num);
	assert_string_equal(num, "999");
	i18n_number(&en, 0, num, sizeof num);
	assert_string_equal(num, "0");
	assert_string_equal(i18n_term(&en, "work"), "Work");
	assert_string_equal(i18n_term(&es, "work"), "Obra");
	assert_string_equal(i18n_term(&es, "no-such-value"), "no-such-value");
	assert_string_equal(i18n_lang_name("en"), "English");
	assert_string_equal(i18n_lang_name("qu"), "Runasimi");
}

static void accept_language(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(NULL, "es en", NULL, 0), 0);
	assert_string_equal(i18n_pick(NULL, NULL, NULL), "es");
	assert_string_equal(i18n_pick(NULL, NULL, "en"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "en-GB"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "EN-us"), "en");
	/* q-values decide, not the order */
	assert_string_equal(i18n_pick(NULL, NULL, "es;q=0.5, en;q=0.9"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "en;q=0.3,es;q=0.4"), "es");
	assert_string_equal(i18n_pick(NULL, NULL, "fr-FR,fr;q=0.9,en;q=0.8,es;q=0.7"), "en");
	/* equal q: the first listed */
	assert_string_equal(i18n_pick(NULL, NULL, "en;q=0.5,es;q=0.5"), "en");
	/* q=0 is "not acceptable" */
	assert_string_equal(i18n_pick(NULL, NULL, "en;q=0"), "es");
	assert_string_equal(i18n_pick(NULL, NULL, "de, *;q=0.1"), "es");
	/* a malformed q is ignored, the rest still counts */
	assert_string_equal(i18n_pick(NULL, NULL, "es;q=2, en;q=0.1"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "es;level=1, en;q=0.1"), "en");
	/* the argument, then the cookie, before the header */
	assert_string_equal(i18n_pick("en", NULL, "es"), "en");
	assert_string_equal(i18n_pick(NULL, "a=1; lang=en", "es"), "en");
	assert_string_equal(i18n_pick("xx", "lang=en", NULL), "en");
	assert_string_equal(i18n_pick(NULL, "xlang=en", NULL), "es");
	assert_string_equal(i18n_pick(NULL, "lang=zz", "en"), "en");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* a language added as ARCHIVE/po/LANG.po, one overriding a built-in
 * string, a default language from the settings, and a broken file */
static void archive_languages(void **state)
{
	char dir[] = "/tmp/cinemateca-po-XXXXXX", path[256], err[512];
	struct req qu = {.lang = "qu"}, es = {.lang = "es"}, en = {.lang = "en"};
	struct buf out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/po", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/po/qu.po", dir);
	write_file(path, "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		   "\"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n"
		   "msgctxt \"LANG_NAME\"\nmsgid \"Español\"\nmsgstr \"Runasimi\"\n\n"
		   "msgctxt \"NAV_HOME\"\nmsgid \"Inicio\"\nmsgstr \"Qallariy\"\n\n"
		   "msgctxt \"NAV_TIMELINE\"\nmsgid \"Cronología\"\nmsgstr \"\"\n\n"
		   "msgctxt \"RECORDS_FOUND\"\nmsgid \"{n} registro\"\nmsgid_plural \"{n} registros\"\n"
		   "msgstr[0] \"{n} qillqa\"\n");
	snprintf(path, sizeof path, "%s/po/en.po", dir);
	write_file(path, "msgctxt \"NAV_HOME\"\nmsgid \"Inicio\"\nmsgstr \"Start\"\n");
	assert_int_equal(i18n_load(dir, "en es", err, sizeof err), 0);
	assert_string_equal(i18n_langs[0], "en");
	assert_string_equal(i18n_langs[1], "es");
	assert_string_equal(i18n_langs[2], "qu");
	assert_null(i18n_langs[3]);
	assert_string_equal(T(&qu, MSG_NAV_HOME), "Qallariy");
	/* untranslated (empty msgstr) and missing: the default language, here en */
	assert_string_equal(T(&qu, MSG_NAV_TIMELINE), "Timeline");
	assert_string_equal(T(&qu, MSG_NAV_BROWSE), "Browse");
	assert_string_equal(TN(&qu, MSG_RECORDS_FOUND, 5), "{n} qillqa");
	/* the archive's en.po wins key by key; the rest stays built in */
	assert_string_equal(T(&en, MSG_NAV_HOME), "Start");
	assert_string_equal(T(&en, MSG_NAV_BROWSE), "Browse");
	assert_string_equal(T(&es, MSG_NAV_HOME), "Inicio");
	assert_string_equal(i18n_lang_name("qu"), "Runasimi");
	assert_string_equal(i18n_pick(NULL, NULL, "qu-BO, es;q=0.5"), "qu");
	buf_init(&out, 1 << 20);
	assert_true(i18n_check(&out) > 0);
	assert_non_null(strstr(buf_str(&out), "qu: NAV_TIMELINE untranslated"));
	assert_non_null(strstr(buf_str(&out), "qu: NAV_BROWSE untranslated"));
	assert_null(strstr(buf_str(&out), "qu: RECORDS_FOUND"));
	assert_null(strstr(buf_str(&out), "qu: NAV_HOME"));
	assert_null(strstr(buf_str(&out), "en: NAV_HOME"));
	assert_non_null(strstr(buf_str(&out), "en: complete"));
	buf_free(&out);

	/* a broken file: refused with file:line, the built-in languages stay */
	write_file(path, "msgctxt \"NAV_HOME\"\nmsgid \"Inicio\"\nmsgstr \"bad \\e\"\n");
	assert_int_equal(i18n_load(dir, "es en", err, sizeof err), -1);
	assert_non_null(strstr(err, "/po/en.po:3: invalid escape \\e"));
	assert_string_equal(T(&en, MSG_NAV_HOME), "Home");
	assert_null(i18n_known("qu", 2));

	snprintf(path, sizeof path, "%s/po/qu.po", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/po/en.po", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/po", dir);
	rmdir(path);
	rmdir(dir);
	assert_int_equal(i18n_load(NULL, "es en", err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_entries),
		cmocka_unit_test(refuses_with_line),
		cmocka_unit_test(plural_expressions),
		cmocka_unit_test(builtin_languages),
		cmocka_unit_test(accept_language),
		cmocka_unit_test(archive_languages),
	};
	return cmocka_run_group_tests_name("po", tests, NULL, NULL);
}
