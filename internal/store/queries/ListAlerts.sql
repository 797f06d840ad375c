SELECT id, site_id, scan_id, created_at, changes FROM alerts
WHERE $1 = '' OR site_id = $1
ORDER BY id DESC LIMIT $2
