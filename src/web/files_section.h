/* files_section.h: the "Archivos / Files" section of a record's page: the
 * record's live files with their technical metadata, derivatives under
 * their source, and each file's preservation events. */
#ifndef CINEMATECA_FILES_SECTION_H
#define CINEMATECA_FILES_SECTION_H

struct req;

/* files_section writes the section into rq->body, or nothing when the
 * record has no live file. The caller has already decided that rq's
 * principal may read the record (page_record answers 404 otherwise): every
 * live file of the record is listed, each with a link to its bytes
 * (/media/FILE-ID, which asks the policy again).
 * Failures are the buffer's sticky error (or, for a failed query, a
 * section cut short), as for the rest of the page. */
void files_section(struct req *rq, const char *record_id);

#endif
