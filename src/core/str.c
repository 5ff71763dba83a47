/* str.c: string helpers (see str.h). */
#include "str.h"

#include <stdio.h>
#include <string.h>

bool str_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		size_t len;
		unsigned cp, min;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if ((size_t)(end - p) < len)
			return false;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += len;
	}
	return true;
}

size_t str_utf8_prefix(const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1);

	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

bool str_slug_valid(const char *s)
{
	size_t n = strlen(s);
	char prev = '-';

	if (n == 0 || n > SLUG_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-') {
			if (prev == '-')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			return false;
		}
		prev = c;
	}
	return prev != '-';
}

/* fold maps a Latin code point to the ASCII letters it is written with,
 * or NULL: the Latin-1 Supplement, Latin Extended-A, the letters of
 * Latin Extended-B that languages write today (Pinyin ǎ, Romanian ș ț,
 * Vietnamese ơ ư, Azerbaijani ə) and Latin Extended Additional (Vietnamese
 * ấ ệ, Welsh ŵ ẁ, dotted letters of transliterations). A single letter is
 * written into the caller's one[2], so that server threads slugifying at
 * once share no buffer. Kept here rather than asked of iconv's
 * //TRANSLIT, whose answer depends on the process's locale (in the C
 * locale it gives "?"): a made slug must be the same on every machine,
 * since imports match records by it. */
static const char *fold(unsigned cp, char one[2])
{
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", /* C0-C7 */
		"e", "e", "e", "e", "i", "i", "i", "i", /* C8-CF */
		"d", "n", "o", "o", "o", "o", "o", NULL, /* D0-D7 */
		"o", "u", "u", "u", "u", "y", "th", "ss", /* D8-DF */
		"a", "a", "a", "a", "a", "a", "ae", "c", /* E0-E7 */
		"e", "e", "e", "e", "i", "i", "i", "i", /* E8-EF */
		"d", "n", "o", "o", "o", "o", "o", NULL, /* F0-F7 */
		"o", "u", "u", "u", "u", "y", "th", "y", /* F8-FF */
	};
	/* Latin Extended-A, U+0100..U+017F, one letter per code point (IJ and
	 * OE are spelt out below). */
	static const char ext_a[] =
		"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii"
		"jjjjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
	_Static_assert(sizeof ext_a - 1 == 0x80, "ext_a has a letter for each of U+0100..U+017F");
	/* Latin Extended Additional, U+1E00..U+1E95 in pairs of upper/lower
	 * case, then U+1E96..U+1E9D one by one. */
	static const char add_pairs[] =
		"abbbcdddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrssssstttt"
		"uuuuuvvwwwwwxxyzzz";
	static const char add_single[] = "htwyasss";
	/* U+1EA0..U+1EFF, Vietnamese vowels then Middle Welsh: runs of one letter */
	static const struct { unsigned last; char c; } viet[] = {
		{0x1eb7, 'a'}, {0x1ec7, 'e'}, {0x1ecb, 'i'}, {0x1ee3, 'o'}, {0x1ef1, 'u'},
		{0x1ef9, 'y'}, {0x1efb, 'l'}, {0x1efd, 'v'}, {0x1eff, 'y'},
	};
	char c = 0;

	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		if (cp == 0x132 || cp == 0x133)
			return "ij";
		if (cp == 0x152 || cp == 0x153)
			return "oe";
		c = ext_a[cp - 0x100];
	} else if (cp >= 0x1cd && cp <= 0x1dc) {
		c = "aaiioouuuuuuuuuu"[cp - 0x1cd];	/* ǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜ */
	} else if (cp == 0x218 || cp == 0x219) {
		c = 's';
	} else if (cp == 0x21a || cp == 0x21b) {
		c = 't';
	} else if (cp == 0x1a0 || cp == 0x1a1) {
		c = 'o';
	} else if (cp == 0x1af || cp == 0x1b0) {
		c = 'u';
	} else if (cp == 0x18f || cp == 0x259) {
		c = 'e';
	} else if (cp == 0x180 || cp == 0x181) {
		c = 'b';
	} else if (cp == 0x192) {
		c = 'f';
	} else if (cp >= 0x1e00 && cp <= 0x1e95) {
		c = add_pairs[(cp - 0x1e00) / 2];
	} else if (cp >= 0x1e96 && cp <= 0x1e9d) {
		c = add_single[cp - 0x1e96];
	} else if (cp == 0x1e9e) {
		return "ss";
	} else if (cp >= 0x1ea0 && cp <= 0x1eff) {
		for (size_t i = 0; i < sizeof viet / sizeof viet[0] && !c; i++)
			if (cp <= viet[i].last)
				c = viet[i].c;
	}
	if (!c)
		return NULL;
	one[0] = c;
	one[1] = '\0';
	return one;
}

/* decode reads one UTF-8 sequence at p into *cp and returns its length;
 * a malformed one is one byte with *cp 0. */
static size_t decode(const unsigned char *p, unsigned *cp)
{
	size_t len = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 :
		     (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	unsigned v = p[0] & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);

	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			len = 0;
			break;
		}
		v = (v << 6) | (p[i] & 0x3f);
	}
	*cp = len ? v : 0;
	return len ? len : 1;
}

size_t str_slugify(const char *text, char *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = 0, last_word_end = 0;
	bool pending_hyphen = false;

	while (*p) {
		unsigned cp = *p;
		size_t len = 1;
		const char *ascii = NULL;
		char lower[2] = {0, 0}, one[2];

		if (cp >= 0x80) {
			len = decode(p, &cp);
			if (cp >= 0x300 && cp <= 0x36f) {
				p += len;	/* a combining accent (n + ◌̃): part of its letter */
				continue;
			}
			ascii = fold(cp, one);	/* beyond Latin: a separator */
		} else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			lower[0] = (char)cp;
			ascii = lower;
		} else if (cp >= 'A' && cp <= 'Z') {
			lower[0] = (char)(cp - 'A' + 'a');
			ascii = lower;
		}
		p += len;
		if (!ascii) {
			pending_hyphen = n > 0;
			continue;
		}
		size_t alen = strlen(ascii);
		if (n + (pending_hyphen ? 1 : 0) + alen > SLUG_MAX)
			break;
		if (pending_hyphen) {
			last_word_end = n;
			out[n++] = '-';
			pending_hyphen = false;
		}
		memcpy(out + n, ascii, alen);
		n += alen;
	}
	/* cut inside a word: back up to the last whole word when there is one */
	if (*p && last_word_end > 0)
		n = last_word_end;
	out[n] = '\0';
	return n;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool str_date_valid(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = strlen(s);
	int y, m, d;

	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!digits(s, 4))
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (n == 4)
		return true;
	if (s[4] != '-' || !digits(s + 5, 2))
		return false;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (m < 1 || m > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool str_lang_valid(const char *s)
{
	size_t i = 0, run = 0;

	while (alpha(s[i]))
		i++;
	if (i < 2 || i > 3)
		return false;
	while (s[i] == '-') {
		i++;
		run = 0;
		while (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9')) {
			i++;
			run++;
		}
		if (run < 1 || run > 8)
			return false;
	}
	return s[i] == '\0' && i <= 35;
}

bool str_parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool str_eq_nocase(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

int str_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void str_clock(long long ms, char out[16])
{
	long long s = ms > 0 ? ms / 1000 : 0;

	if (s >= 3600)
		snprintf(out, 16, "%lld:%02lld:%02lld", s / 3600 % 100000, s / 60 % 60, s % 60);
	else
		snprintf(out, 16, "%02lld:%02lld", s / 60, s % 60);
}

void str_seconds(char *out, size_t n, long long ms)
{
	int len;

	if (ms % 1000 == 0) {
		snprintf(out, n, "%lld", ms / 1000);
		return;
	}
	len = snprintf(out, n, "%lld.%03lld", ms / 1000, ms % 1000);
	while (len > 0 && (size_t)len < n && out[len - 1] == '0')
		out[--len] = '\0';
}

long long str_round2(long long n)
{
	long long scale = 1;

	if (n < 0)
		return 0;
	while (n / scale >= 100)
		scale *= 10;
	return (n + scale / 2) / scale * scale;
}
