-- 006_api.sql: API tokens, for scripts that read the JSON API as a user.
--
-- Only a hash of the token is kept (as for sessions): the token itself is
-- shown once, when it is made. Revoking deletes the row, so a revoked
-- token is refused at its next request. A disabled user's tokens are
-- refused while the account stays disabled (auth_login_user checks it).
CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- what the token is for, unique
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	hash TEXT NOT NULL UNIQUE,                 -- BLAKE2b of the token, hex
	created TEXT NOT NULL,                     -- ISO 8601 UTC
	last_used TEXT                             -- ISO 8601 UTC, NULL until used
);
CREATE INDEX api_token_user ON api_token(user_id);
