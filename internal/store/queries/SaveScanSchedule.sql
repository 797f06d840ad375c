INSERT INTO scan_schedules (site_id, frequency, url, pages, next_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (site_id) DO UPDATE SET frequency = excluded.frequency, url = excluded.url, pages = excluded.pages, next_at = excluded.next_at
