/* bag.c: BagIt bags out of and into the archive (see bag.h). The text of
 * a bag is read and written by interop/bagit.c; here are the files: the
 * walk of a bag that trusts nothing in it (no symbolic link is followed,
 * no path leaves it, every byte is hashed against every manifest before
 * the catalogue is touched), the copy of objects out of the store with
 * their hashes made on the way, and the import through the same calls
 * as ingest and import. */
#include "bag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog/import.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/read_q.h"
#include "interop/bagit.h"
#include "interop/dc.h"
#include "interop/pbcore.h"
#include "interop/premis.h"

#define CHUNK (1u << 20)		/* bytes read at a time */
#define TAG_MAX (64u << 20)		/* bytes of a tag file or our JSON metadata */
#define DIR_MAX 4096			/* bytes of the bag's or archive's folder name */
#define PATHLEN (DIR_MAX + BAGIT_PATH_MAX + 2)

static void fail(struct preserve *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct preserve *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
}

static const EVP_MD *algo_md(enum bagit_algo a)
{
	switch (a) {
	case BAGIT_MD5: return EVP_md5();
	case BAGIT_SHA1: return EVP_sha1();
	case BAGIT_SHA256: return EVP_sha256();
	default: return EVP_sha512();
	}
}

/* Hashes of one stream, for the algorithms in mask. */
struct hashes {
	EVP_MD_CTX *ctx[BAGIT_NALGO];
	char hex[BAGIT_NALGO][129];
	unsigned mask;
};

static int hashes_begin(struct hashes *h, unsigned mask)
{
	memset(h, 0, sizeof *h);
	h->mask = mask;
	for (int a = 0; a < BAGIT_NALGO; a++)
		if (mask & (1u << a)) {
			if (!(h->ctx[a] = EVP_MD_CTX_new()) ||
			    !EVP_DigestInit_ex(h->ctx[a], algo_md((enum bagit_algo)a), NULL))
				return ERR_NOMEM;
		}
	return 0;
}

static void hashes_update(struct hashes *h, const void *data, size_t n)
{
	for (int a = 0; a < BAGIT_NALGO; a++)
		if (h->ctx[a])
			EVP_DigestUpdate(h->ctx[a], data, n);
}

static void hashes_end(struct hashes *h)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n;

	for (int a = 0; a < BAGIT_NALGO; a++) {
		if (!h->ctx[a])
			continue;
		if (EVP_DigestFinal_ex(h->ctx[a], md, &n))
			for (unsigned i = 0; i < n; i++) {
				h->hex[a][2 * i] = hexd[md[i] >> 4];
				h->hex[a][2 * i + 1] = hexd[md[i] & 15];
				h->hex[a][2 * i + 2] = '\0';
			}
		EVP_MD_CTX_free(h->ctx[a]);
		h->ctx[a] = NULL;
	}
}

/* hash_fd hashes what fd holds from where it is; *size gets the bytes. */
static int hash_fd(int fd, unsigned mask, struct hashes *h, uint64_t *size)
{
	char *chunk = malloc(CHUNK);
	int rc;
	ssize_t n;

	*size = 0;
	memset(h, 0, sizeof *h);	/* hashes_end is safe on it whatever fails */
	if (!chunk || (rc = hashes_begin(h, mask))) {
		free(chunk);
		hashes_end(h);
		return ERR_NOMEM;
	}
	while ((n = read(fd, chunk, CHUNK)) > 0) {
		hashes_update(h, chunk, (size_t)n);
		*size += (uint64_t)n;
	}
	rc = n < 0 ? ERR_IO : 0;
	hashes_end(h);
	free(chunk);
	return rc;
}

/* open_in opens dir/rel for reading, refusing a symbolic link anywhere on
 * the way and anything that is not a regular file: -1 with errno (ELOOP
 * for a link, EINVAL for not a file). */
static int open_in(const char *dir, const char *rel)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
	char part[BAGIT_PATH_MAX + 1];
	const char *at = rel;
	struct stat sb;

	while (d >= 0) {
		const char *slash = strchr(at, '/');
		size_t n = slash ? (size_t)(slash - at) : strlen(at);
		int next;
		if (n >= sizeof part) {
			errno = ENAMETOOLONG;
			break;
		}
		memcpy(part, at, n);
		part[n] = '\0';
		next = openat(d, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : 0));
		close(d);
		d = -1;
		if (next < 0)
			break;
		if (!slash) {
			if (fstat(next, &sb) != 0 || !S_ISREG(sb.st_mode)) {
				close(next);
				errno = EINVAL;
				break;
			}
			fd = next;
			break;
		}
		d = next;
		at = slash + 1;
	}
	if (d >= 0)
		close(d);
	return fd;
}

/* read_small reads a tag file (at most TAG_MAX bytes) into b. */
static int read_small(struct preserve *p, const char *dir, const char *rel, struct buf *b,
		      bool *absent)
{
	char chunk[8192];
	ssize_t n;
	int fd = open_in(dir, rel), rc = 0;

	*absent = false;
	if (fd < 0) {
		if (errno == ENOENT) {
			*absent = true;
			return ERR_NOTFOUND;
		}
		fail(p, "%s: %s", rel, errno == ELOOP ? "a symbolic link (a bag holds files)" :
		     errno == EINVAL ? "not a file" : strerror(errno));
		return ERR_INVALID;
	}
	buf_init(b, TAG_MAX);
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) > 0)
		rc = buf_append(b, chunk, (size_t)n);
	if (rc == 0 && n < 0) {
		fail(p, "%s: cannot read: %s", rel, strerror(errno));
		rc = ERR_IO;
	} else if (rc == ERR_NOMEM) {
		fail(p, "%s: out of memory reading it", rel);
	} else if (rc) {
		fail(p, "%s: larger than %u MiB", rel, TAG_MAX >> 20);
		rc = ERR_TOOBIG;
	}
	close(fd);
	return rc;
}

/* ---- checking a bag -------------------------------------------------------- */

/* One path a manifest names, with its checksum in each manifest. */
struct entry {
	char *path;
	char hex[BAGIT_NALGO][129];
	int line[BAGIT_NALGO];		/* its line in each manifest, 0: not there */
	bool found;			/* seen in the payload (or as a tag file) */
};

/* The manifests of one kind (payload or tag), merged. */
struct table {
	struct entry *e;
	size_t n, cap;
	unsigned mask;			/* algorithms with a manifest */
	bool sorted;
};

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].path);
	free(t->e);
	memset(t, 0, sizeof *t);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static struct entry *table_find(struct table *t, const char *path)
{
	struct entry key = {.path = (char *)path};

	if (!t->sorted) {
		qsort(t->e, t->n, sizeof *t->e, by_path);
		t->sorted = true;
	}
	return t->n ? bsearch(&key, t->e, t->n, sizeof *t->e, by_path) : NULL;
}

/* What a manifest's parse is adding to. */
struct adding {
	struct table *t;
	enum bagit_algo algo;
	const char *file;
	bool first;			/* the first manifest of its kind: lines are new */
};

static int on_entry(void *arg, int line, const char *hex, const char *path, char *err,
		    size_t errlen)
{
	struct adding *ad = arg;
	struct table *t = ad->t;
	struct entry *e;

	if (ad->first) {
		/* duplicates are found once sorted, below */
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			struct entry *ne = realloc(t->e, cap * sizeof *ne);
			if (!ne)
				return ERR_NOMEM;
			t->e = ne;
			t->cap = cap;
		}
		e = &t->e[t->n];
		memset(e, 0, sizeof *e);
		if (!(e->path = strdup(path)))
			return ERR_NOMEM;
		t->n++;
		t->sorted = false;
	} else if (!(e = table_find(t, path))) {
		snprintf(err, errlen, "%s line %d: \"%s\" is in no other manifest (every manifest "
			 "lists every file)", ad->file, line, path);
		return ERR_INVALID;
	} else if (e->line[ad->algo]) {
		snprintf(err, errlen, "%s line %d: \"%s\" again (first at line %d)", ad->file, line,
			 path, e->line[ad->algo]);
		return ERR_INVALID;
	}
	memcpy(e->hex[ad->algo], hex, strlen(hex) + 1);
	e->line[ad->algo] = line;
	return 0;
}

/* load_manifests reads every manifest of one kind ("manifest" or
 * "tagmanifest") into t. */
static int load_manifests(struct preserve *p, const char *dir, const char *kind, bool payload,
			  struct table *t)
{
	static const enum bagit_algo order[] = {BAGIT_SHA512, BAGIT_SHA256, BAGIT_SHA1, BAGIT_MD5};
	char name[64], why[BAGIT_PATH_MAX + 300];
	bool first = true;

	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		enum bagit_algo a = order[k];
		struct buf b;
		bool absent;
		int rc;

		snprintf(name, sizeof name, "%s-%s.txt", kind, bagit_algo_name(a));
		rc = read_small(p, dir, name, &b, &absent);
		if (absent)
			continue;
		if (rc) {
			buf_free(&b);
			return rc;
		}
		struct adding ad = {.t = t, .algo = a, .file = name, .first = first};
		rc = bagit_manifest_parse(b.data ? b.data : "", b.len, a, payload, on_entry, &ad,
					  why, sizeof why);
		buf_free(&b);
		if (rc == ERR_NOMEM) {
			fail(p, "out of memory reading %s", name);
			return rc;
		}
		if (rc) {
			/* the parser's own messages say "line N: ..."; ours name the file */
			if (strncmp(why, "line ", 5) == 0)
				fail(p, "%s %s", name, why);
			else
				fail(p, "%s", why);
			return ERR_INVALID;
		}
		if (first) {
			table_find(t, "");	/* sort */
			for (size_t i = 1; i < t->n; i++)
				if (strcmp(t->e[i - 1].path, t->e[i].path) == 0) {
					int l1 = t->e[i - 1].line[a], l2 = t->e[i].line[a];
					fail(p, "%s line %d: \"%s\" again (first at line %d)", name,
					     l1 > l2 ? l1 : l2, t->e[i].path, l1 < l2 ? l1 : l2);
					return ERR_INVALID;
				}
		} else {
			for (size_t i = 0; i < t->n; i++)
				if (!t->e[i].line[a]) {
					fail(p, "%s: \"%s\" is missing (it is in the other manifests; "
					     "every manifest lists every file)", name, t->e[i].path);
					return ERR_INVALID;
				}
		}
		t->mask |= 1u << a;
		first = false;
	}
	return 0;
}

/* check_file hashes one file of the bag against its entry. */
static int check_file(struct preserve *p, const char *dir, struct entry *e, unsigned mask,
		      const char *kind, uint64_t *size)
{
	struct hashes h;
	int fd = open_in(dir, e->path), rc;

	if (fd < 0) {
		fail(p, "%s-%s.txt line %d: \"%s\" %s", kind,
		     bagit_algo_name(mask & (1u << BAGIT_SHA256) ? BAGIT_SHA256 : BAGIT_SHA512),
		     e->line[mask & (1u << BAGIT_SHA256) ? BAGIT_SHA256 : BAGIT_SHA512], e->path,
		     errno == ENOENT ? "is not in the bag (a file missing)" :
		     errno == ELOOP ? "is a symbolic link (a bag holds files)" :
		     errno == EINVAL ? "is not a file" : strerror(errno));
		return ERR_INVALID;
	}
	rc = hash_fd(fd, mask, &h, size);
	close(fd);
	if (rc) {
		fail(p, "%s: cannot read: %s", e->path, rc == ERR_NOMEM ? "out of memory" :
		     strerror(errno));
		return rc;
	}
	for (int a = 0; a < BAGIT_NALGO; a++)
		if ((mask & (1u << a)) && strcmp(h.hex[a], e->hex[a]) != 0) {
			fail(p, "%s-%s.txt line %d: \"%s\" has %s %s, the manifest says %s (the "
			     "file was changed or damaged)", kind, bagit_algo_name((enum bagit_algo)a),
			     e->line[a], e->path, bagit_algo_name((enum bagit_algo)a), h.hex[a],
			     e->hex[a]);
			return ERR_INVALID;
		}
	e->found = true;
	return 0;
}

/* The bag as checked. */
struct bag {
	const char *dir;
	struct table payload, tags;
	uint64_t octets, count;		/* of the payload, counted */
	char ext_id[200];		/* the first External-Identifier, or "" */
	bool has_oxum;
	uint64_t oxum_octets, oxum_count;
	int oxum_line;
};

/* walk visits every entry of the folder rel ("data" or below), opened
 * from its parent's descriptor without following a link, refusing what
 * is not a file or folder, and checks each file against the payload. */
static int walk(struct preserve *p, struct bag *bag, int parent, const char *name,
		const char *rel, int depth)
{
	DIR *d = NULL;
	struct dirent *de;
	int rc = 0, fd;

	if (depth > 64) {
		fail(p, "%s: folders nested more than 64 deep", rel);
		return ERR_INVALID;
	}
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		fail(p, "%s: %s", rel, errno == ELOOP || errno == ENOTDIR ?
		     "a symbolic link or not a folder" : errno == ENOENT && depth == 0 ?
		     "missing (the payload folder, which every bag has, even an empty one)" :
		     strerror(errno));
		if (fd >= 0)
			close(fd);
		return ERR_INVALID;
	}
	while (rc == 0 && (errno = 0, de = readdir(d))) {
		char sub[BAGIT_PATH_MAX + 2];
		struct stat sb;
		struct entry *e;
		uint64_t size;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", rel, de->d_name) >= sizeof sub) {
			fail(p, "%s/...: a path longer than %d bytes", rel, BAGIT_PATH_MAX);
			rc = ERR_INVALID;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			fail(p, "%s: %s", sub, strerror(errno));
			rc = ERR_IO;
		} else if (S_ISLNK(sb.st_mode)) {
			fail(p, "%s: a symbolic link (a bag holds files; it might point outside)", sub);
			rc = ERR_INVALID;
		} else if (S_ISDIR(sb.st_mode)) {
			rc = walk(p, bag, dirfd(d), de->d_name, sub, depth + 1);
		} else if (!S_ISREG(sb.st_mode)) {
			fail(p, "%s: not a file or folder", sub);
			rc = ERR_INVALID;
		} else if (!(e = table_find(&bag->payload, sub))) {
			fail(p, "%s: in the payload but in no manifest (a file added to the bag?)", sub);
			rc = ERR_INVALID;
		} else if ((rc = check_file(p, bag->dir, e, bag->payload.mask, "manifest", &size)) == 0) {
			bag->octets += size;
			bag->count++;
		}
	}
	if (rc == 0 && errno) {
		fail(p, "%s: cannot list: %s", rel, strerror(errno));
		rc = ERR_IO;
	}
	closedir(d);
	return rc;
}

static int on_info(void *arg, int line, const char *label, const char *value, char *err,
		   size_t errlen)
{
	struct bag *bag = arg;

	if (strcmp(label, "Payload-Oxum") == 0) {
		if (bag->has_oxum) {
			snprintf(err, errlen, "bag-info.txt line %d: Payload-Oxum again (it is given "
				 "once)", line);
			return ERR_INVALID;
		}
		if (!bagit_oxum_parse(value, &bag->oxum_octets, &bag->oxum_count)) {
			snprintf(err, errlen, "bag-info.txt line %d: Payload-Oxum \"%s\" is not "
				 "OCTETS.COUNT", line, value);
			return ERR_INVALID;
		}
		bag->has_oxum = true;
		bag->oxum_line = line;
	} else if (strcmp(label, "External-Identifier") == 0 && !bag->ext_id[0]) {
		snprintf(bag->ext_id, sizeof bag->ext_id, "%s", value);
	}
	return 0;
}

/* bag_check: the whole of a bag, before anything is changed. */
static int bag_check(struct preserve *p, struct bag *bag)
{
	char why[BAGIT_PATH_MAX + 300], fetch[PATHLEN];
	struct buf b;
	bool absent;
	struct stat sb;
	int rc;

	/* the folder itself may be reached through a link (a mounted disk);
	 * nothing inside it may */
	if (stat(bag->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fail(p, "%s: %s", bag->dir, errno == ENOENT ? "no such folder" : "not a folder");
		return ERR_NOTFOUND;
	}
	rc = read_small(p, bag->dir, "bagit.txt", &b, &absent);
	if (absent)
		fail(p, "%s: no bagit.txt, so not a bag (or one whose writing was cut short)",
		     bag->dir);
	if (rc == 0 && bagit_declaration_check(b.data ? b.data : "", b.len, why, sizeof why)) {
		fail(p, "bagit.txt %s", why);
		rc = ERR_INVALID;
	}
	buf_free(&b);
	if (rc)
		return rc == ERR_NOTFOUND ? ERR_INVALID : rc;
	snprintf(fetch, sizeof fetch, "%s/fetch.txt", bag->dir);
	if (lstat(fetch, &sb) == 0) {
		fail(p, "fetch.txt: the bag is not complete (it lists files to fetch from "
		     "elsewhere): fetch them into it first, with the tool that made it");
		return ERR_INVALID;
	}
	if ((rc = load_manifests(p, bag->dir, "manifest", true, &bag->payload)))
		return rc;
	if (!bag->payload.mask) {
		fail(p, "%s: no payload manifest (manifest-sha256.txt or manifest-sha512.txt)",
		     bag->dir);
		return ERR_INVALID;
	}
	if ((rc = load_manifests(p, bag->dir, "tagmanifest", false, &bag->tags)))
		return rc;
	rc = read_small(p, bag->dir, "bag-info.txt", &b, &absent);
	if (rc == 0 && (rc = bagit_tags_parse(b.data ? b.data : "", b.len, on_info, bag, why,
					      sizeof why))) {
		if (strncmp(why, "line ", 5) == 0)
			fail(p, "bag-info.txt %s", why);
		else
			fail(p, "%s", why);
	}
	buf_free(&b);
	if (rc && !absent)
		return rc;
	int top = open(bag->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0) {
		fail(p, "%s: %s", bag->dir, strerror(errno));
		return ERR_IO;
	}
	rc = walk(p, bag, top, "data", "data", 0);
	close(top);
	if (rc)
		return rc;
	for (size_t i = 0; i < bag->payload.n; i++) {
		struct entry *e = &bag->payload.e[i];
		if (!e->found) {
			int a = e->line[BAGIT_SHA256] ? BAGIT_SHA256 : BAGIT_SHA512;
			if (!e->line[a])
				for (a = 0; a < BAGIT_NALGO && !e->line[a]; a++)
					;
			fail(p, "manifest-%s.txt line %d: \"%s\" is not in the bag (a file missing)",
			     bagit_algo_name((enum bagit_algo)a), e->line[a], e->path);
			return ERR_INVALID;
		}
	}
	if (bag->has_oxum && (bag->oxum_octets != bag->octets || bag->oxum_count != bag->count)) {
		fail(p, "bag-info.txt line %d: Payload-Oxum says %llu bytes in %llu files, the "
		     "payload holds %llu bytes in %llu files", bag->oxum_line,
		     (unsigned long long)bag->oxum_octets, (unsigned long long)bag->oxum_count,
		     (unsigned long long)bag->octets, (unsigned long long)bag->count);
		return ERR_INVALID;
	}
	for (size_t i = 0; i < bag->tags.n; i++) {
		uint64_t size;
		if ((rc = check_file(p, bag->dir, &bag->tags.e[i], bag->tags.mask, "tagmanifest",
				     &size)))
			return rc;
	}
	return 0;
}

/* ---- importing --------------------------------------------------------- */

/* store_entry stores a payload file, opened as the check opened it (no
 * link followed on the way), streamed into a stage of the store. */
static int store_entry(struct preserve *p, const char *dir, const char *rel, struct digest *d,
		       bool *existed)
{
	struct store_stage *st = NULL;
	char *chunk = NULL;
	uint64_t done = 0;
	int fd = open_in(dir, rel), rc;
	ssize_t n = 0;

	if (fd < 0) {
		fail(p, "%s: cannot be read any more: %s; nothing was imported", rel,
		     errno == ELOOP ? "it became a symbolic link" : strerror(errno));
		return ERR_IO;
	}
	if (!(chunk = malloc(CHUNK))) {
		rc = ERR_NOMEM;
		goto done;
	}
	if ((rc = store_stage_begin(p->store, &st)))
		goto done;
	while ((n = read(fd, chunk, CHUNK)) > 0) {
		if ((rc = store_stage_write(st, chunk, (size_t)n)))
			goto done;
		done += (uint64_t)n;
		if (p->progress)
			p->progress(p->arg, done, 0);
	}
	if (n < 0) {
		rc = ERR_IO;
		goto done;
	}
	rc = store_stage_commit(st, d, existed);
	st = NULL;
done:
	if (rc)
		fail(p, "%s: not stored: %s%s; nothing was imported", rel,
		     rc == ERR_IO ? strerror(errno) : err_str(rc),
		     rc == ERR_IO && errno == ENOSPC ? " (free some space and import it again)" : "");
	store_stage_abort(st);
	free(chunk);
	close(fd);
	return rc;
}

/* Objects this import added, taken back if it fails. */
struct added {
	char (*sha)[SHA256_HEX + 1];
	size_t n, cap;
};

static int added_push(struct added *ad, const char *sha)
{
	if (ad->n == ad->cap) {
		size_t cap = ad->cap ? ad->cap * 2 : 16;
		void *ns = realloc(ad->sha, cap * sizeof *ad->sha);
		if (!ns)
			return ERR_NOMEM;
		ad->sha = ns;
		ad->cap = cap;
	}
	memcpy(ad->sha[ad->n++], sha, SHA256_HEX + 1);
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* import_ours imports a bag of ours: its catalogue, then its files with
 * their ids, in one transaction. */
static int import_ours(struct preserve *p, struct bag *bag, struct preserve_bag_result *r,
		       struct added *added)
{
	struct buf cat = {0}, fil = {0}, errors;
	json_t *files = NULL, *arr;
	json_error_t jerr;
	struct import_stats stats;
	char source[BAGIT_PATH_MAX + 300], name[BAGIT_PATH_MAX + 40];
	bool absent;
	size_t i;
	int rc;

	buf_init(&errors, 1u << 20);
	rc = read_small(p, bag->dir, "data/catalogue.json", &cat, &absent);
	if (rc == 0)
		rc = read_small(p, bag->dir, "data/files.json", &fil, &absent);
	if (absent) {
		fail(p, "%s: a valid bag, but not one of ours (no data/catalogue.json and "
		     "data/files.json): give --to RECORD --role ROLE to ingest its payload into "
		     "a record; nothing was imported", bag->dir);
		rc = ERR_INVALID;
	}
	if (rc)
		goto done;
	files = json_loadb(fil.data ? fil.data : "", fil.len, 0, &jerr);
	arr = json_object_get(files, "files");
	/* out of memory, jansson may say so, or say nothing at all */
	if (!files && (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0])) {
		fail(p, "out of memory reading data/files.json; nothing was imported");
		rc = ERR_NOMEM;
		goto done;
	}
	if (!files) {
		fail(p, "data/files.json:%d:%d: not JSON: %s; nothing was imported", jerr.line,
		     jerr.column, jerr.text);
		rc = ERR_INVALID;
		goto done;
	}
	if (!json_is_array(arr)) {
		fail(p, "data/files.json: not a list of files in an object {\"files\": [...]}; "
		     "nothing was imported");
		rc = ERR_INVALID;
		goto done;
	}
	/* every entry is checked before any is stored */
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *f = json_array_get(arr, i);
		const char *id = jstr(f, "id"), *rec = jstr(f, "record"), *role = jstr(f, "role"),
			   *path = jstr(f, "path"), *sha = jstr(f, "sha256");
		struct entry *e = path ? table_find(&bag->payload, path) : NULL;
		if (!id || !uuid_valid(id) || !rec || !uuid_valid(rec) || !role ||
		    !preserve_role_valid(role) || !sha || strlen(sha) != SHA256_HEX) {
			fail(p, "data/files.json: files[%zu]: an id, record, role and sha256 are "
			     "needed; nothing was imported", i);
			rc = ERR_INVALID;
			goto done;
		}
		if (!e) {
			fail(p, "data/files.json: files[%zu]: its path \"%s\" is not in the payload; "
			     "nothing was imported", i, path ? path : "");
			rc = ERR_INVALID;
			goto done;
		}
		if ((bag->payload.mask & (1u << BAGIT_SHA256)) &&
		    strcmp(e->hex[BAGIT_SHA256], sha) != 0) {
			fail(p, "data/files.json: files[%zu]: sha256 %s, but manifest-sha256.txt line "
			     "%d says %s for %s; nothing was imported", i, sha,
			     e->line[BAGIT_SHA256], e->hex[BAGIT_SHA256], path);
			rc = ERR_INVALID;
			goto done;
		}
	}
	/* the bytes first: objects are not the catalogue, and a failure takes
	 * back those this import added */
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *f = json_array_get(arr, i);
		struct digest d;
		bool existed;
		if ((rc = store_entry(p, bag->dir, jstr(f, "path"), &d, &existed)))
			goto done;
		if (!existed && (rc = added_push(added, d.sha256)))
			goto done;
		if (strcmp(d.sha256, jstr(f, "sha256")) != 0) {
			fail(p, "%s: changed while it was imported (sha256 %s); nothing was imported",
			     jstr(f, "path"), d.sha256);
			rc = ERR_INVALID;
			goto done;
		}
	}
	snprintf(source, sizeof source, "bag %s%s%s%s", bag->dir,
		 bag->ext_id[0] ? " (External-Identifier " : "", bag->ext_id,
		 bag->ext_id[0] ? ")" : "");
	if ((rc = db_begin(p->db)))
		goto dberr;
	snprintf(name, sizeof name, "%s/data/catalogue.json", bag->dir);
	rc = import_json_as(p->db, cat.data ? cat.data : "", cat.len, name, p->agent, "import-bag",
			    &errors, &stats);
	if (rc) {
		db_rollback(p->db);
		fail(p, "%s%s%s%snothing was imported", buf_str(&errors),
		     buf_str(&errors)[0] ? "" : "the catalogue could not be imported (",
		     buf_str(&errors)[0] ? "" : rc == ERR_NOMEM ? "out of memory" :
		     rc == ERR_BUSY ? "the catalogue is locked by another process" :
		     *p->db->err ? p->db->err : err_str(rc),
		     buf_str(&errors)[0] ? "" : "); ");
		goto done;
	}
	r->records = stats.created + stats.updated + stats.unchanged;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *f = json_array_get(arr, i);
		const char *id = jstr(f, "id"), *from = jstr(f, "derived_from");
		struct entry *e = table_find(&bag->payload, jstr(f, "path"));
		char *techmd = NULL, detail[BAGIT_PATH_MAX + 800], have[40];
		struct digest d = {.size = 0};
		sqlite3_stmt *st;
		int found;

		snprintf(d.sha256, sizeof d.sha256, "%s", jstr(f, "sha256"));
		{
			const char *md5 = e->line[BAGIT_MD5] ? e->hex[BAGIT_MD5] : jstr(f, "md5");
			if (md5 && strlen(md5) == MD5_HEX)
				memcpy(d.md5, md5, MD5_HEX + 1);
		}
		d.size = (uint64_t)json_integer_value(json_object_get(f, "size"));
		if (!(st = fq_file(p->db, id))) {
			rc = ERR_DB;
			break;
		}
		found = db_step(p->db, st);
		if (found == 1)
			snprintf(have, sizeof have, "%s", db_text(st, FQ_SHA256) ? db_text(st, FQ_SHA256) : "");
		sqlite3_reset(st);
		if (found < 0) {
			rc = found;
			break;
		}
		if (found == 1) {
			if (strncmp(have, d.sha256, sizeof have - 1) != 0 &&
			    strcmp(have, d.sha256) != 0) {
				fail(p, "data/files.json: files[%zu]: file %s is already in this archive "
				     "with other bytes; nothing was imported", i, id);
				rc = ERR_EXISTS;
				break;
			}
			continue;	/* the same file, from an earlier import */
		}
		if (json_object_get(f, "techmd"))
			techmd = json_dumps(json_object_get(f, "techmd"), JSON_COMPACT);
		/* a source left out of the bag (--roles) is no source here */
		if (from) {
			if (!(st = fq_file(p->db, from))) {
				free(techmd);
				rc = ERR_DB;
				break;
			}
			if (db_step(p->db, st) != 1)
				from = NULL;
			sqlite3_reset(st);
		}
		struct file_new fn = {.id = id, .record_id = jstr(f, "record"), .role = jstr(f, "role"),
				      .digest = &d, .mime = jstr(f, "mime"), .name = jstr(f, "name"),
				      .techmd = techmd, .derived_from = from,
				      .derivative = jstr(f, "derivative")};
		snprintf(detail, sizeof detail, "%s; sha256 %s; %llu bytes; from %s",
			 jstr(f, "name") ? jstr(f, "name") : jstr(f, "path"), d.sha256,
			 (unsigned long long)d.size, source);
		if ((rc = fq_object_add(p->db, &d)) == 0 && (rc = fq_file_add(p->db, &fn)) == 0 &&
		    (rc = fq_event(p->db, "ingestion", id, d.sha256, p->agent, true, detail)) == 0)
			rc = aq_audit(p->db, p->agent, "import-bag", fn.record_id, detail);
		free(techmd);
		if (rc == 0)
			rc = preserve_object_held(p->db, p->store, d.sha256);
		if (rc)
			break;
		r->files++;
		r->bytes += d.size;
	}
	if (rc == 0)
		rc = db_commit(p->db);
	if (rc) {
		if (p->db->depth)
			db_rollback(p->db);
		if (!p->err[0])
			goto dberr;
	}
	goto done;
dberr:
	fail(p, "the catalogue could not be written: %s; nothing was imported",
	     rc == ERR_BUSY ? "it is locked by another process" :
	     p->db->err[0] ? p->db->err : err_str(rc));
done:
	json_decref(files);
	buf_free(&cat);
	buf_free(&fil);
	buf_free(&errors);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int preserve_bag_import(struct preserve *p, const char *dir, const char *to, const char *role,
			struct preserve_bag_result *r)
{
	struct bag bag = {.dir = dir};
	struct added added = {0};
	char **paths = NULL, source[BAGIT_PATH_MAX + 300];
	int rc, removed;

	memset(r, 0, sizeof *r);
	p->err[0] = '\0';
	if (to && (!role || !preserve_role_valid(role))) {
		fail(p, "\"%s\" is not a role: master, mezzanine, access, scan, poster, subtitle, "
		     "transcript or other", role ? role : "");
		return ERR_INVALID;
	}
	if ((rc = bag_check(p, &bag))) {
		if (rc == ERR_NOMEM && !p->err[0])
			fail(p, "out of memory checking the bag");
		goto done;
	}
	store_clean_tmp(p->store, &removed);
	if (!to) {
		rc = import_ours(p, &bag, r, &added);
		if (rc)
			for (size_t i = 0; i < added.n; i++)
				preserve_drop_unused(p->db, p->store, added.sha[i]);
		goto done;
	}
	/* a bag from elsewhere: its payload, into one record */
	if (!(paths = calloc(bag.payload.n ? bag.payload.n : 1, sizeof *paths))) {
		rc = ERR_NOMEM;
		fail(p, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < bag.payload.n; i++) {
		size_t n = strlen(dir) + strlen(bag.payload.e[i].path) + 2;
		if (!(paths[i] = malloc(n))) {
			rc = ERR_NOMEM;
			fail(p, "out of memory");
			goto done;
		}
		snprintf(paths[i], n, "%s/%s", dir, bag.payload.e[i].path);
	}
	qsort(paths, bag.payload.n, sizeof *paths, by_str);
	snprintf(source, sizeof source, "bag %s%s%s%s", dir,
		 bag.ext_id[0] ? " (External-Identifier " : "", bag.ext_id,
		 bag.ext_id[0] ? ")" : "");
	struct preserve_ingest_opts o = {.record = to, .role = role, .files = paths,
					 .nfiles = (int)bag.payload.n, .jobs = 1, .derive = true,
					 .source = source};
	struct preserve_ingest_result ir;
	rc = preserve_ingest(p, &o, &ir);
	r->files = ir.stored;
	r->bytes = bag.octets;
done:
	if (paths)
		for (size_t i = 0; i < bag.payload.n; i++)
			free(paths[i]);
	free(paths);
	free(added.sha);
	table_free(&bag.payload);
	table_free(&bag.tags);
	return rc;
}

/* ---- exporting ---------------------------------------------------------- */

/* A list of strings (slugs, paths), growing as needed. */
struct strs {
	char **s;
	size_t n, cap;
};

static bool strs_has(const struct strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->s[i], s) == 0)
			return true;
	return false;
}

static int strs_add(struct strs *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		char **ns = realloc(l->s, cap * sizeof *ns);
		if (!ns)
			return ERR_NOMEM;
		l->s = ns;
		l->cap = cap;
	}
	if (!(l->s[l->n] = strdup(s)))
		return ERR_NOMEM;
	l->n++;
	return 0;
}

static void strs_free(struct strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	memset(l, 0, sizeof *l);
}

/* A bag being written. */
struct out {
	struct preserve *p;
	const char *dir;
	struct buf m256, m512;		/* payload manifest lines */
	struct strs paths;		/* payload paths taken by the record being written */
	uint64_t octets, count;		/* of the payload written */
	int objects;			/* stored files copied */
	uint64_t object_bytes;		/* their bytes */
};

/* mkdirs makes the folders of dir/rel's parent. */
static int mkdirs(const char *dir, const char *rel)
{
	char path[PATHLEN];
	size_t base = strlen(dir) + 1;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *c = path + base; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return ERR_IO;
		*c = '/';
	}
	return 0;
}

/* add_line appends "HEX  PATH" to a manifest. */
static int add_line(struct buf *b, const char *hex, const char *rel)
{
	int rc = buf_printf(b, "%s  ", hex);

	if (rc == 0)
		rc = bagit_path_encode(b, rel);
	return rc ? rc : buf_putc(b, '\n');
}

/* write_all writes n bytes to fd. */
static int write_all(int fd, const void *data, size_t n)
{
	const char *c = data;

	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return ERR_IO;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* put_bytes writes a file of the bag from memory and, for the payload,
 * lists it in the manifests (tag files are hashed later, once all are
 * written). */
static int put_bytes(struct out *o, const char *rel, const void *data, size_t n, bool payload)
{
	char path[PATHLEN];
	struct hashes h;
	int fd, rc;

	if (mkdirs(o->dir, rel)) {
		fail(o->p, "%s/%s: cannot make its folder: %s", o->dir, rel, strerror(errno));
		return ERR_IO;
	}
	snprintf(path, sizeof path, "%s/%s", o->dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, data, n) || fsync(fd) || close(fd)) {
		fail(o->p, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ERR_IO;
	}
	if (!payload)
		return 0;
	if ((rc = hashes_begin(&h, (1u << BAGIT_SHA256) | (1u << BAGIT_SHA512)))) {
		hashes_end(&h);
		return rc;
	}
	hashes_update(&h, data, n);
	hashes_end(&h);
	o->octets += n;
	o->count++;
	if ((rc = add_line(&o->m256, h.hex[BAGIT_SHA256], rel)) ||
	    (rc = add_line(&o->m512, h.hex[BAGIT_SHA512], rel)))
		fail(o->p, "out of memory listing %s", rel);
	return rc;
}

/* put_json writes a JSON document of the payload. */
static int put_json(struct out *o, const char *rel, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc;

	if (!text) {
		fail(o->p, "out of memory writing %s", rel);
		return ERR_NOMEM;
	}
	rc = put_bytes(o, rel, text, strlen(text), true);
	free(text);
	return rc;
}

/* export_metadata writes one record's Dublin Core and PBCore documents
 * as data/metadata/SLUG.dc.xml and SLUG.pbcore.xml, read as the exporter
 * reads. A record the exporter may not read is skipped, as in the
 * catalogue. */
static int export_metadata(struct out *o, const struct preserve_bag_export_opts *opts,
			   const char *ref)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	char id[UUID_STR_LEN + 1], type[16], slug[81], rel[128];
	const char *base = opts->base_url ? opts->base_url : "";
	struct buf doc;
	int rc = aq_record_ref(o->p->db, ref, id, type, slug);

	if (rc != 1)
		return rc < 0 ? rc : 0;
	for (int kind = 0; kind < 2; kind++) {
		buf_init(&doc, 64u << 20);
		rc = buf_puts(&doc, decl);
		if (rc == 0)
			rc = kind == 0 ? dc_write(o->p->db, base, id, &doc) :
			     pbcore_write(o->p->db, base, id, &doc);
		if (rc == 0)
			rc = buf_puts(&doc, "\n");
		if (rc == ERR_NOTFOUND) {
			buf_free(&doc);
			return 0;
		}
		if (rc) {
			fail(o->p, "cannot write the %s record of %s: %s", kind ? "PBCore" : "Dublin Core",
			     slug, rc == ERR_DB ? o->p->db->err : err_str(rc));
			buf_free(&doc);
			return rc;
		}
		snprintf(rel, sizeof rel, "data/metadata/%s.%s.xml", slug, kind ? "pbcore" : "dc");
		rc = put_bytes(o, rel, doc.data, doc.len, true);
		buf_free(&doc);
		if (rc)
			return rc;
	}
	return 0;
}

/* copy_object copies a stored object into the bag: its SHA-256 checked
 * against its name and its SHA-512 made in the same pass, a chunk at a
 * time. A corrupted object stops the export (a bag must not carry it). */
static int copy_object(struct out *o, const char *sha256, const char *rel)
{
	char path[PATHLEN], *chunk = NULL;
	struct hashes h = {0};
	uint64_t size, done = 0;
	int in = -1, out = -1, rc;
	ssize_t n;

	if ((rc = store_open_read(o->p->store, sha256, &in, &size))) {
		fail(o->p, "object %s (for %s) %s", sha256, rel, rc == ERR_NOTFOUND ?
		     "is missing from the store: run 'cinemateca fixity'" : strerror(errno));
		return rc;
	}
	snprintf(path, sizeof path, "%s/%s", o->dir, rel);
	if (mkdirs(o->dir, rel) ||
	    (out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		fail(o->p, "%s: cannot write: %s", path, strerror(errno));
		rc = ERR_IO;
		goto done;
	}
	if (!(chunk = malloc(CHUNK)) ||
	    hashes_begin(&h, (1u << BAGIT_SHA256) | (1u << BAGIT_SHA512))) {
		fail(o->p, "out of memory");
		rc = ERR_NOMEM;
		goto done;
	}
	while ((n = read(in, chunk, CHUNK)) > 0) {
		hashes_update(&h, chunk, (size_t)n);
		if ((rc = write_all(out, chunk, (size_t)n))) {
			fail(o->p, "%s: cannot write: %s", path, strerror(errno));
			goto done;
		}
		done += (uint64_t)n;
		if (o->p->progress)
			o->p->progress(o->p->arg, done, size);
	}
	if (n < 0) {
		fail(o->p, "object %s: cannot read: %s", sha256, strerror(errno));
		rc = ERR_IO;
		goto done;
	}
	if (fsync(out) != 0) {
		fail(o->p, "%s: cannot write: %s", path, strerror(errno));
		rc = ERR_IO;
		goto done;
	}
	hashes_end(&h);
	if (strcmp(h.hex[BAGIT_SHA256], sha256) != 0 || done != size) {
		fail(o->p, "object %s (for %s) is corrupted in the store (its bytes hash to %s): "
		     "run 'cinemateca fixity'", sha256, rel,
		     h.hex[BAGIT_SHA256]);
		rc = ERR_INVALID;
		goto done;
	}
	o->octets += done;
	o->count++;
	o->objects++;
	o->object_bytes += done;
	if ((rc = add_line(&o->m256, sha256, rel)) ||
	    (rc = add_line(&o->m512, h.hex[BAGIT_SHA512], rel)))
		fail(o->p, "out of memory listing %s", rel);
done:
	hashes_end(&h);
	free(chunk);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && rc == 0) {
		fail(o->p, "%s: cannot write: %s", path, strerror(errno));
		rc = ERR_IO;
	}
	return rc;
}

/* role_wanted: role is in the comma-separated list (NULL: every role). */
static bool role_wanted(const char *roles, const char *role)
{
	size_t n = strlen(role);

	if (!roles)
		return true;
	for (const char *c = roles; *c;) {
		const char *end = strchr(c, ',');
		size_t len = end ? (size_t)(end - c) : strlen(c);
		if (len == n && strncmp(c, role, n) == 0)
			return true;
		if (!end)
			break;
		c = end + 1;
	}
	return false;
}

/* file_path: where a file goes in the bag, data/files/SLUG/ROLE/NAME, with
 * the file's id before the name when two files would share it, and the id
 * alone for a name that could not be a path. */
static int file_path(struct out *o, const char *slug, const char *role, const char *id,
		     const char *name, char *rel, size_t n)
{
	char why[200];

	snprintf(rel, n, "data/files/%s/%s/%s", slug, role, name ? name : id);
	if (!name || strchr(name, '/') || bagit_path_check(rel, why, sizeof why))
		snprintf(rel, n, "data/files/%s/%s/%s", slug, role, id);
	else if (strs_has(&o->paths, rel))
		snprintf(rel, n, "data/files/%s/%s/%s-%s", slug, role, id, name);
	return strs_add(&o->paths, rel);
}

/* export_files copies a record's files (of the roles asked for) and adds
 * them and their events to the lists. */
static int export_files(struct out *o, const char *roles, const char *record_id,
			const char *slug, json_t *files, json_t *events)
{
	struct db *db = o->p->db;
	sqlite3_stmt *st = fq_files_of(db, record_id);
	struct strs ids = {0}, shas = {0}, rels = {0};
	int rc = 0;

	/* names can only meet within a record (the slug is in the path) */
	strs_free(&o->paths);
	if (!st)
		return ERR_DB;
	/* the rows first, then the copies: no read statement stays open for
	 * the hours a large master may take */
	while ((rc = db_step(db, st)) == 1) {
		const char *role = db_text(st, FQ_ROLE), *id = db_text(st, FQ_ID);
		char rel[BAGIT_PATH_MAX + 1];
		json_t *f;
		if (!role_wanted(roles, role))
			continue;
		if ((rc = file_path(o, slug, role, id, db_text_or_null(st, FQ_NAME), rel,
				    sizeof rel)) || (rc = strs_add(&ids, id)) ||
		    (rc = strs_add(&shas, db_text(st, FQ_SHA256))) || (rc = strs_add(&rels, rel)))
			break;
		f = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:I, s:s?}", "id", id, "record",
			      record_id, "role", role, "name", db_text_or_null(st, FQ_NAME), "path",
			      rel, "sha256", db_text(st, FQ_SHA256), "md5",
			      db_text_or_null(st, FQ_MD5), "size",
			      (json_int_t)sqlite3_column_int64(st, FQ_SIZE), "mime",
			      db_text_or_null(st, FQ_MIME));
		if (db_text_or_null(st, FQ_TECHMD))
			json_object_set_new(f, "techmd", json_loads(db_text(st, FQ_TECHMD), 0, NULL));
		if (db_text_or_null(st, FQ_DERIVED_FROM))
			json_object_set_new(f, "derived_from",
					    json_string(db_text(st, FQ_DERIVED_FROM)));
		if (db_text_or_null(st, FQ_DERIVATIVE))
			json_object_set_new(f, "derivative", json_string(db_text(st, FQ_DERIVATIVE)));
		json_object_set_new(f, "created", json_string(db_text(st, FQ_CREATED)));
		json_array_append_new(files, f);
	}
	sqlite3_reset(st);
	if (rc < 0) {
		if (!o->p->err[0])
			fail(o->p, "cannot read the files of %s: %s", slug,
			     rc == ERR_DB ? db->err : err_str(rc));
		goto done;
	}
	for (size_t i = 0; i < ids.n && rc == 0; i++) {
		sqlite3_stmt *ev = fq_events_of(db, ids.s[i]);
		if (!ev) {
			rc = ERR_DB;
			break;
		}
		while ((rc = db_step(db, ev)) == 1)
			json_array_append_new(events, json_pack(
				"{s:s, s:s, s:s, s:s?, s:s, s:s?}", "file", ids.s[i], "at",
				db_text(ev, 0), "type", db_text(ev, 1), "agent",
				db_text_or_null(ev, 2), "outcome",
				db_text(ev, 3), "detail",
				db_text_or_null(ev, 4)));
		sqlite3_reset(ev);
		if (rc < 0)
			fail(o->p, "cannot read the events of file %s: %s", ids.s[i], db->err);
	}
	for (size_t i = 0; i < ids.n && rc == 0; i++)
		rc = copy_object(o, shas.s[i], rels.s[i]);
done:
	strs_free(&ids);
	strs_free(&shas);
	strs_free(&rels);
	return rc;
}

/* members adds to chosen every record part_of the collection, and of the
 * collections in it. */
static int members(struct db *db, struct strs *chosen, const char *id)
{
	struct strs found = {0};
	sqlite3_stmt *st = q_links_in(db, id, NULL);
	int rc = 0;

	if (!st)
		return ERR_DB;
	while ((rc = db_step(db, st)) == 1)
		if (!sqlite3_column_int(st, QL_IS_CREDIT) &&
		    strcmp(db_text(st, QL_KIND), "part_of") == 0 &&
		    !strs_has(chosen, db_text(st, QL_SLUG)) &&
		    (rc = strs_add(&found, db_text(st, QL_SLUG))))
			break;
	sqlite3_reset(st);
	for (size_t i = 0; rc >= 0 && i < found.n; i++) {
		char mid[UUID_STR_LEN + 1], type[16], slug[81];
		if (strs_has(chosen, found.s[i]))
			continue;
		if ((rc = strs_add(chosen, found.s[i])))
			break;
		if ((rc = aq_record_ref(db, found.s[i], mid, type, slug)) == 1 &&
		    strcmp(type, "collection") == 0)
			rc = members(db, chosen, mid);
	}
	strs_free(&found);
	return rc < 0 ? rc : 0;
}

/* closure adds to names every record those in it name (credits,
 * relations), so that the bag's catalogue imports into an empty archive. */
static int closure(struct db *db, struct strs *names)
{
	int rc = 0;

	for (size_t i = 0; i < names->n && rc >= 0; i++) {
		char id[UUID_STR_LEN + 1], type[16], slug[81];
		sqlite3_stmt *st;
		if ((rc = aq_record_ref(db, names->s[i], id, type, slug)) != 1)
			continue;
		if (!(st = q_links_out(db, id, NULL)))
			return ERR_DB;
		while ((rc = db_step(db, st)) == 1)
			if (!strs_has(names, db_text(st, QL_SLUG)) &&
			    (rc = strs_add(names, db_text(st, QL_SLUG))))
				break;
		sqlite3_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* tag_file hashes a tag file just written and lists it. */
static int tag_line(struct out *o, const char *rel, struct buf *t256, struct buf *t512)
{
	struct hashes h;
	uint64_t size;
	int fd = open_in(o->dir, rel), rc;

	if (fd < 0) {
		fail(o->p, "%s/%s: cannot read back: %s", o->dir, rel, strerror(errno));
		return ERR_IO;
	}
	rc = hash_fd(fd, (1u << BAGIT_SHA256) | (1u << BAGIT_SHA512), &h, &size);
	close(fd);
	if (rc == 0 && ((rc = add_line(t256, h.hex[BAGIT_SHA256], rel)) ||
			(rc = add_line(t512, h.hex[BAGIT_SHA512], rel))))
		fail(o->p, "out of memory");
	else if (rc)
		fail(o->p, "%s/%s: cannot read back: %s", o->dir, rel, strerror(errno));
	return rc;
}

int preserve_bag_export(struct preserve *p, const struct preserve_bag_export_opts *o,
			struct preserve_bag_result *r)
{
	struct out out = {.p = p, .dir = o->outdir};
	struct strs chosen = {0}, names = {0};
	json_t *records = NULL, *files = json_array(), *events = json_array(), *doc = NULL;
	char ext_id[UUID_STR_LEN + 1] = "", date[11], size[32];
	struct buf info, t256, t512;
	bool started = false;		/* the bag's folder is being written */
	DIR *d;
	int rc = 0;

	memset(r, 0, sizeof *r);
	p->err[0] = '\0';
	buf_init(&out.m256, (size_t)1 << 30);
	buf_init(&out.m512, (size_t)1 << 30);
	buf_init(&info, 1u << 20);
	buf_init(&t256, 1u << 20);
	buf_init(&t512, 1u << 20);
	if (o->roles) {
		for (const char *c = o->roles; *c;) {
			char role[32];
			const char *end = strchr(c, ',');
			size_t len = end ? (size_t)(end - c) : strlen(c);
			snprintf(role, sizeof role, "%.*s", (int)(len < 31 ? len : 31), c);
			if (len >= sizeof role || !preserve_role_valid(role)) {
				fail(p, "--roles: \"%.*s\" is not a role: master, mezzanine, access, "
				     "scan, poster, subtitle, transcript or other", (int)len, c);
				rc = ERR_INVALID;
				goto done;
			}
			if (!end)
				break;
			c = end + 1;
		}
	}
	/* what goes in: the record (a collection with its members), or all */
	if (o->target) {
		char id[UUID_STR_LEN + 1], type[16], slug[81];
		rc = aq_record_ref(p->db, o->target, id, type, slug);
		if (rc != 1) {
			fail(p, rc < 0 ? "cannot read the catalogue: %s" :
			     "no record \"%s\" (give its slug or id); no bag was made",
			     rc < 0 ? p->db->err : o->target);
			rc = rc < 0 ? rc : ERR_NOTFOUND;
			goto done;
		}
		snprintf(ext_id, sizeof ext_id, "%s", id);
		if ((rc = strs_add(&chosen, slug)) ||
		    (strcmp(type, "collection") == 0 && (rc = members(p->db, &chosen, id))))
			goto dberr;
	} else {
		sqlite3_stmt *st = q_all_records(p->db, NULL);
		if (!st) {
			rc = ERR_DB;
			goto dberr;
		}
		while ((rc = db_step(p->db, st)) == 1)
			if ((rc = strs_add(&chosen, db_text(st, QR_SLUG))))
				break;
		sqlite3_reset(st);
		if (rc < 0)
			goto dberr;
	}
	for (size_t i = 0; i < chosen.n; i++)
		if ((rc = strs_add(&names, chosen.s[i])))
			goto dberr;
	if (o->target && (rc = closure(p->db, &names)))
		goto dberr;
	/* the folder: new, or empty; from here a failure leaves a folder
	 * without bagit.txt, which no tool takes for a bag */
	started = true;
	if (mkdir(o->outdir, 0755) != 0) {
		struct dirent *de;
		int entries = 0;
		if (errno != EEXIST || !(d = opendir(o->outdir))) {
			fail(p, "%s: cannot make the bag's folder: %s", o->outdir, strerror(errno));
			rc = ERR_IO;
			started = false;
			goto done;
		}
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				entries++;
		closedir(d);
		if (entries) {
			fail(p, "%s is not empty: give a new folder for the bag", o->outdir);
			rc = ERR_EXISTS;
			started = false;	/* not ours to remove */
			goto done;
		}
	}
	/* the catalogue, in the import format */
	doc = json_pack("{s:s, s:i, s:[]}", "format", "cinemateca-import", "version", 1, "records");
	records = json_object_get(doc, "records");
	for (size_t i = 0; i < names.n; i++) {
		json_t *rec = export_record(p->db, names.s[i], &rc);
		if (!rec) {
			if (rc == ERR_NOTFOUND)
				continue;	/* named, but not readable by who exports */
			goto dberr;
		}
		json_array_append_new(records, rec);
	}
	r->records = (int)json_array_size(records);
	if ((rc = put_json(&out, "data/catalogue.json", doc)))
		goto done;
	/* the files, then what is known of them */
	for (size_t i = 0; i < chosen.n; i++) {
		char id[UUID_STR_LEN + 1], type[16], slug[81];
		if ((rc = aq_record_ref(p->db, chosen.s[i], id, type, slug)) < 0)
			goto dberr;
		if (rc == 1 && (rc = export_files(&out, o->roles, id, slug, files, events)))
			goto done;
	}
	r->files = out.objects;
	r->bytes = out.object_bytes;
	json_decref(doc);
	doc = json_pack("{s:O}", "files", files);
	if ((rc = put_json(&out, "data/files.json", doc)))
		goto done;
	json_decref(doc);
	/* PREMIS in JSON: each event's type, time, agent, outcome and object */
	doc = json_pack("{s:s, s:O}", "about", "PREMIS events of the files in this bag: "
			"eventType, eventDateTime, linkingAgent, eventOutcome, linkingObject "
			"(file id), eventDetail", "events", events);
	if ((rc = put_json(&out, "data/events.json", doc)))
		goto done;
	/* and the same as PREMIS 3.0 XML, for the repositories that read it */
	{
		struct buf x;
		buf_init(&x, 1u << 30);
		rc = premis_write(files, events, &x);
		if (rc) {
			fail(p, "out of memory writing data/premis.xml");
		} else {
			rc = put_bytes(&out, "data/premis.xml", buf_str(&x), x.len, true);
		}
		buf_free(&x);
		if (rc)
			goto done;
	}
	/* each record as Dublin Core and as PBCore, for tools that read those */
	for (size_t i = 0; i < chosen.n; i++)
		if ((rc = export_metadata(&out, o, chosen.s[i])))
			goto done;
	if (out.m256.err || out.m512.err) {
		fail(p, "the manifests grew past 1 GiB");
		rc = ERR_TOOBIG;
		goto done;
	}
	{
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
	}
	bagit_size_human(out.octets, size);
	buf_printf(&info, "Source-Organization: %s\n", o->organization && o->organization[0] ?
		   o->organization : "cinemateca");
	buf_printf(&info, "Bagging-Date: %s\n", date);
	if (ext_id[0])
		buf_printf(&info, "External-Identifier: %s\n", ext_id);
	buf_printf(&info, "Bag-Size: %s\n", size);
	buf_printf(&info, "Payload-Oxum: %llu.%llu\n", (unsigned long long)out.octets,
		   (unsigned long long)out.count);
	buf_printf(&info, "Bag-Software-Agent: %s\n", o->software ? o->software : "cinemateca");
	if (info.err) {
		fail(p, "out of memory");
		rc = info.err;
		goto done;
	}
	static const char decl[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	if ((rc = put_bytes(&out, "manifest-sha256.txt", buf_str(&out.m256), out.m256.len, false)) ||
	    (rc = put_bytes(&out, "manifest-sha512.txt", buf_str(&out.m512), out.m512.len, false)) ||
	    (rc = put_bytes(&out, "bag-info.txt", buf_str(&info), info.len, false)) ||
	    (rc = put_bytes(&out, "bagit.txt.new", decl, sizeof decl - 1, false)))
		goto done;
	/* bagit.txt is hashed under its final name but renamed into place last */
	{
		char a[PATHLEN], b[PATHLEN];
		static const char *const tags[] = {"bag-info.txt", "manifest-sha256.txt",
						   "manifest-sha512.txt"};
		struct hashes h;
		for (size_t i = 0; i < 3; i++)
			if ((rc = tag_line(&out, tags[i], &t256, &t512)))
				goto done;
		if ((rc = hashes_begin(&h, (1u << BAGIT_SHA256) | (1u << BAGIT_SHA512)))) {
			hashes_end(&h);
			goto done;
		}
		hashes_update(&h, decl, sizeof decl - 1);
		hashes_end(&h);
		if ((rc = add_line(&t256, h.hex[BAGIT_SHA256], "bagit.txt")) ||
		    (rc = add_line(&t512, h.hex[BAGIT_SHA512], "bagit.txt")) ||
		    (rc = put_bytes(&out, "tagmanifest-sha256.txt", buf_str(&t256), t256.len, false)) ||
		    (rc = put_bytes(&out, "tagmanifest-sha512.txt", buf_str(&t512), t512.len, false)))
			goto done;
		snprintf(a, sizeof a, "%s/bagit.txt.new", o->outdir);
		snprintf(b, sizeof b, "%s/bagit.txt", o->outdir);
		if (rename(a, b) != 0) {
			fail(p, "%s: cannot write: %s", b, strerror(errno));
			rc = ERR_IO;
			goto done;
		}
		int dfd = open(o->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	goto done;
dberr:
	fail(p, "cannot read the catalogue: %s", rc == ERR_NOMEM ? "out of memory" :
	     p->db->err[0] ? p->db->err : err_str(rc));
	if (rc >= 0)
		rc = ERR_DB;
done:
	if (rc && !p->err[0])
		fail(p, "%s", err_str(rc));
	if (rc && started) {
		size_t n = strlen(p->err);
		snprintf(p->err + n, sizeof p->err - n, " (%s has no bagit.txt, so it is no bag: "
			 "remove it)", o->outdir);
	}
	json_decref(doc);
	json_decref(files);
	json_decref(events);
	strs_free(&chosen);
	strs_free(&names);
	strs_free(&out.paths);
	buf_free(&out.m256);
	buf_free(&out.m512);
	buf_free(&info);
	buf_free(&t256);
	buf_free(&t512);
	return rc;
}
