-- 004_cues.sql: what is said in the films, searchable to the second.
--
-- cue_search indexes the text of every subtitle and transcript line
-- (rowid = cue.id; an external-content table, so the text is stored once,
-- in cue). Triggers keep it in step with cue, including the deletions a
-- record's removal cascades to. Same tokenizer as the record index, so
-- "dona" finds "Doña" in a line as in a title.
CREATE VIRTUAL TABLE cue_search USING fts5(
	text,
	content = 'cue',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);

CREATE TRIGGER cue_search_insert AFTER INSERT ON cue BEGIN
	INSERT INTO cue_search (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER cue_search_delete AFTER DELETE ON cue BEGIN
	INSERT INTO cue_search (cue_search, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER cue_search_update AFTER UPDATE OF text ON cue BEGIN
	INSERT INTO cue_search (cue_search, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO cue_search (rowid, text) VALUES (new.id, new.text);
END;

-- cues already stored by an earlier version
INSERT INTO cue_search (cue_search) VALUES ('rebuild');

-- the cues of one subtitle file (removed with the file)
CREATE INDEX cue_file ON cue(file_id);
