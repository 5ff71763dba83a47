/* cli.h: the command table and what command handlers share. */
#ifndef CINEMATECA_CLI_H
#define CINEMATECA_CLI_H

#include <stdio.h>

#include "db/db.h"

#define CINEMATECA_VERSION "0.1.0"

/* What every command is given: the archive folder and its own arguments
 * (argv[0] is the command name). */
struct cli {
	const char *archive;	/* from -a, CINEMATECA_ARCHIVE or "." */
	int argc;
	char **argv;
};

/* A handler returns the process exit status: 0 success, 1 failure of the
 * work, 2 wrong usage. */
typedef int (*cmd_fn)(struct cli *cli);

struct command {
	const char *name;
	cmd_fn fn;
	const char *usage;
	const char *summary;
	const char *help;
};

#define CMD(name, fn, usage, summary, help) int fn(struct cli *cli);
#include "commands.def"
#undef CMD

/* cli_commands is the table from commands.def, ended by a zeroed entry. */
extern const struct command cli_commands[];

/* cli_find returns the command called name, or NULL. */
const struct command *cli_find(const char *name);

/* cli_usage prints "usage: cinemateca [-a DIR] USAGE" for cmd to stderr and
 * returns 2, for handlers to return on wrong usage. */
int cli_usage(const struct command *cmd);

struct archive;

/* cli_open_archive opens the archive for a command, reading as its keeper
 * (an administrator), or prints why it cannot and returns NULL. */
struct db *cli_open_archive(struct cli *cli, enum db_mode mode, struct archive *a);

/* cli_begin_write opens the archive for writing inside a transaction
 * (db_begin), or says why not and returns NULL. The caller commits or
 * rolls back, then closes. */
struct db *cli_begin_write(struct cli *cli);

/* cli_actor names who makes a change from the command line, for the audit
 * log and events: "cli:" and the operating-system account ($USER, else
 * the account of this process). A static buffer: the CLI is one thread. */
const char *cli_actor(void);

/* cli_fail prints "cinemateca: MESSAGE" to stderr and returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
