SELECT site_id, frequency, url, pages, next_at FROM scan_schedules WHERE next_at <= $1 ORDER BY next_at, site_id LIMIT $2
