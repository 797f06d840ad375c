INSERT INTO scans (site_id, url, started_by, started_at, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id
