/* test_html.c: the escaping writer and interface language choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "web/html.h"
#include "web/i18n.h"

static void escapes_text_and_attributes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	html_printf(&b, "<p title=\"%s\">%s</p>", "a\"b'c", "<script>alert(1)</script> & co");
	assert_string_equal(buf_str(&b), "<p title=\"a&quot;b&#39;c\">&lt;script&gt;alert(1)"
			    "&lt;/script&gt; &amp; co</p>");
	buf_free(&b);
}

static void formats_numbers_and_urls(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	html_printf(&b, "%d|%ld|%lld|%zu|%%|%u", -3, 7L, 1LL << 40, (size_t)9, "doña helena&x=1");
	assert_string_equal(buf_str(&b), "-3|7|1099511627776|9|%|do%C3%B1a%20helena%26x%3D1");
	buf_reset(&b);
	html_printf(&b, "%p", "/screener/<script>\"x y/ñ");
	assert_string_equal(buf_str(&b), "/screener/%3Cscript%3E%22x%20y/%C3%B1");
	buf_free(&b);
}

static void unknown_conversion_fails(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(html_printf(&b, "%x", 1), ERR_INVALID);
	assert_int_equal(b.err, ERR_INVALID);
	buf_free(&b);
}

static void null_text_is_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	html_printf(&b, "[%s]", (const char *)NULL);
	assert_string_equal(buf_str(&b), "[]");
	buf_free(&b);
}

static void snippets_mark_and_balance(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	html_snippet(&b, "a \x01<b>\x02 c \x01open");
	assert_string_equal(buf_str(&b), "a <mark>&lt;b&gt;</mark> c <mark>open</mark>");
	buf_reset(&b);
	html_snippet(&b, "\x02stray\x02");
	assert_string_equal(buf_str(&b), "stray");
	buf_free(&b);
}

static void paragraphs(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	html_paragraphs(&b, "one\ntwo\n\n<three>");
	assert_string_equal(buf_str(&b), "<p>one<br>two</p><p>&lt;three&gt;</p>");
	buf_free(&b);
}

static void language_choice(void **state)
{
	(void)state;
	assert_string_equal(i18n_pick(NULL, NULL, NULL), "es");
	assert_string_equal(i18n_pick("en", NULL, NULL), "en");
	assert_string_equal(i18n_pick("xx", "lang=en", NULL), "en");
	assert_string_equal(i18n_pick(NULL, "a=1; lang=en; b=2", "es"), "en");
	assert_string_equal(i18n_pick(NULL, "xlang=en", NULL), "es");
	assert_string_equal(i18n_pick(NULL, NULL, "fr-FR,fr;q=0.9,en;q=0.8"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "de"), "es");
	assert_string_equal(i18n_pick("es", "lang=en", "en"), "es");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_text_and_attributes),
		cmocka_unit_test(formats_numbers_and_urls),
		cmocka_unit_test(unknown_conversion_fails),
		cmocka_unit_test(null_text_is_empty),
		cmocka_unit_test(snippets_mark_and_balance),
		cmocka_unit_test(paragraphs),
		cmocka_unit_test(language_choice),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
