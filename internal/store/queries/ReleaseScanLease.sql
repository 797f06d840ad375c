DELETE FROM scan_leases WHERE site_id = $1 AND holder = $2
