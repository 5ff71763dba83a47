/* i18n.c: interface strings (see i18n.h). */
#include "i18n.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "http/req.h"

const char *const i18n_langs[] = {"es", "en", NULL};

static const char *const msgs[MSG_COUNT][2] = {
#define MSG(key, es, en) [MSG_##key] = {es, en},
#include "i18n.def"
#undef MSG
};

static const struct {
	const char *key, *text[2];
} terms[] = {
#define TERM(key, es, en) {key, {es, en}},
#include "i18n.def"
#undef TERM
};

static int lang_index(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? 1 : 0;
}

static const char *known(const char *s, size_t n)
{
	for (int i = 0; i18n_langs[i]; i++)
		if (strlen(i18n_langs[i]) == n && strncmp(s, i18n_langs[i], n) == 0)
			return i18n_langs[i];
	return NULL;
}

/* cookie_lang finds lang=xx among the cookies. */
static const char *cookie_lang(const char *cookie)
{
	for (const char *p = cookie; p && (p = strstr(p, "lang=")); p += 5) {
		if (p == cookie || p[-1] == ' ' || p[-1] == ';') {
			const char *v = p + 5;
			size_t n = strcspn(v, "; ");
			return known(v, n);
		}
	}
	return NULL;
}

const char *i18n_pick(const char *arg, const char *cookie, const char *accept_language)
{
	const char *l, *p;

	if (arg && (l = known(arg, strlen(arg))))
		return l;
	if ((l = cookie_lang(cookie)))
		return l;
	/* Accept-Language: take the first listed language we have (browsers
	 * list them best first; q-values are rarely out of order). */
	for (p = accept_language; p && *p;) {
		size_t n;
		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, "-;, ");
		if ((l = known(p, n)))
			return l;
		p += strcspn(p, ",");
	}
	return i18n_langs[0];
}

const char *T(const struct req *rq, enum msg m)
{
	return msgs[m][lang_index(rq->lang)];
}

const char *i18n_term(const struct req *rq, const char *value)
{
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(terms[i].key, value) == 0)
			return terms[i].text[lang_index(rq->lang)];
	return value;
}

const char *i18n_plural(const struct req *rq, const char *type)
{
	char key[24];
	int n = snprintf(key, sizeof key, "%ss", type);

	if (n < 0 || (size_t)n >= sizeof key)
		return type;
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(terms[i].key, key) == 0)
			return terms[i].text[lang_index(rq->lang)];
	return type;
}

const char *i18n_lang_name(const char *code)
{
	/* each language in its own words, as language menus show them */
	static const struct {
		const char *code, *name;
	} names[] = {
		{"es", "Español"}, {"en", "English"}, {"qu", "Runasimi"}, {"ay", "Aymar aru"},
		{"gn", "Avañe'ẽ"}, {"pt", "Português"}, {"fr", "Français"}, {"de", "Deutsch"},
		{"it", "Italiano"},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].code, code) == 0)
			return names[i].name;
	return code;
}
