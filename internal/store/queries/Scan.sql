SELECT id, site_id, url, started_by, started_at, finished_at, status, progress, step, error, report
FROM scans WHERE site_id = $1 AND id = $2
