-- Only its holder renews a lease, and only one not yet taken over.
UPDATE scan_leases SET scan_id = $3, expires_at = $4 WHERE site_id = $1 AND holder = $2
