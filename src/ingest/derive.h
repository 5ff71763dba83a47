/* derive.h: derivatives made with the ffmpeg (and pdftoppm) programs:
 * an H.264/AAC MP4 access copy with its index at the front, a poster
 * frame, a contact sheet of frames through the film, and a first-page
 * image of PDFs. Jobs are queued in the catalogue when a file is ingested
 * and run afterwards; a job interrupted by a crash is simply run again.
 * Each derivative is stored as an object and recorded as a file of the
 * same record, derived from its source, with a "creation" event. */
#ifndef CINEMATECA_DERIVE_H
#define CINEMATECA_DERIVE_H

#include <stdbool.h>

struct db;
struct store;

/* A contact sheet is one image of DERIVE_SHEET_COLS x DERIVE_SHEET_ROWS
 * = n frames, left to right then top to bottom. ffmpeg's fps filter keeps,
 * for output frame k, the last input frame before (k + 0.5) * duration / n,
 * so that is where frame k stands in the film. */
#define DERIVE_SHEET_COLS 4
#define DERIVE_SHEET_ROWS 3

/* derive_plan queues the derivatives that suit a newly ingested file
 * (by its mime type and role: video masters, mezzanines and access files
 * get all three video derivatives; PDFs a page image). Returns the number
 * of jobs queued or a negative ERR_*. */
int derive_plan(struct db *db, const char *file_id, const char *mime, const char *role);

/* One line about one job ("derived KIND HASH NAME", or why it failed:
 * problem true), for the person running it. */
typedef void (*derive_say_fn)(void *arg, bool problem, const char *line);

/* derive_run runs pending jobs until none is left (or max_jobs have run
 * when > 0), saying one line per job through say (NULL: silent). Returns
 * the number of jobs that failed, or a negative ERR_*. */
int derive_run(struct db *db, struct store *s, const char *agent, int max_jobs,
	       derive_say_fn say, void *arg);

#endif
