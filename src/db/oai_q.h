/* oai_q.h: the catalogue's answers to an OAI-PMH harvester, as the
 * interop/ writers need them (all SQL of OAI-PMH, Dublin Core and PBCore
 * lives in oai_q.c).
 *
 * A harvest walks the change log by keyset: each record appears at its
 * latest change, in the order of those changes, so a record added, edited,
 * unpublished or deleted during a harvest moves past the harvester's
 * position and is met again, in its new state, before the harvest ends.
 * Every query reads as the connection's principal (the OAI handler makes
 * it anonymous): a record is live when that principal may read it, deleted
 * when it may not but was once public (oai_exposed), and absent otherwise. */
#ifndef CINEMATECA_OAI_Q_H
#define CINEMATECA_OAI_Q_H

#include <stdbool.h>

#include "core/str.h"

struct db;

/* A harvest's selection: any member may be NULL (no limit). */
struct oaiq_filter {
	const char *from;		/* datestamps YYYY-MM-DDThh:mm:ssZ, inclusive */
	const char *until;
	const char *type;		/* a record type, for a type: set */
	const char *collection;		/* a collection's id: it and its sub-collections */
};

/* One record as a harvester sees it. */
struct oaiq_item {
	long long seq;			/* its latest change: the keyset position */
	char id[64];			/* the record's UUID */
	char type[16];			/* its record type */
	char slug[128];			/* its slug ("" once deleted) */
	char datestamp[24];		/* when it last changed, YYYY-MM-DDThh:mm:ssZ */
	bool deleted;			/* deleted, or no longer public */
};

/* oaiq_page_fn receives one item of a page; returning non-zero stops the
 * page with that value. */
typedef int (*oaiq_item_fn)(void *ctx, const struct oaiq_item *it);

/* oaiq_page calls fn for each item after keyset position `after`, at most
 * limit of them, in order; *more is set when items follow the last one
 * given. Returns 0, fn's non-zero value, or ERR_DB. */
int oaiq_page(struct db *db, const struct oaiq_filter *f, long long after, int limit,
	      oaiq_item_fn fn, void *ctx, bool *more);

/* oaiq_count sets *n to the number of items the filter selects after
 * position `after`. Returns 0 or ERR_DB. */
int oaiq_count(struct db *db, const struct oaiq_filter *f, long long after, long long *n);

/* oaiq_item looks up one record by id. Returns 1 and fills *it, 0 when
 * the harvester may not know of it (or it never was), or ERR_DB. */
int oaiq_item(struct db *db, const char *id, struct oaiq_item *it);

/* oaiq_earliest copies the earliest datestamp of the change log into out
 * (the date of the first change; "" for an empty log). Returns 0 or ERR_DB. */
int oaiq_earliest(struct db *db, char out[24]);

/* oaiq_set_fn receives one set: its setSpec, its collection's id (NULL for
 * a type set) and its name (NULL when it has none). */
typedef int (*oaiq_set_fn)(void *ctx, const char *spec, const char *collection_id,
			   const char *name);

/* oaiq_collection_sets calls fn for every collection the principal may
 * read, once for each path of readable collections from a top one down to
 * it ("collection:parent:child"), ordered by spec. Returns 0, fn's
 * non-zero value, or ERR_DB. */
int oaiq_collection_sets(struct db *db, oaiq_set_fn fn, void *ctx);

/* oaiq_record_sets calls fn with the collection setSpecs that record id
 * is directly part of (each a full path from a top collection). Returns 0,
 * fn's non-zero value, or ERR_DB. */
int oaiq_record_sets(struct db *db, const char *id, oaiq_set_fn fn, void *ctx);

/* What oaiq_fields lists of one record, one row per value; the columns
 * each gives are in oai_q.c beside its SQL. */
enum oaiq_field {
	OAIQ_RECORD,		/* type, slug, date, date_end, source, access, embargo_until */
	OAIQ_TITLES,		/* text, lang, kind */
	OAIQ_DESCRIPTIONS,	/* text, lang */
	OAIQ_WORK,		/* original_language, country, duration, forms (JSON) */
	OAIQ_DOCUMENT,		/* doc_type, pages */
	OAIQ_CREDITS,		/* agent's main title, role (readable agents only) */
	OAIQ_RELATED,		/* relation type, target's type, its main title, target slug
				 * (readable targets only; part_of excluded) */
	OAIQ_MANIFESTATIONS,	/* id, kind, format, gauge, colour, sound, aspect, notes */
	OAIQ_FILES,		/* id, manifestation_id, role, sha256, md5, size, mime, techmd, name
				 * (files an anonymous visitor may read, not deleted) */
	OAIQ_RIGHTS,		/* value, lang, is_uri: the rights URI first, then the
				 * rights statement in each language, then each Local
				 * Contexts label ("Local Contexts: NAME: TEXT
				 * (COMMUNITY)") in its language and translations */
};
#define OAIQ_MAXCOLS 10

/* oaiq_row_fn receives one row; col[i] is NULL for an SQL NULL. */
typedef int (*oaiq_row_fn)(void *ctx, const char *const *col, int ncol);

/* oaiq_fields calls fn for each row of field for record id. Returns 0,
 * fn's non-zero value, or ERR_DB. */
int oaiq_fields(struct db *db, enum oaiq_field field, const char *id, oaiq_row_fn fn,
		void *ctx);

/* What a record's documents start from (OAIQ_RECORD's row). */
struct oaiq_head {
	char type[16];
	char slug[SLUG_MAX + 1];
	char date[64];		/* YYYY-MM-DD, or a range of two as A/B */
	char access[16];
	char embargo[16];
};

/* oaiq_head reads record id's head into h. Returns 1, 0 when there is no
 * such record, or ERR_DB. */
int oaiq_head(struct db *db, const char *id, struct oaiq_head *h);

#endif
