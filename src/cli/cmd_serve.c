/* cmd_serve.c: `cinemateca serve`, and the cleaner of expired uploads
 * that runs beside it (at start, then every CLEAN_PERIOD_S). */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog/archive.h"
#include "cli.h"
#include "core/err.h"
#include "http/server.h"
#include "web/i18n.h"
#include "web/uploads.h"

#define CLEAN_PERIOD_S 600	/* expiry is in hours: ten minutes late is nothing */

struct cleaner {
	const struct archive *a;
	pthread_mutex_t lock;	/* guards stop */
	pthread_cond_t wake;	/* signalled to stop */
	bool stop;
};

/* clean_once removes the expired uploads with a connection of its own,
 * saying so on stderr when it removed or failed. */
static void clean_once(const struct archive *a)
{
	struct db *db;
	char err[512];
	int removed = 0, rc;

	if (db_open(a->db_path, DB_WRITE, &db, err, sizeof err)) {
		fprintf(stderr, "cinemateca: cannot clean expired uploads: %s\n", err);
		return;
	}
	rc = upload_clean(db, a, (long long)time(NULL), &removed);
	if (removed)
		fprintf(stderr, "cinemateca: removed %d expired upload%s\n", removed,
			removed == 1 ? "" : "s");
	if (rc)
		fprintf(stderr, "cinemateca: cleaning expired uploads: %s\n",
			rc == ERR_IO ? strerror(errno) : db->err[0] ? db->err : err_str(rc));
	db_close(db);
}

static void *cleaner_run(void *arg)
{
	struct cleaner *c = arg;

	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += CLEAN_PERIOD_S;
		pthread_cond_timedwait(&c->wake, &c->lock, &until);
		if (c->stop)
			break;
		pthread_mutex_unlock(&c->lock);
		clean_once(c->a);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

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
	/* the interface languages: the built-in ones and ARCHIVE/po/LANG.po,
	 * read once before the workers start; a broken file stops the start
	 * with its file:line rather than showing half a language */
	if (i18n_load(a.dir, a.languages, err, sizeof err))
		return cli_fail("%s", err);
	clean_once(&a);
	{
		struct cleaner c = {.a = &a, .lock = PTHREAD_MUTEX_INITIALIZER,
				    .wake = PTHREAD_COND_INITIALIZER};
		pthread_t t;
		bool started = pthread_create(&t, NULL, cleaner_run, &c) == 0;

		if (!started)
			fprintf(stderr, "cinemateca: cannot start the cleaner of expired uploads: "
				"they are removed only when serve starts\n");
		rc = server_run(&a, listen);
		if (started) {
			pthread_mutex_lock(&c.lock);
			c.stop = true;
			pthread_cond_signal(&c.wake);
			pthread_mutex_unlock(&c.lock);
			pthread_join(t, NULL);
		}
	}
	return rc;
}
