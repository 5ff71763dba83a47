/* cmd_token.c: API tokens for scripts (`cinemateca token add|list|revoke`).
 *
 * A token reads the JSON API as its user, with that user's role and
 * grants, until it is revoked or the user is disabled. It is printed once,
 * when made: only its hash is kept, so a lost token is revoked and made
 * again, never shown again. Every add and revoke is audited. */
#include <stdio.h>
#include <string.h>

#include "access/auth.h"
#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "db/access_q.h"
#include "db/token_q.h"

/* name_valid: what a token's name may be, as an account's name */
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

static int token_add(struct cli *cli)
{
	const char *name = cli->argc >= 3 ? cli->argv[2] : NULL, *user = NULL;
	char token[AUTH_TOKEN_HEX + 1];
	struct user_row u;
	struct db *db = NULL;
	int status = 1, rc;

	for (int i = 3; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--user") == 0 && i + 1 < cli->argc)
			user = cli->argv[++i];
		else
			return cli_usage(cli_find("token"));
	}
	if (!name || !user)
		return cli_usage(cli_find("token"));
	if (!name_valid(name))
		return cli_fail("\"%s\" is not a usable token name: 1 to 63 letters, digits, '.', "
				"'_' or '-'", name);
	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = aq_user_find(db, user, &u);
	if (rc != 1) {
		cli_fail(rc < 0 ? "cannot read accounts: %s" :
			 "there is no account \"%s\" (see 'cinemateca user list')",
			 rc < 0 ? db->err : user);
		goto out;
	}
	if (u.disabled) {
		cli_fail("the account \"%s\" is disabled: its tokens would be refused", user);
		goto out;
	}
	rc = auth_token_make(db, name, u.id, token);
	if (rc == ERR_EXISTS) {
		cli_fail("there is already a token \"%s\" (see 'cinemateca token list')", name);
		goto out;
	}
	if (rc || aq_audit(db, cli_actor(), "token add", NULL, name)) {
		cli_fail("no token was made: %s", db->err);
		goto out;
	}
	if (db_commit(db) != 0) {
		cli_fail("no token was made: %s", db->err);
		goto out;
	}
	/* only once it is saved: the token itself, alone on stdout for scripts */
	printf("%s\n", token);
	fprintf(stderr, "cinemateca: token \"%s\" reads as %s; it is shown only now: keep it "
		"secret, send it as 'Authorization: Bearer TOKEN'\n", name, u.name);
	status = 0;
out:
	if (db->depth)
		db_rollback(db);
	db_close(db);
	return status;
}

static int token_revoke(struct cli *cli)
{
	const char *name = cli->argv[2];
	struct db *db;
	int status = 1, rc;

	if (!(db = cli_begin_write(cli)))
		return 1;
	rc = tq_revoke(db, name);
	if (rc == 0) {
		cli_fail("there is no token \"%s\" (see 'cinemateca token list')", name);
		goto out;
	}
	if (rc < 0 || aq_audit(db, cli_actor(), "token revoke", NULL, name) ||
	    db_commit(db) != 0) {
		cli_fail("the token was not revoked: %s", db->err);
		goto out;
	}
	printf("revoked token \"%s\": it is refused from its next request\n", name);
	status = 0;
out:
	if (db->depth)
		db_rollback(db);
	db_close(db);
	return status;
}

static int token_list(struct cli *cli)
{
	struct archive a;
	struct db *db = cli_open_archive(cli, DB_READ, &a);
	sqlite3_stmt *st;
	int rc, status = 0;

	if (!db)
		return 1;
	st = tq_list(db);
	if (!st) {
		status = cli_fail("cannot read the tokens: %s", db->err);
		goto out;
	}
	while ((rc = db_step(db, st)) == 1)
		printf("%-24s %-24s created %s  last used %s%s\n", db_text(st, 0), db_text(st, 1),
		       db_text(st, 2), db_text_or_null(st, 3) ? db_text(st, 3) : "never",
		       sqlite3_column_int(st, 4) ? "  (user disabled: refused)" : "");
	sqlite3_reset(st);
	if (rc < 0)
		status = cli_fail("cannot read the tokens: %s", db->err);
out:
	db_close(db);
	return status;
}

int cmd_token(struct cli *cli)
{
	if (cli->argc >= 3 && strcmp(cli->argv[1], "add") == 0)
		return token_add(cli);
	if (cli->argc == 3 && strcmp(cli->argv[1], "revoke") == 0)
		return token_revoke(cli);
	if (cli->argc == 2 && strcmp(cli->argv[1], "list") == 0)
		return token_list(cli);
	return cli_usage(cli_find("token"));
}
