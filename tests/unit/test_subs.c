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
	assert_string_equal(l.cues[0].id, "intro");
	assert_string_equal(l.cues[0].settings, "align:start");
	assert_null(l.cues[1].id);
	assert_int_equal(l.nblocks, 3);
	assert_int_equal(subs_write_webvtt(&l, &out), 0);
	assert_string_equal(buf_str(&out),
		"WEBVTT - Doña Helena\n\nNOTE made by hand\nover two lines\n\n"
		"STYLE\n::cue { color: yellow }\n\n"
		"intro\n00:00:01.000 --> 00:00:04.500 align:start\nDoña Helena, <i>palliri</i>\n\n"
		"00:01:02.250 --> 00:01:05.000\nLínea uno\nLínea dos\n\n"
		"02:00:00.000 --> 02:00:01.000\nAl final\n");
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
		{"1\n00:00:01.000 --> 00:00:02.000\nDot in SRT\n", "f.vtt:2:"},
		{"WEBVTT\n\nid-only\n", "f.vtt:3: a cue needs a timing line"},
		{"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nsee --> here\n", "f.vtt:4: \"-->\" may not appear inside a cue"},
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
	buf_puts(&text, "1\n00:00:01,000 --> 00:00:02,000\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "x-->");	/* 4000 bytes read, 7000 written */
	buf_puts(&text, "\n");
	assert_int_equal(parse(buf_str(&text), &l, &errors), ERR_INVALID);
	assert_non_null(strstr(buf_str(&errors), "f.vtt:2: the cue's text is longer than 4096 bytes"));
	subs_free(&l);
	buf_free(&text);
	buf_free(&errors);
}

/* A block longer than any block may be is refused at its first line, and
 * the reader holds only one block at a time (a file of 16 million lines
 * once took 16 bytes a line). */
static void long_block_refused(void **state)
{
	struct buf text, errors;
	struct cue_list l;

	(void)state;
	buf_init(&text, 1 << 22);
	buf_init(&errors, 1 << 16);
	buf_puts(&text, "WEBVTT\n\nNOTE\n");
	for (int i = 0; i < 70000; i++)
		buf_puts(&text, "x\n");
	buf_puts(&text, "\n00:00:01.000 --> 00:00:02.000\nuno\n");
	assert_int_equal(parse(buf_str(&text), &l, &errors), ERR_INVALID);
	assert_non_null(strstr(buf_str(&errors), "f.vtt:3: a block of more than 65538 lines"));
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

/* ---- cases checked cue by cue -------------------------------------------
 *
 * Each case is a file and either the cues it must give (id, start, end,
 * settings, text; NULL for no id or settings) or the line of the first
 * problem it must be refused with. */

struct want {
	const char *id;
	long long start, end;
	const char *settings, *text;
};

struct sub_case {
	const char *name, *text;
	size_t len;		/* 0: strlen(text) */
	const char *refused;	/* "f.vtt:LINE: ..." expected in the errors, or NULL */
	int n;
	struct want cues[6];
};

static void check_case(const struct sub_case *c)
{
	struct cue_list l, again;
	struct buf e, out;
	int rc;

	buf_init(&e, 1 << 16);
	buf_init(&out, 1 << 16);
	rc = subs_parse(c->text, c->len ? c->len : strlen(c->text), "f.vtt", &l, &e);
	if (c->refused) {
		if (rc != ERR_INVALID || !strstr(buf_str(&e), c->refused))
			fail_msg("%s: wanted it refused with \"%s\", got %d \"%s\"", c->name, c->refused,
				 rc, buf_str(&e));
		goto done;
	}
	if (rc != 0)
		fail_msg("%s: refused: %s", c->name, buf_str(&e));
	if (l.n != c->n)
		fail_msg("%s: %d cues, wanted %d", c->name, l.n, c->n);
	for (int i = 0; i < c->n; i++) {
		const struct want *w = &c->cues[i];
		const struct cue *g = &l.cues[i];
		if (g->start_ms != w->start || g->end_ms != w->end)
			fail_msg("%s: cue %d at %lld-%lld, wanted %lld-%lld", c->name, i, g->start_ms,
				 g->end_ms, w->start, w->end);
		if ((w->id == NULL) != (g->id == NULL) || (w->id && strcmp(w->id, g->id) != 0))
			fail_msg("%s: cue %d id \"%s\", wanted \"%s\"", c->name, i, g->id ? g->id : "(none)",
				 w->id ? w->id : "(none)");
		if ((w->settings == NULL) != (g->settings == NULL) ||
		    (w->settings && strcmp(w->settings, g->settings) != 0))
			fail_msg("%s: cue %d settings \"%s\", wanted \"%s\"", c->name, i,
				 g->settings ? g->settings : "(none)", w->settings ? w->settings : "(none)");
		if (strcmp(w->text, g->text) != 0)
			fail_msg("%s: cue %d text \"%s\", wanted \"%s\"", c->name, i, g->text, w->text);
	}
	/* what is written back reads as the same cues */
	assert_int_equal(subs_write_webvtt(&l, &out), 0);
	buf_reset(&e);
	if (subs_parse(buf_str(&out), out.len, "again", &again, &e) != 0)
		fail_msg("%s: its WebVTT is refused: %s\n%s", c->name, buf_str(&e), buf_str(&out));
	assert_int_equal(again.n, l.n);
	for (int i = 0; i < l.n; i++) {
		assert_int_equal(again.cues[i].start_ms, l.cues[i].start_ms);
		assert_int_equal(again.cues[i].end_ms, l.cues[i].end_ms);
		assert_string_equal(again.cues[i].text, l.cues[i].text);
	}
	subs_free(&again);
done:
	subs_free(&l);
	buf_free(&e);
	buf_free(&out);
}

/* The web-platform-tests WebVTT file-parsing cases
 * (webvtt/parsing/file-parsing in the web-platform-tests repository,
 * under its 3-Clause BSD License; files written here as C strings, some
 * cut to the part a case is about), by name: where
 * the spec's parser gives cues, we give the same; where it silently drops
 * a cue or a block (a time it rejects, a "-->" that is not a timing line,
 * a NUL), we refuse the file naming the first such line. */
static const struct sub_case wpt[] = {
	{"header-timings", "WEBVTT\n00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 1,
	 {{NULL, 0, 1000, NULL, "text"}}},
	{"signature-no-newline", "WEBVTT", 0, "f.vtt: has no cues", 0, {{0}}},
	{"signature-space", "WEBVTT \n\n00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 1,
	 {{NULL, 0, 1000, NULL, "text"}}},
	{"signature-tab", "WEBVTT\t\n\n00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 1,
	 {{NULL, 0, 1000, NULL, "text"}}},
	{"signature-bom", "\xef\xbb\xbfWEBVTT\n\n00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 1,
	 {{NULL, 0, 1000, NULL, "text"}}},
	{"signature-invalid", "WEBVTTX\n\n00:00:00.000 --> 00:00:01.000\ntext\n", 0,
	 "f.vtt:1: \"WEBVTTX\": a WebVTT file starts with a line WEBVTT", 0, {{0}}},
	{"header-garbage", "WEBVTT foobar\nKind: captions\nLanguage: es\n\n00:00:00.000 --> 00:00:01.000\ntext\n",
	 0, NULL, 1, {{NULL, 0, 1000, NULL, "text"}}},
	{"ids", "WEBVTT\n\n leading space\n00:00:00.000 --> 00:00:01.000\ntext1\n\n"
	 "trailing space \n00:00:00.000 --> 00:00:01.000\ntext2\n\n-- >\n00:00:00.000 --> 00:00:01.000\ntext3\n\n"
	 "->\n00:00:00.000 --> 00:00:01.000\ntext4\n\n \n00:00:00.000 --> 00:00:01.000\ntext5", 0, NULL, 5,
	 {{" leading space", 0, 1000, NULL, "text1"}, {"trailing space ", 0, 1000, NULL, "text2"},
	  {"-- >", 0, 1000, NULL, "text3"}, {"->", 0, 1000, NULL, "text4"}, {" ", 0, 1000, NULL, "text5"}}},
	{"newlines", "WEBVTT\r\n\r\ncr\r00:00:00.000 --> 00:00:01.000\rtext1\r\rlf\n00:00:00.000 --> 00:00:01.000\n"
	 "text2\n\ncrlf\r\n00:00:00.000 --> 00:00:01.000\r\ntext3\r\n\r\nlfcr\n\r00:00:00.000 --> 00:00:01.000\ntext4\n",
	 0, "f.vtt:15:", 0, {{0}}},
	{"newlines (a cue after LF CR is a blank line away)", "WEBVTT\r\n\r\ncr\r00:00:00.000 --> 00:00:01.000\rtext1\r\r"
	 "lf\n00:00:00.000 --> 00:00:01.000\ntext2\n\ncrlf\r\n00:00:00.000 --> 00:00:01.000\r\ntext3\r\n", 0, NULL, 3,
	 {{"cr", 0, 1000, NULL, "text1"}, {"lf", 0, 1000, NULL, "text2"}, {"crlf", 0, 1000, NULL, "text3"}}},
	{"whitespace-chars", "WEBVTT\n\nspaces\n   00:00:00.000    -->  00:00:01.000 \n   text1\n\n"
	 "tabs\n\t\t\t00:00:00.000\t\t\t\t-->\t\t00:00:01.000\t\ntext2\n\nform feed\n\f\f\f00:00:00.000\f\f\f\f-->\f\f00:00:01.000\f\n"
	 "text3\n\nvertical tab\n\v\v\v00:00:00.000\v\v\v\v-->\v\v00:00:01.000\v\ntext4\n", 0,
	 "f.vtt:16: \"\v\v\v00:00:00.000", 0, {{0}}},
	{"whitespace-chars (spaces, tabs, form feeds)", "WEBVTT\n\nspaces\n   00:00:00.000    -->  00:00:01.000 \n   text1\n\n"
	 "tabs\n\t\t\t00:00:00.000\t\t\t\t-->\t\t00:00:01.000\t\ntext2\n\nform feed\n\f\f\f00:00:00.000\f\f\f\f-->\f\f00:00:01.000\f\n"
	 "text3\n", 0, NULL, 3,
	 {{"spaces", 0, 1000, NULL, "   text1"}, {"tabs", 0, 1000, NULL, "text2"}, {"form feed", 0, 1000, NULL, "text3"}}},
	{"timings-omitted-hours", "WEBVTT\n\n00:00.000 --> 00:00:01.000\ntext1\n\n00:00:00.000 --> 00:01.000\ntext2\n\n"
	 "00:00.000 --> 00:01.000\ntext3\n", 0, NULL, 3,
	 {{NULL, 0, 1000, NULL, "text1"}, {NULL, 0, 1000, NULL, "text2"}, {NULL, 0, 1000, NULL, "text3"}}},
	{"timings-too-short (one hour digit is fine)", "WEBVTT\n\n0:00:00.000 --> 00:00:01.000\ntext1\n\n"
	 "00:00:00.000 --> 0:00:01.000\ntext2\n", 0, NULL, 2,
	 {{NULL, 0, 1000, NULL, "text1"}, {NULL, 0, 1000, NULL, "text2"}}},
	{"timings-too-short", "WEBVTT\n\n0:00:00.000 --> 00:00:01.000\ntext1\n\n0000:00.000 --> 00:00:01.000\ninvalid\n", 0,
	 "f.vtt:6: \"0000:00.000 --> 00:00:01.000\" is not a timing line", 0, {{0}}},
	{"timings-too-short 00:0:00.000", "WEBVTT\n\n00:0:00.000 --> 00:00:01.000\ninvalid\n", 0,
	 "f.vtt:3: \"00:0:00.000 --> 00:00:01.000\" is not a timing line", 0, {{0}}},
	{"timings-too-short 0:00.000", "WEBVTT\n\n0:05.000 --> 00:00:06.000\ninvalid\n", 0,
	 "f.vtt:3: \"0:05.000 --> 00:00:06.000\" is not a timing line", 0, {{0}}},
	{"timings-too-long 000:00.000", "WEBVTT\n\n000:00.000 --> 00:01.000\ninvalid\n", 0,
	 "f.vtt:3: \"000:00.000 --> 00:01.000\" is not a timing line", 0, {{0}}},
	{"timings-too-long 00:00:00.0000", "WEBVTT\n\n00:00:00.0000 --> 00:00:01.000\ninvalid\n", 0,
	 "f.vtt:3:", 0, {{0}}},
	{"timings-too-long (three hour digits are fine)", "WEBVTT\n\n000:00:00.000 --> 00:00:01.000\ntext1\n\n"
	 "00:00:00.000 --> 000:00:01.000\ntext2\n", 0, NULL, 2,
	 {{NULL, 0, 1000, NULL, "text1"}, {NULL, 0, 1000, NULL, "text2"}}},
	{"timings-too-long", "WEBVTT\n\n000:00:00.000 --> 00:00:01.000\ntext1\n\n00::00:00.000 --> 00:00:01.000\ninvalid\n", 0,
	 "f.vtt:6: \"00::00:00.000 --> 00:00:01.000\" is not a timing line", 0, {{0}}},
	{"timings-negative (the same time twice)", "WEBVTT\n\n00:00:00.000 --> 00:00:00.000\ntext1\n", 0, NULL, 1,
	 {{NULL, 0, 0, NULL, "text1"}}},
	{"timings-negative", "WEBVTT\n\n00:00:00.000 --> 00:00:00.000\ntext1\n\n00:00:01.000 --> 00:00:00.999\ntext2\n", 0,
	 "f.vtt:6: the cue ends before it starts", 0, {{0}}},
	{"stylesheets-newlines", "WEBVTT\n\nSTYLE\n::cue(#foo) {\n    width: 20px;\n} /*\nNOTE hello\n00:00:00.000 -- > 00:00:01.000\n*/\n"
	 ".foo {\n    width: 19px;\n}\n\n.bar {\n    width: 18px;\n}\n\nfoo\n00:00:00.000 --> 00:00:01.000\ntext\n", 0,
	 "f.vtt:14: a cue needs a timing line", 0, {{0}}},
	{"stylesheets-newlines (no block the spec drops)", "WEBVTT\n\nSTYLE\n::cue(#foo) {\n    width: 20px;\n} /*\nNOTE hello\n"
	 "00:00:00.000 -- > 00:00:01.000\n*/\n.foo {\n    width: 19px;\n}\n\nfoo\n00:00:00.000 --> 00:00:01.000\ntext\n\n"
	 "STYLE\n::cue(::bar) {\n    width: 18px;\n}\n\nbar\n00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 2,
	 {{"foo", 0, 1000, NULL, "text"}, {"bar", 0, 1000, NULL, "text"}}},
	{"regions-old", "WEBVTT\n\nREGION: id=foo width=40% lines=3\n\n00:00:00.000 --> 00:00:01.000 region:foo\ntext1\n", 0,
	 "f.vtt:3: a cue needs a timing line", 0, {{0}}},
	{"timings-60", "WEBVTT\n\n00:00:00.000 --> 60:00:01.000\ntext1\n\n60:00:00.000 --> 60:00:01.000\ntext2\n", 0, NULL, 2,
	 {{NULL, 0, 216001000, NULL, "text1"}, {NULL, 216000000, 216001000, NULL, "text2"}}},
	{"timings-60 (60 minutes)", "WEBVTT\n\n00:60:00.000 --> 00:60:01.000\ninvalid\n", 0, "f.vtt:3:", 0, {{0}}},
	{"timings-eof", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000", 0, NULL, 1, {{NULL, 0, 1000, NULL, ""}}},
	{"arrows", "WEBVTT\n\n-->\n00:00:00.000 --> 00:00:01.000\ntext1\n", 0,
	 "f.vtt:3: \"-->\" is not a timing line", 0, {{0}}},
	{"arrows (a cue's text)", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\ntext1\nfoo-->\n", 0,
	 "f.vtt:5: \"-->\" may not appear inside a cue", 0, {{0}}},
	{"nulls", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na\0b\n", 42, "f.vtt:4: a NUL byte", 0, {{0}}},
	{"settings-multiple", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000 align:start line:0% position:10%,line-left size:50%\ntext\n",
	 0, NULL, 1, {{NULL, 0, 1000, "align:start line:0% position:10%,line-left size:50%", "text"}}},
	{"settings-vertical", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000 vertical:rl\ntext\n", 0, NULL, 1,
	 {{NULL, 0, 1000, "vertical:rl", "text"}}},
	{"stylesheets", "WEBVTT\n\nSTYLE\n::cue { color: red; }\n\nSTYLE \n::cue(b) { color: blue; }\n\n"
	 "00:00:00.000 --> 00:00:01.000\ntext\n", 0, NULL, 1, {{NULL, 0, 1000, NULL, "text"}}},
	{"stylesheets (a timing line in one)", "WEBVTT\n\nSTYLE\n::cue { color: red; }\n00:00:00.000 --> 00:00:01.000\ntext\n", 0,
	 "f.vtt:5: a timing line inside a STYLE block: a blank line is missing", 0, {{0}}},
	{"regions-id", "WEBVTT\n\nREGION\nid:fred width:40% lines:3\n\n00:00:00.000 --> 00:00:01.000 region:fred\ntext\n", 0,
	 NULL, 1, {{NULL, 0, 1000, "region:fred", "text"}}},
	{"regions (REGION and a space)", "WEBVTT\n\nREGION \nid:bill\n\n00:00:00.000 --> 00:00:01.000 region:bill\ntext\n", 0,
	 NULL, 1, {{NULL, 0, 1000, "region:bill", "text"}}},
};

static void wpt_file_parsing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof wpt / sizeof wpt[0]; i++)
		check_case(&wpt[i]);
}

/* Today's defects, each a case that the reader before this change got
 * wrong (merged, swallowed, dropped, cut or wrongly refused). */
static const struct sub_case defects[] = {
	{"a missing blank line between WebVTT cues", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nuno\n"
	 "2\n00:00:03.000 --> 00:00:04.000\ndos\n", 0,
	 "f.vtt:7: a timing line inside a cue: a blank line is missing before line 6", 0, {{0}}},
	{"a line of spaces between WebVTT cues", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nuno\n  \n"
	 "00:00:03.000 --> 00:00:04.000\ndos\n", 0, "f.vtt:6: a timing line inside a cue: line 5 holds only spaces", 0, {{0}}},
	{"a missing blank line between SRT cues", "1\n00:00:01,000 --> 00:00:02,000\nuno\n2\n00:00:03,000 --> 00:00:04,000\ndos\n",
	 0, "f.vtt:5: a timing line inside a cue: a blank line is missing before line 4", 0, {{0}}},
	{"a line of spaces between SRT cues is a blank line", "1\n00:00:01,000 --> 00:00:02,000\nuno\n \t\n"
	 "2\n00:00:03,000 --> 00:00:04,000\ndos\n", 0, NULL, 2,
	 {{"1", 1000, 2000, NULL, "uno"}, {"2", 3000, 4000, NULL, "dos"}}},
	{"a cue right after WEBVTT", "WEBVTT\n00:00:01.000 --> 00:00:02.000\nuno\n\n00:00:03.000 --> 00:00:04.000\ndos\n",
	 0, NULL, 2, {{NULL, 1000, 2000, NULL, "uno"}, {NULL, 3000, 4000, NULL, "dos"}}},
	{"a cue right after header lines", "WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\nuno\n", 0,
	 "f.vtt:3: a timing line inside the header: a blank line is missing", 0, {{0}}},
	{"a timing line right after NOTE", "WEBVTT\n\nNOTE\n00:00:01.000 --> 00:00:02.000\nuno\n", 0,
	 "f.vtt:4: a timing line right after \"NOTE\": a blank line is missing before line 4", 0, {{0}}},
	{"a timing line after a NOTE's text", "WEBVTT\n\nNOTE a comment\non two lines\n00:00:01.000 --> 00:00:02.000\nuno\n", 0,
	 "f.vtt:5: a timing line inside a NOTE: a blank line is missing", 0, {{0}}},
	{"ids and settings kept", "WEBVTT\n\n1:intro\n00:00:01.000 --> 00:00:02.000 align:start line:0\nuno\n", 0, NULL, 1,
	 {{"1:intro", 1000, 2000, "align:start line:0", "uno"}}},
	{"NOTE followed by a tab", "WEBVTT\n\nNOTE\tby hand\n\n00:00:01.000 --> 00:00:02.000\nuno\n", 0, NULL, 1,
	 {{NULL, 1000, 2000, NULL, "uno"}}},
	{"STYLE and REGION followed by a space", "WEBVTT\n\nSTYLE \n::cue { color: red }\n\nREGION \nid:r\n\n"
	 "00:00:01.000 --> 00:00:02.000\nuno\n", 0, NULL, 1, {{NULL, 1000, 2000, NULL, "uno"}}},
	{"SRT text with '<' and '&'", "1\n00:00:01,000 --> 00:00:02,000\nI <3 you, 5 < 6 & <i>so</i>\n", 0, NULL, 1,
	 {{"1", 1000, 2000, NULL, "I &lt;3 you, 5 &lt; 6 &amp; <i>so</i>"}}},
	{"99:59:59.999, the latest time", "WEBVTT\n\n99:59:58.000 --> 99:59:59.999\nuno\n", 0, NULL, 1,
	 {{NULL, 359998000, 359999999, NULL, "uno"}}},
	{"a time past 99:59:59.999", "WEBVTT\n\n99999999:59:59.000 --> 99999999:59:59.500\nuno\n", 0,
	 "f.vtt:3: a time later than 99:59:59.999, the latest a cue may have", 0, {{0}}},
	{"an SRT time past 99:59:59.999", "1\n100:00:00,000 --> 100:00:01,000\nuno\n", 0,
	 "f.vtt:2: a time later than 99:59:59.999", 0, {{0}}},
	{"UTF-16 with its byte-order mark", "\xff\xfe" "1\0\n\0", 6, "f.vtt: is UTF-16LE text", 0, {{0}}},
	{"UTF-32 with its byte-order mark", "\xff\xfe\0\0" "1\0\0\0", 8, "f.vtt: is UTF-32LE text", 0, {{0}}},
	{"UTF-16 without a byte-order mark", "1\0\n\0", 4, "it is UTF-16LE text without a byte-order mark", 0, {{0}}},
	{"Windows-1252", "1\n00:00:01,000 --> 00:00:02,000\n\x93" "Comillas\x94 y 5 \x80\n", 0,
	 "f.vtt:3: byte 0x93 is not UTF-8", 0, {{0}}},
};

static void defects_fixed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof defects / sizeof defects[0]; i++)
		check_case(&defects[i]);
}

/* An SRT corpus of shapes found in the wild. */
static const struct sub_case srt[] = {
	{"BOM and CRLF", "\xef\xbb\xbf" "1\r\n00:00:01,000 --> 00:00:02,500\r\nUno\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nDos\r\n\r\n",
	 0, NULL, 2, {{"1", 1000, 2500, NULL, "Uno"}, {"2", 3000, 4000, NULL, "Dos"}}},
	{"no final newline", "1\n00:00:01,000 --> 00:00:02,000\nUno", 0, NULL, 1, {{"1", 1000, 2000, NULL, "Uno"}}},
	{"numbering gaps and no numbers", "3\n00:00:01,000 --> 00:00:02,000\nUno\n\n7\n00:00:03,000 --> 00:00:04,000\nDos\n\n"
	 "00:00:05,000 --> 00:00:06,000\nTres\n", 0, NULL, 3,
	 {{"3", 1000, 2000, NULL, "Uno"}, {"7", 3000, 4000, NULL, "Dos"}, {NULL, 5000, 6000, NULL, "Tres"}}},
	{"tags", "1\n00:00:01,000 --> 00:00:02,000\n<i>Uno</i> <b>dos</b>\n<font color=\"#ffff00\">tres</font>\n", 0, NULL, 1,
	 {{"1", 1000, 2000, NULL, "<i>Uno</i> <b>dos</b>\n<font color=\"#ffff00\">tres</font>"}}},
	{"{\\an8} at the top", "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Arriba\n\n2\n00:00:03,000 --> 00:00:04,000\n{\\an7}Izquierda\n",
	 0, NULL, 2, {{"1", 1000, 2000, "line:0", "Arriba"}, {"2", 3000, 4000, "line:0 align:start", "Izquierda"}}},
	{"{\\an8} alone on its line (found by fuzz_subs)", "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}\nArriba\n", 0, NULL, 1,
	 {{"1", 1000, 2000, "line:0", "Arriba"}}},
	{"an arrow in the text", "1\n00:00:01,000 --> 00:00:02,000\nthis --> that\n", 0, NULL, 1,
	 {{"1", 1000, 2000, NULL, "this --&gt; that"}}},
	{"a tag-like '<' before an arrow (found by fuzz_subs)", "1\n00:00:01,000 --> 00:00:02,000\n<fons --> that\n", 0, NULL, 1,
	 {{"1", 1000, 2000, NULL, "&lt;fons --&gt; that"}}},
	{"blank lines at the end and between", "1\n00:00:01,000 --> 00:00:02,000\nUno\n\n\n\n2\n00:00:03,000 --> 00:00:04,000\nDos\n\n\n",
	 0, NULL, 2, {{"1", 1000, 2000, NULL, "Uno"}, {"2", 3000, 4000, NULL, "Dos"}}},
	{"a dot for the milliseconds", "1\n00:00:01.000 --> 00:00:02.000\nUno\n", 0, "f.vtt:2: \"00:00:01.000 --> 00:00:02.000\" is not a timing line",
	 0, {{0}}},
	{"a number with no timing", "1\nUno\n", 0, "f.vtt:1: a cue needs a timing line", 0, {{0}}},
};

static void srt_corpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof srt / sizeof srt[0]; i++)
		check_case(&srt[i]);
}

/* The whole file written back: header, blocks, ids and settings where
 * they were. */
static void written_back_as_it_was(void **state)
{
	static const char vtt[] =
		"WEBVTT - a title\nKind: captions\n\nREGION\nid:r width:40%\n\nSTYLE\n::cue { color: red }\n\n"
		"NOTE before the first cue\n\n1:intro\n00:00:01.000 --> 00:00:02.000 region:r align:start\n<v Ana>Hola\n\n"
		"NOTE between\n\n00:00:03.000 --> 00:00:04.000\n\nNOTE at the end\n";
	struct cue_list l;
	struct buf e, out;

	(void)state;
	buf_init(&e, 4096);
	buf_init(&out, 4096);
	assert_int_equal(parse(vtt, &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.nblocks, 6);
	assert_int_equal(l.blocks[0].kind, SUBS_HEADER);
	assert_string_equal(l.blocks[0].text, " - a title\nKind: captions");
	assert_int_equal(l.blocks[1].kind, SUBS_REGION);
	assert_int_equal(l.blocks[3].kind, SUBS_NOTE);
	assert_int_equal(l.blocks[4].before, 1);
	assert_int_equal(l.blocks[5].before, 2);
	assert_int_equal(subs_write_webvtt(&l, &out), 0);
	assert_string_equal(buf_str(&out), vtt);
	subs_free(&l);
	buf_free(&e);
	buf_free(&out);
}

/* subs_decode: the encoding the user names, and the advice when it is
 * not the file's. */
static void decode(void **state)
{
	static const char cp1252[] = "1\r\n00:00:01,000 --> 00:00:02,000\r\n\x93" "Comillas\x94 y 5 \x80\r\n";
	struct buf out, e;
	struct cue_list l;

	(void)state;
	buf_init(&out, 1 << 16);
	buf_init(&e, 1 << 16);
	assert_int_equal(subs_decode(cp1252, strlen(cp1252), "windows-1252", "f.srt", &out, &e), 0);
	assert_int_equal(subs_parse(buf_str(&out), out.len, "f.srt", &l, &e), 0);
	assert_string_equal(l.cues[0].text, "\xe2\x80\x9c" "Comillas\xe2\x80\x9d y 5 \xe2\x82\xac");
	subs_free(&l);
	buf_reset(&out);
	assert_int_equal(subs_decode(cp1252, strlen(cp1252), "latin1", "f.srt", &out, &e), ERR_INVALID);
	assert_non_null(strstr(buf_str(&e), "f.srt:3: read as latin1, byte 0x93 is the control character U+0093"));
	buf_reset(&out);
	buf_reset(&e);
	assert_int_equal(subs_decode("x", 1, "no-such-encoding", "f.srt", &out, &e), ERR_INVALID);
	assert_non_null(strstr(buf_str(&e), "\"no-such-encoding\" is not an encoding"));
	buf_reset(&out);
	buf_reset(&e);
	/* UTF-16 with its mark, as the advice for it says */
	assert_int_equal(subs_decode("\xff\xfe" "1\0\n\0", 6, "UTF-16", "f.srt", &out, &e), 0);
	assert_string_equal(buf_str(&out), "1\n");
	buf_reset(&out);
	assert_int_equal(subs_decode("\xc3(", 2, "UTF-8", "f.srt", &out, &e), ERR_INVALID);
	assert_non_null(strstr(buf_str(&e), "f.srt:1: byte 0xC3 is not UTF-8 text"));
	buf_free(&out);
	buf_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(webvtt),
		cmocka_unit_test(srt_converts),
		cmocka_unit_test(errors_name_their_lines),
		cmocka_unit_test(plain_words),
		cmocka_unit_test(limit_holds_when_written),
		cmocka_unit_test(wpt_file_parsing),
		cmocka_unit_test(defects_fixed),
		cmocka_unit_test(srt_corpus),
		cmocka_unit_test(written_back_as_it_was),
		cmocka_unit_test(decode),
		cmocka_unit_test(long_block_refused),
	};
	return cmocka_run_group_tests_name("subs", tests, NULL, NULL);
}
