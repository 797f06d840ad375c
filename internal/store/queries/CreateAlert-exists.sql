SELECT count(*) FROM alerts WHERE scan_id = $1
