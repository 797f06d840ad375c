UPDATE scans SET status = $2, finished_at = $3, report = $4, error = $5,
	progress = CASE WHEN $2 = 'done' THEN 100 ELSE progress END
WHERE id = $1 AND status = 'running'
