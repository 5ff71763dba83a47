/* archive.c: create and open archive folders (see archive.h). */
#include "archive.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/str.h"
#include "store/objects.h"

static const char default_conf[] =
	"# cinemateca settings: key = value, one per line.\n"
	"# title: the name shown on every page.\n"
	"title = Cinemateca\n"
	"# languages: interface languages, the first is the default (es, en).\n"
	"languages = es en\n"
	"# base_url: the public address of the site, used in links sent elsewhere.\n"
	"base_url =\n"
	"# admin_email: who answers for the archive, told to harvesters (OAI-PMH).\n"
	"admin_email =\n"
	"# connections_per_address: open connections one client address may hold\n"
	"# (0: no limit, for a server behind a proxy, where every client has its address).\n"
	"connections_per_address = 64\n"
	"# header_timeout: seconds a client has to send its request line and headers.\n"
	"header_timeout = 10\n"
	"# upload_max_bytes: the largest file a contributor may upload, in bytes.\n"
	"upload_max_bytes = 4294967296\n"
	"# upload_expire_hours: an unfinished upload untouched this long is removed.\n"
	"upload_expire_hours = 24\n"
	"# viewers_contribute: yes lets viewer accounts upload and contribute too.\n"
	"viewers_contribute = no\n";

static int join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, ARCHIVE_PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= ARCHIVE_PATH_MAX ? ERR_TOOBIG : 0;
}

static int make_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	return ERR_IO;
}

int archive_init(const char *dir, char *err, size_t errlen)
{
	char path[ARCHIVE_PATH_MAX];
	struct db *db;
	FILE *f;
	int rc;

	if (strlen(dir) > ARCHIVE_PATH_MAX - 64) {
		snprintf(err, errlen, "the folder name is too long");
		return ERR_TOOBIG;
	}
	if ((rc = make_dir(dir, err, errlen)))
		return rc;
	join(path, dir, "catalog.db");
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s is already an archive (it has catalog.db)", dir);
		return ERR_EXISTS;
	}
	if (store_create(dir) != 0) {
		snprintf(err, errlen, "cannot create the object store in %s: %s", dir, strerror(errno));
		return ERR_IO;
	}
	join(path, dir, "cinemateca.conf");
	if (access(path, F_OK) != 0) {
		f = fopen(path, "w");
		if (!f || fputs(default_conf, f) == EOF || fclose(f) != 0) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
			return ERR_IO;
		}
	}
	join(path, dir, "catalog.db");
	rc = db_open(path, DB_CREATE, &db, err, errlen);
	db_close(db);
	return rc;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int archive_load_conf(struct archive *a, char *err, size_t errlen)
{
	char path[ARCHIVE_PATH_MAX], line[1024];
	FILE *f;
	int lineno = 0, rc = 0;

	snprintf(a->title, sizeof a->title, "Cinemateca");
	snprintf(a->languages, sizeof a->languages, "es en");
	a->base_url[0] = '\0';
	a->admin_email[0] = '\0';
	a->connections_per_address = ARCHIVE_CONNECTIONS_PER_ADDRESS;
	a->header_timeout = ARCHIVE_HEADER_TIMEOUT;
	a->upload_max_bytes = ARCHIVE_UPLOAD_MAX_BYTES;
	a->upload_expire_hours = ARCHIVE_UPLOAD_EXPIRE_HOURS;
	a->viewers_contribute = false;
	if (join(path, a->dir, "cinemateca.conf"))
		return ERR_TOOBIG;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return ERR_IO;
	}
	while (fgets(line, sizeof line, f)) {
		char *key, *val, *eq;

		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = ERR_INVALID;
			break;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		if (strcmp(key, "title") == 0 && *val)
			snprintf(a->title, sizeof a->title, "%s", val);
		else if (strcmp(key, "base_url") == 0)
			snprintf(a->base_url, sizeof a->base_url, "%s", val);
		else if (strcmp(key, "admin_email") == 0) {
			if (strlen(val) >= sizeof a->admin_email || (*val && !strchr(val, '@'))) {
				snprintf(err, errlen, "%s:%d: admin_email wants one address of at most "
					 "%zu bytes, such as archive@example.org", path, lineno,
					 sizeof a->admin_email - 1);
				rc = ERR_INVALID;
				break;
			}
			snprintf(a->admin_email, sizeof a->admin_email, "%s", val);
		}
		else if (strcmp(key, "languages") == 0 && *val)
			snprintf(a->languages, sizeof a->languages, "%s", val);
		else if (strcmp(key, "connections_per_address") == 0 ||
			 strcmp(key, "header_timeout") == 0) {
			bool conns = key[0] == 'c';
			unsigned long long n;
			if (!str_parse_u64(val, conns ? 100000 : 3600, &n) || (!conns && n == 0)) {
				snprintf(err, errlen, "%s:%d: %s wants %s, not \"%s\"", path, lineno,
					 key, conns ? "a number of connections from 0 (no limit) "
					 "to 100000" : "whole seconds from 1 to 3600", val);
				rc = ERR_INVALID;
				break;
			}
			if (conns)
				a->connections_per_address = (unsigned)n;
			else
				a->header_timeout = (unsigned)n;
		}
		else if (strcmp(key, "upload_max_bytes") == 0 ||
			 strcmp(key, "upload_expire_hours") == 0) {
			bool bytes = key[7] == 'm';
			unsigned long long n;
			if (!str_parse_u64(val, bytes ? ARCHIVE_UPLOAD_MAX_LIMIT : 24 * 365, &n) ||
			    n == 0) {
				snprintf(err, errlen, "%s:%d: %s wants %s, not \"%s\"", path, lineno,
					 key, bytes ? "a number of bytes from 1 to 2^50 (such as "
					 "4294967296 for 4 GiB)" : "whole hours from 1 to 8760", val);
				rc = ERR_INVALID;
				break;
			}
			if (bytes)
				a->upload_max_bytes = n;
			else
				a->upload_expire_hours = (unsigned)n;
		} else if (strcmp(key, "viewers_contribute") == 0) {
			if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0) {
				snprintf(err, errlen, "%s:%d: viewers_contribute wants yes or no, "
					 "not \"%s\"", path, lineno, val);
				rc = ERR_INVALID;
				break;
			}
			a->viewers_contribute = strcmp(val, "yes") == 0;
		}
		/* unknown keys are left for newer versions */
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		rc = ERR_IO;
	}
	fclose(f);
	return rc;
}

int archive_open(const char *dir, enum db_mode mode, struct archive *a, struct db **db,
		 char *err, size_t errlen)
{
	struct stat sb;
	int rc;

	*db = NULL;
	if (strlen(dir) > ARCHIVE_PATH_MAX - 64) {
		snprintf(err, errlen, "the folder name is too long");
		return ERR_TOOBIG;
	}
	snprintf(a->dir, sizeof a->dir, "%s", dir);
	join(a->db_path, dir, "catalog.db");
	if (stat(dir, &sb) != 0 && errno == EACCES) {
		snprintf(err, errlen, "cannot open %s: permission denied on a folder on the way to "
			 "it; run as the archive's owner", dir);
		return ERR_IO;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s is not a folder: create an archive with 'cinemateca -a %s init' "
			 "or point -a at one", dir, dir);
		return ERR_NOTFOUND;
	}
	if (stat(a->db_path, &sb) != 0 && errno == EACCES) {
		snprintf(err, errlen, "cannot open %s: permission denied reading the folder; run as "
			 "the archive's owner or give this account access to it (no sign of damage: do not "
			 "restore a backup over it)", dir);
		return ERR_IO;
	}
	if (stat(a->db_path, &sb) != 0) {
		snprintf(err, errlen, "%s is not a cinemateca archive (no catalog.db): run "
			 "'cinemateca -a %s init' to make it one, or point -a at an archive", dir, dir);
		return ERR_NOTFOUND;
	}
	if ((rc = archive_load_conf(a, err, errlen)))
		return rc;
	return db_open(a->db_path, mode, db, err, errlen);
}
