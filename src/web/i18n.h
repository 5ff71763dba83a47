/* i18n.h: interface strings in the visitor's language (see i18n.def). */
#ifndef CINEMATECA_I18N_H
#define CINEMATECA_I18N_H

struct req;

enum msg {
#define MSG(key, es, en) MSG_##key,
#include "i18n.def"
#undef MSG
	MSG_COUNT
};

/* i18n_langs lists the interface languages, the first being the default. */
extern const char *const i18n_langs[];

/* i18n_pick returns the language for a request: a valid ?lang= argument,
 * else the lang cookie, else the best of Accept-Language, else "es". The
 * result is one of i18n_langs. */
const char *i18n_pick(const char *arg, const char *cookie, const char *accept_language);

/* T returns the interface string in the request's language. */
const char *T(const struct req *rq, enum msg m);

/* i18n_term returns the word for a catalogue vocabulary value (a record
 * type, role, relation or document type), or the value itself if unknown. */
const char *i18n_term(const struct req *rq, const char *value);

/* i18n_plural returns the plural name of a record type ("Obras" for
 * "work"), or the type itself if unknown. */
const char *i18n_plural(const struct req *rq, const char *type);

/* i18n_lang_name names a language tag in that language ("Español" for
 * "es"), or returns the tag itself if unknown. */
const char *i18n_lang_name(const char *code);

#endif
