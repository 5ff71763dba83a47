/* fuzz_import.c: libFuzzer target for the JSON import, the parser of the
 * largest outside input. Each input is imported into a real catalogue
 * inside a transaction that is rolled back, so inputs do not pile up.
 * Checks: no crash, no leak, the result is one of the documented
 * outcomes (never a raw database error) with a message whenever it is not
 * a success, and after a success no record has an empty id or slug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "catalog/archive.h"
#include "catalog/import.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "db/record_q.h"

static struct db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/cinemateca-fuzz-XXXXXX";
	char path[64], err[512];
	struct archive a;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/a", dir);
	if (archive_init(path, err, sizeof err) ||
	    archive_open(path, DB_WRITE, &a, &db, err, sizeof err)) {
		fprintf(stderr, "fuzz_import: %s\n", err);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf errors;
	struct import_stats st;
	int rc;

	buf_init(&errors, 1 << 20);
	if (db_begin(db))
		abort();
	rc = import_json(db, (const char *)data, size, "fuzz", &errors, &st);
	if (rc != 0 && rc != ERR_INVALID)
		abort();
	if (rc == ERR_INVALID && errors.len == 0 && errors.err == 0)
		abort();	/* a refusal must say why */
	if (rc == 0 && (rq_find_by_slug(db, "", NULL, NULL) != 0 ||
			rq_find_by_id(db, "", NULL, NULL) != 0))
		abort();	/* every record has an id and a slug */
	if (db_rollback(db))
		abort();
	buf_free(&errors);
	return 0;
}
