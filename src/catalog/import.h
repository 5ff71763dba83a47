/* import.h: the JSON import and export of catalogue records
 * (docs/import-format.md). */
#ifndef CINEMATECA_IMPORT_H
#define CINEMATECA_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct db;

struct import_stats {
	int created;	/* records that were new */
	int updated;	/* records matched by id or slug and replaced */
	int unchanged;	/* records matched and identical to the last import */
};

/* import_json validates every record of the JSON text and, only if all are
 * good, writes them in one transaction. name labels messages. Problems go
 * to errors, one line each ("NAME: records[N] (slug): field: reason\n").
 * Returns 0, ERR_INVALID (nothing written; see errors), ERR_BUSY, or
 * another negative ERR_* (nothing written; a line in errors). */
int import_json(struct db *db, const char *text, size_t len, const char *name,
		struct buf *errors, struct import_stats *stats);

/* export_record returns the record with this slug as export-json writes
 * it (the same members in the same order; caller json_decref()s it), or
 * NULL with *rc set (ERR_NOTFOUND when db->principal may not read it or
 * there is none). Statements are reset before it returns, so no read
 * snapshot outlives the call. */
struct json_t;
struct json_t *export_record(struct db *db, const char *slug, int *rc);

/* export_json writes every record to out in the import format, sorted so
 * that a round trip reproduces the same text. Returns 0 or ERR_*. */
int export_json(struct db *db, FILE *out);

#endif
