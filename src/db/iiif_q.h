/* iiif_q.h: the SQL of the IIIF surfaces (interop/iiif.c): which records
 * have a manifest, the members of a collection, and the lines of a film
 * that Content Search finds. Each function returns a prepared statement
 * from the connection's cache (NULL on error, db->err set), for the
 * caller to step; every one shows only what db->principal may read, the
 * records by READABLE() and the lines by their file's level
 * (FILE_READABLE()), as the pages do. */
#ifndef CINEMATECA_IIIF_Q_H
#define CINEMATECA_IIIF_Q_H

#include <sqlite3.h>

struct db;

/* Columns of iq_members. */
enum { IQ_ID, IQ_TYPE, IQ_SLUG, IQ_LABEL };

/* iq_members: the readable members of the collection with this id (NULL:
 * the archive's top level, every record that is part of no collection
 * the principal may read) that IIIF can show: collections, works with a
 * playable file and documents with a page image, each readable;
 * collections first, then by label in lang. */
sqlite3_stmt *iq_members(struct db *db, const char *collection_id, const char *lang);

/* iq_has_manifest: 1 when record id (a work or a document) has a file a
 * manifest shows that db->principal may read, 0 when not, or a negative
 * ERR_*. */
int iq_has_manifest(struct db *db, const char *id, const char *type);

/* iq_hits: the lines of record_id matching the FTS5 expression whose file
 * db->principal may read, in the order they are said, limit of them from
 * offset: 0 cue id, 1 start_ms, 2 end_ms, 3 lang, 4 the whole line with
 * \x01 and \x02 around each matched word. */
sqlite3_stmt *iq_hits(struct db *db, const char *record_id, const char *expr, int limit,
		      int offset);

/* iq_hit_count: how many lines iq_hits finds in all, or a negative ERR_*. */
long long iq_hit_count(struct db *db, const char *record_id, const char *expr);

#endif
