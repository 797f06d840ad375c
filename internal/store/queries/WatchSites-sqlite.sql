-- Never run: WatchSites answers ErrNoSiteEvents on SQLite. The pair exists
-- because every query comes for both engines.
SELECT 1 WHERE false
