SELECT id, site_id, url, started_by, started_at, finished_at, status, progress, step, error, ''
FROM scans WHERE site_id = $1 ORDER BY id DESC LIMIT $2
