-- Which node runs a site's scan, until when: a scan of a site runs on one
-- node at a time, and a node that dies mid-scan frees the site when its
-- lease expires, since nothing renews it any more. One row per site at
-- most; a lease taken over replaces the row. Differs from the SQLite file
-- only in the "C" collation of times, compared as text.

CREATE TABLE scan_leases (
	site_id    TEXT   NOT NULL PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	-- the scan the holder runs, 0 while it is being recorded
	scan_id    BIGINT NOT NULL,
	-- the node: host name and a random part, new at each start
	holder     TEXT   NOT NULL,
	expires_at TEXT   COLLATE "C" NOT NULL
);
