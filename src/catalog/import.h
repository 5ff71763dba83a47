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
 * to errors, one line each ("NAME: records[N] (slug): field: reason\n";
 * the record is named by its slug, else its id, else its first title in
 * quotes; a JSON syntax error starts "NAME:LINE:COLUMN: " and names the
 * record and field it is in). Called outside a transaction, it checks the
 * file on a read snapshot and takes the write lock only to write; inside
 * one (db_begin), it checks and writes there. Every record written gets an
 * id and a slug. Returns 0, ERR_INVALID (nothing written; see errors),
 * ERR_BUSY (another process holds the write lock; nothing written), or
 * another negative ERR_* (nothing written; a line in errors). */
int import_json(struct db *db, const char *text, size_t len, const char *name,
		struct buf *errors, struct import_stats *stats);

/* import_json_as is import_json that also writes one audit entry per
 * record created or replaced, in the same transaction: actor, action
 * (NULL: "import"), the record, and "NAME: created work, access public"
 * or "NAME: replaced work, access private → public". actor NULL: no
 * entries (the caller audits, as the web editor does). */
int import_json_as(struct db *db, const char *text, size_t len, const char *name,
		   const char *actor, const char *action, struct buf *errors,
		   struct import_stats *stats);

/* import_file_as is import_json_as for the file at path (named so in
 * messages), read from a mapping of it rather than into memory: its
 * records are parsed one at a time at each pass, and the pages read are
 * given back as the passes go, so the memory an import takes grows with
 * the number of records (about 200 bytes each), not with the file's
 * size. Returns as import_json_as does, or ERR_IO (a line in errors)
 * when the file cannot be read. */
int import_file_as(struct db *db, const char *path, const char *actor, const char *action,
		   struct buf *errors, struct import_stats *stats);

/* export_record returns the record with this slug as export-json writes
 * it (the same members in the same order; caller json_decref()s it), or
 * NULL with *rc set (ERR_NOTFOUND when db->principal may not read it or
 * there is none). Statements are reset before it returns, so no read
 * snapshot outlives the call. */
struct json_t;
struct json_t *export_record(struct db *db, const char *slug, int *rc);

/* import_json_kind names a JSON value's type as the import's messages say
 * it ("a text", "null", ...), for every reader of the format's JSON. */
const char *import_json_kind(const struct json_t *v);

/* export_json writes every record to out in the import format, sorted so
 * that a round trip reproduces the same text. Returns 0 or ERR_*. */
int export_json(struct db *db, FILE *out);

#endif
