/* i18n.h: interface strings in the visitor's language.
 *
 * The strings are gettext PO files, one per language (po/LANG.po; README,
 * "Translating"). The binary carries the po/ files it was built with, and
 * reads ARCHIVE/po/LANG.po at start, so a community adds a language by
 * adding a file (with no C to touch and no rebuild). A message is keyed by
 * its msgctxt (MSG_KEY in C, made at build time from po/es.po); a
 * catalogue vocabulary word has msgctxt "term" and the stored value as
 * msgid. A string missing in a language falls back to the archive's
 * default language, then to Spanish (the source), never to an empty
 * label. */
#ifndef CINEMATECA_I18N_H
#define CINEMATECA_I18N_H

#include <stddef.h>

struct req;
struct buf;

enum msg {
#define MSG(key, es, en) MSG_##key,
#include "i18n_keys.h"
#include "i18n.def"
#undef MSG
	MSG_COUNT
};

/* i18n_languages lists the interface languages present (NULL-terminated),
 * the default first. Valid until the next i18n_load. */
const char *const *i18n_languages(void);
#define i18n_langs (i18n_languages())

/* i18n_load reads DIR/po/LANG.po (DIR is the archive folder; a folder with no
 * po/ is fine) over the built-in languages, and makes default_lang (from
 * cinemateca.conf's languages; NULL or unknown: "es") the default. A file
 * for a built-in language replaces that language's strings key by key.
 * Returns 0, or -1 with "FILE:LINE: reason" in err (the languages are
 * then the built-in ones). Call before serving threads start: lookups do
 * not lock. */
int i18n_load(const char *dir, const char *default_lang, char *err, size_t errlen);

/* i18n_default returns the default language. */
const char *i18n_default(void);

/* i18n_pick returns the language for a request: a valid ?lang= argument,
 * else the lang cookie, else the best of Accept-Language by q-value
 * (a language range "en-GB" matches "en"; q=0 refuses), else the default.
 * The result is one of i18n_langs. */
const char *i18n_pick(const char *arg, const char *cookie, const char *accept_language);

/* i18n_known returns the language code among i18n_langs equal to lang
 * (its n first bytes), or NULL. */
const char *i18n_known(const char *lang, size_t n);

/* T returns the interface string in the request's language. */
const char *T(const struct req *rq, enum msg m);

/* TN returns the plural form for n of a plural message (msgid_plural),
 * chosen by the language's Plural-Forms; "{n}" in it stands for the
 * number (layout_count writes it formatted). A message that is not plural
 * gives its one form. */
const char *TN(const struct req *rq, enum msg m, unsigned long n);

/* i18n_number formats n for the request's language ("1.234" / "1,234",
 * the separator being the language's NUM_THOUSANDS) into out. */
void i18n_number(const struct req *rq, unsigned long long n, char *out, size_t size);

/* i18n_count writes into out the plural form for n of message m with its
 * "{n}" replaced by n as the language writes it (plain text, for callers
 * that escape it themselves; layout_count writes it into a page). */
void i18n_count(const struct req *rq, enum msg m, unsigned long n, char *out, size_t size);

/* i18n_term returns the word for a catalogue vocabulary value (a record
 * type, role, relation or document type), or the value itself if unknown. */
const char *i18n_term(const struct req *rq, const char *value);

/* i18n_plural returns the plural name of a record type ("Obras" for
 * "work"), or the type itself if unknown. */
const char *i18n_plural(const struct req *rq, const char *type);

/* i18n_lang_name names a language tag in that language ("Español" for
 * "es"): the language's own LANG_NAME when it is an interface language,
 * else a known name, else the tag itself. */
const char *i18n_lang_name(const char *code);

/* i18n_check writes to out, per language, the keys that are missing or
 * untranslated (falling back), the plural messages that are not plural,
 * the keys no program uses, and the strings still in i18n.def. Returns
 * how many problems it found. */
int i18n_check(struct buf *out);

#endif
