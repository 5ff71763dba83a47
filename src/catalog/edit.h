/* edit.h: the record editor's model. A record is shown as the fields of a
 * web form, read from the record's export (docs/import-format.md), and
 * written back through import_json(), which validates it: the editor has
 * no rules of its own. The form's values are laid over the record's
 * current export, so whatever the form does not show (manifestations,
 * forms, descriptions in other languages, titles past the form's rows)
 * is saved unchanged, and the validator's messages are mapped back to the
 * fields they name. page_edit.c draws the form. */
#ifndef CINEMATECA_EDIT_H
#define CINEMATECA_EDIT_H

#include <stdbool.h>

#include "core/str.h"
#include "core/uuid.h"

struct db;
struct json_t;

#define EDIT_MIN_TITLE_ROWS 4	/* the main title and three more */
#define EDIT_TITLE_ROWS 12	/* most title rows shown; later titles are kept as they are */
#define EDIT_MAX_ERRORS 64	/* messages kept; the rest are counted */
#define EDIT_FORM_BUDGET (48u << 10)	/* urlencoded bytes the form's values may take, so
					 * that a submission stays under REQ_BODY_IN_MAX */

/* The form's fields. Duration is in seconds, as the catalogue keeps it. */
enum edit_field {
	EF_SLUG, EF_DATE, EF_DATE_END, EF_DESC_ES, EF_DESC_EN, EF_SOURCE,
	EF_ACCESS, EF_EMBARGO,
	EF_ORIGINAL_LANGUAGE, EF_COUNTRY, EF_DURATION,	/* works (country: places too) */
	EF_DOC_TYPE, EF_PAGES, EF_TEXT,			/* documents */
	EF_KIND,					/* agents */
	EF_LAT, EF_LON,					/* places */
	EF_CREDITS,					/* works and documents */
	EF_RELATIONS,
	EF_TITLE0,	/* then text, lang and kind of each of EDIT_TITLE_ROWS rows */
	EF_COUNT = EF_TITLE0 + 3 * EDIT_TITLE_ROWS
};
#define EF_TITLE_TEXT(row) ((enum edit_field)(EF_TITLE0 + 3 * (row)))
#define EF_TITLE_LANG(row) ((enum edit_field)(EF_TITLE0 + 3 * (row) + 1))
#define EF_TITLE_KIND(row) ((enum edit_field)(EF_TITLE0 + 3 * (row) + 2))

/* Vocabularies the form offers, NULL-terminated, in the order shown. */
extern const char *const edit_types[];		/* record types */
extern const char *const edit_levels[];		/* access levels */
extern const char *const edit_title_kinds[];
extern const char *const edit_doc_types[];
extern const char *const edit_agent_kinds[];

/* One problem the validator found. */
struct edit_error {
	int field;	/* the enum edit_field it names, or -1 for none the form shows */
	int line;	/* for credits and relations, the line of the text (from 1); else 0 */
	char *text;	/* the validator's reason, in English (owned) */
};

/* A record being edited. Zero it (or edit_init) before use; edit_free. */
struct edit {
	char type[16];			/* the record's type */
	char id[UUID_STR_LEN + 1];	/* its id (made when a new record is saved) */
	char slug[SLUG_MAX + 1];	/* the slug it has; after edit_save, the one it got */
	bool is_new;			/* not in the archive yet */
	bool changed;			/* edit_save wrote something */
	int rows;			/* title rows to show */
	char *val[EF_COUNT];		/* each field's text (owned), NULL when empty */
	bool set[EF_COUNT];		/* given by the request: the record's value does not apply */
	bool kept[EF_COUNT];		/* too long to send back in a form: not shown, saved as it is */
	struct edit_error errors[EDIT_MAX_ERRORS];
	int nerrors;
	int more_errors;		/* problems past EDIT_MAX_ERRORS */
	struct json_t *base;		/* the record as exported (owned) */
};

/* edit_field_name returns the form's name of field f ("date",
 * "title2_lang"); a static string. */
const char *edit_field_name(enum edit_field f);

/* edit_field_applies reports whether records of type have field f (title
 * rows: every type). */
bool edit_field_applies(const char *type, enum edit_field f);

/* edit_field_multiline reports whether f is edited as several lines. */
bool edit_field_multiline(enum edit_field f);

/* edit_type_valid reports whether type is one of edit_types. */
bool edit_type_valid(const char *type);

/* edit_value returns field f's text, "" when empty. */
const char *edit_value(const struct edit *e, enum edit_field f);

/* edit_set gives field f the value the request sent: newlines become \n,
 * a one-line field loses surrounding blanks, a text of blanks only is
 * empty. Returns 0 or ERR_NOMEM. */
int edit_set(struct edit *e, enum edit_field f, const char *value);

/* edit_load reads the record with this slug (type NULL: any; else it must
 * be of that type) or, when slug is NULL, starts a new record of type, and
 * fills every field the request has not set. Reads through db->principal.
 * Returns 0, ERR_NOTFOUND (no such record, or an unknown type), ERR_NOMEM
 * or ERR_DB. */
int edit_load(struct edit *e, struct db *db, const char *type, const char *slug);

/* edit_save writes the record, in one transaction: it loads it again
 * (edit_load, so fields the request did not set keep the archive's
 * values), lays the form's values over its export, imports the result and,
 * when something changed, adds an entry to the audit log in actor's name.
 * Returns 0 (e->slug and e->id name the record, e->changed says whether
 * anything was written), ERR_INVALID (nothing written; e->errors says
 * why), ERR_NOTFOUND, ERR_BUSY or another ERR_*. */
int edit_save(struct edit *e, struct db *db, const char *type, const char *slug,
	      const char *actor);

/* edit_free releases what the edit owns and zeroes it. */
void edit_free(struct edit *e);

#endif
