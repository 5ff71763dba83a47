/* main.c: argv -> command table, nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	struct cli cli = {.archive = getenv("CINEMATECA_ARCHIVE")};
	const struct command *cmd;
	int i = 1;

	if (!cli.archive || !*cli.archive)
		cli.archive = ".";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-a") == 0 || strcmp(argv[i], "--archive") == 0) {
			if (++i == argc) {
				fprintf(stderr, "cinemateca: -a needs a folder\n");
				return 2;
			}
			cli.archive = argv[i];
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf("cinemateca %s\n", CINEMATECA_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			char *help[] = {"help", NULL};
			cli.argc = 1;
			cli.argv = help;
			return cmd_help(&cli);
		} else {
			fprintf(stderr, "cinemateca: unknown option %s; 'cinemateca help' lists "
				"the commands\n", argv[i]);
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: cinemateca [-a DIR] COMMAND [ARGS]\n"
			"'cinemateca help' lists the commands.\n");
		return 2;
	}
	cmd = cli_find(argv[i]);
	if (!cmd) {
		fprintf(stderr, "cinemateca: no command \"%s\"; 'cinemateca help' lists them\n",
			argv[i]);
		return 2;
	}
	cli.argc = argc - i;
	cli.argv = argv + i;
	return cmd->fn(&cli);
}
