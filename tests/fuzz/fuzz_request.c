/* fuzz_request.c: libFuzzer target for what a visitor controls in a
 * request besides the path: the search text (turned into an FTS5
 * expression and run against a real catalogue with the demo collection),
 * the lang cookie and Accept-Language, and the escaping of snippets.
 * Checks: no crash or leak, search never fails, escaped output never
 * contains a raw '<' that the writer did not put there. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/archive.h"
#include "catalog/import.h"
#include "catalog/search.h"
#include "core/buf.h"
#include "core/str.h"
#include "db/db.h"
#include "embedded.h"
#include "web/html.h"
#include "web/i18n.h"

static struct db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/cinemateca-fuzz-XXXXXX";
	char path[64], err[512];
	struct archive a;
	struct buf errors;
	struct import_stats st;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/a", dir);
	buf_init(&errors, 1 << 20);
	if (archive_init(path, err, sizeof err) ||
	    archive_open(path, DB_WRITE, &a, &db, err, sizeof err) ||
	    import_json(db, (const char *)demo_json, demo_json_len, "demo", &errors, &st)) {
		fprintf(stderr, "fuzz_request: %s%s\n", err, buf_str(&errors));
		abort();
	}
	buf_free(&errors);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), slug[SLUG_MAX + 1];
	struct search_query q = {.page = 1};
	struct buf b;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	q.text = text;
	if (search_run(db, &q) < 0)
		abort();
	i18n_pick(text, text, text);
	if (str_slugify(text, slug) && !str_slug_valid(slug))
		abort();
	buf_init(&b, 1 << 20);
	html_snippet(&b, text);
	for (const char *p = buf_str(&b); (p = strchr(p, '<')); p++)
		if (strncmp(p, "<mark>", 6) != 0 && strncmp(p, "</mark>", 7) != 0)
			abort();
	buf_free(&b);
	free(text);
	return 0;
}
