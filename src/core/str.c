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

/* fold maps a code point of the Latin-1 Supplement or Latin Extended-A
 * blocks to the ASCII letters it is written with, or NULL. A single
 * letter is written into the caller's one[2], so that server threads
 * slugifying at once share no buffer. */
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
	/* Latin Extended-A, U+0100..U+017F, in pairs of upper/lower case. */
	static const char ext_a[] =
		"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii"
		"jjjjkkklllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f && cp - 0x100 < sizeof ext_a - 1) {
		if (cp == 0x132 || cp == 0x133)
			return "ij";
		if (cp == 0x152 || cp == 0x153)
			return "oe";
		one[0] = ext_a[cp - 0x100];
		one[1] = '\0';
		return one;
	}
	return NULL;
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
			if ((cp & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
				cp = ((cp & 0x1f) << 6) | (p[1] & 0x3f);
				len = 2;
			} else {
				/* beyond Latin: treat as a separator */
				len = 1;
				while ((p[len] & 0xc0) == 0x80)
					len++;
				cp = 0;
			}
			ascii = fold(cp, one);
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
