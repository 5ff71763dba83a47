-- 013_labels.sql: Local Contexts Traditional Knowledge (TK) and
-- Biocultural (BC) Labels and Notices on records and their files, kept
-- here so that the archive needs no connection to the Local Contexts Hub.
--
-- A label belongs to a record, or to one file of it (file_id). Notes and
-- testimonies can carry labels the same way once they exist: a column
-- naming the contribution beside file_id. `kind` is tk, bc or notice;
-- `type` is the Hub's label_type or notice_type (seasonal,
-- community_use_only, provenance, attribution_incomplete...), checked
-- against the published list by the program. `community` is who applied
-- it (for a Notice, the institution or researcher; may be empty), `name`,
-- `text` and `lang` the label as that community wrote it, and
-- label_translation its translations by language. project_id and hub_id
-- are the Local Contexts project's and the label's own unique ids, when
-- the label came from the Hub.
--
-- A tie binds a restricting label on a record to an access rule, so that
-- the one policy enforces it: tie_role 'community' (community members
-- only), tie_group (members of one group only) or tie_from..tie_to (months
-- 1-12 in which the record may be read, wrapping past December). A tie
-- only narrows what the record's level and grants already allow. The
-- record's ties are copied by the triggers below into record.ties, a short
-- text ("c", "g12", "m3-5", comma-separated) that may_read() receives
-- beside the level, so that the check stays inside every query.
CREATE TABLE label (
	id INTEGER PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	file_id TEXT REFERENCES file(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('tk','bc','notice')),
	type TEXT NOT NULL,
	community TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	lang TEXT,
	project_id TEXT,
	hub_id TEXT,
	tie_role TEXT CHECK (tie_role IS NULL OR tie_role = 'community'),
	tie_group INTEGER REFERENCES grp(id) ON DELETE RESTRICT,
	tie_from INTEGER CHECK (tie_from IS NULL OR tie_from BETWEEN 1 AND 12),
	tie_to INTEGER CHECK (tie_to IS NULL OR tie_to BETWEEN 1 AND 12),
	CHECK ((tie_role IS NOT NULL) + (tie_group IS NOT NULL) + (tie_from IS NOT NULL) <= 1),
	CHECK ((tie_from IS NULL) = (tie_to IS NULL)),
	CHECK (file_id IS NULL OR (tie_role IS NULL AND tie_group IS NULL AND tie_from IS NULL))
);
CREATE UNIQUE INDEX label_key ON label(record_id, coalesce(file_id, ''), kind, type, community);
CREATE INDEX label_file ON label(file_id) WHERE file_id IS NOT NULL;

CREATE TABLE label_translation (
	label_id INTEGER NOT NULL REFERENCES label(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (label_id, lang)
) WITHOUT ROWID;

ALTER TABLE record ADD COLUMN ties TEXT;

CREATE TRIGGER label_ties_insert AFTER INSERT ON label WHEN NEW.file_id IS NULL BEGIN
	UPDATE record SET ties = (SELECT group_concat(CASE WHEN tie_role IS NOT NULL THEN 'c'
		WHEN tie_group IS NOT NULL THEN 'g' || tie_group
		ELSE 'm' || tie_from || '-' || tie_to END, ',') FROM label
		WHERE record_id = NEW.record_id AND file_id IS NULL AND
		      (tie_role IS NOT NULL OR tie_group IS NOT NULL OR tie_from IS NOT NULL))
	WHERE id = NEW.record_id;
END;
CREATE TRIGGER label_ties_update AFTER UPDATE ON label BEGIN
	UPDATE record SET ties = (SELECT group_concat(CASE WHEN tie_role IS NOT NULL THEN 'c'
		WHEN tie_group IS NOT NULL THEN 'g' || tie_group
		ELSE 'm' || tie_from || '-' || tie_to END, ',') FROM label
		WHERE record_id = record.id AND file_id IS NULL AND
		      (tie_role IS NOT NULL OR tie_group IS NOT NULL OR tie_from IS NOT NULL))
	WHERE id IN (OLD.record_id, NEW.record_id);
END;
CREATE TRIGGER label_ties_delete AFTER DELETE ON label WHEN OLD.file_id IS NULL BEGIN
	UPDATE record SET ties = (SELECT group_concat(CASE WHEN tie_role IS NOT NULL THEN 'c'
		WHEN tie_group IS NOT NULL THEN 'g' || tie_group
		ELSE 'm' || tie_from || '-' || tie_to END, ',') FROM label
		WHERE record_id = OLD.record_id AND file_id IS NULL AND
		      (tie_role IS NOT NULL OR tie_group IS NOT NULL OR tie_from IS NOT NULL))
	WHERE id = OLD.record_id;
END;
