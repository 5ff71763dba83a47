-- 006_oai.sql: which records a harvester may have seen.
--
-- OAI-PMH reports a record that stops being public (its level changed, an
-- embargo set, the record deleted) as deleted, so an aggregator drops its
-- copy. A record that was never public must stay invisible, its id
-- included, so the archive remembers which records were ever open to
-- everyone: a row here, made by the triggers below whenever a record is
-- written public and outside any embargo, and never removed (a tombstone
-- outlives the record). An embargo that ends with no write to its record
-- is not seen here; the record is then harvested as it is, but reported as
-- deleted later only if it was written public again.
CREATE TABLE oai_exposed (
	record_id TEXT PRIMARY KEY,          -- no foreign key: deletions stay
	since TEXT NOT NULL                  -- when it was first seen public
) WITHOUT ROWID;

INSERT INTO oai_exposed (record_id, since)
	SELECT id, updated FROM record
	WHERE access = 'public' AND (embargo_until IS NULL OR embargo_until <= date('now'));

CREATE TRIGGER oai_exposed_insert AFTER INSERT ON record
	WHEN NEW.access = 'public' AND (NEW.embargo_until IS NULL OR NEW.embargo_until <= date('now'))
BEGIN
	INSERT OR IGNORE INTO oai_exposed (record_id, since) VALUES (NEW.id, NEW.updated);
END;

CREATE TRIGGER oai_exposed_update AFTER UPDATE OF access, embargo_until ON record
	WHEN NEW.access = 'public' AND (NEW.embargo_until IS NULL OR NEW.embargo_until <= date('now'))
BEGIN
	INSERT OR IGNORE INTO oai_exposed (record_id, since) VALUES (NEW.id, NEW.updated);
END;
