SELECT site_id, frequency, url, pages, next_at FROM scan_schedules WHERE site_id = $1
