/* subs.h: subtitles and transcripts in, WebVTT out. Reads WebVTT (after
 * the W3C WebVTT file parsing algorithm) and SRT, told apart by their
 * first line; keeps what the file says (cue identifiers, settings, the
 * header, NOTE, STYLE and REGION blocks); refuses, with every problem and
 * its line number, what a player would read differently from what its
 * author meant (a missing blank line, a time the spec does not allow);
 * and writes WebVTT back, so an SRT is stored converted and a WebVTT
 * written again says what it said. */
#ifndef CINEMATECA_SUBS_H
#define CINEMATECA_SUBS_H

#include <stddef.h>

struct buf;

#define SUBS_MAX_CUES 100000
#define SUBS_MAX_TEXT 4096	/* bytes of one cue's text (as written back), id or settings */
#define SUBS_MAX_BLOCK 65536	/* bytes of one header, NOTE, STYLE or REGION block */
#define SUBS_MAX_BLOCKS 10000
/* The latest time a cue may have: 99:59:59.999 (a film of 100 hours; the
 * player's ?t= moments go as far). A later one is refused by name. */
#define SUBS_MAX_MS (100LL * 3600 * 1000 - 1)
#define SUBS_FILE_MAX (16u << 20)	/* bytes of a subtitle file */

struct cue {
	long long start_ms, end_ms;
	char *id;		/* the identifier line as written, or NULL; owned */
	char *settings;		/* the settings after the end time as written
				 * (trimmed), or NULL; owned */
	char *text;		/* WebVTT cue text, lines joined by \n; owned */
};

enum subs_block_kind { SUBS_HEADER, SUBS_NOTE, SUBS_STYLE, SUBS_REGION };

/* A block of the file that is not a cue, kept as written. */
struct subs_block {
	enum subs_block_kind kind;
	int before;		/* the number of cues that come before it */
	char *text;		/* its lines joined by \n; for the header, what
				 * follows "WEBVTT" on its line, then its lines */
};

struct cue_list {
	struct cue *cues;
	int n, cap;
	struct subs_block *blocks;	/* in the order of the file */
	int nblocks, capblocks;
	int srt;		/* the input was SRT */
};

/* subs_block_kind_name: "header", "note", "style" or "region". */
const char *subs_block_kind_name(enum subs_block_kind k);

/* subs_parse reads text (any size; must be UTF-8). Returns 0 with the
 * cues and blocks in out, or ERR_INVALID with one line per problem in
 * errors ("NAME:LINE: reason\n"; an encoding other than UTF-8 is named,
 * with the --encoding to give), or ERR_NOMEM. Free out with subs_free
 * either way. */
int subs_parse(const char *text, size_t len, const char *name, struct cue_list *out,
	       struct buf *errors);

/* subs_decode converts text in encoding (a name iconv knows: windows-1252,
 * latin1, UTF-16...) to UTF-8 in out. Returns 0, or ERR_INVALID with a
 * line in errors naming the line and byte that are not text in that
 * encoding, an unknown encoding, or a C1 control character the
 * conversion made (the file was Windows-1252, not Latin-1); ERR_NOMEM or
 * ERR_TOOBIG from out. */
int subs_decode(const char *text, size_t len, const char *encoding, const char *name,
		struct buf *out, struct buf *errors);

/* subs_write_webvtt writes the cues and blocks as a WebVTT file: the
 * header, then blocks and cues in their order, ids and settings as they
 * were. Returns 0 or ERR_*. */
int subs_write_webvtt(const struct cue_list *l, struct buf *out);

/* subs_plain appends a cue's text as words to read and search: tags
 * (<i>, <b>, <c.x>, <font ...>, timestamps) dropped, a voice <v Name>
 * written "Name: ", character references (&amp; &lt; &nbsp; ...)
 * decoded. Returns out's error. */
int subs_plain(const char *text, struct buf *out);

void subs_free(struct cue_list *l);

#endif
