DELETE FROM scan_schedules WHERE site_id = $1
