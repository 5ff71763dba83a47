/* cmd_serve.c: `cinemateca serve`. */
#include <string.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "http/server.h"

int cmd_serve(struct cli *cli)
{
	const char *listen = "127.0.0.1:8080";
	struct archive a;
	struct db *db;
	char err[1024];
	int rc;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--listen") == 0 && i + 1 < cli->argc)
			listen = cli->argv[++i];
		else if (strncmp(cli->argv[i], "--listen=", 9) == 0)
			listen = cli->argv[i] + 9;
		else
			return cli_usage(cli_find("serve"));
	}
	/* open for writing once: this brings an older catalogue up to date
	 * before the read-only workers start */
	rc = archive_open(cli->archive, DB_WRITE, &a, &db, err, sizeof err);
	if (rc == ERR_BUSY)
		return cli_fail("%s: the catalogue is locked by another process; try again when "
				"it has finished", cli->archive);
	if (rc)
		return cli_fail("%s", err);
	db_close(db);
	return server_run(&a, listen);
}
