DELETE FROM consents WHERE site_id = $1 AND seq <= $2
