/* commands.c: the command table, help, and the shared error helpers. */
#include "cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/archive.h"

const struct command cli_commands[] = {
#define CMD(name, fn, usage, summary, help) {name, fn, usage, summary, help},
#include "commands.def"
#undef CMD
	{0},
};

const struct command *cli_find(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_usage(const struct command *cmd)
{
	fprintf(stderr, "usage: cinemateca [-a DIR] %s\n"
		"Run 'cinemateca help %s' for more.\n", cmd->usage, cmd->name);
	return 2;
}

const char *cli_actor(void)
{
	static char name[80];
	const char *u = getenv("USER");
	struct passwd *pw;

	/* cron and systemd set no $USER: the account running us is the one */
	if ((!u || !*u) && (pw = getpwuid(getuid())))
		u = pw->pw_name;
	snprintf(name, sizeof name, "cli:%s", u && *u ? u : "unknown");
	return name;
}

struct db *cli_begin_write(struct cli *cli)
{
	struct archive a;
	struct db *db = cli_open_archive(cli, DB_WRITE, &a);

	if (db && db_begin(db) != 0) {
		cli_fail("cannot write the catalogue: %s", db->err);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("cinemateca: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cmd_help(struct cli *cli)
{
	const struct command *c;

	if (cli->argc > 2)
		return cli_usage(cli_find("help"));
	if (cli->argc == 2) {
		c = cli_find(cli->argv[1]);
		if (!c) {
			fprintf(stderr, "cinemateca: no command \"%s\"; 'cinemateca help' lists them\n",
				cli->argv[1]);
			return 2;
		}
		printf("usage: cinemateca [-a DIR] %s\n\n%s\n", c->usage, c->help);
		return 0;
	}
	printf("usage: cinemateca [-a DIR] COMMAND [ARGS]\n"
	       "       cinemateca --version\n\n"
	       "A self-hosted archive for community films and their paper trail.\n"
	       "-a DIR names the archive folder (default: $CINEMATECA_ARCHIVE, else .).\n\n"
	       "Commands:\n");
	for (c = cli_commands; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("\n'cinemateca help COMMAND' explains one.\n");
	return 0;
}
