-- Scheduled scans and the alerts they raise. A site has at most one
-- schedule: how often (daily, weekly, monthly), what to scan, and when it is
-- next due; the node that moves next_at on (a compare-and-set) runs it.
-- An alert is what a scheduled scan found changed since the one before it
-- (drift): its changes as JSON, shown on the dashboard and sent by webhook
-- and e-mail. Both go with their site.

CREATE TABLE scan_schedules (
	site_id   TEXT    NOT NULL PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	frequency TEXT    NOT NULL,
	url       TEXT    NOT NULL,
	pages     INTEGER NOT NULL,
	next_at   TEXT    NOT NULL
);

CREATE TABLE alerts (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	site_id    TEXT   NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	scan_id    INTEGER NOT NULL,
	created_at TEXT   NOT NULL,
	-- drift.Changes as JSON
	changes    TEXT   NOT NULL
);

CREATE INDEX alerts_site ON alerts (site_id, id);
-- One alert per scan, whichever node stores it.
CREATE UNIQUE INDEX alerts_scan ON alerts (scan_id);
