/* cmd_bag.c: export --bagit and import-bag, the command line's callers of
 * the bag calls of the preservation core (preserve/bag.h): each parses its
 * arguments, opens the archive, calls one function and prints what it
 * says. */
#include <stdio.h>
#include <string.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "preserve/bag.h"
#include "store/objects.h"

/* agent names this program and the person running it, for events. */
static const char *agent(void)
{
	static char name[120];

	snprintf(name, sizeof name, "cinemateca %s (%s)", CINEMATECA_VERSION, cli_actor());
	return name;
}

static void on_say(void *arg, bool problem, const char *line)
{
	(void)arg;
	if (problem)
		fprintf(stderr, "cinemateca: %s\n", line);
	else
		printf("%s\n", line);
	fflush(problem ? stderr : stdout);
}

/* open_core opens the archive (for writing when write) and its store. 0,
 * or prints why not and returns 1. */
static int open_core(struct cli *cli, bool write, struct archive *a, struct preserve *p)
{
	memset(p, 0, sizeof *p);
	if (!(p->db = cli_open_archive(cli, write ? DB_WRITE : DB_READ, a)))
		return 1;
	if (store_open(a->dir, &p->store)) {
		db_close(p->db);
		return cli_fail("cannot open the object store in %s", a->dir);
	}
	p->agent = agent();
	p->say = on_say;
	return 0;
}

int cmd_export(struct cli *cli)
{
	struct preserve_bag_export_opts o = {0};
	struct preserve_bag_result r;
	struct preserve p;
	struct archive a;
	bool all = false, bagit = false;
	const char *pos[2];
	int npos = 0, rc;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--bagit") == 0)
			bagit = true;
		else if (strcmp(cli->argv[i], "--all") == 0)
			all = true;
		else if (strcmp(cli->argv[i], "--roles") == 0 && i + 1 < cli->argc)
			o.roles = cli->argv[++i];
		else if (cli->argv[i][0] == '-' || npos == 2)
			return cli_usage(cli_find("export"));
		else
			pos[npos++] = cli->argv[i];
	}
	if (!bagit || npos != (all ? 1 : 2))
		return cli_usage(cli_find("export"));
	o.target = all ? NULL : pos[0];
	o.outdir = pos[npos - 1];
	if (open_core(cli, false, &a, &p))
		return 1;
	o.organization = a.title;
	o.base_url = a.base_url;
	o.software = "cinemateca " CINEMATECA_VERSION;
	rc = preserve_bag_export(&p, &o, &r);
	store_close(p.store);
	db_close(p.db);
	if (rc)
		return cli_fail("%s", p.err);
	printf("bag %s: %d records, %d files, %llu bytes of payload\n", o.outdir, r.records,
	       r.files, (unsigned long long)r.bytes);
	return 0;
}

int cmd_import_bag(struct cli *cli)
{
	struct preserve_bag_result r;
	struct preserve p;
	struct archive a;
	const char *dir = NULL, *to = NULL, *role = NULL;
	int rc;

	for (int i = 1; i < cli->argc; i++) {
		if (strcmp(cli->argv[i], "--to") == 0 && i + 1 < cli->argc)
			to = cli->argv[++i];
		else if (strcmp(cli->argv[i], "--role") == 0 && i + 1 < cli->argc)
			role = cli->argv[++i];
		else if (cli->argv[i][0] == '-' || dir)
			return cli_usage(cli_find("import-bag"));
		else
			dir = cli->argv[i];
	}
	if (!dir || (!to) != (!role))
		return cli_usage(cli_find("import-bag"));
	if (open_core(cli, true, &a, &p))
		return 1;
	rc = preserve_bag_import(&p, dir, to, role, &r);
	store_close(p.store);
	db_close(p.db);
	if (rc)
		return cli_fail("%s", p.err);
	if (to)
		printf("bag %s: %d files ingested into %s\n", dir, r.files, to);
	else
		printf("bag %s: %d records and %d files imported\n", dir, r.records, r.files);
	return 0;
}
