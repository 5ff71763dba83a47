/* edit_q.h: the SQL of the web editor: the list of records it offers, and
 * forgetting a record's import digest so that an edit is always written.
 * Functions return 0 or a negative ERR_* with db->err set; statements are
 * from the connection's cache, as in read_q.h. */
#ifndef CINEMATECA_EDIT_Q_H
#define CINEMATECA_EDIT_Q_H

#include <sqlite3.h>

struct db;

/* eq_list returns the records of a type (NULL: every type) that
 * db->principal may read, most recently changed first, limit rows from
 * offset, with the columns of read_q.h's record listings (QR_*; the label
 * in lang when there is one). NULL on error. */
sqlite3_stmt *eq_list(struct db *db, const char *type, const char *lang, int limit, int offset);

/* eq_forget_digest clears the stored import digest of record id, so that
 * the next import of it is written even if it equals what was imported
 * last (the access level may have been changed since by `access set`,
 * which does not touch the digest). Must run inside db_begin(). */
int eq_forget_digest(struct db *db, const char *id);

#endif
