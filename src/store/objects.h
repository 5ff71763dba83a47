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

/* store_path writes the local path of an object (for programs such as
 * ffmpeg that need one) into out; ERR_TOOBIG if it does not fit. */
int store_path(const struct store *s, const char *sha256, char *out, size_t n);

/* store_exists reports whether the object is present. */
bool store_exists(const struct store *s, const char *sha256);

/* store_verify re-hashes an object: 0 when it matches its name, ERR_INVALID
 * when corrupted (actual digest in *d), ERR_NOTFOUND when missing. */
int store_verify(struct store *s, const char *sha256, struct digest *d,
		 store_progress_fn progress, void *arg);

/* store_remove deletes an object (for deletion of the last file using it). */
int store_remove(struct store *s, const char *sha256);

/* store_clean_tmp removes staging files left by interrupted writes;
 * *removed counts them. */
int store_clean_tmp(struct store *s, int *removed);

#endif
