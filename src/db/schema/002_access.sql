-- 002_access.sql: accounts, groups, grants, sessions, screener links, the
-- login throttle and the audit log. Access levels themselves live on the
-- records (record.access, record.embargo_until, file.access,
-- annotation.access) since 001; from this version on, new records are
-- private unless the import or the editor says otherwise.

CREATE TABLE user (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- login name
	display_name TEXT,
	role TEXT NOT NULL CHECK (role IN ('admin','archivist','community','viewer')),
	pw_hash TEXT NOT NULL,                     -- argon2id, libsodium's string form
	disabled INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL,
	pw_changed TEXT NOT NULL
);

CREATE TABLE grp (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE grp_member (
	grp_id INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	PRIMARY KEY (grp_id, user_id)
) WITHOUT ROWID;

-- A user or a group may read a record (and its files), until a date or for good.
CREATE TABLE access_grant (
	id INTEGER PRIMARY KEY,
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES user(id) ON DELETE CASCADE,
	grp_id INTEGER REFERENCES grp(id) ON DELETE CASCADE,
	until TEXT,                                -- YYYY-MM-DD, last day included
	created TEXT NOT NULL,
	CHECK ((user_id IS NULL) != (grp_id IS NULL))
);
CREATE INDEX access_grant_user ON access_grant(user_id);
CREATE INDEX access_grant_grp ON access_grant(grp_id);
CREATE INDEX access_grant_record ON access_grant(record_id);

-- Browser sessions: only a hash of the cookie's secret is kept.
CREATE TABLE session (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,                        -- token for this session's forms
	created INTEGER NOT NULL,                  -- Unix seconds
	last_seen INTEGER NOT NULL,
	addr TEXT
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- Failed logins, per account ("user:NAME") and per address ("addr:IP").
CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	last_at INTEGER NOT NULL                   -- Unix seconds of the last failure
) WITHOUT ROWID;

-- Signed, expiring, revocable links to one work.
CREATE TABLE screener (
	id TEXT PRIMARY KEY,                       -- UUID, part of the signed token
	record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
	for_whom TEXT NOT NULL,
	created TEXT NOT NULL,
	expires INTEGER NOT NULL,                  -- Unix seconds
	revoked TEXT,
	bound_hash TEXT                            -- hash of the one browser's cookie, once opened
) WITHOUT ROWID;

CREATE TABLE screener_use (
	id INTEGER PRIMARY KEY,
	screener_id TEXT NOT NULL REFERENCES screener(id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	addr TEXT,
	outcome TEXT NOT NULL                      -- opened, expired, revoked, bad-signature
);

-- Who changed what, when: every state change made through the web or CLI.
CREATE TABLE audit (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,                       -- user name, or "cli:" + OS user
	action TEXT NOT NULL,
	record_id TEXT,
	detail TEXT
);
CREATE INDEX audit_at ON audit(at);

-- Small archive-wide values, such as the secret that signs screener links.
CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
