-- 005_subtitles.sql: what a subtitle file says besides its lines, so the
-- WebVTT the archive keeps and serves says what the original said.
--
-- A cue keeps its identifier and settings as written, and its text as
-- WebVTT cue text (tags, character references) when that is not the same
-- as the words in cue.text. The blocks of a file that are not cues (its
-- header, NOTE comments, STYLE sheets and REGION definitions) are kept in
-- the order of the file, each with the number of cues before it.
ALTER TABLE cue ADD COLUMN ident TEXT;       -- the cue's identifier line, or NULL
ALTER TABLE cue ADD COLUMN settings TEXT;    -- e.g. 'align:start line:0', or NULL
ALTER TABLE cue ADD COLUMN markup TEXT;      -- WebVTT cue text, NULL when it is text itself

CREATE TABLE cue_block (
	file_id TEXT NOT NULL REFERENCES file(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,                -- its place among the file's blocks
	kind TEXT NOT NULL CHECK (kind IN ('header','note','style','region')),
	before_cue INTEGER NOT NULL,         -- how many cues come before it
	text TEXT NOT NULL,                  -- as written (the header: what follows WEBVTT)
	PRIMARY KEY (file_id, ord)
) WITHOUT ROWID;
