/* bagit.c: reading and writing the text of a BagIt bag (RFC 8493). Every
 * byte here comes from outside (a lab's delivery, a USB disk), so each
 * line is checked and refused with its number and the reason; nothing is
 * guessed. The paths a manifest names are the dangerous part: a path that
 * climbs out of the bag or is absolute would make an import read or a
 * tool write elsewhere, so bagit_path_check is the one rule for them. */
#include "bagit.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

static const char *const algo_names[BAGIT_NALGO] = {"md5", "sha1", "sha256", "sha512"};
static const size_t algo_hex[BAGIT_NALGO] = {32, 40, 64, 128};

const char *bagit_algo_name(enum bagit_algo a)
{
	return a < BAGIT_NALGO ? algo_names[a] : "?";
}

size_t bagit_algo_hexlen(enum bagit_algo a)
{
	return a < BAGIT_NALGO ? algo_hex[a] : 0;
}

/* next_line finds the line starting at *pos: its start and length without
 * the ending (LF, CRLF or CR), and moves *pos past it. false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **start,
		      size_t *n)
{
	size_t i = *pos;

	if (i >= len)
		return false;
	*start = text + i;
	while (i < len && text[i] != '\n' && text[i] != '\r')
		i++;
	*n = (size_t)(text + i - *start);
	if (i < len && text[i] == '\r')
		i++;
	if (i < len && text[i] == '\n')
		i++;
	*pos = i;
	return true;
}

/* line_check: no NUL and valid UTF-8, within the line cap. */
static int line_check(const char *s, size_t n, int line, char *err, size_t errlen)
{
	if (n > BAGIT_LINE_MAX) {
		snprintf(err, errlen, "line %d: longer than %d bytes", line, BAGIT_LINE_MAX);
		return ERR_INVALID;
	}
	if (memchr(s, '\0', n)) {
		snprintf(err, errlen, "line %d: holds a NUL byte", line);
		return ERR_INVALID;
	}
	if (!str_utf8_valid(s, n)) {
		snprintf(err, errlen, "line %d: not UTF-8 (tag files must be UTF-8)", line);
		return ERR_INVALID;
	}
	return 0;
}

int bagit_path_check(const char *path, char *err, size_t errlen)
{
	size_t n = strlen(path);
	const char *part = path;

	if (n == 0) {
		snprintf(err, errlen, "an empty path");
		return ERR_INVALID;
	}
	if (n > BAGIT_PATH_MAX) {
		snprintf(err, errlen, "a path longer than %d bytes", BAGIT_PATH_MAX);
		return ERR_INVALID;
	}
	if (!str_utf8_valid(path, n)) {
		snprintf(err, errlen, "a path that is not UTF-8");
		return ERR_INVALID;
	}
	if (path[0] == '/') {
		snprintf(err, errlen, "an absolute path (\"%s\"): paths in a bag are relative to it",
			 path);
		return ERR_INVALID;
	}
	for (const char *c = path; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(err, errlen, "a path with a control character");
			return ERR_INVALID;
		}
		if (*c == '\\') {
			snprintf(err, errlen, "a path with a backslash (\"%s\"): a bag separates "
				 "folders with /", path);
			return ERR_INVALID;
		}
	}
	for (;;) {
		const char *slash = strchr(part, '/');
		size_t len = slash ? (size_t)(slash - part) : strlen(part);
		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.')) {
			snprintf(err, errlen, "the path \"%s\" has %s part: it could name something "
				 "outside the bag", path,
				 len == 0 ? "an empty" : len == 1 ? "a \".\"" : "a \"..\"");
			return ERR_INVALID;
		}
		if (!slash)
			break;
		part = slash + 1;
	}
	return 0;
}

/* decode_path undoes a manifest's percent-encoding of %, CR and LF into
 * out (at most BAGIT_PATH_MAX bytes). Other % sequences stay as written,
 * as RFC 8493 encodes only those three. */
static int decode_path(const char *s, size_t n, char *out, int line, char *err, size_t errlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n) {
			if (s[i + 1] == '2' && s[i + 2] == '5') {
				c = '%';
				i += 2;
			} else if (s[i + 1] == '0' && (s[i + 2] == 'a' || s[i + 2] == 'A')) {
				c = '\n';
				i += 2;
			} else if (s[i + 1] == '0' && (s[i + 2] == 'd' || s[i + 2] == 'D')) {
				c = '\r';
				i += 2;
			}
		}
		if (o >= BAGIT_PATH_MAX) {
			snprintf(err, errlen, "line %d: a path longer than %d bytes", line,
				 BAGIT_PATH_MAX);
			return ERR_INVALID;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int bagit_manifest_parse(const char *text, size_t len, enum bagit_algo a, bool payload,
			 bagit_entry_fn fn, void *arg, char *err, size_t errlen)
{
	static char path[BAGIT_PATH_MAX + 1];	/* one parse at a time: the CLI, a fuzzer */
	char hex[129], why[BAGIT_PATH_MAX + 200];
	size_t pos = 0, n, hl = bagit_algo_hexlen(a);
	const char *s;
	int line = 0, rc;

	if (hl == 0) {
		snprintf(err, errlen, "not an algorithm");
		return ERR_INVALID;
	}
	while (next_line(text, len, &pos, &s, &n)) {
		size_t i = 0;
		line++;
		if ((rc = line_check(s, n, line, err, errlen)))
			return rc;
		while (i < n && i < hl + 1 && str_hexval(s[i]) >= 0)
			i++;
		if (n == 0) {
			snprintf(err, errlen, "line %d: empty (each line is a %s checksum and a "
				 "path)", line, bagit_algo_name(a));
			return ERR_INVALID;
		}
		if (i != hl || (i < n && s[i] != ' ' && s[i] != '\t')) {
			snprintf(err, errlen, "line %d: does not begin with a %s checksum (%zu hex "
				 "digits, then a space and the path)", line, bagit_algo_name(a), hl);
			return ERR_INVALID;
		}
		for (size_t k = 0; k < hl; k++)
			hex[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] - 'A' + 'a' : s[k]);
		hex[hl] = '\0';
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n) {
			snprintf(err, errlen, "line %d: a checksum with no path after it", line);
			return ERR_INVALID;
		}
		if ((rc = decode_path(s + i, n - i, path, line, err, errlen)))
			return rc;
		if (bagit_path_check(path, why, sizeof why)) {
			snprintf(err, errlen, "line %d: %s", line, why);
			return ERR_INVALID;
		}
		if (payload != (strncmp(path, "data/", 5) == 0)) {
			snprintf(err, errlen, payload ?
				 "line %d: \"%s\" is not under data/ (a payload manifest lists only "
				 "the payload)" :
				 "line %d: \"%s\" is payload (a tag manifest lists only tag files)",
				 line, path);
			return ERR_INVALID;
		}
		if ((rc = fn(arg, line, hex, path, err, errlen)))
			return rc;
	}
	return 0;
}

int bagit_tags_parse(const char *text, size_t len, bagit_tag_fn fn, void *arg, char *err,
		     size_t errlen)
{
	struct buf label, value;
	size_t pos = 0, n;
	const char *s;
	int line = 0, at = 0, rc = 0;

	buf_init(&label, 1024);
	buf_init(&value, 1u << 20);
	while (next_line(text, len, &pos, &s, &n)) {
		line++;
		if ((rc = line_check(s, n, line, err, errlen)))
			goto done;
		if (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			size_t i = 0;
			if (!at) {
				snprintf(err, errlen, "line %d: a continuation line with no element "
					 "before it", line);
				rc = ERR_INVALID;
				goto done;
			}
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if ((rc = buf_putc(&value, ' ')) || (rc = buf_append(&value, s + i, n - i)))
				goto toobig;
			continue;
		}
		if (at && (rc = fn(arg, at, buf_str(&label), buf_str(&value), err, errlen)))
			goto done;
		at = 0;
		buf_reset(&label);
		buf_reset(&value);
		if (n == 0) {
			snprintf(err, errlen, "line %d: empty (each line is \"Label: value\")", line);
			rc = ERR_INVALID;
			goto done;
		}
		const char *colon = memchr(s, ':', n);
		if (!colon || colon == s) {
			snprintf(err, errlen, "line %d: not \"Label: value\"", line);
			rc = ERR_INVALID;
			goto done;
		}
		size_t ln = (size_t)(colon - s), vi = ln + 1;
		while (ln > 0 && (s[ln - 1] == ' ' || s[ln - 1] == '\t'))
			ln--;
		while (vi < n && (s[vi] == ' ' || s[vi] == '\t'))
			vi++;
		if (ln == 0) {
			snprintf(err, errlen, "line %d: an element with no label", line);
			rc = ERR_INVALID;
			goto done;
		}
		if ((rc = buf_append(&label, s, ln)) || (rc = buf_append(&value, s + vi, n - vi)))
			goto toobig;
		at = line;
	}
	if (at)
		rc = fn(arg, at, buf_str(&label), buf_str(&value), err, errlen);
	goto done;
toobig:
	if (rc == ERR_NOMEM)
		snprintf(err, errlen, "line %d: out of memory", line);
	else
		snprintf(err, errlen, "line %d: an element longer than %s", line,
			 label.len ? "1 MiB" : "1 KiB of label");
done:
	buf_free(&label);
	buf_free(&value);
	return rc;
}

struct declaration {
	bool version, encoding;
};

static int on_declaration(void *arg, int line, const char *label, const char *value,
			  char *err, size_t errlen)
{
	struct declaration *d = arg;

	if (strcmp(label, "BagIt-Version") == 0 && !d->version) {
		if (strcmp(value, "1.0") != 0 && strcmp(value, "0.97") != 0) {
			snprintf(err, errlen, "line %d: BagIt-Version \"%s\" (1.0 and 0.97 are read)",
				 line, value);
			return ERR_INVALID;
		}
		d->version = true;
	} else if (strcmp(label, "Tag-File-Character-Encoding") == 0 && !d->encoding) {
		if (!str_eq_nocase(value, "UTF-8")) {
			snprintf(err, errlen, "line %d: Tag-File-Character-Encoding \"%s\" (only "
				 "UTF-8 is read)", line, value);
			return ERR_INVALID;
		}
		d->encoding = true;
	} else {
		snprintf(err, errlen, "line %d: \"%s\" (bagit.txt holds BagIt-Version and "
			 "Tag-File-Character-Encoding, once each)", line, label);
		return ERR_INVALID;
	}
	return 0;
}

int bagit_declaration_check(const char *text, size_t len, char *err, size_t errlen)
{
	struct declaration d = {0};
	int rc;

	/* a byte order mark is not allowed there (RFC 8493 2.1.1) */
	if ((rc = bagit_tags_parse(text, len, on_declaration, &d, err, errlen)))
		return rc;
	if (!d.version || !d.encoding) {
		snprintf(err, errlen, "no %s line", !d.version ? "BagIt-Version" :
			 "Tag-File-Character-Encoding");
		return ERR_INVALID;
	}
	return 0;
}

int bagit_path_encode(struct buf *b, const char *path)
{
	int rc = 0;

	for (const char *c = path; *c && rc == 0; c++)
		rc = *c == '%' ? buf_puts(b, "%25") : *c == '\n' ? buf_puts(b, "%0A") :
		     *c == '\r' ? buf_puts(b, "%0D") : buf_putc(b, *c);
	return rc;
}

bool bagit_oxum_parse(const char *v, uint64_t *octets, uint64_t *count)
{
	char a[32];
	const char *dot = strchr(v, '.');
	unsigned long long x, y;

	if (!dot || (size_t)(dot - v) >= sizeof a || dot == v)
		return false;
	memcpy(a, v, (size_t)(dot - v));
	a[dot - v] = '\0';
	for (const char *c = v; *c; c++)
		if (c != dot && (*c < '0' || *c > '9'))
			return false;
	if (!str_parse_u64(a, UINT64_MAX, &x) || !str_parse_u64(dot + 1, UINT64_MAX, &y))
		return false;
	*octets = x;
	*count = y;
	return true;
}

void bagit_size_human(uint64_t bytes, char out[32])
{
	static const char *const units[] = {"KB", "MB", "GB", "TB", "PB"};
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1000) {
		snprintf(out, 32, "%llu bytes", (unsigned long long)bytes);
		return;
	}
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(out, 32, "%.1f %s", v, units[u]);
}
