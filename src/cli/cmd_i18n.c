/* cmd_i18n.c: `cinemateca i18n check | languages`: the translations as the
 * site will see them (web/i18n.c), for a translator or a community adding
 * its language to ARCHIVE/po/. */
#include <stdio.h>
#include <string.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/buf.h"
#include "web/i18n.h"

int cmd_i18n(struct cli *cli)
{
	struct archive a = {0};
	char err[1024];
	struct buf out;
	int problems;

	if (cli->argc != 2 || (strcmp(cli->argv[1], "check") != 0 &&
			       strcmp(cli->argv[1], "languages") != 0))
		return cli_usage(cli_find("i18n"));
	/* the archive's settings name the default language; a folder that
	 * is no archive (a translator's checkout) leaves the built-in one */
	snprintf(a.dir, sizeof a.dir, "%s", cli->archive);
	if (archive_load_conf(&a, err, sizeof err))
		return cli_fail("%s", err);
	if (i18n_load(cli->archive, a.languages, err, sizeof err))
		return cli_fail("%s", err);
	if (strcmp(cli->argv[1], "languages") == 0) {
		for (const char *const *l = i18n_langs; *l; l++)
			printf("%s\t%s%s\n", *l, i18n_lang_name(*l), l == i18n_langs ? "\t(default)" : "");
		return 0;
	}
	buf_init(&out, 16u << 20);
	problems = i18n_check(&out);
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	if (problems)
		return cli_fail("%d translation problem%s", problems, problems == 1 ? "" : "s");
	return 0;
}
