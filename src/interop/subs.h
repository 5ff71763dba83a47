/* subs.h: subtitles and transcripts in, WebVTT out. Reads WebVTT and SRT
 * (told apart by their first lines), reports every problem with its line
 * number, and writes WebVTT (so an SRT is stored converted). */
#ifndef CINEMATECA_SUBS_H
#define CINEMATECA_SUBS_H

#include <stddef.h>

struct buf;

#define SUBS_MAX_CUES 100000
#define SUBS_MAX_TEXT 4096	/* bytes of one cue's text */

struct cue {
	long long start_ms, end_ms;
	char *text;		/* lines joined by \n; owned by the list */
};

struct cue_list {
	struct cue *cues;
	int n, cap;
	int srt;		/* the input was SRT */
};

/* subs_parse reads text (any size; must be UTF-8). Returns 0 with the
 * cues in out, or ERR_INVALID with one line per problem in errors
 * ("NAME:LINE: reason\n"), or ERR_NOMEM. Free out with subs_free either way. */
int subs_parse(const char *text, size_t len, const char *name, struct cue_list *out,
	       struct buf *errors);

/* subs_write_webvtt writes the cues as a WebVTT file. Returns 0 or ERR_*. */
int subs_write_webvtt(const struct cue_list *l, struct buf *out);

/* subs_plain appends a cue's text as words to read and search: tags
 * (<i>, <b>, <c.x>, <font ...>, timestamps) dropped, a voice <v Name>
 * written "Name: ", character references (&amp; &lt; &nbsp; ...)
 * decoded. Returns out's error. */
int subs_plain(const char *text, struct buf *out);

void subs_free(struct cue_list *l);

#endif
