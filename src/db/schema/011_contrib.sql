-- 011_contrib.sql: community memories (contributions) and their keepers.
--
-- The role check of user gains 'keeper' (a community keeper: steward of a
-- community's records, not archivist of the whole archive). SQLite cannot
-- change a CHECK in place, so user is rebuilt: migrate.c runs every
-- migration with foreign keys off (so dropping the old table cascades to
-- nothing: sessions, grants, tokens and groups keep their rows) and checks
-- PRAGMA foreign_key_check before it commits.
CREATE TABLE user_new (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- login name
	display_name TEXT,
	role TEXT NOT NULL CHECK (role IN ('admin','archivist','keeper','community','viewer')),
	pw_hash TEXT NOT NULL,                     -- argon2id, libsodium's string form
	disabled INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL,
	pw_changed TEXT NOT NULL
);
INSERT INTO user_new (id, name, display_name, role, pw_hash, disabled, created, pw_changed)
	SELECT id, name, display_name, role, pw_hash, disabled, created, pw_changed FROM user;
DROP TABLE user;
ALTER TABLE user_new RENAME TO user;

-- What a keeper keeps: records, or collections (and then every record
-- part of them, at any depth). Set with 'cinemateca keeper'.
CREATE TABLE keeper_scope (
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	created TEXT NOT NULL,
	PRIMARY KEY (user_id, record_id)
) WITHOUT ROWID;
CREATE INDEX keeper_scope_record ON keeper_scope(record_id);

-- The table 001 set aside for annotations was never filled: contribution
-- replaces it.
DROP TABLE annotation;

-- A contribution, in the shape of a W3C Web Annotation: a body (text, in
-- a language), a target (a work at #t=START,END, a page image at
-- #xywh=X,Y,W,H, or for a testimony its records), a motivation, and who
-- made it as they chose to be named. Withdrawn contributions are deleted
-- (a contribution_tombstone remains); the states kept are these three.
CREATE TABLE contribution (
	n INTEGER PRIMARY KEY,               -- the search row
	id TEXT NOT NULL UNIQUE,             -- UUID
	kind TEXT NOT NULL CHECK (kind IN ('time','region','testimony')),
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,  -- the target's record
	start_ms INTEGER CHECK (start_ms IS NULL OR start_ms >= 0),
	end_ms INTEGER,
	file_id TEXT REFERENCES file(id) ON DELETE CASCADE,  -- the page image of a region
	x INTEGER, y INTEGER, w INTEGER, h INTEGER,
	motivation TEXT NOT NULL CHECK (motivation IN
		('commenting','describing','identifying','tagging')),
	body TEXT NOT NULL,
	lang TEXT NOT NULL,
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,  -- the author's account
	attribution TEXT NOT NULL CHECK (attribution IN ('name','initials','anonymous','phrase')),
	attribution_text TEXT,               -- as shown; NULL when anonymous
	consent TEXT NOT NULL CHECK (consent IN ('community','public')),
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','published','hidden')),
	hidden_reason TEXT,
	edit_note TEXT,                      -- a moderator's note on an edit, shown with it
	recording_file_id TEXT REFERENCES file(id) ON DELETE SET NULL,  -- a testimony's recording
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	CHECK (kind != 'time' OR (start_ms IS NOT NULL AND (end_ms IS NULL OR end_ms > start_ms))),
	CHECK (kind != 'region' OR (file_id IS NOT NULL AND x >= 0 AND y >= 0 AND w > 0 AND h > 0)),
	CHECK ((attribution = 'anonymous') = (attribution_text IS NULL)),
	CHECK (state != 'hidden' OR hidden_reason IS NOT NULL)
);
CREATE INDEX contribution_record ON contribution(record_id, start_ms);
CREATE INDEX contribution_state ON contribution(state, created);
CREATE INDEX contribution_user ON contribution(user_id);

-- The other records a testimony speaks of (the first is record_id).
CREATE TABLE contribution_link (
	contribution_n INTEGER NOT NULL REFERENCES contribution(n) ON DELETE CASCADE,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	PRIMARY KEY (contribution_n, record_id)
) WITHOUT ROWID;
CREATE INDEX contribution_link_record ON contribution_link(record_id);

-- What remains of a withdrawn contribution: that something was withdrawn,
-- and when. No text, no author, no record.
CREATE TABLE contribution_tombstone (
	id TEXT PRIMARY KEY,
	withdrawn TEXT NOT NULL
) WITHOUT ROWID;

-- The words of contributions, searchable like the lines of a film.
CREATE VIRTUAL TABLE contribution_search USING fts5(
	body,
	content = 'contribution',
	content_rowid = 'n',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
CREATE TRIGGER contribution_search_insert AFTER INSERT ON contribution BEGIN
	INSERT INTO contribution_search (rowid, body) VALUES (new.n, new.body);
END;
CREATE TRIGGER contribution_search_delete AFTER DELETE ON contribution BEGIN
	INSERT INTO contribution_search (contribution_search, rowid, body) VALUES ('delete', old.n, old.body);
END;
CREATE TRIGGER contribution_search_update AFTER UPDATE OF body ON contribution BEGIN
	INSERT INTO contribution_search (contribution_search, rowid, body) VALUES ('delete', old.n, old.body);
	INSERT INTO contribution_search (rowid, body) VALUES (new.n, new.body);
END;
