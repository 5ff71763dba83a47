/* archive.h: the archive folder (DESIGN.md): catalog.db, the object store and
 * cinemateca.conf. Opening checks that a folder really is an archive, so
 * commands pointed at the wrong place say so instead of making one. */
#ifndef CINEMATECA_ARCHIVE_H
#define CINEMATECA_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

#define ARCHIVE_PATH_MAX 4096

struct archive {
	char dir[ARCHIVE_PATH_MAX];	/* the folder as given */
	char db_path[ARCHIVE_PATH_MAX];	/* dir/catalog.db */
	char title[200];		/* site title from cinemateca.conf */
	char base_url[512];		/* public URL, "" when unset */
	char admin_email[256];		/* who answers for the archive (OAI-PMH Identify), "" when unset */
	char languages[64];		/* interface languages, first is the default */
	unsigned connections_per_address;	/* serve: open connections one client
						 * address may hold (0: no limit) */
	unsigned header_timeout;	/* serve: seconds a client has to send a
					 * request line and headers */
	unsigned long long upload_max_bytes;	/* the largest upload taken */
	unsigned upload_expire_hours;	/* an unfinished upload untouched this
					 * long is removed */
	bool viewers_contribute;	/* viewers may contribute (upload) too */
};

#define ARCHIVE_CONNECTIONS_PER_ADDRESS 64	/* default: a household or a small
						 * office behind one address */
#define ARCHIVE_HEADER_TIMEOUT 10		/* default, seconds */
#define ARCHIVE_UPLOAD_MAX_BYTES (4ULL << 30)	/* default: 4 GiB, an hour of a
						 * phone's video */
#define ARCHIVE_UPLOAD_MAX_LIMIT (1ULL << 50)	/* the largest upload_max_bytes */
#define ARCHIVE_UPLOAD_EXPIRE_HOURS 24		/* default */

/* archive_init creates the folder (if needed) with the object store,
 * cinemateca.conf and a new catalogue. Fails with ERR_EXISTS if the folder
 * already holds a catalogue, ERR_IO if it cannot be made. Message in err. */
int archive_init(const char *dir, char *err, size_t errlen);

/* archive_open reads the folder's settings and opens its catalogue in the
 * given mode (*db set, caller closes). Errors, with a message saying what
 * to do: ERR_NOTFOUND (no such folder, or not an archive), ERR_INVALID
 * (foreign or newer catalogue, not an SQLite database, bad settings),
 * ERR_BUSY (locked), ERR_IO (permission denied or a read-only file
 * system: the message names which, and that the catalogue is intact). */
int archive_open(const char *dir, enum db_mode mode, struct archive *a, struct db **db,
		 char *err, size_t errlen);

/* archive_load_conf reads dir/cinemateca.conf into a (defaults when the
 * file is absent). Returns 0, ERR_INVALID with the line in err, or ERR_IO
 * when it cannot be read (why in err). */
int archive_load_conf(struct archive *a, char *err, size_t errlen);

#endif
