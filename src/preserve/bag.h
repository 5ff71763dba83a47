/* bag.h: BagIt bags (RFC 8493) in and out of the archive, as library
 * calls of the preservation core (see preserve.h for struct preserve):
 * export records with their files, events and metadata as a bag; check a
 * bag whole; import one made by us (records and files keeping their ids)
 * or ingest the payload of one made elsewhere into a record. */
#ifndef CINEMATECA_BAG_H
#define CINEMATECA_BAG_H

#include <stdint.h>

#include "preserve.h"

struct preserve_bag_export_opts {
	const char *target;		/* a record's slug or id (a collection: with its
					 * members), or NULL for every record */
	const char *outdir;		/* the bag to make: must not exist, or be empty */
	const char *roles;		/* "access,subtitle": only files of these roles;
					 * NULL: every file */
	const char *organization;	/* Source-Organization (the archive's title) */
	const char *software;		/* Bag-Software-Agent ("cinemateca 0.1.0") */
	const char *base_url;		/* the site's public address, for the links in
					 * the Dublin Core and PBCore records ("" or
					 * NULL: links relative to the site) */
};

struct preserve_bag_result {
	int records;			/* records in the bag's catalogue (export) or
					 * imported (import) */
	int files;			/* payload files written or stored */
	uint64_t bytes;			/* of those files */
};

/* preserve_bag_export writes the bag: data/files/SLUG/ROLE/NAME for each
 * file (copied from the store, its SHA-256 checked and its SHA-512
 * computed in the same pass, never held in memory whole),
 * data/catalogue.json (the records and those they name, in the import
 * format), data/files.json and data/events.json, then manifest-sha256.txt,
 * manifest-sha512.txt, bag-info.txt, the tag manifests and bagit.txt last,
 * so a bag cut short has no bagit.txt and is refused as a bag (p->err
 * then says the folder is no bag and may be removed). What it
 * exports is what p->db's principal may read (the CLI: the keeper, so
 * everything it is told). Returns 0, or ERR_* with p->err. */
int preserve_bag_export(struct preserve *p, const struct preserve_bag_export_opts *o,
			struct preserve_bag_result *r);

/* preserve_bag_import checks the whole bag at dir (bagit.txt, every line
 * of every payload and tag manifest against the bytes, every payload file
 * listed, nothing listed missing, Payload-Oxum, no symbolic link, no path
 * leaving the bag) before anything changes. Then, with to NULL, it imports
 * a bag made by preserve_bag_export: its catalogue and its files with
 * their ids, in one transaction (all or nothing); with to (a record) and
 * role, it ingests every payload file into that record with an ingestion
 * event naming the bag. Returns 0, ERR_INVALID with the exact reason in
 * p->err (the file, the line), or another ERR_* with p->err; nothing is
 * changed in the catalogue then. */
int preserve_bag_import(struct preserve *p, const char *dir, const char *to, const char *role,
			struct preserve_bag_result *r);

#endif
