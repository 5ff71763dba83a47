/* labels.h: Local Contexts TK and BC Labels and Notices: the published
 * types, the reading of a Local Contexts Hub project's JSON (API v2), and
 * writing a project's labels onto a record. The archive keeps its labels
 * itself (db/label_q.h) and never needs the Hub. */
#ifndef CINEMATECA_LABELS_H
#define CINEMATECA_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/uuid.h"

struct buf;
struct db;
struct json_t;

/* What a tie may bind a label to. */
enum label_restricts {
	LABEL_OPEN,		/* the label asks for care, restricts nothing */
	LABEL_MEMBERS,		/* may be tied to community members or a group */
	LABEL_SEASONAL,		/* may be tied to months of the year */
};

/* One published type. */
struct label_type {
	const char *kind;	/* tk, bc or notice */
	const char *type;	/* the Hub's label_type or notice_type */
	const char *name;	/* its published English name */
	const char *badge;	/* its short mark, shown in place of the icon */
	enum label_restricts restricts;
};

/* labels_types: every published type, ended by a zeroed entry. */
extern const struct label_type labels_types[];

/* labels_type returns the type of this kind, or NULL. */
const struct label_type *labels_type(const char *kind, const char *type);

/* labels_type_list writes the types of one kind, comma-separated, for
 * messages. */
void labels_type_list(const char *kind, struct buf *out);

#define LABELS_HUB_MAX (4 << 20)	/* bytes of a Hub project file */
#define LABELS_MAX 200			/* labels and Notices in one project */
#define LABELS_TRANSLATIONS_MAX 50	/* translations of one label */
#define LABELS_NAME_MAX 200		/* bytes of a label's name or community */
#define LABELS_TEXT_MAX 65536		/* bytes of a label's text */

/* One translation of a label, borrowed from the parsed document. */
struct hub_translation {
	const char *lang, *name, *text;
};

/* One label or Notice of a Hub project, borrowed from the document. */
struct hub_label {
	const char *kind, *type, *name, *text, *lang, *community, *hub_id;
	struct hub_translation *tr;
	size_t ntr;
};

/* A Hub project as read: its id, title and labels. */
struct hub_project {
	struct json_t *doc;		/* the parsed file, owning every text */
	const char *project_id;
	const char *title;		/* "" when the file has none */
	struct hub_label *labels;
	size_t nlabels;
};

/* labels_read_hub parses a Hub API v2 project (GET /api/v2/projects/ID/:
 * an object with unique_id, title, tk_labels, bc_labels and notice, or
 * that object alone inside {"data": [...]}). Strict on what it reads: a
 * null, a wrong JSON type, a type the Local Contexts list does not have,
 * an oversized text or file is refused, every problem on its own line in
 * errors ("NAME: tk_labels[2].label_type: ..."). Members it does not read
 * (img_url, audiofile, created_by...) are left alone. Returns 0 with *out
 * filled (free with labels_hub_free), ERR_INVALID with the reasons, or
 * ERR_NOMEM. */
int labels_read_hub(const char *text, size_t len, const char *name, struct hub_project *out,
		    struct buf *errors);

/* labels_hub_free releases what labels_read_hub made; a zeroed project is fine. */
void labels_hub_free(struct hub_project *p);

/* labels_apply_hub writes the project's labels onto record_id (or its
 * file file_id), inside the caller's transaction: a label the record
 * already has (same kind, type and community) gets the project's name,
 * text and translations and keeps its tie; the others are added. Labels
 * the file does not name are left alone (removing one is a decision:
 * 'labels remove'). Counts in *added and *updated. Returns 0 or ERR_*. */
int labels_apply_hub(struct db *db, const char *record_id, const char *file_id,
		     const struct hub_project *p, int *added, int *updated);

#endif
