-- API tokens for scripts calling /api/v1 with "Authorization: Bearer".
-- Only a SHA-256 of the token is kept: the token is shown once, at creation.
-- A token acts with a role and, for editors and viewers, on the sites listed
-- in api_token_sites, exactly like an account; revoking keeps the row so the
-- audit log's "token:NAME" still names something.

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	role         TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	-- '' while the token works
	revoked_at   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE api_token_sites (
	token_id BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
	site_id  TEXT   NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	PRIMARY KEY (token_id, site_id)
);
