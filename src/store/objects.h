/* objects.h: the object store, the one way the program reads and writes
 * preserved bytes. Objects are named by their SHA-256 and written once,
 * read-only. The local backend keeps them in ARCHIVE/objects/sha256/ab/cd/
 * and stages writes in ARCHIVE/tmp/; an S3 backend can implement the same
 * calls later without changing any caller. */
#ifndef CINEMATECA_OBJECTS_H
#define CINEMATECA_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX 64
#define MD5_HEX 32

struct store;

/* What an object's bytes hash to. */
struct digest {
	char sha256[SHA256_HEX + 1];
	char md5[MD5_HEX + 1];
	uint64_t size;
};

/* Progress of a long copy or hash: called now and then with the bytes
 * done so far; the total when known (else 0). */
typedef void (*store_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* store_open opens the store of an archive folder. Returns 0 and *out
 * (caller closes with store_close), or a negative ERR_*. */
int store_open(const char *archive_dir, struct store **out);
void store_close(struct store *s);

/* store_put copies the file at path into the store: bytes stream through
 * a fixed buffer into a staging file while SHA-256 and MD5 are computed on
 * two threads in the same pass, the staging file is fsynced and renamed to
 * its name (or dropped if the object is already there: *existed set).
 * The object exists on disk when it returns 0; the caller then records it
 * in the catalogue. Errors (ERR_IO with errno, ERR_NOTFOUND) leave nothing
 * behind but, after a crash, a staging file that store_clean_tmp removes. */
int store_put(struct store *s, const char *path, struct digest *d, bool *existed,
	      store_progress_fn progress, void *arg);

/* store_put_bytes stores bytes held in memory (a converted subtitle file,
 * a small upload) exactly as store_put stores a file: staged, hashed,
 * fsynced, renamed. Same results and errors as store_put. */
int store_put_bytes(struct store *s, const void *data, size_t len, struct digest *d,
		    bool *existed);

/* store_hash computes the digest of a file without storing it (the same
 * one-pass, two-thread hashing). */
int store_hash_file(const char *path, struct digest *d, store_progress_fn progress, void *arg);

/* store_create makes an archive folder's empty store (the objects and
 * the staging area), for archive_init. Returns 0 or ERR_IO with errno. */
int store_create(const char *archive_dir);

/* ---- streaming writes -------------------------------------------------
 * For bytes that arrive in pieces (an upload, a converted file, a bag
 * being unpacked): begin a stage, write chunks, then commit, which gives
 * the digest computed as the bytes went by (one pass, nothing read back)
 * and makes the object visible under its name; or abort, which leaves
 * nothing. Commit and abort both end the stage. */
struct store_stage;

/* store_stage_begin starts one. Returns 0 and *out, or ERR_NOMEM / ERR_IO
 * (errno kept). */
int store_stage_begin(struct store *s, struct store_stage **out);

/* store_stage_write appends len bytes. Returns 0 or ERR_IO (errno kept,
 * ENOSPC for a full disk) / ERR_NOMEM; after an error only abort is left. */
int store_stage_write(struct store_stage *st, const void *data, size_t len);

/* store_stage_commit makes the bytes written so far an object: its digest
 * in *d, *existed when the same bytes were already stored. Frees the stage
 * whatever happens: 0, or ERR_IO (errno kept) with nothing left behind. */
int store_stage_commit(struct store_stage *st, struct digest *d, bool *existed);

/* store_stage_abort drops the stage and what it holds. NULL is fine. */
void store_stage_abort(struct store_stage *st);

/* ---- reading ----------------------------------------------------------- */

/* store_open_read opens an object for reading: 0 with *fd (the caller
 * closes it) and *size, ERR_NOTFOUND when the store has no such object,
 * ERR_INVALID for a name that is no SHA-256, ERR_IO (errno kept). */
int store_open_read(const struct store *s, const char *sha256, int *fd, uint64_t *size);

/* store_path writes the local path of an object into out, ERR_TOOBIG if it
 * does not fit. A convenience of the local backend for the programs that
 * can only be handed a file name (ffmpeg, and libavformat when probing);
 * everything else reads through store_open_read. A remote backend would
 * answer it by staging a local copy. */
int store_path(const struct store *s, const char *sha256, char *out, size_t n);

/* store_scratch_open creates a new scratch file for a program to write
 * into (ffmpeg's output, its log) in the store's staging area; label
 * (letters, digits, '-') goes into its name, written to out. Returns a
 * descriptor the caller keeps open while the file is in use: it holds the
 * file's lock, so store_clean_tmp run by someone else meanwhile leaves it
 * alone, and sweeps it after a crash. The caller stores the result with
 * store_put, then unlinks the file and closes the descriptor. A
 * local-backend convenience, as store_path. -1 with errno on failure
 * (EINVAL for a bad label, ENAMETOOLONG). */
int store_scratch_open(const struct store *s, const char *label, char *out, size_t n);

/* ---- listing ----------------------------------------------------------- */

/* Every object the store holds, in no promised order, however many. */
struct store_iter;

/* store_iter_open starts a listing: 0 and *out, or ERR_NOMEM / ERR_IO. */
int store_iter_open(const struct store *s, struct store_iter **out);

/* store_iter_next gives the next object's name: 1 with sha256 filled, 0 at
 * the end, ERR_IO (errno kept) when a folder cannot be read. Names that are
 * not an object's (a stray file) are passed over. */
int store_iter_next(struct store_iter *it, char sha256[SHA256_HEX + 1]);

/* store_iter_close ends a listing. NULL is fine. */
void store_iter_close(struct store_iter *it);

/* store_exists reports whether the object is present. */
bool store_exists(const struct store *s, const char *sha256);

/* store_verify re-hashes an object: 0 when it matches its name, ERR_INVALID
 * when corrupted (actual digest in *d), ERR_NOTFOUND when missing. */
int store_verify(struct store *s, const char *sha256, struct digest *d,
		 store_progress_fn progress, void *arg);

/* store_remove deletes an object (for deletion of the last file using it). */
int store_remove(struct store *s, const char *sha256);

/* store_clean_tmp removes staging files left by interrupted writes;
 * *removed counts them. Files still being written (their writer alive and
 * holding their lock) are left alone, so it is safe while others ingest. */
int store_clean_tmp(struct store *s, int *removed);

#endif
