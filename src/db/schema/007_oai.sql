-- 007_oai.sql: which records a harvester may have seen.
--
-- OAI-PMH reports a record that stops being public (its level changed, an
-- embargo set, the record deleted) as deleted, so an aggregator drops its
-- copy. A record that was never public must stay invisible, its id
-- included, so the archive remembers which records were ever open to
-- everyone: a row here, never removed (a tombstone outlives the record),
-- made by the triggers below whenever a record is written while, or
-- before or after the write, an anonymous visitor may read it (the
-- policy's rule: public, or an embargo "until" a day that has come). A
-- record whose embargo ended without a write is marked by the write that
-- closes it again, or by its deletion.
CREATE TABLE oai_exposed (
	record_id TEXT PRIMARY KEY,          -- no foreign key: deletions stay
	since TEXT NOT NULL                  -- when it was first seen public
) WITHOUT ROWID;

INSERT INTO oai_exposed (record_id, since)
	SELECT id, updated FROM record
	WHERE access = 'public' OR (coalesce(embargo_until, '') <> '' AND embargo_until <= date('now'));

CREATE TRIGGER oai_exposed_insert AFTER INSERT ON record
	WHEN NEW.access = 'public' OR (coalesce(NEW.embargo_until, '') <> '' AND NEW.embargo_until <= date('now'))
BEGIN
	INSERT OR IGNORE INTO oai_exposed (record_id, since) VALUES (NEW.id, NEW.updated);
END;

CREATE TRIGGER oai_exposed_update AFTER UPDATE OF access, embargo_until ON record
	WHEN NEW.access = 'public' OR (coalesce(NEW.embargo_until, '') <> '' AND NEW.embargo_until <= date('now'))
	  OR OLD.access = 'public' OR (coalesce(OLD.embargo_until, '') <> '' AND OLD.embargo_until <= date('now'))
BEGIN
	INSERT OR IGNORE INTO oai_exposed (record_id, since) VALUES (NEW.id, NEW.updated);
END;

CREATE TRIGGER oai_exposed_delete BEFORE DELETE ON record
	WHEN OLD.access = 'public' OR (coalesce(OLD.embargo_until, '') <> '' AND OLD.embargo_until <= date('now'))
BEGIN
	INSERT OR IGNORE INTO oai_exposed (record_id, since) VALUES (OLD.id, OLD.updated);
END;
