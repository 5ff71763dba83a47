/* test_subs.c: WebVTT and SRT in, WebVTT out, and the line-numbered
 * errors a person needs to mend a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "interop/subs.h"

static int parse(const char *text, struct cue_list *l, struct buf *errors)
{
	buf_reset(errors);
	return subs_parse(text, strlen(text), "f.vtt", l, errors);
}

static void webvtt(void **state)
{
	static const char vtt[] =
		"\xef\xbb\xbfWEBVTT - Doña Helena\n\nNOTE made by hand\nover two lines\n\n"
		"STYLE\n::cue { color: yellow }\n\n"
		"intro\n00:00:01.000 --> 00:00:04.500 align:start\nDoña Helena, <i>palliri</i>\n\n"
		"01:02.250 --> 01:05.000\nLínea uno\nLínea dos\n\n"
		"02:00:00.000 --> 02:00:01.000\nAl final\n";
	struct cue_list l;
	struct buf e, out;

	(void)state;
	buf_init(&e, 4096);
	buf_init(&out, 4096);
	assert_int_equal(parse(vtt, &l, &e), 0);
	assert_int_equal(l.n, 3);
	assert_false(l.srt);
	assert_int_equal(l.cues[0].start_ms, 1000);
	assert_int_equal(l.cues[0].end_ms, 4500);
	assert_string_equal(l.cues[0].text, "Doña Helena, <i>palliri</i>");
	assert_int_equal(l.cues[1].start_ms, 62250);
	assert_string_equal(l.cues[1].text, "Línea uno\nLínea dos");
	assert_int_equal(l.cues[2].start_ms, 7200000);
	assert_int_equal(subs_write_webvtt(&l, &out), 0);
	assert_non_null(strstr(buf_str(&out), "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n"));
	assert_non_null(strstr(buf_str(&out), "00:01:02.250 --> 00:01:05.000\nLínea uno\nLínea dos\n"));
	subs_free(&l);
	buf_free(&e);
	buf_free(&out);
}

static void srt_converts(void **state)
{
	static const char srt[] =
		"1\r\n00:00:01,000 --> 00:00:02,000\r\nPrimera\r\n\r\n"
		"2\r\n00:00:03,500 --> 00:00:05,250\r\nSegunda --> línea\r\n";
	struct cue_list l, again;
	struct buf e, out;

	(void)state;
	buf_init(&e, 4096);
	buf_init(&out, 4096);
	assert_int_equal(parse(srt, &l, &e), 0);
	assert_true(l.srt);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.cues[1].start_ms, 3500);
	assert_int_equal(l.cues[1].end_ms, 5250);
	assert_int_equal(subs_write_webvtt(&l, &out), 0);
	/* the WebVTT written reads back as the same cues */
	assert_int_equal(parse(buf_str(&out), &again, &e), 0);
	assert_int_equal(again.n, 2);
	assert_int_equal(again.cues[1].end_ms, 5250);
	assert_string_equal(again.cues[1].text, "Segunda --&gt; línea");
	subs_free(&l);
	subs_free(&again);
	buf_free(&e);
	buf_free(&out);
}

static void errors_name_their_lines(void **state)
{
	static const struct { const char *text, *expect; } t[] = {
		{"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n", "f.vtt:3: the cue ends before it starts"},
		{"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nArrow\n", "f.vtt:3: \"00:00:01.000 -> 00:00:02.000\" is not a timing line"},
		{"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nComma\n", "f.vtt:3:"},
		{"WEBVTT\n\n00:61:00.000 --> 00:62:00.000\nMinutes\n", "f.vtt:3:"},
		{"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "f.vtt:3: the cue has no text"},
		{"1\n00:00:01.000 --> 00:00:02.000\nDot in SRT\n", "f.vtt:2:"},
		{"WEBVTT\n\nid-only\n", "f.vtt:3: a cue needs a timing line"},
		{"WEBVTT\n", "f.vtt: has no cues"},
		{"", "f.vtt: has no cues"},
		{"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe\n", "is not UTF-8"},
	};
	struct cue_list l;
	struct buf e;

	(void)state;
	buf_init(&e, 4096);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(parse(t[i].text, &l, &e), ERR_INVALID);
		if (!strstr(buf_str(&e), t[i].expect))
			fail_msg("case %zu: \"%s\" not in \"%s\"", i, t[i].expect, buf_str(&e));
		subs_free(&l);
	}
	assert_int_equal(subs_parse("WEBVTT\n\0", 8, "f.vtt", &l, &e), ERR_INVALID);
	subs_free(&l);
	buf_free(&e);
}

/* A cue's text must fit the limit also as written back: "-->" in the text
 * becomes "--&gt;" (found by fuzz_subs: such a cue was accepted and its
 * own WebVTT then refused). */
static void limit_holds_when_written(void **state)
{
	struct buf text, errors;
	struct cue_list l;

	(void)state;
	buf_init(&text, 1 << 16);
	buf_init(&errors, 1 << 16);
	buf_puts(&text, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "x-->");	/* 4000 bytes read, 7000 written */
	buf_puts(&text, "\n");
	assert_int_equal(parse(buf_str(&text), &l, &errors), ERR_INVALID);
	assert_non_null(strstr(buf_str(&errors), "f.vtt:3: the cue's text is longer than 4096 bytes"));
	subs_free(&l);
	buf_free(&text);
	buf_free(&errors);
}

/* subs_plain: the words of a cue, for the transcript and search */
static void plain_words(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{"plain", "plain"},
		{"<i>tilted</i> and <b>bold</b>", "tilted and bold"},
		{"<v Doña Helena>La mina", "Doña Helena: La mina"},
		{"<v.loud Roberto>¡Fuera!</v>", "Roberto: ¡Fuera!"},
		{"<v>nobody named", "nobody named"},
		{"&amp; &lt;b&gt; &nbsp;x &unknown; &", "& <b> \xc2\xa0x &unknown; &"},
		{"<c.yellow>a</c> <00:00:01.000>b", "a b"},
		{"<font color=\"#fff\">SRT</font>", "SRT"},
		{"two\nlines", "two\nlines"},
		{"unclosed <i", "unclosed "},
		{"", ""},
	};
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 12);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		buf_reset(&b);
		assert_int_equal(subs_plain(t[i].in, &b), 0);
		assert_string_equal(buf_str(&b), t[i].out);
	}
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(webvtt),
		cmocka_unit_test(srt_converts),
		cmocka_unit_test(errors_name_their_lines),
		cmocka_unit_test(plain_words),
		cmocka_unit_test(limit_holds_when_written),
	};
	return cmocka_run_group_tests_name("subs", tests, NULL, NULL);
}
