/* files_section.h: the "Archivos / Files" section of a record's page: the
 * record's live files with their technical metadata, derivatives under
 * their source, and each file's preservation events. */
#ifndef CINEMATECA_FILES_SECTION_H
#define CINEMATECA_FILES_SECTION_H

#include <stdbool.h>

struct req;

/* One live file of a record that the principal may read, copied out of
 * fq_files_of(): its strings are "" when the column is NULL. */
struct file {
	char *id, *role, *name, *mime, *sha256, *techmd, *derivative, *derived_from;
	long long size;
	bool shown;			/* already printed (as a source or a derivative) */
};

/* A record's files: masters first, then derivatives, oldest first. */
struct files {
	struct file *f;
	int n;
};

/* files_load reads the live files of a record that rq's principal may read
 * (at most 500; the policy decides, through files_q), for files_section
 * and the player. Returns 0, or -1 with nothing loaded. Free with
 * files_free. */
int files_load(struct req *rq, const char *record_id, struct files *out);
void files_free(struct files *fl);

/* files_section writes the section into rq->body, or nothing when the
 * record has no live file: each file with a link to its bytes
 * (/media/FILE-ID, which asks the policy again). Failures are the buffer's
 * sticky error, as for the rest of the page. */
void files_section(struct req *rq, struct files *fl);

#endif
