-- 014_browse.sql: what browsing and the home page need at a million
-- records. Browsing without a query lists records in title order: a
-- record's main title is kept beside it (record.label, kept by a trigger
-- on the titles) with an index in that order, so a page is a walk of the
-- index that asks the policy about each row it passes, not a sort of the
-- whole catalogue. The home page's most recent works walk an index by
-- creation too.
ALTER TABLE record ADD COLUMN label TEXT;    -- the main title (ord 0), for browsing
UPDATE record SET label = (SELECT text FROM title WHERE record_id = record.id AND ord = 0);
CREATE INDEX record_label ON record(label COLLATE NOCASE, n);
CREATE INDEX record_type_created ON record(type, created, n);

CREATE TRIGGER title_label_insert AFTER INSERT ON title WHEN new.ord = 0 BEGIN
	UPDATE record SET label = new.text WHERE id = new.record_id;
END;
CREATE TRIGGER title_label_update AFTER UPDATE OF text ON title WHEN new.ord = 0 BEGIN
	UPDATE record SET label = new.text WHERE id = new.record_id;
END;
