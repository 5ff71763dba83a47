/* probe.h: technical metadata read from the media itself with
 * libavformat: container, duration, streams (codec, resolution, frame
 * rate, sample rate, channels, bit rate), and for still images their size. */
#ifndef CINEMATECA_PROBE_H
#define CINEMATECA_PROBE_H

/* probe_file examines the file at path. Returns 0 with *techmd a JSON
 * object as text (caller frees) and mime filled (at most 63 bytes + NUL;
 * "application/octet-stream" when unknown), or ERR_INVALID when the file
 * is not media libavformat reads (then *techmd is NULL and mime is guessed
 * from the bytes: PDF, plain text, WebVTT, SRT...), or ERR_IO. Never
 * crashes on malformed input. */
int probe_file(const char *path, char **techmd, char mime[64]);

#endif
