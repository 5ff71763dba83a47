/* export.c: write the whole catalogue in the import format
 * (docs/import-format.md), so that `export-json | import` into an empty
 * archive reproduces it, ids included. */
#include "import.h"

#include <jansson.h>
#include <string.h>

#include "core/err.h"
#include "db/db.h"
#include "db/read_q.h"

/* set adds a string member unless the column is NULL. */
static void set(json_t *obj, const char *key, sqlite3_stmt *st, int col)
{
	const char *s = db_text_or_null(st, col);

	if (s)
		json_object_set_new(obj, key, json_string(s));
}

static int add_texts(struct db *db, json_t *rec, const char *key, sqlite3_stmt *st)
{
	json_t *arr;
	int rc;

	if (!st)
		return ERR_DB;
	arr = json_array();
	while ((rc = db_step(db, st)) == 1) {
		json_t *t = json_object();
		set(t, "text", st, 0);
		set(t, "lang", st, 1);
		if (strcmp(key, "titles") == 0)
			set(t, "kind", st, 2);
		json_array_append_new(arr, t);
	}
	if (json_array_size(arr))
		json_object_set_new(rec, key, arr);
	else
		json_decref(arr);
	return rc;
}

/* add_links splits a record's outgoing links into credits and relations. */
static int add_links(struct db *db, json_t *rec, const char *id)
{
	sqlite3_stmt *st = q_links_out(db, id, NULL);
	json_t *credits = json_array(), *relations = json_array();
	int rc;

	if (!st)
		return ERR_DB;
	while ((rc = db_step(db, st)) == 1) {
		json_t *l = json_object();
		if (sqlite3_column_int(st, QL_IS_CREDIT)) {
			set(l, "agent", st, QL_SLUG);
			set(l, "role", st, QL_KIND);
			json_array_append_new(credits, l);
		} else {
			set(l, "type", st, QL_KIND);
			set(l, "to", st, QL_SLUG);
			json_array_append_new(relations, l);
		}
	}
	if (json_array_size(credits))
		json_object_set_new(rec, "credits", credits);
	else
		json_decref(credits);
	if (json_array_size(relations))
		json_object_set_new(rec, "relations", relations);
	else
		json_decref(relations);
	return rc;
}

static int add_type_fields(struct db *db, json_t *rec, const char *type, const char *id)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (strcmp(type, "work") == 0) {
		if (!(st = q_work(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1) {
			set(rec, "original_language", st, 0);
			set(rec, "country", st, 1);
			if (sqlite3_column_type(st, 2) != SQLITE_NULL)
				json_object_set_new(rec, "duration",
						    json_integer(sqlite3_column_int64(st, 2)));
			if (db_text_or_null(st, 3))
				json_object_set_new(rec, "forms", json_loads(db_text(st, 3), 0, NULL));
		}
		if (rc < 0 || !(st = q_manifestations(db, id)))
			return rc < 0 ? rc : ERR_DB;
		json_t *arr = json_array();
		static const char *const names[] = {"id", "kind", "format", "gauge", "colour",
						    "sound", "aspect", "notes"};
		while ((rc = db_step(db, st)) == 1) {
			json_t *m = json_object();
			for (int i = 0; i < 8; i++)
				set(m, names[i], st, i);
			json_array_append_new(arr, m);
		}
		if (json_array_size(arr))
			json_object_set_new(rec, "manifestations", arr);
		else
			json_decref(arr);
	} else if (strcmp(type, "document") == 0) {
		if (!(st = q_document(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1) {
			set(rec, "doc_type", st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				json_object_set_new(rec, "pages", json_integer(sqlite3_column_int64(st, 1)));
			set(rec, "text", st, 2);
		}
	} else if (strcmp(type, "agent") == 0) {
		if (!(st = q_agent(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1)
			set(rec, "kind", st, 0);
	} else if (strcmp(type, "place") == 0) {
		if (!(st = q_place(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1) {
			if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
				json_object_set_new(rec, "lat", json_real(sqlite3_column_double(st, 0)));
				json_object_set_new(rec, "lon", json_real(sqlite3_column_double(st, 1)));
			}
			set(rec, "country", st, 2);
		}
	}
	return rc < 0 ? rc : 0;
}

int export_json(struct db *db, FILE *out)
{
	sqlite3_stmt *all = q_all_records(db, NULL);
	json_t *root = json_object(), *records = json_array();
	int rc;

	if (!all)
		return ERR_DB;
	json_object_set_new(root, "format", json_string("cinemateca-import"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "records", records);
	while ((rc = db_step(db, all)) == 1) {
		json_t *rec = json_object();
		const char *id = db_text(all, QR_ID), *type = db_text(all, QR_TYPE);

		json_array_append_new(records, rec);
		set(rec, "type", all, QR_TYPE);
		set(rec, "id", all, QR_ID);
		set(rec, "slug", all, QR_SLUG);
		if ((rc = add_texts(db, rec, "titles", q_titles(db, id))) < 0 ||
		    (rc = add_texts(db, rec, "descriptions", q_descriptions(db, id, NULL))) < 0)
			break;
		set(rec, "date", all, QR_DATE);
		set(rec, "date_end", all, QR_DATE_END);
		if ((rc = add_type_fields(db, rec, type, id)) < 0 || (rc = add_links(db, rec, id)) < 0)
			break;
		set(rec, "source", all, QR_SOURCE);
		set(rec, "access", all, QR_ACCESS);
		set(rec, "embargo_until", all, QR_EMBARGO);
	}
	if (rc == 0 && (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
			fputc('\n', out) == EOF))
		rc = ERR_IO;
	json_decref(root);
	return rc;
}
