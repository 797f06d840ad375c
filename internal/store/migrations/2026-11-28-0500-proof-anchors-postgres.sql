-- Retention: `charte consents purge` deletes a prefix of a site's chain and
-- keeps here the seq and hash of the last record it deleted, so the records
-- left still verify from this anchor (the first must carry seq + 1 and point
-- at hash). One row per site that was ever purged; it moves forward only,
-- and goes with its site as the head does (a site is deletable once no record
-- is left).
-- Differs from the SQLite file only in the collation of times.
CREATE TABLE proof_anchors (
	site_id   TEXT   NOT NULL PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	seq       BIGINT NOT NULL,
	hash      TEXT   NOT NULL,
	-- time of the last purged record
	time      TEXT COLLATE "C" NOT NULL,
	purged_at TEXT COLLATE "C" NOT NULL,
	-- records deleted by every purge of the site, in total
	purged    BIGINT NOT NULL
);
