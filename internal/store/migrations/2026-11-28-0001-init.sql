-- The first schema: sites and their drafts, immutable published revisions,
-- and the consent proof chained per site. Portable SQL for both engines:
-- TEXT, BIGINT, INTEGER 0/1 for booleans, times as TEXT in proof.TimeFormat
-- (fixed width, UTC) so that text order is time order.

CREATE TABLE sites (
	id                 TEXT NOT NULL PRIMARY KEY,
	name               TEXT NOT NULL,
	-- the draft registry, as registry.EncodeJSON writes it
	document           TEXT NOT NULL,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	-- the revision visitors see; '' until the first Publish
	published_revision TEXT NOT NULL DEFAULT ''
);

-- Revisions are never updated: they are what a consent record refers to, so
-- the proof can show exactly what was displayed. They go with their site,
-- which cannot be deleted while it has consents (see below).
CREATE TABLE revisions (
	site_id      TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	revision     TEXT NOT NULL,
	document     TEXT NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (site_id, revision)
);

-- No ON DELETE CASCADE here: the database itself refuses to delete a site
-- that has proof, whatever the code above it does.
CREATE TABLE consents (
	site_id    TEXT    NOT NULL REFERENCES sites (id),
	seq        BIGINT  NOT NULL,
	id         TEXT    NOT NULL,
	consent_id TEXT    NOT NULL,
	time       TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	decisions  TEXT    NOT NULL,
	revision   TEXT    NOT NULL,
	language   TEXT    NOT NULL,
	page       TEXT    NOT NULL,
	ip         TEXT    NOT NULL,
	user_agent TEXT    NOT NULL,
	gpc        INTEGER NOT NULL,
	prev_hash  TEXT    NOT NULL,
	hash       TEXT    NOT NULL,
	PRIMARY KEY (site_id, seq),
	UNIQUE (site_id, id)
);
CREATE INDEX consents_consent_id ON consents (site_id, consent_id);
CREATE INDEX consents_time ON consents (site_id, time);

-- The end of each site's chain. Appenders lock this row, so it is what
-- serialises writers of one site across several charte processes.
CREATE TABLE proof_heads (
	site_id TEXT   NOT NULL PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	seq     BIGINT NOT NULL,
	hash    TEXT   NOT NULL,
	time    TEXT   NOT NULL
);
