/* uploads.h: uploads in progress, and the interface other code takes
 * finished uploads through.
 *
 * A contributor's file reaches the archive in pieces (tus 1.0 at
 * /uploads/, web/page_upload.c) or whole (the form at /upload); either way
 * its bytes are the file ARCHIVE/uploads/ID and its state a row of the
 * catalogue's upload table (schema 010_uploads.sql): partial while bytes
 * are missing, done when all are in, claimed once code that makes a
 * contribution of it has taken it. The bytes are not in the object store
 * yet: whoever claims an upload ingests them (preserve_ingest) and then
 * releases the upload, which removes them.
 *
 *   char path[ARCHIVE_PATH_MAX], name[UPLOAD_NAME_MAX + 1], type[UPLOAD_TYPE_MAX + 1];
 *   rc = upload_claim(db, a, user_id, id, path, sizeof path, name, sizeof name,
 *                     type, sizeof type);
 *   if (rc == ERR_NOTFOUND) ... "no finished upload of yours with that id"
 *   ... ingest path (its name and type as the client said them) ...
 *   upload_release(db, a, id);   // also when the ingest failed or was given up
 *
 * A page that asks a contributor for a file can link to the form,
 * /upload?return=ITS_PATH (the browser comes back with ?upload=ID), or put
 * in its own form, after the csrf field, <input type="file" name="file"
 * data-upload-return="ITS_PATH"> and <input type="hidden" name="upload">:
 * with JavaScript, /static/upload.js sends the file over tus first and
 * fills upload with the id (the form then arrives without the file);
 * without it the file would come with the form, so such a page also
 * offers the link to /upload for browsers without JavaScript.
 *
 * Partial and done uploads untouched for upload_expire_hours are removed
 * by upload_clean (serve calls it at start and periodically, and
 * `cinemateca uploads clean`); claimed ones stay until released. */
#ifndef CINEMATECA_UPLOADS_H
#define CINEMATECA_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/upload_q.h"

struct archive;
struct db;

#define UPLOAD_MAX_OPEN 100	/* unfinished uploads one account may have at
				 * once; the next is refused (429) until one
				 * finishes, is deleted or expires */

/* upload_claim takes the finished upload id of user_id for the caller:
 * writes its bytes' path on disk into path, the file name and media type
 * the client gave (each "" when it gave none; a name is valid UTF-8
 * without control characters or slashes, a type is type/subtype) into
 * name and type, and marks it claimed, so that a second claim fails.
 * Returns 0, ERR_NOTFOUND when user_id has no finished, unclaimed upload
 * of that id (none, another account's, partial, or claimed already),
 * ERR_TOOBIG when a value does not fit its buffer (nothing claimed), or
 * ERR_DB / ERR_BUSY. */
int upload_claim(struct db *db, const struct archive *a, long long user_id, const char *id,
		 char *path, size_t pathlen, char *name, size_t namelen, char *type,
		 size_t typelen);

/* upload_release removes upload id, its bytes and its row, whatever its
 * state (after the caller ingested it, or gave up). Errors are logged on
 * stderr: what is left is removed by upload_clean once it expires (bytes
 * without a row) or shows in `cinemateca uploads list` (a claimed row). */
void upload_release(struct db *db, const struct archive *a, const char *id);

/* The file name and media type of Upload-Metadata. */
struct upload_meta {
	char filename[UPLOAD_NAME_MAX + 1];	/* "" when not given */
	char filetype[UPLOAD_TYPE_MAX + 1];	/* "" when not given */
};

/* upload_metadata_parse reads an Upload-Metadata header (tus 1.0: comma
 * separated pairs of a key and an optional base64 value, RFC 4648 with
 * padding) into m. Keys must be unique, non-empty, printable ASCII without
 * spaces or commas; every value must be canonical base64; filename must
 * decode to UTF-8 of at most UPLOAD_NAME_MAX bytes without control
 * characters or '/', filetype to a media type (type/subtype, token
 * characters, at most UPLOAD_TYPE_MAX bytes, parameters allowed). Other
 * keys are checked and ignored. NULL or "" is no metadata. Returns 0, or
 * ERR_INVALID with the reason in why (a sentence for the client). */
int upload_metadata_parse(const char *header, struct upload_meta *m, char *why, size_t whylen);

/* upload_path writes ARCHIVE/uploads/ID into out. Returns 0 or ERR_TOOBIG. */
int upload_path(const struct archive *a, const char *id, char *out, size_t n);

/* upload_type_valid: s is a media type (type/subtype of token characters,
 * parameters of printable ASCII), as Upload-Metadata's filetype must be. */
bool upload_type_valid(const char *s);

/* upload_create makes a new upload of user_id of length bytes (at most
 * the archive's upload_max_bytes: the caller checks) with its metadata
 * as sent and parsed: a fresh id, an empty file, a partial row (done at
 * once when length is 0). A length of -1 is a form's file, whose length
 * is known only at its end: the row is receiving (not resumable, its
 * length upload_max_bytes until upload_finish). Fills *u. Returns 0, or ERR_IO (errno says
 * why: ENOSPC when the disk has not length bytes free), ERR_DB. */
int upload_create(struct db *db, const struct archive *a, long long user_id, long long length,
		  const char *metadata, const struct upload_meta *m, long long now,
		  struct upload_row *u);

/* upload_lock opens upload u's bytes for writing and takes the lock that
 * only one writer holds (so one PATCH at a time). Then it makes the row
 * say what is on disk: a writer stopped before it could record its last
 * bytes (the server killed) left more than the row says, an fsync makes
 * them sure and they count; bytes past the length are cut. Sets *fd
 * (the caller closes it, which unlocks) and updates *u. Returns 0,
 * ERR_BUSY when another request holds the lock, ERR_IO (errno), ERR_DB. */
int upload_lock(struct db *db, const struct archive *a, struct upload_row *u, int *fd,
		long long now);

/* upload_sync makes what was written to fd sure (fsync) and records it as
 * received, with a new expiry; the row says done when all is in. On an
 * fsync failure nothing is recorded (the row keeps the last sure offset)
 * and ERR_IO is returned with errno set. Updates *u. */
int upload_sync(struct db *db, struct upload_row *u, int fd, long long now, long long expire_s);

/* upload_finish ends a receiving upload (a form's file) written to fd:
 * fsync, then its length is what is on disk and it is done. Returns 0,
 * ERR_IO (errno; nothing recorded) or ERR_DB. Updates *u. */
int upload_finish(struct db *db, struct upload_row *u, int fd, long long now, long long expire_s);

/* upload_remove deletes upload id's bytes and row. Returns 0, ERR_IO
 * (errno) or ERR_DB. */
int upload_remove(struct db *db, const struct archive *a, const char *id);

/* upload_clean removes the partial and done uploads whose expiry has
 * passed at now, and files in uploads/ that no row names and that have
 * not changed for upload_expire_hours; *removed counts both. Returns 0
 * or the first error (the others are still tried). */
int upload_clean(struct db *db, const struct archive *a, long long now, int *removed);

#endif
