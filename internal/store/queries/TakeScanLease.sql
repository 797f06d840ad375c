-- Takes the site's lease when it is free or expired, atomically: of two
-- nodes trying at once, the row lock (PostgreSQL) or the write lock
-- (SQLite) lets one insert or update and the other affect no row.
INSERT INTO scan_leases (site_id, scan_id, holder, expires_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (site_id) DO UPDATE SET scan_id = excluded.scan_id, holder = excluded.holder, expires_at = excluded.expires_at
WHERE scan_leases.expires_at < $5
