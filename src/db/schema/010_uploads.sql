-- 010_uploads.sql: uploads in progress (tus 1.0 and the form upload).
--
-- An upload's bytes are the file uploads/ID in the archive folder, written
-- as they arrive; this row says whose it is, how long it will be, how much
-- of it is known to be on disk (received, only raised after an fsync), and
-- what became of it: partial while bytes are missing (tus), receiving while
-- a form's file is coming in (its length known only at its end, so length
-- is the limit until then; not resumable), done when all are in, claimed
-- once a contribution has taken it for ingesting (then the caller removes
-- it). Uploads but claimed ones not touched before expires are removed
-- (serve, periodically, and 'cinemateca uploads clean').
CREATE TABLE upload (
	id TEXT PRIMARY KEY,                        -- 32 random hex digits
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	length INTEGER NOT NULL CHECK (length >= 0),    -- Upload-Length, bytes
	received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
	metadata TEXT NOT NULL DEFAULT '',          -- Upload-Metadata as sent (checked)
	filename TEXT NOT NULL DEFAULT '',          -- the client's file name, decoded
	filetype TEXT NOT NULL DEFAULT '',          -- the client's media type, decoded
	state TEXT NOT NULL DEFAULT 'partial' CHECK (state IN ('receiving', 'partial', 'done', 'claimed')),
	created INTEGER NOT NULL,                   -- Unix seconds
	expires INTEGER NOT NULL                    -- Unix seconds: the last write + upload_expire_hours
) WITHOUT ROWID;
CREATE INDEX upload_user ON upload(user_id);
CREATE INDEX upload_expires ON upload(expires);
