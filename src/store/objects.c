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
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "core/err.h"
#include "core/uuid.h"

#define CHUNK (1u << 20)
#define SLOTS 4
#define PATH_MAX_STORE 4096
#define OBJ_DIR "objects/sha256"	/* where objects live, by their name's digits */
#define TMP_DIR "tmp"			/* where writes are staged */
#define PART ".part"			/* every staging name ends so */

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

/* hex_name: name is n lowercase hexadecimal digits. */
static bool hex_name(const char *name, size_t n)
{
	if (strlen(name) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

int store_create(const char *archive_dir)
{
	char p[PATH_MAX_STORE];
	static const char *const dirs[] = {"objects", OBJ_DIR, TMP_DIR};

	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		int n = snprintf(p, sizeof p, "%s/%s", archive_dir, dirs[i]);
		if (n < 0 || (size_t)n >= sizeof p) {
			errno = ENAMETOOLONG;
			return ERR_IO;
		}
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return ERR_IO;
	}
	return 0;
}

int store_path(const struct store *s, const char *sha256, char *out, size_t n)
{
	int len;

	if (!hex_name(sha256, SHA256_HEX))
		return ERR_INVALID;
	len = snprintf(out, n, "%s/" OBJ_DIR "/%.2s/%.2s/%s", s->dir, sha256, sha256 + 2, sha256);
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

/* open_staging creates a new staging file under a fresh name made from
 * prefix (s->dir/TMP_DIR/PREFIX-UUID.part) and holds an exclusive lock on
 * it for as long as the descriptor stays open, so store_clean_tmp, run by
 * another ingest at the same time, leaves it alone. The cleaner may have
 * removed it between the create and the lock: then it has no name left
 * (st_nlink 0) and a new one is made. Returns the descriptor, or -1 with
 * errno set. */
static int open_staging(const struct store *s, const char *prefix, char *path, size_t n)
{
	char id[UUID_STR_LEN + 1];

	for (int tries = 0; tries < 100; tries++) {
		struct stat sb;
		int fd, len;

		uuid_v7(id);
		len = snprintf(path, n, "%s/" TMP_DIR "/%s-%s" PART, s->dir, prefix, id);
		if (len < 0 || (size_t)len >= n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 && sb.st_nlink > 0)
			return fd;
		close(fd);	/* swept before it was locked: make another */
	}
	errno = EAGAIN;
	return -1;
}

/* place gives the fsynced staging file tmp its object's name: made
 * read-only, renamed, its folder fsynced; *existed (and tmp left for the
 * caller to unlink) when the object is already there. 0 or ERR_IO. */
static int place(struct store *s, const char *tmp, const struct digest *d, bool *existed)
{
	char final[PATH_MAX_STORE], dir[PATH_MAX_STORE];
	int rc;

	*existed = false;
	if ((rc = store_path(s, d->sha256, final, sizeof final)))
		return rc;
	snprintf(dir, sizeof dir, "%s", final);
	*strrchr(dir, '/') = '\0';
	if (access(final, F_OK) == 0) {
		*existed = true;	/* the same bytes are already stored */
		return 0;
	}
	if (mkdir_p(dir) || chmod(tmp, 0444) || rename(tmp, final))
		return ERR_IO;
	if (fsync_dir(dir)) {
		/* the name may not survive a crash: take it back, so a failure
		 * leaves no object that the caller, told it failed, never records */
		int e = errno;
		unlink(final);
		errno = e;
		return ERR_IO;
	}
	return 0;
}

int store_put(struct store *s, const char *path, struct digest *d, bool *existed,
	      store_progress_fn progress, void *arg)
{
	char tmp[PATH_MAX_STORE] = "";
	struct stat sb;
	int in, out = -1, rc = ERR_IO, e = 0;

	*existed = false;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	if (fstat(in, &sb) != 0) {
		e = errno;
		goto done;
	}
	if (!S_ISREG(sb.st_mode)) {
		e = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		goto done;
	}
	posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
	out = open_staging(s, "ingest", tmp, sizeof tmp);
	if (out < 0) {
		e = errno;
		tmp[0] = '\0';		/* not ours to remove */
		goto done;
	}
	rc = copy_and_hash(in, out, (uint64_t)sb.st_size, d, progress, arg);
	e = errno;
	if (rc == 0 && fsync(out) != 0) {
		rc = ERR_IO;
		e = errno;
	}
	/* renamed while still open, so still locked: no sweep can come between */
	if (rc == 0) {
		rc = place(s, tmp, d, existed);
		e = errno;
	}
	if (close(out) != 0 && rc == 0) {
		rc = ERR_IO;
		e = errno;
	}
	out = -1;
done:
	close(in);
	if (out >= 0)
		close(out);
	if (*tmp && (rc != 0 || *existed))
		unlink(tmp);
	errno = e;
	return rc;
}

int store_put_bytes(struct store *s, const void *data, size_t len, struct digest *d,
		    bool *existed)
{
	struct store_stage *st;
	int rc;

	*existed = false;
	if ((rc = store_stage_begin(s, &st)))
		return rc;
	if ((rc = store_stage_write(st, data, len))) {
		int e = errno;
		store_stage_abort(st);
		errno = e;
		return rc;
	}
	return store_stage_commit(st, d, existed);
}

/* ---- streaming stage --------------------------------------------------- */

struct store_stage {
	struct store *s;
	int fd;				/* the staging file, -1 once closed */
	char tmp[PATH_MAX_STORE];	/* its name */
	EVP_MD_CTX *sha, *md5;		/* fed as the bytes are written */
	uint64_t size;
	int failed;			/* a write failed: only abort is left */
};

int store_stage_begin(struct store *s, struct store_stage **out)
{
	struct store_stage *st = calloc(1, sizeof *st);
	int rc = ERR_NOMEM, e = ENOMEM;

	*out = NULL;
	if (!st)
		goto fail;
	st->s = s;
	st->fd = -1;
	st->sha = EVP_MD_CTX_new();
	st->md5 = EVP_MD_CTX_new();
	if (!st->sha || !st->md5 || !EVP_DigestInit_ex(st->sha, EVP_sha256(), NULL) ||
	    !EVP_DigestInit_ex(st->md5, EVP_md5(), NULL))
		goto fail;
	st->fd = open_staging(s, "stage", st->tmp, sizeof st->tmp);
	if (st->fd < 0) {
		rc = ERR_IO;
		e = errno;
		goto fail;
	}
	*out = st;
	return 0;
fail:
	if (st) {
		EVP_MD_CTX_free(st->sha);
		EVP_MD_CTX_free(st->md5);
		free(st);
	}
	errno = e;
	return rc;
}

int store_stage_write(struct store_stage *st, const void *data, size_t len)
{
	if (st->failed) {
		errno = EIO;
		return ERR_IO;
	}
	if (!EVP_DigestUpdate(st->sha, data, len) || !EVP_DigestUpdate(st->md5, data, len)) {
		st->failed = 1;
		errno = ENOMEM;
		return ERR_NOMEM;
	}
	if (write_all(st->fd, data, len)) {
		st->failed = 1;
		return ERR_IO;
	}
	st->size += len;
	return 0;
}

void store_stage_abort(struct store_stage *st)
{
	int e = errno;

	if (!st)
		return;
	if (st->fd >= 0)
		close(st->fd);
	unlink(st->tmp);
	EVP_MD_CTX_free(st->sha);
	EVP_MD_CTX_free(st->md5);
	free(st);
	errno = e;
}

int store_stage_commit(struct store_stage *st, struct digest *d, bool *existed)
{
	unsigned char sha[EVP_MAX_MD_SIZE], md5[EVP_MAX_MD_SIZE];
	unsigned shalen, md5len;
	int rc = 0, e = 0;

	*existed = false;
	if (st->failed) {
		rc = ERR_IO;
		e = EIO;
	} else if (!EVP_DigestFinal_ex(st->sha, sha, &shalen) ||
		   !EVP_DigestFinal_ex(st->md5, md5, &md5len)) {
		rc = ERR_NOMEM;
		e = ENOMEM;
	} else if (fsync(st->fd) != 0) {
		rc = ERR_IO;
		e = errno;
	}
	/* renamed while still open, so still locked: no sweep can come between */
	if (rc == 0) {
		hex(sha, shalen, d->sha256);
		hex(md5, md5len, d->md5);
		d->size = st->size;
		rc = place(st->s, st->tmp, d, existed);
		e = errno;
	}
	if (close(st->fd) != 0 && rc == 0) {
		rc = ERR_IO;
		e = errno;
	}
	st->fd = -1;
	if (rc != 0 || *existed)
		unlink(st->tmp);
	EVP_MD_CTX_free(st->sha);
	EVP_MD_CTX_free(st->md5);
	free(st);
	errno = e;
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

int store_open_read(const struct store *s, const char *sha256, int *fd, uint64_t *size)
{
	char path[PATH_MAX_STORE];
	struct stat sb;
	int rc, e;

	*fd = -1;
	if ((rc = store_path(s, sha256, path, sizeof path)))
		return rc;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = S_ISDIR(sb.st_mode) ? EISDIR : errno;
		close(*fd);
		*fd = -1;
		errno = e;
		return ERR_IO;
	}
	*size = (uint64_t)sb.st_size;
	return 0;
}

int store_scratch_open(const struct store *s, const char *label, char *out, size_t n)
{
	for (const char *c = label; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-')) {
			errno = EINVAL;
			return -1;
		}
	return open_staging(s, label, out, n);
}

/* ---- listing ------------------------------------------------------------ */

/* The three levels of the local layout: OBJ_DIR/ab, then cd, then names. */
struct store_iter {
	char base[PATH_MAX_STORE];	/* OBJ_DIR of the archive */
	char part[2][3];		/* the ab and cd being listed */
	DIR *dp[3];
	int depth;			/* the deepest level open, -1 when done */
};

int store_iter_open(const struct store *s, struct store_iter **out)
{
	struct store_iter *it = calloc(1, sizeof *it);

	*out = NULL;
	if (!it)
		return ERR_NOMEM;
	snprintf(it->base, sizeof it->base, "%s/" OBJ_DIR, s->dir);
	it->dp[0] = opendir(it->base);
	if (!it->dp[0] && errno == ENOENT) {
		it->depth = -1;		/* no folder yet: no objects */
	} else if (!it->dp[0]) {
		int e = errno;
		free(it);
		errno = e;
		return ERR_IO;
	}
	*out = it;
	return 0;
}

int store_iter_next(struct store_iter *it, char sha256[SHA256_HEX + 1])
{
	char path[PATH_MAX_STORE + 8];

	while (it->depth >= 0) {
		struct dirent *de;
		int lvl = it->depth;

		errno = 0;
		de = readdir(it->dp[lvl]);
		if (!de) {
			if (errno)
				return ERR_IO;
			closedir(it->dp[lvl]);
			it->dp[lvl] = NULL;
			it->depth--;
			continue;
		}
		if (lvl < 2) {
			if (!hex_name(de->d_name, 2))
				continue;
			memcpy(it->part[lvl], de->d_name, 3);
			if (lvl == 0)
				snprintf(path, sizeof path, "%s/%s", it->base, it->part[0]);
			else
				snprintf(path, sizeof path, "%s/%s/%s", it->base, it->part[0], it->part[1]);
			it->dp[lvl + 1] = opendir(path);
			if (!it->dp[lvl + 1]) {
				if (errno == ENOTDIR)
					continue;
				return ERR_IO;
			}
			it->depth++;
			continue;
		}
		/* an object sits under its own first two and next two digits */
		if (!hex_name(de->d_name, SHA256_HEX) || memcmp(de->d_name, it->part[0], 2) != 0 ||
		    memcmp(de->d_name + 2, it->part[1], 2) != 0)
			continue;
		memcpy(sha256, de->d_name, SHA256_HEX);	/* hex_name checked its length */
		sha256[SHA256_HEX] = '\0';
		return 1;
	}
	return 0;
}

void store_iter_close(struct store_iter *it)
{
	if (!it)
		return;
	for (int i = 0; i < 3; i++)
		if (it->dp[i])
			closedir(it->dp[i]);
	free(it);
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
	int rc = 0, fd;

	*removed = 0;
	snprintf(dir, sizeof dir, "%s/" TMP_DIR, s->dir);
	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? 0 : ERR_IO;
	while ((de = readdir(dp))) {
		size_t n = strlen(de->d_name);
		/* only what store_put and derive stage, nothing else a person put there */
		if (n < sizeof PART || strcmp(de->d_name + n - (sizeof PART - 1), PART) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		/* a staging file still locked is being written by someone alive */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
			close(fd);
			continue;
		}
		if (unlink(path) == 0)
			(*removed)++;
		else if (errno != ENOENT)
			rc = ERR_IO;
		if (fd >= 0)
			close(fd);
	}
	closedir(dp);
	return rc;
}
