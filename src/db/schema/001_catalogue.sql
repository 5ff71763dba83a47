-- 001_catalogue.sql: the first catalogue schema.
--
-- One row in `record` per catalogue record of any type; type-specific
-- columns live in one table per type keyed by the same id. Titles and
-- descriptions are multilingual and shared by every type. Every change is
-- appended to `change_log` (OAI-PMH datestamps, deletions and sync read it).

CREATE TABLE record (
	n INTEGER PRIMARY KEY,               -- local row number; also the search row
	id TEXT NOT NULL UNIQUE,             -- UUID, v7 when made here
	type TEXT NOT NULL CHECK (type IN
		('work','document','agent','place','event','collection','subject')),
	slug TEXT NOT NULL UNIQUE,           -- name in URLs
	date TEXT,                           -- YYYY[-MM[-DD]]: year, date of a document or event
	date_end TEXT,
	source TEXT,                         -- citation for the cataloguing statements
	digest TEXT,                         -- hash of the record as last imported
	access TEXT NOT NULL DEFAULT 'public' CHECK (access IN
		('public','registered','community','private')),
	embargo_until TEXT,
	created TEXT NOT NULL,               -- ISO 8601 UTC
	updated TEXT NOT NULL
);
CREATE INDEX record_type_date ON record(type, date);
CREATE INDEX record_updated ON record(updated);

CREATE TABLE title (
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,                -- 0 is the main title
	text TEXT NOT NULL,
	lang TEXT,
	kind TEXT NOT NULL DEFAULT 'main' CHECK (kind IN
		('main','original','translated','alternative')),
	PRIMARY KEY (record_id, ord)
) WITHOUT ROWID;

CREATE TABLE description (
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	text TEXT NOT NULL,
	lang TEXT,
	PRIMARY KEY (record_id, ord)
) WITHOUT ROWID;

CREATE TABLE work (
	id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
	original_language TEXT,
	country TEXT,
	duration INTEGER CHECK (duration IS NULL OR duration > 0),  -- seconds
	forms TEXT                           -- JSON array of strings
) WITHOUT ROWID;

CREATE TABLE manifestation (
	id TEXT PRIMARY KEY,
	work_id TEXT NOT NULL REFERENCES work(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	kind TEXT, format TEXT, gauge TEXT, colour TEXT, sound TEXT, aspect TEXT, notes TEXT
) WITHOUT ROWID;
CREATE INDEX manifestation_work ON manifestation(work_id, ord);

CREATE TABLE document (
	id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
	doc_type TEXT,
	pages INTEGER CHECK (pages IS NULL OR pages > 0),
	text TEXT                            -- transcription
) WITHOUT ROWID;

CREATE TABLE agent (
	id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('person','organisation'))
) WITHOUT ROWID;

CREATE TABLE place (
	id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
	lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
	lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
	country TEXT
) WITHOUT ROWID;

-- Files in the object store (filled by ingest in a later version).
CREATE TABLE file (
	id TEXT PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	manifestation_id TEXT REFERENCES manifestation(id) ON DELETE SET NULL,
	role TEXT NOT NULL CHECK (role IN ('master','mezzanine','access','poster',
		'subtitle','transcript','scan','other')),
	sha256 TEXT NOT NULL,
	md5 TEXT,
	size INTEGER NOT NULL,
	mime TEXT,
	techmd TEXT,                         -- JSON from the media itself
	access TEXT CHECK (access IS NULL OR access IN
		('public','registered','community','private')),
	created TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX file_record ON file(record_id);
CREATE INDEX file_sha256 ON file(sha256);

CREATE TABLE credit (
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	agent_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (record_id, ord)
) WITHOUT ROWID;
CREATE INDEX credit_agent ON credit(agent_id);

CREATE TABLE relation (
	from_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	type TEXT NOT NULL,
	to_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	PRIMARY KEY (from_id, ord)
) WITHOUT ROWID;
CREATE INDEX relation_to ON relation(to_id, type);

-- Time ranges or page regions on a work or document (tables only for now).
CREATE TABLE annotation (
	id TEXT PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	start_ms INTEGER, end_ms INTEGER,
	page INTEGER, region TEXT,           -- "x,y,w,h" on a page
	text TEXT NOT NULL,
	lang TEXT,
	author TEXT,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','published','hidden')),
	access TEXT CHECK (access IS NULL OR access IN
		('public','registered','community','private')),
	created TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX annotation_record ON annotation(record_id, start_ms);

-- Subtitle and transcript lines (filled by the subtitle command later).
CREATE TABLE cue (
	id INTEGER PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	file_id TEXT REFERENCES file(id) ON DELETE CASCADE,
	lang TEXT,
	start_ms INTEGER NOT NULL,
	end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
	text TEXT NOT NULL
);
CREATE INDEX cue_record ON cue(record_id, lang, start_ms);

CREATE TABLE change_log (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	record_id TEXT NOT NULL,             -- no foreign key: deletions stay
	type TEXT NOT NULL,
	op TEXT NOT NULL CHECK (op IN ('create','update','delete')),
	at TEXT NOT NULL
);
CREATE INDEX change_log_record ON change_log(record_id);
CREATE INDEX change_log_at ON change_log(at);

-- Full-text search: one row per record (rowid = record.n), rebuilt whenever
-- the record or a record it names changes. unicode61 with remove_diacritics
-- 2 folds case and accents, so "dona" finds "Doña"; prefix indexes make
-- "pall*" cheap.
CREATE VIRTUAL TABLE search USING fts5(
	title,                               -- every title, all languages
	names,                               -- credited agents, places, subjects
	body,                                -- descriptions, document text
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
