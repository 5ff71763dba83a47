/* cmd_access.c: accounts, groups, access levels, grants and screener links
 * from the command line. Every change is written to the audit log with
 * the operating-system user as the actor. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "access/auth.h"
#include "access/policy.h"
#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/record_q.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

/* read_password reads one line: without echo from a terminal (asked
 * twice), else from standard input. Returns 0, or 1 after a message. */
static int read_password(int from_stdin, char out[PASSWORD_MAX + 2])
{
	char again[PASSWORD_MAX + 2];
	struct termios old, quiet;
	int tty = !from_stdin && isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fputs("password: ", stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (!fgets(out, PASSWORD_MAX + 2, stdin))
		out[0] = '\0';
	if (tty) {
		fputs("\nagain: ", stderr);
		if (!fgets(again, sizeof again, stdin))
			again[0] = '\0';
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	n = strcspn(out, "\r\n");
	if (n > PASSWORD_MAX)
		return cli_fail("the password is longer than %d characters", PASSWORD_MAX);
	out[n] = '\0';
	if (tty) {
		again[strcspn(again, "\r\n")] = '\0';
		if (strcmp(out, again) != 0) {
			sodium_memzero(again, sizeof again);
			return cli_fail("the two passwords differ; nothing was changed");
		}
		sodium_memzero(again, sizeof again);
	}
	if (strlen(out) < PASSWORD_MIN)
		return cli_fail("the password needs at least %d characters; nothing was changed",
				PASSWORD_MIN);
	if (!str_utf8_valid(out, strlen(out)))
		return cli_fail("the password is not valid UTF-8; nothing was changed");
	return 0;
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* find_user looks an account up by name or prints why not (returns 1). */
static int find_user(struct db *db, const char *name, struct user_row *u)
{
	int rc = aq_user_find(db, name, u);

	if (rc < 0)
		return cli_fail("cannot read accounts: %s", db->err);
	if (rc == 0)
		return cli_fail("no account \"%s\"; 'cinemateca user list' shows them", name);
	return 0;
}

static int find_record(struct db *db, const char *ref, char id[UUID_STR_LEN + 1], char type[16],
		       char slug[81])
{
	int rc = aq_record_ref(db, ref, id, type, slug);

	if (rc < 0)
		return cli_fail("cannot read the catalogue: %s", db->err);
	if (rc == 0)
		return cli_fail("no record \"%s\" (give its slug or id)", ref);
	return 0;
}

/* finish commits or rolls back the command's transaction and closes. */
static int finish(struct db *db, int status)
{
	if (status == 0 && db_commit(db) != 0)
		status = cli_fail("nothing was changed: %s", db->err);
	if (status != 0 && db->depth)
		db_rollback(db);
	db_close(db);
	return status;
}

/* done commits the command's transaction and closes; only once the change
 * is saved does it print the message that says it was made. */
static int done(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int done(struct db *db, const char *fmt, ...)
{
	va_list ap;

	if (finish(db, 0))
		return 1;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	return 0;
}

static int user_add(struct cli *cli)
{
	const char *name = NULL, *role = NULL;
	char pw[PASSWORD_MAX + 2], hash[AUTH_HASH_MAX];
	int from_stdin = 0, rc;
	struct db *db;

	for (int i = 2; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--role") == 0 && i + 1 < cli->argc)
			role = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (!name && cli->argv[i][0] != '-')
			name = cli->argv[i];
		else
			return cli_usage(cli_find("user"));
	}
	if (!name || !role)
		return cli_usage(cli_find("user"));
	if (!name_valid(name))
		return cli_fail("\"%s\" is not a usable account name: letters, digits, '.', '_' and "
				"'-', at most 63", name);
	if (policy_role(role) == ROLE_INVALID)
		return cli_fail("\"%s\" is not a role: admin, archivist, keeper, community or viewer", role);
	if (read_password(from_stdin, pw))
		return 1;
	rc = auth_hash_password(pw, hash);
	sodium_memzero(pw, sizeof pw);
	if (rc)
		return cli_fail("cannot hash the password: not enough memory");
	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = aq_user_add(db, name, role, hash);
	if (rc == ERR_EXISTS)
		return finish(db, cli_fail("there is already an account \"%s\"", name));
	if (rc || aq_audit(db, cli_actor(), "user add", NULL, name))
		return finish(db, cli_fail("cannot add the account: %s", db->err));
	return done(db, "cinemateca: added %s (%s)\n", name, role);
}

static int user_passwd_or_disable(struct cli *cli, int disable)
{
	const char *name = NULL;
	char pw[PASSWORD_MAX + 2], hash[AUTH_HASH_MAX];
	int from_stdin = 0, rc;
	struct user_row u;
	struct db *db;

	for (int i = 2; i < cli->argc; i++) {
		if (!disable && strcmp(cli->argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (!name && cli->argv[i][0] != '-')
			name = cli->argv[i];
		else
			return cli_usage(cli_find("user"));
	}
	if (!name)
		return cli_usage(cli_find("user"));
	if (!disable) {
		if (read_password(from_stdin, pw))
			return 1;
		rc = auth_hash_password(pw, hash);
		sodium_memzero(pw, sizeof pw);
		if (rc)
			return cli_fail("cannot hash the password: not enough memory");
	}
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (find_user(db, name, &u))
		return finish(db, 1);
	rc = disable ? aq_user_disable(db, u.id) : aq_user_set_password(db, u.id, hash);
	if (rc || aq_audit(db, cli_actor(), disable ? "user disable" : "user passwd", NULL, name))
		return finish(db, cli_fail("cannot change the account: %s", db->err));
	return done(db, disable ? "cinemateca: disabled %s; its sessions have ended\n"
			      : "cinemateca: new password for %s; its sessions have ended\n", name);
}

int cmd_user(struct cli *cli)
{
	struct archive a;
	struct db *db;
	sqlite3_stmt *st;

	if (cli->argc < 2)
		return cli_usage(cli_find("user"));
	if (strcmp(cli->argv[1], "add") == 0)
		return user_add(cli);
	if (strcmp(cli->argv[1], "passwd") == 0)
		return user_passwd_or_disable(cli, 0);
	if (strcmp(cli->argv[1], "disable") == 0)
		return user_passwd_or_disable(cli, 1);
	if (strcmp(cli->argv[1], "list") != 0 || cli->argc != 2)
		return cli_usage(cli_find("user"));
	if (!(db = cli_open_archive(cli, DB_READ, &a)))
		return 1;
	st = aq_user_list(db);
	while (st && db_step(db, st) == 1)
		printf("%-24s %-10s %-9s %s\n", db_text(st, 0), db_text(st, 1),
		       sqlite3_column_int(st, 2) ? "disabled" : "active", db_text(st, 4));
	db_close(db);
	return 0;
}

int cmd_group(struct cli *cli)
{
	struct archive a;
	struct user_row u;
	struct db *db;
	long long gid;
	int rc;

	if (cli->argc == 2 && strcmp(cli->argv[1], "list") == 0) {
		sqlite3_stmt *st;
		if (!(db = cli_open_archive(cli, DB_READ, &a)))
			return 1;
		st = aq_group_list(db);
		while (st && db_step(db, st) == 1)
			printf("@%-23s %s\n", db_text(st, 0), db_text(st, 1));
		db_close(db);
		return 0;
	}
	if (cli->argc == 3 && strcmp(cli->argv[1], "add") == 0) {
		if (!name_valid(cli->argv[2]))
			return cli_fail("\"%s\" is not a usable group name", cli->argv[2]);
		if (!(db = cli_begin_write(cli)))
			return 1;
		rc = aq_group_add(db, cli->argv[2]);
		if (rc == ERR_EXISTS)
			return finish(db, cli_fail("there is already a group \"%s\"", cli->argv[2]));
		if (rc || aq_audit(db, cli_actor(), "group add", NULL, cli->argv[2]))
			return finish(db, cli_fail("cannot add the group: %s", db->err));
		return done(db, "cinemateca: added group @%s\n", cli->argv[2]);
	}
	if (cli->argc != 4 || (strcmp(cli->argv[1], "join") && strcmp(cli->argv[1], "leave")))
		return cli_usage(cli_find("group"));
	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = aq_group_find(db, cli->argv[2], &gid);
	if (rc != 1)
		return finish(db, cli_fail("no group \"%s\"; 'cinemateca group list' shows them",
					   cli->argv[2]));
	if (find_user(db, cli->argv[3], &u))
		return finish(db, 1);
	rc = strcmp(cli->argv[1], "join") == 0 ? aq_group_join(db, gid, u.id)
					       : aq_group_leave(db, gid, u.id);
	if (rc < 0 || aq_audit(db, cli_actor(), cli->argv[1][0] == 'j' ? "group join" : "group leave",
			       NULL, cli->argv[3]))
		return finish(db, cli_fail("cannot change the group: %s", db->err));
	return done(db, "cinemateca: %s %s @%s\n", cli->argv[3], cli->argv[1][0] == 'j' ? "joined" : "left",
	       cli->argv[2]);
}

/* set_file_access gives a file a level of its own (NULL: its record's
 * again). Returns 0, or 1 after a message. */
static int set_file_access(struct db *db, const char *file_id, const char *level, const char *until)
{
	if (until)
		return cli_fail("--until is for records: a file has no embargo of its own");
	if (fq_file_set_access(db, file_id, level) ||
	    aq_audit(db, cli_actor(), "access set file", file_id, level ? level : "inherit"))
		return cli_fail("cannot change the file: %s", db->err);
	printf("cinemateca: file %s is %s\n", file_id, level ? level : "read as its record is");
	return 0;
}

int cmd_access(struct cli *cli)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	const char *until = NULL;
	struct db *db;
	sqlite3_stmt *st;
	bool inherit;
	int rc;

	if (cli->argc == 6 && strcmp(cli->argv[4], "--until") == 0)
		until = cli->argv[5];
	else if (cli->argc != 4)
		return cli_usage(cli_find("access"));
	if (strcmp(cli->argv[1], "set") != 0)
		return cli_usage(cli_find("access"));
	inherit = strcmp(cli->argv[3], "inherit") == 0;
	if (!inherit && policy_level(cli->argv[3]) == LEVEL_INVALID)
		return cli_fail("\"%s\" is not a level: public, registered, community or private "
				"(or inherit, for a file)", cli->argv[3]);
	if (until && !(strlen(until) == 10 && str_date_valid(until)))
		return cli_fail("--until wants a date, YYYY-MM-DD, not \"%s\"", until);
	if (!(db = cli_begin_write(cli)))
		return 1;
	st = fq_file(db, cli->argv[2]);
	rc = st ? db_step(db, st) : ERR_DB;
	if (rc == 1 && db_text_or_null(st, FQ_DELETED))
		rc = 0;		/* a deleted file is no file to set */
	if (st)
		sqlite3_reset(st);
	if (rc < 0)
		return finish(db, cli_fail("cannot read the catalogue: %s", db->err));
	if (rc == 1)
		return finish(db, set_file_access(db, cli->argv[2], inherit ? NULL : cli->argv[3], until));
	if (inherit)
		return finish(db, cli_fail("inherit is for files: a record's level is public, registered, "
					   "community or private"));
	if (find_record(db, cli->argv[2], id, type, slug))
		return finish(db, 1);
	if (rq_set_access(db, id, cli->argv[3], until) || rq_reindex(db, (const char *[]){id}, 1) ||
	    aq_audit(db, cli_actor(), "access set", id, cli->argv[3]))
		return finish(db, cli_fail("cannot change the record: %s", db->err));
	return done(db, "cinemateca: %s is %s%s%s\n", slug, cli->argv[3], until ? " until " : "",
	       until ? until : "");
}

/* principal_ref resolves USER or @GROUP. Returns 0, or 1 after a message. */
static int principal_ref(struct db *db, const char *ref, long long *user, long long *grp)
{
	struct user_row u;

	*user = *grp = 0;
	if (ref[0] == '@') {
		int rc = aq_group_find(db, ref + 1, grp);
		if (rc != 1)
			return cli_fail("no group \"%s\"; 'cinemateca group list' shows them", ref + 1);
		return 0;
	}
	if (find_user(db, ref, &u))
		return 1;
	*user = u.id;
	return 0;
}

int cmd_grant(struct cli *cli)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	const char *until = NULL;
	long long user, grp;
	struct db *db;

	if (cli->argc == 5 && strcmp(cli->argv[3], "--until") == 0)
		until = cli->argv[4];
	else if (cli->argc != 3)
		return cli_usage(cli_find("grant"));
	if (until && !(strlen(until) == 10 && str_date_valid(until)))
		return cli_fail("--until wants a date, YYYY-MM-DD, not \"%s\"", until);
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (principal_ref(db, cli->argv[1], &user, &grp) || find_record(db, cli->argv[2], id, type, slug))
		return finish(db, 1);
	if (aq_grant_add(db, id, user, grp, until) ||
	    aq_audit(db, cli_actor(), "grant", id, cli->argv[1]))
		return finish(db, cli_fail("cannot grant: %s", db->err));
	return done(db, "cinemateca: %s may read %s%s%s\n", cli->argv[1], slug, until ? " until " : "",
	       until ? until : "");
}

int cmd_revoke(struct cli *cli)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	long long user, grp;
	struct db *db;
	int rc;

	if (cli->argc != 3)
		return cli_usage(cli_find("revoke"));
	if (!(db = cli_begin_write(cli)))
		return 1;
	if (principal_ref(db, cli->argv[1], &user, &grp) || find_record(db, cli->argv[2], id, type, slug))
		return finish(db, 1);
	rc = aq_grant_revoke(db, id, user, grp);
	if (rc < 0 || aq_audit(db, cli_actor(), "revoke", id, cli->argv[1]))
		return finish(db, cli_fail("cannot revoke: %s", db->err));
	if (rc == 0)
		return finish(db, cli_fail("%s had no grant on %s", cli->argv[1], slug));
	return done(db, "cinemateca: %s may no longer read %s by grant\n", cli->argv[1], slug);
}

int cmd_grants(struct cli *cli)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81];
	struct archive a;
	sqlite3_stmt *st;
	struct db *db;

	if (cli->argc > 2)
		return cli_usage(cli_find("grants"));
	if (!(db = cli_open_archive(cli, DB_READ, &a)))
		return 1;
	if (cli->argc == 2 && find_record(db, cli->argv[1], id, type, slug)) {
		db_close(db);
		return 1;
	}
	st = aq_grant_list(db, cli->argc == 2 ? id : NULL);
	while (st && db_step(db, st) == 1)
		printf("%-40s %-24s %s\n", db_text(st, 0), db_text(st, 1),
		       *db_text(st, 2) ? db_text(st, 2) : "for good");
	db_close(db);
	return 0;
}

int cmd_screener(struct cli *cli)
{
	char id[UUID_STR_LEN + 1], type[16], slug[81], sid[UUID_STR_LEN + 1];
	char secret[65], token[SCREENER_TOKEN_MAX];
	const char *for_whom = NULL, *ref = NULL, *base;
	unsigned long long days = 0;
	struct archive a;
	struct db *db;
	long long expires;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--for") == 0 && i + 1 < cli->argc)
			for_whom = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--days") == 0 && i + 1 < cli->argc) {
			if (!str_parse_u64(cli->argv[++i], 365, &days) || days == 0)
				return cli_fail("--days wants a number of days from 1 to 365");
		} else if (!ref && cli->argv[i][0] != '-')
			ref = cli->argv[i];
		else
			return cli_usage(cli_find("screener"));
	}
	if (!ref || !for_whom || !days)
		return cli_usage(cli_find("screener"));
	if (!*for_whom || strlen(for_whom) > 200 || !str_utf8_valid(for_whom, strlen(for_whom)))
		return cli_fail("--for wants a name of at most 200 characters");
	db = cli_open_archive(cli, DB_WRITE, &a);
	if (!db)
		return 1;
	if (db_begin(db)) {
		db_close(db);
		return cli_fail("cannot write the catalogue");
	}
	if (find_record(db, ref, id, type, slug))
		return finish(db, 1);
	if (strcmp(type, "work") != 0)
		return finish(db, cli_fail("%s is a %s: screener links are for works", slug, type));
	uuid_v7(sid);
	expires = (long long)time(NULL) + (long long)days * 86400;
	if (aq_secret(db, secret) || screener_sign(secret, sid, expires, token) ||
	    aq_screener_add(db, sid, id, for_whom, expires) ||
	    aq_audit(db, cli_actor(), "screener", id, for_whom)) {
		sodium_memzero(secret, sizeof secret);
		return finish(db, cli_fail("cannot make the link: %s", db->err));
	}
	sodium_memzero(secret, sizeof secret);
	if (finish(db, 0))
		return 1;	/* no link that would not work */
	base = *a.base_url ? a.base_url : "http://127.0.0.1:8080";
	printf("%s%s/screener/%s\n", base, base[strlen(base) - 1] == '/' ? "" : "", token);
	fprintf(stderr, "cinemateca: screener %s for %s: %s for %llu days; revoke it with "
		"'cinemateca revoke-screener %s'\n", sid, for_whom, slug, days, sid);
	return 0;
}

int cmd_screeners(struct cli *cli)
{
	struct archive a;
	sqlite3_stmt *st;
	struct db *db;
	long long now = (long long)time(NULL);

	if (cli->argc != 1)
		return cli_usage(cli_find("screeners"));
	if (!(db = cli_open_archive(cli, DB_READ, &a)))
		return 1;
	st = aq_screener_list(db);
	while (st && db_step(db, st) == 1) {
		time_t exp = (time_t)sqlite3_column_int64(st, 4);
		char when[32];
		struct tm tm;
		gmtime_r(&exp, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
		printf("%s  %-32s %-24s until %s  %-8s %d uses\n", db_text(st, 0), db_text(st, 1),
		       db_text(st, 2), when,
		       *db_text(st, 5) ? "revoked" : (long long)exp < now ? "expired" : "live",
		       sqlite3_column_int(st, 6));
	}
	db_close(db);
	return 0;
}

int cmd_revoke_screener(struct cli *cli)
{
	struct db *db;
	int rc;

	if (cli->argc != 2)
		return cli_usage(cli_find("revoke-screener"));
	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = aq_screener_revoke(db, cli->argv[1]);
	if (rc < 0 || aq_audit(db, cli_actor(), "revoke-screener", NULL, cli->argv[1]))
		return finish(db, cli_fail("cannot revoke: %s", db->err));
	if (rc == 0)
		return finish(db, cli_fail("no live screener \"%s\"; 'cinemateca screeners' lists them",
					   cli->argv[1]));
	return done(db, "cinemateca: screener %s revoked\n", cli->argv[1]);
}
