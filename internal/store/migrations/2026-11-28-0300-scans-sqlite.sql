-- Scans started from the back office: who started which, how far it got and,
-- once finished, the report as the scanner's JSON (internal/scan/SCHEMA.md),
-- kept so that it can be shown and downloaded later. A report with its banner
-- screenshot is a few hundred KiB: TEXT holds it on both engines. Scans go
-- with their site. Differs from the PostgreSQL file only in how the key is
-- generated and in the "C" collation of times.

CREATE TABLE scans (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	site_id     TEXT    NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	url         TEXT    NOT NULL,
	-- email of the operator who started it
	started_by  TEXT    NOT NULL,
	started_at  TEXT    NOT NULL,
	-- '' while running
	finished_at TEXT    NOT NULL DEFAULT '',
	-- running, done or failed
	status      TEXT    NOT NULL,
	-- percent done, and where the scan is ("refuse 2/4")
	progress    INTEGER NOT NULL DEFAULT 0,
	step        TEXT    NOT NULL DEFAULT '',
	-- the JSON report, '' until done
	report      TEXT    NOT NULL DEFAULT '',
	error       TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX scans_site ON scans (site_id, id);
