/* fuzz_subs.c: libFuzzer target for the WebVTT/SRT reader, which takes
 * files from outside. Checks: no crash or leak; a refusal says why; what
 * it accepts, written back as WebVTT, reads again as the same cues (times,
 * ids, settings, text) and blocks, and that WebVTT written once more is
 * the same bytes; each cue's words (subs_plain, what search and the
 * transcript keep) are valid UTF-8 no longer than the cue. The first byte
 * chooses whether the rest is also read through subs_decode as
 * Windows-1252 (then it must be valid UTF-8 or refused with a reason). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "interop/subs.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void round_trip(const struct cue_list *l)
{
	struct cue_list again;
	struct buf errors, out, out2;

	buf_init(&errors, 1 << 20);
	buf_init(&out, 1 << 25);
	buf_init(&out2, 1 << 25);
	if (subs_write_webvtt(l, &out) != 0)
		goto done;
	if (subs_parse(buf_str(&out), out.len, "again", &again, &errors) != 0 || again.n != l->n ||
	    again.nblocks != l->nblocks)
		abort();
	for (int i = 0; i < l->n; i++)
		if (again.cues[i].start_ms != l->cues[i].start_ms ||
		    again.cues[i].end_ms != l->cues[i].end_ms || !same(again.cues[i].id, l->cues[i].id) ||
		    !same(again.cues[i].settings, l->cues[i].settings) ||
		    strcmp(again.cues[i].text, l->cues[i].text) != 0)
			abort();
	for (int i = 0; i < l->nblocks; i++)
		if (again.blocks[i].kind != l->blocks[i].kind ||
		    again.blocks[i].before != l->blocks[i].before ||
		    strcmp(again.blocks[i].text, l->blocks[i].text) != 0)
			abort();
	if (subs_write_webvtt(&again, &out2) != 0 || out2.len != out.len ||
	    memcmp(out.data, out2.data, out.len) != 0)
		abort();
	subs_free(&again);
done:
	buf_free(&errors);
	buf_free(&out);
	buf_free(&out2);
}

static void check(const char *data, size_t size)
{
	struct cue_list l;
	struct buf errors;

	buf_init(&errors, 1 << 20);
	if (subs_parse(data, size, "fuzz", &l, &errors) == 0) {
		round_trip(&l);
		for (int i = 0; i < l.n; i++) {
			struct buf plain;
			size_t n = strlen(l.cues[i].text);
			buf_init(&plain, SUBS_MAX_TEXT * 2);
			/* only a voice's ": " may add bytes, two per voice tag */
			if (subs_plain(l.cues[i].text, &plain) != 0 || plain.len > n + n / 2 ||
			    !str_utf8_valid(buf_str(&plain), plain.len))
				abort();
			buf_free(&plain);
			if (l.cues[i].start_ms > SUBS_MAX_MS || l.cues[i].end_ms < l.cues[i].start_ms)
				abort();
		}
	} else if (errors.len == 0 && errors.err == 0) {
		abort();
	}
	subs_free(&l);
	buf_free(&errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 0xfe) {
		struct buf utf8, errors;

		buf_init(&utf8, 1 << 22);
		buf_init(&errors, 1 << 16);
		if (subs_decode((const char *)data + 1, size - 1, "WINDOWS-1252", "fuzz", &utf8, &errors) == 0) {
			if (!str_utf8_valid(buf_str(&utf8), utf8.len))
				abort();
			check(buf_str(&utf8), utf8.len);
		} else if (errors.len == 0 && utf8.err == 0) {
			abort();
		}
		buf_free(&utf8);
		buf_free(&errors);
		return 0;
	}
	check((const char *)data, size);
	return 0;
}
