/* uploads.c: uploads in progress (see uploads.h): their bytes in
 * ARCHIVE/uploads/, their rows, the Upload-Metadata parser, claiming,
 * releasing and cleaning. */
#include "uploads.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "catalog/archive.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"

/* ---- Upload-Metadata ---------------------------------------------------- */

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* b64_decode decodes s[0..n), canonical RFC 4648 base64 with padding
 * (the unused bits of the last group zero), into out (max bytes). Returns
 * the decoded length, -1 when it is not such base64, -2 when it does not
 * fit. */
static long b64_decode(const char *s, size_t n, char *out, size_t max)
{
	size_t o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64val(c)) < 0) {
				return -1;
			}
		}
		if ((pad == 2 && (v[1] & 15)) || (pad == 1 && (v[2] & 3)))
			return -1;	/* not canonical: bits that no byte holds */
		if (o + 3 - (size_t)pad > max)
			return -2;
		out[o++] = (char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			out[o++] = (char)((v[2] & 3) << 6 | v[3]);
	}
	return (long)o;
}

static bool tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$&-^_.+", c));
}

bool upload_type_valid(const char *t)
{
	size_t i = 0, n;

	for (n = 0; tchar((unsigned char)t[i]); i++)
		n++;
	if (!n || t[i++] != '/')
		return false;
	for (n = 0; tchar((unsigned char)t[i]); i++)
		n++;
	if (!n)
		return false;
	if (t[i] && t[i] != ';')
		return false;
	for (; t[i]; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] > 0x7e)
			return false;
	return true;
}

int upload_metadata_parse(const char *header, struct upload_meta *m, char *why, size_t whylen)
{
	char seen[32][64];	/* keys met, for duplicates */
	int nseen = 0;
	const char *p = header;

	m->filename[0] = m->filetype[0] = '\0';
	if (!header || !*header)
		return 0;
	if (strlen(header) > UPLOAD_META_MAX) {
		snprintf(why, whylen, "Upload-Metadata is longer than %d bytes", UPLOAD_META_MAX);
		return ERR_INVALID;
	}
	for (;;) {
		const char *key, *val = NULL;
		size_t klen = 0, vlen = 0;
		char dec[UPLOAD_NAME_MAX + 2];
		long dn;

		while (*p == ' ')
			p++;
		key = p;
		while (*p && *p != ' ' && *p != ',') {
			if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e) {
				snprintf(why, whylen, "Upload-Metadata: a key holds a character "
					 "that is not printable ASCII");
				return ERR_INVALID;
			}
			p++;
		}
		klen = (size_t)(p - key);
		if (klen == 0) {
			snprintf(why, whylen, "Upload-Metadata: an empty key (a stray comma or "
				 "space?)");
			return ERR_INVALID;
		}
		if (klen >= sizeof seen[0]) {
			snprintf(why, whylen, "Upload-Metadata: a key is longer than %zu bytes",
				 sizeof seen[0] - 1);
			return ERR_INVALID;
		}
		for (int i = 0; i < nseen; i++)
			if (strlen(seen[i]) == klen && memcmp(seen[i], key, klen) == 0) {
				snprintf(why, whylen, "Upload-Metadata: the key \"%.*s\" comes twice",
					 (int)klen, key);
				return ERR_INVALID;
			}
		if (nseen == (int)(sizeof seen / sizeof seen[0])) {
			snprintf(why, whylen, "Upload-Metadata: more than %zu keys",
				 sizeof seen / sizeof seen[0]);
			return ERR_INVALID;
		}
		memcpy(seen[nseen], key, klen);
		seen[nseen++][klen] = '\0';
		if (*p == ' ') {
			p++;
			val = p;
			while (*p && *p != ',' && *p != ' ')
				p++;
			vlen = (size_t)(p - val);
			while (*p == ' ')
				p++;
			if (*p && *p != ',') {
				snprintf(why, whylen, "Upload-Metadata: the value of \"%.*s\" is "
					 "followed by more than a comma", (int)klen, key);
				return ERR_INVALID;
			}
		}
		dn = 0;
		if (val) {
			dn = b64_decode(val, vlen, dec, sizeof dec - 1);
			if (dn == -1) {
				snprintf(why, whylen, "Upload-Metadata: the value of \"%.*s\" is not "
					 "base64 (RFC 4648, with padding)", (int)klen, key);
				return ERR_INVALID;
			}
		}
		if (klen == 8 && memcmp(key, "filename", 8) == 0) {
			if (dn < 0 || dn > UPLOAD_NAME_MAX) {
				snprintf(why, whylen, "Upload-Metadata: filename is longer than %d bytes",
					 UPLOAD_NAME_MAX);
				return ERR_INVALID;
			}
			dec[dn] = '\0';
			if (!str_utf8_valid(dec, (size_t)dn) || strlen(dec) != (size_t)dn) {
				snprintf(why, whylen, "Upload-Metadata: filename is not UTF-8 text");
				return ERR_INVALID;
			}
			for (long i = 0; i < dn; i++)
				if ((unsigned char)dec[i] < 0x20 || dec[i] == 0x7f || dec[i] == '/') {
					snprintf(why, whylen, "Upload-Metadata: filename holds a control "
						 "character or a slash");
					return ERR_INVALID;
				}
			memcpy(m->filename, dec, (size_t)dn + 1);
		} else if (klen == 8 && memcmp(key, "filetype", 8) == 0) {
			if (dn < 0 || dn > UPLOAD_TYPE_MAX) {
				snprintf(why, whylen, "Upload-Metadata: filetype is longer than %d bytes",
					 UPLOAD_TYPE_MAX);
				return ERR_INVALID;
			}
			dec[dn] = '\0';
			if (dn && (strlen(dec) != (size_t)dn || !upload_type_valid(dec))) {
				snprintf(why, whylen, "Upload-Metadata: filetype is not a media type "
					 "such as video/mp4");
				return ERR_INVALID;
			}
			memcpy(m->filetype, dec, (size_t)dn + 1);
		}
		/* other keys (a client's own) are checked, then left */
		if (!*p)
			return 0;
		p++;	/* the comma */
		if (!*p) {
			snprintf(why, whylen, "Upload-Metadata ends with a comma");
			return ERR_INVALID;
		}
	}
}

/* ---- bytes and rows ----------------------------------------------------- */

int upload_path(const struct archive *a, const char *id, char *out, size_t n)
{
	int w = snprintf(out, n, "%s/uploads/%s", a->dir, id);

	return w < 0 || (size_t)w >= n ? ERR_TOOBIG : 0;
}

/* id_valid: 32 lower-case hex digits, as upload_create makes them. */
static bool id_valid(const char *id)
{
	size_t n = 0;

	for (; id[n]; n++)
		if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f')))
			return false;
	return n == UPLOAD_ID_LEN;
}

int upload_create(struct db *db, const struct archive *a, long long user_id, long long length,
		  const char *metadata, const struct upload_meta *m, long long now,
		  struct upload_row *u)
{
	unsigned char raw[UPLOAD_ID_LEN / 2];
	char dir[ARCHIVE_PATH_MAX], path[ARCHIVE_PATH_MAX];
	struct statvfs vfs;
	int fd, rc;

	memset(u, 0, sizeof *u);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(u->id, sizeof u->id, raw, sizeof raw);
	u->user_id = user_id;
	u->length = length < 0 ? (long long)a->upload_max_bytes : length;
	snprintf(u->metadata, sizeof u->metadata, "%s", metadata ? metadata : "");
	snprintf(u->filename, sizeof u->filename, "%s", m->filename);
	snprintf(u->filetype, sizeof u->filetype, "%s", m->filetype);
	snprintf(u->state, sizeof u->state, "%s", length < 0 ? "receiving" : length == 0 ? "done" :
		 "partial");
	u->created = now;
	u->expires = now + (long long)a->upload_expire_hours * 3600;
	if (snprintf(dir, sizeof dir, "%s/uploads", a->dir) >= (int)sizeof dir ||
	    upload_path(a, u->id, path, sizeof path))
		return errno = ENAMETOOLONG, ERR_IO;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return ERR_IO;
	/* refuse now what the disk cannot hold, rather than at its last byte */
	if (length > 0 && statvfs(dir, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < (unsigned long long)length)
		return errno = ENOSPC, ERR_IO;
	if ((rc = uq_add(db, u)))
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		uq_delete(db, u->id);
		errno = e;
		return ERR_IO;
	}
	close(fd);
	return 0;
}

int upload_lock(struct db *db, const struct archive *a, struct upload_row *u, int *fd,
		long long now)
{
	char path[ARCHIVE_PATH_MAX];
	struct stat sb;
	long long size;
	int f, rc = 0;

	*fd = -1;
	if (upload_path(a, u->id, path, sizeof path))
		return errno = ENAMETOOLONG, ERR_IO;
	/* O_CREAT: a row whose file a crash never let it make starts empty */
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return ERR_IO;
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? ERR_BUSY : ERR_IO;
		goto fail;
	}
	if (fstat(f, &sb) != 0) {
		rc = ERR_IO;
		goto fail;
	}
	size = (long long)sb.st_size;
	if (size > u->length) {
		if (ftruncate(f, (off_t)u->length) != 0) {
			rc = ERR_IO;
			goto fail;
		}
		size = u->length;
	}
	if (size != u->received) {
		/* bytes a writer that was stopped could not record (or, after a
		 * power cut, fewer than it recorded): what the disk holds counts */
		if (fsync(f) != 0) {
			rc = ERR_IO;
			goto fail;
		}
		u->received = size;
		if (strcmp(u->state, "receiving") != 0)
			snprintf(u->state, sizeof u->state, "%s",
				 size == u->length ? "done" : "partial");
		u->expires = now + (long long)a->upload_expire_hours * 3600;
		if ((rc = uq_set_received(db, u->id, u->received, u->state, u->expires)))
			goto fail;
	}
	*fd = f;
	return 0;
fail:
	{
		int e = errno;
		close(f);
		errno = e;
	}
	return rc;
}

int upload_sync(struct db *db, struct upload_row *u, int fd, long long now, long long expire_s)
{
	struct stat sb;
	long long size;

	if (fsync(fd) != 0 || fstat(fd, &sb) != 0)
		return ERR_IO;
	size = (long long)sb.st_size;
	if (size > u->length)
		size = u->length;	/* upload_lock cuts it next time */
	u->received = size;
	if (strcmp(u->state, "receiving") != 0)
		snprintf(u->state, sizeof u->state, "%s", size == u->length ? "done" : "partial");
	u->expires = now + expire_s;
	return uq_set_received(db, u->id, u->received, u->state, u->expires);
}

int upload_finish(struct db *db, struct upload_row *u, int fd, long long now, long long expire_s)
{
	struct stat sb;

	if (fsync(fd) != 0 || fstat(fd, &sb) != 0)
		return ERR_IO;
	u->length = u->received = (long long)sb.st_size;
	snprintf(u->state, sizeof u->state, "done");
	u->expires = now + expire_s;
	return uq_finish(db, u->id, u->length, u->expires);
}

int upload_remove(struct db *db, const struct archive *a, const char *id)
{
	char path[ARCHIVE_PATH_MAX];
	int rc;

	if (!id_valid(id) || upload_path(a, id, path, sizeof path))
		return ERR_INVALID;
	if ((rc = uq_delete(db, id)))
		return rc;
	if (unlink(path) != 0 && errno != ENOENT)
		return ERR_IO;
	return 0;
}

int upload_claim(struct db *db, const struct archive *a, long long user_id, const char *id,
		 char *path, size_t pathlen, char *name, size_t namelen, char *type,
		 size_t typelen)
{
	struct upload_row u;
	int rc;

	if (!id || !id_valid(id) || user_id <= 0)
		return ERR_NOTFOUND;
	rc = uq_get(db, id, user_id, &u);
	if (rc < 0)
		return rc;
	if (rc == 0 || strcmp(u.state, "done") != 0)
		return ERR_NOTFOUND;
	if (upload_path(a, id, path, pathlen) || strlen(u.filename) >= namelen ||
	    strlen(u.filetype) >= typelen)
		return ERR_TOOBIG;
	rc = uq_claim(db, id, user_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ERR_NOTFOUND;	/* another claim was first */
	snprintf(name, namelen, "%s", u.filename);
	snprintf(type, typelen, "%s", u.filetype);
	return 0;
}

void upload_release(struct db *db, const struct archive *a, const char *id)
{
	int rc = upload_remove(db, a, id);

	if (rc)
		fprintf(stderr, "cinemateca: cannot remove upload %s: %s\n", id,
			rc == ERR_IO ? strerror(errno) : rc == ERR_DB ? db->err : err_str(rc));
}

/* being_written: a request holds upload id's lock (a PATCH or a form
 * still coming in, however long it has been at it). */
static bool being_written(const struct archive *a, const char *id)
{
	char path[ARCHIVE_PATH_MAX];
	bool busy;
	int fd;

	if (upload_path(a, id, path, sizeof path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

int upload_clean(struct db *db, const struct archive *a, long long now, int *removed)
{
	char ids[64][UPLOAD_ID_LEN + 1], dir[ARCHIVE_PATH_MAX];
	int first = 0, n, gone;
	DIR *d;
	struct dirent *e;

	*removed = 0;
	/* a batch at a time: the statement is done before the rows go */
	do {
		sqlite3_stmt *st = uq_expired(db, now);
		int rc;

		if (!st)
			return ERR_DB;
		n = gone = 0;
		while (n < 64 && (rc = db_step(db, st)) == 1)
			snprintf(ids[n++], sizeof ids[0], "%s", db_text(st, 0));
		sqlite3_reset(st);
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++) {
			int r;
			if (being_written(a, ids[i]))
				continue;	/* its writer records a new expiry at its end */
			r = upload_remove(db, a, ids[i]);
			if (r == 0) {
				(*removed)++;
				gone++;
			} else if (!first) {
				first = r;
			}
		}
	} while (n == 64 && gone && !first);
	/* bytes whose row is gone (a crash between the two, a release cut short) */
	if (snprintf(dir, sizeof dir, "%s/uploads", a->dir) >= (int)sizeof dir)
		return first ? first : ERR_TOOBIG;
	d = opendir(dir);
	if (!d)
		return first ? first : errno == ENOENT ? 0 : ERR_IO;
	while ((e = readdir(d))) {
		struct upload_row u;
		struct stat sb;
		char path[ARCHIVE_PATH_MAX];
		int rc;

		if (!id_valid(e->d_name) || upload_path(a, e->d_name, path, sizeof path) ||
		    stat(path, &sb) != 0 ||
		    (long long)sb.st_mtime + (long long)a->upload_expire_hours * 3600 >= now)
			continue;
		rc = uq_get(db, e->d_name, 0, &u);
		if (rc == 0 && unlink(path) == 0)
			(*removed)++;
		else if (rc < 0 && !first)
			first = rc;
	}
	closedir(d);
	return first;
}
