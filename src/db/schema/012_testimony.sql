-- 012_testimony.sql: the file role of a testimony's recording.
--
-- A recording uploaded with a testimony is ingested as a file of the
-- record it speaks of, role 'testimony', read at its own level: private
-- until its contribution is published (then its consent's). The role is
-- a CHECK of file, which SQLite cannot change in place: file is rebuilt
-- (migrations run with foreign keys off and end with foreign_key_check,
-- see 011_contrib.sql), its rows, ids and indexes as they were.
CREATE TABLE file_new (
	id TEXT PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	manifestation_id TEXT REFERENCES manifestation(id) ON DELETE SET NULL,
	role TEXT NOT NULL CHECK (role IN ('master','mezzanine','access','poster',
		'subtitle','transcript','scan','testimony','other')),
	sha256 TEXT NOT NULL,
	md5 TEXT,
	size INTEGER NOT NULL,
	mime TEXT,
	techmd TEXT,                         -- JSON from the media itself
	access TEXT CHECK (access IS NULL OR access IN
		('public','registered','community','private')),
	created TEXT NOT NULL,
	name TEXT,                           -- the name it was ingested under
	derived_from TEXT REFERENCES file(id) ON DELETE SET NULL,
	derivative TEXT,                     -- access-mp4, poster, contact-sheet, page-image
	deleted TEXT                         -- when it was deleted (the row stays as a tombstone)
) WITHOUT ROWID;
INSERT INTO file_new (id, record_id, manifestation_id, role, sha256, md5, size, mime, techmd,
		      access, created, name, derived_from, derivative, deleted)
	SELECT id, record_id, manifestation_id, role, sha256, md5, size, mime, techmd,
	       access, created, name, derived_from, derivative, deleted FROM file;
DROP TABLE file;
ALTER TABLE file_new RENAME TO file;
CREATE INDEX file_record ON file(record_id);
CREATE INDEX file_sha256 ON file(sha256);
CREATE INDEX file_derived ON file(derived_from);
CREATE INDEX contribution_recording ON contribution(recording_file_id);
