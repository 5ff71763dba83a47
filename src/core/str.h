/* str.h: small string helpers used across modules: UTF-8 validation,
 * slugs, dates, language tags and number parsing. None allocate except
 * where said. */
#ifndef CINEMATECA_STR_H
#define CINEMATECA_STR_H

#include <stdbool.h>
#include <stddef.h>

#define SLUG_MAX 80

/* str_utf8_valid reports whether s[0..n) is well-formed UTF-8 (no
 * overlongs, no surrogates, nothing past U+10FFFF). */
bool str_utf8_valid(const char *s, size_t n);

/* str_utf8_prefix returns the length of the longest prefix of s that is
 * at most max bytes and does not end inside a UTF-8 sequence. */
size_t str_utf8_prefix(const char *s, size_t max);

/* str_slug_valid reports whether s is a slug: lower-case ASCII letters and
 * digits in runs joined by single hyphens, 1..SLUG_MAX bytes. */
bool str_slug_valid(const char *s);

/* str_slugify writes a slug made from the UTF-8 text into out (at least
 * SLUG_MAX + 1 bytes): Latin letters lose their diacritics (Doña -> dona),
 * everything else not alphanumeric becomes a hyphen, runs collapse, and the
 * result is cut at a word boundary within SLUG_MAX. Returns the length, 0
 * when the text has no usable letter (the caller picks a fallback).
 * Reentrant: it keeps nothing between calls, so threads may call it at once. */
size_t str_slugify(const char *text, char *out);

/* str_date_valid reports whether s is YYYY, YYYY-MM or YYYY-MM-DD with a
 * real month and day (leap years included). */
bool str_date_valid(const char *s);

/* str_lang_valid reports whether s looks like a BCP 47 language tag
 * (2-3 letter primary subtag, optional -subtags of 2-8 alphanumerics). */
bool str_lang_valid(const char *s);

/* str_parse_u64 parses a decimal number with no sign, spaces or junk.
 * Returns false on anything else or on overflow past max. */
bool str_parse_u64(const char *s, unsigned long long max, unsigned long long *out);

/* str_hexval returns the value of a hex digit, or -1. */
int str_hexval(char c);

/* str_seconds writes ms as seconds for a URL, an attribute or a IIIF
 * time: "192" or "192.5", trailing zeros dropped. */
void str_seconds(char *out, size_t n, long long ms);

/* str_round2 is n rounded to two significant digits (870123: 870000),
 * for a total that is an estimate; 0 for a negative n. */
long long str_round2(long long n);

/* str_clock writes a moment of a film as people read it: "03:12" under an
 * hour, "1:03:12" from an hour on (seconds rounded down; negative is 0).
 * out must hold 16 bytes. */
void str_clock(long long ms, char out[16]);

/* str_eq_nocase compares ASCII case-insensitively. */
bool str_eq_nocase(const char *a, const char *b);

#endif
