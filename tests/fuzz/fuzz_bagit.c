/* fuzz_bagit.c: libFuzzer target for the BagIt tag-file readers
 * (interop/bagit.c), which read manifests, bag-info.txt and bagit.txt
 * from bags made elsewhere. The first byte chooses the reader (a payload
 * or tag manifest of each algorithm, a tag file, bagit.txt). Checks: no
 * crash or leak; a refusal says why; every path a manifest gives passes
 * the one path rule (relative, no "..", "." or empty part, no control
 * character, UTF-8, under data/ exactly for a payload manifest), and
 * written back as a manifest line it reads again as the same path and
 * checksum; every element of a tag file has a label without a colon and
 * a value without a line break. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "interop/bagit.h"

struct seen {
	enum bagit_algo algo;
	bool payload;
	const char *want_hex, *want_path;	/* the round trip's expectation */
	int lines;
};

static int on_again(void *arg, int line, const char *hex, const char *path, char *err,
		    size_t errlen)
{
	struct seen *s = arg;

	(void)line, (void)err, (void)errlen;
	if (strcmp(hex, s->want_hex) != 0 || strcmp(path, s->want_path) != 0)
		abort();
	s->lines++;
	return 0;
}

static int on_entry(void *arg, int line, const char *hex, const char *path, char *err,
		    size_t errlen)
{
	struct seen *s = arg;
	struct seen again = {.algo = s->algo, .payload = s->payload, .want_hex = hex,
			     .want_path = path};
	char why[8192];
	struct buf b;

	(void)line;
	if (strlen(hex) != bagit_algo_hexlen(s->algo) || path[0] == '/' ||
	    strstr(path, "/../") || strncmp(path, "../", 3) == 0 || strstr(path, "//") ||
	    bagit_path_check(path, why, sizeof why) != 0 ||
	    s->payload != (strncmp(path, "data/", 5) == 0))
		abort();
	for (const char *c = hex; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			abort();
	/* written back and read again: the same line (a nested parse uses the
	 * same static path buffer, so compare copies) */
	char *hexc = strdup(hex), *pathc = strdup(path);
	if (!hexc || !pathc)
		abort();
	again.want_hex = hexc;
	again.want_path = pathc;
	buf_init(&b, 1 << 16);
	if (buf_printf(&b, "%s  ", hexc) || bagit_path_encode(&b, pathc) || buf_putc(&b, '\n'))
		abort();
	if (bagit_manifest_parse(buf_str(&b), b.len, s->algo, s->payload, on_again, &again, err,
				 errlen) != 0 || again.lines != 1)
		abort();
	buf_free(&b);
	free(hexc);
	free(pathc);
	s->lines++;
	return 0;
}

static int on_tag(void *arg, int line, const char *label, const char *value, char *err,
		  size_t errlen)
{
	(void)arg, (void)line, (void)err, (void)errlen;
	if (!label[0] || strchr(label, ':') || strchr(value, '\n') || strchr(value, '\r') ||
	    strchr(label, '\n') || !str_utf8_valid(value, strlen(value)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[8192] = "";
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;
	int rc;

	if (size == 0)
		return 0;
	unsigned mode = data[0] % 10;
	if (mode < 8) {
		struct seen s = {.algo = (enum bagit_algo)(mode % BAGIT_NALGO), .payload = mode < 4};
		rc = bagit_manifest_parse(text, len, s.algo, s.payload, on_entry, &s, err, sizeof err);
	} else if (mode == 8) {
		rc = bagit_tags_parse(text, len, on_tag, NULL, err, sizeof err);
	} else {
		rc = bagit_declaration_check(text, len, err, sizeof err);
	}
	if (rc != 0 && !err[0])
		abort();
	return 0;
}
