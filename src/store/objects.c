/* objects.c: the local object store (see objects.h).
 *
 * Writing an object: the caller's thread reads the source in 1 MiB chunks
 * into a ring of four buffers and writes each chunk to a staging file in
 * tmp/, while two threads hash the same buffers, one SHA-256 (SHA-NI where
 * the CPU has it, through OpenSSL) and one MD5, so both digests cost one
 * read pass and the slower hash sets the pace. Memory stays at 4 MiB
 * whatever the file's size. Then the staging file is fsynced, made
 * read-only and renamed to objects/sha256/ab/cd/HASH, and the folder is
 * fsynced: an object is either whole under its name or not there. */
#include "objects.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "core/err.h"
#include "core/uuid.h"

#define CHUNK (1u << 20)
#define SLOTS 4
#define PATH_MAX_STORE 4096

struct store {
	char dir[PATH_MAX_STORE - 256];	/* the archive folder */
};

int store_open(const char *archive_dir, struct store **out)
{
	struct store *s;

	*out = NULL;
	if (strlen(archive_dir) >= PATH_MAX_STORE - 256)
		return ERR_TOOBIG;
	s = calloc(1, sizeof *s);
	if (!s)
		return ERR_NOMEM;
	snprintf(s->dir, sizeof s->dir, "%s", archive_dir);
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	free(s);
}

int store_path(const struct store *s, const char *sha256, char *out, size_t n)
{
	int len;

	if (strlen(sha256) != SHA256_HEX)
		return ERR_INVALID;
	len = snprintf(out, n, "%s/objects/sha256/%.2s/%.2s/%s", s->dir, sha256, sha256 + 2, sha256);
	return len < 0 || (size_t)len >= n ? ERR_TOOBIG : 0;
}

bool store_exists(const struct store *s, const char *sha256)
{
	char path[PATH_MAX_STORE];

	return store_path(s, sha256, path, sizeof path) == 0 && access(path, F_OK) == 0;
}

/* ---- one read pass, two hash threads -------------------------------- */

struct slot {
	unsigned char *data;
	size_t len;
	uint64_t seq;		/* which chunk it holds */
	int pending;		/* hash threads still to read it */
};

struct pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slots[SLOTS];
	uint64_t filled;	/* chunks made available so far */
	int done;		/* no more chunks will come */
	int failed;		/* a hash thread failed */
};

struct hasher {
	struct pipe *p;
	const EVP_MD *md;
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned len;
	int ok;
};

static void *hash_thread(void *arg)
{
	struct hasher *h = arg;
	struct pipe *p = h->p;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint64_t seq = 0;

	h->ok = ctx && EVP_DigestInit_ex(ctx, h->md, NULL);
	for (;;) {
		struct slot *sl = &p->slots[seq % SLOTS];

		pthread_mutex_lock(&p->lock);
		while (seq >= p->filled && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		if (seq >= p->filled) {	/* done, nothing more */
			pthread_mutex_unlock(&p->lock);
			break;
		}
		pthread_mutex_unlock(&p->lock);
		if (h->ok && !EVP_DigestUpdate(ctx, sl->data, sl->len))
			h->ok = 0;
		pthread_mutex_lock(&p->lock);
		if (--sl->pending == 0)
			pthread_cond_broadcast(&p->changed);
		if (!h->ok)
			p->failed = 1;
		pthread_mutex_unlock(&p->lock);
		seq++;
	}
	if (h->ok && !EVP_DigestFinal_ex(ctx, h->out, &h->len))
		h->ok = 0;
	EVP_MD_CTX_free(ctx);
	return NULL;
}

static void hex(const unsigned char *b, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int write_all(int fd, const unsigned char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return ERR_IO;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* copy_and_hash reads in_fd to the end, writing to out_fd (-1: nowhere)
 * and hashing. Returns 0 or ERR_IO (errno kept) / ERR_NOMEM. */
static int copy_and_hash(int in_fd, int out_fd, uint64_t total, struct digest *d,
			 store_progress_fn progress, void *arg)
{
	struct pipe p = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
	struct hasher sha = {.p = &p, .md = EVP_sha256()}, md5 = {.p = &p, .md = EVP_md5()};
	pthread_t t1, t2;
	unsigned char *mem = malloc((size_t)CHUNK * SLOTS);
	uint64_t seq = 0, done = 0;
	int rc = 0, saved_errno = 0, started = 0;

	if (!mem)
		return ERR_NOMEM;
	for (int i = 0; i < SLOTS; i++)
		p.slots[i].data = mem + (size_t)i * CHUNK;
	if (pthread_create(&t1, NULL, hash_thread, &sha) == 0)
		started |= 1;
	if (pthread_create(&t2, NULL, hash_thread, &md5) == 0)
		started |= 2;
	if (started != 3)
		rc = ERR_NOMEM;
	while (rc == 0) {
		struct slot *sl = &p.slots[seq % SLOTS];
		size_t got = 0;
		ssize_t r = 0;

		/* wait until both hash threads are done with this buffer */
		pthread_mutex_lock(&p.lock);
		while (sl->pending > 0)
			pthread_cond_wait(&p.changed, &p.lock);
		pthread_mutex_unlock(&p.lock);
		while (got < CHUNK && (r = read(in_fd, sl->data + got, CHUNK - got)) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			got += (size_t)r;
		}
		if (r < 0) {
			saved_errno = errno;
			rc = ERR_IO;
			break;
		}
		if (got == 0)
			break;
		if (out_fd >= 0 && write_all(out_fd, sl->data, got)) {
			saved_errno = errno;
			rc = ERR_IO;
			break;
		}
		/* start writing this chunk to disk now, so the disk works while
		 * the hashes do and the fsync at the end has little left */
		if (out_fd >= 0)
			sync_file_range(out_fd, (off64_t)done, (off64_t)got, SYNC_FILE_RANGE_WRITE);
		pthread_mutex_lock(&p.lock);
		sl->len = got;
		sl->seq = seq;
		sl->pending = 2;
		p.filled = ++seq;
		pthread_cond_broadcast(&p.changed);
		pthread_mutex_unlock(&p.lock);
		done += got;
		if (progress && (seq % 16 == 0))
			progress(arg, done, total);
	}
	pthread_mutex_lock(&p.lock);
	p.done = 1;
	pthread_cond_broadcast(&p.changed);
	pthread_mutex_unlock(&p.lock);
	if (started & 1)
		pthread_join(t1, NULL);
	if (started & 2)
		pthread_join(t2, NULL);
	free(mem);
	if (rc == 0 && (!sha.ok || !md5.ok || p.failed))
		rc = ERR_NOMEM;
	if (rc == 0) {
		hex(sha.out, sha.len, d->sha256);
		hex(md5.out, md5.len, d->md5);
		d->size = done;
		if (progress)
			progress(arg, done, total);
	}
	errno = saved_errno;
	return rc;
}

int store_hash_file(const char *path, struct digest *d, store_progress_fn progress, void *arg)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, e;

	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = S_ISDIR(sb.st_mode) ? EISDIR : errno;
		close(fd);
		errno = e;
		return ERR_IO;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = copy_and_hash(fd, -1, (uint64_t)sb.st_size, d, progress, arg);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int mkdir_p(const char *dir)
{
	char p[PATH_MAX_STORE];

	snprintf(p, sizeof p, "%s", dir);
	for (char *c = p + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return ERR_IO;
		*c = '/';
	}
	return mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : ERR_IO;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return ERR_IO;
	rc = fsync(fd) == 0 ? 0 : ERR_IO;
	close(fd);
	return rc;
}

int store_put(struct store *s, const char *path, struct digest *d, bool *existed,
	      store_progress_fn progress, void *arg)
{
	char tmp[PATH_MAX_STORE], final[PATH_MAX_STORE], dir[PATH_MAX_STORE], id[UUID_STR_LEN + 1];
	struct stat sb;
	int in, out, rc, e = 0;

	*existed = false;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = S_ISDIR(sb.st_mode) ? EISDIR : errno ? errno : EINVAL;
		close(in);
		errno = e;
		return ERR_IO;
	}
	posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
	uuid_v7(id);
	snprintf(tmp, sizeof tmp, "%s/tmp/ingest-%s.part", s->dir, id);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		e = errno;
		close(in);
		errno = e;
		return ERR_IO;
	}
	rc = copy_and_hash(in, out, (uint64_t)sb.st_size, d, progress, arg);
	e = errno;
	close(in);
	if (rc == 0 && fsync(out) != 0) {
		rc = ERR_IO;
		e = errno;
	}
	if (close(out) != 0 && rc == 0) {
		rc = ERR_IO;
		e = errno;
	}
	if (rc == 0 && (rc = store_path(s, d->sha256, final, sizeof final)) == 0) {
		snprintf(dir, sizeof dir, "%s", final);
		*strrchr(dir, '/') = '\0';
		if (access(final, F_OK) == 0) {
			*existed = true;	/* the same bytes are already stored */
		} else if (mkdir_p(dir) || chmod(tmp, 0444) || rename(tmp, final) || fsync_dir(dir)) {
			rc = ERR_IO;
			e = errno;
		}
	}
	if (rc != 0 || *existed)
		unlink(tmp);
	errno = e;
	return rc;
}

int store_put_bytes(struct store *s, const void *data, size_t len, struct digest *d,
		    bool *existed)
{
	char tmp[PATH_MAX_STORE], id[UUID_STR_LEN + 1];
	int fd, rc, e;

	*existed = false;
	uuid_v7(id);
	snprintf(tmp, sizeof tmp, "%s/tmp/bytes-%s.part", s->dir, id);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ERR_IO;
	rc = write_all(fd, data, len);
	e = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = ERR_IO;
		e = errno;
	}
	if (rc == 0) {
		rc = store_put(s, tmp, d, existed, NULL, NULL);
		e = errno;
	}
	unlink(tmp);
	errno = e;
	return rc;
}

int store_verify(struct store *s, const char *sha256, struct digest *d,
		 store_progress_fn progress, void *arg)
{
	char path[PATH_MAX_STORE];
	int rc;

	if ((rc = store_path(s, sha256, path, sizeof path)))
		return rc;
	rc = store_hash_file(path, d, progress, arg);
	if (rc)
		return rc == ERR_NOTFOUND ? ERR_NOTFOUND : rc;
	return strcmp(d->sha256, sha256) == 0 ? 0 : ERR_INVALID;
}

int store_remove(struct store *s, const char *sha256)
{
	char path[PATH_MAX_STORE];
	int rc;

	if ((rc = store_path(s, sha256, path, sizeof path)))
		return rc;
	if (unlink(path) != 0 && errno != ENOENT)
		return ERR_IO;
	*strrchr(path, '/') = '\0';
	return fsync_dir(path) == 0 ? 0 : ERR_IO;
}

int store_clean_tmp(struct store *s, int *removed)
{
	char dir[PATH_MAX_STORE], path[PATH_MAX_STORE * 2];
	struct dirent *de;
	DIR *dp;
	int rc = 0;

	*removed = 0;
	snprintf(dir, sizeof dir, "%s/tmp", s->dir);
	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? 0 : ERR_IO;
	while ((de = readdir(dp))) {
		size_t n = strlen(de->d_name);
		/* only what store_put and derive stage, nothing else a person put there */
		if (n < 6 || strcmp(de->d_name + n - 5, ".part") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			(*removed)++;
		else
			rc = ERR_IO;
	}
	closedir(dp);
	return rc;
}
