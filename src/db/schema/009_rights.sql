-- 009_rights.sql: what a record's reuse is subject to, as the catalogue
-- says it: a rights URI (a Creative Commons licence or a
-- RightsStatements.org statement, which IIIF's `rights` takes, or any
-- other http(s) address of a licence) and the rights statement itself in
-- as many languages as the archive writes it ("© Comité de Amas de Casa
-- de Siglo XX; for screenings ask the archive"). Both are replaced with
-- the record, as its descriptions are.
CREATE TABLE record_rights (
	record_id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
	uri TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rights_statement (
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	text TEXT NOT NULL,
	lang TEXT,
	PRIMARY KEY (record_id, ord)
) WITHOUT ROWID;
