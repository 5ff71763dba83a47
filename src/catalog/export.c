/* export.c: write the whole catalogue in the import format
 * (docs/import-format.md), so that `export-json | import` into an empty
 * archive reproduces it, ids included; and one record the same way, for
 * the web editor. */
#include "import.h"

#include <jansson.h>
#include <string.h>

#include "core/err.h"
#include "db/db.h"
#include "db/label_q.h"
#include "db/read_q.h"

/* member adds a string member unless the column is NULL. */
static void member(json_t *obj, const char *key, sqlite3_stmt *st, int col)
{
	const char *s = db_text_or_null(st, col);

	if (s)
		json_object_set_new(obj, key, json_string(s));
}

static int export_texts(struct db *db, json_t *rec, const char *key, sqlite3_stmt *st)
{
	json_t *arr;
	int rc;

	if (!st)
		return ERR_DB;
	arr = json_array();
	while ((rc = db_step(db, st)) == 1) {
		json_t *t = json_object();
		member(t, "text", st, 0);
		member(t, "lang", st, 1);
		if (strcmp(key, "titles") == 0)
			member(t, "kind", st, 2);
		json_array_append_new(arr, t);
	}
	if (json_array_size(arr))
		json_object_set_new(rec, key, arr);
	else
		json_decref(arr);
	return rc;
}

static int export_links(struct db *db, json_t *rec, const char *id)
{
	sqlite3_stmt *st = q_links_out(db, id, NULL);
	json_t *credits = json_array(), *relations = json_array();
	int rc = ERR_DB;

	while (st && (rc = db_step(db, st)) == 1) {
		json_t *l = json_object();
		if (sqlite3_column_int(st, QL_IS_CREDIT)) {
			member(l, "agent", st, QL_SLUG);
			member(l, "role", st, QL_KIND);
			json_array_append_new(credits, l);
		} else {
			member(l, "type", st, QL_KIND);
			member(l, "to", st, QL_SLUG);
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

static int export_type_fields(struct db *db, json_t *rec, const char *type, const char *id)
{
	static const char *const manif[] = {"id", "kind", "format", "gauge", "colour", "sound",
					    "aspect", "notes"};
	sqlite3_stmt *st;
	int rc = 0;

	/* one-row statements are reset at once: a statement left active would
	 * keep this connection's read snapshot open past the request */
	if (strcmp(type, "work") == 0) {
		if (!(st = q_work(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1) {
			member(rec, "original_language", st, 0);
			member(rec, "country", st, 1);
			if (sqlite3_column_type(st, 2) != SQLITE_NULL)
				json_object_set_new(rec, "duration",
						    json_integer(sqlite3_column_int64(st, 2)));
			if (db_text_or_null(st, 3))
				json_object_set_new(rec, "forms", json_loads(db_text(st, 3), 0, NULL));
		}
		sqlite3_reset(st);
		if (rc < 0 || !(st = q_manifestations(db, id)))
			return rc < 0 ? rc : ERR_DB;
		json_t *arr = json_array();
		while ((rc = db_step(db, st)) == 1) {
			json_t *m = json_object();
			for (int i = 0; i < 8; i++)
				member(m, manif[i], st, i);
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
			member(rec, "doc_type", st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				json_object_set_new(rec, "pages", json_integer(sqlite3_column_int64(st, 1)));
			member(rec, "text", st, 2);
		}
		sqlite3_reset(st);
	} else if (strcmp(type, "agent") == 0) {
		if (!(st = q_agent(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1)
			member(rec, "kind", st, 0);
		sqlite3_reset(st);
	} else if (strcmp(type, "place") == 0) {
		if (!(st = q_place(db, id)))
			return ERR_DB;
		if ((rc = db_step(db, st)) == 1) {
			if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
				json_object_set_new(rec, "lat", json_real(sqlite3_column_double(st, 0)));
				json_object_set_new(rec, "lon", json_real(sqlite3_column_double(st, 1)));
			}
			member(rec, "country", st, 2);
		}
		sqlite3_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* export_labels: the labels on the record itself (those on its files
 * travel with the files), with their translations and ties. */
static int export_labels(struct db *db, json_t *rec, const char *id)
{
	sqlite3_stmt *st = lq_list(db, id, NULL), *tr;
	json_t *arr;
	int rc, trc = 0;

	if (!st)
		return ERR_DB;
	arr = json_array();
	while ((rc = db_step(db, st)) == 1) {
		json_t *l, *trs, *tie = NULL;
		if (db_text_or_null(st, LQ_FILE))
			continue;
		l = json_object();
		member(l, "kind", st, LQ_KIND);
		member(l, "type", st, LQ_TYPE);
		if (*db_text(st, LQ_COMMUNITY))
			member(l, "community", st, LQ_COMMUNITY);
		member(l, "name", st, LQ_NAME);
		member(l, "text", st, LQ_TEXT);
		member(l, "lang", st, LQ_LANG);
		member(l, "project", st, LQ_PROJECT);
		member(l, "hub_id", st, LQ_HUB);
		json_array_append_new(arr, l);
		if (!(tr = lq_translations(db, sqlite3_column_int64(st, LQ_ID)))) {
			trc = ERR_DB;
			break;
		}
		trs = json_array();
		while ((trc = db_step(db, tr)) == 1) {
			json_t *t = json_object();
			member(t, "lang", tr, 0);
			member(t, "name", tr, 1);
			member(t, "text", tr, 2);
			json_array_append_new(trs, t);
		}
		sqlite3_reset(tr);
		if (json_array_size(trs))
			json_object_set_new(l, "translations", trs);
		else
			json_decref(trs);
		if (db_text_or_null(st, LQ_TIE_ROLE)) {
			tie = json_pack("{s:b}", "community_members", 1);
		} else if (db_text_or_null(st, LQ_TIE_GROUP)) {
			tie = json_object();
			member(tie, "group", st, LQ_GROUP_NAME);
		} else if (db_text_or_null(st, LQ_TIE_FROM)) {
			tie = json_pack("{s:[I,I]}", "months",
					(json_int_t)sqlite3_column_int(st, LQ_TIE_FROM),
					(json_int_t)sqlite3_column_int(st, LQ_TIE_TO));
		}
		if (tie)
			json_object_set_new(l, "tie", tie);
		if (trc < 0)
			break;
	}
	sqlite3_reset(st);
	if (json_array_size(arr))
		json_object_set_new(rec, "labels", arr);
	else
		json_decref(arr);
	return trc < 0 ? trc : rc < 0 ? rc : 0;
}

/* export_rights: the rights URI and statement, when the record has them. */
static int export_rights(struct db *db, json_t *rec, const char *id)
{
	sqlite3_stmt *st = q_rights(db, id);
	int rc;

	if (!st)
		return ERR_DB;
	if ((rc = db_step(db, st)) == 1)
		member(rec, "rights", st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = export_texts(db, rec, "rights_statements", q_rights_statements(db, id, NULL))) < 0)
		return rc;
	return export_labels(db, rec, id);
}

/* record_json builds the record in the current row of r (a statement
 * with the QR_* columns of read_q.h), or returns NULL with *rc set. */
static json_t *record_json(struct db *db, sqlite3_stmt *r, int *rc)
{
	json_t *rec;
	const char *id, *type;

	id = db_text(r, QR_ID);
	type = db_text(r, QR_TYPE);
	rec = json_object();
	member(rec, "type", r, QR_TYPE);
	member(rec, "id", r, QR_ID);
	member(rec, "slug", r, QR_SLUG);
	if ((*rc = export_texts(db, rec, "titles", q_titles(db, id))) >= 0 &&
	    (*rc = export_texts(db, rec, "descriptions", q_descriptions(db, id, NULL))) >= 0) {
		member(rec, "date", r, QR_DATE);
		member(rec, "date_end", r, QR_DATE_END);
		if ((*rc = export_type_fields(db, rec, type, id)) >= 0 &&
		    (*rc = export_links(db, rec, id)) >= 0) {
			member(rec, "source", r, QR_SOURCE);
			member(rec, "access", r, QR_ACCESS);
			member(rec, "embargo_until", r, QR_EMBARGO);
			*rc = export_rights(db, rec, id);
		}
	}
	if (*rc < 0) {
		json_decref(rec);
		return NULL;
	}
	*rc = 0;
	return rec;
}

json_t *export_record(struct db *db, const char *slug, int *rc)
{
	sqlite3_stmt *r = q_record(db, NULL, slug, NULL);
	json_t *rec;

	if (!r) {
		*rc = ERR_DB;
		return NULL;
	}
	if ((*rc = db_step(db, r)) != 1) {
		sqlite3_reset(r);
		*rc = *rc < 0 ? *rc : ERR_NOTFOUND;
		return NULL;
	}
	rec = record_json(db, r, rc);
	sqlite3_reset(r);
	return rec;
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
		json_t *rec = record_json(db, all, &rc);
		if (!rec)
			break;
		json_array_append_new(records, rec);
	}
	sqlite3_reset(all);
	if (rc == 0 && (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
			fputc('\n', out) == EOF))
		rc = ERR_IO;
	json_decref(root);
	return rc;
}

