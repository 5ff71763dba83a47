/* labels_section.h: a record's Local Contexts Labels and Notices on its
 * page: each with its badge (the label's short mark, as text: no outside
 * image), its name and text in the visitor's language when the community
 * gave a translation (else the original, marked with its language), who
 * applied it, and for an archivist whether a restricting label is tied
 * to an access rule. */
#ifndef CINEMATECA_LABELS_SECTION_H
#define CINEMATECA_LABELS_SECTION_H

struct req;

/* labels_section writes the section (nothing when the record has no
 * label the principal may see). */
void labels_section(struct req *rq, const char *record_id);

#endif
