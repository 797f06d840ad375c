-- Escrow of the banner as visitors got it: the exact bytes of each script
-- charte served, per site, revision, language and SHA-256 of the bytes. The
-- revision's registry is in revisions, but the banner's code and default
-- wording are in the binary: after an upgrade, rebuilding an old revision no
-- longer gives what a visitor ran, so the bytes themselves are kept (the
-- CNIL accepts escrowing each version of the consent code as proof). Rows are
-- inserted once and never updated; they go with their revision. Differs from
-- the PostgreSQL file only in the blob type and the collation of times.

CREATE TABLE banner_escrow (
	site_id         TEXT NOT NULL,
	revision        TEXT NOT NULL,
	language        TEXT NOT NULL,
	-- hex SHA-256 of script, computed by the store from the bytes
	sha256          TEXT NOT NULL,
	script          BLOB NOT NULL,
	-- charte's version (module version or VCS revision, "(devel)" otherwise)
	charte_version  TEXT NOT NULL,
	first_served_at TEXT NOT NULL,
	PRIMARY KEY (site_id, revision, language, sha256),
	FOREIGN KEY (site_id, revision) REFERENCES revisions (site_id, revision) ON DELETE CASCADE
);
