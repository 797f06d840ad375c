UPDATE scans SET progress = $2, step = $3 WHERE id = $1 AND status = 'running'
