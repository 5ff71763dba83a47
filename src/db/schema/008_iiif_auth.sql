-- 008_iiif_auth.sql: access tokens of the IIIF Authorization Flow 2.0.
--
-- A IIIF viewer on another site cannot send our cookies with its own
-- requests, so the token service (in a frame of the viewer's page, where
-- the cookie is sent) gives it a token that it shows the probe service as
-- "Authorization: Bearer". The token stands for whoever held the cookie:
-- an account, or a screener link's holder; it is good only for the probe,
-- only from the origin it was given to, and only until it expires. As for
-- sessions, only a hash of the token is kept.
CREATE TABLE iiif_token (
	hash TEXT PRIMARY KEY,                      -- BLAKE2b of the token, hex
	user_id INTEGER REFERENCES user(id) ON DELETE CASCADE,
	screener_id TEXT REFERENCES screener(id) ON DELETE CASCADE,
	origin TEXT NOT NULL,                       -- the viewer's origin, as it said it
	created TEXT NOT NULL,                      -- ISO 8601 UTC
	expires INTEGER NOT NULL,                   -- Unix seconds
	CHECK ((user_id IS NULL) <> (screener_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX iiif_token_user ON iiif_token(user_id);
CREATE INDEX iiif_token_expires ON iiif_token(expires);
