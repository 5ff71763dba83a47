-- 003_preservation.sql: the object store's catalogue side: each stored
-- object once, files as uses of objects, PREMIS-style preservation events,
-- the queue of derivatives to make, and tombstones of deleted records.

-- Every object in objects/sha256/, once, whatever uses it.
CREATE TABLE object (
	sha256 TEXT PRIMARY KEY,
	md5 TEXT NOT NULL,
	size INTEGER NOT NULL,
	created TEXT NOT NULL,
	last_fixity TEXT,                    -- when it was last re-hashed
	fixity_ok INTEGER                    -- 1 matched, 0 missing or corrupted
) WITHOUT ROWID;

ALTER TABLE file ADD COLUMN name TEXT;            -- the name it was ingested under
ALTER TABLE file ADD COLUMN derived_from TEXT REFERENCES file(id) ON DELETE SET NULL;
ALTER TABLE file ADD COLUMN derivative TEXT;      -- access-mp4, poster, contact-sheet, page-image
ALTER TABLE file ADD COLUMN deleted TEXT;         -- when it was deleted (the row stays as a tombstone)
CREATE INDEX file_derived ON file(derived_from);

-- What happened to files and objects, and who did it (PREMIS 3 event types:
-- ingestion, fixity check, creation, replication, deletion).
CREATE TABLE premis_event (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	type TEXT NOT NULL,
	file_id TEXT,                        -- no foreign key: events outlive files
	sha256 TEXT,
	agent TEXT NOT NULL,                 -- "cinemateca 0.1.0 (cli:USER)", "ffmpeg 5.1"
	outcome TEXT NOT NULL CHECK (outcome IN ('success','failure')),
	detail TEXT
);
CREATE INDEX premis_event_file ON premis_event(file_id);
CREATE INDEX premis_event_sha ON premis_event(sha256);

-- Derivatives still to make; a job survives a crash and is taken up again.
CREATE TABLE derivative_job (
	id INTEGER PRIMARY KEY,
	file_id TEXT NOT NULL REFERENCES file(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,                  -- access-mp4, poster, contact-sheet, page-image
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	error TEXT,
	updated TEXT NOT NULL,
	UNIQUE (file_id, kind)
);

-- Deleted records: what harvesters and copies need to learn of a deletion.
CREATE TABLE tombstone (
	record_id TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	slug TEXT NOT NULL,
	deleted TEXT NOT NULL,
	actor TEXT NOT NULL,
	reason TEXT
) WITHOUT ROWID;
