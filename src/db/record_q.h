/* record_q.h: SQL that writes catalogue records (import, later the web
 * editor). Every function returns 0 or a negative ERR_* with db->err set,
 * and must run inside a db_begin() transaction. Text arguments may be NULL
 * for SQL NULL unless said otherwise. */
#ifndef CINEMATECA_RECORD_Q_H
#define CINEMATECA_RECORD_Q_H

#include <stdbool.h>

#include "core/uuid.h"

struct db;

/* rq_find_by_id / rq_find_by_slug look a record up. Return 1 and fill
 * id_out (and type_out, 16 bytes, when not NULL) if found, 0 if not, or a
 * negative ERR_*. */
int rq_find_by_id(struct db *db, const char *id, char type_out[16], char slug_out[81]);
int rq_find_by_slug(struct db *db, const char *slug, char id_out[UUID_STR_LEN + 1],
		    char type_out[16]);

/* rq_record_state reads what an import needs of a record it replaces:
 * whether its stored import digest equals digest (*same) and its access
 * level (access_out, "" when there is none). Returns 1 found, 0 not, or a
 * negative ERR_*. */
int rq_record_state(struct db *db, const char *id, const char *digest, bool *same,
		    char access_out[16]);

/* rq_manifestation_work copies the id of the work that has manifestation
 * mid into work_out. Returns 1 found, 0 not, or a negative ERR_*. */
int rq_manifestation_work(struct db *db, const char *mid, char work_out[UUID_STR_LEN + 1]);

/* rq_data_version returns SQLite's PRAGMA data_version: it changes when
 * another connection commits to the catalogue. -1 when it cannot be read.
 * Needs no transaction. */
long long rq_data_version(struct db *db);

/* rq_put_record creates or replaces the common row of a record (access:
 * NULL means private) and clears
 * everything that hangs off it (titles, descriptions, credits, relations,
 * manifestations, the type's own row), logging a create or update in the
 * change log. */
int rq_put_record(struct db *db, const char *id, const char *type, const char *slug,
		  const char *date, const char *date_end, const char *source,
		  const char *access, const char *embargo_until, const char *digest, bool existed);

/* rq_set_access changes a record's access level and embargo date (NULL:
 * none), logging an update. */
int rq_set_access(struct db *db, const char *id, const char *access, const char *embargo_until);

int rq_add_title(struct db *db, const char *id, int ord, const char *text,
		 const char *lang, const char *kind);
int rq_add_description(struct db *db, const char *id, int ord, const char *text,
		       const char *lang);
/* the record's rights URI, and its rights statement in one language */
int rq_set_rights(struct db *db, const char *id, const char *uri);
int rq_add_rights_statement(struct db *db, const char *id, int ord, const char *text,
			    const char *lang);
/* duration < 0 means unknown; forms_json is a JSON array or NULL. */
int rq_set_work(struct db *db, const char *id, const char *lang, const char *country,
		long long duration, const char *forms_json);
int rq_add_manifestation(struct db *db, const char *mid, const char *work_id, int ord,
			 const char *const fields[7]);
/* pages < 0 means unknown. */
int rq_set_document(struct db *db, const char *id, const char *doc_type, long long pages,
		    const char *text);
int rq_set_agent(struct db *db, const char *id, const char *kind);
/* has_coords false stores no coordinates. */
int rq_set_place(struct db *db, const char *id, bool has_coords, double lat, double lon,
		 const char *country);
int rq_add_credit(struct db *db, const char *id, int ord, const char *agent_id,
		  const char *role);
int rq_add_relation(struct db *db, const char *id, int ord, const char *type,
		    const char *to_id);

/* rq_reindex rebuilds the search rows of the given records and of every
 * record that credits or relates to them (their names are indexed there). */
int rq_reindex(struct db *db, const char *const *ids, int n);

/* rq_reindex_new builds the search rows of records just created, which
 * no other record can name yet (an import's new records: the ones of the
 * file that name them are listed too). Returns 0 or a negative ERR_*. */
int rq_reindex_new(struct db *db, const char *const *ids, int n);

/* rq_reindex_all rebuilds the whole search index. */
int rq_reindex_all(struct db *db);

#endif
