INSERT INTO alerts (site_id, scan_id, created_at, changes) VALUES ($1, $2, $3, $4) RETURNING id
