SELECT scan_id, holder, expires_at FROM scan_leases WHERE site_id = $1
