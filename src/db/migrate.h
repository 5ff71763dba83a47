/* migrate.h: forward-only schema migrations, embedded from db/schema/NNN_name.sql.
 * PRAGMA user_version holds the number of the last one applied. */
#ifndef CINEMATECA_MIGRATE_H
#define CINEMATECA_MIGRATE_H

#include <stddef.h>

struct db;

/* migrate_latest is the schema version this program writes. */
int migrate_latest(void);

/* migrate_forward applies every migration newer than the catalogue's
 * version, each in its own transaction. Returns 0, or ERR_INVALID when the
 * catalogue is newer than this program, or ERR_DB/ERR_BUSY; message in
 * errbuf. */
int migrate_forward(struct db *db, char *errbuf, size_t errlen);

/* migrate_check fails (ERR_INVALID, message in errbuf) unless the catalogue
 * is at exactly the latest version; used for read-only opens. */
int migrate_check(struct db *db, char *errbuf, size_t errlen);

#endif
